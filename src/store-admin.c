/*
 * store-admin.c: what the administrators' pages read and write: the
 * counts of the front page, the user list and one user, the
 * organisation tree, the audit log; creating a user, changing their
 * roles or state or issuing a password link, and adding or renaming a
 * unit, each with its audit row in the same transaction.
 *
 * Rows keep pointers into the query's result, released by
 * rows_release(list.res, list.v).
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "capacita.h"

#define NUMBUF		32

/* The columns of admin_counts()'s SELECT. */
enum count_col {
	CN_USERS = 0,
	CN_ACTIVE,
	CN_ORGS,
	CN_AUDIT
};

/* The columns of org_list()'s SELECTs. */
enum org_col {
	OG_CODE = 0,
	OG_NAME,
	OG_KIND,
	OG_USERS
};

/* The columns of audit_list()'s SELECT. */
enum audit_col {
	AU_ID = 0,
	AU_AT,
	AU_ACTOR,
	AU_EVENT,
	AU_SUBJECT,
	AU_DETAILS,
	AU_IP
};

static const struct row_col org_cols[] = {
	[OG_CODE] = { ROW_TEXT, offsetof(struct org_row, code) },
	[OG_NAME] = { ROW_TEXT, offsetof(struct org_row, name) },
	[OG_KIND] = { ROW_TEXT, offsetof(struct org_row, kind) },
	[OG_USERS] = { ROW_LL, offsetof(struct org_row, users) }
};

static const struct row_col audit_cols[] = {
	[AU_ID] = { ROW_TEXT, offsetof(struct audit_row, id) },
	[AU_AT] = { ROW_TEXT, offsetof(struct audit_row, at) },
	[AU_ACTOR] = { ROW_TEXT, offsetof(struct audit_row, actor) },
	[AU_EVENT] = { ROW_TEXT, offsetof(struct audit_row, event) },
	[AU_SUBJECT] = { ROW_TEXT, offsetof(struct audit_row, subject) },
	[AU_DETAILS] = { ROW_TEXT, offsetof(struct audit_row, details) },
	[AU_IP] = { ROW_TEXT, offsetof(struct audit_row, ip) }
};

static int	password_link(struct db *, long long, int,
		    char [AUTH_TOKEN_LEN + 1], struct fail *);
static int	admin_commit(struct db *, int, struct fail *);

int
admin_counts(struct db *db, struct admin_counts *c, struct fail *f)
{
	struct pg_result	*res;

	memset(c, 0, sizeof(*c));
	if ((res = db_query(db, "SELECT (SELECT count(*) FROM users), "
	    "(SELECT count(*) FROM users WHERE active), (SELECT count(*) "
	    "FROM orgs), (SELECT last_id FROM audit_head)", 0)) == NULL)
		return (db_fail(db, f));
	c->users = strtoll(db_value(res, 0, CN_USERS), NULL, 10);
	c->active = strtoll(db_value(res, 0, CN_ACTIVE), NULL, 10);
	c->orgs = strtoll(db_value(res, 0, CN_ORGS), NULL, 10);
	xstrlcpy(c->audit, db_value(res, 0, CN_AUDIT), sizeof(c->audit));
	db_clear(res);
	return (0);
}

/* Users whose name or email holds q ("" for all), the first 200. */
int
account_list(struct db *db, const char *q, struct people *out,
    struct fail *f)
{
	struct pg_result	*res;

	memset(out, 0, sizeof(*out));
	res = db_query(db, "SELECT u.id, u.name, u.email, o.name, u.active, "
	    "'', coalesce((SELECT string_agg(r.role, ', ' ORDER BY r.role) "
	    "FROM user_roles r WHERE r.user_id = u.id), '') FROM users u JOIN "
	    "orgs o ON o.id = u.org_id WHERE $1 = '' OR u.name ILIKE '%' || "
	    "$1 || '%' OR u.email ILIKE '%' || $1 || '%' ORDER BY u.name, "
	    "u.id LIMIT 200", 1, q);
	return (people_load(db, res, 1, NULL, out, f));
}

/* One user, any organisation; roles as "admin,hr". */
int
account_get(struct db *db, long long id, struct people *out,
    struct fail *f)
{
	struct pg_result	*res;
	char			 uid[NUMBUF];

	memset(out, 0, sizeof(*out));
	(void)snprintf(uid, sizeof(uid), "%lld", id);
	res = db_query(db, "SELECT u.id, u.name, u.email, o.name, u.active, "
	    "'', coalesce((SELECT string_agg(r.role, ',') FROM user_roles r "
	    "WHERE r.user_id = u.id), '') FROM users u JOIN orgs o ON o.id = "
	    "u.org_id WHERE u.id = $1", 1, uid);
	return (people_load(db, res, 1, "error.404.text", out, f));
}

/* Every unit: in tree order (org_order), or by path with bypath. */
#define ORG_LIST	"SELECT o.code, o.name, o.kind, (SELECT count(*) " \
			"FROM users u WHERE u.org_id = o.id) FROM orgs o " \
			"ORDER BY "

static const struct store_list orgs_bypath = STORE_LIST(ORG_LIST "o.path",
    org_cols, struct org_row);
static const struct store_list orgs_bytree = STORE_LIST(ORG_LIST
    "org_order(o.path)", org_cols, struct org_row);

