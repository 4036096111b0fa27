/*
 * store-account.c: organisations, users and roles, one-time password
 * links, and the hash-chained audit log. Every change that matters for
 * security writes its audit row in the same transaction as the change.
 */

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>
#include <sodium.h>

#include "capacita.h"

#define NUMBUF	32

static int	grants_parse(struct db *, const char *, long long,
		    struct role_grant **, size_t *, struct fail *);
static int	audit_canonical(struct buf *, const char *const *);
static int	grants_write(struct db *, const char *,
		    const struct role_grant *, size_t, struct fail *);
static int	token_value(struct db *, const char *, const char *, char *,
		    size_t, struct fail *);

/*
 * Find an organisation by code: *id and its kind (when kind is not
 * NULL); FAIL_NOTFOUND when there is none.
 */
int
org_find(struct db *db, const char *code, long long *id, char *kind,
    size_t kindlen, struct fail *f)
{
	struct pg_result	*res;

	res = db_query(db, "SELECT id, kind FROM orgs WHERE code = $1", 1,
	    code);
	if (res == NULL)
		return (db_fail(db, f));
	if (db_rows(res) != 1) {
		db_clear(res);
		return (fail_set(f, FAIL_NOTFOUND, NULL, "no organisation with "
		    "code '%s'", code));
	}
	*id = strtoll(db_value(res, 0, 0), NULL, 10);
	if (kind != NULL)
		xstrlcpy(kind, db_value(res, 0, 1), kindlen);
	db_clear(res);
	return (0);
}

/*
 * Create an organisation under parent_code (NULL for a region). The kind
 * follows from the parent: region > agency > office. A refusal fails
 * FAIL_INPUT (org.err_fields) with the reason in a sentence (detail),
 * FAIL_CONFLICT for a code already used.
 */
int
org_create(struct db *db, const char *parent_code, const char *code,
    const char *name, int demo, long long *id, struct fail *f)
{
	struct pg_result	*res;
	const char		*kind;
	char			 pkind[16], pid[NUMBUF];
	long long		 parent;

	if (!slug_valid(code))
		return (fail_set(f, FAIL_INPUT, "org.err_fields", "invalid code "
		    "'%s': use lower-case letters, digits and '-'", code));
	if (*name == '\0' || utf8_strlen(name) > 200)
		return (fail_set(f, FAIL_INPUT, "org.err_fields", "the name "
		    "must have 1 to 200 characters"));
	if (parent_code == NULL || *parent_code == '\0') {
		kind = "region";
		pid[0] = '\0';
	} else {
		if (org_find(db, parent_code, &parent, pkind, sizeof(pkind),
		    f) == -1) {
			if (f != NULL && f->kind == FAIL_NOTFOUND)
				(void)fail_set(f, FAIL_INPUT, "org.err_fields",
				    "no organisation with code '%s'",
				    parent_code);
			return (-1);
		}
		if (strcmp(pkind, "region") == 0)
			kind = "agency";
		else if (strcmp(pkind, "agency") == 0)
			kind = "office";
		else
			return (fail_set(f, FAIL_INPUT, "org.err_fields",
			    "offices cannot contain other units"));
		(void)snprintf(pid, sizeof(pid), "%lld", parent);
	}
	res = db_query(db, "INSERT INTO orgs (parent_id, kind, code, name, "
	    "path, demo) VALUES ($1, $2, $3, $4, '', $5) ON CONFLICT (code) "
	    "DO NOTHING RETURNING id", 5, pid[0] ? pid : NULL, kind, code,
	    name, demo ? "t" : "f");
	if (res == NULL)
		return (db_fail(db, f));
	if (db_rows(res) != 1) {
		db_clear(res);
		return (fail_set(f, FAIL_CONFLICT, "org.err_fields", "the code "
		    "'%s' is already used", code));
	}
	*id = strtoll(db_value(res, 0, 0), NULL, 10);
	db_clear(res);
	(void)snprintf(pid, sizeof(pid), "%lld", *id);
	if (db_exec(db, "UPDATE orgs o SET path = coalesce((SELECT p.path "
	    "FROM orgs p WHERE p.id = o.parent_id), '/') || o.id || '/' "
	    "WHERE o.id = $1", 1, pid) == -1)
		return (db_fail(db, f));
	return (0);
}

/*
 * The default scope of a role: the user's agency (the nearest ancestor
 * that is an agency), or the user's own unit when it is a region.
 */
