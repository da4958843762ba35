// Keyset page of the provisions under a node (at most 6 levels down) in id order.
MATCH (u:Entity {id: $under}) USING INDEX u:Entity(id)
MATCH (p:Provision)-[:PART_OF*1..6]->(u)
WHERE p.id > $after AND ($level IS NULL OR p.level = $level)
WITH DISTINCT p
RETURN properties(p) AS props
ORDER BY p.id
LIMIT $limit
