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
static void	hr_options(struct web *, struct buf *, const struct choices *);
static int	hr_assign_form(struct web *, struct buf *, struct fail *);
static int	hr_job_roles(struct web *, long long, struct buf *,
		    struct buf *, struct fail *);
static int	ledger_render(struct web *, long long, struct buf *,
		    struct fail *);
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
ledger_render(struct web *w, long long user, struct buf *out,
    struct fail *f)
{
	struct ledger	 lg;
	struct buf	 rows, table;
	char		 hours[32], mins[32], year[16], uid[32];
	size_t		 i;

	if (learn_ledger(&w->db, web_scope(w, ROLE_HR), user, this_year(),
	    &lg, f) == -1)
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

/* The options of a select list, one template each. */
static void
hr_options(struct web *w, struct buf *out, const struct choices *c)
{
	size_t	i;

	for (i = 0; i < c->n; i++)
		(void)web_option(w, out, c->v[i].value, c->v[i].label, 0);
}

/*
 * People as table rows: the template tmpl's holes are id, name, email,
 * org and state, and roles (with roles, the administrators' list) or
 * this year's hours (the HR office's).
 */
void
hr_people_rows(struct web *w, struct buf *out, const struct people *p,
    const char *tmpl, int roles)
{
	char	codes[256], id[32];
	size_t	i;

	for (i = 0; i < p->n; i++) {
		(void)snprintf(id, sizeof(id), "%lld", p->v[i].id);
		{
			struct tmpl_arg args[] = {
				T_TEXT("id", id),
				T_TEXT("name", p->v[i].name),
				T_TEXT("email", p->v[i].email),
				T_TEXT("org", p->v[i].org),
				T_TEXT("state", i18n_get(w->lang,
				    p->v[i].active ? "user.active" :
				    "user.disabled")),
				T_TEXT(roles ? "roles" : "hours", roles ?
				    web_roles(w, p->v[i].roles, codes,
				    sizeof(codes)) : web_num(w,
				    p->v[i].hours)),
			};

			(void)web_render(w, out, tmpl, args, T_NARGS(args));
		}
	}
}

/* The form to assign a course to a person or a unit, with a deadline. */
static int
hr_assign_form(struct web *w, struct buf *out, struct fail *f)
{
	struct choices	 courses, orgs;
	struct buf	 copts, oopts;
	int		 rc = -1;

	memset(&orgs, 0, sizeof(orgs));
	buf_init(&copts, 1024);
	buf_init(&oopts, 1024);
	if (hr_course_choices(&w->db, &courses, f) == -1 ||
	    hr_org_choices(&w->db, web_scope(w, ROLE_HR), &orgs, f) == -1)
		goto out;
	hr_options(w, &copts, &courses);
	hr_options(w, &oopts, &orgs);
	{
		struct tmpl_arg args[] = {
			T_RAW("courses", copts.data),
			T_RAW("orgs", oopts.data),
			T_TEXT("csrf", web_csrf(w)),
		};

		(void)web_render(w, out, "hr-assign", args, T_NARGS(args));
	}
	rc = 0;
out:
	choices_free(&courses);
	choices_free(&orgs);
	buf_free(&copts);
	buf_free(&oopts);
	return (rc);
}

/* The people list, with an alert (HTML) above it after an assignment. */
static int
hr_people(struct web *w, int status, const char *notice)
{
	struct people	 p;
	struct fail	 f;
	struct buf	 main, rows, form;
	const char	*q, *org;

	buf_init(&main, 8192);
	buf_init(&rows, 8192);
	buf_init(&form, 2048);
	q = web_arg(w, "q");
	org = web_arg(w, "org");
	if (hr_people_find(&w->db, web_scope(w, ROLE_HR), q != NULL ? q : "",
	    org != NULL ? org : "", &p, &f) == -1 ||
	    hr_assign_form(w, &form, &f) == -1) {
		(void)web_fail(w, &f);
		goto out;
	}
	hr_people_rows(w, &rows, &p, "hr-person-row", 0);
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
out:
	people_free(&p);
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

/* The job roles a person holds (with a remove button) and may be given. */
static int
hr_job_roles(struct web *w, long long id, struct buf *held,
    struct buf *options, struct fail *f)
{
	struct choices	 jr;
	char		 person[32];
	size_t		 i;

	if (hr_job_role_choices(&w->db, web_scope(w, ROLE_HR), id, &jr,
	    f) == -1)
		return (-1);
	(void)snprintf(person, sizeof(person), "%lld", id);
	for (i = 0; i < jr.n; i++) {
		struct tmpl_arg args[] = {
			T_TEXT("person", person),
			T_TEXT("code", jr.v[i].value),
			T_TEXT("name", jr.v[i].label),
			T_TEXT("csrf", web_csrf(w)),
		};

		if (jr.v[i].on)
			(void)web_render(w, held, "hr-role-held", args,
			    T_NARGS(args));
		else
			(void)web_option(w, options, jr.v[i].value,
			    jr.v[i].label, 0);
	}
	choices_free(&jr);
	return (0);
}

int
page_hr_person(struct http_request *req)
{
	struct people	 p;
	struct fail	 f;
	struct web	 w;
	struct buf	 main, profile, held, options, link, ledger;
	char		 roles[256], id[32];
	long long	 num;

	memset(&p, 0, sizeof(p));
	if (web_begin(&w, req) == -1)
		return (KORE_RESULT_OK);
	buf_init(&main, 8192);
	buf_init(&profile, 8192);
	buf_init(&held, 1024);
	buf_init(&options, 1024);
	buf_init(&link, 64);
	buf_init(&ledger, 2048);
	if (web_path_id(req, "/hr/people/", &num) == -1) {
		(void)fail_set(&f, FAIL_INPUT, "error.400.number", NULL);
		goto fail;
	}
	if (hr_person_get(&w.db, web_scope(&w, ROLE_HR), num, &p, &f) == -1)
		goto fail;
	(void)snprintf(id, sizeof(id), "%lld", num);
	buf_printf(&link, "/hr/people/%s/competences/", id);
	if (profile_render(&w, num, link.data, &profile) == -1) {
		(void)db_fail(&w.db, &f);
		goto fail;
	}
	if (ledger_render(&w, num, &ledger, &f) == -1)
		goto fail;
	if (hr_job_roles(&w, num, &held, &options, &f) == -1)
		goto fail;
	{
		struct tmpl_arg args[] = {
			T_TEXT("id", id),
			T_TEXT("name", p.v[0].name),
			T_TEXT("email", p.v[0].email),
			T_TEXT("org", p.v[0].org),
			T_TEXT("roles", web_roles(&w, p.v[0].roles, roles,
			    sizeof(roles))),
			T_TEXT("hours", web_num(&w, p.v[0].hours)),
			T_TEXT("target", STRINGIFY(HOURS_TARGET)),
			T_RAW("held", held.data),
			T_RAW("options", options.data),
			T_TEXT("csrf", web_csrf(&w)),
			T_RAW("profile", profile.data),
			T_RAW("ledger", ledger.data),
		};

		(void)web_render(&w, &main, "hr-person", args, T_NARGS(args));
	}
	(void)web_page(&w, 200, i18n_get(w.lang, "hr.people"), main.data);
	goto out;
fail:
	(void)web_fail(&w, &f);
out:
	people_free(&p);
	buf_free(&main);
	buf_free(&profile);
	buf_free(&held);
	buf_free(&options);
	buf_free(&link);
	buf_free(&ledger);
	return (KORE_RESULT_OK);
}

/*
 * Assign a course to everyone in a unit of the HR user's subtree, or to
 * one person (by email) in it, with an optional deadline.
 */
int
page_hr_assign(struct http_request *req)
{
	struct hr_assignment	 a;
	struct fail		 f;
	struct web		 w;
	struct buf		 alert, msg;
	const char		*org, *email, *due;
	int			 count;

	if (web_begin(&w, req) == -1)
		return (KORE_RESULT_OK);
	buf_init(&alert, 256);
	buf_init(&msg, 128);
	org = web_arg(&w, "org");
	email = web_arg(&w, "email");
	due = web_arg(&w, "due");
	memset(&a, 0, sizeof(a));
	a.scope = web_scope(&w, ROLE_HR);
	a.course = web_arg(&w, "course");
	a.org = org != NULL ? org : "";
	a.email = email != NULL ? email : "";
	a.due = due != NULL && *due != '\0' ? due : NULL;
	a.by = w.user->id;
	a.actor = w.user->email;
	a.ip = w.ip;
	if (a.course == NULL || (org == NULL && *a.email == '\0'))
		(void)fail_set(&f, FAIL_INPUT, "hr.err_assign", NULL);
	else if (hr_assign(&w.db, &a, &count, &f) == 0) {
		buf_printf(&msg, "%s %d", i18n_get(w.lang, "hr.assigned"),
		    count);
		{
			struct tmpl_arg args[] = {
				T_TEXT("kind", "success"),
				T_TEXT("text", msg.data),
			};

			(void)web_render(&w, &alert, "alert", args,
			    T_NARGS(args));
		}
		(void)hr_people(&w, 200, alert.data);
		goto out;
	}
	(void)web_fail(&w, &f);
out:
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
	struct fail	 f;
	struct web	 w;
	struct buf	 out;
	char		 disp[96];
	long long	 uid = 0, yy = 0;
	size_t		 i;
	int		 y;

	if (web_begin(&w, req) == -1)
		return (KORE_RESULT_OK);
	memset(&lg, 0, sizeof(lg));
	buf_init(&out, 4096);
	fail_clear(&f);
	if (web_arg_num(&w, "user", 1, WEB_ID_MAX, &uid) == -1 ||
	    web_arg_num(&w, "year", 2000, 2099, &yy) == -1)
		(void)fail_set(&f, FAIL_INPUT, "error.400.number", NULL);
	else if (uid > 0)
		(void)account_in_scope(&w.db, uid, web_scope(&w, ROLE_HR), &f);
	y = yy > 0 ? (int)yy : this_year();
	if (f.kind == FAIL_NONE)
		(void)learn_ledger(&w.db, web_scope(&w, ROLE_HR), uid, y, &lg,
		    &f);
	if (f.kind != FAIL_NONE) {
		(void)web_fail(&w, &f);
		goto out;
	}
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
	if (uid > 0)
		(void)snprintf(disp, sizeof(disp), "capacita-hours-%lld-%d.csv",
		    uid, y);
	else
		(void)snprintf(disp, sizeof(disp), "capacita-hours-%d.csv", y);
	(void)web_csv(req, disp, 1, &out);
	web_end(&w);
out:
	learn_ledger_free(&lg);
	buf_free(&out);
	return (KORE_RESULT_OK);
}
