/*
 * store-auth.c: signing in and out with the database: the account a
 * password is checked against, a new session (its token's SHA-256
 * kept, the token returned for the cookie), the sign-ins by password
 * and by an identity provider and the setting of a password, each one
 * transaction with its audit event, and the roles a person holds.
 */

#include <stdlib.h>
#include <string.h>

#include "capacita.h"

#define NUMBUF			32
#define SESSION_IDLE_MIN	"30"
#define SESSION_MAX_HOURS	"12"

static int	rollback(struct db *, struct fail *);

/* A failed write: the database's reason, then the rollback. */
static int
rollback(struct db *db, struct fail *f)
{
	if (f->kind == FAIL_NONE)
		(void)db_fail(db, f);
	db_rollback(db);
	return (-1);
}

/*
 * A new session for user (from provider with its end-session URL, or
 * NULL for a password): token gets the cookie's value. The user's
 * expired sessions go with it. 0 or -1.
 */
int
store_auth_session(struct db *db, long long user, const char *ip,
    const char *provider, const char *logout_url,
    char token[AUTH_TOKEN_LEN + 1], struct fail *f)
{
	char	csrf[AUTH_TOKEN_LEN + 1], hash[SHA256_HEX_LEN + 1];
	char	uid[NUMBUF];

	auth_token(token);
	auth_token(csrf);
	auth_token_hash(token, hash);
	(void)snprintf(uid, sizeof(uid), "%lld", user);
	if (db_exec(db, "INSERT INTO sessions (token_hash, user_id, csrf, "
	    "expires_at, ip, provider, logout_url) VALUES (decode($1, 'hex'), "
	    "$2, $3, now() + interval '" SESSION_MAX_HOURS " hours', $4, $5, "
	    "$6)", 6, hash, uid, csrf, ip, provider, logout_url) == -1)
		return (db_fail(db, f));
	/* Expired sessions of this user go now; others by the cleanup. */
	(void)db_exec(db, "DELETE FROM sessions WHERE user_id = $1 AND "
	    "(expires_at < now() OR last_seen_at < now() - make_interval(mins "
	    "=> " SESSION_IDLE_MIN "))", 1, uid);
	return (0);
}

/*
 * The active account with this (normalised) email: *id and *hash (to
 * free; NULL when there is none or it has no password).
 */
int
store_auth_account(struct db *db, const char *email, long long *id,
    char **hash, struct fail *f)
{
	struct pg_result	*res;

	*id = 0;
	*hash = NULL;
	if ((res = db_query(db, "SELECT id, password_hash FROM users WHERE "
	    "lower(email) = $1 AND active", 1, email)) == NULL)
		return (db_fail(db, f));
	if (db_rows(res) == 1 && !db_isnull(res, 0, 1)) {
		*id = strtoll(db_value(res, 0, 0), NULL, 10);
		*hash = xstrdup(db_value(res, 0, 1));
	}
	db_clear(res);
	return (0);
}

/*
 * A password sign-in that passed: the session, the throttle cleared,
 * login.success audited; all or nothing. token: the cookie's value.
 */
int
store_auth_login(struct db *db, long long user, const char *email,
    const char *ip, char token[AUTH_TOKEN_LEN + 1], struct fail *f)
{
	fail_clear(f);
	if (db_begin(db) == -1)
		return (db_fail(db, f));
	if (store_auth_session(db, user, ip, NULL, NULL, token, f) == -1 ||
	    login_succeeded(db, email, ip, f) == -1 || audit_append(db, email,
	    "login.success", email, "", ip) == -1 || db_commit(db) == -1)
		return (rollback(db, f));
	return (0);
}

/*
 * A set-password link used: the hash stored, password.set audited.
 * FAIL_INPUT (password.bad_link) when the link is used or expired.
 */
int
store_auth_password_set(struct db *db, const char *link, const char *hash,
    const char *ip, struct fail *f)
{
	char		subject[NUMBUF + 8];
	long long	id;

	fail_clear(f);
	if (db_begin(db) == -1)
		return (db_fail(db, f));
	if (account_password_use(db, link, hash, &id, f) == -1)
		return (rollback(db, f));
	(void)snprintf(subject, sizeof(subject), "user:%lld", id);
	if (audit_append(db, subject, "password.set", subject, "", ip) == -1 ||
	    db_commit(db) == -1)
		return (rollback(db, f));
	return (0);
}

/*
 * A sign-in through provider p that the provider accepted: the account
 * it links to (identity_sign_in()), the session, login.oidc audited
 * with details. FAIL_DENIED (key: why) when no account may take it,
 * audited as login.oidc_unknown after the rollback.
 */
int
store_auth_oidc(struct db *db, const struct oidc_provider *p,
    const struct oidc_identity *id, const char *ip, const char *logout_url,
    char token[AUTH_TOKEN_LEN + 1], struct fail *f)
{
	char		 details[512];
	const char	*how;
	long long	 user;

	fail_clear(f);
	if (db_begin(db) == -1)
		return (db_fail(db, f));
	if (identity_sign_in(db, p, id, &user, &how, f) == -1 &&
	    f->kind != FAIL_DENIED)
		return (rollback(db, f));
	if (f->kind == FAIL_DENIED) {
		db_rollback(db);
		(void)audit_append(db, "-", "login.oidc_unknown", p->name,
		    id->subject, ip);
		return (-1);
	}
	(void)snprintf(details, sizeof(details), "provider=%s linked_by=%s",
	    p->name, how);
	if (store_auth_session(db, user, ip, p->name, logout_url, token,
	    f) == -1 || audit_append(db, id->email != NULL ? id->email :
	    id->subject, "login.oidc", id->subject, details, ip) == -1 ||
	    db_commit(db) == -1)
		return (rollback(db, f));
	return (0);
}

/* The roles user holds, by role, with the unit each is scoped to. */
enum { AR_ROLE, AR_SCOPE };

int
store_auth_roles(struct db *db, long long user, struct auth_roles *out,
    struct fail *f)
{
	char	uid[NUMBUF];
	size_t	i;

	memset(out, 0, sizeof(*out));
	(void)snprintf(uid, sizeof(uid), "%lld", user);
	if ((out->rows = store_rows(db, &out->res, &out->n,
	    sizeof(*out->rows), f, "SELECT r.role, coalesce(o.name, '') FROM "
	    "user_roles r LEFT JOIN orgs o ON o.id = r.scope_org_id WHERE "
	    "r.user_id = $1 ORDER BY r.role", 1, uid)) == NULL)
		return (-1);
	for (i = 0; i < out->n; i++) {
		out->rows[i].role = db_value(out->res, (int)i, AR_ROLE);
		out->rows[i].scope = db_value(out->res, (int)i, AR_SCOPE);
	}
	return (0);
}

void
store_auth_roles_free(struct auth_roles *r)
{
	rows_release(r->res, r->rows);
	memset(r, 0, sizeof(*r));
}

/* A wrong password (or no such account): throttled and audited. */
void
store_auth_failure(struct db *db, const char *email, const char *ip)
{
	(void)login_failed(db, email, ip, NULL);
	(void)audit_append(db, "-", "login.failure", email, "", ip);
}
