/*
 * page-oidc.c: signing in through an OpenID provider (README.md,
 * "Signing in with an identity provider").
 *
 *   GET /oidc/login/NAME	start: state, nonce and PKCE verifier saved
 *				(oidc_states) and the state put in a cookie
 *				of this browser; off to the provider.
 *   GET /oidc/callback		back: the state must be this browser's and
 *				unused; the code is exchanged and the ID
 *				token checked (idp.c, oidc.c); the identity
 *				is linked to an account (store-identity.c).
 *
 * The provider calls run in a Kore task (a thread of the worker) bound
 * to the request: the handler returns KORE_RESULT_RETRY until the task
 * is done, and the worker serves other requests meanwhile. Each call is
 * bounded by httpc.c's timeouts (3 s to connect, 8 s in all), so a
 * provider that is down costs the person a clear page within seconds,
 * and costs the server nothing but a sleeping request.
 *
 * What the thread allocates is freed when the request is, whatever
 * happens to it (oidc_call_onfree): a browser that leaves during the
 * call leaves a request that Kore frees without running the handler
 * again, once the task is done.
 */

#include <stdlib.h>
#include <string.h>

#include "web.h"

#include <kore/tasks.h>

#define OIDC_COOKIE		"capacita_oidc"
#define OIDC_COOKIE_AGE		600

enum oidc_op {
	OIDC_OP_DISCOVER,
	OIDC_OP_SIGN_IN
};

/* A provider call and its answer; the task is first, so it finds us. */
struct oidc_call {
	struct kore_task		 task;
	enum oidc_op			 op;
	const struct oidc_provider	*p;
	struct oidc_pending		 pending;
	char				 code[2049];
	int				 rc;
	struct oidc_discovery		 disc;
	struct oidc_identity		 id;
	char				*id_token;
	char				*end_session;
	char				 err[512];
};

static int	oidc_task(struct kore_task *);
static int	oidc_call_start(struct http_request *, enum oidc_op,
		    const struct oidc_provider *, const char *,
		    const struct oidc_pending *);
static int	oidc_call_done(struct http_request *, struct oidc_call **);
static void	oidc_call_free(struct oidc_call *);
static void	oidc_call_onfree(struct http_request *);
static int	oidc_redirect_out(struct web *, struct oidc_call *,
		    const char *);
static int	oidc_finish(struct web *, struct oidc_call *);
static int	oidc_error(struct web *, int, const char *,
		    const struct oidc_identity *);

/* In the task thread: no Kore, no database, only idp.c. */
static int
oidc_task(struct kore_task *t)
{
	struct oidc_call	*c = (struct oidc_call *)t;
	struct buf		 err;

	buf_init(&err, 256);
	if (c->op == OIDC_OP_DISCOVER)
		c->rc = idp_discover(c->p, &c->disc, &err) == 0 ? IDP_OK :
		    IDP_UNREACHABLE;
	else
		c->rc = idp_sign_in(c->p, c->code, c->pending.verifier,
		    c->pending.nonce, &c->id, &c->id_token, &c->end_session,
		    &err);
	xstrlcpy(c->err, err.data, sizeof(c->err));
	buf_free(&err);
	return (KORE_RESULT_OK);
}

static int
oidc_call_start(struct http_request *req, enum oidc_op op,
    const struct oidc_provider *p, const char *code,
    const struct oidc_pending *pending)
{
	struct oidc_call	*c;

	c = http_state_create(req, sizeof(*c), oidc_call_onfree);
	c->op = op;
	c->p = p;
	if (code != NULL)
		xstrlcpy(c->code, code, sizeof(c->code));
	if (pending != NULL)
		c->pending = *pending;
	kore_task_create(&c->task, oidc_task);
	kore_task_bind_request(&c->task, req);
	kore_task_run(&c->task);
	return (KORE_RESULT_RETRY);
}

/* 1 with the finished call in *out, 0 while it runs. */
static int
oidc_call_done(struct http_request *req, struct oidc_call **out)
{
	struct oidc_call	*c = req->hdlr_extra;

	if (kore_task_state(&c->task) != KORE_TASK_STATE_FINISHED)
		return (0);
	*out = c;
	return (1);
}

