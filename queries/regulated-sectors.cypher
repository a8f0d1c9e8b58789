// name: regulated-sectors
// description: Sectors, their regulators and organisations, and where minutes discuss them (4.5)
// param: sector (sector) only this sector
// example: htkg query regulated-sectors
// example: htkg query regulated-sectors -p sector=agriculture --format json
MATCH (s:Sector)
WHERE $sector IS NULL OR s.id = $sector
OPTIONAL MATCH (regulator:Organisation)-[reg:REGULATES]->(s)
WITH s, regulator, reg ORDER BY regulator.name
WITH s, collect(regulator.name) AS regulators, collect(reg.sources) AS reg_sources
OPTIONAL MATCH (o:Organisation)-[:OPERATES_IN]->(s)
WITH s, regulators, reg_sources, o ORDER BY o.name
WITH s, regulators, reg_sources, collect(o.name) AS organisations
OPTIONAL MATCH (s)-[men:MENTIONED_IN]->(m:Meeting)
WITH s, regulators, reg_sources, organisations, m, men ORDER BY m.date, men.paragraph
WITH s, regulators, reg_sources, organisations,
     collect(m.date + ' ¶' + men.paragraph) AS discussed
WHERE size(regulators) > 0 OR size(organisations) > 0 OR $sector IS NOT NULL
RETURN s.name AS sector, s.id AS id, coalesce(s.high_risk, false) AS high_risk, regulators,
       organisations, discussed,
       reduce(acc = [], l IN reg_sources | acc + [x IN l WHERE NOT x IN acc]) AS sources
ORDER BY sector
