MERGE (m:SchemaMigration {id: $id})
ON CREATE SET m.appliedAt = datetime()
SET m.ledger = $ledger, m.version = $version, m.name = $name, m.checksum = $checksum,
    m.statements = $statements
