// name: connection
// description: Shortest chains of relationships between two entities, each step with its sources
// param: from (entity, required) where the chain starts: id, name or alias
// param: to (entity, required) where it ends
// param: limit (int, default 10) most paths to return
// example: htkg query connection -p from="Royal Mail" -p to="Home Office"
// example: htkg query connection -p from=GLAA -p to=Nigeria --format json
// note: Paths have at most 6 steps and do not pass through NRM referral figures
//   (REFERRED), which would link every responder to every nationality.
MATCH (a {id: $from}), (b {id: $to})
WHERE a <> b
MATCH p = allShortestPaths((a)-[:MEMBER_OF|ATTENDED|SENT_APOLOGIES|OWNS|AGREED_AT|MEETING_OF|
                               OPERATES_IN|REGULATES|ACTIVE_IN|SUCCEEDED_BY|PART_OF|
                               WORKS_WITH|LEADS|MENTIONED_IN|SERVES*..6]-(b))
WITH p, nodes(p) AS ns, relationships(p) AS rs
WITH p, ns, rs,
     [i IN range(0, size(rs) - 1) |
      {step: i + 1, from: ns[i].name, from_id: ns[i].id,
       relationship: type(rs[i]), capacity: rs[i].capacity, paragraph: rs[i].paragraph,
       direction: CASE WHEN startNode(rs[i]) = ns[i] THEN '->' ELSE '<-' END,
       to: ns[i + 1].name, to_id: ns[i + 1].id, sources: rs[i].sources}] AS steps
RETURN size(rs) AS length,
       reduce(text = ns[0].name, s IN steps |
              text + CASE s.direction WHEN '->' THEN ' -[' ELSE ' <-[' END +
              s.relationship + coalesce(' ' + s.capacity, '') + coalesce(' ¶' + s.paragraph, '') +
              CASE s.direction WHEN '->' THEN ']-> ' ELSE ']- ' END + s.to) AS path,
       steps
ORDER BY length, path
LIMIT $limit
