/*
 * xapi-push.c: bin/capacita push-xapi, the learning records sent to a
 * learning record store (libcurl; the command line only, never a Kore
 * worker).
 *
 * The store's statements resource gets, in POSTs of --batch statements
 * in time order, the statements after its high-water mark
 * (xapi_push_marks: the key of the last statement it accepted). The
 * mark moves only after the store's 2xx, in its own transaction, so:
 *
 *  - nothing is lost: a batch the store did not accept, or whose answer
 *    never came (the network, the store restarting, push-xapi killed),
 *    is sent again by the next attempt or the next run;
 *  - nothing is stored twice: a batch sent again has the same statement
 *    ids with the same content (ids are derived from the records,
 *    xapi.c), which a store takes without storing them again (xAPI:
 *    the same id with the same statement is no conflict);
 *  - no statement appears behind the mark later: only statements older
 *    than the oldest transaction still open are sent
 *    (store_xapi_horizon()), since such a transaction may still commit
 *    rows timestamped before the ones already sent.
 *
 * The store's answers: 2xx, the batch is in; 5xx, 429, no answer: wait
 * (Retry-After when given, else 1, 2, 4... s up to 30) and try again,
 * up to --retries times; 409, a statement with one of these ids and
 * other content is there already: stop, nothing is moved; any other
 * 4xx (the statements or the credentials refused): stop and say why.
 */

#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include <curl/curl.h>

#include "capacita.h"

#define PUSH_WAIT_MAX		30	/* seconds between attempts */
#define PUSH_BODY_MAX		(64 * 1024)

struct push_reply {
	struct buf	 body;
	long		 retry_after;
};

static size_t	push_body(char *, size_t, size_t, void *);
static size_t	push_header(char *, size_t, size_t, void *);
static long	push_post(CURL *, const struct xapi_push *, const char *,
		    struct curl_slist *, const struct buf *,
		    struct push_reply *, char *);
static int	push_batch(CURL *, const struct xapi_push *, const char *,
		    struct curl_slist *, const struct buf *, int);

static size_t
push_body(char *p, size_t size, size_t n, void *arg)
{
	struct push_reply	*r = arg;

	if (r->body.len + size * n <= PUSH_BODY_MAX)
		buf_append(&r->body, p, size * n);
	return (size * n);
}

/* Retry-After: seconds (the HTTP-date form is not worth the parsing). */
static size_t
push_header(char *p, size_t size, size_t n, void *arg)
{
	struct push_reply	*r = arg;
	long long		 v;
	char			*line;

	line = xstrndup(p, size * n);
	if (strncasecmp(line, "retry-after:", 12) == 0 &&
	    parse_int(str_trim(line + 12), 0, 3600, &v) == 0)
		r->retry_after = (long)v;
	free(line);
	return (size * n);
}

/* One POST; the HTTP status, 0 when no answer came (err says why). */
static long
push_post(CURL *c, const struct xapi_push *p, const char *url,
    struct curl_slist *hdrs, const struct buf *body, struct push_reply *r,
    char *err)
{
	CURLcode	rc;
	long		status;

	buf_reset(&r->body);
	r->retry_after = -1;
	err[0] = '\0';
	curl_easy_reset(c);
	(void)curl_easy_setopt(c, CURLOPT_URL, url);
	(void)curl_easy_setopt(c, CURLOPT_POST, 1L);
	(void)curl_easy_setopt(c, CURLOPT_POSTFIELDS, body->data);
	(void)curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE, (long)body->len);
	(void)curl_easy_setopt(c, CURLOPT_HTTPHEADER, hdrs);
	(void)curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, push_body);
	(void)curl_easy_setopt(c, CURLOPT_WRITEDATA, r);
	(void)curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, push_header);
	(void)curl_easy_setopt(c, CURLOPT_HEADERDATA, r);
	(void)curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, 10L);
	(void)curl_easy_setopt(c, CURLOPT_TIMEOUT, 120L);
	(void)curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	(void)curl_easy_setopt(c, CURLOPT_ERRORBUFFER, err);
	(void)curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
	if (p->auth != NULL && *p->auth != '\0') {
		(void)curl_easy_setopt(c, CURLOPT_HTTPAUTH, CURLAUTH_BASIC);
		(void)curl_easy_setopt(c, CURLOPT_USERPWD, p->auth);
	}
	if ((rc = curl_easy_perform(c)) != CURLE_OK) {
		if (err[0] == '\0')
			xstrlcpy(err, curl_easy_strerror(rc), CURL_ERROR_SIZE);
		return (0);
	}
	status = 0;
	(void)curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
	return (status);
}

/*
 * Send one batch until the store takes it. 0 taken, -1 given up (the
 * reason on stderr).
 */
static int
push_batch(CURL *c, const struct xapi_push *p, const char *url,
    struct curl_slist *hdrs, const struct buf *body, int n)
{
	struct push_reply	 r;
	char			 err[CURL_ERROR_SIZE];
	long			 status, wait;
	int			 attempt;

