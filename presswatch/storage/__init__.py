"""Storage: models, engine and migrations, writes (repository) and named reads (queries)."""
