// name: top-source-countries
// description: Nationalities ranked by people referred to the NRM (minutes 6.3)
// param: year (int) only referrals in this year
// param: quarter (int) only referrals in this quarter (1-4)
// param: kind (kind) only first responders of this kind (ngo, local_authority, police_force...)
// param: nation (nation) only first responders registered for that nation alone (see the caveat)
// param: exclude_uk (bool, default false) leave out UK nationals (internal trafficking)
// param: exploitation (exploitation) only people referred for this exploitation type
//   (Labour: labour exploitation alone; Labour & Criminal is a type of its own)
// param: start (quarter) only referrals from this quarter on (YYYYQn)
// param: end (quarter) only referrals up to this quarter (YYYYQn)
// param: limit (int, default 10) how many countries
// example: htkg query top-source-countries -p year=2023 -p quarter=4
// example: htkg query top-source-countries -p nation=Scotland -p exclude_uk=true
// example: htkg query top-source-countries -p start=2022Q3 -p end=2023Q2
// example: htkg query top-source-countries -p exploitation=labour -p year=2023
// note: The NRM tables do not say where in the UK a referral was made; they say who made
//   it. With a nation, only referrals by first responders registered for that nation
//   alone count, as in nation-source-countries (which sets the nations side by side and
//   gives each figure's share of the UK's referrals): the police forces of that nation
//   (their nation from the official geography), with TARA for Scotland, BAWSO for Wales
//   and Belfast and Lisburn Women's Aid for Northern Ireland where they referred.
//   A body of several nations (British Transport Police) counts for none of them.
//   `rests_on` lists the first responders a row's figure rests on, most people first
//   (by kind where more than five of a kind referred: "12 police forces", placed by the
//   people they referred together). A dual nationality
//   ("Albanian Greek") counts for each of its countries; `nationalities` shows the forms
//   as published. It reads the quarterly totals (REFERRED_QUARTER) that htkg derives
//   from REFERRED, and REFERRED itself for an exploitation type. left_out is how many more
//   people of the row's nationality the published tables count that no relationship
//   holds (under a first responder htkg could not resolve; none with a kind or nation
//   filter, since such a responder's kind and nation are not known), and left_out_why
//   says why: people + left_out is the published figure.
// caveat: With -p nation, only first responders registered for that nation alone count,
//   mostly police forces: a partial view, not the nation's total, since UK-wide bodies
//   (Home Office units, the NCA, local authorities, most NGOs) make most referrals
//   (nation-source-countries gives each nation's share). British Transport Police, of
//   three nations, counts in none of them. UK nationals are internal trafficking
//   (internal_trafficking true); -p exclude_uk=true leaves them out. People whose
//   nationality the tables publish as Unknown are in no row (htkg query unattributed
//   lists them); left_out gives what each row leaves out.
CALL {
  MATCH (o:Organisation)
  WHERE $exploitation IS NULL AND ($kind IS NULL OR o.kind = $kind)
    AND ($nation IS NULL OR (size(o.nation) = 1 AND o.nation[0] = $nation))
  WITH o
  MATCH (o)-[r:REFERRED_QUARTER]->(c:Country)
  WHERE ($year IS NULL OR r.year = $year) AND ($quarter IS NULL OR r.quarter = $quarter)
    AND ($start IS NULL OR r.year * 10 + r.quarter >= $start)
    AND ($end IS NULL OR r.year * 10 + r.quarter <= $end)
    AND (NOT $exclude_uk OR c.id <> 'country-gb')
  RETURN o, c, r.year * 10 + r.quarter AS yq, r.people AS people, r.nationalities AS forms
  UNION ALL
  MATCH (o:Organisation)
  WHERE $exploitation IS NOT NULL AND ($kind IS NULL OR o.kind = $kind)
    AND ($nation IS NULL OR (size(o.nation) = 1 AND o.nation[0] = $nation))
  WITH o
  MATCH (o)-[r:REFERRED]->(c:Country)
  WHERE r.exploitation = $exploitation
    AND ($year IS NULL OR r.year = $year) AND ($quarter IS NULL OR r.quarter = $quarter)
    AND ($start IS NULL OR r.year * 10 + r.quarter >= $start)
    AND ($end IS NULL OR r.year * 10 + r.quarter <= $end)
    AND (NOT $exclude_uk OR c.id <> 'country-gb')
  RETURN o, c, r.year * 10 + r.quarter AS yq, r.people AS people, [r.nationality] AS forms
}
WITH c, o, sum(people) AS made, collect(forms) AS forms, min(yq) AS first, max(yq) AS last
ORDER BY made DESC, o.name
WITH c, o.kind AS kind, collect({name: o.name, made: made}) AS bodies, sum(made) AS made,
     reduce(f = [], l IN collect(forms) | f + l) AS forms, min(first) AS first,
     max(last) AS last
WITH c, kind, made, forms, first, last, size(bodies) AS n,
     CASE WHEN size(bodies) > 5
          THEN [{name: toString(size(bodies)) + ' ' +
                       CASE kind WHEN 'police_force' THEN 'police forces'
                                      WHEN 'ngo' THEN 'NGOs'
                                      WHEN 'agency' THEN 'agencies'
                                      ELSE replace(kind, '_', ' ') + ' bodies' END,
                 made: made}]
          ELSE bodies END AS entries
WITH c, sum(made) AS people, sum(n) AS responders,
     reduce(s = [], l IN collect(entries) | s + l) AS entries,
     reduce(f = [], l IN collect(forms) | f + l) AS forms, min(first) AS first,
     max(last) AS last
WITH c, people, responders, entries, forms, first, last
ORDER BY people DESC, c.name
LIMIT $limit
CALL {
  WITH c
  OPTIONAL MATCH (u:Unattributed)
  WHERE $kind IS NULL AND $nation IS NULL AND c.id IN coalesce(u.countries, [])
    AND ($exploitation IS NULL OR u.exploitation = $exploitation)
    AND ($year IS NULL OR u.year = $year) AND ($quarter IS NULL OR u.quarter = $quarter)
    AND ($start IS NULL OR u.year * 10 + u.quarter >= $start)
    AND ($end IS NULL OR u.year * 10 + u.quarter <= $end)
  RETURN sum(coalesce(u.people, 0)) AS left_out,
         collect(CASE WHEN u IS NULL THEN null ELSE {reason: u.reason, people: u.people,
          what: CASE u.reason WHEN 'responder_unresolved' THEN u.responder
                              ELSE u.nationality END} END) AS whys
}
RETURN c.name AS country, c.iso2 AS iso2, people, c.id = 'country-gb' AS internal_trafficking,
       responders,
       [e IN reduce(s = [], e IN entries |
                    [x IN s WHERE x.made > e.made OR (x.made = e.made AND x.name <= e.name)]
                    + [e] +
                    [x IN s WHERE x.made < e.made OR (x.made = e.made AND x.name > e.name)])
        | e.name] AS rests_on,
       reduce(seen = [], l IN forms | seen + [n IN l WHERE NOT n IN seen]) AS nationalities,
       toString(first / 10) + 'Q' + toString(first % 10) + '-' +
         toString(last / 10) + 'Q' + toString(last % 10) AS quarters,
       left_out,
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
               t + CASE WHEN t = '' THEN '' ELSE ', ' END + v)] AS left_out_why
ORDER BY people DESC, country
