-- ops.parse_date_file(text): the one date rule of summary_daily.date_file.
-- Grain: a scalar function.
-- Inputs: a date_file text.
-- Rules: 'DD-MM-YYYY' or 'YYYY-MM-DD' after trimming spaces; anything else, a calendar-invalid
--   date such as 31-02-2026, or a date outside the business range [2000-01-01, 2100-01-01)
--   gives NULL (never an error): such rows are skipped and counted by the unparseable_dates
--   check (docs/business-rules.md, "Daily trips"). Day 31 of a 30-day month rolls into the
--   next month: a date is valid when it does not roll. Nested case, not and: make_date must
--   only ever see a valid year and month.
create or replace function ops.parse_date_file(date_file text)
returns date
language sql
immutable
parallel safe
as $$
    select
        case
            when y between 2000 and 2099 and m between 1 and 12 and d between 1 and 31 then
                case
                    when extract(month from make_date(y, m, 1) + (d - 1)) = m then make_date(y, m, 1) + (d - 1)
                end
        end
    from (
        select
            case shape
                when '99-99-9999' then substr(date_text, 7, 4)::integer
                when '9999-99-99' then substr(date_text, 1, 4)::integer
            end as y,
            case shape
                when '99-99-9999' then substr(date_text, 4, 2)::integer
                when '9999-99-99' then substr(date_text, 6, 2)::integer
            end as m,
            case shape
                when '99-99-9999' then substr(date_text, 1, 2)::integer
                when '9999-99-99' then substr(date_text, 9, 2)::integer
            end as d
        from (
            select trim(date_file) as date_text,
                translate(trim(date_file), '0123456789', '9999999999') as shape
        ) as shaped
    ) as date_parts
$$;
