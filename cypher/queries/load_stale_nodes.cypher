// Release the nodes this source held in an earlier run and no longer holds: a node nobody holds
// any more is deleted; a node other sources hold stays, and becomes a stub when no full holder is
// left (its text stays until a full source writes it again).
MATCH (prev:ImportRun {sourceName: $source}) USING INDEX prev:ImportRun(sourceName)
WHERE prev.id <> $run
MATCH (n)-[o:IMPORTED_BY]->(prev)
DELETE o
WITH DISTINCT n
OPTIONAL MATCH (n)-[h:IMPORTED_BY]->(other:ImportRun)
WITH n, collect(CASE WHEN other IS NOT NULL THEN {source: other.sourceName, stub: h.stub} END) AS holders
WITH n, holders, [x IN holders WHERE NOT x.stub | x.source] AS full
CALL (n, holders, full) {
  WITH * WHERE size(holders) > 0
  SET n.sources = [x IN holders | x.source],
      n.stub = size(full) = 0,
      n.source = CASE
        WHEN n.source IN [x IN holders | x.source] THEN n.source
        WHEN size(full) > 0 THEN full[0]
        ELSE holders[0].source END
}
CALL (n, holders) {
  WITH * WHERE size(holders) = 0
  DETACH DELETE n
}
RETURN count(CASE WHEN size(holders) = 0 THEN 1 END) AS n
