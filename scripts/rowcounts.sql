-- The row count of every table, one line each: "rows TABLE COUNT".
-- Read by scripts/backup.sh (inside the dump's snapshot, for the
-- manifest) and by scripts/restore.sh (to check what was restored).
SELECT format('rows %s %s', c.relname, (xpath('/row/n/text()',
    query_to_xml(format('SELECT count(*) AS n FROM public.%I', c.relname),
    false, true, '')))[1])
  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
 WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p')
 ORDER BY c.relname;
