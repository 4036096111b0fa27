/*
 * page-roles.c: role profiles (the level a job role requires in each
 * competence) and who holds them.
 *
 * The programme-wide profiles come from courses/roles.csv and are read
 * only here; an HR office may define the profiles of its own unit, and
 * assign any profile it can see to the people of its subtree, one by
 * one or by CSV (email,role).
 */

#include <stdlib.h>
#include <string.h>

#include "web.h"

#define ROLES_IMPORT_MAX	(2 * 1024 * 1024)

static int	roles_page(struct web *, int, const char *,
		    struct diaglist *, const char *);
static int	role_visible(struct web *, const char *, char *, size_t,
		    int *);
static void	diag_items(struct web *, struct buf *, struct diaglist *,
		    const char *);
static struct roles *parse_requirements(const char *, const char *,
		    const char *, struct diaglist *);

/* Is the role visible to this HR user? id gets its id; *own whether the
 * HR office may change it. 1 yes, 0 no, -1 database error. */
static int
role_visible(struct web *w, const char *code, char *id, size_t idlen,
    int *own)
{
	struct pg_result	*res;
	int			 n;

	res = db_query(&w->db, "SELECT j.id, j.owner_org_id IS NOT NULL AND "
	    "o.path LIKE $2 || '%' FROM job_roles j LEFT JOIN orgs o ON o.id "
	    "= j.owner_org_id WHERE j.code = $1 AND (j.owner_org_id IS NULL "
	    "OR o.path LIKE $2 || '%' OR $2 LIKE o.path || '%')", 2, code,
	    web_scope(w, ROLE_HR));
	if (res == NULL)
		return (-1);
	if ((n = db_rows(res)) == 1) {
		xstrlcpy(id, db_value(res, 0, 0), idlen);
		if (own != NULL)
			*own = *db_value(res, 0, 1) == 't';
	}
	db_clear(res);
	return (n == 1);
}

static void
diag_items(struct web *w, struct buf *out, struct diaglist *dl,
    const char *title)
{
	struct diag	*d;
	struct buf	 items, text;

	buf_init(&items, 512);
	buf_init(&text, 128);
	TAILQ_FOREACH(d, dl, entry) {
		buf_reset(&text);
		if (d->line > 0)
			buf_printf(&text, "%s %d: %s", i18n_get(w->lang,
			    "common.line"), d->line, d->msg);
		else
			buf_puts(&text, d->msg);
		{
			struct tmpl_arg args[] = {
				T_TEXT("text", text.data),
			};

			(void)web_render(w, &items, "li", args,
			    T_NARGS(args));
		}
	}
	{
		struct tmpl_arg args[] = {
			T_TEXT("title", i18n_get(w->lang, title)),
			T_RAW("items", items.data),
		};

		(void)web_render(w, out, "form-errors", args,
		    T_NARGS(args));
	}
	buf_free(&items);
	buf_free(&text);
}

static int
roles_page(struct web *w, int status, const char *field,
    struct diaglist *dl, const char *notice)
{
	struct pg_result	*res;
	struct buf		 main, rows, errs, alert, reqs, req_err;
	const char		*code, *v;
	char			 id[32];
	int			 i, n, own, vis;

	buf_init(&main, 8192);
	buf_init(&rows, 4096);
	buf_init(&errs, 512);
	buf_init(&alert, 256);
	buf_init(&reqs, 1024);
	buf_init(&req_err, 512);
	res = db_query(&w->db, "SELECT j.code, j.name, coalesce(o.name, ''), "
	    "(SELECT string_agg(r.competence || ' ' || lv.name, ', ' ORDER BY "
	    "c.position) FROM job_role_requirements r JOIN competences c ON "
	    "c.code = r.competence JOIN levels lv ON lv.framework_id = "
	    "c.framework_id AND lv.rank = r.rank WHERE r.role_id = j.id), "
	    "(SELECT count(*) FROM user_job_roles uj JOIN users u ON u.id = "
	    "uj.user_id JOIN orgs uo ON uo.id = u.org_id WHERE uj.role_id = "
	    "j.id AND uo.path LIKE $1 || '%') FROM job_roles j LEFT JOIN orgs "
	    "o ON o.id = j.owner_org_id WHERE j.owner_org_id IS NULL OR "
	    "o.path LIKE $1 || '%' OR $1 LIKE o.path || '%' ORDER BY "
	    "j.owner_org_id NULLS FIRST, j.name", 1, web_scope(w, ROLE_HR));
	if (res == NULL)
		goto fail;
	n = db_rows(res);
	for (i = 0; i < n; i++) {
		struct tmpl_arg args[] = {
			T_TEXT("code", db_value(res, i, 0)),
			T_TEXT("name", db_value(res, i, 1)),
			T_TEXT("owner", *db_value(res, i, 2) != '\0' ?
			    db_value(res, i, 2) : i18n_get(w->lang,
			    "roles.programme")),
			T_TEXT("reqs", db_value(res, i, 3)),
			T_TEXT("people", db_value(res, i, 4)),
		};

		(void)web_render(w, &rows, "role-row", args, T_NARGS(args));
	}
	db_clear(res);