static long long
scope_default(struct db *db, long long org)
{
	struct pg_result	*res;
	char			 oid[NUMBUF];
	long long		 id;

	(void)snprintf(oid, sizeof(oid), "%lld", org);
	res = db_query(db, "SELECT a.id FROM orgs o JOIN orgs a ON o.path "
	    "LIKE a.path || '%' WHERE o.id = $1 AND a.kind IN ('agency', "
	    "'region', 'partner') ORDER BY length(a.path) DESC LIMIT 1", 1, oid);
	if (res == NULL || db_rows(res) != 1) {
		if (res != NULL)
			db_clear(res);
		return (org);
	}
	id = strtoll(db_value(res, 0, 0), NULL, 10);
	db_clear(res);
	return (id);
}

/*
 * Parse "learner;hr@campania-asl-na1" (separators ; | or spaces) into
 * grants. A scope names an organisation code; without one, hr, trainer
 * and issuer act on the user's agency.
 */
static int
grants_parse(struct db *db, const char *spec, long long org,
    struct role_grant **out, size_t *n, struct fail *f)
{
	char		*copy, *tok, *save, *at;
	long long	 scope;
	int		 role;
	size_t		 i;

	*out = NULL;
	*n = 0;
	copy = xstrdup(spec);
	for (tok = strtok_r(copy, ";| ", &save); tok != NULL;
	    tok = strtok_r(NULL, ";| ", &save)) {
		if ((at = strchr(tok, '@')) != NULL)
			*at++ = '\0';
		if ((role = auth_role_from(tok)) == 0) {
			(void)fail_set(f, FAIL_INPUT, "user.err_roles",
			    "unknown role '%s' (roles: learner, trainer, hr, "
			    "issuer, admin, assessor, reviewer)", tok);
			goto fail;
		}
		for (i = 0; i < *n; i++) {
			if ((*out)[i].role == role) {
				(void)fail_set(f, FAIL_INPUT, "user.err_roles",
				    "role '%s' given twice", tok);
				goto fail;
			}
		}
		scope = 0;
		if (at != NULL) {
			if (org_find(db, at, &scope, NULL, 0, f) == -1) {
				if (f == NULL || f->kind == FAIL_NOTFOUND)
					(void)fail_set(f, FAIL_INPUT,
					    "user.err_roles", "role '%s': no "
					    "organisation with code '%s'", tok,
					    at);
				goto fail;
			}
		} else if (role & (ROLE_HR | ROLE_TRAINER | ROLE_ISSUER |
		    ROLE_ASSESSOR | ROLE_REVIEWER))
			scope = scope_default(db, org);
		if (role & (ROLE_ADMIN | ROLE_LEARNER))
			scope = 0;
		*out = xreallocarray(*out, *n + 1, sizeof(**out));
		(*out)[*n].role = role;
		(*out)[*n].scope = scope;
		(*n)++;
	}
	free(copy);
	if (*n == 0)
		return (fail_set(f, FAIL_INPUT, "user.err_roles", "at least "
		    "one role is needed"));
	return (0);
fail:
	free(copy);
	free(*out);
	*out = NULL;
	*n = 0;
	return (-1);
}

/*
 * Create a user. Runs inside the caller's transaction; the caller writes
 * the audit row. A refusal fails FAIL_INPUT with the form field's message
 * (user.err_*) and the reason in a sentence (detail, for the CLI).
 */
int
account_create(struct db *db, const struct account_new *a, long long *id,
    struct fail *f)
{
	struct role_grant	*grants;
	struct pg_result	*res;
	char			*email, uid[NUMBUF], oid[NUMBUF];
	long long		 org;
	size_t			 n;
	int			 rc;

	if (a->name == NULL || *a->name == '\0' ||
	    utf8_strlen(a->name) > 200)
		return (fail_set(f, FAIL_INPUT, "user.err_name", "the name must "
		    "have 1 to 200 characters"));
	if ((email = auth_email_normalise(a->email)) == NULL)
		return (fail_set(f, FAIL_INPUT, "user.err_email", "'%s' is not "
		    "a valid e-mail address", a->email));
	if (org_find(db, a->org_code, &org, NULL, 0, f) == -1) {
		if (f != NULL && f->kind == FAIL_NOTFOUND)
			(void)fail_set(f, FAIL_INPUT, "user.err_org", "no "
			    "organisation with code '%s'", a->org_code);
		free(email);
		return (-1);
	}
	if (grants_parse(db, a->roles, org, &grants, &n, f) == -1) {
		free(email);
		return (-1);
	}
	(void)snprintf(oid, sizeof(oid), "%lld", org);
	res = db_query(db, "INSERT INTO users (name, email, org_id, demo) "
	    "VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING RETURNING id", 4,
	    a->name, email, oid, a->demo ? "t" : "f");
	rc = -1;
	if (res == NULL)
		(void)db_fail(db, f);
	else if (db_rows(res) != 1)
		(void)fail_set(f, FAIL_INPUT, "user.err_email_taken", "a user "
		    "with e-mail %s already exists", email);
	else {
		xstrlcpy(uid, db_value(res, 0, 0), sizeof(uid));
		rc = grants_write(db, uid, grants, n, f);
		*id = strtoll(uid, NULL, 10);
	}
	if (res != NULL)
		db_clear(res);
	free(email);
	free(grants);
	return (rc);
}

