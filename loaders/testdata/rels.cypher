MATCH (:Entity {id: $from})-[r]->(:Entity {id: $to})
RETURN type(r) AS kind, r.source AS source, r.key AS key, properties(r) AS props
ORDER BY source, key
