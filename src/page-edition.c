/*
 * page-edition.c: /hr/editions: the editions of a course, the later
 * edition that is an earlier one's comparison cohort, and who is in
 * which (README.md, "Impact evaluation"). HR offices see their subtree
 * only; administrators see everything.
 */

#include <string.h>

#include "web.h"

static int	editions_page(struct web *, int, const char *, const char *);
static int	editions_create(struct web *, const char **);
static int	editions_assign(struct web *, const char **, int *);
static void	editions_options(struct web *, struct buf *, const char *);

static void
editions_options(struct web *w, struct buf *out, const char *selected)
{
	struct pg_result	*res;
	char			 label[512];
	int			 i;

	res = db_query(&w->db, "SELECT d.id, c.title || ' \xe2\x80\x93 ' || "
	    "d.code, d.starts_on::text FROM "
	    "editions d JOIN courses c ON c.id = d.course_id LEFT JOIN orgs o "
	    "ON o.id = d.owner_org_id WHERE d.owner_org_id IS NULL OR o.path "
	    "LIKE $1 || '%' OR $1 LIKE o.path || '%' ORDER BY c.title, "
	    "d.starts_on, d.code", 1, page_impact_scope(w));
	if (res == NULL)
		return;
	for (i = 0; i < db_rows(res); i++) {
		(void)snprintf(label, sizeof(label), "%s (%s)",
		    db_value(res, i, 1), web_date(w, db_value(res, i, 2)));
		(void)web_option(w, out, db_value(res, i, 0), label,
		    selected != NULL &&
		    strcmp(selected, db_value(res, i, 0)) == 0);
	}
	db_clear(res);
}