/* What the thread allocated; Kore frees the call itself with req. */
static void
oidc_call_free(struct oidc_call *c)
{
	oidc_discovery_free(&c->disc);
	oidc_identity_free(&c->id);
	free(c->id_token);
	free(c->end_session);
	c->id_token = NULL;
	c->end_session = NULL;
}

/*
 * Kore calls this each time it tries to free the request: with the
 * browser gone, that is while the task still runs (then Kore keeps the
 * request, and so do we: the thread is writing the results) and once
 * more after the task is done and destroyed (its list empty).
 */
static void
oidc_call_onfree(struct http_request *req)
{
	struct oidc_call	*c = req->hdlr_extra;

	if (c == NULL)
		return;
	if (!LIST_EMPTY(&req->tasks) &&
	    kore_task_state(&c->task) != KORE_TASK_STATE_FINISHED)
		return;
	oidc_call_free(c);
}

/*
 * A sign-in that went wrong: the error page with a way back to the
 * sign-in page and, for a person turned away, who the provider said
 * they are (to tell the HR office, or to see it was the wrong account).
 */
static int
oidc_error(struct web *w, int status, const char *msgkey,
    const struct oidc_identity *id)
{
	struct buf	 main, who, line;
	char		 code[16], key[32];

	(void)snprintf(code, sizeof(code), "%d", status);
	(void)snprintf(key, sizeof(key), "error.%d", status);
	buf_init(&main, 1024);
	buf_init(&who, 256);
	buf_init(&line, 128);
	if (id != NULL && (id->name != NULL || id->email != NULL)) {
		if (id->name != NULL && id->email != NULL)
			buf_printf(&line, "%s (%s)", id->name, id->email);
		else
			buf_puts(&line, id->name != NULL ? id->name :
			    id->email);
		{
			struct tmpl_arg args[] = {
				T_TEXT("who", line.data),
			};

			(void)web_render(w, &who, "oidc-who", args,
			    T_NARGS(args));
		}
	}
	{
		struct tmpl_arg args[] = {
			T_TEXT("status", code),
			T_TEXT("heading", i18n_get(w->lang, key)),
			T_TEXT("message", i18n_get(w->lang, msgkey)),
			T_RAW("who", who.data),
		};

		(void)web_render(w, &main, "oidc-error", args, T_NARGS(args));
	}
	(void)web_page(w, status, i18n_get(w->lang, key), main.data);
	buf_free(&main);
	buf_free(&who);
	buf_free(&line);
	return (KORE_RESULT_OK);
}

/* GET /oidc/login/NAME?next=...: off to the provider. */
int
page_oidc_login(struct http_request *req)
{
	const struct oidc_provider	*p;
	struct oidc_call		*c;
	struct web			 w;
	char				*next;

	c = NULL;
	p = settings_provider_find(web_path_tail(req, "/oidc/login/"));
	if (req->hdlr_extra == NULL && p != NULL)
		return (oidc_call_start(req, OIDC_OP_DISCOVER, p, NULL, NULL));
	if (req->hdlr_extra != NULL && !oidc_call_done(req, &c))
		return (KORE_RESULT_RETRY);
	if (web_begin(&w, req) == -1)
		return (KORE_RESULT_OK);
	if (p == NULL || c == NULL)
		return (oidc_error(&w, 404, "oidc.unknown", NULL));
	if (c->rc != IDP_OK) {
		kore_log(LOG_NOTICE, "oidc %s: %s", p->name, c->err);
		return (oidc_error(&w, 502, "oidc.unreachable", NULL));
	}
	if (!http_argument_get_string(req, "next", &next))
		next = "/";
	return (oidc_redirect_out(&w, c, web_next(next)));
}

static int
oidc_redirect_out(struct web *w, struct oidc_call *c, const char *next)
{
	struct fail	f;
	struct buf	url;
	char		state[AUTH_TOKEN_LEN + 1], nonce[AUTH_TOKEN_LEN + 1];
	char		verifier[AUTH_TOKEN_LEN + 1];
	char		challenge[AUTH_TOKEN_LEN + 1];
	int		rc;

	auth_token(state);
	auth_token(nonce);
	auth_token(verifier);
	oidc_pkce_challenge(verifier, challenge);
	if (web_db(w) == -1)
		return (web_db_error(w));
	if (oidc_state_save(&w->db, state, c->p->name, nonce, verifier, next,
	    &f) == -1)
		return (web_fail(w, &f));
	web_cookie(w, OIDC_COOKIE, state, OIDC_COOKIE_AGE, 1);
	buf_init(&url, 512);
	oidc_auth_url(&url, c->p, c->disc.authorization_endpoint, state,
	    nonce, challenge);
	rc = web_redirect(w, url.data);
	buf_free(&url);
	return (rc);
}

