MATCH (n) WHERE (n:SchemaMigration AND n.ledger = $ledger) OR (n:SchemaLock AND n.id = $ledger)
DETACH DELETE n