/* Write a user's role grants (uid, as text). */
static int
grants_write(struct db *db, const char *uid, const struct role_grant *g,
    size_t n, struct fail *f)
{
	char	sid[NUMBUF];
	size_t	i;

	for (i = 0; i < n; i++) {
		(void)snprintf(sid, sizeof(sid), "%lld", g[i].scope);
		if (db_exec(db, "INSERT INTO user_roles (user_id, role, "
		    "scope_org_id) VALUES ($1, $2, $3)", 3, uid,
		    auth_role_name(g[i].role), g[i].scope != 0 ? sid : NULL) ==
		    -1)
			return (db_fail(db, f));
	}
	return (0);
}

/*
 * Replace a user's roles (inside the caller's transaction): FAIL_INPUT
 * (user.err_roles) for roles that do not parse, FAIL_NOTFOUND for no
 * such user.
 */
int
account_set_roles(struct db *db, long long id, const char *roles,
    struct fail *f)
{
	struct role_grant	*grants;
	struct pg_result	*res;
	char			 uid[NUMBUF];
	long long		 org;
	size_t			 n;
	int			 rc;

	(void)snprintf(uid, sizeof(uid), "%lld", id);
	if ((res = db_query(db, "SELECT org_id FROM users WHERE id = $1", 1,
	    uid)) == NULL)
		return (db_fail(db, f));
	if (db_rows(res) != 1) {
		db_clear(res);
		return (fail_set(f, FAIL_NOTFOUND, NULL, "no such user"));
	}
	org = strtoll(db_value(res, 0, 0), NULL, 10);
	db_clear(res);
	if (grants_parse(db, roles, org, &grants, &n, f) == -1)
		return (-1);
	if (db_exec(db, "DELETE FROM user_roles WHERE user_id = $1", 1,
	    uid) == -1)
		rc = db_fail(db, f);
	else
		rc = grants_write(db, uid, grants, n, f);
	free(grants);
	return (rc);
}

/* *id: the user with this e-mail, or 0 when there is none. */
int
account_by_email(struct db *db, const char *email, long long *id,
    struct fail *f)
{
	struct pg_result	*res;
	char			*norm;

	*id = 0;
	if ((norm = auth_email_normalise(email)) == NULL)
		return (0);
	res = db_query(db, "SELECT id FROM users WHERE lower(email) = $1", 1,
	    norm);
	free(norm);
	if (res == NULL)
		return (db_fail(db, f));
	if (db_rows(res) == 1)
		*id = strtoll(db_value(res, 0, 0), NULL, 10);
	db_clear(res);
	return (0);
}

/* Enable or disable a user; disabling ends every session at once. */
int
account_set_active(struct db *db, long long id, int active, struct fail *f)
{
	char	uid[NUMBUF];

	(void)snprintf(uid, sizeof(uid), "%lld", id);
	if (db_exec(db, "UPDATE users SET active = $2, updated_at = now() "
	    "WHERE id = $1", 2, uid, active ? "t" : "f") == -1)
		return (db_fail(db, f));
	if (!active && db_exec(db, "DELETE FROM sessions WHERE user_id = $1",
	    1, uid) == -1)
		return (db_fail(db, f));
	return (0);
}

/*
 * A one-time link to set a password, valid for hours. token receives
 * the secret part of the URL; only its hash is stored. Earlier unused
 * links of the user stop working.
 */
int
account_password_link(struct db *db, long long id, int hours,
    char token[AUTH_TOKEN_LEN + 1], struct fail *f)
{
	char	uid[NUMBUF], h[NUMBUF], hash[SHA256_HEX_LEN + 1];

	auth_token(token);
	auth_token_hash(token, hash);
	(void)snprintf(uid, sizeof(uid), "%lld", id);
	(void)snprintf(h, sizeof(h), "%d", hours);
	if (db_exec(db, "UPDATE password_tokens SET used_at = now() WHERE "
	    "user_id = $1 AND used_at IS NULL", 1, uid) == -1 ||
	    db_exec(db, "INSERT INTO password_tokens (token_hash, user_id, "
	    "expires_at) VALUES (decode($1, 'hex'), $2, now() + "
	    "make_interval(hours => $3::int))", 3, hash, uid, h) == -1)
		return (db_fail(db, f));
	return (0);
}

