// For each provision in $ids (one statement for all the provisions of a request), the controls
// that satisfy it or one under it: a control SATISFIES the provision (or
// one PART_OF it), itself or through a chain of MAPS_TO between controls, in either direction.
// Anchored on the provision's index; every variable-length pattern is bounded (the chain at 3,
// cut to $maxDepth); the rows are the paths, composed in Go.
UNWIND $ids AS pid
MATCH (p:Provision {id: pid}) USING INDEX p:Provision(id)
MATCH up = (sub:Provision)-[:PART_OF*0..6]->(p)
MATCH (c0:Control)-[s:SATISFIES]->(sub)
MATCH chain = (c:Control)-[:MAPS_TO*0..3]-(c0)
WHERE length(chain) <= $maxDepth
  AND ($standards IS NULL OR c.standard IN $standards)
WITH pid, c, s, sub, chain, up
ORDER BY pid, length(chain), c.id, sub.id
WITH pid, collect({c: c, s: s, sub: sub, chain: chain, up: up})[..$limit] AS found
UNWIND found AS f
WITH pid, f.c AS c, f.s AS s, f.sub AS sub, f.chain AS chain, f.up AS up
RETURN pid, properties(c) AS control, properties(sub) AS provision,
       [n IN nodes(chain) | {id: n.id, kind: 'Control', title: n.title}] AS chainNodes,
       [r IN relationships(chain) | {kind: type(r), from: startNode(r).id, to: endNode(r).id,
         relationship: r.relationship, strength: r.strength, rationale: r.rationale}] AS chainRels,
       {kind: 'SATISFIES', from: startNode(s).id, to: sub.id, relationship: s.relationship,
         strength: s.strength, rationale: s.rationale} AS satisfies,
       [n IN nodes(up) | {id: n.id, kind: 'Provision', title: coalesce(n.ref, n.title)}] AS upNodes
