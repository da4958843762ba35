MATCH (r:Regulation)
RETURN count(r) AS n
