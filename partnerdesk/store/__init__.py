"""The journal on disk: one SQLite file, its schema and migrations, queries and search."""
