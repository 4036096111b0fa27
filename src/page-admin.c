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

static int	org_options(struct web *, struct buf *, const char *,
		    struct fail *);
static void	role_boxes(struct web *, struct buf *, int);
static void	admin_form(struct web *, struct admin_act *, char *);
static int	roles_mask(const char *);
static void	user_link(struct web *, struct buf *, const char *);
static void	admin_show(struct web *, int, const char *, const char *,
		    const char *, const char *, const struct tmpl_arg *,
		    size_t);
static int	users_page(struct web *, int, const char *,
		    const struct account_new *, const char *);
static int	user_page(struct web *, long long, int, const char *,
		    const char *, const char *);
static int	import_page(struct web *, int, const char *, const char *);
static int	orgs_page(struct web *, int, const char *, const char *);

/* <option>s for every organisation, indented by depth. */
static int
org_options(struct web *w, struct buf *out, const char *selected,
    struct fail *f)
{
	struct org_list	 l;
	struct buf	 label;
	size_t		 i;
	int		 depth;

	if (org_list(&w->db, 1, &l, f) == -1)
		return (-1);
	buf_init(&label, 128);
	for (i = 0; i < l.n; i++) {
		depth = strcmp(l.v[i].kind, "region") == 0 ||
		    strcmp(l.v[i].kind, "partner") == 0 ? 0 :
		    strcmp(l.v[i].kind, "agency") == 0 ? 1 : 2;
		buf_reset(&label);
		while (depth-- > 0)
			buf_puts(&label, "\xe2\x80\x94 ");
		buf_puts(&label, l.v[i].name);
		(void)web_option(w, out, l.v[i].code, label.data,
		    selected != NULL && strcmp(selected, l.v[i].code) == 0);
	}
	buf_free(&label);
	rows_release(l.res, l.v);
	return (0);
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

/* Role codes as the database lists them ("admin,hr") as a mask. */
static int
roles_mask(const char *codes)
{
	char	*copy, *tok, *save;
	int	 roles = 0;

	copy = xstrdup(codes);
	for (tok = strtok_r(copy, ",", &save); tok != NULL;
	    tok = strtok_r(NULL, ",", &save))
		roles |= auth_role_from(tok);
	free(copy);
	return (roles);
}

/* Room for every role's name and a ';' after each. */
#define ROLES_TEXT	(ROLE_COUNT * 16)

/*
 * An administrator's form: who acts (by) and the checked role boxes as
 * "learner;hr" (roles, ROLES_TEXT bytes).
 */
static void
admin_form(struct web *w, struct admin_act *by, char *roles)
{
	size_t	len;
	int	i;

	by->actor = w->user->email;
	by->ip = w->ip;
	roles[0] = '\0';
	for (i = 0; i < ROLE_COUNT; i++) {
		if (web_arg(w, role_fields[i]) == NULL)
			continue;
		len = strlen(roles);
		(void)snprintf(roles + len, ROLES_TEXT - len, "%s%s",
		    len > 0 ? ";" : "", auth_role_name(1 << i));
	}
}

int
page_admin(struct http_request *req)
{
	struct admin_counts	 c;
	struct fail		 f;
	struct web		 w;
	char			 users[32], active[32], orgs[32];

	if (web_begin(&w, req) == -1)
		return (KORE_RESULT_OK);
	if (admin_counts(&w.db, &c, &f) == -1) {
		(void)web_fail(&w, &f);
		goto out;
	}
	(void)snprintf(users, sizeof(users), "%lld", c.users);
	(void)snprintf(active, sizeof(active), "%lld", c.active);
	(void)snprintf(orgs, sizeof(orgs), "%lld", c.orgs);
	{
		struct tmpl_arg args[] = {
			T_TEXT("users", users),
			T_TEXT("active", active),
			T_TEXT("orgs", orgs),
			T_TEXT("audit", c.audit),
		};

		(void)web_show(&w, 200, "admin.title", "admin", args,
		    T_NARGS(args));
	}
out:
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
	struct people	 p;
	struct fail	 f;
	struct buf	 rows, fields, orgs, boxes;
	const char	*name_err, *email_err, *org_err, *roles_err;

	buf_init(&rows, 8192);
	buf_init(&fields, 2048);
	buf_init(&orgs, 4096);
	buf_init(&boxes, 1024);
	if (account_list(&w->db, q != NULL ? q : "", &p, &f) == -1 ||
	    org_options(w, &orgs, form != NULL ? form->org_code : NULL,
	    &f) == -1) {
		(void)web_fail(w, &f);
		goto out;
	}
	hr_people_rows(w, &rows, &p, "admin-user-row", 1);
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
	}
	web_field(w, &fields, "text", "name", "user.name",
	    form != NULL ? form->name : "", name_err,
	    " autocomplete=\"off\" required");
	web_field(w, &fields, "email", "email", "user.email",
	    form != NULL ? form->email : "", email_err,
	    " autocomplete=\"off\" required");
	role_boxes(w, &boxes, ROLE_LEARNER);
	{
		struct tmpl_arg args[] = {
			T_TEXT("q", q != NULL ? q : ""),
			T_RAW("rows", rows.data),
			T_RAW("fields", fields.data),
			T_RAW("orgs", orgs.data),
			T_TEXT("org_error", org_err != NULL ?
			    i18n_get(w->lang, org_err) : ""),
			T_TEXT("roles_error", roles_err != NULL ?
			    i18n_get(w->lang, roles_err) : ""),
			T_RAW("roles", boxes.data),
		};

		admin_show(w, status, "admin-users", "admin.users",
		    error != NULL ? i18n_get(w->lang, "form.fix") : NULL,
		    NULL, args, T_NARGS(args));
	}
out:
	people_free(&p);
	buf_free(&rows);
	buf_free(&fields);
	buf_free(&orgs);
	buf_free(&boxes);
	return (KORE_RESULT_OK);
}

