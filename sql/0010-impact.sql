-- 0010: impact evaluation and learning records (README.md, "Impact
-- evaluation"): editions of a course, pre/post assessments drawn as two
-- parallel forms from the course's assessment pool, the comparison
-- cohort of a later edition, the per-person rows of the impact report,
-- and the rows of the xAPI statements.

/*
 * An edition of a course: a period in which a group follows it. A later
 * edition whose compares_with names an earlier one is that edition's
 * comparison cohort: its people take the pre-test when assigned and
 * again after the length of the earlier edition, before their own
 * course starts.
 */
CREATE TABLE editions (
	id		bigserial PRIMARY KEY,
	course_id	bigint NOT NULL REFERENCES courses(id),
	code		text NOT NULL
			    CHECK (code ~ '^[a-z0-9]([a-z0-9-]*[a-z0-9])?$'),
	starts_on	date NOT NULL,
	ends_on		date NOT NULL,
	compares_with	bigint REFERENCES editions(id),
	owner_org_id	bigint REFERENCES orgs(id),
	created_by	bigint REFERENCES users(id),
	created_at	timestamptz NOT NULL DEFAULT now(),
	CHECK (ends_on >= starts_on),
	CHECK (compares_with IS DISTINCT FROM id)
);
CREATE UNIQUE INDEX editions_code ON editions (course_id, code,
    coalesce(owner_org_id, 0));
CREATE INDEX editions_compares ON editions (compares_with);
COMMENT ON COLUMN editions.owner_org_id IS
    'The unit whose HR office created the edition; NULL: programme-wide.';

ALTER TABLE enrolments ADD COLUMN edition_id bigint REFERENCES editions(id);
CREATE INDEX enrolments_edition ON enrolments (edition_id);

/*
 * One pre-test (at enrolment), retest (comparison cohort, after the
 * interval) or post-test (at completion) per enrolment. Its questions
 * are form A or B of the pool (assessment_form below): the first test
 * of an enrolment gets a form drawn at random, every later one the
 * other form. Not quiz attempts: they earn no hours, no badge and no
 * competence evidence, and their right answers are never shown.
 */
CREATE TABLE assessments (
	id		uuid PRIMARY KEY DEFAULT gen_random_uuid(),
	enrolment_id	bigint NOT NULL REFERENCES enrolments(id),
	user_id		bigint NOT NULL REFERENCES users(id),
	course_id	bigint NOT NULL REFERENCES courses(id),
	phase		text NOT NULL
			    CHECK (phase IN ('pre', 'retest', 'post')),
	form		text NOT NULL CHECK (form IN ('A', 'B')),
	version_id	bigint NOT NULL REFERENCES module_versions(id),
	seed		bigint NOT NULL,
	due_at		timestamptz NOT NULL DEFAULT now(),
	started_at	timestamptz,
	submitted_at	timestamptz,
	score		numeric(8,3),
	max_score	numeric(8,3),
	percent		numeric(6,2) CHECK (percent BETWEEN 0 AND 100),
	UNIQUE (enrolment_id, phase)
);
CREATE INDEX assessments_user ON assessments (user_id);
CREATE INDEX assessments_course ON assessments (course_id, phase);
COMMENT ON COLUMN assessments.version_id IS
    'The version of the pool module: the pre-test''s, kept by every later '
    'test of the enrolment so that both forms come from the same pool.';

CREATE TABLE assessment_answers (
	assessment_id	uuid NOT NULL REFERENCES assessments(id),
	question_id	bigint NOT NULL REFERENCES questions(id),
	answer		text,
	correct		boolean NOT NULL,
	score		numeric(8,3) NOT NULL,
	PRIMARY KEY (assessment_id, question_id)
);

/*
 * The secret that keys the xAPI pseudonyms and statement ids
 * (HMAC-SHA256, src/xapi.c): 244 random bits from two v4 UUIDs.
 */
CREATE TABLE impact_secret (
	one		boolean PRIMARY KEY DEFAULT true CHECK (one),
	secret		text NOT NULL
);
INSERT INTO impact_secret (secret) VALUES (replace(gen_random_uuid()::text ||
    gen_random_uuid()::text, '-', ''));

/*
 * The two parallel forms of a pool: its questions ordered by competence,
 * level and position, alternately A and B. Each competence and level is
 * split in two halves that differ by at most one question, and so are
 * the whole forms.
 */
CREATE FUNCTION assessment_form(p_version bigint, p_form text)
RETURNS TABLE (question_id bigint)
LANGUAGE sql STABLE AS $$
	SELECT s.id FROM (
		SELECT q.id, CASE WHEN row_number() OVER (ORDER BY
		    q.competence, q.level, q.position) % 2 = 1 THEN 'A' ELSE
		    'B' END AS form, q.position
		FROM questions q WHERE q.version_id = p_version
	) s WHERE s.form = p_form ORDER BY s.position
$$;

/*
 * Open a test of an enrolment, once per phase, when its course has a
 * pool of at least two questions.
 */
CREATE FUNCTION assessment_open(p_enrolment bigint, p_phase text,
    p_due timestamptz DEFAULT now()) RETURNS void
LANGUAGE sql AS $$
	INSERT INTO assessments (enrolment_id, user_id, course_id, phase,
	    form, version_id, seed, due_at)
	SELECT e.id, e.user_id, e.course_id, p_phase,
	    coalesce((SELECT CASE WHEN a.form = 'A' THEN 'B' ELSE 'A' END
		FROM assessments a WHERE a.enrolment_id = e.id
		ORDER BY a.due_at DESC LIMIT 1),
		CASE WHEN random() < 0.5 THEN 'A' ELSE 'B' END),
	    coalesce((SELECT a.version_id FROM assessments a WHERE
		a.enrolment_id = e.id AND a.phase = 'pre'),
		m.current_version_id),
	    floor(random() * 9007199254740991)::bigint, p_due
	FROM enrolments e
	JOIN courses c ON c.id = e.course_id
	JOIN modules m ON m.id = c.assessment_module_id
	WHERE e.id = p_enrolment AND (SELECT count(*) FROM questions q WHERE
	    q.version_id = m.current_version_id) >= 2
	ON CONFLICT (enrolment_id, phase) DO NOTHING;
$$;

/* The pre-test at enrolment, the post-test at completion. */
CREATE FUNCTION assessments_enrolment() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	IF TG_OP = 'INSERT' THEN
		PERFORM assessment_open(NEW.id, 'pre');
	END IF;
	IF NEW.completed_at IS NOT NULL AND (TG_OP = 'INSERT' OR
	    OLD.completed_at IS NULL) THEN
		PERFORM assessment_open(NEW.id, 'post');
	END IF;
	RETURN NULL;
END;
$$;

CREATE TRIGGER enrolments_assessments AFTER INSERT OR UPDATE OF completed_at
    ON enrolments FOR EACH ROW EXECUTE FUNCTION assessments_enrolment();

/*
 * A person's retests that have come due: in a comparison edition, the
 * pre-test taken, the course not completed, and the length of the
 * compared edition gone by since the pre-test.
 */
CREATE FUNCTION assessment_refresh(p_user bigint) RETURNS void
LANGUAGE sql AS $$
	SELECT assessment_open(e.id, 'retest', p.submitted_at +
	    (t.ends_on - t.starts_on) * interval '1 day')
	FROM enrolments e
	JOIN editions d ON d.id = e.edition_id
	JOIN editions t ON t.id = d.compares_with
	JOIN assessments p ON p.enrolment_id = e.id AND p.phase = 'pre' AND
	    p.submitted_at IS NOT NULL
	WHERE e.user_id = p_user AND e.completed_at IS NULL AND
	    p.submitted_at + (t.ends_on - t.starts_on) * interval '1 day' <=
	    now() AND NOT EXISTS (SELECT 1 FROM assessments r WHERE
	    r.enrolment_id = e.id AND r.phase = 'retest');
$$;

/*
 * Did the person meet the course before a time: a module of the course
 * opened (read), or a quiz attempt in the course started?
 */
CREATE FUNCTION impact_studied(p_user bigint, p_course bigint,
    p_before timestamptz) RETURNS boolean
LANGUAGE sql STABLE AS $$
	SELECT EXISTS (SELECT 1 FROM module_reads r JOIN module_versions v ON
	    v.id = r.version_id JOIN course_modules cm ON cm.module_id =
	    v.module_id AND cm.course_id = p_course WHERE r.user_id = p_user
	    AND r.opened_at < p_before)
	OR EXISTS (SELECT 1 FROM attempts a WHERE a.user_id = p_user AND
	    a.course_id = p_course AND a.started_at < p_before)
$$;

/*
 * The per-person rows of the impact report for a course, in a part of
 * the organisation (p_scope: the HR subtree, always applied; p_org: a
 * unit in it, '' for all). One row per person and group:
 *
 *  treated	people of the course (any edition that is not a comparison
 *		cohort still waiting): first = their latest test before the
 *		course (pre-test, or the retest of a comparison cohort),
 *		second = the post-test at completion; edition_id = theirs;
 *  comparison	people of an edition that compares with an earlier one:
 *		first = pre-test, second = retest; edition_id = the earlier
 *		(compared) edition.
 *
 * second is NULL when the second test is missing (attrition); days is
 * the time between the two tests; excluded is true when the person
 * opened a module or started a quiz of the course before the first test
 * (treated: the baseline is not a baseline) or before the second one
 * (comparison: not "without the course"), or completed the course
 * without a retest. Percentages, 0 to 100.
 */
CREATE FUNCTION impact_people(p_scope text, p_org text, p_course bigint)
RETURNS TABLE (user_id bigint, org_path text, edition_id bigint, grp text,
    first numeric, second numeric, days numeric, excluded boolean,
    enrolled_at timestamptz)
LANGUAGE sql STABLE AS $$
	WITH staff AS (
		SELECT u.id, o.path
		FROM users u JOIN orgs o ON o.id = u.org_id
		WHERE o.path LIKE p_scope || '%' AND (p_org = '' OR o.path LIKE
		    (SELECT f.path FROM orgs f WHERE f.code = p_org) || '%')
	)
	SELECT e.user_id, s.path, e.edition_id, 'treated', b.percent,
	    po.percent, round((extract(epoch FROM po.submitted_at -
	    b.submitted_at) / 86400)::numeric, 1),
	    impact_studied(e.user_id, e.course_id, b.submitted_at),
	    e.enrolled_at
	FROM enrolments e
	JOIN staff s ON s.id = e.user_id
	LEFT JOIN editions d ON d.id = e.edition_id
	JOIN LATERAL (SELECT a.percent, a.submitted_at FROM assessments a
	    WHERE a.enrolment_id = e.id AND a.phase IN ('pre', 'retest') AND
	    a.submitted_at IS NOT NULL ORDER BY a.submitted_at DESC
	    LIMIT 1) b ON true
	LEFT JOIN assessments po ON po.enrolment_id = e.id AND
	    po.phase = 'post' AND po.submitted_at IS NOT NULL
	WHERE e.course_id = p_course AND (d.compares_with IS NULL OR
	    e.completed_at IS NOT NULL OR d.starts_on <= current_date)
	UNION ALL
	SELECT e.user_id, s.path, d.compares_with, 'comparison', p.percent,
	    r.percent, round((extract(epoch FROM r.submitted_at -
	    p.submitted_at) / 86400)::numeric, 1),
	    impact_studied(e.user_id, e.course_id, coalesce(r.submitted_at,
	    now())) OR (e.completed_at IS NOT NULL AND r.submitted_at IS NULL),
	    e.enrolled_at
	FROM enrolments e
	JOIN staff s ON s.id = e.user_id
	JOIN editions d ON d.id = e.edition_id AND d.compares_with IS NOT NULL
	JOIN assessments p ON p.enrolment_id = e.id AND p.phase = 'pre' AND
	    p.submitted_at IS NOT NULL
	LEFT JOIN assessments r ON r.enrolment_id = e.id AND
	    r.phase = 'retest' AND r.submitted_at IS NOT NULL
	WHERE e.course_id = p_course
$$;

/*
 * The learning records of a part of the organisation as rows of xAPI
 * statements (src/xapi.c writes them), in time order, after a paging
 * cursor (p_after_us, p_after_key), at most p_limit of them:
 *
 *   launched	a module opened, a quiz attempt or a test started
 *   completed	a module read to the end, a course completed, a test
 *		submitted (with its score)
 *   passed	a quiz attempt submitted at the pass mark or above
 *   failed	a quiz attempt submitted below it
 *   answered	each graded answer of a quiz attempt or a test
 *
 * key identifies the record (its statement id derives from it) and, with
 * the time in microseconds, orders the rows.
 */
CREATE FUNCTION xapi_rows(p_scope text, p_org text, p_user text,
    p_since timestamptz, p_after_us bigint, p_after_key text,
    p_limit integer)
RETURNS TABLE (us bigint, ts text, key text, verb text, user_id bigint,
    enrolment_id bigint, otype text, opath text, oname text, lang text,
    interaction text, ptype text, ppath text, pname text, gpath text,
    gname text, raw numeric, maxs numeric, success boolean,
    completion boolean, response text, duration bigint, revision text,
    phase text)
LANGUAGE sql STABLE AS $$
	WITH who AS (
		SELECT u.id
		FROM users u JOIN orgs o ON o.id = u.org_id
		WHERE o.path LIKE p_scope || '%' AND (p_org = '' OR o.path LIKE
		    (SELECT f.path FROM orgs f WHERE f.code = p_org) || '%') AND
		    (p_user = '' OR u.id = nullif(p_user, '')::bigint)
	), s AS (
		-- A module opened, and read to the end.
		SELECT r.opened_at AS at, 'r.' || r.user_id || '.' ||
		    r.version_id || '.l' AS key, 'launched' AS verb, r.user_id,
		    NULL::bigint AS enrolment_id, 'module' AS otype,
		    'modules/' || m.slug AS opath, v.title AS oname, v.lang,
		    NULL::text AS interaction, NULL::text AS ptype,
		    NULL::text AS ppath, NULL::text AS pname,
		    NULL::text AS gpath, NULL::text AS gname,
		    NULL::numeric AS raw, NULL::numeric AS maxs,
		    NULL::boolean AS success,
		    NULL::boolean AS completion, NULL::text AS response,
		    NULL::bigint AS duration, v.version_no::text AS revision,
		    NULL::text AS phase
		FROM module_reads r JOIN who ON who.id = r.user_id
		JOIN module_versions v ON v.id = r.version_id
		JOIN modules m ON m.id = v.module_id
		UNION ALL
		SELECT r.finished_at, 'r.' || r.user_id || '.' ||
		    r.version_id || '.c', 'completed', r.user_id, NULL,
		    'module', 'modules/' || m.slug, v.title, v.lang, NULL, NULL,
		    NULL, NULL, NULL, NULL, NULL, NULL, NULL, true, NULL,
		    r.seconds, v.version_no::text, NULL
		FROM module_reads r JOIN who ON who.id = r.user_id
		JOIN module_versions v ON v.id = r.version_id
		JOIN modules m ON m.id = v.module_id
		WHERE r.finished_at IS NOT NULL
		UNION ALL
		-- A quiz attempt started, and submitted.
		SELECT a.started_at, 'a.' || a.id || '.l', 'launched',
		    a.user_id, e.id, 'quiz', 'modules/' || m.slug || '/quiz',
		    v.title, v.lang, NULL, 'module', 'modules/' || m.slug,
		    v.title, 'courses/' || c.slug, c.title, NULL, NULL, NULL,
		    NULL, NULL, NULL, v.version_no::text, NULL
		FROM attempts a JOIN who ON who.id = a.user_id
		JOIN module_versions v ON v.id = a.version_id
		JOIN modules m ON m.id = a.module_id
		JOIN courses c ON c.id = a.course_id
		LEFT JOIN enrolments e ON e.user_id = a.user_id AND
		    e.course_id = a.course_id
		UNION ALL
		SELECT a.submitted_at, 'a.' || a.id || '.s', CASE WHEN
		    a.passed THEN 'passed' ELSE 'failed' END, a.user_id, e.id,
		    'quiz', 'modules/' || m.slug || '/quiz', v.title, v.lang,
		    NULL, 'module', 'modules/' || m.slug, v.title, 'courses/' ||
		    c.slug, c.title, a.score, a.max_score, a.passed, true, NULL,
		    extract(epoch FROM a.submitted_at - a.started_at)::bigint,
		    v.version_no::text, NULL
		FROM attempts a JOIN who ON who.id = a.user_id
		JOIN module_versions v ON v.id = a.version_id
		JOIN modules m ON m.id = a.module_id
		JOIN courses c ON c.id = a.course_id
		LEFT JOIN enrolments e ON e.user_id = a.user_id AND
		    e.course_id = a.course_id
		WHERE a.submitted_at IS NOT NULL
		UNION ALL
		-- Each graded answer of an attempt.
		SELECT a.submitted_at, 'q.' || a.id || '.' || q.id, 'answered',
		    a.user_id, e.id, 'question', 'questions/' || q.id, q.text,
		    v.lang, q.type, 'quiz', 'modules/' || m.slug || '/quiz',
		    v.title, 'courses/' || c.slug, c.title, aa.score, q.points,
		    aa.correct, NULL, CASE WHEN q.type = 'short' THEN NULL WHEN
		    q.type IN ('single', 'multiple', 'order') THEN
		    replace(aa.answer, ',', '[,]') ELSE aa.answer END, NULL,
		    v.version_no::text, NULL
		FROM attempt_answers aa
		JOIN attempts a ON a.id = aa.attempt_id
		JOIN who ON who.id = a.user_id
		JOIN questions q ON q.id = aa.question_id
		JOIN module_versions v ON v.id = a.version_id
		JOIN modules m ON m.id = a.module_id
		JOIN courses c ON c.id = a.course_id
		LEFT JOIN enrolments e ON e.user_id = a.user_id AND
		    e.course_id = a.course_id
		UNION ALL
		-- A course completed.
		SELECT e.completed_at, 'e.' || e.id || '.c', 'completed',
		    e.user_id, e.id, 'course', 'courses/' || c.slug, c.title,
		    c.lang, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
		    NULL, true, NULL, NULL, NULL, NULL
		FROM enrolments e JOIN who ON who.id = e.user_id
		JOIN courses c ON c.id = e.course_id
		WHERE e.completed_at IS NOT NULL
		UNION ALL
		-- A pre-, re- or post-test started, and submitted.
		SELECT t.started_at, 's.' || t.id || '.l', 'launched',
		    t.user_id, t.enrolment_id, 'assessment', 'courses/' ||
		    c.slug || '/assessment/' || t.form, c.title || ' (' ||
		    t.form || ')', c.lang, NULL, NULL, NULL, NULL, 'courses/' ||
		    c.slug, c.title, NULL, NULL, NULL, NULL, NULL, NULL,
		    NULL, t.phase
		FROM assessments t JOIN who ON who.id = t.user_id
		JOIN courses c ON c.id = t.course_id
		WHERE t.started_at IS NOT NULL
		UNION ALL
		SELECT t.submitted_at, 's.' || t.id || '.c', 'completed',
		    t.user_id, t.enrolment_id, 'assessment', 'courses/' ||
		    c.slug || '/assessment/' || t.form, c.title || ' (' ||
		    t.form || ')', c.lang, NULL, NULL, NULL, NULL, 'courses/' ||
		    c.slug, c.title, t.score, t.max_score, NULL, true, NULL,
		    extract(epoch FROM t.submitted_at -
		    coalesce(t.started_at, t.submitted_at))::bigint, NULL,
		    t.phase
		FROM assessments t JOIN who ON who.id = t.user_id
		JOIN courses c ON c.id = t.course_id
		WHERE t.submitted_at IS NOT NULL
		UNION ALL
		-- Each graded answer of a test.
		SELECT t.submitted_at, 't.' || t.id || '.' || q.id, 'answered',
		    t.user_id, t.enrolment_id, 'question', 'questions/' || q.id,
		    q.text, c.lang, q.type, 'assessment', 'courses/' ||
		    c.slug || '/assessment/' || t.form, c.title || ' (' ||
		    t.form || ')', 'courses/' || c.slug, c.title, ta.score,
		    q.points, ta.correct, NULL, CASE WHEN q.type = 'short' THEN
		    NULL WHEN q.type IN ('single', 'multiple', 'order') THEN
		    replace(ta.answer, ',', '[,]') ELSE ta.answer END, NULL,
		    NULL, t.phase
		FROM assessment_answers ta
		JOIN assessments t ON t.id = ta.assessment_id
		JOIN who ON who.id = t.user_id
		JOIN questions q ON q.id = ta.question_id
		JOIN courses c ON c.id = t.course_id
	), k AS (
		SELECT (extract(epoch FROM s.at) * 1000000)::bigint AS us, s.*
		FROM s
		WHERE s.at IS NOT NULL AND (p_since IS NULL OR s.at >= p_since)
	)
	SELECT k.us, to_char(k.at AT TIME ZONE 'UTC',
	    'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'), k.key, k.verb, k.user_id,
	    k.enrolment_id, k.otype, k.opath, k.oname, k.lang, k.interaction,
	    k.ptype, k.ppath, k.pname, k.gpath, k.gname, k.raw, k.maxs,
	    k.success, k.completion, k.response, k.duration, k.revision,
	    k.phase
	FROM k
	WHERE p_after_key IS NULL OR (k.us, k.key COLLATE "C") >
	    (p_after_us, p_after_key COLLATE "C")
	ORDER BY k.us, k.key COLLATE "C"
	LIMIT p_limit
$$;

-- What an assessment changes, the person's cached pages forget
-- (sql/0009-cache-notify.sql).
CREATE TRIGGER assessments_cache AFTER INSERT OR UPDATE OR DELETE ON
    assessments FOR EACH ROW EXECUTE FUNCTION cache_notify_user('user_id');
CREATE TRIGGER editions_cache AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE
    ON editions FOR EACH STATEMENT EXECUTE FUNCTION cache_notify_content();
