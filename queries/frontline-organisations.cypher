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
MATCH (a:Action)-[:AGREED_AT]->(m:Meeting)<-[men:MENTIONED_IN]-(x)
WHERE men.paragraph STARTS WITH a.item + '.'
OPTIONAL MATCH (owner:Organisation)-[:OWNS]->(a)
WITH x, men, m, a, owner ORDER BY owner.name
WITH x, men, m, a,
     collect(owner.name + CASE WHEN owner.status = 'current' THEN ''
                              ELSE ' (' + owner.status + ')' END) AS owners
WITH collect({x: x.id, name: x.name, paragraph: men.paragraph, date: m.date, item: a.item,
              action: a.id, text: a.text, owners: owners}) AS talk
MATCH (o:Organisation)
WHERE o.frontline_contact = true
  AND ($nation IS NULL OR $nation IN o.nation)
  AND ($sector IS NULL OR EXISTS {
        MATCH (o)-[:OPERATES_IN]->(:Sector)-[:PART_OF*0..1]->(:Sector {id: $sector}) })
OPTIONAL MATCH (o)-[:OPERATES_IN]->(s:Sector)
WITH talk, o, s ORDER BY s.name
WITH talk, o, collect(s.name) AS sectors
OPTIONAL MATCH (o)-[:OPERATES_IN]->(:Sector)<-[:REGULATES]-(g:Organisation)
WHERE g.status = 'current' AND any(n IN g.nation WHERE n IN o.nation)
WITH talk, o, sectors, g, [n IN g.nation WHERE n IN o.nation] AS covered ORDER BY g.name
WITH talk, o, sectors,
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
WITH talk, o, sectors, regulators, r, d ORDER BY d.name
WITH talk, o, sectors, regulators,
     collect(CASE type(r) WHEN 'WORKS_WITH' THEN 'works with '
                          WHEN 'PART_OF' THEN CASE WHEN startNode(r) = o THEN 'part of '
                                                   ELSE 'has as part ' END
                          ELSE CASE WHEN startNode(r) = o THEN 'member of '
                                    ELSE 'has as member ' END END +
             d.name + CASE WHEN d.status = 'current' THEN '' ELSE ' (' + d.status + ')' END)
       AS engaged
WITH o, sectors, regulators, engaged, talk,
     [(o)<-[:SUCCEEDED_BY*1..8]-(p:Organisation) | p.id] AS before,
     [(o)-[:SUCCEEDED_BY*1..8]->(n:Organisation) | n.id] AS after,
     [(o)-[:OPERATES_IN]->(x:Sector) | x.id] AS own_sectors,
     [(o)-[:MEMBER_OF]->(g:Organisation) WHERE g.aggregate = true | g.id] AS groups
WITH o, sectors, regulators, engaged, before, after, groups,
     [t IN talk WHERE t.x = o.id OR t.x IN before OR t.x IN after OR t.x IN own_sectors
                      OR t.x IN groups] AS mine
UNWIND CASE WHEN size(mine) = 0 THEN [null] ELSE mine END AS t
WITH o, sectors, regulators, engaged, t,
     CASE WHEN t.x = o.id THEN t.name WHEN t.x IN before THEN 'its predecessor ' + t.name
          WHEN t.x IN after THEN 'its successor ' + t.name
          WHEN t.x IN groups THEN t.name + ', a group it belongs to'
          ELSE 'its sector ' + t.name END AS role
ORDER BY t.paragraph, role
WITH o, sectors, regulators, engaged, t.date AS date, t.item AS item, t.action AS action, t.text AS text,
     t.owners AS owners, collect(DISTINCT '¶' + t.paragraph + ' names ' + role) AS named
ORDER BY date, item, action
WITH o, sectors, regulators, engaged,
     collect('discussed under item ' + item + ' of the meeting of ' + date + ' (' +
             reduce(s = '', n IN named | s + CASE s WHEN '' THEN '' ELSE '; ' END + n) +
             '), where an action was agreed: "' + text + '" (owner: ' +
             reduce(s = '', n IN owners | s + CASE s WHEN '' THEN '' ELSE ', ' END + n) +
             ')') AS discussed
RETURN o.name AS organisation, o.id AS id, o.kind AS kind, o.status AS status,
       o.nation AS nation, sectors, regulators, engaged, discussed,
       o.frontline_context AS frontline_context, o.sources AS sources
ORDER BY organisation