/* The editions page, with a message (alert_kind NULL: none). */
static int
editions_page(struct web *w, int status, const char *alert_kind,
    const char *alert_text)
{
	struct pg_result	*res;
	struct buf		 main, table, courses, eds, orgs, alert;
	const char		*scope;
	int			 i, n;

	scope = page_impact_scope(w);
	res = db_query(&w->db, "SELECT d.id, d.code, c.title, "
	    "d.starts_on::text, d.ends_on::text, "
	    "coalesce(t.code, ''), (SELECT count(*) FROM enrolments e JOIN "
	    "users u ON u.id = e.user_id JOIN orgs uo ON uo.id = u.org_id "
	    "WHERE e.edition_id = d.id AND uo.path LIKE $1 || '%'), (SELECT "
	    "count(*) FROM enrolments e JOIN users u ON u.id = e.user_id JOIN "
	    "orgs uo ON uo.id = u.org_id JOIN assessments a ON a.enrolment_id "
	    "= e.id AND a.phase = 'pre' AND a.submitted_at IS NOT NULL WHERE "
	    "e.edition_id = d.id AND uo.path LIKE $1 || '%') FROM editions d "
	    "JOIN courses c ON c.id = d.course_id LEFT JOIN editions t ON t.id "
	    "= d.compares_with LEFT JOIN orgs o ON o.id = d.owner_org_id "
	    "WHERE d.owner_org_id IS NULL OR o.path LIKE $1 || '%' OR $1 LIKE "
	    "o.path || '%' ORDER BY c.title, d.starts_on, d.code", 1, scope);
	if (res == NULL)
		return (web_db_error(w));
	buf_init(&main, 8192);
	buf_init(&table, 4096);
	buf_init(&courses, 2048);
	buf_init(&eds, 2048);
	buf_init(&orgs, 2048);
	buf_init(&alert, 256);
	n = db_rows(res);
	if (n > 0) {
		buf_puts(&table, "<section class=\"table-responsive\" "
		    "tabindex=\"0\" aria-labelledby=\"editions-caption\">"
		    "<table class=\"table table-sm\"><caption "
		    "id=\"editions-caption\">");
		html_puts(&table, i18n_get(w->lang, "editions.caption"));
		buf_puts(&table, "</caption><thead><tr>");
		page_impact_th(&table, "col", i18n_get(w->lang, "editions.code"));
		page_impact_th(&table, "col", i18n_get(w->lang, "learn.course"));
		page_impact_th(&table, "col", i18n_get(w->lang, "editions.starts"));
		page_impact_th(&table, "col", i18n_get(w->lang, "editions.ends"));
		page_impact_th(&table, "col", i18n_get(w->lang, "editions.compares"));
		page_impact_th(&table, "col", i18n_get(w->lang, "editions.people"));
		page_impact_th(&table, "col", i18n_get(w->lang, "editions.pre_taken"));
		buf_puts(&table, "</tr></thead><tbody>");
	}
	for (i = 0; i < n; i++) {
		buf_printf(&table, "<tr data-edition=\"%s\">",
		    db_value(res, i, 0));
		page_impact_th(&table, "row", db_value(res, i, 1));
		page_impact_td(&table, NULL, db_value(res, i, 2));
		page_impact_td(&table, NULL, web_date(w, db_value(res, i, 3)));
		page_impact_td(&table, NULL, web_date(w, db_value(res, i, 4)));
		page_impact_td(&table, NULL, *db_value(res, i, 5) != '\0' ?
		    db_value(res, i, 5) : "\xe2\x80\x94");
		page_impact_td(&table, NULL, db_value(res, i, 6));
		page_impact_td(&table, NULL, db_value(res, i, 7));
		buf_puts(&table, "</tr>");
	}
	if (n > 0)
		buf_puts(&table, "</tbody></table></section>");
	db_clear(res);

	res = db_query(&w->db, "SELECT slug, title FROM courses ORDER BY "
	    "title", 0);
	if (res != NULL) {
		for (i = 0; i < db_rows(res); i++) {
			(void)web_option(w, &courses, db_value(res, i, 0),
			    db_value(res, i, 1), 0);
		}
		db_clear(res);
	}
	editions_options(w, &eds, NULL);
	res = db_query(&w->db, "SELECT code, name FROM orgs WHERE path LIKE "
	    "$1 || '%' ORDER BY org_order(path)", 1, scope);
	if (res != NULL) {
		for (i = 0; i < db_rows(res); i++) {
			(void)web_option(w, &orgs, db_value(res, i, 0),
			    db_value(res, i, 1), 0);
		}
		db_clear(res);
	}
	if (alert_kind != NULL) {
		struct tmpl_arg args[] = {
			T_TEXT("kind", alert_kind),
			T_TEXT("text", alert_text),
		};

		(void)web_render(w, &alert, "alert", args, T_NARGS(args));
	}
	{
		struct tmpl_arg args[] = {
			T_RAW("alert", alert.data),
			T_TEXT("empty", n == 0 ? i18n_get(w->lang,
			    "editions.empty") : ""),
			T_RAW("table", table.data),
			T_TEXT("csrf", web_csrf(w)),
			T_RAW("courses", courses.data),
			T_RAW("editions", eds.data),
			T_RAW("orgs", orgs.data),
		};

		(void)web_render(w, &main, "impact-editions", args,
		    T_NARGS(args));
	}
	(void)web_page(w, status, i18n_get(w->lang, "editions.title"),
	    main.data);
	buf_free(&main);
	buf_free(&table);
	buf_free(&courses);
	buf_free(&eds);
	buf_free(&orgs);
	buf_free(&alert);
	return (KORE_RESULT_OK);
}

/*
 * Create an edition. A comparison edition must be of the same course
 * and start when the compared one ends, or later: its people wait for
 * the course while the others follow it. 0, or -1 with a message key
 * (or NULL: a database error).
 */
