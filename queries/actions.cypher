// name: actions
// description: Actions agreed at meetings, with their owners, agenda item and meeting
// param: owner (organisation) only actions this organisation owns (alone or with others)
// param: meeting (meeting) only actions of this meeting (id, name or date)
// example: htkg query actions -p owner="Home Office"
// example: htkg query actions -p meeting=2013-03-11 --format csv
MATCH (a:Action)-[:AGREED_AT]->(m:Meeting)
WHERE ($meeting IS NULL OR m.id = $meeting)
  AND ($owner IS NULL OR EXISTS { MATCH (:Organisation {id: $owner})-[:OWNS]->(a) })
OPTIONAL MATCH (owner:Organisation)-[:OWNS]->(a)
WITH a, m, owner ORDER BY owner.name
WITH a, m, collect(owner.name) AS owners, collect(owner.id) AS owner_ids
RETURN m.date AS date, m.id AS meeting, a.item AS item, a.item_title AS item_title,
       a.text AS action, owners, owner_ids, a.id AS id, a.sources AS sources
ORDER BY date, meeting, id
