// Keyset page: ids after the cursor, in id order, one extra row to tell whether more follow.
MATCH (s:Standard)
WHERE s.id > $after
RETURN properties(s) AS props
ORDER BY s.id
LIMIT $limit
