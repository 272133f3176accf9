-- Publishes the embedded server's seeded database under its final name.
-- Grain: one database; <dbname> and <new_name> are identifiers composed by the caller.
alter database {dbname} rename to {new_name}
