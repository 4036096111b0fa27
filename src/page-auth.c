/*
 * page-auth.c: signing in and out, setting a password through a
 * one-time link, and the signed-in user's own page.
 *
 * A failed sign-in always gets the same answer, whether the address is
 * unknown, the account disabled or the password wrong, and takes the
 * same time (a dummy hash is checked). Too many failures get 429 with
 * Retry-After: delays per account and address, a soft limit per account
 * that slows and never locks the owner out, a limit per address
 * (auth_login_wait() in auth.c, login_wait() in store-account.c).
 */

#include <stdlib.h>
#include <string.h>

#include "web.h"

static int	login_form(struct web *, int, const char *, const char *,
		    const char *, const char *);
static void	login_providers(struct web *, struct buf *, const char *);
static int	login_try(struct web *, const char *, const char *,
		    const char *, const char *, const char *);
static int	me_roles(struct web *, struct buf *, struct fail *);
static int	password_form(struct web *, int, const char *, const char *,
		    const char *);

/* A button per identity provider (page-oidc.c), or nothing. */
static void
login_providers(struct web *w, struct buf *out, const char *next)
{
	const struct oidc_provider	*p;
	struct buf			 items, href;

	if (settings.providers == NULL)
		return;
	buf_init(&items, 512);
	buf_init(&href, 128);
	for (p = settings.providers; p != NULL; p = p->next) {
		buf_reset(&href);
		buf_printf(&href, "/oidc/login/%s?next=", p->name);
		url_encode(&href, web_next(next));
		{
			struct tmpl_arg args[] = {
				T_TEXT("href", href.data),
				T_TEXT("label", p->label),
			};

			(void)web_render(w, &items, "login-idp", args,
			    T_NARGS(args));
		}
	}
	{
		struct tmpl_arg args[] = {
			T_RAW("items", items.data),
		};

		(void)web_render(w, out, "login-idps", args, T_NARGS(args));
	}
	buf_free(&items);
	buf_free(&href);
}

static int
login_form(struct web *w, int status, const char *email, const char *next,
    const char *email_err, const char *message)
{
	struct buf	main, fields, alert, idps;

	buf_init(&main, 4096);
	buf_init(&fields, 2048);
	buf_init(&alert, 256);
	buf_init(&idps, 512);
	login_providers(w, &idps, next);
	web_field(w, &fields, "email", "email", "login.email", email,
	    email_err, " autocomplete=\"username\" required");
	web_field(w, &fields, "password", "password", "login.password", "",
	    NULL, " autocomplete=\"current-password\" required");
	if (message != NULL) {
		struct tmpl_arg args[] = {
			T_TEXT("kind", "danger"),
			T_TEXT("text", i18n_get(w->lang, message)),
		};

		(void)web_render(w, &alert, "alert", args, T_NARGS(args));
	}
	if (!settings.local_passwords) {
		/* Providers only: no password form at all. */
		struct tmpl_arg args[] = {
			T_RAW("alert", alert.data),
			T_RAW("providers", idps.data),
		};

		(void)web_render(w, &main, "login-off", args, T_NARGS(args));
	} else {
		struct tmpl_arg args[] = {
			T_RAW("alert", alert.data),
			T_RAW("providers", idps.data),
			T_RAW("fields", fields.data),
			T_TEXT("csrf", web_csrf(w)),
			T_TEXT("next", web_next(next)),
		};

		(void)web_render(w, &main, "login", args, T_NARGS(args));
	}
	if (main.len == 0) {
		buf_free(&main);
		buf_free(&fields);
		buf_free(&alert);
		buf_free(&idps);
		return (web_error(w, 500, "error.500.text"));
	}
	(void)web_page(w, status, i18n_get(w->lang, "login.title"), main.data);
	buf_free(&main);
	buf_free(&fields);
	buf_free(&alert);
	buf_free(&idps);
	return (KORE_RESULT_OK);
}

/*
 * A password to check for email (who: normalised, or as typed when it
 * is no address): throttled, then signed in or refused.
 */
