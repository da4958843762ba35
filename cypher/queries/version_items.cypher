// The items of one version: the controls a profile SELECTS, or else the controls of the catalog
// (by the index on Control.standard). Each with the catalog it belongs to.
MATCH (v:Standard {id: $version}) USING INDEX v:Standard(id)
CALL (v) {
  MATCH (v)-[:SELECTS]->(c:Control)
  RETURN c
  UNION
  MATCH (c:Control {standard: $version}) USING INDEX c:Control(standard)
  WHERE NOT EXISTS { (v)-[:SELECTS]->() }
  RETURN c
}
RETURN properties(c) AS props
ORDER BY c.id
