-- 0013: integrity of quizzes, hours and content (issue 18).
--
--  * every quiz attempt and every pre/post-test has a secret form key:
--    the page's field names and choice values are tokens of it
--    (src/quiz-form.c), so nothing in the page gives an answer away;
--  * a course says when its quizzes' right answers are shown (review);
--  * the hours ledger keeps the time measured on the server behind
--    each credit;
--  * the level a course can certify for each competence it claims,
--    computed from its quizzes by the competence rule's own threshold;
--  * courses written in the web editor, owned by a unit like web
--    modules; nobody rates their own competences.

CREATE FUNCTION form_key_new() RETURNS text
LANGUAGE sql VOLATILE AS $$
	SELECT encode(sha256(convert_to(gen_random_uuid()::text ||
	    gen_random_uuid()::text, 'UTF8')), 'hex')
$$;
COMMENT ON FUNCTION form_key_new() IS
    'A random 256-bit key as 64 hex digits (gen_random_uuid draws from '
    'the operating system''s strong random source).';

ALTER TABLE attempts ADD COLUMN form_key text NOT NULL
    DEFAULT form_key_new() CHECK (form_key ~ '^[0-9a-f]{64}$');
COMMENT ON COLUMN attempts.form_key IS
    'Secret key of the attempt''s form: field names and choice values are '
    'keyed hashes of it (src/quiz-form.c); never sent to the browser.';
ALTER TABLE assessments ADD COLUMN form_key text NOT NULL
    DEFAULT form_key_new() CHECK (form_key ~ '^[0-9a-f]{64}$');
COMMENT ON COLUMN assessments.form_key IS
    'Secret key of the test''s form, as attempts.form_key.';

ALTER TABLE courses ADD COLUMN review text NOT NULL DEFAULT 'after-pass'
    CHECK (review IN ('after-pass', 'after-last-attempt', 'always',
    'never'));
COMMENT ON COLUMN courses.review IS
    'When a quiz''s right answers are shown with a result: after-pass '
    '(once the quiz is passed or no attempt is left), after-last-attempt '
    '(once no attempt is left), always, never. Which of the learner''s '
    'own answers were right is always shown.';

ALTER TABLE hours_ledger ADD COLUMN seconds integer
    CHECK (seconds IS NULL OR seconds >= 0);
COMMENT ON COLUMN hours_ledger.seconds IS
    'Time measured on the server behind the credit: for a module, from '
    'its first opening to "finished" (capped at three times its minutes); '
    'for a course, the sum over its modules. NULL for credits recorded '
    'before 0013.';

-- Courses from the web editor belong to a unit, as web modules do; the
-- programme's (imported from courses/) have none.
ALTER TABLE courses ADD COLUMN owner_org_id bigint REFERENCES orgs(id);
ALTER TABLE courses ADD COLUMN author_id bigint REFERENCES users(id);
COMMENT ON COLUMN courses.owner_org_id IS
    'The unit whose trainers edit the course in the web editor; NULL for '
    'the programme''s courses kept in the repository (courses/).';

-- A rating is a trainer's judgement of somebody else.
ALTER TABLE evidence ADD CONSTRAINT evidence_not_self
    CHECK (rated_by IS NULL OR rated_by <> user_id) NOT VALID;

/*
 * The level a course can certify for one competence: the highest level
 * that a learner answering every question of the course's quizzes (the
 * current versions of its modules) right would reach under the
 * competence rule (competence_rule: a level is met with at least 2
 * answers, 80 % right; reached is the highest met level with no lower
 * level that has questions and is not met). NULL: none.
 */
CREATE FUNCTION course_certifiable_rank(p_course bigint, p_competence text)
RETURNS integer LANGUAGE sql STABLE AS $$
	WITH counts AS (
		SELECT lv.rank, count(*) AS n
		FROM course_modules cm
		JOIN modules m ON m.id = cm.module_id
		JOIN questions q ON q.version_id = m.current_version_id
		JOIN competences c ON c.code = q.competence
		JOIN levels lv ON lv.framework_id = c.framework_id AND
		    lv.name = q.level
		WHERE cm.course_id = p_course AND q.competence = p_competence
		GROUP BY lv.rank
	)
	SELECT max(c.rank) FROM counts c
	WHERE c.n >= 2 AND NOT EXISTS (SELECT 1 FROM counts l
	    WHERE l.rank < c.rank AND l.n < 2)
$$;

/*
 * What a course claims (course_competences) against what it can
 * certify: the level a badge names is the claimed one when the course
 * can certify it, else the highest level below it that it can, else
 * none (the competence is named without a level).
 */
CREATE VIEW course_claims AS
	SELECT cc.course_id, cc.competence, cc.level AS claimed,
	    cl.rank AS claimed_rank, cr.rank AS certifiable_rank,
	    CASE WHEN cr.rank >= cl.rank THEN cc.level
	    ELSE (SELECT l2.name FROM levels l2 WHERE l2.framework_id =
	    co.framework_id AND l2.rank = cr.rank) END AS certified
	FROM course_competences cc
	JOIN competences co ON co.code = cc.competence
	JOIN levels cl ON cl.framework_id = co.framework_id AND
	    cl.name = cc.level
	LEFT JOIN LATERAL (SELECT course_certifiable_rank(cc.course_id,
	    cc.competence) AS rank) cr ON true;
COMMENT ON VIEW course_claims IS
    'Each competence level a course claims, and the level its quizzes '
    'can certify under the competence rule (certified: NULL for none).';
