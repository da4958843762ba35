// Upsert a batch of relationships of one source between nodes found by id.
UNWIND $rows AS row
MATCH (a:Entity {id: row.from})
MATCH (b:Entity {id: row.to})
MERGE (a)-[r:$(row.kind)]->(b)
SET r += row.props, r.source = $source, r.lastRun = $run
RETURN count(r) AS n
