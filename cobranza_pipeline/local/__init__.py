"""What a laptop needs and production does not: the embedded PostgreSQL server, the raw
tables' DDL and the demo data generator."""
