// Keyset page: ids after the cursor, in id order, one extra row to tell whether more follow.
MATCH (r:Regulation)
WHERE r.id > $after
RETURN properties(r) AS props
ORDER BY r.id
LIMIT $limit