/*
 * A live password link's one value: sql run with the token's hash as
 * $1, its first column copied to out. FAIL_INPUT (password.bad_link)
 * for an unknown, used or expired link.
 */
static int
token_value(struct db *db, const char *token, const char *sql, char *out,
    size_t len, struct fail *f)
{
	struct pg_result	*res;
	char			 th[SHA256_HEX_LEN + 1];
	int			 found;

	found = 0;
	if (auth_token_valid(token)) {
		auth_token_hash(token, th);
		if ((res = db_query(db, sql, 1, th)) == NULL)
			return (db_fail(db, f));
		if ((found = db_rows(res) == 1))
			xstrlcpy(out, db_value(res, 0, 0), len);
		db_clear(res);
	}
	if (!found)
		return (fail_set(f, FAIL_INPUT, "password.bad_link",
		    "set-password link used or expired"));
	return (0);
}

/*
 * Use a password link: set the password and end every session of the
 * user, *id. FAIL_INPUT (password.bad_link) when the link is unknown,
 * used or expired. Inside the caller's transaction.
 */
int
account_password_use(struct db *db, const char *token, const char *hash,
    long long *id, struct fail *f)
{
	char	uid[NUMBUF];

	if (token_value(db, token, "UPDATE password_tokens SET used_at = "
	    "now() WHERE token_hash = decode($1, 'hex') AND used_at IS NULL "
	    "AND expires_at > now() RETURNING user_id", uid, sizeof(uid),
	    f) == -1)
		return (-1);
	if (db_exec(db, "UPDATE users SET password_hash = $2, updated_at = "
	    "now() WHERE id = $1", 2, uid, hash) == -1 ||
	    db_exec(db, "DELETE FROM sessions WHERE user_id = $1", 1,
	    uid) == -1)
		return (db_fail(db, f));
	*id = strtoll(uid, NULL, 10);
	return (0);
}

/*
 * How an imported person sets a password, in the import's transaction:
 * the set-password mail queued when a relay is configured; otherwise a
 * link kept in links for the caller to print (none when links is NULL:
 * the admin pages issue them person by person).
 */
static int
account_import_link(struct db *db, long long id, const char *email,
    struct import_links *links, struct fail *f)
{
	struct import_link	*l;

	if (mail_enabled())
		return (mail_queue_id(db, id, "password", "new", f));
	if (links == NULL || !settings.local_passwords)
		return (0);
	links->v = xreallocarray(links->v, links->n + 1, sizeof(*links->v));
	l = &links->v[links->n];
	if (account_password_link(db, id, 72, l->token, f) == -1)
		return (-1);
	l->email = xstrdup(email);
	links->n++;
	return (0);
}

void
import_links_free(struct import_links *links)
{
	size_t	i;

	for (i = 0; i < links->n; i++) {
		free(links->v[i].email);
		sodium_memzero(links->v[i].token, sizeof(links->v[i].token));
	}
	free(links->v);
	links->v = NULL;
	links->n = 0;
}

/*
 * The e-mail address of the user a password link is for, while the
 * link can be used; FAIL_INPUT (password.bad_link) when it cannot.
 */
int
account_password_who(struct db *db, const char *token, char *email,
    size_t len, struct fail *f)
{
	return (token_value(db, token, "SELECT u.email FROM password_tokens t "
	    "JOIN users u ON u.id = t.user_id WHERE t.token_hash = "
	    "decode($1, 'hex') AND t.used_at IS NULL AND t.expires_at > now()",
	    email, len, f));
}

/*
 * Sign-in throttling (auth_login_wait() in auth.c decides): may this
 * address try a password on this account now? *retry: 0, or the
 * seconds to wait.
 */
int
login_wait(struct db *db, const char *email, const char *ip, int *retry,
    struct fail *f)
{
	struct pg_result	*res;
	struct login_counts	 c;

