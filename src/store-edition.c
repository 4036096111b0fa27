/*
 * store-edition.c: editions of a course, the comparison cohort an
 * edition can be of an earlier one, and who is in which (README.md,
 * "Impact evaluation"); the courses and units the HR pages offer in
 * their select lists. An edition with no owner is everyone's; one
 * owned by a unit is seen from that unit's subtree and from above.
 */

#include <stdlib.h>
#include <string.h>

#include "capacita.h"

#define NUMBUF		32

/* The columns of store_edition_list. */
enum ed_col {
	ED_ID = 0,
	ED_CODE,
	ED_COURSE,
	ED_STARTS,
	ED_ENDS,
	ED_COMPARES,
	ED_PEOPLE,
	ED_PRE
};

/* The columns of the select lists (store_edition_opts_*). */
enum opt_col {
	OPT_VALUE = 0,
	OPT_LABEL,
	OPT_EXTRA
};

static const struct row_col ed_cols[] = {
	[ED_ID] = { ROW_LL, offsetof(struct edition, id) },
	[ED_CODE] = { ROW_TEXT, offsetof(struct edition, code) },
	[ED_COURSE] = { ROW_TEXT, offsetof(struct edition, course) },
	[ED_STARTS] = { ROW_TEXT, offsetof(struct edition, starts) },
	[ED_ENDS] = { ROW_TEXT, offsetof(struct edition, ends) },
	[ED_COMPARES] = { ROW_TEXT, offsetof(struct edition, compares) },
	[ED_PEOPLE] = { ROW_LL, offsetof(struct edition, people) },
	[ED_PRE] = { ROW_LL, offsetof(struct edition, pre_taken) }
};

static const struct row_col opt_cols[] = {
	[OPT_VALUE] = { ROW_TEXT, offsetof(struct edition_opt, value) },
	[OPT_LABEL] = { ROW_TEXT, offsetof(struct edition_opt, label) },
	[OPT_EXTRA] = { ROW_TEXT, offsetof(struct edition_opt, extra) }
};

static int	opts_fill(struct db *, struct pg_result *,
		    struct edition_opts *, struct fail *);
static int	exists(struct db *, struct pg_result *, enum fail_kind,
		    const char *, struct fail *);

/* A query's rows as options (its third column, "" or not, as extra). */
static int
opts_fill(struct db *db, struct pg_result *res, struct edition_opts *o,
    struct fail *f)
{
	memset(o, 0, sizeof(*o));
	return (rows_held(db, res, &o->res, sizeof(*o->o), opt_cols,
	    ROW_NCOLS(opt_cols), &o->o, &o->n, f));
}

void
store_edition_opts_free(struct edition_opts *o)
{
	rows_release(o->res, o->o);
	memset(o, 0, sizeof(*o));
}

/* A check's answer: one row, or the failure kind with its key. */
static int
exists(struct db *db, struct pg_result *res, enum fail_kind kind,
    const char *key, struct fail *f)
{
	int	n;

	if (res == NULL)
		return (db_fail(db, f));
	n = db_rows(res);
	db_clear(res);
	return (n == 1 ? 0 : fail_set(f, kind, key, NULL));
}

/*
 * The editions seen from scope, with the people of the scope in each
 * and how many of them took the pre-test.
 */
int
store_edition_list(struct db *db, const char *scope, struct edition_list *l,
    struct fail *f)
{
	static const struct store_list q = STORE_LIST(
	    "SELECT d.id, d.code, c.title, d.starts_on::text, d.ends_on::text, "
	    "coalesce(t.code, ''), (SELECT count(*) FROM enrolments e JOIN "
	    "users u ON u.id = e.user_id JOIN orgs uo ON uo.id = u.org_id "
	    "WHERE e.edition_id = d.id AND uo.path LIKE $1 || '%'), (SELECT "
	    "count(*) FROM enrolments e JOIN users u ON u.id = e.user_id JOIN "
	    "orgs uo ON uo.id = u.org_id JOIN assessments a ON a.enrolment_id "
	    "= e.id AND a.phase = 'pre' AND a.submitted_at IS NOT NULL WHERE "
	    "e.edition_id = d.id AND uo.path LIKE $1 || '%') FROM editions d "
	    "JOIN courses c ON c.id = d.course_id LEFT JOIN editions t ON t.id "
	    "= d.compares_with LEFT JOIN orgs o ON o.id = d.owner_org_id "
	    "WHERE " SQL_SEEN_FROM("d.owner_org_id", "1") " ORDER BY c.title, "
	    "d.starts_on, d.code",
	    ed_cols, struct edition);

