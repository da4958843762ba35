CREATE INDEX migration_test_kind IF NOT EXISTS FOR (n:MigrationTestNode) ON (n.kind);
