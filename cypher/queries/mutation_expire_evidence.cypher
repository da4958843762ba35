MATCH (e:Evidence {id: $id}) USING INDEX e:Evidence(id)
SET e.validUntil = $at
RETURN properties(e) AS props
