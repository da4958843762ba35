MATCH (u:Entity {id: $under}) USING INDEX u:Entity(id)
MATCH (p:Provision)-[:PART_OF*1..6]->(u)
WHERE $level IS NULL OR p.level = $level
RETURN count(DISTINCT p) AS n
