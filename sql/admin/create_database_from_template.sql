-- A new database cloned from a template (the tests' per-test databases).
-- Grain: one database; <dbname> and <template> are identifiers composed by the caller.
create database {dbname} template {template}
