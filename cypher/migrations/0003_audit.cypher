// 0003: the audit trail. Records are found by their id, read in sequence order (keyset pages
// and chain verification) and filtered by time, operation, actor and outcome.

CREATE CONSTRAINT audit_log_id IF NOT EXISTS FOR (n:AuditLog) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT audit_record_id IF NOT EXISTS FOR (n:AuditRecord) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT audit_record_seq IF NOT EXISTS FOR (n:AuditRecord) REQUIRE n.seq IS UNIQUE;
CREATE INDEX audit_record_at IF NOT EXISTS FOR (n:AuditRecord) ON (n.at);
CREATE INDEX audit_record_operation IF NOT EXISTS FOR (n:AuditRecord) ON (n.operation);
CREATE INDEX audit_record_actor IF NOT EXISTS FOR (n:AuditRecord) ON (n.actor);
CREATE INDEX audit_record_outcome IF NOT EXISTS FOR (n:AuditRecord) ON (n.outcome);
