// Advance the audit chain. The SET locks the AuditLog node until the transaction ends, so records
// get gap-free sequence numbers in commit order; the unique constraint makes the MERGE safe.
MERGE (l:AuditLog {id: 'audit'})
  ON CREATE SET l.seq = 0, l.head = ''
SET l.seq = l.seq + 1
RETURN l.seq AS seq, l.head AS prev
