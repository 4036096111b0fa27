/*
 * store-roles.c: role profiles (job roles and the level each requires
 * per competence) as an HR office sees them within its scope (an org
 * path): the list, one role's requirements, the CSV rows, saving a
 * unit's own profile, and giving profiles to people one by one or from
 * a CSV, each write with its audit line, all or nothing.
 *
 * Rows keep pointers into the query's result, released by
 * rows_release(list.res, list.v).
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "capacita.h"

#define NUMBUF		32

/* The columns of roles_list()'s SELECT. */
enum role_col {
	RL_CODE = 0,
	RL_NAME,
	RL_OWNER,
	RL_REQS,
	RL_PEOPLE
};

/* The columns of roles_csv()'s SELECT. */
enum rcsv_col {
	RC_CODE = 0,
	RC_NAME,
	RC_COMPETENCE,
	RC_LEVEL
};

static const struct row_col role_cols[] = {
	[RL_CODE] = { ROW_TEXT, offsetof(struct role_row, code) },
	[RL_NAME] = { ROW_TEXT, offsetof(struct role_row, name) },
	[RL_OWNER] = { ROW_TEXT, offsetof(struct role_row, owner) },
	[RL_REQS] = { ROW_TEXT, offsetof(struct role_row, reqs) },
	[RL_PEOPLE] = { ROW_LL, offsetof(struct role_row, people) }
};

static const struct row_col rcsv_cols[] = {
	[RC_CODE] = { ROW_TEXT, offsetof(struct role_line, code) },
	[RC_NAME] = { ROW_TEXT, offsetof(struct role_line, name) },
	[RC_COMPETENCE] = { ROW_TEXT, offsetof(struct role_line, competence) },
	[RC_LEVEL] = { ROW_TEXT, offsetof(struct role_line, level) }
};

static int	import_replace(struct db *, const char *, const struct csv *,
		    size_t);
static int	import_row(struct db *, const char *, const char *,
		    const struct csv_row *, struct diaglist *);

/*
 * The roles visible to the scope: the programme's first, then the
 * units', with their requirements in words and how many people of the
 * scope hold each.
 */
static const struct store_list roles_seen = STORE_LIST(
    "SELECT j.code, j.name, coalesce(o.name, ''), "
    "(SELECT string_agg(r.competence || ' ' || lv.name, ', ' ORDER BY "
    "c.position) FROM job_role_requirements r JOIN competences c ON "
    "c.code = r.competence JOIN levels lv ON lv.framework_id = "
    "c.framework_id AND lv.rank = r.rank WHERE r.role_id = j.id), "
    "(SELECT count(*) FROM user_job_roles uj JOIN users u ON u.id = "
    "uj.user_id JOIN orgs uo ON uo.id = u.org_id WHERE uj.role_id = "
    "j.id AND uo.path LIKE $1 || '%') FROM job_roles j LEFT JOIN orgs "
    "o ON o.id = j.owner_org_id WHERE " SQL_SEEN_FROM("j.owner_org_id",
    "1") " ORDER BY j.owner_org_id NULLS FIRST, j.name",
    role_cols, struct role_row);

int
roles_list(struct db *db, const char *scope, struct role_list *out,
    struct fail *f)
{
	return (store_list(db, &roles_seen, &out->res, &out->v, &out->n, f,
	    1, scope));
}

/*
 * Is the role visible to the scope? id gets its id, *own (if not NULL)
 * whether the scope's office may change it. 1 yes, 0 no, -1 failure.
 */
int
role_find(struct db *db, const char *scope, const char *code, char *id,
    size_t idlen, int *own, struct fail *f)
{
	struct pg_result	*res;
	int			 n;

	res = db_query(db, "SELECT j.id, j.owner_org_id IS NOT NULL AND "
	    "o.path LIKE $2 || '%' FROM job_roles j LEFT JOIN orgs o ON o.id "
	    "= j.owner_org_id WHERE j.code = $1 AND "
	    SQL_SEEN_FROM("j.owner_org_id", "2"), 2, code, scope);
	if (res == NULL)
		return (db_fail(db, f));
	if ((n = db_rows(res)) == 1) {
		xstrlcpy(id, db_value(res, 0, 0), idlen);
		if (own != NULL)
			*own = *db_value(res, 0, 1) == 't';
	}
	db_clear(res);
	return (n == 1);
}

