MATCH (c:Control {standard: $standard}) USING INDEX c:Control(standard)
WHERE $level IS NULL OR c.level = $level
RETURN count(c) AS n
