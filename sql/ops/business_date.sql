-- ops.business_date(date): a date the business can use, else NULL.
-- Grain: a scalar function.
-- Inputs: any date (lead dates, registration, hire, event, payment and ledger dates).
-- Rules: dates outside [2000-01-01, 2100-01-01), 'infinity' and '-infinity' included, are
--   treated as missing: no lead before the programme existed or centuries ahead, and no date
--   arithmetic (lead_date + 14, week_start) that could overflow. The out_of_range_dates check
--   counts the raw rows this sets aside (docs/business-rules.md, "Conventions").
create or replace function ops.business_date(value date)
returns date
language sql
immutable
parallel safe
as $$
    select case when value >= date '2000-01-01' and value < date '2100-01-01' then value end
$$;
