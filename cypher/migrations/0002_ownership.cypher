// 0002: multi-source ownership. Import runs are found by source; every loaded relationship is
// found by its source (stale removal) and mappings by review status.

CREATE INDEX import_run_source_name IF NOT EXISTS FOR (n:ImportRun) ON (n.sourceName);

CREATE INDEX rel_part_of_source IF NOT EXISTS FOR ()-[r:PART_OF]-() ON (r.source);
CREATE INDEX rel_refers_to_source IF NOT EXISTS FOR ()-[r:REFERS_TO]-() ON (r.source);
CREATE INDEX rel_maps_to_source IF NOT EXISTS FOR ()-[r:MAPS_TO]-() ON (r.source);
CREATE INDEX rel_maps_to_status IF NOT EXISTS FOR ()-[r:MAPS_TO]-() ON (r.status);
CREATE INDEX rel_satisfies_source IF NOT EXISTS FOR ()-[r:SATISFIES]-() ON (r.source);
CREATE INDEX rel_satisfies_status IF NOT EXISTS FOR ()-[r:SATISFIES]-() ON (r.status);
CREATE INDEX rel_applies_to_source IF NOT EXISTS FOR ()-[r:APPLIES_TO]-() ON (r.source);
CREATE INDEX rel_depends_on_source IF NOT EXISTS FOR ()-[r:DEPENDS_ON]-() ON (r.source);
CREATE INDEX rel_implements_source IF NOT EXISTS FOR ()-[r:IMPLEMENTS]-() ON (r.source);
CREATE INDEX rel_on_source IF NOT EXISTS FOR ()-[r:ON]-() ON (r.source);
CREATE INDEX rel_supports_source IF NOT EXISTS FOR ()-[r:SUPPORTS]-() ON (r.source);
CREATE INDEX rel_threatens_source IF NOT EXISTS FOR ()-[r:THREATENS]-() ON (r.source);
CREATE INDEX rel_mitigates_source IF NOT EXISTS FOR ()-[r:MITIGATES]-() ON (r.source);
CREATE INDEX rel_realises_source IF NOT EXISTS FOR ()-[r:REALISES]-() ON (r.source);
CREATE INDEX rel_assesses_source IF NOT EXISTS FOR ()-[r:ASSESSES]-() ON (r.source);
CREATE INDEX rel_supersedes_source IF NOT EXISTS FOR ()-[r:SUPERSEDES]-() ON (r.source);
CREATE INDEX rel_selects_source IF NOT EXISTS FOR ()-[r:SELECTS]-() ON (r.source);
