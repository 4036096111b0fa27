-- 0009: tell every server node what to forget. Each worker LISTENs on
-- the channel capacita_cache (src/web-cache.c) and drops cached pages:
--   'content'	a module, course or the framework changed: every page;
--   'user:N'	something of person N changed (their session, roles,
--		reading, attempts, enrolments, badges): their pages.
-- NOTIFY is delivered at commit and takes no row lock, so busy tables
-- (attempts) can carry it without serialising their writers.

CREATE FUNCTION cache_notify_content() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	PERFORM pg_notify('capacita_cache', 'content');
	RETURN NULL;
END;
$$;

/* The person's id is in the column named by the trigger's argument. */
CREATE FUNCTION cache_notify_user() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	IF TG_OP = 'DELETE' THEN
		PERFORM pg_notify('capacita_cache', 'user:' ||
		    (to_jsonb(OLD) ->> TG_ARGV[0]));
	ELSE
		PERFORM pg_notify('capacita_cache', 'user:' ||
		    (to_jsonb(NEW) ->> TG_ARGV[0]));
	END IF;
	RETURN NULL;
END;
$$;

DO $$
DECLARE
	t	text;
BEGIN
	FOREACH t IN ARRAY ARRAY['modules', 'module_versions', 'questions',
	    'question_options', 'courses', 'course_modules',
	    'course_competences', 'frameworks', 'levels', 'areas',
	    'competences', 'module_drafts', 'orgs', 'job_roles',
	    'job_role_requirements', 'issuer_keys', 'status_lists'] LOOP
		EXECUTE format('CREATE TRIGGER %I AFTER INSERT OR UPDATE OR '
		    'DELETE OR TRUNCATE ON %I FOR EACH STATEMENT EXECUTE '
		    'FUNCTION cache_notify_content()', t || '_cache', t);
	END LOOP;
	FOREACH t IN ARRAY ARRAY['users', 'user_roles', 'sessions',
	    'enrolments', 'module_reads', 'attempts', 'badges',
	    'competence_levels', 'user_job_roles', 'hours_ledger'] LOOP
		EXECUTE format('CREATE TRIGGER %I AFTER INSERT OR UPDATE OR '
		    'DELETE ON %I FOR EACH ROW EXECUTE FUNCTION '
		    'cache_notify_user(%L)', t || '_cache', t,
		    CASE WHEN t = 'users' THEN 'id' ELSE 'user_id' END);
	END LOOP;
END;
$$;
