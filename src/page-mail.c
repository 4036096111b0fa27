/*
 * page-mail.c: a person's reminders turned off, by the List-Unsubscribe
 * link of a reminder (RFC 2369, one-click per RFC 8058: a POST to the
 * same URL, with no form token: the random token in the link is the
 * proof) or on their own page.
 *
 *   GET /unsubscribe?t=...	a page with one button
 *   POST /unsubscribe?t=...	reminders off
 *   POST /me/mail		reminders on or off (signed in, CSRF)
 */

#include <string.h>

#include "web.h"

static int	unsubscribe_page(struct web *, int, const char *, const char *);

static int
unsubscribe_page(struct web *w, int status, const char *token,
    const char *done)
{
	struct buf	main;

	buf_init(&main, 1024);
	if (done != NULL) {
		struct tmpl_arg args[] = {
			T_TEXT("text", i18n_get(w->lang, done)),
			T_TEXT("kind", "success"),
		};

		(void)web_render(w, &main, "alert", args, T_NARGS(args));
	} else {
		struct tmpl_arg args[] = {
			T_TEXT("token", token),
		};

		(void)web_render(w, &main, "unsubscribe", args, T_NARGS(args));
	}
	(void)web_page(w, status, i18n_get(w->lang, "unsubscribe.title"),
	    main.data);
	buf_free(&main);
	return (KORE_RESULT_OK);
}

int
page_unsubscribe(struct http_request *req)
{
	struct fail	 f;
	struct web	 w;
	char		*token;

	if (web_begin(&w, req) == -1)
		return (KORE_RESULT_OK);
	if (req->method == HTTP_METHOD_POST)
		http_populate_qs(req);
	if (!http_argument_get_string(req, "t", &token))
		return (web_error(&w, 400, "unsubscribe.bad_link"));
	if (req->method != HTTP_METHOD_POST)
		return (unsubscribe_page(&w, 200, token, NULL));
	if (web_db(&w) == -1)
		return (web_db_error(&w));
	if (mail_unsubscribe(&w.db, token, &f) == -1)
		return (web_fail(&w, &f));
	(void)audit_append(&w.db, "-", "mail.unsubscribe", "reminders", "",
	    w.ip);
	return (unsubscribe_page(&w, 200, token, "unsubscribe.done"));
}

/* POST /me/mail: the user's own choice of reminders. */
int
page_me_mail(struct http_request *req)
{
	struct fail	f;
	struct web	w;

	if (web_begin(&w, req) == -1)
		return (KORE_RESULT_OK);
	if (mail_reminders_set(&w.db, w.user->id,
	    web_arg(&w, "reminders") != NULL, &f) == -1)
		return (web_fail(&w, &f));
	return (web_redirect(&w, "/me"));
}
