// Upsert a batch of relationships of one source between nodes found by id. The source (and the
// row's key, for two maps between the same items) is part of the relationship's identity: two
// sources asserting the same link keep a relationship each, with their own properties, and each
// source's reload replaces only its own.
//
// One subquery per kind, with the type written out: a MERGE on a dynamic type ($(row.kind)) was
// planned without Expand(Into) and got slower with every relationship in the graph. The index hints
// keep the plan right when it is cached while the graph is nearly empty. A test checks that every
// loaded kind has its subquery.
UNWIND $rows AS row
MATCH (a:Entity {id: row.from}) USING INDEX a:Entity(id)
MATCH (b:Entity {id: row.to}) USING INDEX b:Entity(id)
CALL (row, a, b) {
  WITH * WHERE row.kind = 'PART_OF'
  MERGE (a)-[r:PART_OF {source: $source, key: row.key}]->(b)
  SET r = row.props, r.source = $source, r.key = row.key, r.run = $run
}
CALL (row, a, b) {
  WITH * WHERE row.kind = 'REFERS_TO'
  MERGE (a)-[r:REFERS_TO {source: $source, key: row.key}]->(b)
  SET r = row.props, r.source = $source, r.key = row.key, r.run = $run
}
CALL (row, a, b) {
  WITH * WHERE row.kind = 'MAPS_TO'
  MERGE (a)-[r:MAPS_TO {source: $source, key: row.key}]->(b)
  SET r = row.props, r.source = $source, r.key = row.key, r.run = $run
}
CALL (row, a, b) {
  WITH * WHERE row.kind = 'SATISFIES'
  MERGE (a)-[r:SATISFIES {source: $source, key: row.key}]->(b)
  SET r = row.props, r.source = $source, r.key = row.key, r.run = $run
}
CALL (row, a, b) {
  WITH * WHERE row.kind = 'APPLIES_TO'
  MERGE (a)-[r:APPLIES_TO {source: $source, key: row.key}]->(b)
  SET r = row.props, r.source = $source, r.key = row.key, r.run = $run
}
CALL (row, a, b) {
  WITH * WHERE row.kind = 'DEPENDS_ON'
  MERGE (a)-[r:DEPENDS_ON {source: $source, key: row.key}]->(b)
  SET r = row.props, r.source = $source, r.key = row.key, r.run = $run
}
CALL (row, a, b) {
  WITH * WHERE row.kind = 'IMPLEMENTS'
  MERGE (a)-[r:IMPLEMENTS {source: $source, key: row.key}]->(b)
  SET r = row.props, r.source = $source, r.key = row.key, r.run = $run
}
CALL (row, a, b) {
  WITH * WHERE row.kind = 'ON'
  MERGE (a)-[r:ON {source: $source, key: row.key}]->(b)
  SET r = row.props, r.source = $source, r.key = row.key, r.run = $run
}
CALL (row, a, b) {
  WITH * WHERE row.kind = 'SUPPORTS'
  MERGE (a)-[r:SUPPORTS {source: $source, key: row.key}]->(b)
  SET r = row.props, r.source = $source, r.key = row.key, r.run = $run
}
CALL (row, a, b) {
  WITH * WHERE row.kind = 'THREATENS'
  MERGE (a)-[r:THREATENS {source: $source, key: row.key}]->(b)
  SET r = row.props, r.source = $source, r.key = row.key, r.run = $run
}
CALL (row, a, b) {
  WITH * WHERE row.kind = 'MITIGATES'
  MERGE (a)-[r:MITIGATES {source: $source, key: row.key}]->(b)
  SET r = row.props, r.source = $source, r.key = row.key, r.run = $run
}
CALL (row, a, b) {
  WITH * WHERE row.kind = 'REALISES'
  MERGE (a)-[r:REALISES {source: $source, key: row.key}]->(b)
  SET r = row.props, r.source = $source, r.key = row.key, r.run = $run
}
CALL (row, a, b) {
  WITH * WHERE row.kind = 'ASSESSES'
  MERGE (a)-[r:ASSESSES {source: $source, key: row.key}]->(b)
  SET r = row.props, r.source = $source, r.key = row.key, r.run = $run
}
CALL (row, a, b) {
  WITH * WHERE row.kind = 'SUPERSEDES'
  MERGE (a)-[r:SUPERSEDES {source: $source, key: row.key}]->(b)
  SET r = row.props, r.source = $source, r.key = row.key, r.run = $run
}
CALL (row, a, b) {
  WITH * WHERE row.kind = 'SELECTS'
  MERGE (a)-[r:SELECTS {source: $source, key: row.key}]->(b)
  SET r = row.props, r.source = $source, r.key = row.key, r.run = $run
}
RETURN count(*) AS n
