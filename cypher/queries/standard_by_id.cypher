MATCH (s:Standard {id: $id})
RETURN properties(s) AS props
