-- Empties every source-contract table before demo data is loaded again.
-- Grain: all rows of the ten raw tables. Only `cobranza demo-data` runs it, and only on the
-- embedded database unless the user passed --force.
truncate table
    public.drivers,
    public.summary_daily,
    public.module_ct_cabinet_leads,
    public.module_ct_scouting_daily,
    public.module_ct_migrations,
    public.module_ct_cabinet_payments,
    public.module_ct_scouts_list,
    canon.identity_links,
    observational.lead_ledger,
    observational.lead_events
