// Upsert a batch of relationships of one source between nodes found by id. The source (and the
// row's key, for two maps between the same items) is part of the relationship's identity: two
// sources asserting the same link keep a relationship each, with their own properties, and each
// source's reload replaces only its own.
UNWIND $rows AS row
MATCH (a:Entity {id: row.from})
MATCH (b:Entity {id: row.to})
MERGE (a)-[r:$(row.kind) {source: $source, key: row.key}]->(b)
SET r = row.props, r.source = $source, r.key = row.key, r.run = $run
RETURN count(r) AS n
