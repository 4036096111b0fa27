/*
 * store-hr.c: what an HR office reads and writes of its staff, always
 * within the subtree of the organisation the HR role was granted on
 * (scope, an org path): the people list, one person, the job roles
 * that may be given to them, and assigning a course to a unit or a
 * person (enrolment, mail and audit in one transaction).
 *
 * Rows keep pointers into the query's result (store-rows.c), released
 * by people_free().
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "capacita.h"

#define NUMBUF		32

/* The columns of a person's row, in the SELECTs below. */
enum hr_col {
	HR_ID = 0,
	HR_NAME,
	HR_EMAIL,
	HR_ORG,
	HR_ACTIVE,
	HR_HOURS,
	HR_ROLES
};

static const struct row_col person_cols[] = {
	[HR_ID] = { ROW_LL, offsetof(struct person, id), 0 },
	[HR_NAME] = { ROW_TEXT, offsetof(struct person, name), 0 },
	[HR_EMAIL] = { ROW_TEXT, offsetof(struct person, email), 0 },
	[HR_ORG] = { ROW_TEXT, offsetof(struct person, org), 0 },
	[HR_ACTIVE] = { ROW_BOOL, offsetof(struct person, active), 0 },
	[HR_HOURS] = { ROW_TEXT, offsetof(struct person, hours), 0 },
	[HR_ROLES] = { ROW_TEXT, offsetof(struct person, roles), 0 }
};

/*
 * A query's rows of people (the columns of enum hr_col, HR_ROLES only
 * with roles: else "") into out. With one (a message key) the query is
 * of one person: no row is FAIL_NOTFOUND with that key. res NULL is
 * the query's failure.
 */
int
people_load(struct db *db, struct pg_result *res, int roles,
    const char *one, struct people *out, struct fail *f)
{
	size_t	i;

	memset(out, 0, sizeof(*out));
	if (res != NULL && one != NULL && db_rows(res) != 1) {
		db_clear(res);
		return (fail_set(f, FAIL_NOTFOUND, one, NULL));
	}
	if (rows_held(db, res, &out->res, sizeof(*out->v), person_cols,
	    roles ? ROW_NCOLS(person_cols) : HR_ROLES, &out->v, &out->n,
	    f) == -1)
		return (-1);
	for (i = 0; !roles && i < out->n; i++)
		out->v[i].roles = "";
	return (0);
}

/*
 * The people of the scope, filtered by a name or email fragment (q) and
 * a unit code (org), both optional (""), with this year's hours.
 */
int
hr_people_find(struct db *db, const char *scope, const char *q,
    const char *org, struct people *out, struct fail *f)
{
	struct pg_result	*res;

	memset(out, 0, sizeof(*out));
	res = db_query(db, "SELECT u.id, u.name, u.email, o.name, "
	    "u.active, to_char(coalesce((SELECT sum(h.hours) FROM hours_ledger "
	    "h WHERE h.user_id = u.id AND h.year = extract(year FROM "
	    "now())::int), 0), 'FM990.0') FROM users u JOIN orgs o ON o.id = "
	    "u.org_id WHERE o.path LIKE $1 || '%' AND ($2 = '' OR u.name ILIKE "
	    "'%' || $2 || '%' OR u.email ILIKE '%' || $2 || '%') AND ($3 = '' "
	    "OR o.path LIKE (SELECT f.path FROM orgs f WHERE f.code = $3) || "
	    "'%') ORDER BY org_order(o.path), u.name LIMIT 500", 3, scope,
	    q, org);
	return (people_load(db, res, 0, NULL, out, f));
}

/* One person of the scope with their roles; 404 outside it. */
int
hr_person_get(struct db *db, const char *scope, long long id,
    struct people *out, struct fail *f)
{
	struct pg_result	*res;
	char			 uid[NUMBUF];

