// Upsert a batch of nodes of one source. Kinds come from the vocabulary's allowlist (checked in
// Go); the id lookup uses the unique index on Entity.id.
UNWIND $rows AS row
OPTIONAL MATCH (old:Entity {id: row.id})
WITH row, old IS NULL AS created
MERGE (n:Entity {id: row.id})
SET n:$(row.kind)
SET n += row.props, n.source = $source, n.lastRun = $run, n.firstSeen = coalesce(n.firstSeen, $now)
RETURN count(CASE WHEN created THEN 1 END) AS created, count(*) AS seen