int
page_admin_users(struct http_request *req)
{
	struct account_new	 a;
	struct admin_act	 by;
	struct fail		 f;
	struct web		 w;
	char			 roles[ROLES_TEXT], token[AUTH_TOKEN_LEN + 1];
	long long		 id;

	if (web_begin(&w, req) == -1)
		return (KORE_RESULT_OK);
	if (web_db(&w) == -1) {
		(void)db_fail(&w.db, &f);
		return (web_fail(&w, &f));
	}
	if (req->method == HTTP_METHOD_GET)
		return (users_page(&w, 200, web_arg(&w, "q"), NULL, NULL));
	memset(&a, 0, sizeof(a));
	admin_form(&w, &by, roles);
	a.name = web_arg(&w, "name");
	a.email = web_arg(&w, "email");
	a.org_code = web_arg(&w, "org");
	a.roles = roles;
	if (a.name == NULL || *a.name == '\0')
		(void)fail_set(&f, FAIL_INPUT, "user.err_name", NULL);
	else if (a.email == NULL || *a.email == '\0')
		(void)fail_set(&f, FAIL_INPUT, "user.err_email", NULL);
	else if (a.org_code == NULL)
		(void)fail_set(&f, FAIL_INPUT, "user.err_org", NULL);
	/* With a relay the link goes by email; without, it is shown. */
	else if (account_add(&w.db, &a, &by, &id, token, &f) == 0)
		return (user_page(&w, id, 201, mail_enabled() ? NULL : token,
		    mail_enabled() ? "user.link_sent" : "user.created", NULL));
	if (f.kind == FAIL_INPUT)
		return (users_page(&w, 400, NULL, &a, f.key));
	return (web_fail(&w, &f));
}

/*
 * The template tmpl filled with args, sent as the page titled key. Every
 * admin form also gets its CSRF token and, in the hole alert, a danger
 * alert for error or else a success alert for notice (either may be NULL).
 */
static void
admin_show(struct web *w, int status, const char *tmpl, const char *key,
    const char *error, const char *notice, const struct tmpl_arg *args,
    size_t nargs)
{
	struct tmpl_arg	 all[32];
	struct buf	 alert;
	size_t		 i;

	buf_init(&alert, 256);
	if (error != NULL || notice != NULL) {
		struct tmpl_arg a[] = {
			T_TEXT("kind", error != NULL ? "danger" : "success"),
			T_TEXT("text", error != NULL ? error : notice),
		};

		(void)web_render(w, &alert, "alert", a, T_NARGS(a));
	}
	if (nargs > T_NARGS(all) - 2)
		fatal("admin_show: %zu template arguments", nargs);
	for (i = 0; i < nargs; i++)
		all[i] = args[i];
	all[i].key = "alert";
	all[i].val = alert.data;
	all[i++].raw = 1;
	all[i].key = "csrf";
	all[i].val = web_csrf(w);
	all[i++].raw = 0;
	(void)web_show(w, status, key, tmpl, all, i);
	buf_free(&alert);
}

/* A fresh password link to show once, in the template admin-link. */
static void
user_link(struct web *w, struct buf *out, const char *token)
{
	struct buf	url;

	buf_init(&url, 128);
	buf_printf(&url, "%s/password?token=%s", settings.base_url, token);
	{
		struct tmpl_arg args[] = {
			T_TEXT("url", url.data),
		};

		(void)web_render(w, out, "admin-link", args, T_NARGS(args));
	}
	buf_free(&url);
}

/*
 * One user: details, roles, enable/disable, password link. token, when
 * set, is a fresh password link to show once.
 */
