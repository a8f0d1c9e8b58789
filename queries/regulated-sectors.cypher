// name: regulated-sectors
// description: Sectors, their regulators (where, and whether current) and organisations; minutes (4.5)
// param: sector (sector) only this sector and its parts (utilities: energy and water)
// example: htkg query regulated-sectors
// example: htkg query regulated-sectors -p sector=agriculture --format json
// note: Each regulator is shown with the nations its remit covers (UK, Great Britain, or
//   each nation). A regulator that no longer exists is listed under former_regulators, with
//   when it ended and what succeeded it.
MATCH (s:Sector)
WHERE $sector IS NULL OR EXISTS { MATCH (s)-[:PART_OF*0..1]->(:Sector {id: $sector}) }
OPTIONAL MATCH (regulator:Organisation)-[reg:REGULATES]->(s)
WITH s, regulator, reg,
     CASE WHEN size(regulator.nation) = 4 THEN 'UK'
          WHEN regulator.nation = ['GB-ENG', 'GB-SCT', 'GB-WLS'] THEN 'Great Britain'
          ELSE reduce(t = '', n IN regulator.nation |
                      t + CASE t WHEN '' THEN '' ELSE ', ' END +
                      CASE n WHEN 'GB-ENG' THEN 'England' WHEN 'GB-NIR' THEN 'Northern Ireland'
                             WHEN 'GB-SCT' THEN 'Scotland' ELSE 'Wales' END) END AS remit
ORDER BY regulator.name
WITH s,
     collect(CASE WHEN regulator.status = 'current'
                  THEN regulator.name + coalesce(' (' + remit + ')', '') END) AS regulators,
     collect(CASE WHEN regulator.status <> 'current'
                  THEN regulator.name + ' (' + coalesce(remit + '; ', '') + regulator.status + ')'
             END) AS former_regulators,
     collect(reg.sources) AS reg_sources
OPTIONAL MATCH (o:Organisation)-[:OPERATES_IN]->(s)
WITH s, regulators, former_regulators, reg_sources, o ORDER BY o.name
WITH s, regulators, former_regulators, reg_sources,
     collect(o.name + CASE WHEN o.status = 'current' THEN '' ELSE ' (' + o.status + ')' END)
       AS organisations
OPTIONAL MATCH (s)-[men:MENTIONED_IN]->(m:Meeting)
WITH s, regulators, former_regulators, reg_sources, organisations, m, men
ORDER BY m.date, men.paragraph
WITH s, regulators, former_regulators, reg_sources, organisations,
     collect(m.date + ' ¶' + men.paragraph) AS discussed
WHERE size(regulators) + size(former_regulators) > 0 OR size(organisations) > 0
   OR $sector IS NOT NULL
RETURN s.name AS sector, s.id AS id, coalesce(s.high_risk, false) AS high_risk, regulators,
       former_regulators, organisations, discussed,
       reduce(acc = [], l IN reg_sources | acc + [x IN l WHERE NOT x IN acc]) AS sources
ORDER BY sector
