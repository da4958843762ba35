// Model a module or control onto a target; MERGE keeps it idempotent. Returns nothing when an
// end is missing or of the wrong kind.
MATCH (m:Entity {id: $module}) USING INDEX m:Entity(id)
WHERE m:Module OR m:Control
MATCH (t:Entity {id: $target}) USING INDEX t:Entity(id)
WHERE t:Asset OR t:AISystem
MERGE (m)-[r:APPLIES_TO {source: 'api', key: ''}]->(t)
RETURN count(r) AS n
