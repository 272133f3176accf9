-- Weekly totals must add up to the global totals, exactly (NUMERIC, tolerance 0), for all rows
-- and for rows with debt > 0. A row with a NULL week_start falls out of the weekly side.
-- Grain: one row per scope ('all', 'debt').
-- Inputs: ops.mv_yango_cabinet_cobranza_enriched_14d.
with mv as (
    select week_start, amount_due_yango from ops.mv_yango_cabinet_cobranza_enriched_14d
),

scoped as (
    select 'all' as scope, week_start, amount_due_yango from mv
    union all
    select 'debt', week_start, amount_due_yango from mv where amount_due_yango > 0
),

global_totals as (
    select scope, count(*) as global_rows, coalesce(sum(amount_due_yango), 0) as global_debt
    from scoped
    group by scope
),

weekly as (
    select scope, week_start, count(*) as week_rows, sum(amount_due_yango) as week_debt
    from scoped
    where week_start is not null
    group by scope, week_start
),

weekly_totals as (
    select scope, sum(week_rows) as weekly_rows, coalesce(sum(week_debt), 0) as weekly_debt
    from weekly
    group by scope
),

scopes (scope) as (values ('all'), ('debt'))

select
    scopes.scope,
    coalesce(g.global_rows, 0) as global_rows,
    coalesce(w.weekly_rows, 0)::bigint as weekly_rows,
    coalesce(g.global_debt, 0) as global_debt,
    coalesce(w.weekly_debt, 0) as weekly_debt
from scopes
left join global_totals as g using (scope)
left join weekly_totals as w using (scope)
order by scopes.scope
