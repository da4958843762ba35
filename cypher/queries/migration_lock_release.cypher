MATCH (l:SchemaLock {id: $ledger})
WHERE l.owner = $owner
SET l.owner = null, l.expiresAt = null
