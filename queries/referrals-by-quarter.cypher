// name: referrals-by-quarter
// description: People referred to the NRM by quarter and first-responder kind: the trend
// param: country (country) only people of this nationality
// param: nation (nation) only first responders registered for that nation alone (see top-source-countries)
// param: kind (kind) only first responders of this kind (ngo, police_force, local_authority...)
// param: responder (organisation) only this first responder: its own trend
// param: start (quarter) from this quarter on (YYYYQn)
// param: end (quarter) up to this quarter (YYYYQn)
// example: htkg query referrals-by-quarter -p country=Nigeria
// example: htkg query referrals-by-quarter -p nation=Scotland -p start=2023Q1
// example: htkg query referrals-by-quarter -p responder="Salvation Army"
// note: One row per quarter and kind of first responder. A row's people equal the
//   country's row of top-source-countries with the same year, quarter and kind. Without
//   a country, people are summed over countries, so a dual nationality counts once for
//   each of its countries. The nation filter is that of top-source-countries (a partial
//   view). It reads the quarterly totals (REFERRED_QUARTER).
CALL {
  MATCH (c:Country) WHERE c.id = $country
  WITH c
  MATCH (c)<-[r:REFERRED_QUARTER]-(o:Organisation)
  RETURN o, r
  UNION ALL
  MATCH (o:Organisation)
  WHERE $country IS NULL AND ($responder IS NULL OR o.id = $responder)
    AND ($kind IS NULL OR o.kind = $kind)
    AND ($nation IS NULL OR (size(o.nation) = 1 AND o.nation[0] = $nation))
  WITH o
  MATCH (o)-[r:REFERRED_QUARTER]->(:Country)
  RETURN o, r
}
WITH o, r
WHERE ($responder IS NULL OR o.id = $responder) AND ($kind IS NULL OR o.kind = $kind)
  AND ($nation IS NULL OR (size(o.nation) = 1 AND o.nation[0] = $nation))
  AND ($start IS NULL OR r.year * 10 + r.quarter >= $start)
  AND ($end IS NULL OR r.year * 10 + r.quarter <= $end)
WITH r.year AS year, r.quarter AS quarter, o.kind AS kind, sum(r.people) AS people,
     count(DISTINCT o) AS responders, collect(r.sources) AS srcs
RETURN toString(year) + 'Q' + toString(quarter) AS period, year, quarter, kind, people,
       responders,
       reduce(acc = [], s IN reduce(flat = [], l IN srcs | flat + l) |
              CASE WHEN split(s, ' (')[0] IN acc THEN acc ELSE acc + split(s, ' (')[0] END)
         AS sources
ORDER BY year, quarter, kind
