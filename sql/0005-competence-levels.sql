-- 0005: competence levels computed from evidence by an explicit rule.

CREATE TABLE competence_levels (
	user_id		bigint NOT NULL REFERENCES users(id),
	competence	text NOT NULL,
	rank		integer,
	level		text,
	basis		text NOT NULL CHECK (basis IN ('answers', 'rating')),
	items		integer NOT NULL DEFAULT 0,
	correct		integer NOT NULL DEFAULT 0,
	computed_at	timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (user_id, competence)
);
CREATE INDEX competence_levels_competence ON competence_levels (competence, rank);
COMMENT ON TABLE competence_levels IS
    'The level each person has reached in each competence, recomputed from '
    'the evidence by competence_recompute(); rank NULL = no level yet.';

/*
 * The rule (README.md, "Competence levels"):
 *  - only the latest answer to each question counts;
 *  - a level is met when at least 2 items at that level were answered
 *    and at least 80% of them are right;
 *  - the level reached is the highest one met with no lower level that
 *    has items and is not met;
 *  - a trainer's rating, when there is one, replaces the rule (its note
 *    says why), the latest rating counting.
 */
CREATE FUNCTION competence_recompute(p_user bigint) RETURNS void
LANGUAGE sql AS $$
	WITH latest AS (
		SELECT DISTINCT ON (e.question_id) e.competence, e.level,
		    e.correct
		FROM evidence e
		WHERE e.user_id = p_user AND e.source = 'answer'
		ORDER BY e.question_id, e.at DESC, e.id DESC
	), per AS (
		SELECT l.competence, lv.rank, count(*) AS items,
		    count(*) FILTER (WHERE l.correct) AS ok
		FROM latest l
		JOIN competences c ON c.code = l.competence
		JOIN levels lv ON lv.framework_id = c.framework_id AND
		    lv.name = l.level
		GROUP BY l.competence, lv.rank
	), reached AS (
		SELECT competence, rank, items, ok,
		    items >= 2 AND ok >= 0.8 * items AS met
		FROM per
	), rule AS (
		SELECT r.competence,
		    max(r.rank) FILTER (WHERE r.met AND NOT EXISTS (
			SELECT 1 FROM reached r2 WHERE r2.competence =
			r.competence AND r2.rank < r.rank AND NOT r2.met)) AS rank,
		    sum(r.items)::int AS items, sum(r.ok)::int AS ok
		FROM reached r GROUP BY r.competence
	), rating AS (
		SELECT DISTINCT ON (e.competence) e.competence, lv.rank
		FROM evidence e
		JOIN competences c ON c.code = e.competence
		JOIN levels lv ON lv.framework_id = c.framework_id AND
		    lv.name = e.rating_level
		WHERE e.user_id = p_user AND e.source = 'rating'
		ORDER BY e.competence, e.at DESC, e.id DESC
	), merged AS (
		SELECT coalesce(ru.competence, ra.competence) AS competence,
		    CASE WHEN ra.competence IS NOT NULL THEN ra.rank ELSE
		    ru.rank END AS rank,
		    CASE WHEN ra.competence IS NOT NULL THEN 'rating' ELSE
		    'answers' END AS basis,
		    coalesce(ru.items, 0) AS items, coalesce(ru.ok, 0) AS ok
		FROM rule ru FULL JOIN rating ra ON ra.competence = ru.competence
	)
	INSERT INTO competence_levels (user_id, competence, rank, level, basis,
	    items, correct, computed_at)
	SELECT p_user, m.competence, m.rank, lv.name, m.basis, m.items, m.ok,
	    now()
	FROM merged m
	JOIN competences c ON c.code = m.competence
	LEFT JOIN levels lv ON lv.framework_id = c.framework_id AND
	    lv.rank = m.rank
	ON CONFLICT (user_id, competence) DO UPDATE SET rank = EXCLUDED.rank,
	    level = EXCLUDED.level, basis = EXCLUDED.basis,
	    items = EXCLUDED.items, correct = EXCLUDED.correct,
	    computed_at = EXCLUDED.computed_at;
$$;
