// What hangs off the given items: mappings and SATISFIES that point at them (with the other end
// and their review state: links a reviewer settled are left out), and implementations of them
// with their targets, assessments and evidence. Anchored on the items.
UNWIND $ids AS id
MATCH (c:Control {id: id}) USING INDEX c:Control(id)
CALL (c) {
  OPTIONAL MATCH (c)-[m:MAPS_TO|SATISFIES]-(o)
  WITH m, o WHERE m IS NOT NULL AND NOT coalesce(m.review, '') IN ['confirmed', 'rejected', 'retargeted']
  RETURN collect({kind: type(m), link: elementId(m), from: startNode(m).id, to: endNode(m).id, relationship: m.relationship,
    source: m.source, other: o.id, review: m.review}) AS links
}
CALL (c) {
  OPTIONAL MATCH (i:Implementation)-[:IMPLEMENTS]->(c)
  WITH i WHERE i IS NOT NULL
  OPTIONAL MATCH (i)-[:ON]->(t)
  RETURN collect({id: i.id, status: i.status, target: t.id,
    assessments: COUNT { (:Assessment)-[:ASSESSES]->(i) }, evidence: COUNT { (:Evidence)-[:SUPPORTS]->(i) }}) AS implementations
}
RETURN c.id AS id, links, implementations
