-- 0008: every person's gap cells (required against achieved level per
-- required competence), kept up to date as roles, requirements and
-- levels change, so that the HR report of a region reads them instead of
-- recomputing every requirement of 20,000 people.

CREATE TABLE user_gaps (
	user_id		bigint NOT NULL REFERENCES users(id),
	competence	text NOT NULL,
	required	integer NOT NULL,
	achieved	integer NOT NULL,
	PRIMARY KEY (user_id, competence)
);
COMMENT ON TABLE user_gaps IS
    'Derived from user_job_roles, job_role_requirements and '
    'competence_levels by the triggers below; gaps_refresh() rebuilds it.';

/* Rebuild the cells of some people from their roles and levels. */
CREATE FUNCTION gaps_refresh(p_users bigint[]) RETURNS void
LANGUAGE sql AS $$
	DELETE FROM user_gaps WHERE user_id = ANY (p_users);
	INSERT INTO user_gaps (user_id, competence, required, achieved)
	SELECT uj.user_id, r.competence, max(r.rank),
	    coalesce(max(cl.rank), 0)
	FROM user_job_roles uj
	JOIN job_role_requirements r ON r.role_id = uj.role_id
	LEFT JOIN competence_levels cl ON cl.user_id = uj.user_id AND
	    cl.competence = r.competence
	WHERE uj.user_id = ANY (p_users)
	GROUP BY uj.user_id, r.competence;
$$;

CREATE FUNCTION gaps_roles_new() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	PERFORM gaps_refresh(ARRAY(SELECT DISTINCT user_id FROM changed));
	RETURN NULL;
END;
$$;

CREATE TRIGGER user_job_roles_ins AFTER INSERT ON user_job_roles
    REFERENCING NEW TABLE AS changed FOR EACH STATEMENT
    EXECUTE FUNCTION gaps_roles_new();
CREATE TRIGGER user_job_roles_del AFTER DELETE ON user_job_roles
    REFERENCING OLD TABLE AS changed FOR EACH STATEMENT
    EXECUTE FUNCTION gaps_roles_new();
CREATE TRIGGER user_job_roles_upd AFTER UPDATE ON user_job_roles
    REFERENCING NEW TABLE AS changed FOR EACH STATEMENT
    EXECUTE FUNCTION gaps_roles_new();

/* A role's requirements changed: the people holding it. */
CREATE FUNCTION gaps_requirements() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	PERFORM gaps_refresh(ARRAY(SELECT DISTINCT uj.user_id FROM
	    user_job_roles uj WHERE uj.role_id IN (SELECT role_id FROM
	    changed)));
	RETURN NULL;
END;
$$;

CREATE TRIGGER job_role_requirements_ins AFTER INSERT ON
    job_role_requirements REFERENCING NEW TABLE AS changed
    FOR EACH STATEMENT EXECUTE FUNCTION gaps_requirements();
CREATE TRIGGER job_role_requirements_del AFTER DELETE ON
    job_role_requirements REFERENCING OLD TABLE AS changed
    FOR EACH STATEMENT EXECUTE FUNCTION gaps_requirements();
CREATE TRIGGER job_role_requirements_upd AFTER UPDATE ON
    job_role_requirements REFERENCING NEW TABLE AS changed
    FOR EACH STATEMENT EXECUTE FUNCTION gaps_requirements();

/* A level changed: the cell of that person and competence, if any. */
CREATE FUNCTION gaps_level() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	UPDATE user_gaps SET achieved = coalesce(NEW.rank, 0)
	WHERE user_id = NEW.user_id AND competence = NEW.competence AND
	    achieved IS DISTINCT FROM coalesce(NEW.rank, 0);
	RETURN NULL;
END;
$$;

CREATE TRIGGER competence_levels_gap AFTER INSERT OR UPDATE ON
    competence_levels FOR EACH ROW EXECUTE FUNCTION gaps_level();

/* The cells for what exists already. */
SELECT gaps_refresh(ARRAY(SELECT DISTINCT user_id FROM user_job_roles));

/*
 * gap_cells of 0007, now reading user_gaps; with a role filter the
 * cells depend on that role alone, and are computed as before.
 */
CREATE OR REPLACE FUNCTION gap_cells(p_scope text, p_org text, p_role text)
RETURNS TABLE (user_id bigint, org_path text, competence text,
    required integer, achieved integer)
LANGUAGE sql STABLE AS $$
	SELECT g.user_id, o.path, g.competence, g.required, g.achieved
	FROM user_gaps g
	JOIN users u ON u.id = g.user_id
	JOIN orgs o ON o.id = u.org_id
	WHERE p_role = '' AND u.active AND o.path LIKE p_scope || '%' AND
	    (p_org = '' OR o.path LIKE (SELECT f.path FROM orgs f WHERE
	    f.code = p_org) || '%')
	UNION ALL
	SELECT u.id, o.path, r.competence, max(r.rank)::int,
	    coalesce(max(cl.rank), 0)::int
	FROM users u
	JOIN orgs o ON o.id = u.org_id
	JOIN user_job_roles uj ON uj.user_id = u.id
	JOIN job_roles jr ON jr.id = uj.role_id
	JOIN job_role_requirements r ON r.role_id = jr.id
	LEFT JOIN competence_levels cl ON cl.user_id = u.id AND
	    cl.competence = r.competence
	WHERE p_role <> '' AND u.active AND o.path LIKE p_scope || '%' AND
	    (p_org = '' OR o.path LIKE (SELECT f.path FROM orgs f WHERE
	    f.code = p_org) || '%') AND jr.code = p_role
	GROUP BY u.id, o.path, r.competence
$$;
