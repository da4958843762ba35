// Keyset page of AI systems in id order, optionally filtered; one extra row tells whether more follow.
MATCH (s:AISystem)
WHERE s.id > $after AND ($riskClass IS NULL OR s.riskClass = $riskClass) AND ($role IS NULL OR s.role = $role)
RETURN properties(s) AS props
ORDER BY s.id
LIMIT $limit