	/* The editor: a role to change (?code=) or a new one. */
	code = web_arg(w, "code");
	if (status == 200 && code != NULL && *code != '\0') {
		if ((vis = role_visible(w, code, id, sizeof(id), &own)) == -1)
			goto fail;
		if (vis == 1) {
			res = db_query(&w->db, "SELECT r.competence || ' ' || "
			    "lv.name FROM job_role_requirements r JOIN "
			    "competences c ON c.code = r.competence JOIN "
			    "levels lv ON lv.framework_id = c.framework_id AND "
			    "lv.rank "
			    "= r.rank WHERE r.role_id = $1 ORDER BY c.position",
			    1, id);
			if (res == NULL)
				goto fail;
			n = db_rows(res);
			for (i = 0; i < n; i++)
				buf_printf(&reqs, "%s\n", db_value(res, i, 0));
			db_clear(res);
		}
	} else if ((v = web_arg(w, "requirements")) != NULL)
		buf_puts(&reqs, v);
	if (dl != NULL && diag_count(dl) > 0) {
		if (field != NULL && strcmp(field, "requirements") == 0)
			diag_items(w, &req_err, dl, "roles.err_title");
		else if (field != NULL && strcmp(field, "import") == 0)
			diag_items(w, &errs, dl, "roles.import_failed");
		else
			diag_items(w, &errs, dl, "roles.err_title");
	}
	if (notice != NULL) {
		struct tmpl_arg args[] = {
			T_TEXT("kind", "success"),
			T_TEXT("text", i18n_get(w->lang, notice)),
		};

		(void)web_render(w, &alert, "alert", args, T_NARGS(args));
	}
	{
		const char	*name = web_arg(w, "name");
		struct tmpl_arg args[] = {
			T_TEXT("csrf", web_csrf(w)),
			T_RAW("alert", alert.data),
			T_RAW("errors", errs.data),
			T_RAW("rows", rows.data),
			T_TEXT("code", code != NULL ? code : ""),
			T_TEXT("name", name != NULL ? name : ""),
			T_TEXT("requirements", reqs.data),
			T_RAW("req_errors", req_err.data),
			T_RAW("req_invalid", req_err.len > 0 ?
			    " is-invalid" : ""),
		};

		(void)web_render(w, &main, "roles", args, T_NARGS(args));
	}
	(void)web_page(w, status, i18n_get(w->lang, "roles.title"),
	    main.data);
	buf_free(&main);
	buf_free(&rows);
	buf_free(&errs);
	buf_free(&alert);
	buf_free(&reqs);
	buf_free(&req_err);
	return (KORE_RESULT_OK);
fail:
	buf_free(&main);
	buf_free(&rows);
	buf_free(&errs);
	buf_free(&alert);
	buf_free(&reqs);
	buf_free(&req_err);
	return (web_db_error(w));
}

/*
 * "CODE level" per line (blank lines and spaces ignored; ',' ';' ':'
 * also separate) into a one-role set for store_roles().
 */
static struct roles *
parse_requirements(const char *code, const char *name, const char *text,
    struct diaglist *dl)
{
	struct roles	*rs;
	struct job_role	*r;
	struct role_req	*q;
	char		*copy, *line, *next, *comp, *level, *end;
	size_t		 i;
	int		 lineno, errors;