	res = db_query(db, "SELECT count(*) FILTER (WHERE ip = $2), "
	    "coalesce(extract(epoch FROM now() - max(at) FILTER (WHERE ip = "
	    "$2))::int, 0), count(*), (SELECT count(*) FROM login_failures "
	    "WHERE ip = $2 AND at > now() - interval '" AUTH_ADDRESS_WINDOW
	    "'), (SELECT coalesce(ceil(extract(epoch FROM min(at) + interval '"
	    AUTH_ADDRESS_WINDOW "' - now()))::int, 0) FROM (SELECT at FROM "
	    "login_failures WHERE ip = $2 AND at > now() - interval '"
	    AUTH_ADDRESS_WINDOW "' ORDER BY at DESC LIMIT "
	    STRINGIFY(AUTH_ADDRESS_MAX) ") x) FROM login_failures WHERE email "
	    "= $1 AND at > now() - interval '" AUTH_WINDOW "'", 2, email, ip);
	if (res == NULL)
		return (db_fail(db, f));
	c.pair = atoi(db_value(res, 0, 0));
	c.pair_age = atoi(db_value(res, 0, 1));
	c.account = atoi(db_value(res, 0, 2));
	c.address = atoi(db_value(res, 0, 3));
	c.address_left = atoi(db_value(res, 0, 4));
	db_clear(res);
	*retry = auth_login_wait(&c);
	return (0);
}

/* One statement on the failures of email from ip ($1, $2). */
static int
login_exec(struct db *db, const char *sql, const char *email,
    const char *ip, struct fail *f)
{
	if (db_exec(db, sql, 2, email, ip) == -1)
		return (db_fail(db, f));
	return (0);
}

/* A wrong password for this account from this address. */
int
login_failed(struct db *db, const char *email, const char *ip,
    struct fail *f)
{
	return (login_exec(db, "INSERT INTO login_failures (email, ip) "
	    "VALUES ($1, $2)", email, ip, f));
}

/*
 * The right password: the failures of this account from this address
 * are forgotten, so that the owner's earlier typing mistakes cost
 * nothing more (the audit log keeps them).
 */
int
login_succeeded(struct db *db, const char *email, const char *ip,
    struct fail *f)
{
	return (login_exec(db, "DELETE FROM login_failures WHERE email = $1 "
	    "AND ip = $2", email, ip, f));
}

/*
 * Import staff from CSV: name,email,office,roles. Every row is checked
 * first; if any is bad, nothing is written, dl gets "line N: ..." for
 * each bad row and the import fails FAIL_INPUT (import.failed). Runs its
 * own transaction (with its audit row), in which each person's
 * set-password mail is queued, or link made for links
 * (account_import_link): all or nothing, like the accounts.
 */
int
account_import_csv(struct db *db, const char *text, size_t len,
    const char *actor, const char *ip, int *imported,
    struct import_links *links, struct diaglist *dl, struct fail *f)
{
	struct account_new	 a;
	struct csv		 csv;
	struct fail		 rf;
	struct buf		 err;
	char			 details[64];
	long long		 id;
	size_t			 i, j, first;
	int			 bad;

	*imported = 0;
	buf_init(&err, 128);
	if (csv_parse(&csv, text, len, &err) == -1) {
		diag_add(dl, NULL, 0, "%s", err.data);
		buf_free(&err);
		return (fail_set(f, FAIL_INPUT, "import.failed", NULL));
	}
	first = 0;
	if (csv.nrows > 0 && csv.rows[0].nfields >= 2 &&
	    strcasecmp(csv.rows[0].fields[0], "name") == 0 &&
	    strcasecmp(csv.rows[0].fields[1], "email") == 0)
		first = 1;	/* a header line */
	buf_free(&err);
	if (csv.nrows <= first) {
		diag_add(dl, NULL, 0, "the file has no rows");
		csv_free(&csv);
		return (fail_set(f, FAIL_INPUT, "import.failed", NULL));
	}

	if (db_begin(db) == -1) {
		csv_free(&csv);
		return (db_fail(db, f));
	}
	bad = 0;
	for (i = first; i < csv.nrows; i++) {
		struct csv_row	*r = &csv.rows[i];

		if (r->nfields != 4) {
			diag_add(dl, NULL, 0, "line %d: expected 4 fields "
			    "(name,email,office,roles), found %zu", r->line,
			    r->nfields);
			bad++;
			continue;
		}
		for (j = first; j < i; j++) {
			if (csv.rows[j].nfields == 4 && strcasecmp(
			    csv.rows[j].fields[1], r->fields[1]) == 0)
				break;
		}
		if (j < i) {
			diag_add(dl, NULL, 0, "line %d: e-mail %s already on "
			    "line %d", r->line, r->fields[1],
			    csv.rows[j].line);
			bad++;
			continue;
		}
		memset(&a, 0, sizeof(a));
		a.name = str_trim(r->fields[0]);
		a.email = r->fields[1];
		a.org_code = str_trim(r->fields[2]);
		a.roles = r->fields[3];
		/* A savepoint per row: one bad row must not hide the next. */
		if ((db_exec(db, "SAVEPOINT row", 0) == -1 &&
		    db_fail(db, &rf) == -1) ||
		    account_create(db, &a, &id, &rf) == -1 ||
		    account_import_link(db, id, a.email, links, &rf) == -1) {
			diag_add(dl, NULL, 0, "line %d: %s", r->line,
			    rf.detail);
			(void)db_exec(db, "ROLLBACK TO SAVEPOINT row", 0);
			bad++;
			continue;
		}
		(void)db_exec(db, "RELEASE SAVEPOINT row", 0);
		(*imported)++;
	}
	if (bad > 0) {
		(void)fail_set(f, FAIL_INPUT, "import.failed", "%d bad rows",
		    bad);
		goto fail;
	}
	(void)snprintf(details, sizeof(details), "%d users%s", *imported,
	    mail_enabled() ? ", set-password mails queued" : "");
	if (audit_append(db, actor, "users.import", "csv", details, ip) == -1 ||
	    db_commit(db) == -1) {
		(void)db_fail(db, f);
		goto fail;
	}
	csv_free(&csv);
	return (0);
fail:
	db_rollback(db);
	*imported = 0;
	if (links != NULL)
		import_links_free(links);
	csv_free(&csv);
	return (-1);
}

