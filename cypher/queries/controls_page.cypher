// Keyset page of a standard's controls in id order (the index on Control.standard), optionally at one level.
MATCH (c:Control {standard: $standard}) USING INDEX c:Control(standard)
WHERE c.id > $after AND ($level IS NULL OR c.level = $level)
RETURN properties(c) AS props
ORDER BY c.id
LIMIT $limit
