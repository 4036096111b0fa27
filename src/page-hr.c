/*
 * page-hr.c: what an HR office sees of its staff. Everything is limited
 * to the subtree of the organisation the HR role was granted on: people
 * outside it do not exist for this page (404, not 403, so that their
 * existence is not revealed either).
 */

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "web.h"

static int	hr_people(struct web *, int, const char *);
static int	hr_assign_form(struct web *, struct buf *);
static int	ledger_render(struct web *, long long, struct buf *);
static int	this_year(void);
static void	fmt_minutes(char *, size_t, long long);

static int
this_year(void)
{
	struct tm	tm;
	time_t		now;

	now = time(NULL);
	(void)gmtime_r(&now, &tm);
	return (tm.tm_year + 1900);
}

/* Measured time in whole minutes, or a dash when none was recorded. */
static void
fmt_minutes(char *out, size_t len, long long seconds)
{
	if (seconds < 0)
		xstrlcpy(out, "\xe2\x80\x94", len);
	else
		(void)snprintf(out, len, "%lld", (seconds + 30) / 60);
}

/*
 * A person's hours ledger of this year: each credit with its hours and
 * the time the server measured behind it (issue 18: hours HR can
 * defend), and the link to its CSV.
 */
static int
ledger_render(struct web *w, long long user, struct buf *out)
{
	struct ledger	 lg;
	struct buf	 rows, table;
	char		 hours[32], mins[32], year[16], uid[32];
	size_t		 i;

	if (learn_ledger(&w->db, web_scope(w, ROLE_HR), user, this_year(),
	    &lg) == -1)
		return (-1);
	buf_init(&rows, 2048);
	buf_init(&table, 2048);
	for (i = 0; i < lg.n; i++) {
		web_fmt_hours(w, hours, sizeof(hours), lg.rows[i].hours);
		fmt_minutes(mins, sizeof(mins), lg.rows[i].seconds);
		{
			struct tmpl_arg args[] = {
				T_TEXT("date", web_date(w, lg.rows[i].date)),
				T_TEXT("kind", i18n_get(w->lang,
				    lg.rows[i].course ? "ledger.course" :
				    "ledger.module")),
				T_TEXT("title", lg.rows[i].title),
				T_TEXT("hours", hours),
				T_TEXT("minutes", mins),
			};

			(void)web_render(w, &rows, "hr-ledger-row", args,
			    T_NARGS(args));
		}
	}
	(void)snprintf(year, sizeof(year), "%d", this_year());
	(void)snprintf(uid, sizeof(uid), "%lld", user);
	if (lg.n > 0) {
		struct tmpl_arg args[] = {
			T_RAW("rows", rows.data),
		};

		(void)web_render(w, &table, "hr-ledger-table", args,
		    T_NARGS(args));
	} else
		(void)web_render(w, &table, "hr-ledger-empty", NULL, 0);
	{
		struct tmpl_arg args[] = {
			T_TEXT("year", year),
			T_TEXT("user", uid),
			T_RAW("table", table.data),
		};

		(void)web_render(w, out, "hr-ledger", args, T_NARGS(args));
	}
	buf_free(&rows);
	buf_free(&table);
	learn_ledger_free(&lg);
	return (0);
}

/* The form to assign a course to a person or a unit, with a deadline. */
static int
hr_assign_form(struct web *w, struct buf *out)
{
	struct pg_result	*res;
	struct buf		 courses, orgs;
	int			 i, n;

	res = db_query(&w->db, "SELECT slug, title FROM courses ORDER BY "
	    "title", 0);
	if (res == NULL)
		return (-1);
	buf_init(&courses, 1024);
	buf_init(&orgs, 1024);
	n = db_rows(res);
	for (i = 0; i < n; i++) {
		(void)web_option(w, &courses, db_value(res, i, 0),
		    db_value(res, i, 1), 0);
	}
	db_clear(res);
	res = db_query(&w->db, "SELECT code, name FROM orgs WHERE path LIKE "
	    "$1 || '%' ORDER BY org_order(path)", 1,
	    web_scope(w, ROLE_HR));
	if (res == NULL) {
		buf_free(&courses);
		buf_free(&orgs);
		return (-1);
	}
	n = db_rows(res);
	for (i = 0; i < n; i++) {
		(void)web_option(w, &orgs, db_value(res, i, 0),
		    db_value(res, i, 1), 0);
	}
	db_clear(res);
	{
		struct tmpl_arg args[] = {
			T_RAW("courses", courses.data),
			T_RAW("orgs", orgs.data),
			T_TEXT("csrf", web_csrf(w)),
		};

		(void)web_render(w, out, "hr-assign", args, T_NARGS(args));
	}
	buf_free(&courses);
	buf_free(&orgs);
	return (0);
}