/*
 * The canonical form of a row for hashing: each field as
 * "<length>:<bytes>\n", so that no choice of content can make two rows
 * hash alike.
 */
static int
audit_canonical(struct buf *b, const char *const *fields)
{
	size_t	i;

	for (i = 0; fields[i] != NULL; i++)
		buf_printf(b, "%zu:%s\n", strlen(fields[i]), fields[i]);
	return (0);
}

/*
 * Append an audit row. Inside the caller's transaction when there is
 * one (so the row and the change commit together), else in its own.
 */
int
audit_append(struct db *db, const char *actor, const char *event,
    const char *subject, const char *details, const char *ip)
{
	struct pg_result	*res;
	struct buf		 c;
	char			 id[NUMBUF], at[64], prev[SHA256_HEX_LEN + 1];
	char			 hash[SHA256_HEX_LEN + 1];
	const char		*fields[9];
	int			 own;

	own = !db_in_transaction(db);
	if (own && db_begin(db) == -1)
		return (-1);
	if (db_exec(db, "SELECT pg_advisory_xact_lock(4242)", 0) == -1)
		goto fail;
	res = db_query(db, "SELECT last_id + 1, last_hash, to_char(now() AT "
	    "TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"') FROM "
	    "audit_head", 0);
	if (res == NULL || db_rows(res) != 1) {
		if (res != NULL)
			db_clear(res);
		goto fail;
	}
	xstrlcpy(id, db_value(res, 0, 0), sizeof(id));
	xstrlcpy(prev, db_value(res, 0, 1), sizeof(prev));
	xstrlcpy(at, db_value(res, 0, 2), sizeof(at));
	db_clear(res);

	fields[0] = prev;
	fields[1] = id;
	fields[2] = at;
	fields[3] = actor != NULL ? actor : "";
	fields[4] = event;
	fields[5] = subject != NULL ? subject : "";
	fields[6] = details != NULL ? details : "";
	fields[7] = ip != NULL ? ip : "";
	fields[8] = NULL;
	buf_init(&c, 256);
	audit_canonical(&c, fields);
	sha256_hex(c.data, c.len, hash);
	buf_free(&c);

	if (db_exec(db, "INSERT INTO audit_log (id, at, actor, event, "
	    "subject, details, ip, prev_hash, hash) VALUES ($1, $2, $3, $4, "
	    "$5, $6, $7, $8, $9)", 9, id, at, fields[3], event, fields[5],
	    fields[6], fields[7], prev, hash) == -1 ||
	    db_exec(db, "UPDATE audit_head SET last_id = $1, last_hash = $2",
	    2, id, hash) == -1)
		goto fail;
	if (own && db_commit(db) == -1)
		goto fail;
	return (0);
fail:
	if (own)
		db_rollback(db);
	return (-1);
}

/*
 * Walk the whole chain: each problem found goes to dl (intact when it
 * stays empty); *rows gets the number of rows read. -1 with f filled
 * only when the database failed.
 */
int
audit_verify(struct db *db, long long *rows, struct diaglist *dl,
    struct fail *f)
{
	struct pg_result	*res;
	struct buf		 c;
	char			 prev[SHA256_HEX_LEN + 1];
	char			 hash[SHA256_HEX_LEN + 1];
	const char		*fields[9];
	long long		 expect, id;
	int			 i, n;