	rs = xcalloc(1, sizeof(*rs));
	rs->path = xstrdup("");
	rs->roles = xcalloc(1, sizeof(*rs->roles));
	rs->nroles = 1;
	r = &rs->roles[0];
	r->code = xstrdup(code);
	r->name = xstrdup(name);
	r->line = 0;
	errors = 0;
	copy = xstrdup(text);
	lineno = 0;
	for (line = copy; line != NULL; line = next) {
		lineno++;
		if ((next = strchr(line, '\n')) != NULL)
			*next++ = '\0';
		for (end = line; *end != '\0'; end++) {
			if (*end == ',' || *end == ';' || *end == ':' ||
			    *end == '\t' || *end == '\r')
				*end = ' ';
		}
		comp = str_trim(line);
		if (*comp == '\0')
			continue;
		level = strchr(comp, ' ');
		if (level == NULL) {
			diag_add(dl, NULL, lineno, "write the competence code "
			    "and the level, such as 'ACC.1 intermedio'");
			errors++;
			continue;
		}
		*level++ = '\0';
		level = str_trim(level);
		for (i = 0; i < r->nreqs; i++) {
			if (strcmp(r->reqs[i].competence, comp) == 0)
				break;
		}
		if (i < r->nreqs) {
			diag_add(dl, NULL, lineno, "%s is already on line %d",
			    comp, r->reqs[i].line);
			errors++;
			continue;
		}
		r->reqs = xreallocarray(r->reqs, r->nreqs + 1,
		    sizeof(*r->reqs));
		q = &r->reqs[r->nreqs++];
		q->competence = xstrdup(comp);
		q->level = xstrdup(level);
		q->line = lineno;
	}
	free(copy);
	if (errors == 0 && r->nreqs == 0) {
		diag_add(dl, NULL, 0, "list at least one competence with its "
		    "level");
		errors++;
	}
	if (errors > 0) {
		roles_free(rs);
		return (NULL);
	}
	return (rs);
}

/* The list of profiles, the editor, and saving a unit's own profile. */
int
page_hr_roles(struct http_request *req)
{
	struct diaglist	 dl;
	struct roles	*rs;
	struct web	 w;
	const char	*code, *name, *reqs;
	char		 id[32], details[128];
	int		 rc, own, vis;

	if (web_begin(&w, req) == -1)
		return (KORE_RESULT_OK);
	if (req->method != HTTP_METHOD_POST)
		return (roles_page(&w, 200, NULL, NULL, NULL));
	diag_init(&dl);
	code = web_arg(&w, "code");
	name = web_arg(&w, "name");
	reqs = web_arg(&w, "requirements");
	if (code == NULL || name == NULL || *name == '\0') {
		diag_add(&dl, NULL, 0, "%s", i18n_get(w.lang,
		    "roles.err_code"));
		rc = roles_page(&w, 400, "code", &dl, NULL);
		diag_free(&dl);
		return (rc);
	}
	if ((vis = role_visible(&w, code, id, sizeof(id), &own)) == -1) {
		diag_free(&dl);
		return (web_db_error(&w));
	}
	if (vis == 1 && !own) {
		diag_add(&dl, NULL, 0, "%s", i18n_get(w.lang,
		    "roles.err_not_own"));
		rc = roles_page(&w, 403, "code", &dl, NULL);
		diag_free(&dl);
		return (rc);
	}
	if ((rs = parse_requirements(code, name, reqs != NULL ? reqs : "",
	    &dl)) == NULL) {
		rc = roles_page(&w, 400, "requirements", &dl, NULL);
		diag_free(&dl);
		return (rc);
	}
	rc = store_roles(&w.db, rs, web_scope_org(&w, ROLE_HR), &dl);
	roles_free(rs);
	if (rc == -1) {
		diag_free(&dl);
		return (web_db_error(&w));
	}
	if (rc > 0) {
		rc = roles_page(&w, 400, "requirements", &dl, NULL);
		diag_free(&dl);
		return (rc);
	}
	diag_free(&dl);
	(void)snprintf(details, sizeof(details), "%s", code);
	(void)audit_append(&w.db, w.user->email, "role.save", code, details,
	    w.ip);
	return (roles_page(&w, 200, NULL, NULL, "roles.saved"));
}

/*
 * The profiles this HR office can see; ?format=intl is the
 * courses/roles.csv format.
 */
