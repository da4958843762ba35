MATCH (i:Implementation {id: $id})
RETURN i.status AS status