static int
user_page(struct web *w, long long id, int status, const char *token,
    const char *notice, const char *error)
{
	struct people	 p;
	struct fail	 f;
	struct buf	 boxes, link;
	char		 uid[32];
	int		 active;

	buf_init(&boxes, 1024);
	buf_init(&link, 512);
	if (account_get(&w->db, id, &p, &f) == -1) {
		(void)web_fail(w, &f);
		goto out;
	}
	(void)snprintf(uid, sizeof(uid), "%lld", id);
	active = p.v[0].active;
	role_boxes(w, &boxes, roles_mask(p.v[0].roles));
	if (token != NULL)
		user_link(w, &link, token);
	{
		struct tmpl_arg args[] = {
			T_TEXT("id", uid),
			T_TEXT("name", p.v[0].name),
			T_TEXT("email", p.v[0].email),
			T_TEXT("org", p.v[0].org),
			T_TEXT("state", i18n_get(w->lang, active ?
			    "user.active" : "user.disabled")),
			T_TEXT("toggle", active ? "disable" : "enable"),
			T_TEXT("toggle_label", i18n_get(w->lang, active ?
			    "user.disable" : "user.enable")),
			T_RAW("roles", boxes.data),
			T_RAW("link", link.data),
		};

		admin_show(w, status, "admin-user", "admin.users",
		    error != NULL ? i18n_get(w->lang, error) : NULL,
		    notice != NULL ? i18n_get(w->lang, notice) : NULL,
		    args, T_NARGS(args));
	}
out:
	people_free(&p);
	buf_free(&boxes);
	buf_free(&link);
	return (KORE_RESULT_OK);
}

int
page_admin_user(struct http_request *req)
{
	struct admin_act	 by;
	struct fail		 f;
	struct web		 w;
	const char		*action;
	char			 roles[ROLES_TEXT], token[AUTH_TOKEN_LEN + 1];
	long long		 id;

	if (web_begin(&w, req) == -1)
		return (KORE_RESULT_OK);
	if (web_path_id(req, "/admin/users/", &id) == -1) {
		(void)fail_set(&f, FAIL_INPUT, "error.400.number", NULL);
		return (web_fail(&w, &f));
	}
	if (web_db(&w) == -1) {
		(void)db_fail(&w.db, &f);
		return (web_fail(&w, &f));
	}
	action = web_arg(&w, "action");
	if (req->method == HTTP_METHOD_GET)
		return (user_page(&w, id, 200, NULL, NULL, NULL));
	if (action == NULL)
		return (user_page(&w, id, 400, NULL, NULL, "form.fix"));
	/* Administrators cannot lock themselves out. */
	if (id == w.user->id && (strcmp(action, "disable") == 0 ||
	    (strcmp(action, "roles") == 0 &&
	    web_arg(&w, "role_admin") == NULL)))
		return (user_page(&w, id, 400, NULL, NULL, "user.err_self"));
	admin_form(&w, &by, roles);
	if (account_change(&w.db, id, action, roles, &by, token, &f) == 0)
		return (user_page(&w, id, 200, token[0] != '\0' ? token :
		    NULL, strcmp(action, "reset") != 0 ? "user.saved" :
		    mail_enabled() ? "user.link_sent" : "user.link_issued",
		    NULL));
	if (f.kind == FAIL_INPUT)
		return (user_page(&w, id, 400, NULL, NULL, f.key));
	return (web_fail(&w, &f));
}

static int
import_page(struct web *w, int status, const char *errors,
    const char *notice)
{
	{
		struct tmpl_arg args[] = {
			T_RAW("errors", errors != NULL ? errors : ""),
		};

		admin_show(w, status, "admin-import", "admin.import", NULL,
		    notice, args, T_NARGS(args));
	}
	return (KORE_RESULT_OK);
}

int
page_admin_import(struct http_request *req)
{
	struct http_file	*file;
	struct diaglist		 dl;
	struct diag		*d;
	struct fail		 f;
	struct web		 w;
	struct buf		 csv, errs, msg;
	char			 chunk[8192];
	ssize_t			 r;
	int			 n, rc;

	n = 0;
	fail_clear(&f);

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
			    w.user->email, w.ip, &n, NULL, &dl, &f);
	}
	if (f.kind == FAIL_UNAVAILABLE)
		rc = web_fail(&w, &f);
	else if (diag_count(&dl) > 0) {
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
	struct org_list	 l;
	struct fail	 f;
	struct buf	 rows, opts;
	char		 key[32], users[32];
	size_t		 i;

	buf_init(&rows, 8192);
	buf_init(&opts, 4096);
	if (org_list(&w->db, 0, &l, &f) == -1 ||
	    org_options(w, &opts, NULL, &f) == -1) {
		(void)web_fail(w, &f);
		goto out;
	}
	for (i = 0; i < l.n; i++) {
		(void)snprintf(key, sizeof(key), "org.%s", l.v[i].kind);
		(void)snprintf(users, sizeof(users), "%lld", l.v[i].users);
		{
			struct tmpl_arg args[] = {
				T_TEXT("code", l.v[i].code),
				T_TEXT("name", l.v[i].name),
				T_TEXT("kind", i18n_get(w->lang, key)),
				T_TEXT("depth", l.v[i].kind),
				T_TEXT("users", users),
			};

			(void)web_render(w, &rows, "admin-org-row", args,
			    T_NARGS(args));
		}
	}
	{
		struct tmpl_arg args[] = {
			T_RAW("rows", rows.data),
			T_RAW("orgs", opts.data),
		};

		admin_show(w, status, "admin-orgs", "admin.orgs", error,
		    notice, args, T_NARGS(args));
	}
out:
	rows_release(l.res, l.v);
	buf_free(&rows);
	buf_free(&opts);
	return (KORE_RESULT_OK);
}

