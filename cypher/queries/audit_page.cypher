// A keyset page of the audit trail, newest first, from the unique index on seq.
MATCH (a:AuditRecord)
WHERE a.seq < $before
  AND ($operation IS NULL OR a.operation = $operation)
  AND ($actor IS NULL OR a.actor = $actor)
  AND ($outcome IS NULL OR a.outcome = $outcome)
  AND ($since IS NULL OR a.at >= $since)
  AND ($until IS NULL OR a.at < $until)
RETURN properties(a) AS props
ORDER BY a.seq DESC
LIMIT $limit
