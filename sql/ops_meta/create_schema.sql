-- The schema an ops object lives in, created on first use.
-- Grain: one schema; <schema> is an identifier composed from the catalog.
create schema if not exists {schema}