static int
editions_create(struct web *w, const char **msg)
{
	struct pg_result	*res;
	const char		*course, *code, *starts, *ends, *compares;
	char			 owner[32], by[32], details[256];
	long long		 org;

	*msg = NULL;
	course = web_arg(w, "course");
	code = web_arg(w, "code");
	starts = web_arg(w, "starts");
	ends = web_arg(w, "ends");
	compares = web_arg(w, "compares");
	if (compares != NULL && *compares == '\0')
		compares = NULL;
	if (course == NULL || code == NULL) {
		*msg = "editions.err_fields";
		return (-1);
	}
	if (starts == NULL || ends == NULL || *starts == '\0' ||
	    *ends == '\0' || strcmp(ends, starts) < 0) {
		*msg = "editions.err_dates";
		return (-1);
	}
	res = db_query(&w->db, "SELECT 1 FROM courses WHERE slug = $1", 1,
	    course);
	if (res == NULL)
		return (-1);
	if (db_rows(res) != 1) {
		db_clear(res);
		*msg = "editions.err_fields";
		return (-1);
	}
	db_clear(res);
	org = web_scope_org(w, ROLE_HR);
	(void)snprintf(owner, sizeof(owner), "%lld", org);
	(void)snprintf(by, sizeof(by), "%lld", w->user->id);
	if (compares != NULL) {
		res = db_query(&w->db, "SELECT 1 FROM editions d JOIN courses "
		    "c ON c.id = d.course_id LEFT JOIN orgs o ON o.id = "
		    "d.owner_org_id WHERE d.id = $1::bigint AND c.slug = $2 "
		    "AND d.ends_on <= $3::date AND (d.owner_org_id IS NULL OR "
		    "o.path LIKE $4 || '%' OR $4 LIKE o.path || '%')", 4,
		    compares, course, starts, page_impact_scope(w));
		if (res == NULL)
			return (-1);
		if (db_rows(res) != 1) {
			db_clear(res);
			*msg = "editions.err_compares";
			return (-1);
		}
		db_clear(res);
	}
	if (db_begin(&w->db) == -1)
		return (-1);
	res = db_query(&w->db, "INSERT INTO editions (course_id, code, "
	    "starts_on, ends_on, compares_with, owner_org_id, created_by) "
	    "SELECT c.id, $2, $3::date, $4::date, $5::bigint, nullif($6, "
	    "'0')::bigint, $7::bigint FROM courses c WHERE c.slug = $1 ON "
	    "CONFLICT DO NOTHING RETURNING id", 7, course, code, starts, ends,
	    compares, owner, by);
	if (res == NULL) {
		db_rollback(&w->db);
		return (-1);
	}
	if (db_rows(res) != 1) {
		db_clear(res);
		db_rollback(&w->db);
		*msg = "editions.err_taken";
		return (-1);
	}
	db_clear(res);
	(void)snprintf(details, sizeof(details), "%s %s..%s%s%s", course,
	    starts, ends, compares != NULL ? " compares with " : "",
	    compares != NULL ? compares : "");
	if (audit_append(&w->db, w->user->email, "edition.create", code,
	    details, w->ip) == -1 || db_commit(&w->db) == -1) {
		db_rollback(&w->db);
		return (-1);
	}
	return (0);
}

/*
 * Put people of the subtree (one by e-mail, or a whole unit) in an
 * edition: enrolled in its course if they were not (which opens their
 * pre-test), moved to the edition if they were and have not completed
 * it. *count says how many.
 */
