// For items of an older version, the MAPS_TO links (either direction) to items of the newer one:
// how a version-to-version mapping set (e.g. the BSI's IT-Grundschutz 2023 to Grundschutz++)
// matches items whose ids differ. Anchored on the items' index.
UNWIND $ids AS id
MATCH (c:Control {id: id}) USING INDEX c:Control(id)
MATCH (c)-[m:MAPS_TO]-(n:Control)
WHERE n.id IN $newer
RETURN c.id AS old, n.id AS new, m.relationship AS relationship, startNode(m) = c AS forward, m.source AS source
ORDER BY old, new
