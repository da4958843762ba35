MATCH (m:SchemaMigration)
WHERE m.ledger = $ledger
RETURN m.version AS version, m.name AS name, m.checksum AS checksum
ORDER BY version
