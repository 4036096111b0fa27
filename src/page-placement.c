/*
 * page-placement.c: the placement test and the personal plan (README.md,
 * "Placement test" and "Personal plan"). Handlers only: the records are
 * store-placement.c's, the decisions placement.c's, the HTML the
 * templates' (assets/tmpl/placement-*.html, plan-*.html).
 *
 *	/me/placement		the areas, a form to start a test of one
 *	/me/placement/N		the question being asked, or the results
 *	/me/plan		the learner's plan, with enrolment
 *	/hr/people/N/plan	a person's plan for HR, pin or remove
 *	/hr/plans.csv		the plans of a person or of the subtree
 */

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "web.h"

#define PLACEMENT_BODY_MAX	(64 * 1024)

static int	year_now(void);
static const char *phase_label(struct web *, const char *);
static void	results_render(struct web *, const struct placement_view *,
		    const struct placement_row *, size_t, struct buf *);
static int	test_question(struct web *, int, const struct placement_view *,
		    const struct form *, const char *);
static int	test_results(struct web *, const struct placement_view *);
static void	plan_gaps_text(struct web *, const struct plan *,
		    const struct plan_row *, struct buf *);
static const char *plan_status(const struct plan_row *);
static void	plan_render(struct web *, const struct plan *, long long,
		    struct buf *);
static int	placement_begin(struct web *);
static int	test_answer(struct web *, const struct placement_view *);
static int	plan_post(struct web *, long long, const char *);

static int
year_now(void)
{
	time_t		now = time(NULL);
	struct tm	tm;

	(void)gmtime_r(&now, &tm);
	return (tm.tm_year + 1900);
}

static const char *
phase_label(struct web *w, const char *phase)
{
	return (i18n_get(w->lang, strcmp(phase, "final") == 0 ?
	    "placement.phase_final" : "placement.phase_first"));
}

/* POST: start (or resume) a test of an area. */
static int
placement_begin(struct web *w)
{
	struct fail	 f;
	const char	*area;
	char		 loc[64];
	long long	 pid;
	int		 rc;

	fail_clear(&f);
	if ((area = web_arg(w, "area")) == NULL) {
		rc = web_error(w, 400, "placement.err_area");
		goto out;
	}
	if (placement_start(&w->db, w->user->id, area, &pid, &f) == -1) {
		rc = web_fail(w, &f);
		goto out;
	}
	(void)snprintf(loc, sizeof(loc), "/me/placement/%lld", pid);
	rc = web_redirect(w, loc);
out:
	return (rc);
}

/* GET: the areas and one's tests. POST: start (or resume) one. */
int
page_me_placement(struct http_request *req)
{
	struct placement_area	*a = NULL;
	struct web		 w;
	struct fail		 f;
	struct buf		 main, rows, act;
	char			 id[32], comps[32], qs[32];
	size_t			 i, n;

	if (web_begin(&w, req) == -1)
		return (KORE_RESULT_OK);
	if (req->method == HTTP_METHOD_POST)
		return (placement_begin(&w));
	fail_clear(&f);
	if (placement_areas(&w.db, w.user->id, &a, &n, &f) == -1)
		return (web_fail(&w, &f));
	buf_init(&main, 8192);
	buf_init(&rows, 4096);
	buf_init(&act, 512);
	for (i = 0; i < n; i++) {
		(void)snprintf(id, sizeof(id), "%lld", a[i].open);
		(void)snprintf(comps, sizeof(comps), "%d", a[i].competences);
		(void)snprintf(qs, sizeof(qs), "%d", a[i].questions);
		buf_reset(&act);
		if (a[i].open > 0) {
			/* An unfinished test is resumed, not started. */
			struct tmpl_arg args[] = {
				T_TEXT("id", id),
			};

			(void)web_render(&w, &act, "placement-resume", args,
			    T_NARGS(args));
		} else {
			struct tmpl_arg args[] = {
				T_TEXT("code", a[i].code),
				T_TEXT("csrf", web_csrf(&w)),
				T_TEXT("label", i18n_get(w.lang, a[i].done >
				    0 ? "placement.start_final" :
				    "placement.start")),
			};

			(void)web_render(&w, &act, "placement-start", args,
			    T_NARGS(args));
		}
		{
			struct tmpl_arg args[] = {
				T_TEXT("code", a[i].code),
				T_TEXT("name", a[i].name),
				T_TEXT("competences", comps),
				T_TEXT("questions", qs),
				T_TEXT("last", *a[i].last != '\0' ?
				    web_datetime(&w, a[i].last) :
				    i18n_get(w.lang, "placement.never")),
				T_RAW("action", act.data),
			};

			(void)web_render(&w, &rows, "placement-area", args,
			    T_NARGS(args));
		}
	}
	buf_free(&act);
	free(a);
	{
		struct tmpl_arg args[] = {
			T_RAW("rows", rows.data),
		};

		(void)web_render(&w, &main, "placement-list", args,
		    T_NARGS(args));
	}
	(void)web_page(&w, 200, i18n_get(w.lang, "placement.title"),
	    main.data);
	buf_free(&main);
	buf_free(&rows);
	return (KORE_RESULT_OK);
}

