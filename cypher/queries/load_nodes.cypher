// Upsert a batch of nodes of one source. Kinds come from the vocabulary's allowlist (checked in
// Go); the id lookup uses the unique index on Entity.id.
//
// A full row replaces the properties the node had when this source is its only full holder (so a
// property the source dropped goes), and adds to them when another source holds it in full too.
// A stub row (a reference by id and short title) writes only into a node no full source holds.
// Every node is linked to this source's run; the link to its previous run is removed.
UNWIND $rows AS row
OPTIONAL MATCH (old:Entity {id: row.id}) USING INDEX old:Entity(id)
WITH row, old IS NULL AS created,
     coalesce(old.stub, true) AS wasStub, old.source AS oldOwner,
     coalesce(old.sources, []) AS oldSources, coalesce(old.firstSeen, $now) AS firstSeen
MERGE (n:Entity {id: row.id})
SET n:$(row.kind)
WITH n, row, created, wasStub, oldOwner, oldSources, firstSeen,
     NOT row.stub AND (wasStub OR oldOwner = $source) AS replace,
     NOT row.stub AND NOT wasStub AND oldOwner <> $source AS share,
     row.stub AND wasStub AS fillStub
FOREACH (_ IN CASE WHEN replace THEN [1] ELSE [] END | SET n = row.props)
FOREACH (_ IN CASE WHEN share OR fillStub THEN [1] ELSE [] END | SET n += row.props)
SET n.id = row.id,
    n.firstSeen = firstSeen,
    n.lastSeen = $now,
    n.stub = wasStub AND row.stub,
    n.source = CASE WHEN replace THEN $source ELSE coalesce(oldOwner, $source) END,
    n.sources = CASE WHEN $source IN oldSources THEN oldSources ELSE oldSources + $source END
// The link carries the hash of what this source wrote: a node is changed for this source when the
// hash differs from its previous run's (or the source did not hold it before).
WITH n, row, created
OPTIONAL MATCH (n)-[prev:IMPORTED_BY]->(:ImportRun {sourceName: $source})
WITH n, row, created, prev, prev.hash AS prevHash
DELETE prev
WITH n, row, created, prevHash
MATCH (run:ImportRun {id: $run}) USING INDEX run:ImportRun(id)
CREATE (n)-[:IMPORTED_BY {stub: row.stub, hash: row.props.contentHash}]->(run)
RETURN count(CASE WHEN created THEN 1 END) AS created,
       count(CASE WHEN NOT created AND (prevHash IS NULL OR prevHash <> row.props.contentHash) THEN 1 END) AS changed,
       count(*) AS seen
