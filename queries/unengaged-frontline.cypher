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
MATCH (o:Organisation)
WHERE o.frontline_contact = true
  AND ($nation IS NULL OR $nation IN o.nation)
  AND NOT EXISTS {
    MATCH (o)-[:PART_OF|WORKS_WITH|MEMBER_OF]-(d:Organisation)
    WHERE d.kind IN ['department', 'devolved_government']
  }
OPTIONAL MATCH (o)-[:OPERATES_IN]->(s:Sector)
WITH o, s ORDER BY s.name
WITH o, collect(s.name) AS sectors,
     [(p:Organisation)-[:SUCCEEDED_BY*1..8]->(o) | p.id] AS before,
     [(o)-[:SUCCEEDED_BY*1..8]->(n:Organisation) | n.id] AS after,
     [(o)-[:OPERATES_IN]->(x:Sector) | x.id] AS own_sectors,
     [(o)-[:MEMBER_OF]->(g:Organisation) WHERE g.aggregate = true | g.id] AS groups
OPTIONAL MATCH (x)-[men:MENTIONED_IN]->(m:Meeting)<-[:AGREED_AT]-(a:Action)
WHERE (x.id = o.id OR x.id IN before OR x.id IN after OR x.id IN own_sectors
       OR x.id IN groups)
  AND men.paragraph STARTS WITH a.item + '.'
WITH o, sectors, m, a, men,
     CASE WHEN x.id = o.id THEN x.name WHEN x.id IN before THEN 'its predecessor ' + x.name
          WHEN x.id IN after THEN 'its successor ' + x.name
          WHEN x.id IN groups THEN x.name + ', a group it belongs to'
          ELSE 'its sector ' + x.name END AS role
ORDER BY men.paragraph, role
WITH o, sectors, m, a,
     collect(DISTINCT '¶' + men.paragraph + ' names ' + role) AS named
OPTIONAL MATCH (owner:Organisation)-[:OWNS]->(a)
WITH o, sectors, m, a, named, owner ORDER BY owner.name
WITH o, sectors, m, a, named,
     collect(owner.name + CASE WHEN owner.status = 'current' THEN ''
                              ELSE ' (' + owner.status + ')' END) AS owners
ORDER BY m.date, a.item, a.id
WITH o, sectors,
     collect('discussed under item ' + a.item + ' of the meeting of ' + m.date + ' (' +
             reduce(t = '', n IN named | t + CASE t WHEN '' THEN '' ELSE '; ' END + n) +
             '), where an action was agreed: "' + a.text + '" (owner: ' +
             reduce(t = '', n IN owners | t + CASE t WHEN '' THEN '' ELSE ', ' END + n) +
             ')') AS discussed
RETURN o.name AS organisation, o.id AS id, o.kind AS kind, o.status AS status,
       o.nation AS nation, sectors, discussed, o.frontline_context AS frontline_context,
       o.sources AS sources
ORDER BY organisation
