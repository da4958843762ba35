MATCH (a:Asset {id: $id}) USING INDEX a:Asset(id)
RETURN properties(a) AS props
