MATCH (n:Entity {source: $source})
OPTIONAL MATCH (n)-[r]->()
WHERE r.source = $source
RETURN count(DISTINCT n) AS nodes, count(r) AS rels