static int
hr_people(struct web *w, int status, const char *notice)
{
	struct pg_result	*res;
	struct buf		 main, rows, form;
	const char		*scope, *q, *org;
	int			 i, n;

	buf_init(&form, 2048);
	q = web_arg(w, "q");
	org = web_arg(w, "org");
	scope = web_scope(w, ROLE_HR);
	res = db_query(&w->db, "SELECT u.id, u.name, u.email, o.name, "
	    "u.active, to_char(coalesce((SELECT sum(h.hours) FROM hours_ledger "
	    "h WHERE h.user_id = u.id AND h.year = extract(year FROM "
	    "now())::int), 0), 'FM990.0') FROM users u JOIN orgs o ON o.id = "
	    "u.org_id WHERE o.path LIKE $1 || '%' AND ($2 = '' OR u.name ILIKE "
	    "'%' || $2 || '%' OR u.email ILIKE '%' || $2 || '%') AND ($3 = '' "
	    "OR o.path LIKE (SELECT f.path FROM orgs f WHERE f.code = $3) || "
	    "'%') ORDER BY org_order(o.path), u.name LIMIT 500", 3, scope,
	    q != NULL ? q : "", org != NULL ? org : "");
	if (res == NULL)
		return (web_db_error(w));
	buf_init(&main, 8192);
	buf_init(&rows, 8192);
	n = db_rows(res);
	for (i = 0; i < n; i++) {
		struct tmpl_arg args[] = {
			T_TEXT("id", db_value(res, i, 0)),
			T_TEXT("name", db_value(res, i, 1)),
			T_TEXT("email", db_value(res, i, 2)),
			T_TEXT("org", db_value(res, i, 3)),
			T_TEXT("state", i18n_get(w->lang,
			    strcmp(db_value(res, i, 4), "t") == 0 ?
			    "user.active" : "user.disabled")),
			T_TEXT("hours", web_num(w, db_value(res, i, 5))),
		};

		(void)web_render(w, &rows, "hr-person-row", args,
		    T_NARGS(args));
	}
	db_clear(res);
	if (hr_assign_form(w, &form) == -1) {
		buf_free(&main);
		buf_free(&rows);
		buf_free(&form);
		return (web_db_error(w));
	}
	{
		struct tmpl_arg args[] = {
			T_TEXT("q", q != NULL ? q : ""),
			T_RAW("rows", rows.data),
			T_RAW("assign", form.data),
			T_RAW("alert", notice != NULL ? notice : ""),
		};

		(void)web_render(w, &main, "hr-people", args, T_NARGS(args));
	}
	(void)web_page(w, status, i18n_get(w->lang, "hr.people"), main.data);
	buf_free(&main);
	buf_free(&rows);
	buf_free(&form);
	return (KORE_RESULT_OK);
}

int
page_hr_people(struct http_request *req)
{
	struct web	w;

	if (web_begin(&w, req) == -1)
		return (KORE_RESULT_OK);
	return (hr_people(&w, 200, NULL));
}

