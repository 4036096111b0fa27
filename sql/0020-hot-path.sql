-- 0020: the learner's hot path at database speed (issue 20).
--
--  - NOTIFY after commit. A transaction that NOTIFYs takes a
--    database-wide lock in PreCommit_Notify and holds it through its
--    commit's WAL flush, so row NOTIFY triggers on attempts and
--    competence_levels serialised every submission (no group commit).
--    A transaction that sets capacita.notify to 'after' (the web
--    workers' hot paths) sends nothing from the triggers of 0009: the
--    worker sends 'user:N' after the commit, batched, from its LISTEN
--    connection, in a transaction that does not wait for the disk
--    (src/web-cache.c). Every other writer (the command line, the job
--    runner, other pages) keeps the triggers' notifications.
--  - A start independent of the learner's history: the open attempt is
--    found through a partial index, the attempts are counted only when
--    the course limits them, the next number is read backwards from the
--    unique index, and the enrolment is not locked.
--  - One round trip per start, per submission and per module page:
--    quiz_start, quiz_submit (with learn_progress in PL/pgSQL:
--    completion, hours and badge jobs in the submission's transaction,
--    as before) and module_view.

CREATE OR REPLACE FUNCTION cache_notify_user() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	IF current_setting('capacita.notify', true) = 'after' THEN
		RETURN NULL;
	END IF;
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

CREATE INDEX attempts_open ON attempts (user_id, course_id, module_id,
    version_id) WHERE submitted_at IS NULL;

/*
 * After a read or an attempt on a module: credit the module's hours the
 * first time it is done in any course, and complete every course of the
 * user whose modules are now all done: the completion, the rest of the
 * course's hours and the follow-up jobs (competence levels, badge), in
 * the caller's transaction. Returns the number of courses completed.
 */
CREATE FUNCTION learn_progress(p_user bigint, p_module bigint)
RETURNS integer LANGUAGE plpgsql AS $$
DECLARE
	e		record;
	completed	integer := 0;
	any_done	boolean := false;
BEGIN
	FOR e IN SELECT en.id, en.course_id FROM enrolments en JOIN
	    course_modules cm ON cm.course_id = en.course_id WHERE
	    en.user_id = p_user AND cm.module_id = p_module AND
	    en.completed_at IS NULL ORDER BY en.id FOR UPDATE OF en LOOP
		IF module_done(p_user, e.course_id, p_module) THEN
			any_done := true;
		END IF;
		CONTINUE WHEN EXISTS (SELECT 1 FROM course_modules cm WHERE
		    cm.course_id = e.course_id AND NOT module_done(p_user,
		    e.course_id, cm.module_id));
		UPDATE enrolments SET completed_at = now() WHERE id = e.id AND
		    completed_at IS NULL;
		CONTINUE WHEN NOT FOUND;
		completed := completed + 1;
		INSERT INTO hours_ledger (user_id, year, hours, source, ref,
		    description, seconds) SELECT p_user, extract(year FROM
		    now())::int, greatest(0, c.hours - coalesce((SELECT
		    sum(v.minutes) / 60.0 FROM course_modules cm JOIN modules m
		    ON m.id = cm.module_id JOIN module_versions v ON v.id =
		    m.current_version_id WHERE cm.course_id = c.id), 0)),
		    'course', c.id::text, c.title, (SELECT coalesce(sum(s.sec),
		    0) FROM (SELECT max(r.seconds) AS sec FROM course_modules cm
		    JOIN module_versions v ON v.module_id = cm.module_id JOIN
		    module_reads r ON r.version_id = v.id AND r.user_id = p_user
		    AND r.finished_at IS NOT NULL WHERE cm.course_id = c.id
		    GROUP BY cm.module_id) s) FROM courses c WHERE c.id =
		    e.course_id ON CONFLICT DO NOTHING;
		INSERT INTO jobs (kind, ref) VALUES ('competence', e.id::text),
		    ('badge', e.id::text) ON CONFLICT DO NOTHING;
	END LOOP;
	IF any_done THEN
		INSERT INTO hours_ledger (user_id, year, hours, source, ref,
		    description, seconds) SELECT p_user, extract(year FROM
		    now())::int, v.minutes / 60.0, 'module', m.id::text,
		    v.title, (SELECT max(r.seconds) FROM module_reads r JOIN
		    module_versions rv ON rv.id = r.version_id WHERE r.user_id =
		    p_user AND rv.module_id = m.id AND r.finished_at IS NOT NULL)
		    FROM modules m JOIN module_versions v ON v.id =
		    m.current_version_id WHERE m.id = p_module ON CONFLICT DO
		    NOTHING;
	END IF;
	RETURN completed;
END;
$$;

/*
 * Start (or resume) an attempt at a module's quiz within a course, in
 * one round trip and in time independent of the learner's history.
 * p_id and p_seed are the new attempt's (random, from the caller).
 * status: 'ok' (attempt: the new or resumed one), 'not_enrolled',
 * 'none' (no quiz), 'no_attempts'. The commit need not wait for the
 * disk: after a crash the learner simply starts again.
 */
CREATE FUNCTION quiz_start(p_user bigint, p_course text, p_module text,
    p_id text, p_seed bigint, p_defer boolean, OUT status text,
    OUT attempt text)
LANGUAGE plpgsql AS $$
DECLARE
	r	record;
	n	integer;
	i	integer;
BEGIN
	PERFORM set_config('synchronous_commit', 'off', true);
	IF p_defer THEN
		PERFORM set_config('capacita.notify', 'after', true);
	END IF;
	SELECT c.id AS course, m.id AS module, m.current_version_id AS
	    version, c.attempts INTO r FROM courses c JOIN course_modules cm
	    ON cm.course_id = c.id JOIN modules m ON m.id = cm.module_id
	    JOIN enrolments e ON e.course_id = c.id AND e.user_id = p_user
	    WHERE c.slug = p_course AND m.slug = p_module;
	IF NOT FOUND THEN
		status := 'not_enrolled';
		RETURN;
	END IF;
	IF r.version IS NULL OR NOT EXISTS (SELECT 1 FROM questions q
	    WHERE q.version_id = r.version) THEN
		status := 'none';
		RETURN;
	END IF;
	/* Two starts at once: the second finds the first's attempt. */
	FOR i IN 1..3 LOOP
		SELECT a.id INTO attempt FROM attempts a WHERE a.user_id =
		    p_user AND a.course_id = r.course AND a.module_id =
		    r.module AND a.version_id = r.version AND a.submitted_at IS
		    NULL ORDER BY a.number DESC LIMIT 1;
		IF attempt IS NOT NULL THEN
			status := 'ok';
			RETURN;
		END IF;
		IF r.attempts > 0 AND (SELECT count(*) FROM attempts a WHERE
		    a.user_id = p_user AND a.course_id = r.course AND
		    a.module_id = r.module AND a.submitted_at IS NOT NULL) >=
		    r.attempts THEN
			status := 'no_attempts';
			RETURN;
		END IF;
		SELECT coalesce((SELECT a.number FROM attempts a WHERE
		    a.user_id = p_user AND a.course_id = r.course AND
		    a.module_id = r.module ORDER BY a.number DESC LIMIT 1), 0)
		    + 1 INTO n;
		INSERT INTO attempts (id, user_id, course_id, module_id,
		    version_id, number, seed) VALUES (p_id, p_user, r.course,
		    r.module, r.version, n, p_seed) ON CONFLICT (user_id,
		    course_id, module_id, number) DO NOTHING RETURNING id INTO
		    attempt;
		IF attempt IS NOT NULL THEN
			status := 'ok';
			RETURN;
		END IF;
	END LOOP;
	RAISE EXCEPTION 'quiz_start: attempt numbers kept colliding';
END;
$$;

/*
 * Submit a graded attempt once: the answers (arrays in question order),
 * their evidence, the attempt's result, the competence levels of what
 * it touched and the progress it causes (learn_progress), in the
 * caller's transaction. Of two submissions at once the second waits for
 * the first's row lock and then changes nothing: already is true and
 * the result is the first's.
 */
CREATE FUNCTION quiz_submit(p_attempt text, p_user bigint, p_q bigint[],
    p_a text[], p_ok boolean[], p_sc numeric[], p_comp text[],
    p_lvl text[], p_score numeric, p_max numeric, p_percent numeric,
    p_passed boolean, p_defer boolean, OUT already boolean,
    OUT score numeric, OUT max_score numeric, OUT percent numeric,
    OUT passed boolean, OUT completed integer)
LANGUAGE plpgsql AS $$
DECLARE
	m	bigint;
BEGIN
	IF p_defer THEN
		PERFORM set_config('capacita.notify', 'after', true);
	END IF;
	UPDATE attempts a SET submitted_at = now(), score = p_score,
	    max_score = p_max, percent = p_percent, passed = p_passed WHERE
	    a.id = p_attempt AND a.user_id = p_user AND a.submitted_at IS
	    NULL RETURNING a.module_id INTO m;
	IF NOT FOUND THEN
		already := true;
		completed := 0;
		SELECT coalesce(a.score, 0), coalesce(a.max_score, 0),
		    coalesce(a.percent, 0), coalesce(a.passed, false) INTO
		    score, max_score, percent, passed FROM attempts a WHERE
		    a.id = p_attempt AND a.user_id = p_user;
		RETURN;
	END IF;
	already := false;
	score := p_score;
	max_score := p_max;
	percent := p_percent;
	passed := p_passed;
	IF cardinality(p_q) > 0 THEN
		INSERT INTO attempt_answers (attempt_id, question_id, answer,
		    correct, score) SELECT p_attempt, t.q, t.a, t.c, t.s FROM
		    unnest(p_q, p_a, p_ok, p_sc) AS t(q, a, c, s);
		INSERT INTO evidence (user_id, competence, level, source,
		    attempt_id, question_id, correct) SELECT p_user, t.comp,
		    t.lvl, 'answer', p_attempt, t.q, t.c FROM unnest(p_comp,
		    p_lvl, p_q, p_ok) AS t(comp, lvl, q, c);
		PERFORM competence_recompute_many(ARRAY[p_user], (SELECT
		    array_agg(DISTINCT c) FROM unnest(p_comp) c));
	END IF;
	completed := learn_progress(p_user, m);
END;
$$;

/*
 * A module's reading page in one round trip: the current version and,
 * for a signed-in learner (p_user > 0), the opening recorded (not
 * written again within a minute: a write costs a WAL flush), where the
 * reading stands (finished, or from when "finished" counts: p_pct % of
 * the minutes after the first opening) and the courses that hold the
 * module, with whether the learner is enrolled. No row: no such module.
 */
CREATE FUNCTION module_view(p_slug text, p_user bigint, p_pct integer,
    p_defer boolean)
RETURNS TABLE (title text, summary text, lang text, minutes integer,
    version_no integer, sha256 text, html text, nq bigint,
    version_id bigint, module_id bigint, opened boolean, finished boolean,
    finished_at text, opened_at text, ready_at text, ready boolean,
    wait bigint, course_slug text, course_title text,
    course_enrolled boolean)
LANGUAGE plpgsql AS $$
#variable_conflict use_column
DECLARE
	v	record;
	r	record;
	c	record;
	n	integer := 0;
BEGIN
	SELECT mv.title, mv.summary, mv.lang, mv.minutes, mv.version_no,
	    mv.sha256, mv.html, mv.id, m.id AS module INTO v FROM modules m
	    JOIN module_versions mv ON mv.id = m.current_version_id WHERE
	    m.slug = p_slug;
	IF NOT FOUND THEN
		RETURN;
	END IF;
	title := v.title;
	summary := v.summary;
	lang := v.lang;
	minutes := v.minutes;
	version_no := v.version_no;
	sha256 := v.sha256;
	html := v.html;
	version_id := v.id;
	module_id := v.module;
	nq := (SELECT count(*) FROM questions q WHERE q.version_id = v.id);
	opened := false;
	finished := false;
	IF p_user > 0 THEN
		IF p_defer THEN
			PERFORM set_config('capacita.notify', 'after', true);
		END IF;
		INSERT INTO module_reads AS mr (user_id, version_id) SELECT
		    p_user, v.id WHERE NOT EXISTS (SELECT 1 FROM module_reads
		    x WHERE x.user_id = p_user AND x.version_id = v.id AND
		    x.last_seen_at > now() - interval '60 seconds') ON
		    CONFLICT (user_id, version_id) DO UPDATE SET last_seen_at =
		    now();
		SELECT x.finished_at IS NOT NULL AS fin, coalesce(to_char(
		    x.finished_at, 'YYYY-MM-DD HH24:MI'), '') AS fat,
		    to_char(x.opened_at, 'HH24:MI') AS oat, x.opened_at +
		    ceil(v.minutes * 60 * p_pct / 100.0) * interval '1 second'
		    AS rat INTO r FROM module_reads x WHERE x.user_id = p_user
		    AND x.version_id = v.id;
		IF FOUND THEN
			opened := true;
			finished := r.fin;
			finished_at := r.fat;
			opened_at := r.oat;
			ready_at := to_char(r.rat, 'HH24:MI');
			ready := r.rat <= now();
			wait := greatest(0, ceil(extract(epoch FROM r.rat -
			    now())))::bigint;
		END IF;
		/* One row a course, the page's text in the first only. */
		FOR c IN SELECT co.slug, co.title, e.id IS NOT NULL AS
		    enrolled FROM course_modules cm JOIN courses co ON co.id =
		    cm.course_id LEFT JOIN enrolments e ON e.course_id = co.id
		    AND e.user_id = p_user WHERE cm.module_id = v.module ORDER
		    BY co.title LOOP
			course_slug := c.slug;
			course_title := c.title;
			course_enrolled := c.enrolled;
			RETURN NEXT;
			html := NULL;
			n := n + 1;
		END LOOP;
	END IF;
	IF n > 0 THEN
		RETURN;
	END IF;
	RETURN NEXT;
END;
$$;
