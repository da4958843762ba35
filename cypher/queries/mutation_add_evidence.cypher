// Add evidence to an implementation. Returns nothing when the implementation does not exist.
MATCH (i:Implementation {id: $implementation}) USING INDEX i:Implementation(id)
CREATE (e:Entity:Evidence {id: $id})
SET e += $props, e.source = 'api', e.firstSeen = $now
CREATE (e)-[:SUPPORTS {source: 'api', key: ''}]->(i)
RETURN properties(e) AS props
