-- The settings of every session the product opens: statement and lock timeouts, the business
-- time zone (in which timestamptz values become dates), JIT off, and work_mem, plan_cache_mode
-- and random_page_cost when the caller gives them (NULL keeps the server's value).
-- Grain: one row, the values now in force. set_config takes bound values; SET would need them
-- spliced into the statement.
select
    set_config('statement_timeout', %(statement_timeout)s, false),
    set_config('lock_timeout', %(lock_timeout)s, false),
    set_config('TimeZone', %(timezone)s, false),
    set_config('jit', 'off', false),
    set_config('work_mem', coalesce(%(work_mem)s, current_setting('work_mem')), false),
    set_config('plan_cache_mode', coalesce(%(plan_cache_mode)s, current_setting('plan_cache_mode')), false),
    set_config('random_page_cost', coalesce(%(random_page_cost)s, current_setting('random_page_cost')), false)
