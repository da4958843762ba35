MATCH (n:Entity) USING INDEX n:Entity(id)
WHERE n.id STARTS WITH $prefix
RETURN count(n) AS n
