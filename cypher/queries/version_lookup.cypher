// Items of the newer catalog by id: what became of the items a version no longer holds.
UNWIND $ids AS id
MATCH (c:Control {id: id}) USING INDEX c:Control(id)
RETURN properties(c) AS props
