// Append one audit record and make its hash the head of the chain. Records are never updated.
MATCH (l:AuditLog {id: 'audit'})
CREATE (a:AuditRecord {id: $id})
SET a += $props, l.head = $props.hash
RETURN a.seq AS seq
