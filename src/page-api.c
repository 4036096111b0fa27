/*
 * page-api.c: the JSON API for integrations, behind the same sessions
 * and roles as the pages (README.md, "JSON API"). Writes need the
 * session's CSRF token in an X-CSRF-Token header.
 */

#include <stdlib.h>
#include <string.h>

#include "web.h"

static int	api_csrf(struct web *);
static void	jstr(struct buf *, const char *, const char *);
static void	jnum(struct buf *, const char *, const char *);
static int	api_enrol(struct web *);
static int	api_list(struct http_request *, int (*)(struct db *,
		    long long, struct api_rows *, struct fail *),
		    void (*)(struct buf *, const struct api_rows *));
static void	enrolments_json(struct buf *, const struct api_rows *);
static void	attempts_json(struct buf *, const struct api_rows *);
static void	hours_json(struct buf *, const struct api_rows *);

static int
api_csrf(struct web *w)
{
	const char	*t;

	return (http_request_header(w->req, "x-csrf-token", &t) &&
	    auth_equal(t, w->user->csrf));
}

/* GET /api/me: who am I, with my roles. */
int
page_api_me(struct http_request *req)
{
	struct web	w;
	struct buf	b;
	int		i, first;

	if (web_begin(&w, req) == -1)
		return (KORE_RESULT_OK);
	buf_init(&b, 512);
	buf_printf(&b, "{\"id\":%lld,\"name\":", w.user->id);
	json_quote(&b, w.user->name);
	buf_puts(&b, ",\"email\":");
	json_quote(&b, w.user->email);
	buf_puts(&b, ",\"office\":");
	json_quote(&b, w.user->org_name);
	buf_puts(&b, ",\"roles\":[");
	first = 1;
	for (i = 0; i < ROLE_COUNT; i++) {
		if (!(w.user->roles & (1 << i)))
			continue;
		if (!first)
			buf_putc(&b, ',');
		json_quote(&b, auth_role_name(1 << i));
		first = 0;
	}
	buf_puts(&b, "],\"csrf\":");
	json_quote(&b, w.user->csrf);
	buf_puts(&b, "}\n");
	(void)web_json(req, 200, &b);
	buf_free(&b);
	web_end(&w);
	return (KORE_RESULT_OK);
}

/* ,"key":"value" (or null) and ,"key":value, the first without a comma. */
static void
jstr(struct buf *b, const char *key, const char *val)
{
	if (b->len > 0 && b->data[b->len - 1] != '{')
		buf_putc(b, ',');
	json_quote(b, key);
	buf_putc(b, ':');
	if (val == NULL)
		buf_puts(b, "null");
	else
		json_quote(b, val);
}

static void
jnum(struct buf *b, const char *key, const char *val)
{
	if (b->len > 0 && b->data[b->len - 1] != '{')
		buf_putc(b, ',');
	json_quote(b, key);
	buf_putc(b, ':');
	buf_puts(b, val);
}

/* POST {"course": "<slug>"}: enrol me. */
static int
api_enrol(struct web *w)
{
	struct kore_json	 json;
	struct kore_json_item	*course;
	struct fail		 f;
	struct buf		 b, body;
	char			 chunk[2048];
	ssize_t			 n;
	int			 created, rc;

	if (!api_csrf(w))
		return (web_json_error(w, 403, "missing or wrong "
		    "X-CSRF-Token"));
	buf_init(&body, 256);
	buf_init(&b, 64);
	while ((n = http_body_read(w->req, chunk, sizeof(chunk))) > 0 &&
	    body.len < 4096)
		buf_append(&body, chunk, (size_t)n);
	kore_json_init(&json, body.data, body.len);
	if (!kore_json_parse(&json) || (course =
	    kore_json_find_string(json.root, "course")) == NULL ||
	    !slug_valid(course->data.string)) {
		rc = web_json_error(w, 400, "expected {\"course\": slug}");
		goto out;
	}
	if (learn_enrol(&w->db, w->user->id, course->data.string,
	    "self", 0, NULL, &created, &f) == -1) {
		rc = f.kind == FAIL_NOTFOUND ? web_json_error(w, 404,
		    "no such course") : web_fail_json(w, &f);
		goto out;
	}
	buf_printf(&b, "{\"enrolled\":true,\"created\":%s}\n",
	    created ? "true" : "false");
	(void)web_json(w->req, created ? 201 : 200, &b);
	web_end(w);
	rc = KORE_RESULT_OK;
out:
	kore_json_cleanup(&json);
	buf_free(&body);
	buf_free(&b);
	return (rc);
}

