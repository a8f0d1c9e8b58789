// name: referrals-by-quarter
// description: People referred to the NRM by quarter and first-responder kind: the trend
// param: country (country) only people of this nationality
// param: nation (nation) only first responders registered for that nation alone (see top-source-countries)
// param: kind (kind) only first responders of this kind (ngo, police_force, local_authority...)
// param: responder (organisation) only this first responder: its own trend
// param: start (quarter) from this quarter on (YYYYQn)
// param: end (quarter) up to this quarter (YYYYQn)
// param: exploitation (exploitation) only people referred for this exploitation type
//   (Labour: labour exploitation alone; Labour & Criminal is a type of its own)
// example: htkg query referrals-by-quarter -p country=Nigeria
// example: htkg query referrals-by-quarter -p nation=Scotland -p start=2023Q1
// example: htkg query referrals-by-quarter -p exploitation=labour
// example: htkg query referrals-by-quarter -p responder="Salvation Army"
// note: One row per quarter and kind of first responder. With a country, a row's people
//   equal the country's row of top-source-countries with the same year, quarter and
//   kind. Without one, each person counts once, as in the published tables: a dual
//   nationality ("Albanian Greek") counts once, not once for each of its countries. The
//   nation filter is that of top-source-countries (a partial view). It reads the
//   quarterly totals (REFERRED_QUARTER), and REFERRED for an exploitation type.
//   left_out is how many more people the published tables count for the row that no
//   relationship of the graph holds, and left_out_why says why (people of a nationality
//   published as Unknown; under a first responder htkg could not resolve, whose kind is
//   not known: a row of its own, without a kind, and none with a kind or nation filter):
//   people + left_out is the published figure. htkg query unattributed lists them.
//   With a responder, its own quarters (an app's or report's trend for one body).
CALL {
  MATCH (c:Country) WHERE $exploitation IS NULL AND c.id = $country
  WITH c
  MATCH (c)<-[r:REFERRED_QUARTER]-(o:Organisation)
  RETURN o, r.year AS year, r.quarter AS quarter, r.people AS people, r.sources AS sources,
         0 AS left_out, null AS why
  UNION ALL
  MATCH (o:Organisation)
  WHERE $exploitation IS NULL AND $country IS NULL AND ($responder IS NULL OR o.id = $responder)
    AND ($kind IS NULL OR o.kind = $kind)
    AND ($nation IS NULL OR (size(o.nation) = 1 AND o.nation[0] = $nation))
  WITH o
  MATCH (o)-[r:REFERRED_QUARTER]->(c:Country)
  RETURN o, r.year AS year, r.quarter AS quarter, r.people_once AS people,
         r.sources AS sources, 0 AS left_out, null AS why
  UNION ALL
  MATCH (c:Country) WHERE $exploitation IS NOT NULL AND c.id = $country
  WITH c
  MATCH (c)<-[r:REFERRED]-(o:Organisation)
  WHERE r.exploitation = $exploitation
  RETURN o, r.year AS year, r.quarter AS quarter, r.people AS people, r.sources AS sources,
         0 AS left_out, null AS why
  UNION ALL
  MATCH (o:Organisation)
  WHERE $exploitation IS NOT NULL AND $country IS NULL
    AND ($responder IS NULL OR o.id = $responder) AND ($kind IS NULL OR o.kind = $kind)
    AND ($nation IS NULL OR (size(o.nation) = 1 AND o.nation[0] = $nation))
  WITH o
  MATCH (o)-[r:REFERRED]->(c:Country)
  WHERE r.exploitation = $exploitation
  WITH o, r, c ORDER BY c.id
  WITH o, r.year AS year, r.quarter AS quarter, r.nationality AS n, collect(c) AS cs,
       collect(r) AS rs
  UNWIND range(0, size(cs) - 1) AS i
  RETURN o, year, quarter, CASE WHEN i = 0 THEN rs[i].people ELSE 0 END AS people,
         rs[i].sources AS sources, 0 AS left_out, null AS why
  UNION ALL
  MATCH (u:Unattributed)
  WHERE ($exploitation IS NULL OR u.exploitation = $exploitation)
    AND ($country IS NULL OR $country IN coalesce(u.countries, []))
  OPTIONAL MATCH (o:Organisation {id: u.responder_id})
  RETURN o, u.year AS year, u.quarter AS quarter, 0 AS people, u.sources AS sources,
         u.people AS left_out,
         {reason: u.reason, people: u.people,
          what: CASE u.reason WHEN 'responder_unresolved' THEN u.responder
                              ELSE u.nationality END} AS why
}
WITH o, year, quarter, people, sources, left_out, why
WHERE ($responder IS NULL OR o.id = $responder) AND ($kind IS NULL OR o.kind = $kind)
  AND ($nation IS NULL OR (size(o.nation) = 1 AND o.nation[0] = $nation))
  AND ($start IS NULL OR year * 10 + quarter >= $start)
  AND ($end IS NULL OR year * 10 + quarter <= $end)
WITH year, quarter, o.kind AS kind, sum(people) AS people,
     count(DISTINCT CASE WHEN people > 0 THEN o END) AS responders, collect(sources) AS srcs,
     sum(left_out) AS left_out, collect(why) AS whys
RETURN toString(year) + 'Q' + toString(quarter) AS period, year, quarter, kind, people,
       responders, left_out,
       [r IN ['nationality_unknown', 'nationality_unresolved', 'responder_unresolved']
        WHERE any(w IN whys WHERE w.reason = r) |
        toString(reduce(n = 0, w IN whys | n + CASE WHEN w.reason = r THEN w.people
                                                         ELSE 0 END)) +
        CASE r WHEN 'nationality_unknown' THEN ' of a nationality published as '
               WHEN 'nationality_unresolved' THEN ' of a nationality htkg could not resolve: '
               ELSE ' under a first responder htkg could not resolve: ' END +
        reduce(t = '', v IN reduce(s = [], w IN whys |
                                   CASE WHEN w.reason = r AND NOT w.what IN s
                                        THEN s + w.what ELSE s END) |
               t + CASE WHEN t = '' THEN '' ELSE ', ' END + v)] AS left_out_why,
       reduce(acc = [], s IN reduce(flat = [], l IN srcs | flat + l) |
              CASE WHEN split(split(s, ' (')[0], ':')[0] IN acc THEN acc
                   ELSE acc + split(split(s, ' (')[0], ':')[0] END)
         AS sources
ORDER BY year, quarter, kind
