// name: unattributed
// description: People the published NRM tables count whom no relationship holds, and why
// param: country (country) only people of this nationality (under first responders htkg could not resolve)
// param: responder (organisation) only people this first responder referred
// param: exploitation (exploitation) only people referred for this exploitation type
// param: start (quarter) from this quarter on (YYYYQn)
// param: end (quarter) up to this quarter (YYYYQn)
// param: limit (int, default 200) most rows to return
// example: htkg query unattributed
// example: htkg query unattributed -p exploitation=labour -p start=2023Q1
// example: htkg query unattributed -p responder="Police Scotland"
// note: One row per published cell (first responder, exploitation type, nationality, in a
//   quarter) whose people are in no REFERRED relationship: its nationality names no
//   country ("Unknown"), htkg could not resolve its nationality, or it could not resolve
//   its first responder (named as published; responder_id is empty). These are the
//   people that the graph's totals leave out: each summing query gives them for its rows
//   as left_out, so that the graph's figure plus left_out is the published figure.
//   Suppressed cells ([c], [x]) have no count and are not here.
MATCH (u:Unattributed)
WHERE ($country IS NULL OR $country IN coalesce(u.countries, []))
  AND ($responder IS NULL OR u.responder_id = $responder)
  AND ($exploitation IS NULL OR u.exploitation = $exploitation)
  AND ($start IS NULL OR u.year * 10 + u.quarter >= $start)
  AND ($end IS NULL OR u.year * 10 + u.quarter <= $end)
OPTIONAL MATCH (o:Organisation {id: u.responder_id})
RETURN u.year AS year, u.quarter AS quarter, coalesce(o.name, u.responder) AS responder,
       u.responder_id AS responder_id, u.responder_type AS responder_type,
       u.exploitation AS exploitation, u.nationality AS nationality, u.people AS people,
       CASE u.reason
         WHEN 'nationality_unknown' THEN 'the nationality is published as ' + u.nationality +
                                         ', which names no country'
         WHEN 'nationality_unresolved' THEN 'htkg could not resolve the nationality ' +
                                            u.nationality
         ELSE 'htkg could not resolve the first responder ' + u.responder END AS why,
       u.sources AS sources
ORDER BY year, quarter, people DESC, responder, exploitation, nationality
LIMIT $limit
