// name: responders
// description: First responders ranked by people referred to the NRM, strongest first
// param: country (country) only people of this nationality
// param: nation (nation) only first responders registered for that nation alone (see top-source-countries)
// param: kind (kind) only first responders of this kind (ngo, police_force, local_authority...)
// param: start (quarter) from this quarter on (YYYYQn)
// param: end (quarter) up to this quarter (YYYYQn)
// param: limit (int, default 20) how many responders
// example: htkg query responders -p country=Nigeria
// example: htkg query responders -p nation=Wales -p start=2023Q1 -p limit=5
// note: people is the sum over the quarters (and countries) selected; countries counts the
//   countries of the people referred, so a dual nationality counts for each of its
//   countries. The nation filter is that of top-source-countries (a partial view). It reads
//   the quarterly totals (REFERRED_QUARTER).
CALL {
  MATCH (c:Country) WHERE c.id = $country
  WITH c
  MATCH (c)<-[r:REFERRED_QUARTER]-(o:Organisation)
  RETURN o, r, c
  UNION ALL
  MATCH (o:Organisation)
  WHERE $country IS NULL AND ($kind IS NULL OR o.kind = $kind)
    AND ($nation IS NULL OR (size(o.nation) = 1 AND o.nation[0] = $nation))
  WITH o
  MATCH (o)-[r:REFERRED_QUARTER]->(c:Country)
  RETURN o, r, c
}
WITH o, r, c
WHERE ($kind IS NULL OR o.kind = $kind)
  AND ($nation IS NULL OR (size(o.nation) = 1 AND o.nation[0] = $nation))
  AND ($start IS NULL OR r.year * 10 + r.quarter >= $start)
  AND ($end IS NULL OR r.year * 10 + r.quarter <= $end)
WITH o, sum(r.people) AS people, count(DISTINCT c) AS countries,
     min(r.year * 10 + r.quarter) AS first, max(r.year * 10 + r.quarter) AS last,
     collect(r.sources) AS srcs
RETURN o.name AS responder, o.id AS id, o.kind AS kind, o.nation AS nation, people, countries,
       toString(first / 10) + 'Q' + toString(first % 10) + '-' +
         toString(last / 10) + 'Q' + toString(last % 10) AS quarters,
       reduce(acc = [], s IN reduce(flat = [], l IN srcs | flat + l) |
              CASE WHEN split(s, ' (')[0] IN acc THEN acc ELSE acc + split(s, ' (')[0] END)
         AS sources
ORDER BY people DESC, responder
LIMIT $limit
