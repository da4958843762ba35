// Test migrations: they touch only the MigrationTestNode label.
CREATE CONSTRAINT migration_test_id IF NOT EXISTS FOR (n:MigrationTestNode) REQUIRE n.id IS UNIQUE;
CREATE INDEX migration_test_name IF NOT EXISTS FOR (n:MigrationTestNode) ON (n.name);
