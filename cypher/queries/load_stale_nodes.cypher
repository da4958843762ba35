// Nodes this source wrote in an earlier run and no longer holds.
MATCH (n:Entity {source: $source})
WHERE n.lastRun <> $run
DETACH DELETE n
RETURN count(n) AS n
