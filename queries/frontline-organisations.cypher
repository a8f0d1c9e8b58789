// name: frontline-organisations
// description: Bodies whose frontline staff may meet victims: sectors, regulators, links, discussions (4.3-4.5)
// param: sector (sector) only organisations working in this sector or a part of it (utilities: energy and water)
// param: nation (nation) only organisations working in this UK nation (UK-wide bodies included)
// example: htkg query frontline-organisations
// example: htkg query frontline-organisations -p sector=utilities -p nation=Scotland
// note: regulators lists the current regulators of the body's sectors whose remit covers one of
//   its nations, naming the nations where the regulator covers only some of them.
//   engaged lists explicit links with a department or devolved government: part of, works
//   with, member of. discussed lists each action agreed under an agenda item whose
//   paragraphs name the body, a predecessor or successor of it, a group it belongs to
//   (utility companies) or its sector, with the action's text and owners (with their
//   status when they no longer exist): the body was discussed, which is not engaged.
MATCH (o:Organisation)
WHERE o.frontline_contact = true
  AND ($nation IS NULL OR $nation IN o.nation)
  AND ($sector IS NULL OR EXISTS {
        MATCH (o)-[:OPERATES_IN]->(:Sector)-[:PART_OF*0..1]->(:Sector {id: $sector}) })
OPTIONAL MATCH (o)-[:OPERATES_IN]->(s:Sector)
WITH o, s ORDER BY s.name
WITH o, collect(s.name) AS sectors
OPTIONAL MATCH (o)-[:OPERATES_IN]->(:Sector)<-[:REGULATES]-(g:Organisation)
WHERE g.status = 'current' AND any(n IN g.nation WHERE n IN o.nation)
WITH o, sectors, g, [n IN g.nation WHERE n IN o.nation] AS covered ORDER BY g.name
WITH o, sectors,
     collect(DISTINCT g.name +
             CASE WHEN size(covered) = size(o.nation) THEN ''
                  ELSE ' (' + reduce(t = '', n IN covered |
                                     t + CASE t WHEN '' THEN '' ELSE ', ' END +
                                     CASE n WHEN 'GB-ENG' THEN 'England'
                                            WHEN 'GB-NIR' THEN 'Northern Ireland'
                                            WHEN 'GB-SCT' THEN 'Scotland' ELSE 'Wales' END) + ')'
             END) AS regulators
OPTIONAL MATCH (o)-[r:PART_OF|WORKS_WITH|MEMBER_OF]-(d:Organisation)
WHERE d.kind IN ['department', 'devolved_government']
WITH o, sectors, regulators, r, d ORDER BY d.name
WITH o, sectors, regulators,
     collect(CASE type(r) WHEN 'WORKS_WITH' THEN 'works with '
                          WHEN 'PART_OF' THEN CASE WHEN startNode(r) = o THEN 'part of '
                                                   ELSE 'has as part ' END
                          ELSE CASE WHEN startNode(r) = o THEN 'member of '
                                    ELSE 'has as member ' END END +
             d.name + CASE WHEN d.status = 'current' THEN '' ELSE ' (' + d.status + ')' END)
       AS engaged
WITH o, sectors, regulators, engaged,
     [(p:Organisation)-[:SUCCEEDED_BY*1..8]->(o) | p.id] AS before,
     [(o)-[:SUCCEEDED_BY*1..8]->(n:Organisation) | n.id] AS after,
     [(o)-[:OPERATES_IN]->(x:Sector) | x.id] AS own_sectors,
     [(o)-[:MEMBER_OF]->(g:Organisation) WHERE g.aggregate = true | g.id] AS groups
OPTIONAL MATCH (x)-[men:MENTIONED_IN]->(m:Meeting)<-[:AGREED_AT]-(a:Action)
WHERE (x.id = o.id OR x.id IN before OR x.id IN after OR x.id IN own_sectors
       OR x.id IN groups)
  AND men.paragraph STARTS WITH a.item + '.'
WITH o, sectors, regulators, engaged, m, a, men,
     CASE WHEN x.id = o.id THEN x.name WHEN x.id IN before THEN 'its predecessor ' + x.name
          WHEN x.id IN after THEN 'its successor ' + x.name
          WHEN x.id IN groups THEN x.name + ', a group it belongs to'
          ELSE 'its sector ' + x.name END AS role
ORDER BY men.paragraph, role
WITH o, sectors, regulators, engaged, m, a,
     collect(DISTINCT '¶' + men.paragraph + ' names ' + role) AS named
OPTIONAL MATCH (owner:Organisation)-[:OWNS]->(a)
WITH o, sectors, regulators, engaged, m, a, named, owner ORDER BY owner.name
WITH o, sectors, regulators, engaged, m, a, named,
     collect(owner.name + CASE WHEN owner.status = 'current' THEN ''
                              ELSE ' (' + owner.status + ')' END) AS owners
ORDER BY m.date, a.item, a.id
WITH o, sectors, regulators, engaged,
     collect('discussed under item ' + a.item + ' of the meeting of ' + m.date + ' (' +
             reduce(t = '', n IN named | t + CASE t WHEN '' THEN '' ELSE '; ' END + n) +
             '), where an action was agreed: "' + a.text + '" (owner: ' +
             reduce(t = '', n IN owners | t + CASE t WHEN '' THEN '' ELSE ', ' END + n) +
             ')') AS discussed
RETURN o.name AS organisation, o.id AS id, o.kind AS kind, o.status AS status,
       o.nation AS nation, sectors, regulators, engaged, discussed,
       o.frontline_context AS frontline_context, o.sources AS sources
ORDER BY organisation
