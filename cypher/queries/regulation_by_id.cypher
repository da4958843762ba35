MATCH (r:Regulation {id: $id})
RETURN properties(r) AS props
