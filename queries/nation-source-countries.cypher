// name: nation-source-countries
// description: Top source countries in each UK nation and in the UK as a whole, side by side (6.3)
// param: year (int) only referrals in this year
// param: quarter (int) only referrals in this quarter (1-4)
// param: limit (int, default 5) how many countries for each nation
// param: exclude_uk (bool, default false) leave out UK nationals (internal trafficking)
// example: htkg query nation-source-countries -p year=2023 -p quarter=4
// example: htkg query nation-source-countries -p year=2023 -p exclude_uk=true --format csv
// note: The NRM tables do not say where in the UK a referral was made; they say who made
//   it. A nation's figure is the referrals by the first responders registered for that
//   nation alone (each body's `nation`: for police forces, from the official geography).
//   Bodies registered for several nations but not the whole UK (British Transport
//   Police: England, Scotland and Wales) count once, in a row named after their nations;
//   UK-wide bodies (all four nations) count only for the United Kingdom, whose rows count every first
//   responder. `rests_on` lists the responders a row's figure rests on, most people
//   first (by kind where more than five of a kind referred: "39 police forces");
//   `uk_share_percent` is the share of all people referred in the period (by every
//   first responder) that they made, each person counted once. Equal figures share a rank. `quarters` gives the quarters with
//   referrals from those responders (the bundled source has no police table for
//   2023 Q3). A dual nationality ("Albanian Greek") counts for each of its countries.
//   It reads REFERRED for the shares and the quarterly totals (REFERRED_QUARTER) for
//   the rankings.
// caveat: A nation's figure counts only first responders registered for that nation
//   alone, mostly police forces. UK-wide bodies (Home Office units, the NCA, local
//   authorities, most NGOs), which make most referrals, count only for the United
//   Kingdom. So a nation's figure is a partial view, not that nation's total:
//   uk_share_percent says how much of the UK's referrals in the period its responders
//   made. British Transport Police (England, Scotland and Wales) counts once, in a row
//   of its own. UK nationals are internal trafficking (internal_trafficking true);
//   -p exclude_uk=true leaves them out.
MATCH (o:Organisation)-[r:REFERRED]->(:Country)
WHERE ($year IS NULL OR r.year = $year) AND ($quarter IS NULL OR r.quarter = $quarter)
WITH o, r.year * 10 + r.quarter AS yq, r.exploitation AS x, r.nationality AS n,
     max(r.people) AS people
WITH o, collect(DISTINCT yq) AS yqs, sum(people) AS made
WITH o, yqs, made,
     CASE WHEN o.nation IS NULL OR size(o.nation) = 0 OR size(o.nation) = 4 THEN ['GB']
          ELSE ['GB', reduce(k = '', c IN o.nation |
                             k + CASE WHEN k = '' THEN '' ELSE ',' END + c)] END AS areas
UNWIND areas AS area
WITH area, o, yqs, made
ORDER BY made DESC, o.name
WITH area, o.kind AS kind, collect(o.id) AS ids, collect(o.name) AS names,
     collect(yqs) AS kind_yqs, sum(made) AS made
ORDER BY made DESC, kind
WITH area, collect({kind: kind, ids: ids, names: names, made: made}) AS groups,
     reduce(s = [], l IN collect(kind_yqs) | s + reduce(t = [], m IN l | t + m)) AS all_yqs,
     sum(made) AS area_people
WITH area, groups, area_people,
     reduce(s = [], v IN all_yqs | CASE WHEN v IN s THEN s ELSE s + v END) AS yqs
WITH collect({area: area, groups: groups, people: area_people, yqs: yqs}) AS all_areas
WITH all_areas, [a IN all_areas WHERE a.area = 'GB'][0].people AS uk_people
UNWIND all_areas AS a
WITH a, uk_people, reduce(s = [], g IN a.groups | s + g.ids) AS ids
MATCH (o:Organisation)-[r:REFERRED_QUARTER]->(c:Country)
WHERE o.id IN ids
  AND ($year IS NULL OR r.year = $year) AND ($quarter IS NULL OR r.quarter = $quarter)
  AND (NOT $exclude_uk OR c.id <> 'country-gb')
WITH a, uk_people, ids, c, sum(r.people) AS people
ORDER BY people DESC, c.name
WITH a, uk_people, ids,
     collect({country: c.name, iso2: c.iso2, internal: c.id = 'country-gb', people: people})
       AS ranked
UNWIND range(0, size(ranked) - 1) AS i
WITH a, uk_people, ids, ranked, ranked[i] AS row, i
WHERE i < $limit
WITH a, uk_people, ids, row, 1 + size([x IN ranked WHERE x.people > row.people]) AS rank,
     reduce(lo = 99999, v IN a.yqs | CASE WHEN v < lo THEN v ELSE lo END) AS first,
     reduce(hi = 0, v IN a.yqs | CASE WHEN v > hi THEN v ELSE hi END) AS last,
     [c IN split(a.area, ',') | CASE c WHEN 'GB' THEN 'United Kingdom'
                                       WHEN 'GB-ENG' THEN 'England'
                                       WHEN 'GB-SCT' THEN 'Scotland'
                                       WHEN 'GB-WLS' THEN 'Wales'
                                       WHEN 'GB-NIR' THEN 'Northern Ireland'
                                       ELSE c END] AS nations
RETURN CASE WHEN size(nations) = 1 THEN nations[0]
            ELSE reduce(t = nations[0], n IN nations[1..] | t + ', ' + n) +
                 ' (bodies of these nations only)' END AS nation,
       rank, row.country AS country, row.people AS people,
       row.internal AS internal_trafficking,
       CASE WHEN a.area = 'GB' THEN ['every first responder (' + toString(size(ids)) + ')']
            ELSE reduce(s = [], g IN a.groups |
                        s + CASE WHEN size(g.names) > 5
                                 THEN [toString(size(g.names)) + ' ' +
                                       CASE g.kind WHEN 'police_force' THEN 'police forces'
                                                   WHEN 'ngo' THEN 'NGOs'
                                                   WHEN 'agency' THEN 'agencies'
                                                   ELSE replace(g.kind, '_', ' ') + ' bodies'
                                       END]
                                 ELSE g.names END) END AS rests_on,
       round(1000.0 * a.people / uk_people) / 10.0 AS uk_share_percent,
       CASE WHEN first = last THEN toString(first / 10) + 'Q' + toString(first % 10)
            ELSE toString(first / 10) + 'Q' + toString(first % 10) + '-' +
                 toString(last / 10) + 'Q' + toString(last % 10) END +
         ' (' + toString(size(a.yqs)) + ' quarter' +
         CASE WHEN size(a.yqs) = 1 THEN '' ELSE 's' END + ')' AS quarters
ORDER BY CASE a.area WHEN 'GB' THEN 0 WHEN 'GB-ENG' THEN 1 WHEN 'GB-SCT' THEN 2
                     WHEN 'GB-WLS' THEN 3 WHEN 'GB-NIR' THEN 4 ELSE 5 END, a.area, rank,
         people DESC, country
