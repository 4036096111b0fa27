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
static int	roles_rows(struct web *, struct buf *, struct fail *);
static int	roles_editing(struct web *, int, struct buf *, struct fail *);
static void	diag_items(struct web *, struct buf *, struct diaglist *,
		    const char *);
static struct roles *parse_requirements(const char *, const char *,
		    const char *, struct diaglist *);
static int	roles_upload(struct web *, struct buf *, struct diaglist *);

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

/* The table's rows: every role visible to the HR office. */
static int
roles_rows(struct web *w, struct buf *rows, struct fail *f)
{
	struct role_list	 l;
	char			 people[32];
	size_t			 i;

	if (roles_list(&w->db, web_scope(w, ROLE_HR), &l, f) == -1)
		return (-1);
	for (i = 0; i < l.n; i++) {
		(void)snprintf(people, sizeof(people), "%lld", l.v[i].people);
		{
			struct tmpl_arg args[] = {
				T_TEXT("code", l.v[i].code),
				T_TEXT("name", l.v[i].name),
				T_TEXT("owner", *l.v[i].owner != '\0' ?
				    l.v[i].owner : i18n_get(w->lang,
				    "roles.programme")),
				T_TEXT("reqs", l.v[i].reqs),
				T_TEXT("people", people),
			};

			(void)web_render(w, rows, "role-row", args,
			    T_NARGS(args));
		}
	}
	rows_release(l.res, l.v);
	return (0);
}

/*
 * The editor's requirements: those of the role to change (?code=) on a
 * first visit, what was sent after a refusal.
 */
static int
roles_editing(struct web *w, int status, struct buf *reqs, struct fail *f)
{
	struct choices	 rq;
	const char	*code, *v;
	char		 id[32];
	size_t		 i;
	int		 vis;

	code = web_arg(w, "code");
	if (status != 200 || code == NULL || *code == '\0') {
		if ((v = web_arg(w, "requirements")) != NULL)
			buf_puts(reqs, v);
		return (0);
	}
	if ((vis = role_find(&w->db, web_scope(w, ROLE_HR), code, id,
	    sizeof(id), NULL, f)) != 1)
		return (vis);
	if (role_requirements(&w->db, id, &rq, f) == -1)
		return (-1);
	for (i = 0; i < rq.n; i++)
		buf_printf(reqs, "%s %s\n", rq.v[i].value, rq.v[i].label);
	choices_free(&rq);
	return (0);
}

static int
roles_page(struct web *w, int status, const char *field,
    struct diaglist *dl, const char *notice)
{
	struct fail	 f;
	struct buf	 main, rows, errs, alert, reqs, req_err;
	const char	*code, *name;

	buf_init(&main, 8192);
	buf_init(&rows, 4096);
	buf_init(&errs, 512);
	buf_init(&alert, 256);
	buf_init(&reqs, 1024);
	buf_init(&req_err, 512);
	if (roles_rows(w, &rows, &f) == -1 ||
	    roles_editing(w, status, &reqs, &f) == -1) {
		(void)web_fail(w, &f);
		goto out;
	}
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
	code = web_arg(w, "code");
	name = web_arg(w, "name");
	{
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
out:
	buf_free(&main);
	buf_free(&rows);
	buf_free(&errs);
	buf_free(&alert);
	buf_free(&reqs);
	buf_free(&req_err);
	return (KORE_RESULT_OK);
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
	struct roles	*rs = NULL;
	struct fail	 f;
	struct web	 w;
	const char	*code, *name, *reqs;
	char		 id[32];
	int		 own, vis;

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
		(void)roles_page(&w, 400, "code", &dl, NULL);
		goto out;
	}
	if ((vis = role_find(&w.db, web_scope(&w, ROLE_HR), code, id,
	    sizeof(id), &own, &f)) == -1) {
		(void)web_fail(&w, &f);
		goto out;
	}
	if (vis == 1 && !own) {
		diag_add(&dl, NULL, 0, "%s", i18n_get(w.lang,
		    "roles.err_not_own"));
		(void)roles_page(&w, 403, "code", &dl, NULL);
		goto out;
	}
	if ((rs = parse_requirements(code, name, reqs != NULL ? reqs : "",
	    &dl)) == NULL ||
	    role_save(&w.db, rs, web_scope_org(&w, ROLE_HR), w.user->email,
	    w.ip, &dl, &f) == -1) {
		if (rs == NULL || f.kind == FAIL_INPUT)
			(void)roles_page(&w, 400, "requirements", &dl, NULL);
		else
			(void)web_fail(&w, &f);
		goto out;
	}
	(void)roles_page(&w, 200, NULL, NULL, "roles.saved");
out:
	if (rs != NULL)
		roles_free(rs);
	diag_free(&dl);
	return (KORE_RESULT_OK);
}

/*
 * The profiles this HR office can see; ?format=intl is the
 * courses/roles.csv format.
 */
