// name: organisation-profile
// description: Everything known about one body, each fact with its sources
// param: organisation (organisation, required) the body: id, name or alias ("GLA", "FCO")
// example: htkg query organisation-profile -p organisation="Royal Mail"
// example: htkg query organisation-profile -p organisation=SOCA --format json
// note: Referrals are summed into one row (people, countries, quarters, files); the
//   referrals query lists each figure with its file and line. The body's status property
//   says whether it still exists; other_status says the same of each body it is linked to.
CALL {
  MATCH (o:Organisation {id: $organisation})
  UNWIND [k IN keys(o) WHERE NOT k IN ['id', 'sources']] AS k
  RETURN 0 AS part, 'property' AS fact, null AS direction, k AS name, null AS other_id,
         null AS other_label, o[k] AS value, null AS other_status, o.sources AS sources,
         '' AS rkey
  UNION ALL
  MATCH (o:Organisation {id: $organisation})-[r]->(x)
  WHERE NOT type(r) IN ['REFERRED', 'REFERRED_QUARTER']
  RETURN 1 AS part, type(r) AS fact, 'out' AS direction, x.name AS name, x.id AS other_id,
         labels(x)[0] AS other_label,
         [k IN keys(r) WHERE NOT k IN ['key', 'sources'] | k + ': ' + toString(r[k])] AS value,
         x.status AS other_status, r.sources AS sources, r.key AS rkey
  UNION ALL
  MATCH (o:Organisation {id: $organisation})<-[r]-(x)
  RETURN 1 AS part, type(r) AS fact, 'in' AS direction, x.name AS name, x.id AS other_id,
         labels(x)[0] AS other_label,
         [k IN keys(r) WHERE NOT k IN ['key', 'sources'] | k + ': ' + toString(r[k])] AS value,
         x.status AS other_status, r.sources AS sources, r.key AS rkey
  UNION ALL
  MATCH (o:Organisation {id: $organisation})-[r:REFERRED_QUARTER]->(c:Country)
  WITH sum(r.people) AS people, count(DISTINCT c) AS countries,
       min(r.year * 10 + r.quarter) AS first, max(r.year * 10 + r.quarter) AS last,
       collect(r.sources) AS srcs
  WHERE countries > 0
  RETURN 2 AS part, 'REFERRED (summary)' AS fact, 'out' AS direction,
         toString(countries) + ' countries' AS name, null AS other_id,
         'Country' AS other_label,
         ['people: ' + toString(people),
          'quarters: ' + toString(first / 10) + 'Q' + toString(first % 10) + '-' +
          toString(last / 10) + 'Q' + toString(last % 10)] AS value, null AS other_status,
         reduce(acc = [], s IN reduce(flat = [], l IN srcs | flat + l) |
                CASE WHEN split(s, ' (')[0] IN acc THEN acc ELSE acc + split(s, ' (')[0] END)
           AS sources, '' AS rkey
}
RETURN fact, direction, name, other_id, other_label, value, other_status, sources
ORDER BY part, fact, direction, other_label, name, other_id, rkey
