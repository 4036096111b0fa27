/*
 * store-xapi.c: learning records as xAPI statements (xapi.c), read a
 * page at a time from xapi_rows() (sql/0017-frameworks-xapi.sql), with
 * the questions that give the answers' activities their interaction
 * components; who may be asked for; and what bin/capacita push-xapi
 * keeps between runs: how far each store got (xapi_push_marks) and the
 * horizon below which no statement can still appear.
 *
 * Right answers (correctResponsesPattern) leave only as the README says
 * ("Learning records as xAPI"): with q->answers set, in the statements
 * of quiz answers, never in those of the pre- and post-tests, whose
 * forms are given again.
 */

#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "capacita.h"

#define NUMBUF		32

enum xrow_col {
	XR_US = 0,
	XR_TS,
	XR_KEY,
	XR_VERB,
	XR_USER,
	XR_ENROLMENT,
	XR_OTYPE,
	XR_OPATH,
	XR_ONAME,
	XR_LANG,
	XR_INTERACTION,
	XR_PTYPE,
	XR_PPATH,
	XR_PNAME,
	XR_GPATH,
	XR_GNAME,
	XR_RAW,
	XR_MAX,
	XR_SUCCESS,
	XR_COMPLETION,
	XR_RESPONSE,
	XR_DURATION,
	XR_REVISION,
	XR_PHASE
};

enum xq_col {
	XQ_ID = 0,
	XQ_TYPE,
	XQ_TRUTH,
	XQ_NUMBER,
	XQ_TOLERANCE,
	XQ_TEXT,
	XQ_CORRECT
};

static const char *col(struct pg_result *, int, int);
static void	row_fill(struct pg_result *, int, struct xapi_row *);
static int	questions_load(struct db *, struct pg_result *, int,
		    struct xapi_question **, size_t *);
static void	questions_free(struct xapi_question *, size_t);
static const struct xapi_question *question_find(
		    const struct xapi_question *, size_t, const char *);

/* A column's text, or NULL for SQL NULL. */
static const char *
col(struct pg_result *res, int i, int n)
{
	return (db_isnull(res, i, n) ? NULL : db_value(res, i, n));
}

/* One row of xapi_rows() as the fields of a statement. */
static void
row_fill(struct pg_result *res, int i, struct xapi_row *r)
{
	const char	*v, *m;

	memset(r, 0, sizeof(*r));
	r->timestamp = db_value(res, i, XR_TS);
	r->key = db_value(res, i, XR_KEY);
	r->verb = db_value(res, i, XR_VERB);
	r->user_id = strtoll(db_value(res, i, XR_USER), NULL, 10);
	r->registration = col(res, i, XR_ENROLMENT);
	r->object_type = db_value(res, i, XR_OTYPE);
	r->object_path = db_value(res, i, XR_OPATH);
	r->object_name = col(res, i, XR_ONAME);
	r->lang = col(res, i, XR_LANG);
	if ((v = col(res, i, XR_INTERACTION)) != NULL)
		r->interaction = xapi_interaction(v);
	r->parent_type = col(res, i, XR_PTYPE);
	r->parent_path = col(res, i, XR_PPATH);
	r->parent_name = col(res, i, XR_PNAME);
	r->grouping_path = col(res, i, XR_GPATH);
	r->grouping_name = col(res, i, XR_GNAME);
	if ((v = col(res, i, XR_RAW)) != NULL &&
	    (m = col(res, i, XR_MAX)) != NULL) {
		r->has_score = 1;
		r->raw = strtod(v, NULL);
		r->max = strtod(m, NULL);
	}
	r->success = (v = col(res, i, XR_SUCCESS)) == NULL ? -1 : v[0] == 't';
	r->completion = (v = col(res, i, XR_COMPLETION)) == NULL ? -1 :
	    v[0] == 't';
	r->response = col(res, i, XR_RESPONSE);
	r->duration = -1;
	if ((v = col(res, i, XR_DURATION)) != NULL)
		r->duration = strtoll(v, NULL, 10);
	r->revision = col(res, i, XR_REVISION);
	r->phase = col(res, i, XR_PHASE);
}

