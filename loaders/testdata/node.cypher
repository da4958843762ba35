MATCH (n:Entity {id: $id})
OPTIONAL MATCH (n)-[:IMPORTED_BY]->(r:ImportRun)
RETURN properties(n) AS props, labels(n) AS labels, collect(r.sourceName) AS holders
