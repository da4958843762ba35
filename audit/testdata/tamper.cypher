MATCH (a:AuditRecord {id: $id})
SET a.operation = $operation
