// name: attendance
// description: Who attended each meeting, for whom, in what capacity, remotely or not; apologies
// param: meeting (meeting) only this meeting (id, name or date)
// param: person (person) only entries for this person
// param: organisation (organisation) only entries for this organisation
// example: htkg query attendance -p meeting=2013-03-11
// example: htkg query attendance -p organisation=FCO
// note: The minutes loader records an attendee twice, from the person and from the body
//   represented, with the body as written; one row joins the two.
MATCH (x)-[r:ATTENDED|SENT_APOLOGIES]->(m:Meeting)
WHERE $meeting IS NULL OR m.id = $meeting
WITH m, r, x,
     CASE WHEN type(r) = 'ATTENDED' THEN 'attended' ELSE 'apologies' END AS status
ORDER BY x.name
WITH m, status, r.organisation_as_written AS as_written, r.capacity AS capacity,
     r.on_behalf_of AS on_behalf_of,
     collect(CASE WHEN 'Person' IN labels(x) THEN x.name END) AS people,
     collect(CASE WHEN 'Person' IN labels(x) THEN x.id END) AS person_ids,
     collect(CASE WHEN 'Organisation' IN labels(x) THEN x.name END) AS organisations,
     collect(CASE WHEN 'Organisation' IN labels(x) THEN x.id END) AS organisation_ids,
     collect(r.remote) AS remote_flags, collect(r.sources) AS srcs
WHERE ($person IS NULL OR $person IN person_ids)
  AND ($organisation IS NULL OR $organisation IN organisation_ids)
RETURN m.date AS date, m.id AS meeting, status,
       CASE WHEN size(organisations) > 0 THEN organisations[0] END AS organisation,
       as_written AS organisation_as_written,
       CASE WHEN size(people) > 0 THEN people[0] END AS person,
       capacity, on_behalf_of, true IN remote_flags AS remote,
       reduce(acc = [], l IN srcs |
              acc + [s IN l WHERE NOT s IN acc]) AS sources
ORDER BY date, meeting, status DESC, organisation, person, capacity
