/*
 * page-edition.c: /hr/editions: the editions of a course, the later
 * edition that is an earlier one's comparison cohort, and who is in
 * which (README.md, "Impact evaluation"; store-edition.c). HR offices
 * see their subtree only; administrators see everything.
 */

#include <string.h>

#include "web.h"

static int	editions_page(struct web *, int, const char *, const char *);
static void	editions_table(struct web *, const struct edition_list *,
		    struct buf *);
static void	editions_opts(struct web *, const struct edition_opts *, int,
		    struct buf *);
static const char *arg_given(struct web *, const char *);
static int	editions_post(struct web *, struct fail *, struct buf *);

/* The editions' table (nothing when there is none). */
static void
editions_table(struct web *w, const struct edition_list *l, struct buf *out)
{
	const struct edition	*e;
	struct buf		 rows;
	char			 id[32], people[32], pre[32];
	size_t			 i;

	if (l->n == 0)
		return;
	buf_init(&rows, 4096);
	for (i = 0; i < l->n; i++) {
		e = &l->e[i];
		(void)snprintf(id, sizeof(id), "%lld", e->id);
		(void)snprintf(people, sizeof(people), "%lld", e->people);
		(void)snprintf(pre, sizeof(pre), "%lld", e->pre_taken);
		{
			struct tmpl_arg args[] = {
				T_TEXT("id", id),
				T_TEXT("code", e->code),
				T_TEXT("course", e->course),
				T_TEXT("starts", web_date(w, e->starts)),
				T_TEXT("ends", web_date(w, e->ends)),
				T_TEXT("compares", e->compares[0] != '\0' ?
				    e->compares : "\xe2\x80\x94"),
				T_TEXT("people", people),
				T_TEXT("pre", pre),
			};

			(void)web_render(w, &rows, "impact-editions-row", args,
			    T_NARGS(args));
		}
	}
	page_impact_raw(w, out, "impact-editions-table", "rows", rows.data);
	buf_free(&rows);
}

/* Options; dated: "label (date)" with the extra column as the date. */
static void
editions_opts(struct web *w, const struct edition_opts *o, int dated,
    struct buf *out)
{
	char	label[512];
	size_t	i;

	for (i = 0; i < o->n; i++) {
		if (dated)
			(void)snprintf(label, sizeof(label), "%s (%s)",
			    o->o[i].label, web_date(w, o->o[i].extra));
		else
			xstrlcpy(label, o->o[i].label, sizeof(label));
		(void)web_option(w, out, o->o[i].value, label, 0);
	}
}

/* The editions page, with a message (alert_kind NULL: none). */
static int
editions_page(struct web *w, int status, const char *alert_kind,
    const char *alert_text)
{
	struct edition_list	 l;
	struct edition_opts	 courses, eds, orgs;
	struct fail		 f;
	struct buf		 table, ocourses, oeds, oorgs, alert;
	const char		*scope;
	int			 rc;

	scope = page_impact_scope(w);
	memset(&courses, 0, sizeof(courses));
	memset(&eds, 0, sizeof(eds));
	memset(&orgs, 0, sizeof(orgs));
	buf_init(&table, 4096);
	buf_init(&ocourses, 2048);
	buf_init(&oeds, 2048);
	buf_init(&oorgs, 2048);
	buf_init(&alert, 256);
	if (store_edition_list(&w->db, scope, &l, &f) == -1 ||
	    store_edition_opts_courses(&w->db, 0, &courses, &f) == -1 ||
	    store_edition_opts(&w->db, scope, &eds, &f) == -1 ||
	    store_edition_opts_orgs(&w->db, scope, &orgs, &f) == -1) {
		rc = web_fail(w, &f);
		goto out;
	}
	editions_table(w, &l, &table);
	editions_opts(w, &courses, 0, &ocourses);
	editions_opts(w, &eds, 1, &oeds);
	editions_opts(w, &orgs, 0, &oorgs);
	if (alert_kind != NULL)
		page_impact_put(w, &alert, "alert", "kind", alert_kind, "text",
		    alert_text);
	{
		struct tmpl_arg args[] = {
			T_RAW("alert", alert.data),
			T_TEXT("empty", l.n == 0 ? i18n_get(w->lang,
			    "editions.empty") : ""),
			T_RAW("table", table.data),
			T_TEXT("csrf", web_csrf(w)),
			T_RAW("courses", ocourses.data),
			T_RAW("editions", oeds.data),
			T_RAW("orgs", oorgs.data),
		};

		rc = web_show(w, status, "editions.title", "impact-editions",
		    args, T_NARGS(args));
	}
out:
	rows_release(l.res, l.e);
	store_edition_opts_free(&courses);
	store_edition_opts_free(&eds);
	store_edition_opts_free(&orgs);
	buf_free(&table);
	buf_free(&ocourses);
	buf_free(&oeds);
	buf_free(&oorgs);
	buf_free(&alert);
	return (rc);
}

