/*
 * page-xapi.c: GET /api/xapi/statements, the learning records as xAPI
 * statements (xapi.c, read by store-xapi.c), in a StatementResult
 * ({"statements": [...], "more": "..."}):
 *
 *  - the request's X-Experience-API-Version chooses the form: 1.0.x the
 *    1.0.3 form (statements' "version" 1.0.0), 2.0.0 the 2.0 form, none
 *    the 2.0 form as before; any other version is refused (400), as a
 *    store refuses a version it does not speak. The answer says the
 *    version it speaks in the same header;
 *  - a learner gets their own records, with the right answers of their
 *    own quiz answers (correctResponsesPattern: the quiz's review shows
 *    them after submission anyway); an HR office its subtree's
 *    (?user=ID, ?org=CODE inside it), without right answers;
 *  - ?since=TIME is exclusive and to the millisecond: passing the last
 *    timestamp seen gets nothing twice; ?limit=N up to XAPI_PAGE_MAX;
 *    "more" is the relative address of the next page, "" on the last.
 */

#include <stdlib.h>
#include <string.h>

#include "web.h"

#define XAPI_PAGE_DEFAULT	100

static const char *xapi_version(struct http_request *);
static int	xapi_fail(struct web *, const struct fail *, const char *);

/* A store failure in the API's words: what was not found, or a 503. */
static int
xapi_fail(struct web *w, const struct fail *f, const char *notfound)
{
	if (f->detail[0] != '\0')
		kore_log(LOG_INFO, "%s: %s", w->req->path, f->detail);
	return (web_json_error(w, fail_status(f), f->kind == FAIL_NOTFOUND ?
	    notfound : "database unavailable"));
}

/* The form asked for: XAPI_VERSION_1, XAPI_VERSION, or NULL. */
static const char *
xapi_version(struct http_request *req)
{
	const char	*v;

	if (!http_request_header(req, "x-experience-api-version", &v))
		return (XAPI_VERSION);
	if (strncmp(v, "1.0.", 4) == 0 && v[4] != '\0' &&
	    strspn(v + 4, "0123456789") == strlen(v + 4))
		return (XAPI_VERSION_1);
	if (strcmp(v, XAPI_VERSION) == 0)
		return (XAPI_VERSION);
	return (NULL);
}

int
page_api_xapi(struct http_request *req)
{
	struct xapi_query	 q;
	struct fail		 f;
	struct web		 w;
	struct buf		 b, more;
	const char		*user, *org, *since, *after, *limit;
	char			 uid[32], next[256], iso[32];
	long long		 num;
	int			 count;

	if (web_begin(&w, req) == -1)
		return (KORE_RESULT_OK);
	memset(&q, 0, sizeof(q));
	if ((q.version = xapi_version(req)) == NULL)
		return (web_json_error(&w, 400, "X-Experience-API-Version: 1.0.3 or "
		    "2.0.0"));
	if (web_db(&w) == -1)
		return (web_json_error(&w, 503, "database unavailable"));
	user = web_arg(&w, "user");
	org = web_arg(&w, "org");
	since = web_arg(&w, "since");
	after = web_arg(&w, "after");
	limit = web_arg(&w, "limit");
	/* Issue 18: 20 digits reached the database as a bigint: 503. */
	if (web_arg_num(&w, "user", 1, WEB_ID_MAX, &num) == -1)
		return (web_json_error(&w, 400, "user: a person's id, a number from "
		    "1 to 9223372036854775807"));
	if (web_arg_num(&w, "limit", 0, INT32_MAX, &num) == -1)
		return (web_json_error(&w, 400, "limit: a number from 1 to "
		    STRINGIFY(XAPI_PAGE_MAX)));
	if (after != NULL && !xapi_cursor_valid(after))
		return (web_json_error(&w, 400, "after: the \"more\" address of "
		    "the previous page"));
	(void)snprintf(uid, sizeof(uid), "%lld", w.user->id);
	if (web_has_role(&w, ROLE_HR)) {
		q.scope = web_scope(&w, ROLE_HR);
		q.user = user != NULL ? user : "";
		q.org = org != NULL ? org : "";
		if (*q.user != '\0' && store_xapi_in_scope(&w.db, q.scope,
		    q.user, NULL, &f) == -1)
			return (xapi_fail(&w, &f, "no such person"));
		if (*q.org != '\0' && store_xapi_in_scope(&w.db, q.scope,
		    NULL, q.org, &f) == -1)
			return (xapi_fail(&w, &f, "no such unit"));
	} else {
		if ((user != NULL && strcmp(user, uid) != 0) || org != NULL)
			return (web_json_error(&w, 404, "no such person"));
		q.scope = "/";
		q.org = "";
		q.user = uid;
	}
	/* Right answers: only in a person's own records. */
	q.answers = strcmp(q.user, uid) == 0;
	q.since = "";
	if (since != NULL && *since != '\0') {
		if (xapi_time(since, iso) == -1)
			return (web_json_error(&w, 400, "since: an ISO 8601 time, "
			    "e.g. 2025-01-31T00:00:00.000Z"));
		q.since = iso;
	}
	q.after = after != NULL ? after : "";
	q.limit = limit != NULL ? atoi(limit) : XAPI_PAGE_DEFAULT;
	if (q.limit < 1)
		q.limit = XAPI_PAGE_DEFAULT;
	if (q.limit > XAPI_PAGE_MAX)
		q.limit = XAPI_PAGE_MAX;
	buf_init(&b, 16384);
	buf_puts(&b, "{\"statements\":[");
	if (store_xapi_page(&w.db, &q, settings.base_url, &b, &count, next,
	    sizeof(next), &f) == -1) {
		buf_free(&b);
		return (xapi_fail(&w, &f, "no such person"));
	}
	buf_init(&more, 256);
	if (next[0] != '\0') {
		buf_printf(&more, "/api/xapi/statements?after=");
		url_encode(&more, next);
		buf_printf(&more, "&limit=%d", q.limit);
		if (*q.since != '\0') {
			buf_puts(&more, "&since=");
			url_encode(&more, q.since);
		}
		if (user != NULL && web_has_role(&w, ROLE_HR)) {
			buf_puts(&more, "&user=");
			url_encode(&more, user);
		}
		if (org != NULL && web_has_role(&w, ROLE_HR)) {
			buf_puts(&more, "&org=");
			url_encode(&more, org);
		}
	}
	buf_puts(&b, "],\"more\":");
	json_quote(&b, more.data);
	buf_puts(&b, "}\n");
	http_response_header(req, "x-experience-api-version", q.version);
	(void)web_json(req, 200, &b);
	buf_free(&b);
	buf_free(&more);
	web_end(&w);
	return (KORE_RESULT_OK);
}
