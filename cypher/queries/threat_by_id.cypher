// A threat with the risks that realise it (their targets and controls) and what mitigates it
// (controls with their implementations, catalog mitigations), in one statement.
MATCH (t:Threat {id: $id}) USING INDEX t:Threat(id)
CALL (t) {
  OPTIONAL MATCH (r:Risk)-[:REALISES]->(t)
  WITH r WHERE r IS NOT NULL
  CALL (r) {
    OPTIONAL MATCH (r)-[:THREATENS]->(x)
    RETURN collect(CASE WHEN x IS NOT NULL THEN {id: x.id, kind: [l IN labels(x) WHERE l <> 'Entity'][0], title: x.title} END) AS targets
  }
  CALL (r) {
    OPTIONAL MATCH (c:Control)-[:MITIGATES]->(r)
    WITH c WHERE c IS NOT NULL
    OPTIONAL MATCH (i:Implementation)-[:IMPLEMENTS]->(c)
    WITH c, collect(properties(i)) AS impls
    RETURN collect({node: {id: c.id, kind: 'Control', title: c.title}, implementations: impls}) AS controls
  }
  RETURN collect({risk: properties(r), targets: targets, controls: controls}) AS risks
}
CALL (t) {
  OPTIONAL MATCH (m)-[:MITIGATES]->(t)
  WITH m WHERE m IS NOT NULL
  OPTIONAL MATCH (i:Implementation)-[:IMPLEMENTS]->(m)
  WITH m, collect(properties(i)) AS impls
  RETURN collect({node: {id: m.id, kind: [l IN labels(m) WHERE l <> 'Entity'][0], title: m.title}, implementations: impls}) AS mitigations
}
RETURN properties(t) AS props, risks, mitigations
