MATCH (p:Provision {id: $id})
RETURN p.stub AS stub, p.source AS source, p.title AS title, p.text AS text, p.sources AS sources,
       COUNT { (:Control)-[:SATISFIES]->(p) } AS satisfiedBy
