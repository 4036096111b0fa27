-- 0021: the placement test and the personal training plan (README.md,
-- "Placement test" and "Personal plan").
--
-- A placement test is taken per area of the measured framework; its
-- questions come one at a time from the quizzes of the current module
-- versions (not from the pre/post-test pools, which must stay unseen),
-- chosen by src/placement.c. Every answer is evidence of source
-- 'placement'; when the test ends, each competence gets a result (the
-- most likely level, 0 for none) and the competence rule counts it.

CREATE TABLE placements (
	id		bigserial PRIMARY KEY,
	user_id		bigint NOT NULL REFERENCES users(id),
	area		text NOT NULL,
	phase		text NOT NULL CHECK (phase IN ('first', 'final')),
	form_key	text NOT NULL DEFAULT form_key_new(),
	seed		bigint NOT NULL DEFAULT (random() * 9e15)::bigint,
	question_id	bigint REFERENCES questions(id),
	started_at	timestamptz NOT NULL DEFAULT now(),
	finished_at	timestamptz
);
CREATE INDEX placements_user ON placements (user_id, area, started_at DESC);
COMMENT ON TABLE placements IS
    'Placement tests, per person and area: the first, then final checks. '
    'question_id is the question being asked, NULL once finished.';

CREATE TABLE placement_answers (
	placement_id	bigint NOT NULL REFERENCES placements(id),
	seq		integer NOT NULL,
	question_id	bigint NOT NULL REFERENCES questions(id),
	competence	text NOT NULL,
	rank		integer NOT NULL,
	guess		double precision NOT NULL,
	answer		text,
	correct		boolean NOT NULL,
	at		timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (placement_id, seq),
	UNIQUE (placement_id, question_id)
);

CREATE TABLE placement_results (
	placement_id	bigint NOT NULL REFERENCES placements(id),
	competence	text NOT NULL,
	rank		integer NOT NULL CHECK (rank >= 0),
	confidence	double precision NOT NULL,
	questions	integer NOT NULL,
	PRIMARY KEY (placement_id, competence)
);
COMMENT ON TABLE placement_results IS
    'The level a finished placement test found per competence (rank 0: '
    'none), with its probability under the model of src/placement.c.';

ALTER TABLE evidence DROP CONSTRAINT evidence_source_check;
ALTER TABLE evidence ADD CONSTRAINT evidence_source_check
    CHECK (source IN ('answer', 'rating', 'placement'));
ALTER TABLE evidence ADD COLUMN placement_id bigint
    REFERENCES placements(id);

ALTER TABLE competence_levels DROP CONSTRAINT competence_levels_basis_check;
ALTER TABLE competence_levels ADD CONSTRAINT competence_levels_basis_check
    CHECK (basis IN ('answers', 'rating', 'placement'));

/*
 * The latest finished placement result of each person and competence.
 */
CREATE FUNCTION placement_latest(p_users bigint[], p_comps text[])
RETURNS TABLE (user_id bigint, competence text, rank integer,
    at timestamptz, placement_id bigint)
LANGUAGE sql STABLE AS $$
	SELECT DISTINCT ON (p.user_id, r.competence) p.user_id, r.competence,
	    r.rank, p.finished_at, p.id
	FROM placements p
	JOIN placement_results r ON r.placement_id = p.id
	WHERE p.user_id = ANY (p_users) AND p.finished_at IS NOT NULL AND
	    (p_comps IS NULL OR r.competence = ANY (p_comps))
	ORDER BY p.user_id, r.competence, p.finished_at DESC, p.id DESC
$$;

/*
 * The rule of 0011 with placement results (README.md, "Competence
 * levels"): a placement result of rank R says every level up to R is
 * met and the others are not. For each level, course answers given
 * after the placement that the rule can judge (2 answers or more at
 * that level) supersede the placement's verdict; otherwise the
 * placement's verdict counts, and without a placement, the answers.
 * source says which: 'answers' or 'placement'.
 */
DROP FUNCTION competence_rule(bigint[], text[]);
CREATE FUNCTION competence_rule(p_users bigint[],
    p_comps text[] DEFAULT NULL)
