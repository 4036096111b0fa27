/*
 * page-admin.c: the administrators' pages: users (create, roles,
 * disable, password links), CSV import, the organisation tree and the
 * audit log. Every change writes its audit row in the same transaction.
 */

#include <stdlib.h>
#include <string.h>

#include "web.h"

#define IMPORT_MAX	(1024 * 1024)

static const char *const	role_fields[ROLE_COUNT] = {
	"role_learner", "role_trainer", "role_hr", "role_issuer", "role_admin",
	"role_assessor", "role_reviewer"
};

static void	org_options(struct web *, struct buf *, const char *);
static void	role_boxes(struct web *, struct buf *, int);
static void	roles_from_form(struct web *, struct buf *);
static int	users_page(struct web *, int, const char *,
		    const struct account_new *, const char *);
static int	user_page(struct web *, long long, int, const char *,
		    const char *, const char *);
static int	import_page(struct web *, int, const char *, const char *);
static int	orgs_page(struct web *, int, const char *, const char *);

/* <option>s for every organisation, indented by depth. */
static void
org_options(struct web *w, struct buf *out, const char *selected)
{
	struct pg_result	*res;
	struct buf		 label;
	int			 i, n, depth;

	res = db_query(&w->db, "SELECT code, name, kind FROM orgs ORDER BY "
	    "path", 0);
	if (res == NULL)
		return;
	buf_init(&label, 128);
	n = db_rows(res);
	for (i = 0; i < n; i++) {
		depth = strcmp(db_value(res, i, 2), "region") == 0 ||
		    strcmp(db_value(res, i, 2), "partner") == 0 ? 0 :
		    strcmp(db_value(res, i, 2), "agency") == 0 ? 1 : 2;
		buf_reset(&label);
		while (depth-- > 0)
			buf_puts(&label, "\xe2\x80\x94 ");
		buf_puts(&label, db_value(res, i, 1));
		(void)web_option(w, out, db_value(res, i, 0), label.data,
		    selected != NULL &&
		    strcmp(selected, db_value(res, i, 0)) == 0);
	}
	buf_free(&label);
	db_clear(res);
}

static void
role_boxes(struct web *w, struct buf *out, int roles)
{
	char	key[32];
	int	i;

	for (i = 0; i < ROLE_COUNT; i++) {
		(void)snprintf(key, sizeof(key), "role.%s",
		    auth_role_name(1 << i));
		{
			struct tmpl_arg args[] = {
				T_TEXT("name", role_fields[i]),
				T_TEXT("label", i18n_get(w->lang, key)),
				T_RAW("checked", (roles & (1 << i)) ?
				    " checked" : ""),
			};

			(void)web_render(w, out, "checkbox", args,
			    T_NARGS(args));
		}
	}
}

/* The checked role boxes as "learner;hr". */
static void
roles_from_form(struct web *w, struct buf *out)
{
	int	i;

	for (i = 0; i < ROLE_COUNT; i++) {
		if (web_arg(w, role_fields[i]) == NULL)
			continue;
		if (out->len > 0)
			buf_putc(out, ';');
		buf_puts(out, auth_role_name(1 << i));
	}
}

int
page_admin(struct http_request *req)
{
	struct pg_result	*res;
	struct web		 w;
	struct buf		 main;

	if (web_begin(&w, req) == -1)
		return (KORE_RESULT_OK);
	if ((res = db_query(&w.db, "SELECT (SELECT count(*) FROM users), "
	    "(SELECT count(*) FROM users WHERE active), (SELECT count(*) "
	    "FROM orgs), (SELECT last_id FROM audit_head)", 0)) == NULL)
		return (web_db_error(&w));
	buf_init(&main, 2048);
	{
		struct tmpl_arg args[] = {
			T_TEXT("users", db_value(res, 0, 0)),
			T_TEXT("active", db_value(res, 0, 1)),
			T_TEXT("orgs", db_value(res, 0, 2)),
			T_TEXT("audit", db_value(res, 0, 3)),
		};

		(void)web_render(&w, &main, "admin", args, T_NARGS(args));
	}
	db_clear(res);
	(void)web_page(&w, 200, i18n_get(w.lang, "admin.title"), main.data);
	buf_free(&main);
	return (KORE_RESULT_OK);
}

