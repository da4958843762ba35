// The migration lock node is merged by id; this constraint makes concurrent merges safe.
CREATE CONSTRAINT schema_lock_id IF NOT EXISTS FOR (l:SchemaLock) REQUIRE l.id IS UNIQUE
