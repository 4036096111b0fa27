-- 0017: frameworks of any depth, reference frameworks that courses align
-- to, and the xAPI statements pushed to learning record stores.
--
--  - The competences form a tree: an area is a competence without a
--    parent (depth 0), and below it competences and sub-competences at
--    any depth. Evidence, levels, ratings, role requirements and gap
--    cells name any node by its code, as before; the gap report rolls
--    the cells of a subtree up to its root (competence_subtree()).
--    areas, a table until now, becomes a view of the roots.
--  - A framework keeps its introduction, Moodle's taxonomies, which of
--    its levels are proficient and which is the scale's default.
--  - Reference frameworks (the Syllabus "Competenze digitali per la PA",
--    DigComp 2.2) are stored apart, in framework_nodes, with their own
--    codes (1.1 in both): courses align to them (course_alignments), and
--    the alignments travel in the badges.
--  - xapi_rows() keeps milliseconds and reads "since" as exclusive, so an
--    incremental pull that passes the last timestamp it saw gets each
--    statement once; xapi_push_marks keeps, per store, how far
--    bin/capacita push-xapi got.

ALTER TABLE frameworks
    ADD COLUMN kind text NOT NULL DEFAULT 'measured'
	CHECK (kind IN ('measured', 'reference')),
    ADD COLUMN introduction text NOT NULL DEFAULT '',
    ADD COLUMN taxonomy text NOT NULL DEFAULT '',
    ADD COLUMN source text NOT NULL DEFAULT '',
    ADD COLUMN url text NOT NULL DEFAULT '',
    ADD COLUMN default_rank integer NOT NULL DEFAULT 1
	CHECK (default_rank >= 1);
COMMENT ON COLUMN frameworks.kind IS
    'measured: courses/framework.md, whose competences take evidence, '
    'levels and requirements; reference: courses/frameworks/*.md, public '
    'frameworks that courses align to (framework_nodes).';
COMMENT ON COLUMN frameworks.introduction IS
    'The paragraphs before the first area, Markdown as written.';
COMMENT ON COLUMN frameworks.default_rank IS
    'The level a Moodle scale gives by default (its scaledefault).';

ALTER TABLE levels ADD COLUMN proficient boolean NOT NULL DEFAULT true;
UPDATE levels l SET proficient = l.rank > 1 OR NOT EXISTS (SELECT 1 FROM
    levels o WHERE o.framework_id = l.framework_id AND o.rank > 1);
COMMENT ON COLUMN levels.proficient IS
    'Moodle''s proficient flag of the scale value; by default every '
    'level but the lowest.';

-- The tree. An area is a root: parent NULL, depth 0, area its own code.
ALTER TABLE competences DROP CONSTRAINT competences_framework_id_area_fkey;
ALTER TABLE competences
    ADD COLUMN parent text,
    ADD COLUMN depth integer NOT NULL DEFAULT 1 CHECK (depth >= 0),
    ADD COLUMN path text;
UPDATE competences SET parent = area, path = area || '/' || code;
INSERT INTO competences (code, framework_id, area, name, description,
    position, retired, parent, depth, path)
SELECT a.code, a.framework_id, a.code, a.name, a.description, a.position,
    NOT EXISTS (SELECT 1 FROM competences c WHERE c.framework_id =
    a.framework_id AND c.area = a.code AND NOT c.retired), NULL, 0, a.code
FROM areas a
ON CONFLICT (code) DO NOTHING;
-- Positions in preorder: an area, then its competences.
UPDATE competences c SET position = o.n
FROM (SELECT c2.code, row_number() OVER (PARTITION BY c2.framework_id
    ORDER BY r.position, c2.depth, c2.position, c2.code) AS n
    FROM competences c2 JOIN competences r ON r.code = c2.area) o
WHERE o.code = c.code;
ALTER TABLE competences ALTER COLUMN path SET NOT NULL;
DROP TABLE areas;
CREATE VIEW areas AS
    SELECT framework_id, code, name, description, position
    FROM competences WHERE parent IS NULL;
CREATE INDEX competences_parent ON competences (parent);
CREATE INDEX competences_path ON competences (framework_id, path
    text_pattern_ops);
COMMENT ON COLUMN competences.parent IS
    'The code of the competence above, NULL for an area (a root).';
COMMENT ON COLUMN competences.path IS
    'The codes from the area down to this one, joined by /: the subtree '
    'of p is path = p.path or path starting with p.path || ''/''.';
COMMENT ON COLUMN competences.area IS 'The code of the root above (its '
    'own for an area).';

/*
 * Every node of the subtree under a competence (itself included): the
 * roll-up of the gap report.
 */
