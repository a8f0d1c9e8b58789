// name: police-force-areas
// description: A police force's area and the councils in it, or a council's police force (2.4)
// param: force (organisation) a police force: its police force area and every council in it
// param: council (organisation) a council, current or former (name, former name or GSS code)
// param: current (bool, default false) only councils that exist today
// example: htkg query police-force-areas -p force="Cumbria Constabulary"
// example: htkg query police-force-areas -p council="Allerdale Borough Council"
// example: htkg query police-force-areas -p council="Glasgow City Council" --format json
// note: From the official geography: the ONS lookups of local authority districts to
//   police force areas (December 2019 boundaries) and mySociety's list of councils past
//   and present. A council governs one or more districts; each district lies in one
//   police force area, which one force serves. A council created since 2019 (Cumberland)
//   governs the districts of the councils it replaced; one closed before 2019
//   (Christchurch) is reached through its successor, named under `via`. Scotland and
//   Northern Ireland are one police force area each. A county council and a combined
//   authority cover the districts of their member councils, so they are listed too.
//   With neither parameter: every force and council. `sources` names the files each row
//   rests on (`htkg show` gives the line of each fact).
CALL {
  MATCH (f:Organisation)-[fs:SERVES]->(pfa:Area {kind: 'police_force_area'})
        <-[lp:PART_OF]-(lad:Area {kind: 'local_authority_district'})<-[cs:SERVES]-(c:Organisation)
  WHERE ($force IS NULL OR f.id = $force) AND ($council IS NULL OR c.id = $council)
  RETURN f, pfa, c, null AS via, lad, fs.sources + lp.sources + cs.sources AS srcs
  UNION ALL
  MATCH (c:Organisation)-[:SUCCEEDED_BY*1..3]->(via:Organisation)-[cs:SERVES]->
        (lad:Area {kind: 'local_authority_district'})-[lp:PART_OF]->
        (pfa:Area {kind: 'police_force_area'})<-[fs:SERVES]-(f:Organisation)
  WHERE ($council IS NULL OR c.id = $council) AND ($force IS NULL OR f.id = $force)
    AND NOT EXISTS { MATCH (c)-[:SERVES]->(:Area) }
  RETURN f, pfa, c, via, lad, c.sources + fs.sources + lp.sources + cs.sources AS srcs
}
WITH f, pfa, c, via, lad, srcs
WHERE NOT $current OR c.dissolved IS NULL
WITH f, pfa, c, via, collect(DISTINCT lad.name + ' (' + lad.gss + ')') AS districts,
     collect(srcs) AS srcs
OPTIONAL MATCH (c)-[:SUCCEEDED_BY]->(next:Organisation)
WITH f, pfa, c, via, districts, srcs, collect(DISTINCT next.name) AS successors
RETURN f.name AS force, pfa.name AS police_force_area, pfa.gss AS area_code,
       c.name AS council, c.gss AS council_code,
       CASE WHEN c.dissolved IS NULL THEN 'current' ELSE 'closed ' + c.dissolved END AS status,
       successors, via.name AS via, c.nation AS nation, coalesce(c.region, via.region) AS region,
       districts,
       reduce(acc = [], l IN srcs |
              reduce(a = acc, s IN l | CASE WHEN split(s, ':')[0] + ' (' + split(s, ' (')[-1] IN a
                                            THEN a
                                            ELSE a + (split(s, ':')[0] + ' (' + split(s, ' (')[-1])
                                            END)) AS sources
ORDER BY force, council, via
