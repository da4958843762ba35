// The global id lookup starts from the unique index on Entity.id.
MATCH (n:Entity {id: $id})
RETURN [l IN labels(n) WHERE l <> 'Entity'][0] AS kind, properties(n) AS props