int
page_admin_orgs(struct http_request *req)
{
	struct admin_act	 by;
	struct fail		 f;
	struct web		 w;
	struct buf		 err;
	const char		*action, *parent, *code, *name;

	if (web_begin(&w, req) == -1)
		return (KORE_RESULT_OK);
	buf_init(&err, 128);
	if (web_db(&w) == -1) {
		(void)db_fail(&w.db, &f);
		(void)web_fail(&w, &f);
		goto out;
	}
	if (req->method == HTTP_METHOD_GET) {
		(void)orgs_page(&w, 200, NULL, NULL);
		goto out;
	}
	action = web_arg(&w, "action");
	parent = web_arg(&w, "parent");
	code = web_arg(&w, "code");
	name = web_arg(&w, "name");
	by.actor = w.user->email;
	by.ip = w.ip;
	if (action == NULL || code == NULL || name == NULL)
		(void)fail_set(&f, FAIL_INPUT, "org.err_fields", NULL);
	else if (org_save(&w.db, strcmp(action, "add") == 0,
	    parent != NULL && *parent != '\0' ? parent : NULL, code, name,
	    &by, &err, &f) == 0) {
		(void)orgs_page(&w, 200, NULL, i18n_get(w.lang, "user.saved"));
		goto out;
	}
	if (f.kind == FAIL_INPUT)
		(void)orgs_page(&w, 400, err.len > 0 ? err.data :
		    i18n_get(w.lang, f.key), NULL);
	else
		(void)web_fail(&w, &f);
out:
	buf_free(&err);
	return (KORE_RESULT_OK);
}

int
page_admin_audit(struct http_request *req)
{
	struct audit_rows	 l;
	struct diaglist		 dl;
	struct fail		 f;
	struct web		 w;
	struct buf		 rows;
	const char		*event;
	char			 key[96];
	long long		 nrows;
	size_t			 i;
	int			 intact;

	if (web_begin(&w, req) == -1)
		return (KORE_RESULT_OK);
	memset(&l, 0, sizeof(l));
	buf_init(&rows, 16384);
	if (web_db(&w) == -1) {
		(void)db_fail(&w.db, &f);
		goto fail;
	}
	diag_init(&dl);
	fail_clear(&f);
	intact = audit_verify(&w.db, &nrows, &dl, &f) == 0 &&
	    diag_count(&dl) == 0;
	diag_free(&dl);
	if (f.kind != FAIL_NONE || audit_list(&w.db, 200, &l, &f) == -1)
		goto fail;
	for (i = 0; i < l.n; i++) {
		/* The event in words; its code when it has none. */
		(void)snprintf(key, sizeof(key), "audit.ev.%s", l.v[i].event);
		if (strcmp((event = i18n_get(w.lang, key)), key) == 0)
			event = l.v[i].event;
		{
			struct tmpl_arg args[] = {
				T_TEXT("id", l.v[i].id),
				T_TEXT("at", web_datetime(&w, l.v[i].at)),
				T_TEXT("actor", l.v[i].actor),
				T_TEXT("event", event),
				T_TEXT("subject", l.v[i].subject),
				T_TEXT("details", l.v[i].details),
				T_TEXT("ip", l.v[i].ip),
			};

			(void)web_render(&w, &rows, "admin-audit-row", args,
			    T_NARGS(args));
		}
	}
	{
		struct tmpl_arg args[] = {
			T_TEXT("kind", intact ? "success" : "danger"),
			T_TEXT("state", i18n_get(w.lang, intact ?
			    "audit.intact" : "audit.tampered")),
			T_RAW("rows", rows.data),
		};

		(void)web_show(&w, 200, "admin.audit", "admin-audit", args,
		    T_NARGS(args));
	}
	goto out;
fail:
	(void)web_fail(&w, &f);
out:
	rows_release(l.res, l.v);
	buf_free(&rows);
	return (KORE_RESULT_OK);
}