/* The question being asked, as a form of one question. */
static int
test_question(struct web *w, int status, const struct placement_view *v,
    const struct form *f, const char *error)
{
	struct quiz	 quiz;
	struct fail	 fl;
	struct buf	 main, q, alert;
	unsigned char	 key[QUIZ_KEY_LEN];
	char		 id[32], step[32], num[32];

	fail_clear(&fl);
	if (quiz_form_key_parse(v->form_key, key) == -1)
		return (web_db_error(w));
	if (placement_question(&w->db, v, &quiz, &fl) == -1)
		return (web_fail(w, &fl));
	buf_init(&main, 8192);
	buf_init(&q, 4096);
	buf_init(&alert, 256);
	quiz_question_render(w, &q, v->seed, key, &quiz.q[0],
	    (size_t)v->answered + 1, f);
	if (error != NULL) {
		struct tmpl_arg args[] = {
			T_TEXT("kind", "danger"),
			T_TEXT("text", i18n_get(w->lang, error)),
		};

		(void)web_render(w, &alert, "alert", args, T_NARGS(args));
	}
	(void)snprintf(id, sizeof(id), "%lld", v->id);
	(void)snprintf(step, sizeof(step), "%d", v->answered);
	(void)snprintf(num, sizeof(num), "%d", v->answered + 1);
	{
		struct tmpl_arg args[] = {
			T_TEXT("id", id),
			T_TEXT("area", v->area_name),
			T_TEXT("phase", phase_label(w, v->phase)),
			T_TEXT("number", num),
			T_TEXT("step", step),
			T_TEXT("csrf", web_csrf(w)),
			T_RAW("alert", alert.data),
			T_RAW("question", q.data),
		};

		(void)web_render(w, &main, "placement-question", args,
		    T_NARGS(args));
	}
	quiz_free(&quiz);
	http_response_header(w->req, "cache-control", "no-store");
	(void)web_page(w, status, i18n_get(w->lang, "placement.title"),
	    main.data);
	buf_free(&main);
	buf_free(&q);
	buf_free(&alert);
	return (KORE_RESULT_OK);
}

static void
results_render(struct web *w, const struct placement_view *v,
    const struct placement_row *r, size_t n, struct buf *out)
{
	char	conf[32], qs[32];
	size_t	i;

	for (i = 0; i < n; i++) {
		(void)snprintf(conf, sizeof(conf), "%.0f",
		    100 * r[i].confidence);
		(void)snprintf(qs, sizeof(qs), "%d", r[i].questions);
		{
			struct tmpl_arg args[] = {
				T_TEXT("code", r[i].code),
				T_TEXT("name", r[i].name),
				T_TEXT("level", r[i].rank > 0 ? r[i].level :
				    i18n_get(w->lang, "profile.none")),
				T_TEXT("confidence", web_num(w, conf)),
				T_TEXT("questions", qs),
				T_TEXT("now", *r[i].now != '\0' ? r[i].now :
				    i18n_get(w->lang, "profile.none")),
				T_TEXT("first", r[i].first_rank > 0 ?
				    r[i].first_level : r[i].first_rank == 0 ?
				    i18n_get(w->lang, "profile.none") : "-"),
			};
			size_t	nargs = T_NARGS(args);

			/* The pair shows the first test beside the final. */
			if (strcmp(v->phase, "final") != 0)
				nargs--;
			(void)web_render(w, out, nargs == T_NARGS(args) ?
			    "placement-result-pair" : "placement-result",
			    args, nargs);
		}
	}
}