	return (store_list(db, &q, &l->res, &l->e, &l->n, f, 1, scope));
}

/* The editions seen from scope: id, "course - code", start date. */
int
store_edition_opts(struct db *db, const char *scope, struct edition_opts *o,
    struct fail *f)
{
	return (opts_fill(db, db_query(db, "SELECT d.id, c.title || "
	    "' \xe2\x80\x93 ' || d.code, d.starts_on::text FROM editions d "
	    "JOIN courses c ON c.id = d.course_id LEFT JOIN orgs o ON o.id = "
	    "d.owner_org_id WHERE " SQL_SEEN_FROM("d.owner_org_id", "1")
	    " ORDER BY c.title, d.starts_on, d.code", 1, scope), o, f));
}

/* The editions of a course (by id): id, code. */
int
store_edition_opts_course(struct db *db, const char *course,
    struct edition_opts *o, struct fail *f)
{
	return (opts_fill(db, db_query(db, "SELECT d.id, d.code, '' FROM "
	    "editions d WHERE d.course_id = $1::bigint ORDER BY d.starts_on, "
	    "d.code", 1, course), o, f));
}

/* The courses (pooled: those with a pre/post pool): slug, title. */
int
store_edition_opts_courses(struct db *db, int pooled, struct edition_opts *o,
    struct fail *f)
{
	return (opts_fill(db, db_query(db, "SELECT slug, title, '' FROM "
	    "courses WHERE $1 = 'f' OR assessment_module_id IS NOT NULL ORDER "
	    "BY title, slug", 1, pooled ? "t" : "f"), o, f));
}

/* The units of scope in tree order: code, name, kind. */
int
store_edition_opts_orgs(struct db *db, const char *scope,
    struct edition_opts *o, struct fail *f)
{
	return (opts_fill(db, db_query(db, "SELECT code, name, kind FROM orgs "
	    "WHERE path LIKE $1 || '%' ORDER BY org_order(path)", 1, scope),
	    o, f));
}

/*
 * Create an edition. A comparison edition must be of the same course
 * and start when the compared one ends, or later: its people wait for
 * the course while the others follow it. FAIL_INPUT with the reason.
 */
int
store_edition_create(struct db *db, const struct edition_new *e,
    struct fail *f)
{
	struct pg_result	*res;
	char			 owner[NUMBUF], by[NUMBUF], details[256];
	int			 n;

