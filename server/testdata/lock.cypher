// Takes the write lock of an implementation until the transaction ends.
MATCH (i:Implementation {id: $id})
SET i.lockedByTest = true
