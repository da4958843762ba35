// Open the import run of one source: the nodes it writes are linked to it, which is how a later
// run finds what this source no longer holds.
CREATE (r:Entity:ImportRun {id: $run})
SET r += $props, r.sourceName = $source, r.startedAt = datetime($now)
RETURN r.id AS id
