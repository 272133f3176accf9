-- A new, empty database (the embedded server, the tests and the benchmark only).
-- Grain: one database; <dbname> is an identifier composed by the caller.
create database {dbname}
