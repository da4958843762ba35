// The head of the audit chain: the last sequence number and hash.
MATCH (l:AuditLog {id: 'audit'})
RETURN l.seq AS seq, l.head AS head
