/*
 * web.c: what every handler shares: the per-request context, the
 * database connection borrowed from Kore's pool, security headers, the
 * page layout and error pages.
 */

#include <stdlib.h>
#include <string.h>

#include <libpq-fe.h>

#include "web.h"

/*
 * No inline script or style anywhere: every script and style sheet is a
 * file under /assets. Bootstrap Italia's CSS uses data: URIs for icons
 * and one icon font.
 */
#define WEB_CSP		"default-src 'self'; script-src 'self'; " \
			"style-src 'self'; img-src 'self' data:; " \
			"font-src 'self' data:; connect-src 'self'; " \
			"object-src 'none'; base-uri 'self'; " \
			"form-action 'self'; frame-ancestors 'none'"

void
web_headers(struct http_request *req)
{
	http_response_header(req, "content-security-policy", WEB_CSP);
	http_response_header(req, "x-content-type-options", "nosniff");
	http_response_header(req, "referrer-policy",
	    "strict-origin-when-cross-origin");
	http_response_header(req, "x-frame-options", "DENY");
	http_response_header(req, "permissions-policy",
	    "camera=(), microphone=(), geolocation=()");
}

void
web_begin(struct web *w, struct http_request *req)
{
	char	*lang;

	memset(w, 0, sizeof(*w));
	w->req = req;
	w->lang = LANG_IT;
	http_populate_cookies(req);
	if (http_request_cookie(req, "lang", &lang))
		w->lang = i18n_lang_from(lang);
}

/*
 * Borrow a connection from Kore's pool (synchronous mode: the queries
 * here are short and indexed; measured faster than async on this
 * hardware, see the Kore guide). Returns 0, or -1 when the database
 * cannot be reached.
 */
int
web_db(struct web *w)
{
	if (w->have_db)
		return (0);
	kore_pgsql_init(&w->sql);
	if (!kore_pgsql_setup(&w->sql, WEB_DB, KORE_PGSQL_SYNC)) {
		kore_log(LOG_NOTICE, "database unavailable: %s",
		    w->sql.error != NULL ? w->sql.error : "?");
		kore_pgsql_cleanup(&w->sql);
		return (-1);
	}
	db_attach(&w->db, w->sql.conn->db);
	w->have_db = 1;
	if (!db_ok(&w->db)) {
		kore_log(LOG_NOTICE, "database unavailable: %s",
		    db_error(&w->db));
		return (-1);
	}
	return (0);
}

void
web_end(struct web *w)
{
	if (!w->have_db)
		return;
	/* Never hand a connection back to the pool mid-transaction. */
	db_rollback(&w->db);
	kore_pgsql_cleanup(&w->sql);
	w->have_db = 0;
}

/* The path after prefix, e.g. the slug of /modules/<slug>. */
const char *
web_path_tail(struct http_request *req, const char *prefix)
{
	size_t	len;

	len = strlen(prefix);
	if (strncmp(req->path, prefix, len) != 0)
		return ("");
	return (req->path + len);
}

void
web_fmt_hours(char *out, size_t len, double h)
{
	if (h == (double)(long long)h)
		(void)snprintf(out, len, "%lld", (long long)h);
	else
		(void)snprintf(out, len, "%.1f", h);
	if (strchr(out, '.') != NULL)
		*strchr(out, '.') = ',';
}

/* Render a template into out; on a template bug answer 500 and log it. */
int
web_render(struct web *w, struct buf *out, const char *name,
    const struct tmpl_arg *args, size_t nargs)
{
	struct tmpl	*t;
	struct buf	 err;

	if ((t = tmpl_find(name)) == NULL) {
		kore_log(LOG_ERR, "template '%s' not found", name);
		return (-1);
	}
	buf_init(&err, 128);
	if (tmpl_render(out, t, w->lang, args, nargs, &err) == -1) {
		kore_log(LOG_ERR, "template error: %s", err.data);
		buf_free(&err);
		return (-1);
	}
	buf_free(&err);
	return (0);
}

/*
 * Send a whole page: main_html (trusted, from templates) inside the
 * layout. title is plain text.
 */
int
web_page(struct web *w, int status, const char *title, const char *main_html)
{
	struct buf	 page, here;
	const char	*lang;

	lang = i18n_lang_code(w->lang);
	buf_init(&here, 128);
	url_encode(&here, w->req->path);
	buf_init(&page, 8192 + strlen(main_html));
	{
		struct tmpl_arg args[] = {
			T_TEXT("lang", lang),
			T_TEXT("title", title),
			T_TEXT("site_name", settings.site_name),
			T_TEXT("other_lang", w->lang == LANG_IT ? "en" : "it"),
			T_TEXT("other_lang_name", w->lang == LANG_IT ?
			    "English" : "Italiano"),
			T_TEXT("here", here.data),
			T_RAW("main", main_html),
		};

		if (web_render(w, &page, "layout", args,
		    T_NARGS(args)) == -1) {
			buf_free(&here);
			buf_free(&page);
			web_headers(w->req);
			http_response(w->req, 500, NULL, 0);
			web_end(w);
			return (KORE_RESULT_OK);
		}
	}
	web_headers(w->req);
	http_response_header(w->req, "content-type",
	    "text/html; charset=utf-8");
	http_response_header(w->req, "cache-control", "no-cache");
	http_response(w->req, status, page.data, page.len);
	buf_free(&here);
	buf_free(&page);
	web_end(w);
	return (KORE_RESULT_OK);
}

/* An error page in the page language; msgkey names its explanation. */
int
web_error(struct web *w, int status, const char *msgkey)
{
	struct buf	 main;
	char		 code[16], key[32];

	(void)snprintf(code, sizeof(code), "%d", status);
	(void)snprintf(key, sizeof(key), "error.%d", status);
	buf_init(&main, 1024);
	{
		struct tmpl_arg args[] = {
			T_TEXT("status", code),
			T_TEXT("heading", i18n_get(w->lang, key)),
			T_TEXT("message", i18n_get(w->lang, msgkey)),
		};

		if (web_render(w, &main, "error", args, T_NARGS(args)) == -1) {
			buf_free(&main);
			web_headers(w->req);
			http_response(w->req, status, NULL, 0);
			web_end(w);
			return (KORE_RESULT_OK);
		}
	}
	if (status == 503)
		http_response_header(w->req, "retry-after", WEB_RETRY_AFTER);
	(void)web_page(w, status, i18n_get(w->lang, key), main.data);
	buf_free(&main);
	return (KORE_RESULT_OK);
}

int
web_db_error(struct web *w)
{
	return (web_error(w, 503, "error.503.db"));
}

int
web_redirect(struct web *w, const char *location)
{
	web_headers(w->req);
	http_response_header(w->req, "location", location);
	http_response(w->req, 303, NULL, 0);
	web_end(w);
	return (KORE_RESULT_OK);
}

int
web_json(struct http_request *req, int status, struct buf *b)
{
	web_headers(req);
	http_response_header(req, "content-type",
	    "application/json; charset=utf-8");
	http_response_header(req, "cache-control", "no-store");
	http_response(req, status, b->data, b->len);
	return (KORE_RESULT_OK);
}
