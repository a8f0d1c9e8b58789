// name: frontline-organisations
// description: Bodies whose frontline staff may meet victims; sectors, regulators, engaging actions (4.3-4.5)
// param: sector (sector) only organisations working in this sector
// param: nation (nation) only organisations working in this UK nation (UK-wide bodies included)
// example: htkg query frontline-organisations
// example: htkg query frontline-organisations -p sector=utilities -p nation=Scotland
// note: An action engages an organisation when it was agreed under the agenda item whose
//   paragraphs mention the organisation or a sector it works in.
MATCH (o:Organisation)
WHERE o.frontline_contact = true
  AND ($sector IS NULL OR EXISTS { MATCH (o)-[:OPERATES_IN]->(:Sector {id: $sector}) })
  AND ($nation IS NULL OR $nation IN o.nation OR 'GB' IN o.nation)
OPTIONAL MATCH (o)-[:OPERATES_IN]->(s:Sector)
OPTIONAL MATCH (regulator:Organisation)-[:REGULATES]->(s)
WITH o, collect(DISTINCT s.name) AS sectors, collect(DISTINCT regulator.name) AS regulators
OPTIONAL MATCH (o)-[:OPERATES_IN*0..1]->(x)-[men:MENTIONED_IN]->(:Meeting)
      <-[:AGREED_AT]-(a:Action)<-[:OWNS]-(owner:Organisation)
WHERE men.paragraph STARTS WITH a.item + '.'
WITH o, sectors, regulators, collect(DISTINCT owner.name) AS action_owners,
     collect(DISTINCT a.id) AS actions
RETURN o.name AS organisation, o.id AS id, o.kind AS kind, o.nation AS nation, sectors,
       regulators, action_owners, actions, o.frontline_context AS frontline_context,
       o.sources AS sources
ORDER BY organisation