int
page_hr_person(struct http_request *req)
{
	struct pg_result	*res;
	struct web		 w;
	struct buf		 main, profile, held, options, link, ledger;
	const char		*id;
	char			 roles[256];
	long long		 num;
	int			 i, n;

	if (web_begin(&w, req) == -1)
		return (KORE_RESULT_OK);
	id = web_path_tail(req, "/hr/people/");
	if (web_path_id(req, "/hr/people/", &num) == -1)
		return (web_error(&w, 400, "error.400.number"));
	res = db_query(&w.db, "SELECT u.name, u.email, o.name, coalesce(("
	    "SELECT string_agg(r.role, ', ' ORDER BY r.role) FROM user_roles r "
	    "WHERE r.user_id = u.id), ''), to_char(coalesce((SELECT "
	    "sum(h.hours) FROM hours_ledger h WHERE h.user_id = u.id AND "
	    "h.year = extract(year FROM now())::int), 0), 'FM9990.0') FROM "
	    "users u JOIN orgs o ON o.id = u.org_id WHERE u.id = $1 AND "
	    "o.path LIKE $2 || '%'", 2, id, web_scope(&w, ROLE_HR));
	if (res == NULL)
		return (web_db_error(&w));
	if (db_rows(res) != 1) {
		db_clear(res);
		return (web_error(&w, 404, "error.404.person"));
	}
	buf_init(&main, 8192);
	buf_init(&profile, 8192);
	buf_init(&held, 1024);
	buf_init(&options, 1024);
	buf_init(&link, 64);
	buf_init(&ledger, 2048);
	buf_printf(&link, "/hr/people/%s/competences/", id);
	if (profile_render(&w, strtoll(id, NULL, 10), link.data,
	    &profile) == -1 || ledger_render(&w, strtoll(id, NULL, 10),
	    &ledger) == -1)
		goto fail;
	{
		struct pg_result	*jr;

		jr = db_query(&w.db, "SELECT j.code, j.name, EXISTS (SELECT 1 "
		    "FROM user_job_roles uj WHERE uj.user_id = $1 AND "
		    "uj.role_id = j.id) FROM job_roles j LEFT JOIN orgs o ON "
		    "o.id = j.owner_org_id WHERE j.owner_org_id IS NULL OR "
		    "o.path LIKE $2 || '%' OR $2 LIKE o.path || '%' ORDER BY "
		    "j.name", 2, id, web_scope(&w, ROLE_HR));
		if (jr == NULL)
			goto fail;
		n = db_rows(jr);
		for (i = 0; i < n; i++) {
			if (*db_value(jr, i, 2) == 't') {
				struct tmpl_arg args[] = {
					T_TEXT("person", id),
					T_TEXT("code", db_value(jr, i, 0)),
					T_TEXT("name", db_value(jr, i, 1)),
					T_TEXT("csrf", web_csrf(&w)),
				};

				(void)web_render(&w, &held, "hr-role-held",
				    args, T_NARGS(args));
			} else {
				(void)web_option(&w, &options, db_value(jr, i, 0),
				    db_value(jr, i, 1), 0);
			}
		}
		db_clear(jr);
	}
	{
		struct tmpl_arg args[] = {
			T_TEXT("id", id),
			T_TEXT("name", db_value(res, 0, 0)),
			T_TEXT("email", db_value(res, 0, 1)),
			T_TEXT("org", db_value(res, 0, 2)),
			T_TEXT("roles", web_roles(&w, db_value(res, 0, 3), roles,
			    sizeof(roles))),
			T_TEXT("hours", web_num(&w, db_value(res, 0, 4))),
			T_TEXT("target", STRINGIFY(HOURS_TARGET)),
			T_RAW("held", held.data),
			T_RAW("options", options.data),
			T_TEXT("csrf", web_csrf(&w)),
			T_RAW("profile", profile.data),
			T_RAW("ledger", ledger.data),
		};

		(void)web_render(&w, &main, "hr-person", args, T_NARGS(args));
	}
	db_clear(res);
	(void)web_page(&w, 200, i18n_get(w.lang, "hr.people"), main.data);
	buf_free(&main);
	buf_free(&profile);
	buf_free(&held);
	buf_free(&options);
	buf_free(&link);
	buf_free(&ledger);
	return (KORE_RESULT_OK);
fail:
	db_clear(res);
	buf_free(&main);
	buf_free(&profile);
	buf_free(&held);
	buf_free(&options);
	buf_free(&link);
	buf_free(&ledger);
	return (web_db_error(&w));
}

/*
 * Assign a course to everyone in a unit of the HR user's subtree, or to
 * one person (by e-mail) in it, with an optional deadline.
 */
