CREATE (:Entity:Asset {id: $id, title: 'audited change'})
