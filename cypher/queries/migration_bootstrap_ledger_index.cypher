CREATE INDEX schema_migration_ledger IF NOT EXISTS FOR (m:SchemaMigration) ON (m.ledger)
