// name: responders
// description: First responders ranked by people referred to the NRM, strongest first
// param: country (country) only people of this nationality
// param: nation (nation) only first responders registered for that nation alone (see top-source-countries)
// param: kind (kind) only first responders of this kind (ngo, police_force, local_authority...)
// param: start (quarter) from this quarter on (YYYYQn)
// param: end (quarter) up to this quarter (YYYYQn)
// param: exploitation (exploitation) only people referred for this exploitation type
//   (Labour: labour exploitation alone; Labour & Criminal is a type of its own)
// param: limit (int, default 20) how many responders
// example: htkg query responders -p country=Nigeria
// example: htkg query responders -p nation=Wales -p start=2023Q1 -p limit=5
// example: htkg query responders -p exploitation=Labour -p start=2023Q1
// note: people is the sum over the quarters selected: with a country, of the people of
//   that nationality; without one, of everyone the responder referred, each person once
//   (a dual nationality, "Albanian Greek", once, as the published tables count it).
//   countries counts the countries of the people referred, so a dual nationality counts
//   for each of its countries. The nation filter is that of top-source-countries (a partial view). It reads
//   the quarterly totals (REFERRED_QUARTER).
CALL {
  MATCH (c:Country) WHERE $exploitation IS NULL AND c.id = $country
  WITH c
  MATCH (c)<-[r:REFERRED_QUARTER]-(o:Organisation)
  RETURN o, c, r.year AS year, r.quarter AS quarter, r.people AS people, r.sources AS sources
  UNION ALL
  MATCH (o:Organisation)
  WHERE $exploitation IS NULL AND $country IS NULL AND ($kind IS NULL OR o.kind = $kind)
    AND ($nation IS NULL OR (size(o.nation) = 1 AND o.nation[0] = $nation))
  WITH o
  MATCH (o)-[r:REFERRED_QUARTER]->(c:Country)
  RETURN o, c, r.year AS year, r.quarter AS quarter, r.people_once AS people,
         r.sources AS sources
  UNION ALL
  MATCH (c:Country) WHERE $exploitation IS NOT NULL AND c.id = $country
  WITH c
  MATCH (c)<-[r:REFERRED]-(o:Organisation)
  WHERE r.exploitation = $exploitation
  RETURN o, c, r.year AS year, r.quarter AS quarter, r.people AS people, r.sources AS sources
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
  RETURN o, cs[i] AS c, year, quarter, CASE WHEN i = 0 THEN rs[i].people ELSE 0 END AS people,
         rs[i].sources AS sources
}
WITH o, c, year, quarter, people, sources
WHERE ($kind IS NULL OR o.kind = $kind)
  AND ($nation IS NULL OR (size(o.nation) = 1 AND o.nation[0] = $nation))
  AND ($start IS NULL OR year * 10 + quarter >= $start)
  AND ($end IS NULL OR year * 10 + quarter <= $end)
WITH o, sum(people) AS people, count(DISTINCT c) AS countries,
     min(year * 10 + quarter) AS first, max(year * 10 + quarter) AS last,
     collect(sources) AS srcs
RETURN o.name AS responder, o.id AS id, o.kind AS kind, o.nation AS nation, people, countries,
       toString(first / 10) + 'Q' + toString(first % 10) + '-' +
         toString(last / 10) + 'Q' + toString(last % 10) AS quarters,
       reduce(acc = [], s IN reduce(flat = [], l IN srcs | flat + l) |
              CASE WHEN split(split(s, ' (')[0], ':')[0] IN acc THEN acc
                   ELSE acc + split(split(s, ' (')[0], ':')[0] END)
         AS sources
ORDER BY people DESC, responder
LIMIT $limit