int
page_hr_roles_csv(struct http_request *req)
{
	struct role_lines	 l;
	struct fail		 f;
	struct web		 w;
	struct buf		 out;
	struct csv_out		 c;
	size_t			 i;

	if (web_begin(&w, req) == -1)
		return (KORE_RESULT_OK);
	buf_init(&out, 4096);
	if (roles_csv(&w.db, web_scope(&w, ROLE_HR), &l, &f) == -1) {
		(void)web_fail(&w, &f);
		goto out;
	}
	csv_out_init(&c, &out, web_csv_lang(&w));
	csv_out_head(&c, "role,name,competence,level");
	for (i = 0; i < l.n; i++) {
		csv_out_text(&c, l.v[i].code);
		csv_out_text(&c, l.v[i].name);
		csv_out_text(&c, l.v[i].competence);
		csv_out_text(&c, l.v[i].level);
		csv_out_end(&c);
	}
	(void)web_csv(req, "roles.csv", 1, &out);
	web_end(&w);
out:
	rows_release(l.res, l.v);
	buf_free(&out);
	return (KORE_RESULT_OK);
}

/* Give a person a profile, or take it away; back to their page. */
int
page_hr_roles_assign(struct http_request *req)
{
	struct role_assignment	 a;
	struct fail		 f;
	struct web		 w;
	const char		*action;
	char			 loc[64];

	if (web_begin(&w, req) == -1)
		return (KORE_RESULT_OK);
	memset(&a, 0, sizeof(a));
	a.scope = web_scope(&w, ROLE_HR);
	a.role = web_arg(&w, "role");
	action = web_arg(&w, "action");
	a.add = action != NULL && strcmp(action, "add") == 0;
	a.by = w.user->id;
	a.actor = w.user->email;
	a.ip = w.ip;
	if (a.role == NULL || action == NULL ||
	    web_arg_num(&w, "person", 1, WEB_ID_MAX, &a.person) != 1)
		(void)fail_set(&f, FAIL_INPUT, "roles.err_assign", NULL);
	else if (role_assign(&w.db, &a, &f) == 0) {
		(void)snprintf(loc, sizeof(loc), "/hr/people/%lld", a.person);
		(void)web_redirect(&w, loc);
		goto out;
	}
	(void)web_fail(&w, &f);
out:
	return (KORE_RESULT_OK);
}

/* The uploaded file (field "csv") into data; 0, or -1 with dl said. */
static int
roles_upload(struct web *w, struct buf *data, struct diaglist *dl)
{
	struct http_file	*file;
	char			 chunk[8192];
	ssize_t			 r;

	if ((file = http_file_lookup(w->req, "csv")) == NULL) {
		diag_add(dl, NULL, 0, "%s", i18n_get(w->lang,
		    "import.no_file"));
		return (-1);
	}
	while ((r = http_file_read(file, chunk, sizeof(chunk))) > 0) {
		buf_append(data, chunk, (size_t)r);
		if (data->len > ROLES_IMPORT_MAX)
			break;
	}
	if (data->len > ROLES_IMPORT_MAX) {
		diag_add(dl, NULL, 0, "%s", i18n_get(w->lang,
		    "import.too_large"));
		return (-1);
	}
	return (0);
}

/*
 * Assign profiles from a CSV "email,role" (one pair per line). With
 * replace, the people in the file keep exactly the profiles the file
 * gives them. All or nothing: any bad line and nothing changes.
 */
int
page_hr_roles_import(struct http_request *req)
{
	struct role_assignment	 a;
	struct diaglist		 dl;
	struct csv		 csv;
	struct fail		 f;
	struct web		 w;
	struct buf		 data, err;
	int			 count;

	if (web_begin(&w, req) == -1)
		return (KORE_RESULT_OK);
	diag_init(&dl);
	buf_init(&data, 4096);
	buf_init(&err, 128);
	memset(&csv, 0, sizeof(csv));
	memset(&a, 0, sizeof(a));
	a.scope = web_scope(&w, ROLE_HR);
	a.by = w.user->id;
	a.actor = w.user->email;
	a.ip = w.ip;
	a.lang = w.lang;
	fail_clear(&f);
	if (roles_upload(&w, &data, &dl) == -1)
		goto out;
	if (csv_parse(&csv, data.data, data.len, &err) == -1) {
		diag_add(&dl, NULL, 0, "%s", err.data);
		goto out;
	}
	(void)role_import(&w.db, &a, &csv, web_arg(&w, "replace") != NULL,
	    &count, &dl, &f);
out:
	if (f.kind == FAIL_UNAVAILABLE)
		(void)web_fail(&w, &f);
	else if (diag_count(&dl) > 0)
		(void)roles_page(&w, 400, "import", &dl, NULL);
	else
		(void)roles_page(&w, 200, NULL, NULL, "roles.imported");
	csv_free(&csv);
	buf_free(&data);
	buf_free(&err);
	diag_free(&dl);
	return (KORE_RESULT_OK);
}
