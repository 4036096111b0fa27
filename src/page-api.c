/*
 * page-api.c: the JSON API for integrations, behind the same sessions
 * and roles as the pages (README.md, "JSON API"). Writes need the
 * session's CSRF token in an X-CSRF-Token header.
 */

#include <stdlib.h>
#include <string.h>

#include "web.h"

static int	api_csrf(struct web *);

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

/*
 * GET /api/me/enrolments: my courses with progress. POST with
 * {"course": "<slug>"} enrols me (X-CSRF-Token required).
 */
int
page_api_enrolments(struct http_request *req)
{
	struct pg_result	*res;
	struct kore_json	 json;
	struct kore_json_item	*course;
	struct web		 w;
	struct buf		 b, body;
	char			 uid[32], chunk[2048];
	ssize_t			 n;
	int			 i, rows, created;

	if (web_begin(&w, req) == -1)
		return (KORE_RESULT_OK);
	if (req->method == HTTP_METHOD_POST) {
		if (!api_csrf(&w))
			return (web_json_error(&w, 403, "missing or wrong "
			    "X-CSRF-Token"));
		buf_init(&body, 256);
		while ((n = http_body_read(req, chunk, sizeof(chunk))) > 0 &&
		    body.len < 4096)
			buf_append(&body, chunk, (size_t)n);
		kore_json_init(&json, body.data, body.len);
		if (!kore_json_parse(&json) || (course =
		    kore_json_find_string(json.root, "course")) == NULL ||
		    !slug_valid(course->data.string)) {
			kore_json_cleanup(&json);
			buf_free(&body);
			return (web_json_error(&w, 400, "expected {\"course\": "
			    "\"<slug>\"}"));
		}
		if (learn_enrol(&w.db, w.user->id, course->data.string,
		    "self", 0, NULL, &created) == -1) {
			kore_json_cleanup(&json);
			buf_free(&body);
			return (web_json_error(&w, 404, "no such course"));
		}
		kore_json_cleanup(&json);
		buf_free(&body);
		buf_init(&b, 64);
		buf_printf(&b, "{\"enrolled\":true,\"created\":%s}\n",
		    created ? "true" : "false");
		(void)web_json(req, created ? 201 : 200, &b);
		buf_free(&b);
		web_end(&w);
		return (KORE_RESULT_OK);
	}

	(void)snprintf(uid, sizeof(uid), "%lld", w.user->id);
	res = db_query(&w.db, "SELECT c.slug, c.title, to_char(e.enrolled_at "
	    "AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'), "
	    "coalesce(to_char(e.due_date, 'YYYY-MM-DD'), ''), "
	    "coalesce(to_char(e.completed_at AT TIME ZONE 'UTC', "
	    "'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'), ''), e.source, (SELECT "
	    "count(*) FROM course_modules cm WHERE cm.course_id = c.id), "
	    "(SELECT count(*) FROM course_modules cm WHERE cm.course_id = c.id "
	    "AND module_done(e.user_id, c.id, cm.module_id)) FROM enrolments e "
	    "JOIN courses c ON c.id = e.course_id WHERE e.user_id = $1 ORDER "
	    "BY e.enrolled_at", 1, uid);
	if (res == NULL)
		return (web_json_error(&w, 503, "database unavailable"));
	buf_init(&b, 1024);
	buf_puts(&b, "{\"enrolments\":[");
	rows = db_rows(res);
	for (i = 0; i < rows; i++) {
		buf_puts(&b, i > 0 ? ",{\"course\":" : "{\"course\":");
		json_quote(&b, db_value(res, i, 0));
		buf_puts(&b, ",\"title\":");
		json_quote(&b, db_value(res, i, 1));
		buf_puts(&b, ",\"enrolled_at\":");
		json_quote(&b, db_value(res, i, 2));
		buf_puts(&b, ",\"due_date\":");
		if (*db_value(res, i, 3) == '\0')
			buf_puts(&b, "null");
		else
			json_quote(&b, db_value(res, i, 3));
		buf_puts(&b, ",\"completed_at\":");
		if (*db_value(res, i, 4) == '\0')
			buf_puts(&b, "null");
		else
			json_quote(&b, db_value(res, i, 4));
		buf_puts(&b, ",\"source\":");
		json_quote(&b, db_value(res, i, 5));
		buf_printf(&b, ",\"progress\":{\"modules\":%s,\"done\":%s}}",
		    db_value(res, i, 6), db_value(res, i, 7));
	}
	buf_puts(&b, "]}\n");
	db_clear(res);
	(void)web_json(req, 200, &b);
	buf_free(&b);
	web_end(&w);
	return (KORE_RESULT_OK);
}

