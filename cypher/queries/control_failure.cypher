// What a failed control reaches: its implementations (on $target only, when given), the AI
// systems that are or depend on their targets (at most 6 DEPENDS_ON, the shortest path each), and
// the risks the control mitigates with what they threaten. Anchored on the control's index.
MATCH (c:Control {id: $control}) USING INDEX c:Control(id)
CALL (c) {
  OPTIONAL MATCH (i:Implementation)-[:IMPLEMENTS]->(c)
  OPTIONAL MATCH (i)-[:ON]->(t)
  WITH i, t WHERE i IS NOT NULL AND ($target IS NULL OR t.id = $target)
  RETURN collect(properties(i)) AS implementations, collect(DISTINCT t) AS targets
}
CALL (targets) {
  UNWIND targets AS t
  MATCH dep = (s:AISystem)-[:DEPENDS_ON*0..6]->(t)
  WITH s, dep ORDER BY length(dep), reduce(k = '', n IN nodes(dep) | k + '>' + n.id)
  WITH s, collect(dep)[0] AS dep
  RETURN collect({system: properties(s),
    depNodes: [n IN nodes(dep) | {id: n.id, kind: [l IN labels(n) WHERE l <> 'Entity'][0], title: n.title}]}) AS systems
}
CALL (c) {
  OPTIONAL MATCH (c)-[:MITIGATES]->(r:Risk)
  OPTIONAL MATCH (r)-[:THREATENS]->(x)
  WITH r, collect(CASE WHEN x IS NOT NULL THEN {id: x.id, kind: [l IN labels(x) WHERE l <> 'Entity'][0], title: x.title} END) AS threatened
  WHERE r IS NOT NULL
  RETURN collect({risk: properties(r), targets: threatened}) AS risks
}
RETURN properties(c) AS control, implementations, systems, risks
