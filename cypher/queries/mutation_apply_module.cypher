// Model a module or control onto a target; MERGE keeps it idempotent, and a link a loaded source
// already holds counts as applied. Returns 0 when an end is missing or of the wrong kind. The
// MERGE names no relationship property: with one, the planner may scan the relationship index
// instead of expanding between the two nodes it already has.
MATCH (m:Entity {id: $module}) USING INDEX m:Entity(id)
WHERE m:Module OR m:Control
MATCH (t:Entity {id: $target}) USING INDEX t:Entity(id)
WHERE t:Asset OR t:AISystem
MERGE (m)-[r:APPLIES_TO]->(t)
  ON CREATE SET r.source = 'api', r.key = ''

RETURN count(r) AS n
