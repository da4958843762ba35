// Record an assessment of the implementation of $control on $target; the caller checked the
// ids and values. Returns nothing when there is no such implementation.
MATCH (c:Control {id: $control}) USING INDEX c:Control(id)
MATCH (i:Implementation)-[:IMPLEMENTS]->(c)
MATCH (i)-[:ON]->(t:Entity {id: $target})
WITH i LIMIT 1
CREATE (a:Entity:Assessment {id: $id})
SET a.result = $result, a.assessedAt = $assessedAt, a.assessor = $assessor, a.notes = $notes,
    a.source = 'api', a.firstSeen = $now, a.title = $result + ' by ' + $assessor
CREATE (a)-[:ASSESSES {source: 'api', key: ''}]->(i)
SET i.lastTested = $assessedAt,
    i.status = CASE WHEN $result = 'failed' THEN 'failed'
                    WHEN $result = 'passed' AND i.status = 'failed' THEN 'implemented'
                    ELSE i.status END
RETURN properties(a) AS assessment, properties(i) AS implementation