/* A role's requirements as choices: competence (value), level (label). */
int
role_requirements(struct db *db, const char *id, struct choices *out,
    struct fail *f)
{
	return (choices_load(db, db_query(db, "SELECT r.competence, lv.name "
	    "FROM job_role_requirements r JOIN competences c ON c.code = "
	    "r.competence JOIN levels lv ON lv.framework_id = c.framework_id "
	    "AND lv.rank = r.rank WHERE r.role_id = $1 ORDER BY c.position",
	    1, id), 0, out, f));
}

/*
 * The profiles visible to the scope as courses/roles.csv rows: one per
 * requirement, the name on a role's first row only.
 */
static const struct store_list roles_lines = STORE_LIST(
    "SELECT j.code, CASE WHEN row_number() OVER "
    "(PARTITION BY j.id ORDER BY c.position) = 1 THEN j.name ELSE '' "
    "END, r.competence, lv.name FROM job_roles j JOIN "
    "job_role_requirements r ON r.role_id = j.id JOIN competences c "
    "ON c.code = r.competence JOIN levels lv ON lv.framework_id = "
    "c.framework_id AND lv.rank = r.rank LEFT JOIN orgs o ON o.id = "
    "j.owner_org_id WHERE " SQL_SEEN_FROM("j.owner_org_id", "1")
    " ORDER BY j.owner_org_id NULLS FIRST, j.id, c.position",
    rcsv_cols, struct role_line);

int
roles_csv(struct db *db, const char *scope, struct role_lines *out,
    struct fail *f)
{
	return (store_list(db, &roles_lines, &out->res, &out->v, &out->n, f,
	    1, scope));
}

/*
 * Save a unit's own profile (store_roles, all or none) and audit it.
 * The problems of the profile go to dl (FAIL_INPUT).
 */
int
role_save(struct db *db, const struct roles *rs, long long owner,
    const char *actor, const char *ip, struct diaglist *dl,
    struct fail *f)
{
	int	rc;

	if ((rc = store_roles(db, rs, owner, dl)) == -1)
		return (db_fail(db, f));
	if (rc > 0)
		return (fail_set(f, FAIL_INPUT, "roles.err_title", NULL));
	(void)audit_append(db, actor, "role.save", rs->roles[0].code,
	    rs->roles[0].code, ip);
	return (0);
}

/*
 * Give a person of the scope a visible profile (add) or take it away,
 * with the audit line, in one transaction.
 */
int
role_assign(struct db *db, const struct role_assignment *a, struct fail *f)
{
	struct pg_result	*res;
	char			 pid[NUMBUF], rid[NUMBUF], by[NUMBUF];
	char			 target[256];
	int			 n;

	(void)snprintf(pid, sizeof(pid), "%lld", a->person);
	res = db_query(db, "SELECT u.email FROM users u JOIN orgs o ON "
	    "o.id = u.org_id WHERE u.id = $1 AND o.path LIKE $2 || '%'", 2,
	    pid, a->scope);
	if (res == NULL)
		return (db_fail(db, f));
	if ((n = db_rows(res)) == 1)
		xstrlcpy(target, db_value(res, 0, 0), sizeof(target));
	db_clear(res);
	if (n != 1)
		return (fail_set(f, FAIL_NOTFOUND, "error.404.person", NULL));
	if ((n = role_find(db, a->scope, a->role, rid, sizeof(rid), NULL,
	    f)) == -1)
		return (-1);
	if (n == 0)
		return (fail_set(f, FAIL_NOTFOUND, "roles.err_unknown", NULL));
	(void)snprintf(by, sizeof(by), "%lld", a->by);
	if (db_begin(db) == -1)
		return (db_fail(db, f));
	if (a->add)
		n = db_exec(db, "INSERT INTO user_job_roles (user_id, "
		    "role_id, assigned_by) VALUES ($1, $2, $3) ON CONFLICT DO "
		    "NOTHING", 3, pid, rid, by);
	else
		n = db_exec(db, "DELETE FROM user_job_roles WHERE user_id = "
		    "$1 AND role_id = $2", 2, pid, rid);
	if (n == -1 || audit_append(db, a->actor, a->add ? "role.assign" :
	    "role.unassign", target, a->role, a->ip) == -1 ||
	    db_commit(db) == -1) {
		return (store_abort(db, f));
	}
	return (0);
}