/* A finished test: the level found per competence, and what next. */
static int
test_results(struct web *w, const struct placement_view *v)
{
	struct placement_row	*r;
	struct fail		 f;
	struct buf		 main, rows, first;
	size_t			 n;

	fail_clear(&f);
	if (placement_results(&w->db, v, &r, &n, &f) == -1)
		return (web_fail(w, &f));
	buf_init(&main, 8192);
	buf_init(&rows, 4096);
	buf_init(&first, 128);
	results_render(w, v, r, n, &rows);
	free(r);
	/* The pair shows the first test beside the final. */
	if (strcmp(v->phase, "final") == 0)
		(void)web_render(w, &first, "placement-col-first", NULL, 0);
	{
		struct tmpl_arg args[] = {
			T_TEXT("area", v->area_name),
			T_TEXT("phase", phase_label(w, v->phase)),
			T_TEXT("finished", web_datetime(w, v->finished)),
			T_RAW("rows", rows.data),
			T_RAW("first", first.data),
		};

		(void)web_render(w, &main, "placement-results", args,
		    T_NARGS(args));
	}
	http_response_header(w->req, "cache-control", "no-store");
	(void)web_page(w, 200, i18n_get(w->lang, "placement.results_title"),
	    main.data);
	buf_free(&main);
	buf_free(&rows);
	buf_free(&first);
	return (KORE_RESULT_OK);
}

/* POST: answer the question being asked (or nothing, if stale). */
static int
test_answer(struct web *w, const struct placement_view *v)
{
	struct form	 f;
	struct fail	 fl;
	const char	*csrf, *step;
	char		 loc[64];
	long long	 st;
	int		 rc;

	(void)snprintf(loc, sizeof(loc), "/me/placement/%lld", v->id);
	if (web_read_form(w->req, PLACEMENT_BODY_MAX, &f) == -1)
		return (web_error(w, 400, "quiz.bad_form"));
	fail_clear(&fl);
	csrf = form_get(&f, "csrf");
	step = form_get(&f, "step");
	if (csrf == NULL || !auth_equal(csrf, w->user->csrf))
		rc = web_error(w, 403, "error.403.csrf");
	else if (step == NULL || parse_int(step, 0, 10000, &st) == -1)
		rc = web_error(w, 400, "quiz.bad_form");
	else if (placement_answer(&w->db, v, (int)st, &f, &fl) == -1)
		rc = fl.kind == FAIL_INPUT ? test_question(w, 400, v, &f,
		    fl.key) : web_fail(w, &fl);
	else
		rc = web_redirect(w, loc);	/* answered, or already */
	form_free(&f);
	return (rc);
}

/* GET: the question or the results. POST: answer the question. */
int
page_me_placement_test(struct http_request *req)
{
	struct placement_view	 v;
	struct web		 w;
	struct fail		 f;
	long long		 id;
	int			 rc;

	if (web_begin(&w, req) == -1)
		return (KORE_RESULT_OK);
	fail_clear(&f);
	if (web_path_id(req, "/me/placement/", &id) == -1)
		rc = web_error(&w, 400, "error.400.number");
	else if (placement_get(&w.db, id, w.user->id, &v, &f) == -1)
		rc = web_fail(&w, &f);
	else if (req->method == HTTP_METHOD_POST)
		rc = test_answer(&w, &v);
	else if (v.question == 0)
		rc = test_results(&w, &v);
	else
		rc = test_question(&w, 200, &v, NULL, NULL);
	return (rc);
}

/* The gaps an item closes, in words: "GOV.1 intermedio (ora base)". */
static void
plan_gaps_text(struct web *w, const struct plan *p, const struct plan_row *r,
    struct buf *out)
{
	const struct plan_gap_row	*g;
	size_t				 i;

	for (i = 0; i < r->ngaps; i++) {
		g = &p->gaps[r->gaps[i]];
		{
			struct tmpl_arg args[] = {
				T_TEXT("code", g->code),
				T_TEXT("name", g->name),
				T_TEXT("required", g->required_level),
				T_TEXT("reached", *g->reached_level != '\0' ?
				    g->reached_level : i18n_get(w->lang,
				    "profile.none")),
			};

			(void)web_render(w, out, "plan-gap", args,
			    T_NARGS(args));
		}
	}
}

static const char *
plan_status(const struct plan_row *r)
{
	if (r->removed)
		return ("plan.st_removed");
	if (r->enrolled)
		return ("plan.st_enrolled");
	if (!r->fits)
		return ("plan.st_over");
	return ("plan.st_todo");
}

/*
 * The plan's tables; hr > 0 is the person's id for HR's forms (0: the
 * learner's own page, with enrolment).
 */