int
page_hr_roles_csv(struct http_request *req)
{
	struct pg_result	*res;
	struct web		 w;
	struct buf		 out;
	struct csv_out		 c;
	int			 i, j, n;

	if (web_begin(&w, req) == -1)
		return (KORE_RESULT_OK);
	res = db_query(&w.db, "SELECT j.code, CASE WHEN row_number() OVER "
	    "(PARTITION BY j.id ORDER BY c.position) = 1 THEN j.name ELSE '' "
	    "END, r.competence, lv.name FROM job_roles j JOIN "
	    "job_role_requirements r ON r.role_id = j.id JOIN competences c "
	    "ON c.code = r.competence JOIN levels lv ON lv.framework_id = "
	    "c.framework_id AND lv.rank = r.rank LEFT JOIN orgs o ON o.id = "
	    "j.owner_org_id WHERE j.owner_org_id IS NULL OR o.path LIKE $1 || "
	    "'%' OR $1 LIKE o.path || '%' ORDER BY j.owner_org_id NULLS "
	    "FIRST, j.id, c.position", 1, web_scope(&w, ROLE_HR));
	if (res == NULL)
		return (web_db_error(&w));
	buf_init(&out, 4096);
	csv_out_init(&c, &out, web_csv_lang(&w));
	csv_out_head(&c, "role,name,competence,level");
	n = db_rows(res);
	for (i = 0; i < n; i++) {
		for (j = 0; j < 4; j++)
			csv_out_text(&c, db_value(res, i, j));
		csv_out_end(&c);
	}
	db_clear(res);
	(void)web_csv(req, "roles.csv", 1, &out);
	buf_free(&out);
	web_end(&w);
	return (KORE_RESULT_OK);
}

/* Give a person a profile, or take it away; back to their page. */
int
page_hr_roles_assign(struct http_request *req)
{
	struct pg_result	*res;
	struct web		 w;
	const char		*person, *role, *action;
	char			 rid[32], by[32], loc[64], target[96];
	long long		 pid;
	int			 vis, n;

	if (web_begin(&w, req) == -1)
		return (KORE_RESULT_OK);
	person = web_arg(&w, "person");
	role = web_arg(&w, "role");
	action = web_arg(&w, "action");
	if (person == NULL || role == NULL || action == NULL ||
	    web_arg_num(&w, "person", 1, WEB_ID_MAX, &pid) != 1)
		return (web_error(&w, 400, "roles.err_assign"));
	res = db_query(&w.db, "SELECT u.email FROM users u JOIN orgs o ON "
	    "o.id = u.org_id WHERE u.id = $1 AND o.path LIKE $2 || '%'", 2,
	    person, web_scope(&w, ROLE_HR));
	if (res == NULL)
		return (web_db_error(&w));
	n = db_rows(res);
	if (n == 1)
		(void)snprintf(target, sizeof(target), "%s",
		    db_value(res, 0, 0));
	db_clear(res);
	if (n != 1)
		return (web_error(&w, 404, "error.404.person"));
	if ((vis = role_visible(&w, role, rid, sizeof(rid), NULL)) == -1)
		return (web_db_error(&w));
	if (vis == 0)
		return (web_error(&w, 404, "roles.err_unknown"));
	(void)snprintf(by, sizeof(by), "%lld", w.user->id);
	if (db_begin(&w.db) == -1)
		return (web_db_error(&w));
	if (strcmp(action, "add") == 0)
		n = db_exec(&w.db, "INSERT INTO user_job_roles (user_id, "
		    "role_id, assigned_by) VALUES ($1, $2, $3) ON CONFLICT DO "
		    "NOTHING", 3, person, rid, by);
	else
		n = db_exec(&w.db, "DELETE FROM user_job_roles WHERE user_id = "
		    "$1 AND role_id = $2", 2, person, rid);
	if (n == -1 || audit_append(&w.db, w.user->email, strcmp(action,
	    "add") == 0 ? "role.assign" : "role.unassign", target, role,
	    w.ip) == -1 || db_commit(&w.db) == -1) {
		db_rollback(&w.db);
		return (web_db_error(&w));
	}
	(void)snprintf(loc, sizeof(loc), "/hr/people/%s", person);
	return (web_redirect(&w, loc));
}

/*
 * Assign profiles from a CSV "email,role" (one pair per line). With
 * replace, the people in the file keep exactly the profiles the file
 * gives them. All or nothing: any bad line and nothing changes.
 */