static int
editions_assign(struct web *w, const char **msg, int *count)
{
	struct pg_result	*res;
	const char		*edition, *org, *email, *scope;
	char			 by[32], details[256];

	*msg = NULL;
	*count = 0;
	edition = web_arg(w, "edition");
	org = web_arg(w, "org");
	email = web_arg(w, "email");
	scope = page_impact_scope(w);
	if (org != NULL && *org == '\0')
		org = NULL;
	if (email != NULL && *email == '\0')
		email = NULL;
	if (edition == NULL || (org == NULL && email == NULL)) {
		*msg = "editions.err_assign";
		return (-1);
	}
	res = db_query(&w->db, "SELECT 1 FROM editions d LEFT JOIN orgs o ON "
	    "o.id = d.owner_org_id WHERE d.id = $1::bigint AND "
	    "(d.owner_org_id IS NULL OR o.path LIKE $2 || '%' OR $2 LIKE "
	    "o.path || '%')", 2, edition, scope);
	if (res == NULL)
		return (-1);
	if (db_rows(res) != 1) {
		db_clear(res);
		*msg = "editions.err_edition";
		return (-1);
	}
	db_clear(res);
	(void)snprintf(by, sizeof(by), "%lld", w->user->id);
	if (db_begin(&w->db) == -1)
		return (-1);
	res = db_query(&w->db, "WITH who AS (SELECT u.id FROM users u JOIN "
	    "orgs o ON o.id = u.org_id WHERE u.active AND o.path LIKE $2 || "
	    "'%' AND CASE WHEN $3 <> '' THEN lower(u.email) = lower($3) ELSE "
	    "o.path LIKE (SELECT f.path FROM orgs f WHERE f.code = $4) || '%' "
	    "END) INSERT INTO enrolments (user_id, course_id, source, "
	    "assigned_by, edition_id) SELECT who.id, d.course_id, 'assigned', "
	    "$5::bigint, d.id FROM who, editions d WHERE d.id = $1::bigint ON "
	    "CONFLICT (user_id, course_id) DO UPDATE SET edition_id = "
	    "EXCLUDED.edition_id, assigned_by = EXCLUDED.assigned_by WHERE "
	    "enrolments.completed_at IS NULL RETURNING id", 5, edition, scope,
	    email != NULL ? email : "", org != NULL ? org : "", by);
	if (res == NULL) {
		db_rollback(&w->db);
		return (-1);
	}
	*count = db_rows(res);
	db_clear(res);
	if (*count == 0) {
		db_rollback(&w->db);
		*msg = "hr.err_nobody";
		return (-1);
	}
	(void)snprintf(details, sizeof(details), "edition %s to %d people",
	    edition, *count);
	if (audit_append(&w->db, w->user->email, "edition.assign",
	    email != NULL ? email : org, details, w->ip) == -1 ||
	    db_commit(&w->db) == -1) {
		db_rollback(&w->db);
		return (-1);
	}
	return (0);
}

/* GET /hr/editions; POST action=create|assign. */
int
page_hr_editions(struct http_request *req)
{
	struct web	 w;
	struct buf	 msg;
	const char	*action, *key;
	long long	 num;
	int		 rc, count;

	if (web_begin(&w, req) == -1)
		return (KORE_RESULT_OK);
	if (web_db(&w) == -1)
		return (web_db_error(&w));
	if (req->method != HTTP_METHOD_POST)
		return (editions_page(&w, 200, NULL, NULL));
	if (web_arg_num(&w, "compares", 1, WEB_ID_MAX, &num) == -1 ||
	    web_arg_num(&w, "edition", 1, WEB_ID_MAX, &num) == -1)
		return (editions_page(&w, 400, "danger", i18n_get(w.lang,
		    "error.400.number")));
	action = web_arg(&w, "action");
	count = 0;
	if (action != NULL && strcmp(action, "create") == 0)
		rc = editions_create(&w, &key);
	else if (action != NULL && strcmp(action, "assign") == 0)
		rc = editions_assign(&w, &key, &count);
	else {
		rc = -1;
		key = "editions.err_fields";
	}
	if (rc == -1 && key == NULL)
		return (web_db_error(&w));
	if (rc == -1)
		return (editions_page(&w, strcmp(key, "editions.err_edition") ==
		    0 || strcmp(key, "hr.err_nobody") == 0 ? 404 : 400,
		    "danger", i18n_get(w.lang, key)));
	buf_init(&msg, 128);
	if (strcmp(action, "create") == 0)
		buf_puts(&msg, i18n_get(w.lang, "editions.created"));
	else
		buf_printf(&msg, "%s %d", i18n_get(w.lang,
		    "editions.assigned"), count);
	rc = editions_page(&w, 200, "success", msg.data);
	buf_free(&msg);
	return (rc);
}
