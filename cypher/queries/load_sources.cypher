// The sources loaded, with their latest run and how many nodes that run holds.
MATCH (r:ImportRun)
WITH r.sourceName AS source, r ORDER BY r.startedAt DESC
WITH source, collect(r)[0] AS last, count(r) AS runs
RETURN source, last.id AS run, last.loader AS loader, last.version AS version,
       toString(last.startedAt) AS startedAt, runs,
       COUNT { (n)-[:IMPORTED_BY]->(last) } AS nodes
ORDER BY source
