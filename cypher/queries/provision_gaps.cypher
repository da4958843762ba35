// Gaps: the provisions under a root with no provision below them, each with the chains by which
// controls of the given standards reach it (SATISFIES, after at most 3 MAPS_TO, cut to
// $maxDepth); a leaf whose chains all compose too weak (in Go) or that has none is a gap.
// Anchored on the root's index; bounded patterns; at most 50 chains a leaf.
MATCH (root:Entity {id: $under}) USING INDEX root:Entity(id)
MATCH (leaf:Provision)-[:PART_OF*0..6]->(root)
WHERE leaf.regulation = $regulation AND NOT EXISTS { (:Provision)-[:PART_OF]->(leaf) }
WITH DISTINCT leaf
CALL (leaf) {
  OPTIONAL MATCH chain = (c:Control)-[:MAPS_TO*0..3]-(c0:Control)-[:SATISFIES]->(leaf)
  WHERE length(chain) <= $maxDepth + 1 AND c.standard IN $standards
  WITH chain LIMIT 50
  RETURN collect(CASE WHEN chain IS NOT NULL THEN
    [r IN relationships(chain) | {from: startNode(r).id, to: endNode(r).id, relationship: r.relationship, strength: r.strength}]
  END) AS chains, collect(CASE WHEN chain IS NOT NULL THEN nodes(chain)[0].id END) AS starts
}
RETURN properties(leaf) AS props, chains, starts
ORDER BY leaf.order, leaf.id