/* The questions the answers of a page of rows are to, with options. */
static int
questions_load(struct db *db, struct pg_result *rows, int n,
    struct xapi_question **out, size_t *nq)
{
	struct xapi_question	*q;
	struct pg_result	*res;
	struct buf		 ids;
	const char		*path;
	int			 i, m;

	*out = NULL;
	*nq = 0;
	buf_init(&ids, 256);
	for (i = 0; i < n; i++) {
		path = db_value(rows, i, XR_OPATH);
		if (strcmp(db_value(rows, i, XR_OTYPE), "question") == 0 &&
		    str_has_prefix(path, "questions/"))
			pg_array_add(&ids, path + strlen("questions/"));
	}
	pg_array_end(&ids);
	res = db_query(db, "SELECT q.id, q.type, coalesce(q.truth, false), "
	    "coalesce(q.number, 0), coalesce(q.tolerance, 0), o.text, "
	    "o.correct FROM questions q LEFT JOIN question_options o ON "
	    "o.question_id = q.id WHERE q.id = ANY ($1::bigint[]) ORDER BY "
	    "q.id, o.position", 1, ids.data);
	buf_free(&ids);
	if (res == NULL)
		return (-1);
	m = db_rows(res);
	*out = xcalloc((size_t)m + 1, sizeof(**out));
	q = NULL;
	for (i = 0; i < m; i++) {
		long long	id = strtoll(db_value(res, i, XQ_ID), NULL, 10);
		const char	*type = db_value(res, i, XQ_TYPE);

		if (q == NULL || q->id != id) {
			q = &(*out)[(*nq)++];
			q->id = id;
			q->type = strcmp(type, "single") == 0 ? QUIZ_SINGLE :
			    strcmp(type, "multiple") == 0 ? QUIZ_MULTIPLE :
			    strcmp(type, "truefalse") == 0 ? QUIZ_TRUEFALSE :
			    strcmp(type, "numeric") == 0 ? QUIZ_NUMERIC :
			    strcmp(type, "short") == 0 ? QUIZ_SHORT :
			    strcmp(type, "order") == 0 ? QUIZ_ORDER :
			    QUIZ_TYPE_MAX;
			q->truth = db_value(res, i, XQ_TRUTH)[0] == 't';
			q->number = strtod(db_value(res, i, XQ_NUMBER), NULL);
			q->tolerance = strtod(db_value(res, i, XQ_TOLERANCE),
			    NULL);
		}
		if (db_isnull(res, i, XQ_TEXT))
			continue;
		q->texts = xreallocarray(q->texts, q->nopts + 1,
		    sizeof(*q->texts));
		q->correct = xreallocarray(q->correct, q->nopts + 1,
		    sizeof(*q->correct));
		q->texts[q->nopts] = xstrdup(db_value(res, i, XQ_TEXT));
		q->correct[q->nopts++] = db_value(res, i, XQ_CORRECT)[0] == 't';
	}
	db_clear(res);
	return (0);
}

static void
questions_free(struct xapi_question *qs, size_t n)
{
	size_t	i, j;

	for (i = 0; i < n; i++) {
		for (j = 0; j < qs[i].nopts; j++)
			free(qs[i].texts[j]);
		free(qs[i].texts);
		free(qs[i].correct);
	}
	free(qs);
}

static const struct xapi_question *
question_find(const struct xapi_question *qs, size_t n, const char *path)
{
	long long	id;
	size_t		i;

	if (!str_has_prefix(path, "questions/"))
		return (NULL);
	id = strtoll(path + strlen("questions/"), NULL, 10);
	for (i = 0; i < n; i++) {
		if (qs[i].id == id)
			return (&qs[i]);
	}
	return (NULL);
}