	*rows = 0;
	res = db_query(db, "SELECT id, at, actor, event, subject, details, "
	    "ip, prev_hash, hash FROM audit_log ORDER BY id", 0);
	if (res == NULL)
		return (db_fail(db, f));
	n = db_rows(res);
	memset(prev, '0', SHA256_HEX_LEN);
	prev[SHA256_HEX_LEN] = '\0';
	expect = 1;
	buf_init(&c, 256);
	for (i = 0; i < n; i++) {
		id = strtoll(db_value(res, i, 0), NULL, 10);
		if (id != expect)
			diag_add(dl, "audit_log", 0, "row %lld: missing "
			    "(deleted?); the next row is %lld", expect, id);
		if (strcmp(db_value(res, i, 7), prev) != 0)
			diag_add(dl, "audit_log", 0, "row %lld: does not "
			    "follow the row before it", id);
		fields[0] = db_value(res, i, 7);
		fields[1] = db_value(res, i, 0);
		fields[2] = db_value(res, i, 1);
		fields[3] = db_value(res, i, 2);
		fields[4] = db_value(res, i, 3);
		fields[5] = db_value(res, i, 4);
		fields[6] = db_value(res, i, 5);
		fields[7] = db_value(res, i, 6);
		fields[8] = NULL;
		buf_reset(&c);
		audit_canonical(&c, fields);
		sha256_hex(c.data, c.len, hash);
		if (strcmp(hash, db_value(res, i, 8)) != 0)
			diag_add(dl, "audit_log", 0, "row %lld: content does "
			    "not match its hash (edited?)", id);
		xstrlcpy(prev, db_value(res, i, 8), sizeof(prev));
		expect = id + 1;
	}
	buf_free(&c);
	db_clear(res);
	*rows = n;

	res = db_query(db, "SELECT last_id, last_hash FROM audit_head", 0);
	if (res == NULL)
		return (db_fail(db, f));
	if (db_rows(res) != 1)
		diag_add(dl, "audit_head", 0, "missing");
	else if (strtoll(db_value(res, 0, 0), NULL, 10) != expect - 1 ||
	    strcmp(db_value(res, 0, 1), prev) != 0)
		diag_add(dl, "audit_head", 0, "the chain ends at row %lld but "
		    "the head says %s: rows were deleted from the end",
		    expect - 1, db_value(res, 0, 0));
	db_clear(res);
	return (0);
}

/*
 * Is the user in the unit subtree scope (a path)? FAIL_NOTFOUND
 * (error.404.person) when not.
 */
int
account_in_scope(struct db *db, long long user, const char *scope,
    struct fail *f)
{
	char	uid[32];
	int	n;

	(void)snprintf(uid, sizeof(uid), "%lld", user);
	if ((n = db_one(db_query(db, "SELECT 1 FROM users u JOIN orgs o ON "
	    "o.id = u.org_id WHERE u.id = $1 AND o.path LIKE $2 || '%'", 2,
	    uid, scope))) == -1)
		return (db_fail(db, f));
	if (n == 0)
		return (fail_set(f, FAIL_NOTFOUND, "error.404.person",
		    "user %lld not under %s", user, scope));
	return (0);
}

/*
 * Anchoring the chain outside the database: a checkpoint is the head
 * (last id, last hash) signed with the issuer's active key
 * (eddsa-jcs-2022), appended as one JSON line to audit_file and served
 * at /audit/checkpoint. A database writer who rewrites rows and
 * recomputes the chain and the head cannot sign a new checkpoint, so
 * `audit verify` finds the row of the latest checkpoint with another
 * hash. Rows written after the latest checkpoint are protected only by
 * the next one (the server writes one a minute when the head moved).
 */
