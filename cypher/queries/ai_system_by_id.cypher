MATCH (s:AISystem {id: $id}) USING INDEX s:AISystem(id)
RETURN properties(s) AS props