int
org_list(struct db *db, int bypath, struct org_list *out, struct fail *f)
{
	return (store_list(db, bypath ? &orgs_bypath : &orgs_bytree,
	    &out->res, &out->v, &out->n, f, 0));
}

/* The last limit rows of the audit log, newest first. */
static const struct store_list audit_last = STORE_LIST("SELECT id, at, "
    "actor, event, subject, details, ip FROM audit_log ORDER BY id DESC "
    "LIMIT $1::int", audit_cols, struct audit_row);

int
audit_list(struct db *db, int limit, struct audit_rows *out,
    struct fail *f)
{
	char	lim[NUMBUF];

	(void)snprintf(lim, sizeof(lim), "%d", limit);
	return (store_list(db, &audit_last, &out->res, &out->v, &out->n, f,
	    1, lim));
}

/*
 * A password link: by email with a relay (token left empty), otherwise
 * made here for the page to show once.
 */
static int
password_link(struct db *db, long long id, int fresh,
    char token[AUTH_TOKEN_LEN + 1], struct fail *f)
{
	token[0] = '\0';
	if (mail_enabled())
		return (mail_queue_id(db, id, "password", fresh ? "new" : "",
		    f));
	return (account_password_link(db, id, 72, token, f));
}

/* Commit the transaction unless rc is -1; else roll back, a 503. */
static int
admin_commit(struct db *db, int rc, struct fail *f)
{
	if (rc != -1 && db_commit(db) != -1)
		return (0);
	return (store_abort(db, f));
}

/*
 * Create a user with a password link (token, when no relay) and the
 * audit row, all or nothing. A refused form fails FAIL_INPUT with the
 * field's message.
 */
int
account_add(struct db *db, const struct account_new *a,
    const struct admin_act *by, long long *id,
    char token[AUTH_TOKEN_LEN + 1], struct fail *f)
{
	int		 rc;

	token[0] = '\0';
	if (db_begin(db) == -1)
		return (db_fail(db, f));
	if (account_create(db, a, id, f) == -1) {
		db_rollback(db);
		return (-1);
	}
	rc = password_link(db, *id, 1, token, f) == -1 ? -1 :
	    audit_append(db, by->actor, "user.create", a->email, a->roles,
	    by->ip);
	return (admin_commit(db, rc, f));
}

/*
 * Change a user: "roles" (to roles, "learner;hr"), "enable", "disable"
 * or "reset" (a password link, token as for account_add), with the
 * audit row, all or nothing.
 */
int
account_change(struct db *db, long long id, const char *action,
    const char *roles, const struct admin_act *by,
    char token[AUTH_TOKEN_LEN + 1], struct fail *f)
{
	struct people	 p;
	char		 email[256];
	int		 rc;

	token[0] = '\0';
	if (account_get(db, id, &p, f) == -1)
		return (-1);
	xstrlcpy(email, p.v[0].email, sizeof(email));
	people_free(&p);
	if (strcmp(action, "roles") != 0 && strcmp(action, "enable") != 0 &&
	    strcmp(action, "disable") != 0 && strcmp(action, "reset") != 0)
		return (fail_set(f, FAIL_INPUT, "form.fix", NULL));
	if (db_begin(db) == -1)
		return (db_fail(db, f));
	if (strcmp(action, "roles") == 0) {
		if (account_set_roles(db, id, roles, f) == -1) {
			db_rollback(db);
			return (-1);
		}
		rc = audit_append(db, by->actor, "user.roles", email, roles,
		    by->ip);
	} else if (strcmp(action, "reset") == 0) {
		rc = password_link(db, id, 0, token, f) == -1 ? -1 :
		    audit_append(db, by->actor, "password.reset", email,
		    mail_enabled() ? "link sent" : "link issued", by->ip);
	} else {
		rc = account_set_active(db, id, action[0] == 'e', f) == -1 ? -1 :
		    audit_append(db, by->actor, action[0] == 'e' ?
		    "user.enable" : "user.disable", email, "", by->ip);
	}
	return (admin_commit(db, rc, f));
}

/*
 * Add a unit under parent (NULL for a region) or rename one, with the
 * audit row. A refusal fails FAIL_INPUT; err, when not empty, says why
 * in a sentence for the page (org_create's).
 */
int
org_save(struct db *db, int add, const char *parent, const char *code,
    const char *name, const struct admin_act *by, struct buf *err,
    struct fail *f)
{
	struct pg_result	*res;
	long long		 id;
	int			 n;

	if (db_begin(db) == -1)
		return (db_fail(db, f));
	if (add && org_create(db, parent, code, name, 0, &id, f) == -1) {
		buf_puts(err, f->detail);
		n = 0;
	} else if (add)
		n = 1;
	else {
		res = db_query(db, "UPDATE orgs SET name = $2 WHERE code = $1 "
		    "RETURNING id", 2, code, name);
		n = res != NULL ? db_rows(res) : -1;
		if (res != NULL)
			db_clear(res);
		if (*name == '\0' || utf8_strlen(name) > 200)
			n = 0;
	}
	if (n != 1) {
		db_rollback(db);
		return (fail_set(f, FAIL_INPUT, "org.err_fields", "%s",
		    err->data));
	}
	return (admin_commit(db, audit_append(db, by->actor, add ?
	    "org.create" : "org.rename", code, name, by->ip), f));
}
