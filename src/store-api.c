/*
 * store-api.c: what the JSON API reads about the person signed in: the
 * enrolments with progress, the submitted attempts, this year's hours.
 * Values are the database's text (ISO timestamps in UTC, numbers as
 * PostgreSQL writes them); rows point into res, cleared by _free().
 * Each query's columns are its row struct's string fields in order
 * (the offset tables below), read by one api_fill().
 */

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "capacita.h"

#define NUMBUF	32

/* Columns of the enrolments query. */
#define ECOL(field)	{ ROW_TEXT, offsetof(struct api_enrolment, field), 0 }
static const struct row_col enrolment_cols[] = {
	ECOL(course), ECOL(title), ECOL(enrolled_at), ECOL(due_date),
	ECOL(completed_at), ECOL(source), ECOL(modules), ECOL(done)
};

/* Columns of the attempts query. */
#define ACOL(field)	{ ROW_TEXT, offsetof(struct api_attempt, field), 0 }
static const struct row_col attempt_cols[] = {
	ACOL(id), ACOL(course), ACOL(module), ACOL(version), ACOL(sha256),
	ACOL(number), ACOL(submitted_at), ACOL(score), ACOL(max_score),
	ACOL(percent),
	{ ROW_BOOL, offsetof(struct api_attempt, passed), 0 }
};

/* Columns of the hours query; the year's sum (AH_TOTAL) follows. */
#define HCOL(field)	{ ROW_TEXT, offsetof(struct api_hours, field), 0 }
static const struct row_col hours_cols[] = {
	HCOL(year), HCOL(hours), HCOL(source), HCOL(description), HCOL(at)
};
#define AH_TOTAL	5

static int	api_fill(struct db *, const char *, long long,
		    struct api_rows *, size_t, const struct row_col *, size_t,
		    struct fail *);

/* Runs q for user; each row becomes a struct of size bytes, by cols. */
static int
api_fill(struct db *db, const char *q, long long user, struct api_rows *out,
    size_t size, const struct row_col *cols, size_t ncols, struct fail *f)
{
	char	uid[NUMBUF];

	memset(out, 0, sizeof(*out));
	out->total = "0";
	(void)snprintf(uid, sizeof(uid), "%lld", user);
	if ((out->rows = store_rows(db, &out->res, &out->n, size, f, q, 1,
	    uid)) == NULL)
		return (-1);
	rows_fill(out->res, out->rows, size, cols, ncols);
	return (0);
}

/* The user's enrolments, oldest first, with modules and modules done. */
int
store_api_enrolments(struct db *db, long long user, struct api_rows *out,
    struct fail *f)
{
	struct api_enrolment	*e;
	size_t			 i;

	if (api_fill(db, "SELECT c.slug, c.title, to_char("
	    "e.enrolled_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS"
	    "\"Z\"'), coalesce(to_char(e.due_date, 'YYYY-MM-DD'), ''), "
	    "coalesce(to_char(e.completed_at AT TIME ZONE 'UTC', "
	    "'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'), ''), e.source, (SELECT "
	    "count(*) FROM course_modules cm WHERE cm.course_id = c.id), "
	    "(SELECT count(*) FROM course_modules cm WHERE cm.course_id = c.id "
	    "AND module_done(e.user_id, c.id, cm.module_id)) FROM enrolments e "
	    "JOIN courses c ON c.id = e.course_id WHERE e.user_id = $1 ORDER "
	    "BY e.enrolled_at", user, out, sizeof(struct api_enrolment),
	    enrolment_cols, ROW_NCOLS(enrolment_cols), f) == -1)
		return (-1);
	/* No due date, not completed: "" from the query, null in JSON. */
	for (i = 0; i < out->n; i++) {
		e = &((struct api_enrolment *)out->rows)[i];
		if (*e->due_date == '\0')
			e->due_date = NULL;
		if (*e->completed_at == '\0')
			e->completed_at = NULL;
	}
	return (0);
}

/* The user's submitted attempts, newest first. */
int
store_api_attempts(struct db *db, long long user, struct api_rows *out,
    struct fail *f)
{
	struct api_attempt	*a;

	return (api_fill(db, "SELECT a.id, c.slug, m.slug, v.version_no, "
	    "v.sha256, a.number, to_char(a.submitted_at AT TIME ZONE 'UTC', "
	    "'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'), a.score, a.max_score, "
	    "a.percent, a.passed FROM attempts a JOIN courses c ON c.id = "
	    "a.course_id JOIN modules m ON m.id = a.module_id JOIN "
	    "module_versions v ON v.id = a.version_id WHERE a.user_id = $1 AND "
	    "a.submitted_at IS NOT NULL ORDER BY a.submitted_at DESC", user,
	    out, sizeof(*a), attempt_cols, ROW_NCOLS(attempt_cols), f));
}

/* This year's hours ledger of the user, in order, and its total. */
int
store_api_hours(struct db *db, long long user, struct api_rows *out,
    struct fail *f)
{
	if (api_fill(db, "SELECT year, hours, source, description, "
	    "to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'), "
	    "sum(hours) OVER () FROM hours_ledger WHERE user_id = $1 AND year "
	    "= extract(year FROM now())::int ORDER BY at", user, out,
	    sizeof(struct api_hours), hours_cols, ROW_NCOLS(hours_cols),
	    f) == -1)
		return (-1);
	if (out->n > 0)
		out->total = db_value(out->res, 0, AH_TOTAL);
	return (0);
}
