// Take the node's write lock first (SET), so that the owner check below reads the latest
// committed owner and two migrators cannot both win.
MERGE (l:SchemaLock {id: $ledger})
SET l.lockedAt = datetime()
WITH l
WHERE l.owner IS NULL OR l.owner = $owner OR l.expiresAt < datetime()
SET l.owner = $owner, l.expiresAt = datetime() + duration({seconds: $leaseSeconds})
RETURN l.owner AS owner
