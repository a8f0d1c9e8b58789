// name: top-source-countries
// description: Nationalities ranked by people referred to the NRM (minutes 6.3)
// param: year (int) only referrals in this year
// param: quarter (int) only referrals in this quarter (1-4)
// param: kind (kind) only first responders of this kind (ngo, local_authority, police_force...)
// param: nation (nation) only first responders registered for that nation alone (see the caveat)
// param: exclude_uk (bool, default false) leave out UK nationals (internal trafficking)
// param: start (quarter) only referrals from this quarter on (YYYYQn)
// param: end (quarter) only referrals up to this quarter (YYYYQn)
// param: limit (int, default 10) how many countries
// example: htkg query top-source-countries -p year=2023 -p quarter=4
// example: htkg query top-source-countries -p nation=Scotland -p exclude_uk=true
// example: htkg query top-source-countries -p start=2022Q3 -p end=2023Q2
// note: The NRM tables do not say where in the UK a referral was made; they say who made
//   it. With a nation, only referrals by first responders registered for that nation
//   alone count, as in nation-source-countries (which sets the nations side by side and
//   gives each figure's share of the UK's referrals): the police forces of that nation
//   (their nation from the official geography), with TARA for Scotland, BAWSO for Wales
//   and Belfast and Lisburn Women's Aid for Northern Ireland where they referred.
//   A body of several nations (British Transport Police) counts for none of them.
//   `rests_on` lists the first responders a row's figure rests on, most people first
//   (by kind where more than five of a kind referred: "12 police forces"). A dual nationality
//   ("Albanian Greek") counts for each of its countries; `nationalities` shows the forms
//   as published. It reads the quarterly totals (REFERRED_QUARTER) that htkg derives
//   from REFERRED.
// caveat: With -p nation, only first responders registered for that nation alone count,
//   mostly police forces: a partial view, not the nation's total, since UK-wide bodies
//   (Home Office units, the NCA, local authorities, most NGOs) make most referrals
//   (nation-source-countries gives each nation's share). British Transport Police, of
//   three nations, counts in none of them. UK nationals are internal trafficking
//   (internal_trafficking true); -p exclude_uk=true leaves them out.
MATCH (o:Organisation)
WHERE ($kind IS NULL OR o.kind = $kind)
  AND ($nation IS NULL OR (size(o.nation) = 1 AND o.nation[0] = $nation))
WITH o
MATCH (o)-[r:REFERRED_QUARTER]->(c:Country)
WHERE ($year IS NULL OR r.year = $year)
  AND ($quarter IS NULL OR r.quarter = $quarter)
  AND ($start IS NULL OR r.year * 10 + r.quarter >= $start)
  AND ($end IS NULL OR r.year * 10 + r.quarter <= $end)
  AND (NOT $exclude_uk OR c.id <> 'country-gb')
WITH c, o, sum(r.people) AS made, collect(r.nationalities) AS forms,
     min(r.year * 10 + r.quarter) AS first, max(r.year * 10 + r.quarter) AS last
ORDER BY made DESC, o.name
WITH c, o.kind AS kind, collect(o.name) AS names, sum(made) AS made,
     reduce(f = [], l IN collect(forms) | f + l) AS forms, min(first) AS first,
     max(last) AS last
ORDER BY made DESC, kind
WITH c, collect({kind: kind, names: names}) AS groups, sum(made) AS people,
     reduce(f = [], l IN collect(forms) | f + l) AS forms, min(first) AS first,
     max(last) AS last
RETURN c.name AS country, c.iso2 AS iso2, people, c.id = 'country-gb' AS internal_trafficking,
       reduce(n = 0, g IN groups | n + size(g.names)) AS responders,
       reduce(s = [], g IN groups |
              s + CASE WHEN size(g.names) > 5
                       THEN [toString(size(g.names)) + ' ' +
                             CASE g.kind WHEN 'police_force' THEN 'police forces'
                                         WHEN 'ngo' THEN 'NGOs'
                                         WHEN 'agency' THEN 'agencies'
                                         ELSE replace(g.kind, '_', ' ') + ' bodies' END]
                       ELSE g.names END) AS rests_on,
       reduce(seen = [], l IN forms | seen + [n IN l WHERE NOT n IN seen]) AS nationalities,
       toString(first / 10) + 'Q' + toString(first % 10) + '-' +
         toString(last / 10) + 'Q' + toString(last % 10) AS quarters
ORDER BY people DESC, country
LIMIT $limit
