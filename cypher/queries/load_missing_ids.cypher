// Which of these ids have no node: relationship endpoints to report instead of dropping.
UNWIND $ids AS id
OPTIONAL MATCH (n:Entity {id: id}) USING INDEX n:Entity(id)
WITH id, n
WHERE n IS NULL
RETURN collect(id) AS missing