int
page_hr_roles_import(struct http_request *req)
{
	struct http_file	*file;
	struct pg_result	*res;
	struct diaglist		 dl;
	struct csv		 csv;
	struct web		 w;
	struct buf		 data, err, msg;
	const struct csv_row	*row;
	char			 chunk[8192], rid[32], by[32], details[64];
	const char		*replace;
	ssize_t			 r;
	size_t			 i, start;
	int			 rc, n, count, vis;

	if (web_begin(&w, req) == -1)
		return (KORE_RESULT_OK);
	diag_init(&dl);
	buf_init(&data, 4096);
	buf_init(&err, 128);
	buf_init(&msg, 128);
	memset(&csv, 0, sizeof(csv));
	count = 0;
	replace = web_arg(&w, "replace");
	(void)snprintf(by, sizeof(by), "%lld", w.user->id);
	if ((file = http_file_lookup(req, "csv")) == NULL) {
		diag_add(&dl, NULL, 0, "%s", i18n_get(w.lang,
		    "import.no_file"));
		goto done;
	}
	while ((r = http_file_read(file, chunk, sizeof(chunk))) > 0) {
		buf_append(&data, chunk, (size_t)r);
		if (data.len > ROLES_IMPORT_MAX)
			break;
	}
	if (data.len > ROLES_IMPORT_MAX) {
		diag_add(&dl, NULL, 0, "%s", i18n_get(w.lang,
		    "import.too_large"));
		goto done;
	}
	if (csv_parse(&csv, data.data, data.len, &err) == -1) {
		diag_add(&dl, NULL, 0, "%s", err.data);
		goto done;
	}
	start = csv.nrows > 0 && csv.rows[0].nfields >= 1 &&
	    strcmp(str_trim(csv.rows[0].fields[0]), "email") == 0 ? 1 : 0;
	if (db_begin(&w.db) == -1)
		goto dberr;
	if (replace != NULL) {
		for (i = start; i < csv.nrows; i++) {
			row = &csv.rows[i];
			if (row->nfields < 1)
				continue;
			if (db_exec(&w.db, "DELETE FROM user_job_roles uj "
			    "USING users u, orgs o WHERE uj.user_id = u.id AND "
			    "o.id = u.org_id AND lower(u.email) = lower($1) "
			    "AND o.path LIKE $2 || '%'", 2,
			    str_trim(row->fields[0]),
			    web_scope(&w, ROLE_HR)) == -1)
				goto dberr;
		}
	}
	for (i = start; i < csv.nrows; i++) {
		row = &csv.rows[i];
		if (row->nfields != 2) {
			diag_add(&dl, NULL, row->line, "expected 2 fields "
			    "(email,role), found %zu", row->nfields);
			continue;
		}
		(void)str_trim(row->fields[0]);
		(void)str_trim(row->fields[1]);
		vis = role_visible(&w, row->fields[1], rid, sizeof(rid),
		    NULL);
		if (vis == -1)
			goto dberr;
		if (vis == 0) {
			diag_add(&dl, NULL, row->line, "unknown role '%s'",
			    row->fields[1]);
			continue;
		}
		res = db_query(&w.db, "INSERT INTO user_job_roles (user_id, "
		    "role_id, assigned_by) SELECT u.id, $3, $4 FROM users u "
		    "JOIN orgs o ON o.id = u.org_id WHERE lower(u.email) = "
		    "lower($1) AND o.path LIKE $2 || '%' ON CONFLICT (user_id, "
		    "role_id) DO UPDATE SET assigned_by = EXCLUDED.assigned_by "
		    "RETURNING 1", 4, row->fields[0], web_scope(&w, ROLE_HR),
		    rid, by);
		if (res == NULL)
			goto dberr;
		n = db_rows(res);
		db_clear(res);
		if (n != 1) {
			diag_add(&dl, NULL, row->line, "nobody with e-mail "
			    "'%s' in your units", row->fields[0]);
			continue;
		}
		count++;
	}
	if (diag_count(&dl) == 0 && count == 0)
		diag_add(&dl, NULL, 0, "%s", i18n_get(w.lang,
		    "roles.err_empty"));
	if (diag_count(&dl) > 0) {
		db_rollback(&w.db);
		goto done;
	}
	(void)snprintf(details, sizeof(details), "%d assignments%s", count,
	    replace != NULL ? ", replacing" : "");
	if (audit_append(&w.db, w.user->email, "role.import", "csv", details,
	    w.ip) == -1 || db_commit(&w.db) == -1)
		goto dberr;
done:
	csv_free(&csv);
	buf_free(&data);
	buf_free(&err);
	if (diag_count(&dl) > 0)
		rc = roles_page(&w, 400, "import", &dl, NULL);
	else
		rc = roles_page(&w, 200, NULL, NULL, "roles.imported");
	diag_free(&dl);
	buf_free(&msg);
	return (rc);
dberr:
	db_rollback(&w.db);
	csv_free(&csv);
	buf_free(&data);
	buf_free(&err);
	buf_free(&msg);
	diag_free(&dl);
	return (web_db_error(&w));
}
