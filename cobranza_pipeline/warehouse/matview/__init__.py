"""Generic materialized-view machinery: a declaration (spec), its state in the database, the
statements of each mode, and the refresh that runs them locked, logged and retried."""