/* With replace: the people of the file lose the profiles they hold. */
static int
import_replace(struct db *db, const char *scope, const struct csv *csv,
    size_t start)
{
	const struct csv_row	*row;
	size_t			 i;

	for (i = start; i < csv->nrows; i++) {
		row = &csv->rows[i];
		if (row->nfields < 1)
			continue;
		if (db_exec(db, "DELETE FROM user_job_roles uj USING users u, "
		    "orgs o WHERE uj.user_id = u.id AND o.id = u.org_id AND "
		    "lower(u.email) = lower($1) AND o.path LIKE $2 || '%'", 2,
		    str_trim(row->fields[0]), scope) == -1)
			return (-1);
	}
	return (0);
}

/* One "email,role" line: 1 assigned, 0 a problem in dl, -1 database. */
static int
import_row(struct db *db, const char *scope, const char *by,
    const struct csv_row *row, struct diaglist *dl)
{
	struct pg_result	*res;
	char			 rid[NUMBUF];
	int			 n;

	if (row->nfields != 2) {
		diag_add(dl, NULL, row->line, "expected 2 fields "
		    "(email,role), found %zu", row->nfields);
		return (0);
	}
	(void)str_trim(row->fields[0]);
	(void)str_trim(row->fields[1]);
	if ((n = role_find(db, scope, row->fields[1], rid, sizeof(rid), NULL,
	    NULL)) == -1)
		return (-1);
	if (n == 0) {
		diag_add(dl, NULL, row->line, "unknown role '%s'",
		    row->fields[1]);
		return (0);
	}
	res = db_query(db, "INSERT INTO user_job_roles (user_id, role_id, "
	    "assigned_by) SELECT u.id, $3, $4 FROM users u JOIN orgs o ON "
	    "o.id = u.org_id WHERE lower(u.email) = lower($1) AND o.path LIKE "
	    "$2 || '%' ON CONFLICT (user_id, role_id) DO UPDATE SET "
	    "assigned_by = EXCLUDED.assigned_by RETURNING 1", 4,
	    row->fields[0], scope, rid, by);
	if (res == NULL)
		return (-1);
	n = db_rows(res);
	db_clear(res);
	if (n != 1) {
		diag_add(dl, NULL, row->line, "nobody with e-mail '%s' in your "
		    "units", row->fields[0]);
		return (0);
	}
	return (1);
}

/*
 * Assign profiles from parsed "email,role" rows (a header line "email"
 * skipped). With replace, the people in the file keep exactly the
 * profiles it gives them. All or nothing: any bad line (in dl, with
 * FAIL_INPUT) and nothing changes. *count is how many were assigned.
 */
int
role_import(struct db *db, const struct role_assignment *a,
    struct csv *csv, int replace, int *count, struct diaglist *dl,
    struct fail *f)
{
	char	by[NUMBUF], details[64];
	size_t	i, start;
	int	rc;

	*count = 0;
	start = csv->nrows > 0 && csv->rows[0].nfields >= 1 &&
	    strcmp(str_trim(csv->rows[0].fields[0]), "email") == 0 ? 1 : 0;
	(void)snprintf(by, sizeof(by), "%lld", a->by);
	if (db_begin(db) == -1)
		return (db_fail(db, f));
	if (replace && import_replace(db, a->scope, csv, start) == -1)
		goto dberr;
	for (i = start; i < csv->nrows; i++) {
		if ((rc = import_row(db, a->scope, by, &csv->rows[i],
		    dl)) == -1)
			goto dberr;
		*count += rc;
	}
	if (diag_count(dl) == 0 && *count == 0)
		diag_add(dl, NULL, 0, "%s", i18n_get(a->lang,
		    "roles.err_empty"));
	if (diag_count(dl) > 0) {
		db_rollback(db);
		return (fail_set(f, FAIL_INPUT, "roles.import_failed", NULL));
	}
	(void)snprintf(details, sizeof(details), "%d assignments%s", *count,
	    replace ? ", replacing" : "");
	if (audit_append(db, a->actor, "role.import", "csv", details,
	    a->ip) == -1 || db_commit(db) == -1)
		goto dberr;
	return (0);
dberr:
	return (store_abort(db, f));
}
