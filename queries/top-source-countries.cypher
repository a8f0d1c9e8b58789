// name: top-source-countries
// description: Nationalities ranked by people referred to the NRM (minutes 6.3)
// param: year (int) only referrals in this year
// param: quarter (int) only referrals in this quarter (1-4)
// param: kind (kind) only first responders of this kind (ngo, local_authority, law_enforcement...)
// param: nation (nation) only first responders whose remit is that nation and not UK-wide
// param: start (quarter) only referrals from this quarter on (YYYYQn)
// param: end (quarter) only referrals up to this quarter (YYYYQn)
// param: limit (int, default 10) how many countries
// example: htkg query top-source-countries -p year=2023 -p quarter=4
// example: htkg query top-source-countries -p nation=Scotland
// example: htkg query top-source-countries -p start=2022Q3 -p end=2023Q2
// note: The NRM tables are UK-wide and do not say where in the UK a referral was made.
//   With a nation, only referrals by first responders registered as working in that
//   nation and not UK-wide count (in the NRM files: TARA for Scotland, BAWSO for Wales):
//   a partial view, not that nation's total. A dual nationality ("Albanian Greek")
//   counts for each of its countries; `nationalities` shows the forms as published.
//   It reads the quarterly totals (REFERRED_QUARTER) that htkg derives from REFERRED.
MATCH (o:Organisation)
WHERE ($kind IS NULL OR o.kind = $kind)
  AND ($nation IS NULL OR ($nation IN o.nation AND NOT 'GB' IN o.nation))
WITH o
MATCH (o)-[r:REFERRED_QUARTER]->(c:Country)
WHERE ($year IS NULL OR r.year = $year)
  AND ($quarter IS NULL OR r.quarter = $quarter)
  AND ($start IS NULL OR r.year * 10 + r.quarter >= $start)
  AND ($end IS NULL OR r.year * 10 + r.quarter <= $end)
WITH c, sum(r.people) AS people, count(DISTINCT o) AS responders,
     collect(r.nationalities) AS forms,
     min(r.year * 10 + r.quarter) AS first, max(r.year * 10 + r.quarter) AS last
RETURN c.name AS country, c.iso2 AS iso2, people, responders,
       reduce(seen = [], l IN forms | seen + [n IN l WHERE NOT n IN seen]) AS nationalities,
       toString(first / 10) + 'Q' + toString(first % 10) + '-' +
         toString(last / 10) + 'Q' + toString(last % 10) AS quarters
ORDER BY people DESC, country
LIMIT $limit