	memset(out, 0, sizeof(*out));
	(void)snprintf(uid, sizeof(uid), "%lld", id);
	res = db_query(db, "SELECT u.id, u.name, u.email, o.name, u.active, "
	    "to_char(coalesce((SELECT sum(h.hours) FROM hours_ledger h WHERE "
	    "h.user_id = u.id AND h.year = extract(year FROM now())::int), 0), "
	    "'FM9990.0'), coalesce((SELECT string_agg(r.role, ', ' ORDER BY "
	    "r.role) FROM user_roles r WHERE r.user_id = u.id), '') FROM "
	    "users u JOIN orgs o ON o.id = u.org_id WHERE u.id = $1 AND "
	    "o.path LIKE $2 || '%'", 2, uid, scope);
	return (people_load(db, res, 1, "error.404.person", out, f));
}

void
people_free(struct people *p)
{
	rows_release(p->res, p->v);
	memset(p, 0, sizeof(*p));
}

/* Every course, by title: slug and title. */
int
hr_course_choices(struct db *db, struct choices *out, struct fail *f)
{
	return (choices_load(db, db_query(db, "SELECT slug, title FROM "
	    "courses ORDER BY title", 0), 0, out, f));
}

/* The units of the scope, in tree order: code and name. */
int
hr_org_choices(struct db *db, const char *scope, struct choices *out,
    struct fail *f)
{
	return (choices_load(db, db_query(db, "SELECT code, name FROM orgs "
	    "WHERE path LIKE $1 || '%' ORDER BY org_order(path)", 1, scope),
	    0, out, f));
}

/*
 * The job roles a person of the scope may hold (the programme's and
 * those of units above or below the scope), on when they hold it.
 */
int
hr_job_role_choices(struct db *db, const char *scope, long long user,
    struct choices *out, struct fail *f)
{
	char	uid[NUMBUF];

	(void)snprintf(uid, sizeof(uid), "%lld", user);
	return (choices_load(db, db_query(db, "SELECT j.code, j.name, EXISTS "
	    "(SELECT 1 FROM user_job_roles uj WHERE uj.user_id = $1 AND "
	    "uj.role_id = j.id) FROM job_roles j LEFT JOIN orgs o ON o.id = "
	    "j.owner_org_id WHERE " SQL_SEEN_FROM("j.owner_org_id", "2")
	    " ORDER BY j.name", 2, uid, scope),
	    1, out, f));
}

/*
 * Assign a course to every active person of a unit of the scope, or to
 * one person by email, with an optional deadline (YYYY-MM-DD or NULL):
 * enrolments, the mail that tells them and the audit line, all or
 * nothing. *count is how many people it reached.
 */
int
hr_assign(struct db *db, const struct hr_assignment *a, int *count,
    struct fail *f)
{
	struct pg_result	*res;
	char			 details[256];
	int			 i, n, created;

	*count = 0;
	res = db_query(db, "SELECT u.id FROM users u JOIN orgs o ON o.id = "
	    "u.org_id WHERE u.active AND o.path LIKE $1 || '%' AND CASE WHEN "
	    "$3 <> '' THEN lower(u.email) = lower($3) ELSE o.path LIKE (SELECT "
	    "f.path FROM orgs f WHERE f.code = $2) || '%' END", 3, a->scope,
	    a->org, a->email);
	if (res == NULL)
		return (db_fail(db, f));
	if ((n = db_rows(res)) == 0) {
		db_clear(res);
		return (fail_set(f, FAIL_NOTFOUND, "hr.err_nobody", NULL));
	}
	if (db_begin(db) == -1) {
		db_clear(res);
		return (db_fail(db, f));
	}
	for (i = 0; i < n; i++) {
		if (learn_enrol(db, strtoll(db_value(res, i, 0), NULL, 10),
		    a->course, "assigned", a->by, a->due, &created, f) == -1)
			goto fail;
		/* The person hears of it (store-mail.c), new or new date. */
		if ((created || a->due != NULL) && mail_queue(db,
		    db_value(res, i, 0), "assigned", a->course, f) == -1)
			goto fail;
		(*count)++;
	}
	db_clear(res);
	(void)snprintf(details, sizeof(details), "%s to %d people, due %s",
	    a->course, *count, a->due != NULL ? a->due : "-");
	if (audit_append(db, a->actor, "course.assign", *a->email != '\0' ?
	    a->email : a->org, details, a->ip) == -1 || db_commit(db) == -1) {
		db_fail(db, f);
		db_rollback(db);
		return (-1);
	}
	return (0);
fail:
	db_clear(res);
	db_rollback(db);
	return (-1);
}
