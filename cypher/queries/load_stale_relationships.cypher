// Relationships this source wrote in an earlier run and no longer holds. One branch per kind so
// each starts from that kind's index on source; a test checks every loaded kind is listed.
CALL () {
  MATCH ()-[r:PART_OF {source: $source}]->() WHERE coalesce(r.run, "") <> $run DELETE r RETURN count(*) AS n
  UNION ALL
  MATCH ()-[r:REFERS_TO {source: $source}]->() WHERE coalesce(r.run, "") <> $run DELETE r RETURN count(*) AS n
  UNION ALL
  MATCH ()-[r:MAPS_TO {source: $source}]->() WHERE coalesce(r.run, "") <> $run DELETE r RETURN count(*) AS n
  UNION ALL
  MATCH ()-[r:SATISFIES {source: $source}]->() WHERE coalesce(r.run, "") <> $run DELETE r RETURN count(*) AS n
  UNION ALL
  MATCH ()-[r:APPLIES_TO {source: $source}]->() WHERE coalesce(r.run, "") <> $run DELETE r RETURN count(*) AS n
  UNION ALL
  MATCH ()-[r:DEPENDS_ON {source: $source}]->() WHERE coalesce(r.run, "") <> $run DELETE r RETURN count(*) AS n
  UNION ALL
  MATCH ()-[r:IMPLEMENTS {source: $source}]->() WHERE coalesce(r.run, "") <> $run DELETE r RETURN count(*) AS n
  UNION ALL
  MATCH ()-[r:ON {source: $source}]->() WHERE coalesce(r.run, "") <> $run DELETE r RETURN count(*) AS n
  UNION ALL
  MATCH ()-[r:SUPPORTS {source: $source}]->() WHERE coalesce(r.run, "") <> $run DELETE r RETURN count(*) AS n
  UNION ALL
  MATCH ()-[r:THREATENS {source: $source}]->() WHERE coalesce(r.run, "") <> $run DELETE r RETURN count(*) AS n
  UNION ALL
  MATCH ()-[r:MITIGATES {source: $source}]->() WHERE coalesce(r.run, "") <> $run DELETE r RETURN count(*) AS n
  UNION ALL
  MATCH ()-[r:REALISES {source: $source}]->() WHERE coalesce(r.run, "") <> $run DELETE r RETURN count(*) AS n
  UNION ALL
  MATCH ()-[r:ASSESSES {source: $source}]->() WHERE coalesce(r.run, "") <> $run DELETE r RETURN count(*) AS n
  UNION ALL
  MATCH ()-[r:SUPERSEDES {source: $source}]->() WHERE coalesce(r.run, "") <> $run DELETE r RETURN count(*) AS n
  UNION ALL
  MATCH ()-[r:SELECTS {source: $source}]->() WHERE coalesce(r.run, "") <> $run DELETE r RETURN count(*) AS n
}
RETURN sum(n) AS n