/*
 * A list of the person signed in as JSON: load reads it, write writes
 * the document. Database failures in the one JSON error body.
 */
static int
api_list(struct http_request *req, int (*load)(struct db *, long long,
    struct api_rows *, struct fail *), void (*write)(struct buf *,
    const struct api_rows *))
{
	struct api_rows	 rows;
	struct fail	 f;
	struct web	 w;
	struct buf	 b;
	int		 rc;

	if (web_begin(&w, req) == -1)
		return (KORE_RESULT_OK);
	buf_init(&b, 2048);
	if (load(&w.db, w.user->id, &rows, &f) == -1) {
		rc = web_fail_json(&w, &f);
		goto out;
	}
	write(&b, &rows);
	(void)web_json(req, 200, &b);
	web_end(&w);
	rc = KORE_RESULT_OK;
out:
	rows_release(rows.res, rows.rows);
	buf_free(&b);
	return (rc);
}

static void
enrolments_json(struct buf *b, const struct api_rows *rows)
{
	const struct api_enrolment	*e;
	size_t				 i;

	buf_puts(b, "{\"enrolments\":[");
	for (i = 0; i < rows->n; i++) {
		e = &((const struct api_enrolment *)rows->rows)[i];
		buf_puts(b, i > 0 ? ",{" : "{");
		jstr(b, "course", e->course);
		jstr(b, "title", e->title);
		jstr(b, "enrolled_at", e->enrolled_at);
		jstr(b, "due_date", e->due_date);
		jstr(b, "completed_at", e->completed_at);
		jstr(b, "source", e->source);
		buf_puts(b, ",\"progress\":{");
		jnum(b, "modules", e->modules);
		jnum(b, "done", e->done);
		buf_puts(b, "}}");
	}
	buf_puts(b, "]}\n");
}

static void
attempts_json(struct buf *b, const struct api_rows *rows)
{
	const struct api_attempt	*a;
	size_t				 i;

	buf_puts(b, "{\"attempts\":[");
	for (i = 0; i < rows->n; i++) {
		a = &((const struct api_attempt *)rows->rows)[i];
		buf_puts(b, i > 0 ? ",{" : "{");
		jstr(b, "id", a->id);
		jstr(b, "course", a->course);
		jstr(b, "module", a->module);
		jnum(b, "version", a->version);
		jstr(b, "sha256", a->sha256);
		jnum(b, "number", a->number);
		jstr(b, "submitted_at", a->submitted_at);
		jnum(b, "score", a->score);
		jnum(b, "max_score", a->max_score);
		jnum(b, "percent", a->percent);
		jnum(b, "passed", a->passed ? "true" : "false");
		buf_putc(b, '}');
	}
	buf_puts(b, "]}\n");
}

static void
hours_json(struct buf *b, const struct api_rows *rows)
{
	const struct api_hours	*h;
	size_t			 i;

	buf_printf(b, "{\"target\":40,\"hours\":%s,\"entries\":[",
	    rows->total);
	for (i = 0; i < rows->n; i++) {
		h = &((const struct api_hours *)rows->rows)[i];
		buf_puts(b, i > 0 ? ",{" : "{");
		jnum(b, "year", h->year);
		jnum(b, "hours", h->hours);
		jstr(b, "source", h->source);
		jstr(b, "description", h->description);
		jstr(b, "at", h->at);
		buf_putc(b, '}');
	}
	buf_puts(b, "]}\n");
}

/*
 * GET /api/me/enrolments: my courses with progress. POST with
 * {"course": "<slug>"} enrols me (X-CSRF-Token required).
 */
int
page_api_enrolments(struct http_request *req)
{
	struct web	w;

	if (req->method != HTTP_METHOD_POST)
		return (api_list(req, store_api_enrolments,
		    enrolments_json));
	if (web_begin(&w, req) == -1)
		return (KORE_RESULT_OK);
	return (api_enrol(&w));
}

/* GET /api/me/attempts: every submitted attempt, newest first. */
int
page_api_attempts(struct http_request *req)
{
	return (api_list(req, store_api_attempts, attempts_json));
}

/* GET /api/me/hours: this year's training hours and where they came from. */
int
page_api_hours(struct http_request *req)
{
	return (api_list(req, store_api_hours, hours_json));
}
