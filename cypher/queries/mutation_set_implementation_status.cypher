MATCH (i:Implementation {id: $id}) USING INDEX i:Implementation(id)
SET i.status = $status, i.notes = coalesce($notes, i.notes)
RETURN properties(i) AS props
