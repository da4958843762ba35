MATCH (s:AISystem)
WHERE ($riskClass IS NULL OR s.riskClass = $riskClass) AND ($role IS NULL OR s.role = $role)
RETURN count(s) AS n
