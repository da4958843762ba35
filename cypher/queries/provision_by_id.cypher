MATCH (p:Provision {id: $id}) USING INDEX p:Provision(id)
RETURN properties(p) AS props