static void
plan_render(struct web *w, const struct plan *p, long long hr,
    struct buf *out)
{
	const struct plan_row	*r;
	struct buf		 gaps, rows, missing, act, note;
	char			 hours[32], pos[32], person[32];
	size_t			 i, k, j;

	buf_init(&gaps, 1024);
	buf_init(&rows, 4096);
	buf_init(&missing, 1024);
	buf_init(&act, 1024);
	buf_init(&note, 512);
	(void)snprintf(person, sizeof(person), "%lld", hr);
	for (i = 0, k = 0; i < p->n; i++) {
		r = &p->rows[i];
		buf_reset(&gaps);
		plan_gaps_text(w, p, r, &gaps);
		web_fmt_hours(w, hours, sizeof(hours), r->hours);
		(void)snprintf(pos, sizeof(pos), "%zu", r->in_plan ? ++k : 0);
		buf_reset(&act);
		if (hr > 0) {
			struct tmpl_arg args[] = {
				T_TEXT("slug", r->slug),
				T_TEXT("person", person),
				T_TEXT("csrf", web_csrf(w)),
			};

			(void)web_render(w, &act, r->removed ?
			    "plan-hr-restore" : "plan-hr-change", args,
			    T_NARGS(args));
		} else if (!r->removed) {
			struct tmpl_arg args[] = {
				T_TEXT("slug", r->slug),
				T_TEXT("csrf", web_csrf(w)),
			};

			/* Enrolled: open the course; else enrol (csrf). */
			(void)web_render(w, &act, r->enrolled ? "plan-open" :
			    "plan-enrol", args, r->enrolled ? 1 :
			    T_NARGS(args));
		}
		buf_reset(&note);
		if (*r->reason != '\0') {
			struct tmpl_arg args[] = {
				T_TEXT("what", i18n_get(w->lang, r->pinned ?
				    "plan.pinned" : r->removed ?
				    "plan.removed" : "plan.restored")),
				T_TEXT("reason", r->reason),
				T_TEXT("by", r->by),
				T_TEXT("changed", web_datetime(w,
				    r->changed_at)),
			};

			(void)web_render(w, &note, "plan-note", args,
			    T_NARGS(args));
		}
		{
			struct tmpl_arg args[] = {
				T_TEXT("pos", r->in_plan ? pos : "-"),
				T_TEXT("slug", r->slug),
				T_TEXT("title", r->title),
				T_TEXT("hours", hours),
				T_RAW("gaps", gaps.len > 0 ? gaps.data : ""),
				T_TEXT("status", i18n_get(w->lang,
				    plan_status(r))),
				T_TEXT("fits", r->fits ? "yes" : "no"),
				T_RAW("note", note.data),
				T_RAW("action", act.data),
			};

			(void)web_render(w, &rows, "plan-row", args,
			    T_NARGS(args));
		}
	}
	/* Gaps no course teaches: said, not hidden. */
	for (i = 0; i < p->ngaps; i++) {
		for (k = 0; k < p->n; k++) {
			for (j = 0; j < p->rows[k].ngaps; j++)
				if (p->rows[k].gaps[j] == i)
					break;
			if (j < p->rows[k].ngaps)
				break;
		}
		if (k < p->n)
			continue;
		{
			struct tmpl_arg args[] = {
				T_TEXT("code", p->gaps[i].code),
				T_TEXT("name", p->gaps[i].name),
				T_TEXT("required", p->gaps[i].required_level),
				T_TEXT("reached", *p->gaps[i].reached_level !=
				    '\0' ? p->gaps[i].reached_level :
				    i18n_get(w->lang, "profile.none")),
			};

			(void)web_render(w, &missing, "plan-gap", args,
			    T_NARGS(args));
		}
	}
	if (missing.len == 0)
		(void)web_render(w, &missing, "plan-no-missing", NULL, 0);
	{
		char	done[32], planned[32], target[32], year[16], ng[16];

		web_fmt_hours(w, done, sizeof(done), p->hours_done);
		web_fmt_hours(w, planned, sizeof(planned), p->hours_planned);
		web_fmt_hours(w, target, sizeof(target), HOURS_TARGET);
		(void)snprintf(year, sizeof(year), "%d", p->year);
		(void)snprintf(ng, sizeof(ng), "%zu", p->ngaps);
		{
			struct tmpl_arg args[] = {
				T_TEXT("year", year),
				T_TEXT("done", done),
				T_TEXT("planned", planned),
				T_TEXT("target", target),
				T_TEXT("ngaps", ng),
				T_TEXT("empty", p->n == 0 ? i18n_get(w->lang,
				    "plan.empty") : ""),
				T_RAW("rows", rows.data),
				T_RAW("missing", missing.data),
			};

			(void)web_render(w, out, "plan-table", args,
			    T_NARGS(args));
		}
	}
	buf_free(&gaps);
	buf_free(&rows);
	buf_free(&missing);
	buf_free(&act);
	buf_free(&note);
}