RETURNS TABLE (user_id bigint, competence text, rank integer,
    level text, items integer, ok integer, met boolean, reached boolean,
    source text)
LANGUAGE sql STABLE AS $$
	WITH latest AS (
		SELECT l.user_id, l.competence, l.level, l.correct, l.at
		FROM latest_answers l
		WHERE l.user_id = ANY (p_users) AND
		    (p_comps IS NULL OR l.competence = ANY (p_comps))
	), per AS (
		SELECT l.user_id, l.competence, lv.rank, lv.name,
		    count(*)::int AS items,
		    (count(*) FILTER (WHERE l.correct))::int AS ok,
		    max(l.at) AS newest
		FROM latest l
		JOIN competences c ON c.code = l.competence
		JOIN levels lv ON lv.framework_id = c.framework_id AND
		    lv.name = l.level
		GROUP BY l.user_id, l.competence, lv.rank, lv.name
	), pl AS (
		SELECT p.user_id, p.competence, lv.rank, lv.name,
		    lv.rank <= p.rank AS met, p.at
		FROM placement_latest(p_users, p_comps) p
		JOIN competences c ON c.code = p.competence
		JOIN levels lv ON lv.framework_id = c.framework_id
	), judged AS (
		SELECT coalesce(a.user_id, p.user_id) AS user_id,
		    coalesce(a.competence, p.competence) AS competence,
		    coalesce(a.rank, p.rank) AS rank,
		    coalesce(a.name, p.name) AS name,
		    coalesce(a.items, 0) AS items, coalesce(a.ok, 0) AS ok,
		    CASE WHEN p.user_id IS NULL OR (a.items >= 2 AND
		    a.newest > p.at) THEN a.items >= 2 AND a.ok >= 0.8 * a.items
		    ELSE p.met END AS met,
		    CASE WHEN p.user_id IS NULL OR (a.items >= 2 AND
		    a.newest > p.at) THEN 'answers' ELSE 'placement' END
		    AS source
		FROM per a FULL JOIN pl p ON p.user_id = a.user_id AND
		    p.competence = a.competence AND p.rank = a.rank
	)
	SELECT j.user_id, j.competence, j.rank, j.name, j.items, j.ok, j.met,
	    bool_and(j.met) OVER (PARTITION BY j.user_id, j.competence
	    ORDER BY j.rank), j.source
	FROM judged j
$$;

/*
 * competence_recompute_many of 0011 with the rule above: the basis is
 * 'placement' when the level reached stands on a placement verdict.
 */
CREATE OR REPLACE FUNCTION competence_recompute_many(p_users bigint[],
    p_comps text[] DEFAULT NULL) RETURNS void
LANGUAGE plpgsql SET plan_cache_mode = force_generic_plan AS $$
BEGIN
		WITH rule AS (
			SELECT r.user_id, r.competence,
			    max(r.rank) FILTER (WHERE r.reached) AS rank,
			    sum(r.items)::int AS items, sum(r.ok)::int AS ok,
			    bool_or(r.source = 'placement' AND r.reached)
			    AS placed
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
			    CASE WHEN ra.competence IS NOT NULL THEN 'rating'
			    WHEN ru.placed THEN 'placement' ELSE
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
END;
$$;

/*
 * HR's changes to a person's plan: a course pinned (kept first) or
 * removed, each with its reason; the latest change per course counts,
 * 'clear' undoing it. Every change is also in the audit log.
 */
CREATE TABLE plan_changes (
	id		bigserial PRIMARY KEY,
	user_id		bigint NOT NULL REFERENCES users(id),
	course_id	bigint NOT NULL REFERENCES courses(id),
	action		text NOT NULL CHECK (action IN ('pin', 'remove',
			    'clear')),
	reason		text NOT NULL CHECK (length(reason) BETWEEN 1 AND 500),
	by_user		bigint NOT NULL REFERENCES users(id),
	at		timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX plan_changes_user ON plan_changes (user_id, course_id,
    at DESC, id DESC);
