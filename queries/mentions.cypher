// name: mentions
// description: Where minutes name an entity, by meeting and paragraph
// param: entity (entity) only mentions of this entity (id, name or alias)
// param: meeting (meeting) only mentions in this meeting (id, name or date)
// example: htkg query mentions -p entity=Nigeria
// example: htkg query mentions -p meeting=2013-03-11
MATCH (e)-[r:MENTIONED_IN]->(m:Meeting)
WHERE ($entity IS NULL OR e.id = $entity) AND ($meeting IS NULL OR m.id = $meeting)
RETURN m.date AS date, m.id AS meeting, r.paragraph AS paragraph, e.name AS entity,
       e.id AS entity_id, labels(e)[0] AS label, r.sources AS sources
ORDER BY date, meeting, toInteger(split(paragraph, '.')[0]),
         toInteger(coalesce(split(paragraph, '.')[1], '0')), entity
