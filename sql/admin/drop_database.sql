-- Drops a database the product created for itself (a failed first seeding, a benchmark's
-- or a test's), ending its sessions first.
-- Grain: one database; <dbname> is an identifier composed by the caller.
drop database if exists {dbname} with (force)
