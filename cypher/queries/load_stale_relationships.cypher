// Relationships this source wrote in an earlier run and no longer holds. One branch per kind so
// each starts from that kind's index on source; a test checks every loaded kind is listed.
CALL () {
  MATCH ()-[r:PART_OF {source: $source}]->() USING INDEX r:PART_OF(source) WHERE coalesce(r.run, "") <> $run DELETE r RETURN count(*) AS n
  UNION ALL
  MATCH ()-[r:REFERS_TO {source: $source}]->() USING INDEX r:REFERS_TO(source) WHERE coalesce(r.run, "") <> $run DELETE r RETURN count(*) AS n
  UNION ALL
  MATCH ()-[r:MAPS_TO {source: $source}]->() USING INDEX r:MAPS_TO(source) WHERE coalesce(r.run, "") <> $run DELETE r RETURN count(*) AS n
  UNION ALL
  MATCH ()-[r:SATISFIES {source: $source}]->() USING INDEX r:SATISFIES(source) WHERE coalesce(r.run, "") <> $run DELETE r RETURN count(*) AS n
  UNION ALL
  MATCH ()-[r:APPLIES_TO {source: $source}]->() USING INDEX r:APPLIES_TO(source) WHERE coalesce(r.run, "") <> $run DELETE r RETURN count(*) AS n
  UNION ALL
  MATCH ()-[r:DEPENDS_ON {source: $source}]->() USING INDEX r:DEPENDS_ON(source) WHERE coalesce(r.run, "") <> $run DELETE r RETURN count(*) AS n
  UNION ALL
  MATCH ()-[r:IMPLEMENTS {source: $source}]->() USING INDEX r:IMPLEMENTS(source) WHERE coalesce(r.run, "") <> $run DELETE r RETURN count(*) AS n
  UNION ALL
  MATCH ()-[r:ON {source: $source}]->() USING INDEX r:ON(source) WHERE coalesce(r.run, "") <> $run DELETE r RETURN count(*) AS n
  UNION ALL
  MATCH ()-[r:SUPPORTS {source: $source}]->() USING INDEX r:SUPPORTS(source) WHERE coalesce(r.run, "") <> $run DELETE r RETURN count(*) AS n
  UNION ALL
  MATCH ()-[r:THREATENS {source: $source}]->() USING INDEX r:THREATENS(source) WHERE coalesce(r.run, "") <> $run DELETE r RETURN count(*) AS n
  UNION ALL
  MATCH ()-[r:MITIGATES {source: $source}]->() USING INDEX r:MITIGATES(source) WHERE coalesce(r.run, "") <> $run DELETE r RETURN count(*) AS n
  UNION ALL
  MATCH ()-[r:REALISES {source: $source}]->() USING INDEX r:REALISES(source) WHERE coalesce(r.run, "") <> $run DELETE r RETURN count(*) AS n
  UNION ALL
  MATCH ()-[r:ASSESSES {source: $source}]->() USING INDEX r:ASSESSES(source) WHERE coalesce(r.run, "") <> $run DELETE r RETURN count(*) AS n
  UNION ALL
  MATCH ()-[r:SUPERSEDES {source: $source}]->() USING INDEX r:SUPERSEDES(source) WHERE coalesce(r.run, "") <> $run DELETE r RETURN count(*) AS n
  UNION ALL
  MATCH ()-[r:SELECTS {source: $source}]->() USING INDEX r:SELECTS(source) WHERE coalesce(r.run, "") <> $run DELETE r RETURN count(*) AS n
}
RETURN sum(n) AS n
