MATCH (s:Standard)
RETURN count(s) AS n