/* The learner's own plan. */
int
page_me_plan(struct http_request *req)
{
	struct plan	 p;
	struct web	 w;
	struct fail	 f;
	struct buf	 main, table;

	if (web_begin(&w, req) == -1)
		return (KORE_RESULT_OK);
	fail_clear(&f);
	if (plan_load(&w.db, w.user->id, year_now(), &p, &f) == -1)
		return (web_fail(&w, &f));
	buf_init(&main, 8192);
	buf_init(&table, 8192);
	plan_render(&w, &p, 0, &table);
	plan_free(&p);
	{
		struct tmpl_arg args[] = {
			T_RAW("table", table.data),
		};

		(void)web_render(&w, &main, "plan", args, T_NARGS(args));
	}
	(void)web_page(&w, 200, i18n_get(w.lang, "plan.title"), main.data);
	buf_free(&main);
	buf_free(&table);
	return (KORE_RESULT_OK);
}

/* HR's change to a plan: pin, remove or restore, with a reason. */
static int
plan_post(struct web *w, long long id, const char *loc)
{
	struct fail	 f;
	const char	*course, *action, *reason;
	int		 rc;

	fail_clear(&f);
	course = web_arg(w, "course");
	action = web_arg(w, "action");
	reason = web_arg(w, "reason");
	if (course == NULL || action == NULL)
		rc = web_error(w, 400, "plan.err_change");
	else if (reason == NULL)
		rc = web_error(w, 400, "plan.err_reason");
	else if (plan_change(&w->db, id, course, action, reason, w->user->id,
	    w->user->email, w->ip, &f) == -1)
		rc = web_fail(w, &f);
	else
		rc = web_redirect(w, loc);
	return (rc);
}

/* HR: a person's plan; POST pins, removes or restores a course. */
int
page_hr_person_plan(struct http_request *req)
{
	struct plan		 p;
	struct plan_person	 pp;
	struct web		 w;
	struct fail		 f;
	struct buf		 main, table;
	char			 loc[64], pid[32];
	long long		 id;
	int			 rc;

	if (web_begin(&w, req) == -1)
		return (KORE_RESULT_OK);
	fail_clear(&f);
	buf_init(&main, 8192);
	buf_init(&table, 8192);
	if (web_path_id(req, "/hr/people/", &id) == -1) {
		rc = web_error(&w, 400, "error.400.number");
		goto out;
	}
	if (account_in_scope(&w.db, id, web_scope(&w, ROLE_HR), &f) == -1) {
		rc = web_fail(&w, &f);
		goto out;
	}
	if (plan_person(&w.db, id, &pp, &f) == -1) {
		rc = web_fail(&w, &f);
		goto out;
	}
	(void)snprintf(loc, sizeof(loc), "/hr/people/%lld/plan", id);
	if (req->method == HTTP_METHOD_POST) {
		rc = plan_post(&w, id, loc);
		goto out;
	}
	if (plan_load(&w.db, id, year_now(), &p, &f) == -1) {
		rc = web_fail(&w, &f);
		goto out;
	}
	plan_render(&w, &p, id, &table);
	plan_free(&p);
	(void)snprintf(pid, sizeof(pid), "%lld", id);
	{
		struct tmpl_arg args[] = {
			T_TEXT("id", pid),
			T_TEXT("name", pp.name),
			T_TEXT("email", pp.email),
			T_RAW("table", table.data),
		};

		(void)web_render(&w, &main, "plan-hr", args, T_NARGS(args));
	}
	rc = web_page(&w, 200, pp.name, main.data);
out:
	buf_free(&main);
	buf_free(&table);
	return (rc);
}

/*
 * HR: the plans as CSV, of one person (?user=) or of every person of
 * the subtree who holds a role profile; one row per item.
 */