/*
 * GET /oidc/callback?code=...&state=...: the state is taken (once) in
 * the first pass, the provider called in a task, and the person signed
 * in when it is done.
 */
int
page_oidc_callback(struct http_request *req)
{
	const struct oidc_provider	*p;
	struct oidc_pending		 pending;
	struct oidc_call		*c;
	struct fail			 f;
	struct web			 w;
	char				*state, *code, *cookie, *error;

	if (req->hdlr_extra != NULL) {
		if (!oidc_call_done(req, &c))
			return (KORE_RESULT_RETRY);
		if (web_begin(&w, req) == -1)
			return (KORE_RESULT_OK);
		return (oidc_finish(&w, c));
	}
	if (web_begin(&w, req) == -1)
		return (KORE_RESULT_OK);
	if (http_argument_get_string(req, "error", &error))
		return (oidc_error(&w, 403, strcmp(error, "access_denied") ==
		    0 ? "oidc.denied" : "oidc.refused", NULL));
	if (!http_argument_get_string(req, "state", &state) ||
	    !http_argument_get_string(req, "code", &code))
		return (oidc_error(&w, 400, "oidc.bad_callback", NULL));
	/* Started in this browser (login CSRF), and only once (replay). */
	if (!http_request_cookie(req, OIDC_COOKIE, &cookie) ||
	    !auth_equal(cookie, state))
		return (oidc_error(&w, 400, "oidc.bad_state", NULL));
	if (web_db(&w) == -1)
		return (web_db_error(&w));
	if (oidc_state_take(&w.db, state, &pending, &f) == -1)
		return (f.kind == FAIL_INPUT ? oidc_error(&w, 400, f.key,
		    NULL) : web_fail(&w, &f));
	if ((p = settings_provider_find(pending.provider)) == NULL)
		return (oidc_error(&w, 400, "oidc.unknown", NULL));
	web_end(&w);
	return (oidc_call_start(req, OIDC_OP_SIGN_IN, p, code, &pending));
}

/* The provider answered: who this is here, and a session. */
static int
oidc_finish(struct web *w, struct oidc_call *c)
{
	struct fail	 f;
	struct buf	 logout;
	char		 token[AUTH_TOKEN_LEN + 1];
	int		 rc;

	web_cookie(w, OIDC_COOKIE, "", 0, 1);
	if (c->rc == IDP_UNREACHABLE) {
		kore_log(LOG_NOTICE, "oidc %s: %s", c->p->name, c->err);
		return (oidc_error(w, 502, "oidc.unreachable", NULL));
	}
	if (c->rc != IDP_OK) {
		kore_log(LOG_NOTICE, "oidc %s: sign-in refused: %s",
		    c->p->name, c->err);
		if (web_db(w) == 0)
			(void)audit_append(&w->db, "-", "login.oidc_refused",
			    c->p->name, c->err, w->ip);
		return (oidc_error(w, 403, "oidc.refused", NULL));
	}
	if (web_db(w) == -1)
		return (web_db_error(w));
	buf_init(&logout, 512);
	if (c->end_session != NULL) {
		struct buf	after;

		buf_init(&after, 128);
		buf_printf(&after, "%s/", settings.base_url);
		oidc_logout_url(&logout, c->p, c->end_session, c->id_token,
		    after.data);
		buf_free(&after);
	}
	rc = store_auth_oidc(&w->db, c->p, &c->id, w->ip, logout.len > 0 ?
	    logout.data : NULL, token, &f);
	buf_free(&logout);
	if (rc == -1)
		return (f.kind == FAIL_DENIED ? oidc_error(w, 403, f.key,
		    &c->id) : web_fail(w, &f));
	web_session_cookie(w, token);
	return (web_redirect(w, web_landing(c->pending.next)));
}
