// Record a version change: the newer version SUPERSEDES the older one, and each link given is
// flagged suspect with its reason (kept, never deleted). One transaction; idempotent.
MATCH (newer:Standard {id: $to}) USING INDEX newer:Standard(id)
MATCH (older:Standard {id: $from}) USING INDEX older:Standard(id)
MERGE (newer)-[s:SUPERSEDES]->(older)
  ON CREATE SET s.source = 'api', s.key = '', s.at = $now
WITH newer
// Each link is found from its start node's index and expanded to its end (a seek by element id
// alone was planned as a scan of every relationship on a fresh database).
UNWIND $links AS l
MATCH (a:Entity {id: l.from}) USING INDEX a:Entity(id)
MATCH (a)-[r]->(b:Entity {id: l.to})
WHERE elementId(r) = l.link
SET r.review = coalesce(r.review, 'suspect'), r.suspectReason = l.reason, r.suspectSince = coalesce(r.suspectSince, $now),
    r.suspectChange = $from + ' -> ' + $to, r.suggestedSuccessor = l.successor, r.suspectItem = l.item
RETURN count(r) AS n