/*
 * The user list with the creation form. On a failed creation, status is
 * 400 and error names the field's message.
 */
static int
users_page(struct web *w, int status, const char *q,
    const struct account_new *form, const char *error)
{
	struct pg_result	*res;
	struct buf		 main, rows, fields, orgs, boxes, alert;
	const char		*name_err, *email_err, *org_err, *roles_err;
	char			 roles[256];
	int			 i, n;

	res = db_query(&w->db, "SELECT u.id, u.name, u.email, o.name, "
	    "u.active, coalesce((SELECT string_agg(r.role, ', ' ORDER BY "
	    "r.role) FROM user_roles r WHERE r.user_id = u.id), '') FROM users "
	    "u JOIN orgs o ON o.id = u.org_id WHERE $1 = '' OR u.name ILIKE "
	    "'%' || $1 || '%' OR u.email ILIKE '%' || $1 || '%' ORDER BY "
	    "u.name, u.id LIMIT 200", 1, q != NULL ? q : "");
	if (res == NULL)
		return (web_db_error(w));
	buf_init(&main, 8192);
	buf_init(&rows, 8192);
	buf_init(&fields, 2048);
	buf_init(&orgs, 4096);
	buf_init(&boxes, 1024);
	buf_init(&alert, 256);
	n = db_rows(res);
	for (i = 0; i < n; i++) {
		struct tmpl_arg args[] = {
			T_TEXT("id", db_value(res, i, 0)),
			T_TEXT("name", db_value(res, i, 1)),
			T_TEXT("email", db_value(res, i, 2)),
			T_TEXT("org", db_value(res, i, 3)),
			T_TEXT("roles", web_roles(w, db_value(res, i, 5), roles,
			    sizeof(roles))),
			T_TEXT("state", i18n_get(w->lang,
			    strcmp(db_value(res, i, 4), "t") == 0 ?
			    "user.active" : "user.disabled")),
		};

		(void)web_render(w, &rows, "admin-user-row", args,
		    T_NARGS(args));
	}
	db_clear(res);

	name_err = email_err = org_err = roles_err = NULL;
	if (error != NULL) {
		if (strstr(error, "name") != NULL)
			name_err = error;
		else if (strstr(error, "email") != NULL)
			email_err = error;
		else if (strstr(error, "org") != NULL)
			org_err = error;
		else
			roles_err = error;
		{
			struct tmpl_arg args[] = {
				T_TEXT("kind", "danger"),
				T_TEXT("text", i18n_get(w->lang,
				    "form.fix")),
			};

			(void)web_render(w, &alert, "alert", args,
			    T_NARGS(args));
		}
	}
	web_field(w, &fields, "text", "name", "user.name",
	    form != NULL ? form->name : "", name_err,
	    " autocomplete=\"off\" required");
	web_field(w, &fields, "email", "email", "user.email",
	    form != NULL ? form->email : "", email_err,
	    " autocomplete=\"off\" required");
	org_options(w, &orgs, form != NULL ? form->org_code : NULL);
	role_boxes(w, &boxes, ROLE_LEARNER);
	{
		struct tmpl_arg args[] = {
			T_TEXT("q", q != NULL ? q : ""),
			T_RAW("rows", rows.data),
			T_RAW("alert", alert.data),
			T_RAW("fields", fields.data),
			T_RAW("orgs", orgs.data),
			T_TEXT("org_error", org_err != NULL ?
			    i18n_get(w->lang, org_err) : ""),
			T_TEXT("roles_error", roles_err != NULL ?
			    i18n_get(w->lang, roles_err) : ""),
			T_RAW("roles", boxes.data),
			T_TEXT("csrf", web_csrf(w)),
		};

		(void)web_render(w, &main, "admin-users", args,
		    T_NARGS(args));
	}
	(void)web_page(w, status, i18n_get(w->lang, "admin.users"),
	    main.data);
	buf_free(&main);
	buf_free(&rows);
	buf_free(&fields);
	buf_free(&orgs);
	buf_free(&boxes);
	buf_free(&alert);
	return (KORE_RESULT_OK);
}