int
page_hr_plans_csv(struct http_request *req)
{
	struct plan		 p;
	struct plan_person	 pp;
	struct csv_out		 c;
	struct web		 w;
	struct fail		 f;
	struct buf		 out, gaps;
	long long		*ids = NULL, uid = 0;
	char			 disp[64];
	size_t			 n = 0, i, j, k, pos;
	int			 y = year_now();

	if (web_begin(&w, req) == -1)
		return (KORE_RESULT_OK);
	fail_clear(&f);
	if (web_arg_num(&w, "user", 1, WEB_ID_MAX, &uid) == -1)
		return (web_error(&w, 400, "error.400.number"));
	if (uid > 0) {
		if (account_in_scope(&w.db, uid, web_scope(&w, ROLE_HR),
		    &f) == -1)
			return (web_fail(&w, &f));
		ids = xcalloc(1, sizeof(*ids));
		ids[0] = uid;
		n = 1;
	} else if (plan_people(&w.db, web_scope(&w, ROLE_HR), &ids,
	    &n, &f) == -1)
		return (web_fail(&w, &f));
	buf_init(&out, 4096);
	buf_init(&gaps, 256);
	csv_out_init(&c, &out, web_csv_lang(&w));
	csv_out_head(&c, "name,email,year,position,course,title,hours,gaps,"
	    "fits,status,reason");
	for (i = 0; i < n; i++) {
		if (plan_person(&w.db, ids[i], &pp, &f) == -1 ||
		    plan_load(&w.db, ids[i], y, &p, &f) == -1) {
			free(ids);
			buf_free(&out);
			buf_free(&gaps);
			return (web_fail(&w, &f));
		}
		for (j = 0, pos = 0; j < p.n; j++) {
			buf_reset(&gaps);
			for (k = 0; k < p.rows[j].ngaps; k++) {
				const struct plan_gap_row *g =
				    &p.gaps[p.rows[j].gaps[k]];

				buf_printf(&gaps, "%s%s %s", k > 0 ? ", " : "",
				    g->code, g->required_level);
			}
			csv_out_text(&c, pp.name);
			csv_out_text(&c, pp.email);
			csv_out_double(&c, y, 0);
			if (p.rows[j].in_plan)
				csv_out_double(&c, (double)++pos, 0);
			else
				csv_out_text(&c, "");
			csv_out_text(&c, p.rows[j].slug);
			csv_out_text(&c, p.rows[j].title);
			csv_out_double(&c, p.rows[j].hours, 2);
			csv_out_text(&c, gaps.len > 0 ? gaps.data : "");
			csv_out_text(&c, i18n_get(c.lang, p.rows[j].fits ?
			    "csv.yes" : "csv.no"));
			csv_out_text(&c, i18n_get(c.lang,
			    plan_status(&p.rows[j])));
			csv_out_text(&c, p.rows[j].reason);
			csv_out_end(&c);
		}
		plan_free(&p);
	}
	free(ids);
	buf_free(&gaps);
	if (uid > 0)
		(void)snprintf(disp, sizeof(disp), "capacita-plan-%lld-%d.csv",
		    uid, y);
	else
		(void)snprintf(disp, sizeof(disp), "capacita-plans-%d.csv", y);
	(void)web_csv(req, disp, 1, &out);
	buf_free(&out);
	web_end(&w);
	return (KORE_RESULT_OK);
}

/*
 * The placement answers behind a competence, as a section of its
 * explanation page (page-profile.c's explain()).
 */
int
placement_explain_render(struct web *w, long long uid, const char *code,
    struct buf *out, struct fail *f)
{
	struct placement_evidence	*e;
	struct buf			 rows;
	size_t				 i, n;

	if (placement_evidence(&w->db, uid, code, &e, &n, f) == -1)
		return (-1);
	buf_init(&rows, 1024);
	for (i = 0; i < n; i++) {
		struct tmpl_arg args[] = {
			T_TEXT("at", web_datetime(w, e[i].at)),
			T_TEXT("phase", phase_label(w, e[i].phase)),
			T_TEXT("question", e[i].question),
			T_TEXT("level", e[i].level),
			T_TEXT("correct", i18n_get(w->lang, e[i].correct ?
			    "explain.right" : "explain.wrong")),
		};

		(void)web_render(w, &rows, "explain-placement", args,
		    T_NARGS(args));
	}
	placement_evidence_free(e, n);
	{
		struct tmpl_arg args[] = {
			T_TEXT("none", n == 0 ? i18n_get(w->lang,
			    "explain.no_placement") : ""),
			T_RAW("rows", rows.data),
		};

		(void)web_render(w, out, "explain-placement-section", args,
		    T_NARGS(args));
	}
	buf_free(&rows);
	return (0);
}
