/*
 * page-health.c: /healthz for monitors, the language switch, the
 * accessibility statement and the catch-all 404 page.
 */

#include <stdlib.h>
#include <string.h>

#include "web.h"

int
page_healthz(struct http_request *req)
{
	struct fail	 f;
	struct web	 w;
	struct buf	 b;
	int		 schema, up;

	if (web_begin(&w, req) == -1)
		return (KORE_RESULT_OK);
	up = web_db(&w) == 0 && store_health(&w.db, &schema, &f) == 0;
	if (!up)
		schema = -1;
	web_end(&w);

	buf_init(&b, 256);
	buf_printf(&b, "{\"status\":\"%s\",\"version\":\"%s\","
	    "\"schema\":{\"expected\":%d,\"database\":%d},"
	    "\"database\":%s,\"worker\":%u}\n",
	    up && schema == SCHEMA_VERSION ? "ok" : "unavailable",
	    CAPACITA_VERSION, SCHEMA_VERSION, schema, up ? "true" : "false",
	    worker != NULL ? worker->id : 0);
	if (!up)
		http_response_header(req, "retry-after", WEB_RETRY_AFTER);
	(void)web_json(req, up && schema == SCHEMA_VERSION ? 200 : 503, &b);
	buf_free(&b);
	return (KORE_RESULT_OK);
}

/* /lang/it and /lang/en: remember the choice and go back. */
int
page_lang(struct http_request *req)
{
	struct http_cookie	*ck;
	struct fail		 f;
	struct web		 w;
	const char		*lang;
	char			*next;

	if (web_begin(&w, req) == -1)
		return (KORE_RESULT_OK);
	lang = web_path_tail(req, "/lang/");
	/* Signed in: the person's messages follow the choice too. */
	if (w.user != NULL && account_set_lang(&w.db, w.user->id, lang,
	    &f) == -1)
		return (web_fail(&w, &f));
	http_response_cookie(req, "lang", lang, "/", 0, 365 * 24 * 3600, &ck);
	ck->flags &= ~HTTP_COOKIE_SECURE;
	ck->flags &= ~HTTP_COOKIE_HTTPONLY;
	if (!http_argument_get_string(req, "next", &next))
		next = "/";
	return (web_redirect(&w, web_next(next)));
}

/*
 * /accessibility: the accessibility statement, in the fields of AgID's
 * model ("Dichiarazione di accessibilità"). Its text is in the message
 * catalogues; the administration and the site come from the settings.
 */
int
page_accessibility(struct http_request *req)
{
	struct web	w;
	struct buf	main;

	if (web_begin(&w, req) == -1)
		return (KORE_RESULT_OK);
	buf_init(&main, 8192);
	{
		struct tmpl_arg args[] = {
			T_TEXT("entity", settings.issuer_name),
			T_TEXT("site_name", settings.site_name),
			T_TEXT("site_url", settings.base_url),
		};

		if (web_render(&w, &main, "accessibility", args,
		    T_NARGS(args)) == -1) {
			buf_free(&main);
			return (web_error(&w, 500, "error.500.text"));
		}
	}
	(void)web_page(&w, 200, i18n_get(w.lang, "a11y.title"), main.data);
	buf_free(&main);
	return (KORE_RESULT_OK);
}

int
page_not_found(struct http_request *req)
{
	struct web	w;

	if (web_begin(&w, req) == -1)
		return (KORE_RESULT_OK);
	return (web_error(&w, 404, "error.404.text"));
}
