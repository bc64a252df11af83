"""Storage: engine setup, the schema, the unit of work and the repositories (all SQL lives here)."""
