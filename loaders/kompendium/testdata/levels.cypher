MATCH (c:Control {standard: "bsi-gs-2023"})
RETURN c.level AS level, count(*) AS n