/* Map an account_create() sentence to a message key for the field. */
static const char *
create_error_key(const char *err)
{
	if (strstr(err, "name must") != NULL)
		return ("user.err_name");
	if (strstr(err, "already exists") != NULL)
		return ("user.err_email_taken");
	if (strstr(err, "e-mail") != NULL)
		return ("user.err_email");
	if (strstr(err, "organisation") != NULL)
		return ("user.err_org");
	return ("user.err_roles");
}

int
page_admin_users(struct http_request *req)
{
	struct account_new	 a;
	struct web		 w;
	struct buf		 err, roles;
	char			 token[AUTH_TOKEN_LEN + 1];
	long long		 id;

	if (web_begin(&w, req) == -1)
		return (KORE_RESULT_OK);
	if (web_db(&w) == -1)
		return (web_db_error(&w));
	if (req->method == HTTP_METHOD_GET) {
		return (users_page(&w, 200, web_arg(&w, "q"), NULL, NULL));
	}

	memset(&a, 0, sizeof(a));
	buf_init(&roles, 64);
	roles_from_form(&w, &roles);
	a.name = web_arg(&w, "name");
	a.email = web_arg(&w, "email");
	a.org_code = web_arg(&w, "org");
	a.roles = roles.data;
	if (a.name == NULL || *a.name == '\0') {
		buf_free(&roles);
		return (users_page(&w, 400, NULL, &a, "user.err_name"));
	}
	if (a.email == NULL || *a.email == '\0') {
		buf_free(&roles);
		return (users_page(&w, 400, NULL, &a, "user.err_email"));
	}
	if (a.org_code == NULL) {
		buf_free(&roles);
		return (users_page(&w, 400, NULL, &a, "user.err_org"));
	}
	buf_init(&err, 128);
	if (db_begin(&w.db) == -1) {
		buf_free(&roles);
		buf_free(&err);
		return (web_db_error(&w));
	}
	if (account_create(&w.db, &a, &id, &err) == -1) {
		db_rollback(&w.db);
		(void)users_page(&w, 400, NULL, &a,
		    create_error_key(err.data));
		buf_free(&roles);
		buf_free(&err);
		return (KORE_RESULT_OK);
	}
	/* With a relay the link goes by e-mail; without, it is shown. */
	if ((mail_enabled() ? mail_queue_id(&w.db, id, "password", "new") :
	    account_password_link(&w.db, id, 72, token)) == -1 ||
	    audit_append(&w.db, w.user->email, "user.create", a.email,
	    roles.data, w.ip) == -1 || db_commit(&w.db) == -1) {
		buf_free(&roles);
		buf_free(&err);
		return (web_db_error(&w));
	}
	buf_free(&roles);
	buf_free(&err);
	return (user_page(&w, id, 201, mail_enabled() ? NULL : token,
	    mail_enabled() ? "user.link_sent" : "user.created", NULL));
}

/*
 * One user: details, roles, enable/disable, password link. token, when
 * set, is a fresh password link to show once.
 */
