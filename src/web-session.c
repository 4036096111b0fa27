/*
 * web-session.c: server-side sessions. The cookie carries a 256-bit
 * random token; the database keeps only its SHA-256, with the user, a
 * per-session CSRF token and two expiries: idle (no request for
 * SESSION_IDLE_MIN minutes) and absolute (store-auth.c: 12 hours after sign
 * in). A new token is issued at every sign in, so a token planted
 * before (session fixation) is worthless.
 */

#include <stdlib.h>
#include <string.h>

#include "web.h"

#define SESSION_IDLE_MIN	"30"

static void	user_roles(struct web_user *, const char *);

void
web_user_free(struct web_user *u)
{
	int	i;

	if (u == NULL)
		return;
	free(u->name);
	free(u->email);
	free(u->org_name);
	for (i = 0; i < ROLE_COUNT; i++)
		free(u->scope[i]);
	free(u);
}

/* "hr:/1/7/,learner:" from the query into role bits and scopes. */
static void
user_roles(struct web_user *u, const char *spec)
{
	char	*copy, *tok, *save, *colon;
	int	 role, i;

	copy = xstrdup(spec);
	for (tok = strtok_r(copy, ",", &save); tok != NULL;
	    tok = strtok_r(NULL, ",", &save)) {
		if ((colon = strchr(tok, ':')) != NULL)
			*colon++ = '\0';
		if ((role = auth_role_from(tok)) == 0)
			continue;
		u->roles |= role;
		for (i = 0; i < ROLE_COUNT; i++) {
			if (role == (1 << i) && colon != NULL && *colon != '\0')
				u->scope[i] = xstrdup(colon);
		}
	}
	free(copy);
}

/*
 * Look up the session for a cookie value. Returns 0 whether or not a
 * user was found (w->user set when so), -1 when the database failed.
 */
int
web_session_load(struct web *w, const char *token)
{
	struct pg_result	*res;
	struct web_user		*u;
	char			 hash[SHA256_HEX_LEN + 1];

	if (!auth_token_valid(token))
		return (0);
	auth_token_hash(token, hash);
	/* Checked against the database less than a minute ago. */
	if ((w->user = cache_user_get(hash)) != NULL)
		return (0);
	if (web_db(w) == -1)
		return (-1);
	res = db_query(&w->db,
	    "WITH s AS (SELECT user_id, csrf FROM sessions WHERE token_hash = "
	    "decode($1, 'hex') AND expires_at > now() AND last_seen_at > "
	    "now() - make_interval(mins => " SESSION_IDLE_MIN ")), "
	    "t AS (UPDATE sessions SET last_seen_at = now() WHERE token_hash "
	    "= decode($1, 'hex') AND last_seen_at < now() - interval "
	    "'60 seconds' AND EXISTS (SELECT 1 FROM s)) "
	    "SELECT u.id, u.name, u.email, u.org_id, o.name, s.csrf, "
	    "(SELECT string_agg(r.role || ':' || coalesce(so.path, ''), ',') "
	    "FROM user_roles r LEFT JOIN orgs so ON so.id = r.scope_org_id "
	    "WHERE r.user_id = u.id) FROM s JOIN users u ON u.id = s.user_id "
	    "JOIN orgs o ON o.id = u.org_id WHERE u.active", 1, hash);
	if (res == NULL)
		return (-1);
	if (db_rows(res) == 1) {
		u = xcalloc(1, sizeof(*u));
		u->id = strtoll(db_value(res, 0, 0), NULL, 10);
		u->name = xstrdup(db_value(res, 0, 1));
		u->email = xstrdup(db_value(res, 0, 2));
		u->org_id = strtoll(db_value(res, 0, 3), NULL, 10);
		u->org_name = xstrdup(db_value(res, 0, 4));
		xstrlcpy(u->csrf, db_value(res, 0, 5), sizeof(u->csrf));
		xstrlcpy(u->token_hash, hash, sizeof(u->token_hash));
		user_roles(u, db_value(res, 0, 6));
		w->user = u;
		cache_user_put(hash, u);
	}
	db_clear(res);
	return (0);
}

/*
 * A session begun (store_auth_session() and the sign-ins of
 * store-auth.c): its token goes to the browser in the session cookie.
 */
void
web_session_cookie(struct web *w, const char *token)
{
	web_cookie(w, w->tls ? SESSION_COOKIE_TLS : SESSION_COOKIE, token,
	    -1, 1);
}

/* Sign out: the session ends on the server, the cookie is cleared. */
void
web_session_end(struct web *w)
{
	if (w->user != NULL)
		(void)db_exec(&w->db, "DELETE FROM sessions WHERE token_hash = "
		    "decode($1, 'hex')", 1, w->user->token_hash);
	web_cookie(w, w->tls ? SESSION_COOKIE_TLS : SESSION_COOKIE, "", 0, 1);
}