CREATE FUNCTION competence_subtree(p_code text)
RETURNS TABLE (code text)
LANGUAGE sql STABLE AS $$
	SELECT c.code FROM competences c JOIN competences r ON
	    r.code = p_code AND c.framework_id = r.framework_id AND
	    (c.path = r.path OR starts_with(c.path, r.path || '/'))
$$;

-- Reference frameworks: public frameworks that courses align to.
CREATE TABLE framework_nodes (
	framework_id	bigint NOT NULL REFERENCES frameworks(id),
	code		text NOT NULL,
	parent		text,
	depth		integer NOT NULL CHECK (depth >= 0),
	name		text NOT NULL,
	description	text NOT NULL DEFAULT '',
	position	integer NOT NULL,
	retired		boolean NOT NULL DEFAULT false,
	PRIMARY KEY (framework_id, code)
);
COMMENT ON TABLE framework_nodes IS
    'The areas and competences of reference frameworks, with the codes '
    'their sources give them (1.1 in the Syllabus and in DigComp).';

CREATE TABLE course_alignments (
	course_id	bigint NOT NULL REFERENCES courses(id),
	framework_id	bigint NOT NULL,
	code		text NOT NULL,
	level		text NOT NULL DEFAULT '',
	position	integer NOT NULL,
	PRIMARY KEY (course_id, framework_id, code),
	FOREIGN KEY (framework_id, code) REFERENCES framework_nodes
	    (framework_id, code)
);
COMMENT ON TABLE course_alignments IS
    'A course''s alignment to a competence of a reference framework '
    '(courses/<slug>.md, alignments:), at a level of that framework or '
    'none; each becomes an Alignment of the course''s badge.';

-- What changes a framework or an alignment, every cached page forgets
-- (sql/0009-cache-notify.sql).
CREATE TRIGGER framework_nodes_cache AFTER INSERT OR UPDATE OR DELETE OR
    TRUNCATE ON framework_nodes FOR EACH STATEMENT EXECUTE FUNCTION
    cache_notify_content();
CREATE TRIGGER course_alignments_cache AFTER INSERT OR UPDATE OR DELETE OR
    TRUNCATE ON course_alignments FOR EACH STATEMENT EXECUTE FUNCTION
    cache_notify_content();

-- The next import stores every framework again, with what is new here
-- (its introduction, taxonomy and proficient levels).
UPDATE frameworks SET sha256 = '';

CREATE TABLE xapi_push_marks (
	endpoint	text NOT NULL,
	version		text NOT NULL CHECK (version IN ('1.0.3', '2.0.0')),
	after_us	bigint NOT NULL DEFAULT 0,
	after_key	text NOT NULL DEFAULT '',
	sent		bigint NOT NULL DEFAULT 0,
	updated_at	timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (endpoint, version)
);
COMMENT ON TABLE xapi_push_marks IS
    'How far bin/capacita push-xapi got with each store: the key '
    '(microseconds, row key) of the last statement the store accepted. '
    'Written after the store''s 2xx, in its own transaction.';

/*
 * The statement rows of 0010, with the times cut to milliseconds (what a
 * statement's timestamp says) and "since" exclusive: a client that asks
 * for what came after the last timestamp it saw gets nothing twice.
 * p_before, when set, keeps only the rows older than it (push-xapi:
 * the oldest transaction still open, so that no row can still appear
 * behind the high-water mark).
 */
DROP FUNCTION xapi_rows(text, text, text, timestamptz, bigint, text, integer);
CREATE FUNCTION xapi_rows(p_scope text, p_org text, p_user text,
    p_since timestamptz, p_after_us bigint, p_after_key text,
    p_limit integer, p_before timestamptz DEFAULT NULL)
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
		    aa.correct, NULL, CASE WHEN q.type = 'short' THEN NULL ELSE
		    aa.answer END, NULL, v.version_no::text, NULL
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
		    NULL ELSE ta.answer END, NULL, NULL, t.phase
		FROM assessment_answers ta
		JOIN assessments t ON t.id = ta.assessment_id
		JOIN who ON who.id = t.user_id
		JOIN questions q ON q.id = ta.question_id
		JOIN courses c ON c.id = t.course_id
	), k AS (
		SELECT (extract(epoch FROM date_trunc('milliseconds', s.at)) *
		    1000000)::bigint AS us, date_trunc('milliseconds', s.at) AS
		    atms, s.*
		FROM s
		WHERE s.at IS NOT NULL AND (p_since IS NULL OR
		    date_trunc('milliseconds', s.at) > p_since) AND
		    (p_before IS NULL OR s.at < p_before)
	)
	SELECT k.us, to_char(k.atms AT TIME ZONE 'UTC',
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
