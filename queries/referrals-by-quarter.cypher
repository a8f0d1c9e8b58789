// name: referrals-by-quarter
// description: People referred to the NRM by quarter and first-responder kind: the trend
// param: country (country) only people of this nationality
// param: nation (nation) only first responders registered for that nation alone (see top-source-countries)
// param: kind (kind) only first responders of this kind (ngo, police_force, local_authority...)
// param: start (quarter) from this quarter on (YYYYQn)
// param: end (quarter) up to this quarter (YYYYQn)
// param: exploitation (exploitation) only people referred for this exploitation type
//   (Labour: labour exploitation alone; Labour & Criminal is a type of its own)
// example: htkg query referrals-by-quarter -p country=Nigeria
// example: htkg query referrals-by-quarter -p nation=Scotland -p start=2023Q1
// example: htkg query referrals-by-quarter -p exploitation=labour
// note: One row per quarter and kind of first responder. With a country, a row's people
//   equal the country's row of top-source-countries with the same year, quarter and
//   kind. Without one, each person counts once, as in the published tables: a dual
//   nationality ("Albanian Greek") counts once, not once for each of its countries. The
//   nation filter is that of top-source-countries (a partial view). It reads the
//   quarterly totals (REFERRED_QUARTER), and REFERRED for an exploitation type.
CALL {
  MATCH (c:Country) WHERE $exploitation IS NULL AND c.id = $country
  WITH c
  MATCH (c)<-[r:REFERRED_QUARTER]-(o:Organisation)
  RETURN o, r.year AS year, r.quarter AS quarter, r.people AS people, r.sources AS sources
  UNION ALL
  MATCH (o:Organisation)
  WHERE $exploitation IS NULL AND $country IS NULL AND ($kind IS NULL OR o.kind = $kind)
    AND ($nation IS NULL OR (size(o.nation) = 1 AND o.nation[0] = $nation))
  WITH o
  MATCH (o)-[r:REFERRED_QUARTER]->(c:Country)
  RETURN o, r.year AS year, r.quarter AS quarter, r.people_once AS people,
         r.sources AS sources
  UNION ALL
  MATCH (c:Country) WHERE $exploitation IS NOT NULL AND c.id = $country
  WITH c
  MATCH (c)<-[r:REFERRED]-(o:Organisation)
  WHERE r.exploitation = $exploitation
  RETURN o, r.year AS year, r.quarter AS quarter, r.people AS people, r.sources AS sources
  UNION ALL
  MATCH (o:Organisation)
  WHERE $exploitation IS NOT NULL AND $country IS NULL AND ($kind IS NULL OR o.kind = $kind)
    AND ($nation IS NULL OR (size(o.nation) = 1 AND o.nation[0] = $nation))
  WITH o
  MATCH (o)-[r:REFERRED]->(c:Country)
  WHERE r.exploitation = $exploitation
  WITH o, r, c ORDER BY c.id
  WITH o, r.year AS year, r.quarter AS quarter, r.nationality AS n, collect(c) AS cs,
       collect(r) AS rs
  UNWIND range(0, size(cs) - 1) AS i
  RETURN o, year, quarter, CASE WHEN i = 0 THEN rs[i].people ELSE 0 END AS people,
         rs[i].sources AS sources
}
WITH o, year, quarter, people, sources
WHERE ($kind IS NULL OR o.kind = $kind)
  AND ($nation IS NULL OR (size(o.nation) = 1 AND o.nation[0] = $nation))
  AND ($start IS NULL OR year * 10 + quarter >= $start)
  AND ($end IS NULL OR year * 10 + quarter <= $end)
WITH year, quarter, o.kind AS kind, sum(people) AS people, count(DISTINCT o) AS responders,
     collect(sources) AS srcs
RETURN toString(year) + 'Q' + toString(quarter) AS period, year, quarter, kind, people,
       responders,
       reduce(acc = [], s IN reduce(flat = [], l IN srcs | flat + l) |
              CASE WHEN split(split(s, ' (')[0], ':')[0] IN acc THEN acc
                   ELSE acc + split(split(s, ' (')[0], ':')[0] END)
         AS sources
ORDER BY year, quarter, kind