static int
user_page(struct web *w, long long id, int status, const char *token,
    const char *notice, const char *error)
{
	struct pg_result	*res;
	struct buf		 main, boxes, link, alert;
	char			 uid[32];
	int			 roles, active;

	(void)snprintf(uid, sizeof(uid), "%lld", id);
	res = db_query(&w->db, "SELECT u.name, u.email, o.name, u.active, "
	    "coalesce((SELECT string_agg(r.role, ',') FROM user_roles r WHERE "
	    "r.user_id = u.id), ''), u.demo FROM users u JOIN orgs o ON o.id "
	    "= u.org_id WHERE u.id = $1", 1, uid);
	if (res == NULL)
		return (web_db_error(w));
	if (db_rows(res) != 1) {
		db_clear(res);
		return (web_error(w, 404, "error.404.text"));
	}
	roles = 0;
	{
		char	*copy, *tok, *save;

		copy = xstrdup(db_value(res, 0, 4));
		for (tok = strtok_r(copy, ",", &save); tok != NULL;
		    tok = strtok_r(NULL, ",", &save))
			roles |= auth_role_from(tok);
		free(copy);
	}
	active = strcmp(db_value(res, 0, 3), "t") == 0;
	buf_init(&main, 4096);
	buf_init(&boxes, 1024);
	buf_init(&link, 512);
	buf_init(&alert, 256);
	role_boxes(w, &boxes, roles);
	if (token != NULL) {
		struct buf	url;

		buf_init(&url, 128);
		buf_printf(&url, "%s/password?token=%s", settings.base_url,
		    token);
		{
			struct tmpl_arg args[] = {
				T_TEXT("url", url.data),
			};

			(void)web_render(w, &link, "admin-link", args,
			    T_NARGS(args));
		}
		buf_free(&url);
	}
	if (notice != NULL || error != NULL) {
		struct tmpl_arg args[] = {
			T_TEXT("kind", error != NULL ? "danger" : "success"),
			T_TEXT("text", i18n_get(w->lang, error != NULL ?
			    error : notice)),
		};

		(void)web_render(w, &alert, "alert", args, T_NARGS(args));
	}
	{
		struct tmpl_arg args[] = {
			T_TEXT("id", uid),
			T_TEXT("name", db_value(res, 0, 0)),
			T_TEXT("email", db_value(res, 0, 1)),
			T_TEXT("org", db_value(res, 0, 2)),
			T_TEXT("state", i18n_get(w->lang, active ?
			    "user.active" : "user.disabled")),
			T_TEXT("toggle", active ? "disable" : "enable"),
			T_TEXT("toggle_label", i18n_get(w->lang, active ?
			    "user.disable" : "user.enable")),
			T_RAW("roles", boxes.data),
			T_RAW("link", link.data),
			T_RAW("alert", alert.data),
			T_TEXT("csrf", web_csrf(w)),
		};

		(void)web_render(w, &main, "admin-user", args,
		    T_NARGS(args));
	}
	db_clear(res);
	(void)web_page(w, status, i18n_get(w->lang, "admin.users"),
	    main.data);
	buf_free(&main);
	buf_free(&boxes);
	buf_free(&link);
	buf_free(&alert);
	return (KORE_RESULT_OK);
}

