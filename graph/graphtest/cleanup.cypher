// Delete what a test wrote: every node whose id starts with the test's prefix (index-backed).
MATCH (n:Entity) USING INDEX n:Entity(id)
WHERE n.id STARTS WITH $prefix
DETACH DELETE n
