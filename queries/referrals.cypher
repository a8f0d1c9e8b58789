// name: referrals
// description: NRM referral figures as loaded, each with its source file and line
// param: country (country) only people of this nationality
// param: responder (organisation) only referrals by this first responder
// param: year (int) only this year
// param: quarter (int) only this quarter (1-4)
// param: exploitation (exploitation) only people referred for this exploitation type
//   (Labour: labour exploitation alone; Labour & Criminal is a type of its own)
// param: limit (int, default 200) most rows to return
// example: htkg query referrals -p country=Nigerian -p year=2023
// example: htkg query referrals -p responder="Salvation Army" -p quarter=4 --format csv
// example: htkg query referrals -p country=Vietnam -p exploitation=labour -p year=2023
// note: Rows run by quarter, the largest figures of each quarter first. Starts from the
//   country when one is given, else from the responders (both anchors keep it fast on
//   the full NRM graph).
//   female and male add up the gender cells the tables publish within each age band
//   when no total by gender is published. The published cells that no relationship
//   holds (a nationality published as Unknown, names htkg could not resolve) are listed
//   by htkg query unattributed.
CALL {
  MATCH (c:Country) WHERE c.id = $country
  WITH c
  MATCH (c)<-[r:REFERRED]-(o:Organisation)
  RETURN o, r, c
  UNION ALL
  MATCH (o:Organisation) WHERE $country IS NULL AND ($responder IS NULL OR o.id = $responder)
  WITH o
  MATCH (o)-[r:REFERRED]->(c:Country)
  RETURN o, r, c
}
WITH o, r, c
WHERE ($responder IS NULL OR o.id = $responder)
  AND ($year IS NULL OR r.year = $year)
  AND ($quarter IS NULL OR r.quarter = $quarter)
  AND ($exploitation IS NULL OR r.exploitation = $exploitation)
RETURN r.year AS year, r.quarter AS quarter, o.name AS responder, c.name AS country,
       r.nationality AS nationality, r.exploitation AS exploitation, r.people AS people,
       r.adult AS adult, r.child AS child, r.age_unknown AS age_unknown,
       coalesce(r.female, CASE WHEN r.adult_female IS NULL AND r.child_female IS NULL
                                    AND r.age_unknown_female IS NULL THEN null
                               ELSE coalesce(r.adult_female, 0) + coalesce(r.child_female, 0)
                                    + coalesce(r.age_unknown_female, 0) END) AS female,
       coalesce(r.male, CASE WHEN r.adult_male IS NULL AND r.child_male IS NULL
                                  AND r.age_unknown_male IS NULL THEN null
                             ELSE coalesce(r.adult_male, 0) + coalesce(r.child_male, 0)
                                  + coalesce(r.age_unknown_male, 0) END) AS male,
       r.sources AS sources
ORDER BY year, quarter, people DESC, responder, country, exploitation, nationality
LIMIT $limit
