"""Who may see what: the visibility predicate, used as a query filter on every read path."""
