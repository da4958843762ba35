// Two regulations and three standards for the end-to-end tests.
UNWIND $regulations AS r
MERGE (n:Entity:Regulation {id: r.id})
SET n += r
WITH count(*) AS done
UNWIND $standards AS s
MERGE (n:Entity:Standard {id: s.id})
SET n += s
RETURN count(*) AS n