/*
 * A page of xAPI statements for a query: the statements, comma
 * separated, appended to out (the caller writes the brackets); their
 * number in *count; the cursor of the next page in next ("" when this
 * is the last page); the key of the last statement written in last
 * (for push-xapi's high-water mark), when last is not NULL.
 */
int
store_xapi_page(struct db *db, const struct xapi_query *q, const char *base,
    struct buf *out, int *count, char *next, size_t nextlen, struct fail *f)
{
	struct pg_result	*res;
	struct xapi_question	*qs;
	struct xapi_row		 r;
	struct buf		 resp;
	char			 secret[160], lim[NUMBUF], us[NUMBUF];
	const char		*key, *dot, *raw;
	size_t			 nq;
	int			 i, n, limit;

	*count = 0;
	next[0] = '\0';
	if (impact_secret(db, secret, sizeof(secret), f) == -1)
		return (-1);
	limit = q->limit < 1 ? 1 : q->limit > XAPI_PAGE_MAX ? XAPI_PAGE_MAX :
	    q->limit;
	(void)snprintf(lim, sizeof(lim), "%d", limit + 1);
	key = NULL;
	us[0] = '\0';
	if (q->after != NULL && *q->after != '\0' &&
	    (dot = strchr(q->after, '.')) != NULL &&
	    (size_t)(dot - q->after) < sizeof(us) && dot > q->after) {
		(void)snprintf(us, sizeof(us), "%.*s", (int)(dot - q->after),
		    q->after);
		if (strspn(us, "0123456789") == strlen(us))
			key = dot + 1;
	}
	res = db_query(db, "SELECT * FROM xapi_rows($1, $2, $3, "
	    "$4::timestamptz, $5::bigint, $6, $7::int, $8::timestamptz)", 8,
	    q->scope, q->org != NULL ? q->org : "", q->user != NULL ? q->user :
	    "", q->since != NULL && *q->since != '\0' ? q->since : NULL,
	    key != NULL ? us : NULL, key, lim, q->before != NULL &&
	    *q->before != '\0' ? q->before : NULL);
	if (res == NULL) {
		sodium_memzero(secret, sizeof(secret));
		return (db_fail(db, f));
	}
	n = db_rows(res);
	if (questions_load(db, res, n < limit ? n : limit, &qs, &nq) == -1) {
		db_clear(res);
		sodium_memzero(secret, sizeof(secret));
		return (db_fail(db, f));
	}
	buf_init(&resp, 128);
	for (i = 0; i < n && i < limit; i++) {
		row_fill(res, i, &r);
		if (strcmp(r.object_type, "question") == 0) {
			r.question = question_find(qs, nq, r.object_path);
			/* Quiz answers only: tests are given again. */
			r.answers = q->answers && r.parent_type != NULL &&
			    strcmp(r.parent_type, "quiz") == 0;
			raw = r.response;
			buf_reset(&resp);
			r.response = xapi_response(r.question, raw, secret,
			    &resp) == 0 ? resp.data : NULL;
		}
		if (i > 0)
			buf_putc(out, ',');
		xapi_statement(out, &r, base, secret, q->version);
	}
	*count = i;
	if (n > limit)
		(void)snprintf(next, nextlen, "%s.%s",
		    db_value(res, limit - 1, XR_US), db_value(res, limit - 1,
		    XR_KEY));
	if (q->last != NULL && i > 0)
		(void)snprintf(q->last, q->lastlen, "%s.%s",
		    db_value(res, i - 1, XR_US), db_value(res, i - 1, XR_KEY));
	buf_free(&resp);
	questions_free(qs, nq);
	db_clear(res);
	sodium_memzero(secret, sizeof(secret));
	return (0);
}

/*
 * Is person user (an id) inside the subtree scope? Is unit org (a
 * code)? FAIL_NOTFOUND (detail "no such person", "no such unit") when
 * not.
 */