int
page_hr_assign(struct http_request *req)
{
	struct pg_result	*res;
	struct web		 w;
	struct buf		 alert, msg;
	const char		*course, *org, *email, *due, *scope;
	char			 by[32], details[256];
	int			 i, n, created, count;

	if (web_begin(&w, req) == -1)
		return (KORE_RESULT_OK);
	course = web_arg(&w, "course");
	org = web_arg(&w, "org");
	email = web_arg(&w, "email");
	due = web_arg(&w, "due");
	scope = web_scope(&w, ROLE_HR);
	if (course == NULL || (org == NULL && (email == NULL ||
	    *email == '\0')))
		return (web_error(&w, 400, "hr.err_assign"));
	res = db_query(&w.db, "SELECT u.id FROM users u JOIN orgs o ON o.id = "
	    "u.org_id WHERE u.active AND o.path LIKE $1 || '%' AND CASE WHEN "
	    "$3 <> '' THEN lower(u.email) = lower($3) ELSE o.path LIKE (SELECT "
	    "f.path FROM orgs f WHERE f.code = $2) || '%' END", 3, scope,
	    org != NULL ? org : "", email != NULL ? email : "");
	if (res == NULL)
		return (web_db_error(&w));
	n = db_rows(res);
	if (n == 0) {
		db_clear(res);
		return (web_error(&w, 404, "hr.err_nobody"));
	}
	(void)snprintf(by, sizeof(by), "%lld", w.user->id);
	count = 0;
	if (db_begin(&w.db) == -1) {
		db_clear(res);
		return (web_db_error(&w));
	}
	for (i = 0; i < n; i++) {
		if (learn_enrol(&w.db, strtoll(db_value(res, i, 0), NULL, 10),
		    course, "assigned", w.user->id, due != NULL &&
		    *due != '\0' ? due : NULL, &created) == -1) {
			db_clear(res);
			db_rollback(&w.db);
			return (web_error(&w, 404, "error.404.course"));
		}
		/* The person hears of it (store-mail.c), new or new date. */
		if ((created || (due != NULL && *due != '\0')) &&
		    mail_queue(&w.db, db_value(res, i, 0), "assigned",
		    course) == -1) {
			db_clear(res);
			return (web_db_error(&w));
		}
		count++;
	}
	db_clear(res);
	(void)snprintf(details, sizeof(details), "%s to %d people, due %s",
	    course, count, due != NULL && *due != '\0' ? due : "-");
	if (audit_append(&w.db, w.user->email, "course.assign",
	    email != NULL && *email != '\0' ? email : org, details,
	    w.ip) == -1 || db_commit(&w.db) == -1)
		return (web_db_error(&w));
	buf_init(&alert, 256);
	buf_init(&msg, 128);
	buf_printf(&msg, "%s %d", i18n_get(w.lang, "hr.assigned"), count);
	{
		struct tmpl_arg args[] = {
			T_TEXT("kind", "success"),
			T_TEXT("text", msg.data),
		};

		(void)web_render(&w, &alert, "alert", args, T_NARGS(args));
	}
	(void)hr_people(&w, 200, alert.data);
	buf_free(&alert);
	buf_free(&msg);
	return (KORE_RESULT_OK);
}

/*
 * The hours ledger as CSV, for the HR office's subtree: one person
 * (?user=) or everyone, one year (?year=, this year by default). One
 * row per credit: the hours credited and the minutes the server
 * measured behind them.
 */
int
page_hr_hours_csv(struct http_request *req)
{
	struct ledger	 lg;
	struct csv_out	 c;
	struct web	 w;
	struct buf	 out;
	char		 disp[96];
	long long	 uid = 0, yy = 0;
	size_t		 i;
	int		 y, rc;

	if (web_begin(&w, req) == -1)
		return (KORE_RESULT_OK);
	if (web_arg_num(&w, "user", 1, WEB_ID_MAX, &uid) == -1 ||
	    web_arg_num(&w, "year", 2000, 2099, &yy) == -1)
		return (web_error(&w, 400, "error.400.number"));
	y = yy > 0 ? (int)yy : this_year();
	if (uid > 0) {
		if ((rc = account_in_scope(&w.db, uid, web_scope(&w,
		    ROLE_HR))) == -1)
			return (web_db_error(&w));
		if (rc == 0)
			return (web_error(&w, 404, "error.404.person"));
	}
	if (learn_ledger(&w.db, web_scope(&w, ROLE_HR), uid, y, &lg) == -1)
		return (web_db_error(&w));
	buf_init(&out, 4096 + lg.n * 128);
	csv_out_init(&c, &out, web_csv_lang(&w));
	csv_out_head(&c, "date,name,email,unit,kind,title,hours,"
	    "minutes_measured");
	for (i = 0; i < lg.n; i++) {
		csv_out_text(&c, lg.rows[i].date);
		csv_out_text(&c, lg.rows[i].name);
		csv_out_text(&c, lg.rows[i].email);
		csv_out_text(&c, lg.rows[i].org);
		csv_out_text(&c, i18n_get(c.lang, lg.rows[i].course ?
		    "csv.kind_course" : "csv.kind_module"));
		csv_out_text(&c, lg.rows[i].title);
		csv_out_double(&c, lg.rows[i].hours, 2);
		if (lg.rows[i].seconds >= 0)
			csv_out_double(&c, (double)((lg.rows[i].seconds + 30) /
			    60), 0);
		else
			csv_out_text(&c, "");
		csv_out_end(&c);
	}
	learn_ledger_free(&lg);
	if (uid > 0)
		(void)snprintf(disp, sizeof(disp), "capacita-hours-%lld-%d.csv",
		    uid, y);
	else
		(void)snprintf(disp, sizeof(disp), "capacita-hours-%d.csv", y);
	(void)web_csv(req, disp, 1, &out);
	buf_free(&out);
	web_end(&w);
	return (KORE_RESULT_OK);
}
