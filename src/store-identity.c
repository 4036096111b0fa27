/*
 * store-identity.c: sign-ins through an OpenID provider, on the
 * database side: the pending sign-ins (state, nonce, PKCE verifier),
 * and who a verified identity is here.
 *
 * An identity (provider, sub) seen before is its user. A new one is
 * linked to an existing account only by a claim the provider vouches
 * for: the codice fiscale, or an e-mail address whose email_verified is
 * true (and only the claims the provider's "link" setting names). Past
 * that, an account is made only when the provider's unit claim maps to
 * a unit by the configuration (unit_map); otherwise the person is
 * turned away. Roles come from the provider only through role_map, and
 * are only ever added; the learner role comes with every new account.
 */

#include <stdlib.h>
#include <string.h>

#include "capacita.h"

static int	identity_find(struct db *, const char *, const char *,
		    long long *, int *);
static int	identity_link(struct db *, const struct oidc_provider *,
		    const struct oidc_identity *, long long *, const char **);
static int	identity_create(struct db *, const struct oidc_provider *,
		    const struct oidc_identity *, long long *, const char **);
static int	identity_roles(struct db *, const struct oidc_provider *,
		    const struct oidc_identity *, long long);
static int	identity_known(struct db *, const struct oidc_provider *,
		    const struct oidc_identity *, long long *, const char **,
		    struct fail *);

/* A sign-in sent to a provider. */
int
oidc_state_save(struct db *db, const char *state, const char *provider,
    const char *nonce, const char *verifier, const char *next,
    struct fail *f)
{
	/* Old ones go on the way (never used, or used long ago). */
	(void)db_exec(db, "DELETE FROM oidc_states WHERE created_at < now() - "
	    "interval '1 day'", 0);
	if (db_exec(db, "INSERT INTO oidc_states (state, provider, nonce, "
	    "verifier, next) VALUES ($1, $2, $3, $4, $5)", 5, state, provider,
	    nonce, verifier, next) == -1)
		return (db_fail(db, f));
	return (0);
}

/*
 * Take a pending sign-in back, once: its provider, nonce, verifier and
 * next page; FAIL_INPUT (oidc.bad_state) when unknown, used or older
 * than 10 minutes.
 */
int
oidc_state_take(struct db *db, const char *state, struct oidc_pending *p,
    struct fail *f)
{
	enum { S_PROVIDER, S_NONCE, S_VERIFIER, S_NEXT };
	struct pg_result	*res;

	memset(p, 0, sizeof(*p));
	res = db_query(db, "UPDATE oidc_states SET used_at = now() WHERE state "
	    "= $1 AND used_at IS NULL AND created_at > now() - interval "
	    "'10 minutes' RETURNING provider, nonce, verifier, next", 1, state);
	if (res == NULL)
		return (db_fail(db, f));
	if (db_rows(res) != 1) {
		db_clear(res);
		return (fail_set(f, FAIL_INPUT, "oidc.bad_state", NULL));
	}
	xstrlcpy(p->provider, db_value(res, 0, S_PROVIDER),
	    sizeof(p->provider));
	xstrlcpy(p->nonce, db_value(res, 0, S_NONCE), sizeof(p->nonce));
	xstrlcpy(p->verifier, db_value(res, 0, S_VERIFIER),
	    sizeof(p->verifier));
	xstrlcpy(p->next, db_value(res, 0, S_NEXT), sizeof(p->next));
	db_clear(res);
	return (0);
}

/* The user of a linked identity: 1 (with *active), 0, or -1. */
static int
identity_find(struct db *db, const char *provider, const char *subject,
    long long *user, int *active)
{
	enum { I_USER, I_ACTIVE };
	struct pg_result	*res;

	res = db_query(db, "UPDATE user_identities i SET last_login_at = now() "
	    "FROM users u WHERE u.id = i.user_id AND i.provider = $1 AND "
	    "i.subject = $2 RETURNING u.id, u.active", 2, provider, subject);
	if (res == NULL)
		return (-1);
	if (db_rows(res) != 1) {
		db_clear(res);
		return (0);
	}
	*user = strtoll(db_value(res, 0, I_USER), NULL, 10);
	*active = strcmp(db_value(res, 0, I_ACTIVE), "t") == 0;
	db_clear(res);
	return (1);
}

/* An existing active account by a verified claim: 1, 0, or -1. */
static int
identity_link(struct db *db, const struct oidc_provider *p,
    const struct oidc_identity *id, long long *user, const char **how)
{
	struct pg_result	*res;
	const char		*by;

	res = NULL;
	by = NULL;
	if (id->fiscal_code != NULL && strstr(p->link, "fiscal_code") != NULL) {
		res = db_query(db, "SELECT id FROM users WHERE fiscal_code = $1 "
		    "AND active", 1, id->fiscal_code);
		if (res == NULL)
			return (-1);
		by = "fiscal_code";
		if (db_rows(res) != 1) {
			db_clear(res);
			res = NULL;
		}
	}
	if (res == NULL && id->email != NULL && id->email_verified &&
	    strstr(p->link, "email") != NULL) {
		res = db_query(db, "SELECT id FROM users WHERE lower(email) = "
		    "lower($1) AND active", 1, id->email);
		if (res == NULL)
			return (-1);
		by = "email";
		if (db_rows(res) != 1) {
			db_clear(res);
			res = NULL;
		}
	}
	if (res == NULL)
		return (0);
	*user = strtoll(db_value(res, 0, 0), NULL, 10);
	*how = by;
	db_clear(res);
	return (1);
}

