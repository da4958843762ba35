MATCH (c:Control {id: $id}) USING INDEX c:Control(id)
RETURN properties(c) AS props
