// The implementations of the given controls on each AI system or on anything it depends on (at
// most 6 DEPENDS_ON down), with the shortest dependency path (ties broken by the ids on it) and
// the evidence. Anchored on the systems' index; bounded.
UNWIND $systems AS sid
MATCH (sys:AISystem {id: sid}) USING INDEX sys:AISystem(id)
MATCH dep = (sys)-[:DEPENDS_ON*0..6]->(t)
WITH sys, t, dep ORDER BY length(dep), reduce(k = '', n IN nodes(dep) | k + '>' + n.id)
WITH sys, t, collect(dep)[0] AS dep
MATCH (i:Implementation)-[:ON]->(t)
MATCH (i)-[:IMPLEMENTS]->(c:Control)
WHERE c.id IN $controls
OPTIONAL MATCH (e:Evidence)-[:SUPPORTS]->(i)
WITH sys, t, dep, i, c, collect(properties(e)) AS evidence
RETURN sys.id AS system, c.id AS control, properties(i) AS implementation,
       [n IN nodes(dep) | {id: n.id, kind: [l IN labels(n) WHERE l <> 'Entity'][0], title: n.title}] AS depNodes,
       evidence
ORDER BY system, control, i.id
