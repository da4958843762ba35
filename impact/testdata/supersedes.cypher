MATCH (:Standard {id: $from})-[s:SUPERSEDES]->(:Standard {id: $to})
RETURN count(s) AS n
