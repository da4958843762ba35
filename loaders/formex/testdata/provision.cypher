MATCH (p:Provision {id: $id})
OPTIONAL MATCH (p)-[:REFERS_TO]->(t:Entity)
RETURN p.text AS text, p.ref AS ref, collect(t.id) AS refersTo