/* An empty field is no field. */
static const char *
arg_given(struct web *w, const char *name)
{
	const char	*v;

	return ((v = web_arg(w, name)) != NULL && *v != '\0' ? v : NULL);
}

/* POST action=create|assign: 0 with the message in msg, or -1. */
static int
editions_post(struct web *w, struct fail *f, struct buf *msg)
{
	struct edition_new	 e;
	struct edition_assign	 a;
	const char		*action;
	int			 count;

	action = web_arg(w, "action");
	if (action != NULL && strcmp(action, "create") == 0) {
		memset(&e, 0, sizeof(e));
		e.course = web_arg(w, "course");
		e.code = web_arg(w, "code");
		e.starts = web_arg(w, "starts");
		e.ends = web_arg(w, "ends");
		e.compares = arg_given(w, "compares");
		e.scope = page_impact_scope(w);
		e.owner = web_scope_org(w, ROLE_HR);
		e.by = w->user->id;
		e.actor = w->user->email;
		e.ip = w->ip;
		if (store_edition_create(&w->db, &e, f) == -1)
			return (-1);
		buf_puts(msg, i18n_get(w->lang, "editions.created"));
		return (0);
	}
	if (action != NULL && strcmp(action, "assign") == 0) {
		memset(&a, 0, sizeof(a));
		a.edition = web_arg(w, "edition");
		a.org = arg_given(w, "org");
		a.email = arg_given(w, "email");
		a.scope = page_impact_scope(w);
		a.by = w->user->id;
		a.actor = w->user->email;
		a.ip = w->ip;
		if (store_edition_assign(&w->db, &a, &count, f) == -1)
			return (-1);
		buf_printf(msg, "%s %d", i18n_get(w->lang,
		    "editions.assigned"), count);
		return (0);
	}
	return (fail_set(f, FAIL_INPUT, "editions.err_fields", NULL));
}

/* GET /hr/editions; POST action=create|assign. */
int
page_hr_editions(struct http_request *req)
{
	struct web	 w;
	struct fail	 f;
	struct buf	 msg;
	long long	 num;
	int		 rc;

	if (web_begin(&w, req) == -1)
		return (KORE_RESULT_OK);
	buf_init(&msg, 128);
	if (web_db(&w) == -1)
		rc = web_db_error(&w);
	else if (req->method != HTTP_METHOD_POST)
		rc = editions_page(&w, 200, NULL, NULL);
	else if (web_arg_num(&w, "compares", 1, WEB_ID_MAX, &num) == -1 ||
	    web_arg_num(&w, "edition", 1, WEB_ID_MAX, &num) == -1)
		rc = editions_page(&w, 400, "danger", i18n_get(w.lang,
		    "error.400.number"));
	else if (editions_post(&w, &f, &msg) == 0)
		rc = editions_page(&w, 200, "success", msg.data);
	else if (f.kind == FAIL_UNAVAILABLE)
		rc = web_fail(&w, &f);
	else
		rc = editions_page(&w, fail_status(&f), "danger",
		    i18n_get(w.lang, f.key));
	buf_free(&msg);
	return (rc);
}
