// The audit records after a sequence number, oldest first, for verifying the hash chain.
MATCH (a:AuditRecord)
WHERE a.seq > $after
RETURN properties(a) AS props
ORDER BY a.seq
LIMIT $limit
