OPTIONAL MATCH (n:Entity {id: $id})
RETURN count(n) AS n
