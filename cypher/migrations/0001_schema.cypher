// 0001: uniqueness of ids for every node kind, indexes for every lookup key, full-text search.
// Every statement is idempotent (IF NOT EXISTS); the migrator records the version when all ran.

CREATE CONSTRAINT entity_id IF NOT EXISTS FOR (n:Entity) REQUIRE n.id IS UNIQUE;
CREATE INDEX entity_source IF NOT EXISTS FOR (n:Entity) ON (n.source);

CREATE CONSTRAINT regulation_id IF NOT EXISTS FOR (n:Regulation) REQUIRE n.id IS UNIQUE;
CREATE INDEX regulation_celex IF NOT EXISTS FOR (n:Regulation) ON (n.celex);

CREATE CONSTRAINT provision_id IF NOT EXISTS FOR (n:Provision) REQUIRE n.id IS UNIQUE;
CREATE INDEX provision_regulation IF NOT EXISTS FOR (n:Provision) ON (n.regulation);
CREATE INDEX provision_level IF NOT EXISTS FOR (n:Provision) ON (n.level);
CREATE INDEX provision_ref IF NOT EXISTS FOR (n:Provision) ON (n.ref);

CREATE CONSTRAINT standard_id IF NOT EXISTS FOR (n:Standard) REQUIRE n.id IS UNIQUE;
CREATE INDEX standard_family IF NOT EXISTS FOR (n:Standard) ON (n.family);
CREATE INDEX standard_version IF NOT EXISTS FOR (n:Standard) ON (n.version);

CREATE CONSTRAINT module_id IF NOT EXISTS FOR (n:Module) REQUIRE n.id IS UNIQUE;
CREATE INDEX module_standard IF NOT EXISTS FOR (n:Module) ON (n.standard);
CREATE INDEX module_code IF NOT EXISTS FOR (n:Module) ON (n.code);

CREATE CONSTRAINT control_id IF NOT EXISTS FOR (n:Control) REQUIRE n.id IS UNIQUE;
CREATE INDEX control_standard IF NOT EXISTS FOR (n:Control) ON (n.standard);
CREATE INDEX control_code IF NOT EXISTS FOR (n:Control) ON (n.code);
CREATE INDEX control_level IF NOT EXISTS FOR (n:Control) ON (n.level);

CREATE CONSTRAINT threat_id IF NOT EXISTS FOR (n:Threat) REQUIRE n.id IS UNIQUE;
CREATE INDEX threat_code IF NOT EXISTS FOR (n:Threat) ON (n.code);

CREATE CONSTRAINT mitigation_id IF NOT EXISTS FOR (n:Mitigation) REQUIRE n.id IS UNIQUE;
CREATE INDEX mitigation_code IF NOT EXISTS FOR (n:Mitigation) ON (n.code);

CREATE CONSTRAINT risk_id IF NOT EXISTS FOR (n:Risk) REQUIRE n.id IS UNIQUE;
CREATE INDEX risk_owner IF NOT EXISTS FOR (n:Risk) ON (n.owner);

CREATE CONSTRAINT asset_id IF NOT EXISTS FOR (n:Asset) REQUIRE n.id IS UNIQUE;
CREATE INDEX asset_type IF NOT EXISTS FOR (n:Asset) ON (n.type);
CREATE INDEX asset_owner IF NOT EXISTS FOR (n:Asset) ON (n.owner);

CREATE CONSTRAINT ai_system_id IF NOT EXISTS FOR (n:AISystem) REQUIRE n.id IS UNIQUE;
CREATE INDEX ai_system_risk_class IF NOT EXISTS FOR (n:AISystem) ON (n.riskClass);
CREATE INDEX ai_system_role IF NOT EXISTS FOR (n:AISystem) ON (n.role);
CREATE INDEX ai_system_owner IF NOT EXISTS FOR (n:AISystem) ON (n.owner);

CREATE CONSTRAINT implementation_id IF NOT EXISTS FOR (n:Implementation) REQUIRE n.id IS UNIQUE;
CREATE INDEX implementation_status IF NOT EXISTS FOR (n:Implementation) ON (n.status);
CREATE INDEX implementation_owner IF NOT EXISTS FOR (n:Implementation) ON (n.owner);

CREATE CONSTRAINT evidence_id IF NOT EXISTS FOR (n:Evidence) REQUIRE n.id IS UNIQUE;
CREATE INDEX evidence_valid_until IF NOT EXISTS FOR (n:Evidence) ON (n.validUntil);

CREATE CONSTRAINT assessment_id IF NOT EXISTS FOR (n:Assessment) REQUIRE n.id IS UNIQUE;
CREATE INDEX assessment_result IF NOT EXISTS FOR (n:Assessment) ON (n.result);
CREATE INDEX assessment_assessed_at IF NOT EXISTS FOR (n:Assessment) ON (n.assessedAt);

CREATE CONSTRAINT import_run_id IF NOT EXISTS FOR (n:ImportRun) REQUIRE n.id IS UNIQUE;
CREATE INDEX import_run_started_at IF NOT EXISTS FOR (n:ImportRun) ON (n.startedAt);

CREATE FULLTEXT INDEX text_search IF NOT EXISTS FOR (n:Regulation|Provision|Standard|Module|Control|Threat|Mitigation) ON EACH [n.title, n.text];
