// Provenance of one load; the root nodes of the source point at it.
CREATE (r:Entity:ImportRun {id: $run})
SET r += $props, r.startedAt = datetime($now)
WITH r
UNWIND $roots AS rootId
MATCH (root:Entity {id: rootId})
MERGE (root)-[:IMPORTED_BY]->(r)
RETURN count(*) AS n
