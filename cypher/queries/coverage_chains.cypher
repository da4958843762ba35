// The provisions under the roots with no provision below them (leaves), each with the chains by
// which controls reach it: SATISFIES of the leaf or of a provision it is part of (up to the root),
// after at most 3 MAPS_TO in either direction (cut to $maxDepth), from controls of the given
// standards (all when null). Anchored on the roots'
// index; every pattern is bounded. The chains are composed in Go.
UNWIND $roots AS rootId
MATCH (root:Entity {id: rootId}) USING INDEX root:Entity(id)
MATCH (leaf:Provision)-[:PART_OF*0..6]->(root)
WHERE ($regulation IS NULL OR leaf.regulation = $regulation)
  AND NOT EXISTS { (:Provision)-[:PART_OF]->(leaf) }
WITH DISTINCT leaf, root
CALL (leaf, root) {
  // A control that satisfies the leaf or a provision it is part of (up to the root) reaches it.
  MATCH up = (leaf)-[:PART_OF*0..6]->(root)
  UNWIND [n IN nodes(up) WHERE n:Provision] AS at
  OPTIONAL MATCH chain = (c:Control)-[:MAPS_TO*0..3]-(:Control)-[:SATISFIES]->(at)
  WHERE length(chain) <= $maxDepth + 1 AND ($standards IS NULL OR c.standard IN $standards)
  // The three shortest chains of each control (parallel links, e.g. one SATISFIES per aspect,
  // would otherwise crowd out other controls), at most 200 controls, all in a stable order.
  WITH c, chain, at ORDER BY c.id, length(chain), at = leaf DESC,
    reduce(k = '', r IN relationships(chain) | k + '>' + coalesce(r.relationship, '') + coalesce(r.key, '') + endNode(r).id)
  WITH c, collect({chain: chain, at: at.id})[..3] AS best
  WHERE c IS NOT NULL
  ORDER BY c.id
  LIMIT 200
  UNWIND best AS b
  WITH b.chain AS chain, b.at AS at
  RETURN collect({
    control: properties(nodes(chain)[0]), at: at,
    nodes: [n IN nodes(chain) | {id: n.id, kind: [l IN labels(n) WHERE l <> 'Entity'][0], title: coalesce(n.ref, n.title)}],
    links: [r IN relationships(chain) | {kind: type(r), from: startNode(r).id, to: endNode(r).id,
      relationship: r.relationship, strength: r.strength, rationale: r.rationale}]
  }) AS chains
}
RETURN properties(leaf) AS props, chains
ORDER BY leaf.regulation, leaf.order, leaf.id