int
audit_checkpoint(struct db *db, int force, struct fail *f)
{
	struct pg_result	*res;
	struct vc_key		 k;
	struct buf		 line;
	json_t			*doc;
	char			*text, now[32], last[SHA256_HEX_LEN + 1];
	long long		 id;
	int			 kid, fd, rc;

	res = db_query(db, "SELECT last_id, last_hash FROM audit_head", 0);
	if (res == NULL || db_rows(res) != 1) {
		if (res != NULL)
			db_clear(res);
		return (db_fail(db, f));
	}
	id = strtoll(db_value(res, 0, 0), NULL, 10);
	xstrlcpy(last, db_value(res, 0, 1), sizeof(last));
	db_clear(res);
	if (!force && audit_checkpoint_last(&text, NULL) == 0) {
		doc = jcs_parse(text, strlen(text), NULL);
		free(text);
		/* jcs_parse() reads every number as a double. */
		rc = json_number_value(json_object_get(doc, "lastId")) ==
		    (double)id;
		json_decref(doc);
		if (rc)
			return (0);	/* nothing new */
	}
	if (badge_key_active(db, &k, &kid, f) == -1)
		return (-1);
	vc_datetime_format(time(NULL), now);
	doc = json_pack("{s:s, s:s, s:I, s:s, s:s}", "type",
	    "AuditCheckpoint", "issuer", settings.issuer_id, "lastId",
	    (json_int_t)id, "lastHash", last, "created", now);
	rc = badge_sign(doc, &k, now, kid, f);
	sodium_memzero(&k, sizeof(k));
	if (rc == -1) {
		json_decref(doc);
		return (-1);
	}
	text = json_dumps(doc, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(doc);
	buf_init(&line, 1024);
	buf_printf(&line, "%s\n", text);
	free(text);
	rc = -1;
	if ((fd = open(settings.audit_file, O_WRONLY | O_CREAT | O_APPEND |
	    O_CLOEXEC, 0640)) == -1 ||
	    write(fd, line.data, line.len) != (ssize_t)line.len ||
	    fsync(fd) == -1)
		(void)fail_set(f, FAIL_UNAVAILABLE, NULL, "%s: %s",
		    settings.audit_file, strerror(errno));
	else
		rc = 0;
	if (fd != -1)
		close(fd);
	buf_free(&line);
	return (rc);
}

/*
 * The latest checkpoint (the file's last line), a new string;
 * FAIL_NOTFOUND when there is none yet.
 */
int
audit_checkpoint_last(char **out, struct fail *f)
{
	char	*src, *p, *end;
	size_t	 len;

	*out = NULL;
	if (file_read(settings.audit_file, &src, &len, 64 * 1024 * 1024) ==
	    -1)
		return (fail_set(f, FAIL_NOTFOUND, NULL, "%s: %s",
		    settings.audit_file, strerror(errno)));
	end = src + len;
	while (end > src && (end[-1] == '\n' || end[-1] == '\r'))
		end--;
	if (end == src) {
		free(src);
		return (fail_set(f, FAIL_NOTFOUND, NULL, "%s: empty",
		    settings.audit_file));
	}
	p = end;
	while (p > src && p[-1] != '\n')
		p--;
	*out = xstrndup(p, (size_t)(end - p));
	free(src);
	return (0);
}

/*
 * Check the chain against a signed checkpoint (its text): its proof by
 * one of the keys of t, and the hash of its row in the database. A
 * problem found goes to dl; -1 with f filled only when the database
 * failed.
 */
int
audit_checkpoint_verify(struct db *db, const char *text, struct vc_trust *t,
    struct diaglist *dl, struct fail *f)
{
	struct pg_result	*res;
	struct vc_result	 r;
	const char		*hash, *iss;
	char			 id[NUMBUF];
	json_int_t		 last;
	int			 rc;

	vc_verify_proof(text, strlen(text), t, &r);
	iss = json_string_value(json_object_get(r.doc, "issuer"));
	if (r.flags != 0 || iss == NULL) {
		diag_add(dl, settings.audit_file, 0, "the latest checkpoint "
		    "is not signed by our issuer: %s", r.flags != 0 ?
		    r.reasons.data : "another issuer");
		vc_result_free(&r);
		return (0);
	}
	/* jcs_parse() reads every number as a double. */
	last = (json_int_t)json_number_value(json_object_get(r.doc, "lastId"));
	hash = json_string_value(json_object_get(r.doc, "lastHash"));
	if (!json_is_number(json_object_get(r.doc, "lastId")) || last < 0 ||
	    (double)last != json_number_value(json_object_get(r.doc,
	    "lastId")) || hash == NULL) {
		diag_add(dl, settings.audit_file, 0, "the latest checkpoint has "
		    "no lastId and lastHash");
		vc_result_free(&r);
		return (0);
	}
	rc = 0;
	if (last > 0) {
		(void)snprintf(id, sizeof(id), "%lld", (long long)last);
		res = db_query(db, "SELECT hash FROM audit_log WHERE id = "
		    "$1::bigint", 1, id);
		if (res == NULL)
			rc = db_fail(db, f);
		else if (db_rows(res) != 1)
			diag_add(dl, "audit_log", 0, "row %s of the signed "
			    "checkpoint is missing (deleted?)", id);
		else if (strcmp(db_value(res, 0, 0), hash) != 0)
			diag_add(dl, "audit_log", 0, "row %s does not have the "
			    "hash of the signed checkpoint of %s: the chain "
			    "was rewritten", id, json_string_value(
			    json_object_get(r.doc, "created")));
		if (res != NULL)
			db_clear(res);
	}
	vc_result_free(&r);
	return (rc);
}