/* A new account in the unit the configuration maps the claim to. */
static int
identity_create(struct db *db, const struct oidc_provider *p,
    const struct oidc_identity *id, long long *user, const char **how)
{
	struct account_new	 a;
	struct fail		 f;
	char			 code[SLUG_MAX + 1];
	long long		 org;

	if (id->unit == NULL || id->email == NULL ||
	    oidc_map(p->unit_map, id->unit, code, sizeof(code)) == NULL ||
	    org_find(db, code, &org, NULL, 0, NULL) != 0)
		return (0);
	memset(&a, 0, sizeof(a));
	a.name = id->name != NULL ? id->name : id->email;
	a.email = id->email;
	a.org_code = code;
	a.roles = "learner";
	if (account_create(db, &a, user, &f) == -1) {
		/* Taken address (not verified, so not linked), bad name. */
		return (f.kind == FAIL_UNAVAILABLE ? -1 : 0);
	}
	*how = "created";
	return (1);
}

/* The roles role_map grants for the provider's groups, added only. */
static int
identity_roles(struct db *db, const struct oidc_provider *p,
    const struct oidc_identity *id, long long user)
{
	char	role[32], uid[32];
	size_t	i;
	int	r;

	(void)snprintf(uid, sizeof(uid), "%lld", user);
	for (i = 0; i < id->ngroups; i++) {
		if (oidc_map(p->role_map, id->groups[i], role,
		    sizeof(role)) == NULL)
			continue;
		if ((r = auth_role_from(role)) == 0 || r == ROLE_ADMIN)
			continue;
		if (db_exec(db, "INSERT INTO user_roles (user_id, role, "
		    "scope_org_id) SELECT id, $2, CASE WHEN $2 = 'learner' THEN "
		    "NULL ELSE org_id END FROM users WHERE id = $1::bigint ON "
		    "CONFLICT (user_id, role) DO NOTHING", 2, uid, role) == -1)
			return (-1);
	}
	return (0);
}

/*
 * The user of identity id: linked before, linked now by a claim, or
 * made now (and linked); FAIL_DENIED with the message key when the
 * account is disabled or there is none to take it.
 */
static int
identity_known(struct db *db, const struct oidc_provider *p,
    const struct oidc_identity *id, long long *user, const char **how,
    struct fail *f)
{
	char	uid[32];
	int	rc, active;

	if ((rc = identity_find(db, p->name, id->subject, user,
	    &active)) == -1)
		return (db_fail(db, f));
	if (rc == 1 && !active)
		return (fail_set(f, FAIL_DENIED, "oidc.disabled", "%s: %s",
		    p->name, id->subject));
	if (rc == 1)
		return (0);
	if ((rc = identity_link(db, p, id, user, how)) == 0)
		rc = identity_create(db, p, id, user, how);
	if (rc == -1)
		return (db_fail(db, f));
	if (rc == 0)
		return (fail_set(f, FAIL_DENIED, "oidc.no_account", "%s: %s",
		    p->name, id->subject));
	(void)snprintf(uid, sizeof(uid), "%lld", *user);
	if (db_exec(db, "INSERT INTO user_identities (provider, subject, "
	    "user_id, linked_by) VALUES ($1, $2, $3, $4)", 4, p->name,
	    id->subject, uid, *how) == -1)
		return (db_fail(db, f));
	return (0);
}

/*
 * Who the verified identity id of provider p is here, in the caller's
 * transaction: *user and *how ("subject", "fiscal_code", "email",
 * "created"); FAIL_DENIED (key: the message to show) when nobody.
 */
int
identity_sign_in(struct db *db, const struct oidc_provider *p,
    const struct oidc_identity *id, long long *user, const char **how,
    struct fail *f)
{
	char	uid[32];

	*how = "subject";
	if (identity_known(db, p, id, user, how, f) == -1)
		return (-1);
	(void)snprintf(uid, sizeof(uid), "%lld", *user);
	/* The codice fiscale, once known, links the next providers too. */
	if (id->fiscal_code != NULL && db_exec(db, "UPDATE users SET "
	    "fiscal_code = $2 WHERE id = $1::bigint AND fiscal_code IS NULL "
	    "AND NOT EXISTS (SELECT 1 FROM users WHERE fiscal_code = $2)", 2,
	    uid, id->fiscal_code) == -1)
		return (db_fail(db, f));
	if (identity_roles(db, p, id, *user) == -1)
		return (db_fail(db, f));
	return (0);
}

/*
 * Where signing out of this session sends the browser: *url, a new
 * string, NULL when the session came from no provider.
 */
int
session_logout_url(struct db *db, const char *token_hash, char **url,
    struct fail *f)
{
	struct pg_result	*res;

	*url = NULL;
	res = db_query(db, "SELECT logout_url FROM sessions WHERE token_hash = "
	    "decode($1, 'hex') AND logout_url IS NOT NULL", 1, token_hash);
	if (res == NULL)
		return (db_fail(db, f));
	if (db_rows(res) == 1)
		*url = xstrdup(db_value(res, 0, 0));
	db_clear(res);
	return (0);
}
