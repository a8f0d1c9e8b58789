// name: unengaged-frontline
// description: Frontline organisations that no department has an action or link to (minutes 4.4)
// param: nation (nation) only organisations working in this UK nation (UK-wide bodies included)
// example: htkg query unengaged-frontline
// example: htkg query unengaged-frontline -p nation=Wales
// note: A department is an Organisation of kind department or devolved_government. It
//   engages a body when one is part of, works with or is a member of the other, or when
//   it owns an action agreed under an agenda item that mentions the body or its sector.
MATCH (o:Organisation)
WHERE o.frontline_contact = true
  AND ($nation IS NULL OR $nation IN o.nation OR 'GB' IN o.nation)
  AND NOT EXISTS {
    MATCH (o)-[:PART_OF|WORKS_WITH|MEMBER_OF]-(d:Organisation)
    WHERE d.kind IN ['department', 'devolved_government']
  }
  AND NOT EXISTS {
    MATCH (o)-[:OPERATES_IN*0..1]->(x)-[men:MENTIONED_IN]->(:Meeting)
          <-[:AGREED_AT]-(a:Action)<-[:OWNS]-(d:Organisation)
    WHERE d.kind IN ['department', 'devolved_government']
      AND men.paragraph STARTS WITH a.item + '.'
  }
OPTIONAL MATCH (o)-[:OPERATES_IN]->(s:Sector)
WITH o, s ORDER BY s.name
WITH o, collect(s.name) AS sectors
RETURN o.name AS organisation, o.id AS id, o.kind AS kind, o.nation AS nation, sectors,
       o.frontline_context AS frontline_context, o.sources AS sources
ORDER BY organisation