	buf_init(&r.body, 1024);
	wait = 1;
	for (attempt = 0; ; attempt++) {
		status = push_post(c, p, url, hdrs, body, &r, err);
		if (status >= 200 && status < 300) {
			buf_free(&r.body);
			return (0);
		}
		if (status == 409) {
			fprintf(stderr, "capacita: %s: 409 Conflict: the store "
			    "has a statement with one of these %d ids and other "
			    "content; nothing was marked sent: %.*s\n", url, n,
			    (int)r.body.len, r.body.data);
			break;
		}
		if (status != 0 && status != 429 && status < 500) {
			fprintf(stderr, "capacita: %s: the store answered %ld: "
			    "%.*s\n", url, status, (int)r.body.len,
			    r.body.data);
			break;
		}
		if (attempt >= p->retries) {
			fprintf(stderr, "capacita: %s: %s after %d attempts; "
			    "the next run sends this batch again\n", url,
			    status == 0 ? err : "the store is unavailable",
			    attempt + 1);
			break;
		}
		if (status == 0)
			fprintf(stderr, "capacita: %s: %s; trying again\n", url,
			    err);
		else
			fprintf(stderr, "capacita: %s: %ld; trying again\n",
			    url, status);
		(void)sleep((unsigned)(r.retry_after >= 0 ? (r.retry_after >
		    PUSH_WAIT_MAX ? PUSH_WAIT_MAX : r.retry_after) : wait));
		wait = wait * 2 > PUSH_WAIT_MAX ? PUSH_WAIT_MAX : wait * 2;
	}
	buf_free(&r.body);
	return (-1);
}

/*
 * Push the statements the store at p->url has not had. 0 when the store
 * has all there is to send, 1 when it stopped (the reason on stderr).
 */
int
xapi_push(struct db *db, const struct xapi_push *p, const char *base)
{
	struct xapi_query	 q;
	struct curl_slist	*hdrs;
	struct fail		 f;
	struct buf		 url, body, h;
	CURL			*c;
	char			 mark[256], next[256], last[256], horizon[40];
	long long		 sent, total;
	int			 count, rc;

	buf_init(&url, 256);
	buf_puts(&url, p->url);
	if (!str_has_suffix(url.data, "/statements")) {
		if (!str_has_suffix(url.data, "/"))
			buf_putc(&url, '/');
		buf_puts(&url, "statements");
	}
	if (store_xapi_mark(db, url.data, p->version, mark, sizeof(mark),
	    &total, &f) == -1 || store_xapi_horizon(db, horizon,
	    sizeof(horizon), &f) == -1) {
		buf_free(&url);
		return (cli_fail(NULL, &f));
	}
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != 0 ||
	    (c = curl_easy_init()) == NULL) {
		fprintf(stderr, "capacita: libcurl does not start\n");
		buf_free(&url);
		return (1);
	}
	buf_init(&h, 64);
	buf_printf(&h, "X-Experience-API-Version: %s", p->version);
	hdrs = curl_slist_append(NULL, "Content-Type: application/json");
	hdrs = curl_slist_append(hdrs, h.data);
	buf_free(&h);

	memset(&q, 0, sizeof(q));
	q.scope = "/";
	q.org = "";
	q.user = "";
	q.since = "";
	q.before = horizon;
	q.version = p->version;
	q.answers = 1;
	q.limit = p->batch;
	q.last = last;
	q.lastlen = sizeof(last);
	buf_init(&body, 65536);
	sent = 0;
	rc = 0;
	for (;;) {
		q.after = mark;
		last[0] = '\0';
		buf_reset(&body);
		buf_putc(&body, '[');
		if (store_xapi_page(db, &q, base, &body, &count, next,
		    sizeof(next), &f) == -1) {
			rc = cli_fail(NULL, &f);
			break;
		}
		buf_putc(&body, ']');
		if (count == 0)
			break;
		if (push_batch(c, p, url.data, hdrs, &body, count) == -1) {
			rc = 1;
			break;
		}
		if (store_xapi_mark_set(db, url.data, p->version, last,
		    count, &f) == -1) {
			fprintf(stderr, "capacita: %s: the store has %d "
			    "statements more, but the mark could not be "
			    "written (%s); the next run sends them again, and "
			    "the store takes them once\n", url.data, count,
			    f.detail);
			rc = 1;
			break;
		}
		sent += count;
		xstrlcpy(mark, last, sizeof(mark));
		if (next[0] == '\0')
			break;
	}
	fprintf(stderr, "%lld statements sent to %s (%lld in all)\n", sent,
	    url.data, total + sent);
	curl_slist_free_all(hdrs);
	curl_easy_cleanup(c);
	curl_global_cleanup();
	buf_free(&body);
	buf_free(&url);
	return (rc);
}
