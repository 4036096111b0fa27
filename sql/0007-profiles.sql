-- 0007: role profiles (the level each job role requires per competence),
-- their assignment to people, and the gap report's building blocks.

CREATE TABLE job_roles (
	id		bigserial PRIMARY KEY,
	code		text NOT NULL UNIQUE
			    CHECK (code ~ '^[a-z0-9]([a-z0-9-]*[a-z0-9])?$'),
	name		text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
	description	text NOT NULL DEFAULT '',
	owner_org_id	bigint REFERENCES orgs(id),
	updated_at	timestamptz NOT NULL DEFAULT now()
);
COMMENT ON COLUMN job_roles.owner_org_id IS
    'The unit whose HR office defined the role and may change it; NULL for '
    'the programme-wide profiles of courses/roles.csv, changed only there.';

CREATE TABLE job_role_requirements (
	role_id		bigint NOT NULL REFERENCES job_roles(id)
			    ON DELETE CASCADE,
	competence	text NOT NULL REFERENCES competences(code),
	rank		integer NOT NULL CHECK (rank >= 1),
	PRIMARY KEY (role_id, competence)
);

CREATE TABLE user_job_roles (
	user_id		bigint NOT NULL REFERENCES users(id),
	role_id		bigint NOT NULL REFERENCES job_roles(id)
			    ON DELETE CASCADE,
	assigned_by	bigint REFERENCES users(id),
	assigned_at	timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (user_id, role_id)
);
CREATE INDEX user_job_roles_role ON user_job_roles (role_id);
CREATE INDEX evidence_question ON evidence (user_id, question_id, at DESC);
CREATE INDEX course_competences_competence ON course_competences (competence);

/*
 * The level rule of 0005 (README.md, "Competence levels"), written once
 * for a set of people: per person, competence and level, how many items
 * count (the latest answer to each question), how many are right, and
 * whether the level is met (>= 2 items, >= 80% right). reached says
 * whether the level counts: met, with no lower level that has items and
 * is not met. Both the recomputation and the explanation page read it.
 */
CREATE FUNCTION competence_rule(p_users bigint[], p_comps text[] DEFAULT NULL)
RETURNS TABLE (user_id bigint, competence text, rank integer,
    level text, items integer, ok integer, met boolean, reached boolean)
LANGUAGE sql STABLE AS $$
	WITH latest AS (
		SELECT DISTINCT ON (e.user_id, e.question_id) e.user_id,
		    e.competence, e.level, e.correct
		FROM evidence e
		WHERE e.user_id = ANY (p_users) AND e.source = 'answer' AND
		    (p_comps IS NULL OR e.competence = ANY (p_comps))
		ORDER BY e.user_id, e.question_id, e.at DESC, e.id DESC
	), per AS (
		SELECT l.user_id, l.competence, lv.rank, lv.name,
		    count(*)::int AS items,
		    (count(*) FILTER (WHERE l.correct))::int AS ok
		FROM latest l
		JOIN competences c ON c.code = l.competence
		JOIN levels lv ON lv.framework_id = c.framework_id AND
		    lv.name = l.level
		GROUP BY l.user_id, l.competence, lv.rank, lv.name
	), judged AS (
		SELECT per.*, items >= 2 AND ok >= 0.8 * items AS met
		FROM per
	)
	SELECT j.user_id, j.competence, j.rank, j.name, j.items, j.ok, j.met,
	    bool_and(j.met) OVER (PARTITION BY j.user_id, j.competence
	    ORDER BY j.rank)
	FROM judged j
$$;

/*
 * Recompute the levels of a set of people (a trainer's rating wins), in
 * every competence or only in p_comps (those a quiz just touched).
 */
CREATE FUNCTION competence_recompute_many(p_users bigint[],
    p_comps text[] DEFAULT NULL) RETURNS void
LANGUAGE sql AS $$
	WITH rule AS (
		SELECT r.user_id, r.competence,
		    max(r.rank) FILTER (WHERE r.reached) AS rank,
		    sum(r.items)::int AS items, sum(r.ok)::int AS ok
		FROM competence_rule(p_users, p_comps) r
		GROUP BY r.user_id, r.competence
	), rating AS (
		SELECT DISTINCT ON (e.user_id, e.competence) e.user_id,
		    e.competence, lv.rank
		FROM evidence e
		JOIN competences c ON c.code = e.competence
		JOIN levels lv ON lv.framework_id = c.framework_id AND
		    lv.name = e.rating_level
		WHERE e.user_id = ANY (p_users) AND e.source = 'rating' AND
		    (p_comps IS NULL OR e.competence = ANY (p_comps))
		ORDER BY e.user_id, e.competence, e.at DESC, e.id DESC
	), merged AS (
		SELECT coalesce(ru.user_id, ra.user_id) AS user_id,
		    coalesce(ru.competence, ra.competence) AS competence,
		    CASE WHEN ra.competence IS NOT NULL THEN ra.rank ELSE
		    ru.rank END AS rank,
		    CASE WHEN ra.competence IS NOT NULL THEN 'rating' ELSE
		    'answers' END AS basis,
		    coalesce(ru.items, 0) AS items, coalesce(ru.ok, 0) AS ok
		FROM rule ru FULL JOIN rating ra ON ra.user_id = ru.user_id AND
		    ra.competence = ru.competence
	)
	INSERT INTO competence_levels (user_id, competence, rank, level, basis,
	    items, correct, computed_at)
	SELECT m.user_id, m.competence, m.rank, lv.name, m.basis, m.items,
	    m.ok, now()
	FROM merged m
	JOIN competences c ON c.code = m.competence
	LEFT JOIN levels lv ON lv.framework_id = c.framework_id AND
	    lv.rank = m.rank
	ON CONFLICT (user_id, competence) DO UPDATE SET rank = EXCLUDED.rank,
	    level = EXCLUDED.level, basis = EXCLUDED.basis,
	    items = EXCLUDED.items, correct = EXCLUDED.correct,
	    computed_at = EXCLUDED.computed_at;
