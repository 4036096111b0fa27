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
static int	oidc_redirect_out(struct web *, struct oidc_call *,
		    const char *);
static int	oidc_finish(struct web *, struct oidc_call *);

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

	c = kore_calloc(1, sizeof(*c));
	c->op = op;
	c->p = p;
	if (code != NULL)
		xstrlcpy(c->code, code, sizeof(c->code));
	if (pending != NULL)
		c->pending = *pending;
	req->hdlr_extra = c;
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

/* GET /oidc/login/NAME?next=...: off to the provider. */
int
page_oidc_login(struct http_request *req)
{
	const struct oidc_provider	*p;
	struct oidc_call		*c;
	struct web			 w;
	char				*next;
	int				 rc;

	c = NULL;
	p = settings_provider_find(web_path_tail(req, "/oidc/login/"));
	if (req->hdlr_extra == NULL && p != NULL)
		return (oidc_call_start(req, OIDC_OP_DISCOVER, p, NULL, NULL));
	if (req->hdlr_extra != NULL && !oidc_call_done(req, &c))
		return (KORE_RESULT_RETRY);
	if (web_begin(&w, req) == -1)
		return (KORE_RESULT_OK);
	if (p == NULL || c == NULL)
		return (web_error(&w, 404, "oidc.unknown"));
	if (c->rc != IDP_OK) {
		kore_log(LOG_NOTICE, "oidc %s: %s", p->name, c->err);
		rc = web_error(&w, 502, "oidc.unreachable");
		goto out;
	}
	if (!http_argument_get_string(req, "next", &next))
		next = "/";
	rc = oidc_redirect_out(&w, c, web_next(next));
out:
	oidc_call_free(c);
	return (rc);
}

static int
oidc_redirect_out(struct web *w, struct oidc_call *c, const char *next)
{
	struct buf	url;
	char		state[AUTH_TOKEN_LEN + 1], nonce[AUTH_TOKEN_LEN + 1];
	char		verifier[AUTH_TOKEN_LEN + 1];
	char		challenge[AUTH_TOKEN_LEN + 1];
	int		rc;

	auth_token(state);
	auth_token(nonce);
	auth_token(verifier);
	oidc_pkce_challenge(verifier, challenge);
	if (web_db(w) == -1 || oidc_state_save(&w->db, state, c->p->name,
	    nonce, verifier, next) == -1)
		return (web_db_error(w));
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
	struct web			 w;
	char				*state, *code, *cookie, *error;
	int				 rc;

	if (req->hdlr_extra != NULL) {
		if (!oidc_call_done(req, &c))
			return (KORE_RESULT_RETRY);
		if (web_begin(&w, req) == -1) {
			oidc_call_free(c);
			return (KORE_RESULT_OK);
		}
		rc = oidc_finish(&w, c);
		oidc_call_free(c);
		return (rc);
	}
	if (web_begin(&w, req) == -1)
		return (KORE_RESULT_OK);
	if (http_argument_get_string(req, "error", &error))
		return (web_error(&w, 403, strcmp(error, "access_denied") == 0 ?
		    "oidc.denied" : "oidc.refused"));
	if (!http_argument_get_string(req, "state", &state) ||
	    !http_argument_get_string(req, "code", &code))
		return (web_error(&w, 400, "oidc.bad_callback"));
	/* Started in this browser (login CSRF), and only once (replay). */
	if (!http_request_cookie(req, OIDC_COOKIE, &cookie) ||
	    !auth_equal(cookie, state))
		return (web_error(&w, 400, "oidc.bad_state"));
	if (web_db(&w) == -1 || (rc = oidc_state_take(&w.db, state,
	    &pending)) == -1)
		return (web_db_error(&w));
	if (rc == 0)
		return (web_error(&w, 400, "oidc.bad_state"));
	if ((p = settings_provider_find(pending.provider)) == NULL)
		return (web_error(&w, 400, "oidc.unknown"));
	web_end(&w);
	return (oidc_call_start(req, OIDC_OP_SIGN_IN, p, code, &pending));
}

/* The provider answered: who this is here, and a session. */
static int
oidc_finish(struct web *w, struct oidc_call *c)
{
	struct buf	 logout, details;
	const char	*how, *why;
	long long	 user;
	int		 rc;

	web_cookie(w, OIDC_COOKIE, "", 0, 1);
	if (c->rc == IDP_UNREACHABLE) {
		kore_log(LOG_NOTICE, "oidc %s: %s", c->p->name, c->err);
		return (web_error(w, 502, "oidc.unreachable"));
	}
	if (c->rc != IDP_OK) {
		kore_log(LOG_NOTICE, "oidc %s: sign-in refused: %s",
		    c->p->name, c->err);
		if (web_db(w) == 0)
			(void)audit_append(&w->db, "-", "login.oidc_refused",
			    c->p->name, c->err, w->ip);
		return (web_error(w, 403, "oidc.refused"));
	}
	if (web_db(w) == -1 || db_begin(&w->db) == -1)
		return (web_db_error(w));
	if ((rc = identity_sign_in(&w->db, c->p, &c->id, &user, &how,
	    &why)) == -1)
		return (web_db_error(w));
	if (rc == 1) {
		db_rollback(&w->db);
		(void)audit_append(&w->db, "-", "login.oidc_unknown",
		    c->p->name, c->id.subject, w->ip);
		return (web_error(w, 403, why));
	}
	buf_init(&logout, 512);
	buf_init(&details, 128);
	if (c->end_session != NULL) {
		struct buf	after;

		buf_init(&after, 128);
		buf_printf(&after, "%s/", settings.base_url);
		oidc_logout_url(&logout, c->p, c->end_session, c->id_token,
		    after.data);
		buf_free(&after);
	}
	buf_printf(&details, "provider=%s linked_by=%s", c->p->name, how);
	if (web_session_start_idp(w, user, c->p->name, logout.len > 0 ?
	    logout.data : NULL) == -1 || audit_append(&w->db, c->id.email !=
	    NULL ? c->id.email : c->id.subject, "login.oidc", c->id.subject,
	    details.data, w->ip) == -1 || db_commit(&w->db) == -1) {
		buf_free(&logout);
		buf_free(&details);
		return (web_db_error(w));
	}
	buf_free(&logout);
	buf_free(&details);
	return (web_redirect(w, web_next(c->pending.next)));
}
