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