$$;

CREATE OR REPLACE FUNCTION competence_recompute(p_user bigint) RETURNS void
LANGUAGE sql AS $$
	SELECT competence_recompute_many(ARRAY[p_user]);
$$;

/*
 * What each person in a part of the organisation is required to reach
 * and has reached, one row per person and required competence:
 *  - p_scope: the path of the HR user's subtree (always applied);
 *  - p_org: a unit code inside it, '' for all;
 *  - p_role: a job role code, '' for all; with a role, only that role's
 *    requirements count, and only the people who hold it;
 *  - a person holding several roles must reach the highest level any of
 *    them requires.
 * achieved is 0 when no level has been reached yet. Only active staff.
 */
CREATE FUNCTION gap_cells(p_scope text, p_org text, p_role text)
RETURNS TABLE (user_id bigint, org_path text, competence text,
    required integer, achieved integer)
LANGUAGE sql STABLE AS $$
	SELECT u.id, o.path, r.competence, max(r.rank)::int,
	    coalesce(max(cl.rank), 0)::int
	FROM users u
	JOIN orgs o ON o.id = u.org_id
	JOIN user_job_roles uj ON uj.user_id = u.id
	JOIN job_roles jr ON jr.id = uj.role_id
	JOIN job_role_requirements r ON r.role_id = jr.id
	LEFT JOIN competence_levels cl ON cl.user_id = u.id AND
	    cl.competence = r.competence
	WHERE u.active AND o.path LIKE p_scope || '%' AND
	    (p_org = '' OR o.path LIKE (SELECT f.path FROM orgs f WHERE
	    f.code = p_org) || '%') AND
	    (p_role = '' OR jr.code = p_role)
	GROUP BY u.id, o.path, r.competence
$$;

/*
 * The unit a path belongs to at a depth of the tree (1 region, 2 agency,
 * 3 office); people placed higher up than the depth asked for count in
 * the deepest unit they belong to.
 */
CREATE FUNCTION org_at_depth(p_path text, p_depth integer) RETURNS bigint
LANGUAGE sql IMMUTABLE AS $$
	SELECT coalesce(nullif(split_part(p_path, '/', p_depth + 1), ''),
	    nullif(split_part(p_path, '/', least(p_depth, 2) + 1), ''),
	    split_part(p_path, '/', 2))::bigint
$$;

/*
 * The active staff of a part of the organisation (same filters as
 * gap_cells; with a role, only the people who hold it).
 */
CREATE FUNCTION hr_staff(p_scope text, p_org text, p_role text)
RETURNS TABLE (user_id bigint, org_path text)
LANGUAGE sql STABLE AS $$
	SELECT u.id, o.path
	FROM users u
	JOIN orgs o ON o.id = u.org_id
	WHERE u.active AND o.path LIKE p_scope || '%' AND
	    (p_org = '' OR o.path LIKE (SELECT f.path FROM orgs f WHERE
	    f.code = p_org) || '%') AND
	    (p_role = '' OR EXISTS (SELECT 1 FROM user_job_roles uj JOIN
	    job_roles jr ON jr.id = uj.role_id WHERE uj.user_id = u.id AND
	    jr.code = p_role))
$$;

/* Training hours of a set of people in a year (0 for none). */
CREATE FUNCTION hr_hours(p_scope text, p_org text, p_role text,
    p_year integer)
RETURNS TABLE (user_id bigint, org_path text, hours numeric)
LANGUAGE sql STABLE AS $$
	SELECT s.user_id, s.org_path, coalesce(h.hours, 0)
	FROM hr_staff(p_scope, p_org, p_role) s
	LEFT JOIN (SELECT hl.user_id, sum(hl.hours) AS hours FROM
	    hours_ledger hl WHERE hl.year = p_year GROUP BY hl.user_id) h ON
	    h.user_id = s.user_id
$$;

/*
 * Tree order for lists of units: parents before their children, by id.
 * (Ordering the path as text would put /1/10/ before /1/9/.)
 */
CREATE FUNCTION org_order(p_path text) RETURNS bigint[]
LANGUAGE sql IMMUTABLE AS $$
	SELECT string_to_array(trim(BOTH '/' FROM p_path), '/')::bigint[]
$$;
