-- ops.normalize_name(text): the one name-matching rule of the product.
-- Grain: a scalar function.
-- Inputs: any name text.
-- Rules: composed to NFC first (a name stored as "e" + combining accent reads as "é"; needs a
--   UTF8 database), accents stripped (before upper case, so it does not depend on the server
--   locale), upper case, every run of non [A-Z0-9] characters to one space, tokens sorted (C order) so
--   "Pérez, José" and "jose perez" match; NULL or no tokens gives NULL.
create or replace function ops.normalize_name(raw_name text)
returns text
language sql
immutable
parallel safe
as $$
    select string_agg(token, ' ' order by token collate "C")
    from regexp_split_to_table(
        regexp_replace(
            upper(translate(
                normalize(raw_name, nfc),
                'áàâäãéèêëíìîïóòôöõúùûüýÿñçÁÀÂÄÃÉÈÊËÍÌÎÏÓÒÔÖÕÚÙÛÜÝŸÑÇ',
                'aaaaaeeeeiiiiooooouuuuyyncAAAAAEEEEIIIIOOOOOUUUUYYNC'
            )),
            '[^A-Z0-9]+', ' ', 'g'
        ),
        ' '
    ) as token
    where token <> ''
$$;