int
page_admin_user(struct http_request *req)
{
	struct pg_result	*res;
	struct web		 w;
	struct buf		 roles, err;
	const char		*action;
	char			 token[AUTH_TOKEN_LEN + 1], email[256];
	long long		 id;
	int			 rc;

	if (web_begin(&w, req) == -1)
		return (KORE_RESULT_OK);
	if (web_path_id(req, "/admin/users/", &id) == -1)
		return (web_error(&w, 400, "error.400.number"));
	if (web_db(&w) == -1)
		return (web_db_error(&w));
	if (req->method == HTTP_METHOD_GET)
		return (user_page(&w, id, 200, NULL, NULL, NULL));

	action = web_arg(&w, "action");
	if (action == NULL)
		return (user_page(&w, id, 400, NULL, NULL, "form.fix"));
	(void)snprintf(token, sizeof(token), "%lld", id);
	if ((res = db_query(&w.db, "SELECT email FROM users WHERE id = $1",
	    1, token)) == NULL)
		return (web_db_error(&w));
	if (db_rows(res) != 1) {
		db_clear(res);
		return (web_error(&w, 404, "error.404.text"));
	}
	xstrlcpy(email, db_value(res, 0, 0), sizeof(email));
	db_clear(res);

	/* Administrators cannot lock themselves out. */
	if (id == w.user->id && (strcmp(action, "disable") == 0 ||
	    (strcmp(action, "roles") == 0 &&
	    web_arg(&w, "role_admin") == NULL)))
		return (user_page(&w, id, 400, NULL, NULL, "user.err_self"));

	if (db_begin(&w.db) == -1)
		return (web_db_error(&w));
	buf_init(&roles, 64);
	buf_init(&err, 128);
	rc = 0;
	if (strcmp(action, "roles") == 0) {
		roles_from_form(&w, &roles);
		if (account_set_roles(&w.db, id, roles.data, &err) == -1) {
			db_rollback(&w.db);
			rc = user_page(&w, id, 400, NULL, NULL,
			    "user.err_roles");
			goto out;
		}
		if (audit_append(&w.db, w.user->email, "user.roles", email,
		    roles.data, w.ip) == -1 || db_commit(&w.db) == -1)
			goto dberr;
		rc = user_page(&w, id, 200, NULL, "user.saved", NULL);
	} else if (strcmp(action, "disable") == 0 ||
	    strcmp(action, "enable") == 0) {
		if (account_set_active(&w.db, id, action[0] == 'e') == -1 ||
		    audit_append(&w.db, w.user->email, action[0] == 'e' ?
		    "user.enable" : "user.disable", email, "", w.ip) == -1 ||
		    db_commit(&w.db) == -1)
			goto dberr;
		rc = user_page(&w, id, 200, NULL, "user.saved", NULL);
	} else if (strcmp(action, "reset") == 0) {
		if ((mail_enabled() ? mail_queue_id(&w.db, id, "password",
		    "") : account_password_link(&w.db, id, 72, token)) == -1 ||
		    audit_append(&w.db, w.user->email, "password.reset", email,
		    mail_enabled() ? "link sent" : "link issued", w.ip) == -1 ||
		    db_commit(&w.db) == -1)
			goto dberr;
		rc = user_page(&w, id, 200, mail_enabled() ? NULL : token,
		    mail_enabled() ? "user.link_sent" : "user.link_issued",
		    NULL);
	} else {
		db_rollback(&w.db);
		rc = user_page(&w, id, 400, NULL, NULL, "form.fix");
	}
out:
	buf_free(&roles);
	buf_free(&err);
	return (rc);
dberr:
	buf_free(&roles);
	buf_free(&err);
	return (web_db_error(&w));
}

static int
import_page(struct web *w, int status, const char *errors,
    const char *notice)
{
	struct buf	main, alert;

	buf_init(&main, 2048);
	buf_init(&alert, 512);
	if (notice != NULL) {
		struct tmpl_arg args[] = {
			T_TEXT("kind", "success"),
			T_TEXT("text", notice),
		};

		(void)web_render(w, &alert, "alert", args, T_NARGS(args));
	}
	{
		struct tmpl_arg args[] = {
			T_RAW("alert", alert.data),
			T_RAW("errors", errors != NULL ? errors : ""),
			T_TEXT("csrf", web_csrf(w)),
		};

		(void)web_render(w, &main, "admin-import", args,
		    T_NARGS(args));
	}
	(void)web_page(w, status, i18n_get(w->lang, "admin.import"),
	    main.data);
	buf_free(&main);
	buf_free(&alert);
	return (KORE_RESULT_OK);
}