int
store_xapi_in_scope(struct db *db, const char *scope, const char *user,
    const char *org, struct fail *f)
{
	int	person, n;

	person = user != NULL && *user != '\0';
	if (person)
		n = db_one(db_query(db, "SELECT 1 FROM users u JOIN orgs o "
		    "ON o.id = u.org_id WHERE u.id = $1::bigint AND o.path LIKE "
		    "$2 || '%'", 2, user, scope));
	else
		n = db_one(db_query(db, "SELECT 1 FROM orgs WHERE code = $1 AND "
		    "path LIKE $2 || '%'", 2, org, scope));
	if (n == -1)
		return (db_fail(db, f));
	if (n == 0)
		return (fail_set(f, FAIL_NOTFOUND, NULL, person ?
		    "no such person" : "no such unit"));
	return (0);
}

/*
 * The time below which every statement row is committed for good: the
 * start of the oldest transaction still open (whose rows carry its
 * now(), and may yet commit), or now. push-xapi sends nothing newer,
 * so that no row can appear behind its high-water mark. Out: ISO 8601.
 */
int
store_xapi_horizon(struct db *db, char *out, size_t len, struct fail *f)
{
	struct pg_result	*res;

	res = db_query(db, "SELECT to_char(least(now(), (SELECT "
	    "min(xact_start) FROM pg_stat_activity WHERE xact_start IS NOT "
	    "NULL AND pid <> pg_backend_pid() AND backend_type = 'client "
	    "backend' AND datname = current_database())) AT TIME ZONE 'UTC', "
	    "'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"')", 0);
	if (res == NULL)
		return (db_fail(db, f));
	xstrlcpy(out, db_value(res, 0, 0), len);
	db_clear(res);
	return (0);
}

/* The high-water mark of a store: "" when nothing was sent yet. */
int
store_xapi_mark(struct db *db, const char *endpoint, const char *version,
    char *out, size_t len, long long *sent, struct fail *f)
{
	struct pg_result	*res;

	out[0] = '\0';
	*sent = 0;
	res = db_query(db, "SELECT after_us || '.' || after_key, sent FROM "
	    "xapi_push_marks WHERE endpoint = $1 AND version = $2 AND "
	    "after_key <> ''", 2, endpoint, version);
	if (res == NULL)
		return (db_fail(db, f));
	if (db_rows(res) == 1) {
		xstrlcpy(out, db_value(res, 0, 0), len);
		*sent = strtoll(db_value(res, 0, 1), NULL, 10);
	}
	db_clear(res);
	return (0);
}

/*
 * Move the store's mark to after (a cursor "us.key"), n statements more
 * sent; one statement, committed at once.
 */
int
store_xapi_mark_set(struct db *db, const char *endpoint, const char *version,
    const char *after, long long n, struct fail *f)
{
	const char	*dot;
	char		 us[NUMBUF], num[NUMBUF];

	if ((dot = strchr(after, '.')) == NULL ||
	    (size_t)(dot - after) >= sizeof(us))
		return (fail_set(f, FAIL_INPUT, NULL, "no cursor in '%s'",
		    after));
	(void)snprintf(us, sizeof(us), "%.*s", (int)(dot - after), after);
	(void)snprintf(num, sizeof(num), "%lld", n);
	if (db_exec(db, "INSERT INTO xapi_push_marks (endpoint, version, "
	    "after_us, after_key, sent) VALUES ($1, $2, $3::bigint, $4, "
	    "$5::bigint) ON CONFLICT (endpoint, version) DO UPDATE SET "
	    "after_us = EXCLUDED.after_us, after_key = EXCLUDED.after_key, "
	    "sent = xapi_push_marks.sent + EXCLUDED.sent, updated_at = now()",
	    5, endpoint, version, us, dot + 1, num) == -1)
		return (db_fail(db, f));
	return (0);
}