static int
login_try(struct web *w, const char *who, const char *norm,
    const char *email, const char *pw, const char *next)
{
	struct fail	 f;
	char		 retry_s[16], token[AUTH_TOKEN_LEN + 1], *hash;
	long long	 id;
	int		 retry, ok;

	if (login_wait(&w->db, who, w->ip, &retry, &f) == -1)
		return (web_fail(w, &f));
	if (retry > 0) {
		(void)snprintf(retry_s, sizeof(retry_s), "%d", retry);
		http_response_header(w->req, "retry-after", retry_s);
		return (web_error(w, 429, "error.429.login"));
	}
	hash = NULL;
	id = 0;
	if (norm != NULL && store_auth_account(&w->db, norm, &id, &hash,
	    &f) == -1)
		return (web_fail(w, &f));
	ok = auth_verify_password(hash, pw);
	free(hash);
	if (!ok) {
		store_auth_failure(&w->db, who, w->ip);
		return (login_form(w, 401, email, next, NULL,
		    "login.failed"));
	}
	if (store_auth_login(&w->db, id, norm, w->ip, token, &f) == -1)
		return (web_fail(w, &f));
	web_session_cookie(w, token);
	return (web_redirect(w, web_landing(next)));
}

int
page_login(struct http_request *req)
{
	struct web	 w;
	const char	*email, *pw, *next;
	char		*norm;
	int		 rc;

	if (web_begin(&w, req) == -1)
		return (KORE_RESULT_OK);
	next = web_arg(&w, "next");
	if (req->method == HTTP_METHOD_GET) {
		if (w.user != NULL)
			return (web_redirect(&w, web_landing(next)));
		return (login_form(&w, 200, "", next, NULL, NULL));
	}
	if (!settings.local_passwords)
		return (login_form(&w, 403, "", next, NULL, "login.local_off"));
	email = web_arg(&w, "email");
	pw = web_arg(&w, "password");
	if (email == NULL || *email == '\0' || pw == NULL || *pw == '\0')
		return (login_form(&w, 400, email, next, email == NULL ||
		    *email == '\0' ? "login.email_required" : NULL,
		    "login.missing"));
	if (web_db(&w) == -1)
		return (web_db_error(&w));
	norm = auth_email_normalise(email);
	rc = login_try(&w, norm != NULL ? norm : email, norm, email, pw, next);
	free(norm);
	return (rc);
}

/*
 * Sign out. A session that came from an identity provider with an
 * end-session endpoint goes on there (RP-initiated logout), which
 * sends the browser back to the home page.
 */
int
page_logout(struct http_request *req)
{
	struct web	 w;
	char		*idp;
	int		 rc;

	if (web_begin(&w, req) == -1)
		return (KORE_RESULT_OK);
	(void)session_logout_url(&w.db, w.user->token_hash, &idp, NULL);
	web_session_end(&w);
	(void)audit_append(&w.db, w.user->email, "logout", w.user->email, "",
	    w.ip);
	rc = web_redirect(&w, idp != NULL ? idp : "/");
	free(idp);
	return (rc);
}

static int
password_form(struct web *w, int status, const char *token,
    const char *pw_err, const char *message)
{
	struct buf	main, fields, alert;

	buf_init(&main, 4096);
	buf_init(&fields, 2048);
	buf_init(&alert, 256);
	web_field(w, &fields, "password", "password", "password.new", "",
	    pw_err, " autocomplete=\"new-password\" minlength=\"12\" "
	    "required");
	web_field(w, &fields, "password", "password2", "password.again", "",
	    NULL, " autocomplete=\"new-password\" required");
	if (message != NULL) {
		struct tmpl_arg args[] = {
			T_TEXT("kind", "danger"),
			T_TEXT("text", i18n_get(w->lang, message)),
		};

		(void)web_render(w, &alert, "alert", args, T_NARGS(args));
	}
	{
		struct tmpl_arg args[] = {
			T_RAW("alert", alert.data),
			T_RAW("fields", fields.data),
			T_TEXT("csrf", web_csrf(w)),
			T_TEXT("token", token != NULL ? token : ""),
		};

		(void)web_render(w, &main, "password", args, T_NARGS(args));
	}
	(void)web_page(w, status, i18n_get(w->lang, "password.title"),
	    main.data);
	buf_free(&main);
	buf_free(&fields);
	buf_free(&alert);
	return (KORE_RESULT_OK);
}

