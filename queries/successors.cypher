// name: successors
// description: Bodies renamed or merged into others, with dates (SOCA to NCA, GLA to GLAA...)
// param: organisation (organisation) only the line of succession through this body
// example: htkg query successors
// example: htkg query successors -p organisation=SOCA
// note: date is the day of the change, or its year alone where the day is not known.
//   successor_status says whether the successor still exists, and if not what followed it.
MATCH (a:Organisation)-[r:SUCCEEDED_BY]->(b:Organisation)
WHERE $organisation IS NULL
   OR EXISTS { MATCH (a)-[:SUCCEEDED_BY*0..8]-(:Organisation {id: $organisation}) }
RETURN a.name AS body, a.id AS body_id, b.name AS successor, b.id AS successor_id,
       coalesce(r.date, toString(r.year)) AS date, a.dissolved AS body_dissolved,
       b.founded AS successor_founded, b.status AS successor_status, r.sources AS sources
ORDER BY coalesce(r.date, toString(r.year), '9999'), body, successor
