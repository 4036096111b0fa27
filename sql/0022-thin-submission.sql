-- 0022: the submission record thinned (issue 20).
--
-- A submission wrote its answers as one row each in attempt_answers,
-- with a primary key and two foreign-key checks a row (pg_stat_statements
-- on make bench (c): 0.10 ms of the 0.85 ms quiz_submit took, beside the
-- UPDATE of the attempt row that it writes anyway). The answers are now
-- arrays in the attempt row, in question order, written by the same
-- UPDATE that marks the attempt submitted; attempt_answers is a view of
-- them with the table's columns, so that every reader (the review page,
-- xAPI statements, the impact decoder, the tests) reads the same rows.
-- The arrays' question ids are the attempt's version's questions (the
-- quiz cached per worker, graded in C); versions and their questions are
-- never deleted, so the foreign key to questions is kept by construction.

ALTER TABLE attempts ADD COLUMN answer_q bigint[],
    ADD COLUMN answer_text text[], ADD COLUMN answer_ok boolean[],
    ADD COLUMN answer_score numeric(8,3)[];

UPDATE attempts a SET answer_q = x.q, answer_text = x.t, answer_ok = x.ok,
    answer_score = x.sc
FROM (SELECT aa.attempt_id, array_agg(aa.question_id ORDER BY q.position,
    q.id) AS q, array_agg(aa.answer ORDER BY q.position, q.id) AS t,
    array_agg(aa.correct ORDER BY q.position, q.id) AS ok,
    array_agg(aa.score ORDER BY q.position, q.id) AS sc
    FROM attempt_answers aa JOIN questions q ON q.id = aa.question_id
    GROUP BY aa.attempt_id) x
WHERE x.attempt_id = a.id;

ALTER TABLE attempts ADD CONSTRAINT attempts_answers_shape CHECK
    ((answer_q IS NULL AND answer_text IS NULL AND answer_ok IS NULL AND
    answer_score IS NULL) OR (coalesce(array_ndims(answer_q), 1) = 1 AND
    cardinality(answer_text) = cardinality(answer_q) AND
    cardinality(answer_ok) = cardinality(answer_q) AND
    cardinality(answer_score) = cardinality(answer_q) AND
    array_position(answer_q, NULL) IS NULL AND
    array_position(answer_ok, NULL) IS NULL AND
    array_position(answer_score, NULL) IS NULL));
COMMENT ON COLUMN attempts.answer_q IS
    'The submitted answers, in question order: question ids; answer_text '
    '(NULL: unanswered), answer_ok and answer_score at the same index. '
    'Read them as rows through the view attempt_answers.';

DROP TABLE attempt_answers;

CREATE VIEW attempt_answers AS
SELECT a.id AS attempt_id, t.question_id, t.answer, t.correct, t.score
FROM attempts a
CROSS JOIN LATERAL unnest(a.answer_q, a.answer_text, a.answer_ok,
    a.answer_score) AS t(question_id, answer, correct, score)
WHERE a.answer_q IS NOT NULL;
COMMENT ON VIEW attempt_answers IS
    'One row per graded answer of a submitted attempt, from the arrays in '
    'attempts (0022); the columns of the table it replaces.';

/*
 * quiz_submit of 0020 with the answers written into the attempt row by
 * the UPDATE that submits it.
 */
CREATE OR REPLACE FUNCTION quiz_submit(p_attempt text, p_user bigint,
    p_q bigint[], p_a text[], p_ok boolean[], p_sc numeric[],
    p_comp text[], p_lvl text[], p_score numeric, p_max numeric,
    p_percent numeric, p_passed boolean, p_defer boolean,
    OUT already boolean, OUT score numeric, OUT max_score numeric,
    OUT percent numeric, OUT passed boolean, OUT completed integer)
LANGUAGE plpgsql AS $$
DECLARE
	m	bigint;
BEGIN
	IF p_defer THEN
		PERFORM set_config('capacita.notify', 'after', true);
	END IF;
	UPDATE attempts a SET submitted_at = now(), score = p_score,
	    max_score = p_max, percent = p_percent, passed = p_passed,
	    answer_q = p_q, answer_text = p_a, answer_ok = p_ok,
	    answer_score = p_sc WHERE a.id = p_attempt AND a.user_id =
	    p_user AND a.submitted_at IS NULL RETURNING a.module_id INTO m;
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

