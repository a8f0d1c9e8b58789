// name: unengaged-frontline
// description: Frontline organisations no department or devolved government has an explicit link to (4.4)
// param: nation (nation) only organisations working in this UK nation (UK-wide bodies included)
// example: htkg query unengaged-frontline
// example: htkg query unengaged-frontline -p nation=Wales
// note: A body is engaged when it has an explicit link with a department or devolved
//   government: one is part of, works with or is a member of the other. Being discussed is
//   not engagement: discussed lists each action agreed under an agenda item whose
//   paragraphs name the body, a predecessor or successor of it, a group it belongs to
//   (utility companies) or its sector, with the action's text and owners (with their
//   status when they no longer exist), so a body discussed at a meeting can be listed here.
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
  AND NOT EXISTS {
    MATCH (o)-[:PART_OF|WORKS_WITH|MEMBER_OF]-(d:Organisation)
    WHERE d.kind IN ['department', 'devolved_government']
  }
OPTIONAL MATCH (o)-[:OPERATES_IN]->(s:Sector)
WITH talk, o, s ORDER BY s.name
WITH talk, o, collect(s.name) AS sectors
WITH o, sectors, talk,
     [(o)<-[:SUCCEEDED_BY*1..8]-(p:Organisation) | p.id] AS before,
     [(o)-[:SUCCEEDED_BY*1..8]->(n:Organisation) | n.id] AS after,
     [(o)-[:OPERATES_IN]->(x:Sector) | x.id] AS own_sectors,
     [(o)-[:MEMBER_OF]->(g:Organisation) WHERE g.aggregate = true | g.id] AS groups
WITH o, sectors, before, after, groups,
     [t IN talk WHERE t.x = o.id OR t.x IN before OR t.x IN after OR t.x IN own_sectors
                      OR t.x IN groups] AS mine
UNWIND CASE WHEN size(mine) = 0 THEN [null] ELSE mine END AS t
WITH o, sectors, t,
     CASE WHEN t.x = o.id THEN t.name WHEN t.x IN before THEN 'its predecessor ' + t.name
          WHEN t.x IN after THEN 'its successor ' + t.name
          WHEN t.x IN groups THEN t.name + ', a group it belongs to'
          ELSE 'its sector ' + t.name END AS role
ORDER BY t.paragraph, role
WITH o, sectors, t.date AS date, t.item AS item, t.action AS action, t.text AS text,
     t.owners AS owners, collect(DISTINCT '¶' + t.paragraph + ' names ' + role) AS named
ORDER BY date, item, action
WITH o, sectors,
     collect('discussed under item ' + item + ' of the meeting of ' + date + ' (' +
             reduce(s = '', n IN named | s + CASE s WHEN '' THEN '' ELSE '; ' END + n) +
             '), where an action was agreed: "' + text + '" (owner: ' +
             reduce(s = '', n IN owners | s + CASE s WHEN '' THEN '' ELSE ', ' END + n) +
             ')') AS discussed
RETURN o.name AS organisation, o.id AS id, o.kind AS kind, o.status AS status,
       o.nation AS nation, sectors, discussed, o.frontline_context AS frontline_context,
       o.sources AS sources
ORDER BY organisation