	if (e->course == NULL || e->code == NULL)
		return (fail_set(f, FAIL_INPUT, "editions.err_fields", NULL));
	if (e->starts == NULL || e->ends == NULL || *e->starts == '\0' ||
	    *e->ends == '\0' || strcmp(e->ends, e->starts) < 0)
		return (fail_set(f, FAIL_INPUT, "editions.err_dates", NULL));
	if (exists(db, db_query(db, "SELECT 1 FROM courses WHERE slug = $1",
	    1, e->course), FAIL_INPUT, "editions.err_fields", f) == -1)
		return (-1);
	if (e->compares != NULL && exists(db, db_query(db, "SELECT 1 FROM "
	    "editions d JOIN courses c ON c.id = d.course_id LEFT JOIN orgs o "
	    "ON o.id = d.owner_org_id WHERE d.id = $1::bigint AND c.slug = $2 "
	    "AND d.ends_on <= $3::date AND " SQL_SEEN_FROM("d.owner_org_id",
	    "4"), 4,
	    e->compares, e->course, e->starts, e->scope), FAIL_INPUT,
	    "editions.err_compares", f) == -1)
		return (-1);
	(void)snprintf(owner, sizeof(owner), "%lld", e->owner);
	(void)snprintf(by, sizeof(by), "%lld", e->by);
	if (db_begin(db) == -1)
		return (db_fail(db, f));
	res = db_query(db, "INSERT INTO editions (course_id, code, "
	    "starts_on, ends_on, compares_with, owner_org_id, created_by) "
	    "SELECT c.id, $2, $3::date, $4::date, $5::bigint, nullif($6, "
	    "'0')::bigint, $7::bigint FROM courses c WHERE c.slug = $1 ON "
	    "CONFLICT DO NOTHING RETURNING id", 7, e->course, e->code,
	    e->starts, e->ends, e->compares, owner, by);
	if (res == NULL)
		goto dberr;
	n = db_rows(res);
	db_clear(res);
	if (n != 1) {
		db_rollback(db);
		return (fail_set(f, FAIL_INPUT, "editions.err_taken", NULL));
	}
	(void)snprintf(details, sizeof(details), "%s %s..%s%s%s", e->course,
	    e->starts, e->ends, e->compares != NULL ? " compares with " : "",
	    e->compares != NULL ? e->compares : "");
	if (audit_append(db, e->actor, "edition.create", e->code, details,
	    e->ip) == -1 || db_commit(db) == -1)
		goto dberr;
	return (0);
dberr:
	return (store_abort(db, f));
}

/*
 * Put people of the scope (one by email, or a whole unit) in an
 * edition: enrolled in its course if they were not (which opens their
 * pre-test), moved to the edition if they were and have not completed
 * it. *count says how many; none is FAIL_NOTFOUND.
 */
int
store_edition_assign(struct db *db, const struct edition_assign *a,
    int *count, struct fail *f)
{
	struct pg_result	*res;
	char			 by[NUMBUF], details[256];

	*count = 0;
	if (a->edition == NULL || (a->org == NULL && a->email == NULL))
		return (fail_set(f, FAIL_INPUT, "editions.err_assign", NULL));
	if (exists(db, db_query(db, "SELECT 1 FROM editions d LEFT JOIN orgs "
	    "o ON o.id = d.owner_org_id WHERE d.id = $1::bigint AND "
	    SQL_SEEN_FROM("d.owner_org_id", "2"), 2, a->edition, a->scope),
	    FAIL_NOTFOUND,
	    "editions.err_edition", f) == -1)
		return (-1);
	(void)snprintf(by, sizeof(by), "%lld", a->by);
	if (db_begin(db) == -1)
		return (db_fail(db, f));
	res = db_query(db, "WITH who AS (SELECT u.id FROM users u JOIN "
	    "orgs o ON o.id = u.org_id WHERE u.active AND o.path LIKE $2 || "
	    "'%' AND CASE WHEN $3 <> '' THEN lower(u.email) = lower($3) ELSE "
	    "o.path LIKE (SELECT f.path FROM orgs f WHERE f.code = $4) || '%' "
	    "END) INSERT INTO enrolments (user_id, course_id, source, "
	    "assigned_by, edition_id) SELECT who.id, d.course_id, 'assigned', "
	    "$5::bigint, d.id FROM who, editions d WHERE d.id = $1::bigint ON "
	    "CONFLICT (user_id, course_id) DO UPDATE SET edition_id = "
	    "EXCLUDED.edition_id, assigned_by = EXCLUDED.assigned_by WHERE "
	    "enrolments.completed_at IS NULL RETURNING id", 5, a->edition,
	    a->scope, a->email != NULL ? a->email : "", a->org != NULL ?
	    a->org : "", by);
	if (res == NULL)
		goto dberr;
	*count = db_rows(res);
	db_clear(res);
	if (*count == 0) {
		db_rollback(db);
		return (fail_set(f, FAIL_NOTFOUND, "hr.err_nobody", NULL));
	}
	(void)snprintf(details, sizeof(details), "edition %s to %d people",
	    a->edition, *count);
	if (audit_append(db, a->actor, "edition.assign", a->email != NULL ?
	    a->email : a->org, details, a->ip) == -1 || db_commit(db) == -1)
		goto dberr;
	return (0);
dberr:
	return (store_abort(db, f));
}
