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

/* Columns of the enrolments query, in struct api_enrolment's order. */
static const size_t enrolment_cols[] = {
	offsetof(struct api_enrolment, course),
	offsetof(struct api_enrolment, title),
	offsetof(struct api_enrolment, enrolled_at),
	offsetof(struct api_enrolment, due_date),
	offsetof(struct api_enrolment, completed_at),
	offsetof(struct api_enrolment, source),
	offsetof(struct api_enrolment, modules),
	offsetof(struct api_enrolment, done)
};

/* Columns of the attempts query; a.passed (AA_PASSED) follows them. */
static const size_t attempt_cols[] = {
	offsetof(struct api_attempt, id),
	offsetof(struct api_attempt, course),
	offsetof(struct api_attempt, module),
	offsetof(struct api_attempt, version),
	offsetof(struct api_attempt, sha256),
	offsetof(struct api_attempt, number),
	offsetof(struct api_attempt, submitted_at),
	offsetof(struct api_attempt, score),
	offsetof(struct api_attempt, max_score),
	offsetof(struct api_attempt, percent)
};
#define AA_PASSED	10

/* Columns of the hours query; the year's sum (AH_TOTAL) follows. */
static const size_t hours_cols[] = {
	offsetof(struct api_hours, year),
	offsetof(struct api_hours, hours),
	offsetof(struct api_hours, source),
	offsetof(struct api_hours, description),
	offsetof(struct api_hours, at)
};
#define AH_TOTAL	5

#define NCOLS(a)	(sizeof(a) / sizeof((a)[0]))

static int	api_fill(struct db *, const char *, long long,
		    struct api_rows *, size_t, const size_t *, size_t,
		    struct fail *);

/*
 * Runs q for user; each row becomes a struct of size bytes whose string
 * fields at cols[] get the row's first ncols columns.
 */
static int
api_fill(struct db *db, const char *q, long long user, struct api_rows *out,
    size_t size, const size_t *cols, size_t ncols, struct fail *f)
{
	const char	*v;
	char		 uid[NUMBUF], *row;
	size_t		 i, c;

	memset(out, 0, sizeof(*out));
	out->total = "0";
	(void)snprintf(uid, sizeof(uid), "%lld", user);
	if ((out->rows = store_rows(db, &out->res, &out->n, size, f, q, 1,
	    uid)) == NULL)
		return (-1);
	for (i = 0; i < out->n; i++) {
		row = (char *)out->rows + i * size;
		for (c = 0; c < ncols; c++) {
			v = db_value(out->res, (int)i, (int)c);
			*(const char **)(void *)(row + cols[c]) = v;
		}
	}
	return (0);
}

void
store_api_free(struct api_rows *r)
{
	rows_release(r->res, r->rows);
	memset(r, 0, sizeof(*r));
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
	    enrolment_cols, NCOLS(enrolment_cols), f) == -1)
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
	size_t			 i;

	if (api_fill(db, "SELECT a.id, c.slug, m.slug, v.version_no, "
	    "v.sha256, a.number, to_char(a.submitted_at AT TIME ZONE 'UTC', "
	    "'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'), a.score, a.max_score, "
	    "a.percent, a.passed FROM attempts a JOIN courses c ON c.id = "
	    "a.course_id JOIN modules m ON m.id = a.module_id JOIN "
	    "module_versions v ON v.id = a.version_id WHERE a.user_id = $1 AND "
	    "a.submitted_at IS NOT NULL ORDER BY a.submitted_at DESC", user,
	    out, sizeof(*a), attempt_cols, NCOLS(attempt_cols), f) == -1)
		return (-1);
	for (i = 0; i < out->n; i++) {
		a = &((struct api_attempt *)out->rows)[i];
		a->passed = strcmp(db_value(out->res, (int)i, AA_PASSED),
		    "t") == 0;
	}
	return (0);
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
	    sizeof(struct api_hours), hours_cols, NCOLS(hours_cols), f) == -1)
		return (-1);
	if (out->n > 0)
		out->total = db_value(out->res, 0, AH_TOTAL);
	return (0);
}