int
page_admin_import(struct http_request *req)
{
	struct http_file	*file;
	struct diaglist		 dl;
	struct diag		*d;
	struct web		 w;
	struct buf		 csv, errs, msg;
	char			 chunk[8192];
	ssize_t			 r;
	int			 n, rc;

	n = 0;

	if (web_begin(&w, req) == -1)
		return (KORE_RESULT_OK);
	if (req->method == HTTP_METHOD_GET)
		return (import_page(&w, 200, NULL, NULL));
	if (web_db(&w) == -1)
		return (web_db_error(&w));

	diag_init(&dl);
	buf_init(&csv, 4096);
	buf_init(&errs, 1024);
	buf_init(&msg, 128);
	if ((file = http_file_lookup(req, "csv")) == NULL) {
		diag_add(&dl, NULL, 0, "%s", i18n_get(w.lang,
		    "import.no_file"));
	} else {
		for (;;) {
			if ((r = http_file_read(file, chunk,
			    sizeof(chunk))) <= 0)
				break;
			buf_append(&csv, chunk, (size_t)r);
			if (csv.len > IMPORT_MAX)
				break;
		}
		if (csv.len > IMPORT_MAX)
			diag_add(&dl, NULL, 0, "%s", i18n_get(w.lang,
			    "import.too_large"));
		else
			(void)account_import_csv(&w.db, csv.data, csv.len,
			    w.user->email, w.ip, &n, NULL, &dl);
	}
	if (diag_count(&dl) > 0) {
		struct buf	wrap;

		TAILQ_FOREACH(d, &dl, entry) {
			struct tmpl_arg args[] = {
				T_TEXT("text", d->msg),
			};

			(void)web_render(&w, &errs, "li", args,
			    T_NARGS(args));
		}
		buf_init(&wrap, errs.len + 256);
		{
			struct tmpl_arg args[] = {
				T_RAW("items", errs.data),
			};

			(void)web_render(&w, &wrap, "import-errors", args,
			    T_NARGS(args));
		}
		rc = import_page(&w, 400, wrap.data, NULL);
		buf_free(&wrap);
	} else {
		buf_printf(&msg, "%s %d. %s", i18n_get(w.lang, "import.done"), n,
		    i18n_get(w.lang, mail_enabled() ? "import.mailed" :
		    "import.no_relay"));
		rc = import_page(&w, 200, NULL, msg.data);
	}
	diag_free(&dl);
	buf_free(&errs);
	buf_free(&msg);
	buf_free(&csv);
	return (rc);
}

static int
orgs_page(struct web *w, int status, const char *error, const char *notice)
{
	struct pg_result	*res;
	struct buf		 main, rows, opts, alert;
	char			 key[32];
	int			 i, n;

	res = db_query(&w->db, "SELECT o.code, o.name, o.kind, (SELECT "
	    "count(*) FROM users u WHERE u.org_id = o.id), o.demo FROM orgs o "
	    "ORDER BY org_order(o.path)", 0);
	if (res == NULL)
		return (web_db_error(w));
	buf_init(&main, 8192);
	buf_init(&rows, 8192);
	buf_init(&opts, 4096);
	buf_init(&alert, 256);
	n = db_rows(res);
	for (i = 0; i < n; i++) {
		(void)snprintf(key, sizeof(key), "org.%s",
		    db_value(res, i, 2));
		{
			struct tmpl_arg args[] = {
				T_TEXT("code", db_value(res, i, 0)),
				T_TEXT("name", db_value(res, i, 1)),
				T_TEXT("kind", i18n_get(w->lang, key)),
				T_TEXT("depth", db_value(res, i, 2)),
				T_TEXT("users", db_value(res, i, 3)),
			};

			(void)web_render(w, &rows, "admin-org-row", args,
			    T_NARGS(args));
		}
	}
	db_clear(res);
	org_options(w, &opts, NULL);
	if (error != NULL || notice != NULL) {
		struct tmpl_arg args[] = {
			T_TEXT("kind", error != NULL ? "danger" : "success"),
			T_TEXT("text", error != NULL ? error : notice),
		};

		(void)web_render(w, &alert, "alert", args, T_NARGS(args));
	}
	{
		struct tmpl_arg args[] = {
			T_RAW("rows", rows.data),
			T_RAW("orgs", opts.data),
			T_RAW("alert", alert.data),
			T_TEXT("csrf", web_csrf(w)),
		};

		(void)web_render(w, &main, "admin-orgs", args,
		    T_NARGS(args));
	}
	(void)web_page(w, status, i18n_get(w->lang, "admin.orgs"),
	    main.data);
	buf_free(&main);
	buf_free(&rows);
	buf_free(&opts);
	buf_free(&alert);
	return (KORE_RESULT_OK);
}