/* GET /api/me/attempts: every submitted attempt, newest first. */
int
page_api_attempts(struct http_request *req)
{
	struct pg_result	*res;
	struct web		 w;
	struct buf		 b;
	char			 uid[32];
	int			 i, rows;

	if (web_begin(&w, req) == -1)
		return (KORE_RESULT_OK);
	(void)snprintf(uid, sizeof(uid), "%lld", w.user->id);
	res = db_query(&w.db, "SELECT a.id, c.slug, m.slug, v.version_no, "
	    "v.sha256, a.number, to_char(a.submitted_at AT TIME ZONE 'UTC', "
	    "'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'), a.score, a.max_score, "
	    "a.percent, a.passed FROM attempts a JOIN courses c ON c.id = "
	    "a.course_id JOIN modules m ON m.id = a.module_id JOIN "
	    "module_versions v ON v.id = a.version_id WHERE a.user_id = $1 AND "
	    "a.submitted_at IS NOT NULL ORDER BY a.submitted_at DESC", 1, uid);
	if (res == NULL)
		return (web_json_error(&w, 503, "database unavailable"));
	buf_init(&b, 2048);
	buf_puts(&b, "{\"attempts\":[");
	rows = db_rows(res);
	for (i = 0; i < rows; i++) {
		buf_puts(&b, i > 0 ? ",{\"id\":" : "{\"id\":");
		json_quote(&b, db_value(res, i, 0));
		buf_puts(&b, ",\"course\":");
		json_quote(&b, db_value(res, i, 1));
		buf_puts(&b, ",\"module\":");
		json_quote(&b, db_value(res, i, 2));
		buf_printf(&b, ",\"version\":%s,\"sha256\":\"%s\",\"number\":%s,"
		    "\"submitted_at\":", db_value(res, i, 3),
		    db_value(res, i, 4), db_value(res, i, 5));
		json_quote(&b, db_value(res, i, 6));
		buf_printf(&b, ",\"score\":%s,\"max_score\":%s,\"percent\":%s,"
		    "\"passed\":%s}", db_value(res, i, 7), db_value(res, i, 8),
		    db_value(res, i, 9), strcmp(db_value(res, i, 10), "t") == 0 ?
		    "true" : "false");
	}
	buf_puts(&b, "]}\n");
	db_clear(res);
	(void)web_json(req, 200, &b);
	buf_free(&b);
	web_end(&w);
	return (KORE_RESULT_OK);
}

/* GET /api/me/hours: this year's training hours and where they came from. */
int
page_api_hours(struct http_request *req)
{
	struct pg_result	*res;
	struct web		 w;
	struct buf		 b;
	char			 uid[32];
	int			 i, rows;

	if (web_begin(&w, req) == -1)
		return (KORE_RESULT_OK);
	(void)snprintf(uid, sizeof(uid), "%lld", w.user->id);
	res = db_query(&w.db, "SELECT year, hours, source, description, "
	    "to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'), "
	    "sum(hours) OVER () FROM hours_ledger WHERE user_id = $1 AND year "
	    "= extract(year FROM now())::int ORDER BY at", 1, uid);
	if (res == NULL)
		return (web_json_error(&w, 503, "database unavailable"));
	buf_init(&b, 1024);
	rows = db_rows(res);
	buf_printf(&b, "{\"target\":40,\"hours\":%s,\"entries\":[",
	    rows > 0 ? db_value(res, 0, 5) : "0");
	for (i = 0; i < rows; i++) {
		buf_printf(&b, "%s{\"year\":%s,\"hours\":%s,\"source\":\"%s\","
		    "\"description\":", i > 0 ? "," : "", db_value(res, i, 0),
		    db_value(res, i, 1), db_value(res, i, 2));
		json_quote(&b, db_value(res, i, 3));
		buf_puts(&b, ",\"at\":");
		json_quote(&b, db_value(res, i, 4));
		buf_putc(&b, '}');
	}
	buf_puts(&b, "]}\n");
	db_clear(res);
	(void)web_json(req, 200, &b);
	buf_free(&b);
	web_end(&w);
	return (KORE_RESULT_OK);
}