/* GET /password?token=...: the form; POST: set the password. */
int
page_password(struct http_request *req)
{
	struct web	 w;
	struct buf	 main;
	const char	*token, *pw, *pw2, *problem;
	struct fail	 f;
	char		 hash[AUTH_HASH_MAX], email[256];

	if (web_begin(&w, req) == -1)
		return (KORE_RESULT_OK);
	if (!settings.local_passwords)
		return (web_error(&w, 403, "login.local_off"));
	token = web_arg(&w, "token");
	if (token == NULL || !auth_token_valid(token))
		return (web_error(&w, 400, "password.bad_link"));
	if (req->method == HTTP_METHOD_GET)
		return (password_form(&w, 200, token, NULL, NULL));

	pw = web_arg(&w, "password");
	pw2 = web_arg(&w, "password2");
	if (pw == NULL || *pw == '\0')
		return (password_form(&w, 400, token, "password.required",
		    "password.fix"));
	if (web_db(&w) == -1)
		return (web_db_error(&w));
	if (account_password_who(&w.db, token, email, sizeof(email),
	    &f) == -1)
		return (web_fail(&w, &f));
	if ((problem = auth_password_problem(pw, email)) != NULL)
		return (password_form(&w, 400, token, problem,
		    "password.fix"));
	if (pw2 == NULL || strcmp(pw, pw2) != 0)
		return (password_form(&w, 400, token, "password.mismatch",
		    "password.fix"));
	if (auth_hash_password(pw, hash) == -1)
		return (web_error(&w, 500, "error.500.text"));
	if (store_auth_password_set(&w.db, token, hash, w.ip, &f) == -1)
		return (web_fail(&w, &f));

	buf_init(&main, 1024);
	(void)web_render(&w, &main, "password-done", NULL, 0);
	(void)web_page(&w, 200, i18n_get(w.lang, "password.title"),
	    main.data);
	buf_free(&main);
	return (KORE_RESULT_OK);
}

/* The roles a person holds, one row each. */
static int
me_roles(struct web *w, struct buf *out, struct fail *f)
{
	struct auth_roles	roles;
	char			key[32];
	size_t			i;

	if (store_auth_roles(&w->db, w->user->id, &roles, f) == -1)
		return (-1);
	for (i = 0; i < roles.n; i++) {
		(void)snprintf(key, sizeof(key), "role.%s",
		    roles.rows[i].role);
		{
			struct tmpl_arg args[] = {
				T_TEXT("role", i18n_get(w->lang, key)),
				T_TEXT("scope", roles.rows[i].scope),
			};

			(void)web_render(w, out, "me-role", args,
			    T_NARGS(args));
		}
	}
	store_auth_roles_free(&roles);
	return (0);
}

int
page_me(struct http_request *req)
{
	struct fail	f;
	struct web	w;
	struct buf	main, roles, mail;
	int		n, rc;

	if (web_begin(&w, req) == -1)
		return (KORE_RESULT_OK);
	buf_init(&roles, 512);
	buf_init(&main, 2048);
	buf_init(&mail, 512);
	if (me_roles(&w, &roles, &f) == -1) {
		rc = web_fail(&w, &f);
		goto out;
	}
	if (mail_reminders_get(&w.db, w.user->id, &n, &f) == -1) {
		rc = web_fail(&w, &f);
		goto out;
	}
	{
		struct tmpl_arg args[] = {
			T_TEXT("csrf", web_csrf(&w)),
			T_RAW("checked", n ? " checked" : ""),
		};

		(void)web_render(&w, &mail, "me-mail", args, T_NARGS(args));
	}
	{
		struct tmpl_arg args[] = {
			T_TEXT("name", w.user->name),
			T_TEXT("email", w.user->email),
			T_TEXT("org", w.user->org_name),
			T_RAW("roles", roles.data),
			T_RAW("mail", mail.data),
		};

		(void)web_render(&w, &main, "me", args, T_NARGS(args));
	}
	rc = web_page(&w, 200, i18n_get(w.lang, "me.title"), main.data);
out:
	buf_free(&main);
	buf_free(&roles);
	buf_free(&mail);
	return (rc);
}

/* /home: the page of each person's work (auth_home). */
int
page_home(struct http_request *req)
{
	struct web	w;

	if (web_begin(&w, req) == -1)
		return (KORE_RESULT_OK);
	return (web_redirect(&w, auth_home(w.user->roles)));
}
