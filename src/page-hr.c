/*
 * page-hr.c: what an HR office sees of its staff. Everything is limited
 * to the subtree of the organisation the HR role was granted on: people
 * outside it do not exist for this page (404, not 403, so that their
 * existence is not revealed either).
 */

#include <stdlib.h>
#include <string.h>

#include "web.h"

int
page_hr_people(struct http_request *req)
{
	struct pg_result	*res;
	struct web		 w;
	struct buf		 main, rows;
	const char		*scope, *q, *org;
	int			 i, n;

	if (web_begin(&w, req) == -1)
		return (KORE_RESULT_OK);
	q = web_arg(&w, "q");
	org = web_arg(&w, "org");
	scope = web_scope(&w, ROLE_HR);
	res = db_query(&w.db, "SELECT u.id, u.name, u.email, o.name, "
	    "u.active FROM users u JOIN orgs o ON o.id = u.org_id WHERE "
	    "o.path LIKE $1 || '%' AND ($2 = '' OR u.name ILIKE '%' || $2 || "
	    "'%' OR u.email ILIKE '%' || $2 || '%') AND ($3 = '' OR o.path "
	    "LIKE (SELECT f.path FROM orgs f WHERE f.code = $3) || '%') "
	    "ORDER BY o.path, u.name LIMIT 500", 3, scope, q != NULL ? q : "",
	    org != NULL ? org : "");
	if (res == NULL)
		return (web_db_error(&w));
	buf_init(&main, 8192);
	buf_init(&rows, 8192);
	n = db_rows(res);
	for (i = 0; i < n; i++) {
		struct tmpl_arg args[] = {
			T_TEXT("id", db_value(res, i, 0)),
			T_TEXT("name", db_value(res, i, 1)),
			T_TEXT("email", db_value(res, i, 2)),
			T_TEXT("org", db_value(res, i, 3)),
			T_TEXT("state", i18n_get(w.lang,
			    strcmp(db_value(res, i, 4), "t") == 0 ?
			    "user.active" : "user.disabled")),
		};

		(void)web_render(&w, &rows, "hr-person-row", args,
		    T_NARGS(args));
	}
	db_clear(res);
	{
		struct tmpl_arg args[] = {
			T_TEXT("q", q != NULL ? q : ""),
			T_RAW("rows", rows.data),
		};

		(void)web_render(&w, &main, "hr-people", args, T_NARGS(args));
	}
	(void)web_page(&w, 200, i18n_get(w.lang, "hr.people"), main.data);
	buf_free(&main);
	buf_free(&rows);
	return (KORE_RESULT_OK);
}

int
page_hr_person(struct http_request *req)
{
	struct pg_result	*res;
	struct web		 w;
	struct buf		 main;
	const char		*id;

	if (web_begin(&w, req) == -1)
		return (KORE_RESULT_OK);
	id = web_path_tail(req, "/hr/people/");
	res = db_query(&w.db, "SELECT u.name, u.email, o.name, coalesce(("
	    "SELECT string_agg(r.role, ', ' ORDER BY r.role) FROM user_roles r "
	    "WHERE r.user_id = u.id), '') FROM users u JOIN orgs o ON o.id = "
	    "u.org_id WHERE u.id = $1 AND o.path LIKE $2 || '%'", 2, id,
	    web_scope(&w, ROLE_HR));
	if (res == NULL)
		return (web_db_error(&w));
	if (db_rows(res) != 1) {
		db_clear(res);
		return (web_error(&w, 404, "error.404.person"));
	}
	buf_init(&main, 2048);
	{
		struct tmpl_arg args[] = {
			T_TEXT("name", db_value(res, 0, 0)),
			T_TEXT("email", db_value(res, 0, 1)),
			T_TEXT("org", db_value(res, 0, 2)),
			T_TEXT("roles", db_value(res, 0, 3)),
		};

		(void)web_render(&w, &main, "hr-person", args, T_NARGS(args));
	}
	db_clear(res);
	(void)web_page(&w, 200, i18n_get(w.lang, "hr.people"), main.data);
	buf_free(&main);
	return (KORE_RESULT_OK);
}
