// Full-text search over titles and texts (the text_search index), best first.
CALL db.index.fulltext.queryNodes('text_search', $text, {limit: $limit}) YIELD node, score
RETURN [l IN labels(node) WHERE l <> 'Entity'][0] AS kind, properties(node) AS props, score
ORDER BY score DESC, node.id
