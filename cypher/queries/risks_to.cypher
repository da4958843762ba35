// The risks that threaten a target or anything it depends on (at most 6 DEPENDS_ON), each with
// its threat, targets and mitigating controls with their implementations. Anchored on the
// target's index; bounded.
MATCH (x:Entity {id: $target}) USING INDEX x:Entity(id)
MATCH (x)-[:DEPENDS_ON*0..6]->(y)<-[:THREATENS]-(r:Risk)
WITH DISTINCT r
CALL (r) {
  OPTIONAL MATCH (r)-[:REALISES]->(t:Threat)
  RETURN CASE WHEN t IS NULL THEN null ELSE {id: t.id, kind: 'Threat', title: t.title} END AS threat
}
CALL (r) {
  OPTIONAL MATCH (r)-[:THREATENS]->(y)
  RETURN collect(CASE WHEN y IS NOT NULL THEN {id: y.id, kind: [l IN labels(y) WHERE l <> 'Entity'][0], title: y.title} END) AS targets
}
CALL (r) {
  OPTIONAL MATCH (c:Control)-[:MITIGATES]->(r)
  WITH c WHERE c IS NOT NULL
  OPTIONAL MATCH (i:Implementation)-[:IMPLEMENTS]->(c)
  WITH c, collect(properties(i)) AS impls
  RETURN collect({node: {id: c.id, kind: 'Control', title: c.title}, implementations: impls}) AS controls
}
RETURN properties(r) AS risk, threat, targets, controls
ORDER BY coalesce(r.score, 0) DESC, r.id
