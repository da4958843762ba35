MATCH (:Entity {id: $from})-[r:MAPS_TO]->(t)
RETURN t.id AS to, r.review AS review
ORDER BY r.review