int
page_admin_orgs(struct http_request *req)
{
	struct web	 w;
	struct buf	 err;
	const char	*action, *parent, *code, *name;
	long long	 id;
	int		 rc;

	if (web_begin(&w, req) == -1)
		return (KORE_RESULT_OK);
	if (web_db(&w) == -1)
		return (web_db_error(&w));
	if (req->method == HTTP_METHOD_GET)
		return (orgs_page(&w, 200, NULL, NULL));

	action = web_arg(&w, "action");
	parent = web_arg(&w, "parent");
	code = web_arg(&w, "code");
	name = web_arg(&w, "name");
	if (action == NULL || code == NULL || name == NULL)
		return (orgs_page(&w, 400, i18n_get(w.lang, "org.err_fields"),
		    NULL));
	buf_init(&err, 128);
	if (db_begin(&w.db) == -1) {
		buf_free(&err);
		return (web_db_error(&w));
	}
	if (strcmp(action, "add") == 0) {
		if (org_create(&w.db, parent != NULL && *parent != '\0' ?
		    parent : NULL, code, name, 0, &id, &err) == -1) {
			db_rollback(&w.db);
			rc = orgs_page(&w, 400, err.data, NULL);
			buf_free(&err);
			return (rc);
		}
	} else {
		struct pg_result	*res;

		res = db_query(&w.db, "UPDATE orgs SET name = $2 WHERE code "
		    "= $1 RETURNING id", 2, code, name);
		if (res == NULL || db_rows(res) != 1 || *name == '\0' ||
		    utf8_strlen(name) > 200) {
			if (res != NULL)
				db_clear(res);
			db_rollback(&w.db);
			buf_free(&err);
			return (orgs_page(&w, 400, i18n_get(w.lang,
			    "org.err_fields"), NULL));
		}
		db_clear(res);
	}
	if (audit_append(&w.db, w.user->email, strcmp(action, "add") == 0 ?
	    "org.create" : "org.rename", code, name, w.ip) == -1 ||
	    db_commit(&w.db) == -1) {
		buf_free(&err);
		return (web_db_error(&w));
	}
	buf_free(&err);
	return (orgs_page(&w, 200, NULL, i18n_get(w.lang, "user.saved")));
}

int
page_admin_audit(struct http_request *req)
{
	struct pg_result	*res;
	struct diaglist		 dl;
	struct web		 w;
	struct buf		 main, rows;
	char			 key[96];
	long long		 nrows;
	int			 i, n, intact;

	if (web_begin(&w, req) == -1)
		return (KORE_RESULT_OK);
	if (web_db(&w) == -1)
		return (web_db_error(&w));
	diag_init(&dl);
	intact = audit_verify(&w.db, &nrows, &dl) == 0;
	diag_free(&dl);
	res = db_query(&w.db, "SELECT id, at, actor, event, subject, details, "
	    "ip FROM audit_log ORDER BY id DESC LIMIT 200", 0);
	if (res == NULL)
		return (web_db_error(&w));
	buf_init(&main, 16384);
	buf_init(&rows, 16384);
	n = db_rows(res);
	for (i = 0; i < n; i++) {
		const char	*event;

		/* The event in words; its code when it has none. */
		(void)snprintf(key, sizeof(key), "audit.ev.%s",
		    db_value(res, i, 3));
		if (strcmp((event = i18n_get(w.lang, key)), key) == 0)
			event = db_value(res, i, 3);
		{
			struct tmpl_arg args[] = {
				T_TEXT("id", db_value(res, i, 0)),
				T_TEXT("at", web_datetime(&w, db_value(res, i,
				    1))),
				T_TEXT("actor", db_value(res, i, 2)),
				T_TEXT("event", event),
				T_TEXT("subject", db_value(res, i, 4)),
				T_TEXT("details", db_value(res, i, 5)),
				T_TEXT("ip", db_value(res, i, 6)),
			};

			(void)web_render(&w, &rows, "admin-audit-row", args,
			    T_NARGS(args));
		}
	}
	db_clear(res);
	{
		struct tmpl_arg args[] = {
			T_TEXT("kind", intact ? "success" : "danger"),
			T_TEXT("state", i18n_get(w.lang, intact ?
			    "audit.intact" : "audit.tampered")),
			T_RAW("rows", rows.data),
		};

		(void)web_render(&w, &main, "admin-audit", args,
		    T_NARGS(args));
	}
	(void)web_page(&w, 200, i18n_get(w.lang, "admin.audit"), main.data);
	buf_free(&main);
	buf_free(&rows);
	return (KORE_RESULT_OK);
}
