// The AI systems that are or depend on (at most 6 DEPENDS_ON) any of the targets, each with its
// shortest dependency path (ties broken by the ids on it). Anchored on the targets' index.
UNWIND $targets AS tid
MATCH (t:Entity {id: tid}) USING INDEX t:Entity(id)
MATCH dep = (s:AISystem)-[:DEPENDS_ON*0..6]->(t)
WITH s, dep ORDER BY length(dep), reduce(k = '', n IN nodes(dep) | k + '>' + n.id)
WITH s, collect(dep)[0] AS dep
RETURN properties(s) AS system,
       [n IN nodes(dep) | {id: n.id, kind: [l IN labels(n) WHERE l <> 'Entity'][0], title: n.title}] AS depNodes
ORDER BY s.id
