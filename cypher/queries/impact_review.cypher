// Settle a suspect link: confirm it (it still holds), reject it (kept, marked), or retarget it to
// a successor: a new link of the same kind and properties with the changed item's end replaced by
// the successor, the old one marked. Records who and when. Returns nothing when the link is not a
// suspect or a retarget's successor is missing.
MATCH ()-[r]->() WHERE elementId(r) = $link AND r.review = 'suspect'
WITH r, startNode(r) AS s, endNode(r) AS e, type(r) AS kind
OPTIONAL MATCH (succ:Entity {id: $successor}) USING INDEX succ:Entity(id)
WITH r, s, e, kind, succ WHERE $decision <> 'retargeted' OR succ IS NOT NULL
SET r.review = $decision, r.reviewedBy = $reviewer, r.reviewedAt = $now, r.reviewNotes = $notes
WITH r, kind, succ,
     CASE WHEN s.id = r.suspectItem THEN succ ELSE s END AS ns,
     CASE WHEN e.id = r.suspectItem THEN succ ELSE e END AS ne
CALL (r, kind, ns, ne) {
  WITH * WHERE $decision = 'retargeted' AND kind = 'MAPS_TO'
  CREATE (ns)-[n:MAPS_TO]->(ne)
  SET n = properties(r), n.source = 'api', n.key = $link, n.review = 'retargeted-from', n.retargetedFrom = $link
}
CALL (r, kind, ns, ne) {
  WITH * WHERE $decision = 'retargeted' AND kind = 'SATISFIES'
  CREATE (ns)-[n:SATISFIES]->(ne)
  SET n = properties(r), n.source = 'api', n.key = $link, n.review = 'retargeted-from', n.retargetedFrom = $link
}
RETURN type(r) AS kind, startNode(r).id AS from, endNode(r).id AS to, r.review AS review