-- Fewer checks and triggers on the hot rows. A submission inserted its
-- evidence with three foreign-key checks a row (user, attempt,
-- question), and latest_answers with two more on a learner's first
-- answer to a question; each submission and start also called the
-- PL/pgSQL row triggers of 0009 (which return at once in the hot paths,
-- capacita.notify = 'after') and the gap trigger of 0008 (an UPDATE of
-- user_gaps even when the level did not move).
--
--  - evidence.attempt_id is written only by quiz_submit, with the
--    attempt it has just submitted; evidence.question_id and
--    latest_answers' question_id and user_id only with questions of a
--    version (the worker's cached quiz, the placement pools, generate's
--    join) and evidence's own user. Attempts and questions are never
--    deleted: a statement trigger now refuses it, so those references
--    stay valid without a check a row. evidence.user_id keeps its key
--    (ratings name people from a form).
--  - The cache triggers of 0009 on people's rows do not call PL/pgSQL
--    when the transaction notifies after its commit: a WHEN clause
--    (same outcome, cache_notify_user returned NULL there).
--  - gaps_level runs on an UPDATE of a level only when its rank moved:
--    user_gaps.achieved is coalesce(rank, 0) of the row already (set by
--    this trigger or by gaps_refresh from competence_levels).
CREATE FUNCTION never_deleted() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	RAISE EXCEPTION 'rows of % are never deleted: other tables refer to '
	    'them without a foreign key (sql/0022)', TG_TABLE_NAME;
END;
$$;
CREATE TRIGGER attempts_kept BEFORE DELETE OR TRUNCATE ON attempts
    FOR EACH STATEMENT EXECUTE FUNCTION never_deleted();
CREATE TRIGGER questions_kept BEFORE DELETE OR TRUNCATE ON questions
    FOR EACH STATEMENT EXECUTE FUNCTION never_deleted();

ALTER TABLE evidence DROP CONSTRAINT evidence_attempt_id_fkey,
    DROP CONSTRAINT evidence_question_id_fkey;
ALTER TABLE latest_answers DROP CONSTRAINT latest_answers_user_id_fkey,
    DROP CONSTRAINT latest_answers_question_id_fkey;

DO $$
DECLARE
	t	text;
BEGIN
	FOREACH t IN ARRAY ARRAY['users', 'user_roles', 'sessions',
	    'enrolments', 'module_reads', 'attempts', 'badges',
	    'competence_levels', 'user_job_roles', 'hours_ledger'] LOOP
		EXECUTE format('DROP TRIGGER %I ON %I', t || '_cache', t);
		EXECUTE format('CREATE TRIGGER %I AFTER INSERT OR UPDATE OR '
		    'DELETE ON %I FOR EACH ROW WHEN (current_setting('
		    '''capacita.notify'', true) IS DISTINCT FROM ''after'') '
		    'EXECUTE FUNCTION cache_notify_user(%L)', t || '_cache', t,
		    CASE WHEN t = 'users' THEN 'id' ELSE 'user_id' END);
	END LOOP;
END;
$$;

DROP TRIGGER competence_levels_gap ON competence_levels;
CREATE TRIGGER competence_levels_gap AFTER INSERT ON competence_levels
    FOR EACH ROW EXECUTE FUNCTION gaps_level();
CREATE TRIGGER competence_levels_gap_moved AFTER UPDATE ON
    competence_levels FOR EACH ROW WHEN (OLD.rank IS DISTINCT FROM
    NEW.rank) EXECUTE FUNCTION gaps_level();

/*
 * quiz_start of 0020 with the attempts counted in a statement of their
 * own: in one expression with the record field r.attempts, PL/pgSQL
 * planned the count again at every start (pg_stat_statements with
 * track_planning: 2,472 plans for 2,470 starts), even when the course
 * does not limit attempts and the count never runs.
 */
CREATE OR REPLACE FUNCTION quiz_start(p_user bigint, p_course text, p_module text,
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
		IF r.attempts > 0 THEN
			SELECT count(*) INTO n FROM attempts a WHERE a.user_id =
			    p_user AND a.course_id = r.course AND a.module_id =
			    r.module AND a.submitted_at IS NOT NULL;
			IF n >= r.attempts THEN
				status := 'no_attempts';
				RETURN;
			END IF;
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
