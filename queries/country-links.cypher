// name: country-links
// description: Every UK body connected to a source country, and how (minutes 6.1-6.5)
// param: country (country, required) the country: name, ISO code or demonym
// example: htkg query country-links -p country=Nigeria
// example: htkg query country-links -p country=AL --format json
// note: Referral rows come first, the bodies that referred most people first; each gives
//   total people over every loaded quarter, and the latest quarter with its count; their
//   sources are the NRM files (line-level rows: the referrals query).
//   A mention row means the body is named in the same agenda item as the country.
//   status says whether the body still exists, and if not what succeeded it; a current body
//   also lists, as inherited, the countries a body it succeeded worked in.
CALL {
  MATCH (c:Country {id: $country})<-[r:REFERRED_QUARTER]-(o:Organisation)
  WITH o, r.year AS year, r.quarter AS quarter, r.people AS people,
       [r.sources] AS srcs
  ORDER BY year DESC, quarter DESC
  WITH o, collect({year: year, quarter: quarter, people: people}) AS periods,
       sum(people) AS total, collect(srcs) AS srcs
  WITH o, periods, total,
       reduce(acc = [], s IN reduce(flat = [], l IN srcs |
                                    flat + reduce(f = [], x IN l | f + x)) |
              CASE WHEN split(s, ' (')[0] IN acc THEN acc ELSE acc + split(s, ' (')[0] END)
         AS files
  RETURN o, 'referred people to the NRM' AS connection,
         toString(periods[-1].year) + 'Q' + toString(periods[-1].quarter) + ' to ' +
           toString(periods[0].year) + 'Q' + toString(periods[0].quarter) + ', ' +
           toString(size(periods)) + ' quarter(s) with referrals' AS detail,
         null AS paragraph, null AS meeting, total AS total_people,
         toString(periods[0].year) + 'Q' + toString(periods[0].quarter) AS latest_quarter,
         periods[0].people AS latest_people, files AS sources
  UNION ALL
  MATCH (c:Country {id: $country})<-[r:ACTIVE_IN]-(o:Organisation)
  RETURN o, 'works in the country' AS connection, null AS detail, null AS paragraph,
         null AS meeting, null AS total_people, null AS latest_quarter, null AS latest_people,
         r.sources AS sources
  UNION ALL
  MATCH (c:Country {id: $country})<-[r:ACTIVE_IN]-(old:Organisation)
        -[:SUCCEEDED_BY*1..8]->(o:Organisation)
  WHERE o.status = 'current' AND NOT EXISTS { MATCH (o)-[:ACTIVE_IN]->(c) }
  RETURN o, 'works in the country (inherited)' AS connection,
         'inherited from ' + old.name + coalesce(', dissolved ' + old.dissolved, '') +
           ', which it succeeded' AS detail, null AS paragraph, null AS meeting,
         null AS total_people, null AS latest_quarter, null AS latest_people,
         r.sources AS sources
  UNION ALL
  MATCH (c:Country {id: $country})<-[r:ACTIVE_IN]-(i:Initiative)<-[l:LEADS]-(o:Organisation)
  RETURN o, 'leads a programme there' AS connection, i.name AS detail, null AS paragraph,
         null AS meeting, null AS total_people, null AS latest_quarter, null AS latest_people,
         r.sources + l.sources AS sources
  UNION ALL
  MATCH (c:Country {id: $country})-[cm:MENTIONED_IN]->(m:Meeting)<-[om:MENTIONED_IN]-(o:Organisation)
  WHERE split(om.paragraph, '.')[0] = split(cm.paragraph, '.')[0]
  WITH o, m, om, cm ORDER BY cm.paragraph
  WITH o, m, om, collect(DISTINCT cm.paragraph) AS country_paragraphs
  RETURN o, 'named in minutes discussing the country' AS connection,
         'the country at ¶' + reduce(t = head(country_paragraphs), p IN tail(country_paragraphs) |
                                     t + ', ' + p) AS detail,
         om.paragraph AS paragraph, m.date AS meeting, null AS total_people,
         null AS latest_quarter, null AS latest_people, om.sources AS sources
  UNION ALL
  MATCH (c:Country {id: $country})-[cm:MENTIONED_IN]->(m:Meeting)<-[:AGREED_AT]-(a:Action)
        <-[ow:OWNS]-(o:Organisation)
  WHERE cm.paragraph STARTS WITH a.item + '.'
  WITH o, m, a, ow, min(cm.paragraph) AS first
  RETURN o, 'owns an action agreed where the country was discussed' AS connection,
         'item ' + a.item + ': ' + a.text AS detail, null AS paragraph, m.date AS meeting,
         null AS total_people, null AS latest_quarter, null AS latest_people,
         ow.sources AS sources
}
RETURN o.name AS body, o.id AS body_id, o.kind AS kind, o.status AS status, connection, detail,
       paragraph, meeting, total_people, latest_quarter, latest_people, sources
ORDER BY coalesce(total_people, -1) DESC, body, connection, paragraph, detail
