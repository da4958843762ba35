// Relationships this source wrote in an earlier run and no longer holds.
MATCH (n:Entity {source: $source})-[r]->()
WHERE r.source = $source AND r.lastRun <> $run
DELETE r
RETURN count(r) AS n
