/*
 * page-impact.c: impact evaluation and learning records (README.md,
 * "Impact evaluation"):
 *
 *  - /assessments and /assessment/ID: a learner's pre-tests (at
 *    enrolment), retests (comparison cohort) and post-tests (at
 *    completion), one form of the course's pool each, shown with the
 *    quiz templates and graded by quiz.c (store-impact.c);
 *  - /hr/editions: editions of a course, the later edition that is an
 *    earlier one's comparison cohort, and who is in which;
 *  - /hr/impact(.csv): per course, edition or office: n, means before
 *    and after, the mean change with its t interval, Hake's gain, the
 *    difference in differences with a bootstrap interval (stats.c),
 *    small groups suppressed, the caveats next to the numbers, and two
 *    SVG charts with their tables;
 *  - /hr/funder(.csv): the funder's report per course and region,
 *    printable;
 *  - /api/xapi/statements is in page-xapi.c.
 *
 * HR offices see their subtree only; administrators see everything.
 */

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "web.h"

#define TEST_BODY_MAX		(256 * 1024)
#define IMPACT_GROUPS_MAX	40	/* groups in the page's tables */
#define IMPACT_CHART_MAX	12	/* groups drawn in a chart */
#define CHART_LABEL_MAX		44	/* characters of a group's name */

struct test_view {
	char		 id[40];
	char		 version[32];
	char		 form[4];
	char		 phase[16];
	char		 course[256];
	char		 slug[96];
	uint64_t	 seed;
	int		 submitted;
	int		 due;
	int		 closed;
	char		 score[32];
	char		 max[32];
	char		 percent[32];
	char		 form_key[QUIZ_KEY_HEX + 1];
};

struct sample {
	double		*first;		/* both tests, not excluded */
	double		*second;
	double		*days;
	size_t		 n;
	size_t		 cap;
	double		*did;		/* changes that enter the DiD */
	size_t		 ndid;
	size_t		 started;	/* first test, not excluded */
	size_t		 excluded;
};

struct igroup {
	long long	 key;
	char		*label;
	struct sample	 t;		/* treated */
	struct sample	 c;		/* comparison */
	struct stats_group gt;
	struct stats_group gc;
	struct stats_did did;
	int		 has_did;
};

struct ifilter {
	const char	*scope;
	const char	*org;
	const char	*edition;
	const char	*by;
	char		 course_id[32];
	char		 course_slug[96];
	char		 course_title[256];
};

struct impact {
	struct igroup	*g;
	size_t		 n;
	struct igroup	 all;
};

static const char *impact_scope(struct web *);
static void	th(struct buf *, const char *, const char *);
static void	td(struct buf *, const char *, const char *);
static void	fmt(char *, size_t, enum lang, double);
static void	fmt_signed(char *, size_t, enum lang, double);
static void	fmt_ci(char *, size_t, enum lang, double, double);
static void	fmt_gain(char *, size_t, enum lang, double);
static int	uuid_ok(const char *);
static int	read_form(struct http_request *, struct form *);
static int	message_page(struct web *, int, const char *, const char *);
static const char *phase_label(struct web *, const char *);

static int	test_load(struct web *, const char *, struct test_view *);
static int	test_form(struct web *, int, const struct test_view *,
		    const struct form *, const char *);
static int	test_done(struct web *, const struct test_view *);

static int	editions_page(struct web *, int, const char *, const char *);
static int	editions_create(struct web *, const char **);
static int	editions_assign(struct web *, const char **, int *);
static void	editions_options(struct web *, struct buf *, const char *);

static void	sample_add(struct sample *, double, double, double, int,
		    int);
static void	sample_free(struct sample *);
static struct igroup *impact_group(struct impact *, long long,
		    const char *);
static void	impact_compute(struct igroup *);
static void	impact_free(struct impact *);
static int	impact_filter(struct web *, struct ifilter *);
static int	impact_load(struct web *, const struct ifilter *,
		    struct impact *);
static void	impact_query(const struct ifilter *, struct buf *);
static void	impact_filter_form(struct web *, const struct ifilter *,
		    struct buf *);
static void	impact_table(struct web *, const struct impact *,
		    struct buf *);
static void	impact_row(struct web *, struct buf *, const char *,
		    const char *, const struct sample *,
		    const struct stats_group *);
static void	impact_caveats(struct web *, const struct ifilter *,
		    const struct impact *, const char *, struct buf *);
static void	impact_charts(struct web *, const struct impact *,
		    struct buf *);
static void	csv_sample(struct csv_out *, const char *, long long,
		    const char *, const char *, const struct sample *,
		    const struct stats_group *);

static void	chart_open(struct buf *, const char *, const char *,
		    const char *, int, int);
static void	chart_text(struct buf *, double, double, const char *,
		    const char *, const char *);
static void	chart_label(struct buf *, double, double, const char *,
		    const char *, int);
static void	chart_boxes(struct buf *, enum lang, const char *,
		    const char *, const char *, const char **, char **,
		    const struct stats_box *, const int *, size_t);
static void	chart_forest(struct buf *, enum lang, const char *,
		    const char *, const char *, const char **, char **,
		    const double *, const double *, const double *,
		    const int *, size_t);

static int	funder_load(struct web *, const char *, const char *,
		    struct pg_result **, struct impact *);
static void	funder_gain(char *, size_t, enum lang, const struct igroup *);
static void	funder_gain_csv(struct csv_out *, const struct igroup *);
static const struct igroup *funder_find(const struct impact *, long long,
		    const char *);
static struct igroup *funder_group(struct impact *, long long,
		    const char *);

/* HR offices act on their subtree; administrators on everything. */
static const char *
impact_scope(struct web *w)
{
	if (web_has_role(w, ROLE_ADMIN))
		return ("/");
	return (web_scope(w, ROLE_HR));
}

static void
th(struct buf *b, const char *scope, const char *text)
{
	buf_printf(b, "<th scope=\"%s\">", scope);
	html_puts(b, text);
	buf_puts(b, "</th>");
}

static void
td(struct buf *b, const char *class, const char *text)
{
	if (class != NULL && *class != '\0')
		buf_printf(b, "<td class=\"%s\">", class);
	else
		buf_puts(b, "<td>");
	html_puts(b, text);
	buf_puts(b, "</td>");
}

/* Numbers in tables and charts: one decimal, "-" for none (fmt.c). */
static void
fmt(char *out, size_t len, enum lang lang, double v)
{
	if (isnan(v))
		(void)snprintf(out, len, "-");
	else
		(void)fmt_num(out, len, lang, v, 1, 0);
}

static void
fmt_signed(char *out, size_t len, enum lang lang, double v)
{
	if (isnan(v))
		(void)snprintf(out, len, "-");
	else
		(void)fmt_num(out, len, lang, v, 1, FMT_SIGN);
}

static void
fmt_ci(char *out, size_t len, enum lang lang, double lo, double hi)
{
	char	a[32], b[32];

	if (isnan(lo) || isnan(hi))
		(void)snprintf(out, len, "-");
	else
		(void)snprintf(out, len, "[%s; %s]", fmt_num(a, sizeof(a),
		    lang, lo, 1, FMT_SIGN), fmt_num(b, sizeof(b), lang, hi, 1,
		    FMT_SIGN));
}

static void
fmt_gain(char *out, size_t len, enum lang lang, double g)
{
	if (isnan(g))
		(void)snprintf(out, len, "-");
	else
		(void)fmt_num(out, len, lang, g, 2, 0);
}

static int
uuid_ok(const char *s)
{
	size_t	i;

	if (strlen(s) != 36)
		return (0);
	for (i = 0; i < 36; i++) {
		if (i == 8 || i == 13 || i == 18 || i == 23) {
			if (s[i] != '-')
				return (0);
		} else if (strchr("0123456789abcdef", s[i]) == NULL)
			return (0);
	}
	return (1);
}

/* A url-encoded POST body parsed by form.c (-1: too big or malformed). */
static int
read_form(struct http_request *req, struct form *f)
{
	struct buf	body, err;
	char		chunk[4096];
	ssize_t		n;
	int		rc;

	buf_init(&body, 4096);
	for (;;) {
		if ((n = http_body_read(req, chunk, sizeof(chunk))) <= 0)
			break;
		buf_append(&body, chunk, (size_t)n);
		if (body.len > TEST_BODY_MAX)
			break;
	}
	buf_init(&err, 64);
	rc = n < 0 || body.len > TEST_BODY_MAX ||
	    form_parse(f, body.data, body.len, &err) == -1 ? -1 : 0;
	buf_free(&body);
	buf_free(&err);
	return (rc);
}

/* A page with one message (a test not yet due, or closed). */
static int
message_page(struct web *w, int status, const char *heading_key,
    const char *text_key)
{
	struct buf	main;

	buf_init(&main, 512);
	{
		struct tmpl_arg args[] = {
			T_TEXT("heading", i18n_get(w->lang, heading_key)),
			T_TEXT("kind", "warning"),
			T_TEXT("text", i18n_get(w->lang, text_key)),
		};

		(void)web_render(w, &main, "impact-message", args,
		    T_NARGS(args));
	}
	(void)web_page(w, status, i18n_get(w->lang, heading_key), main.data);
	buf_free(&main);
	return (KORE_RESULT_OK);
}

static const char *
phase_label(struct web *w, const char *phase)
{
	if (strcmp(phase, "pre") == 0)
		return (i18n_get(w->lang, "impact.phase_pre"));
	if (strcmp(phase, "retest") == 0)
		return (i18n_get(w->lang, "impact.phase_retest"));
	return (i18n_get(w->lang, "impact.phase_post"));
}

/*
 * GET /assessments: the signed-in person's tests: those to take, those
 * taken with their score, and the retests still to come.
 */
int
page_assessments(struct http_request *req)
{
	struct pg_result	*res;
	struct web		 w;
	struct buf		 main, table, upcoming;
	const char		*state, *cls;
	char			 uid[32], text[128];
	int			 i, n;

	if (web_begin(&w, req) == -1)
		return (KORE_RESULT_OK);
	if (web_db(&w) == -1 || impact_refresh(&w.db, w.user->id) == -1)
		return (web_db_error(&w));
	(void)snprintf(uid, sizeof(uid), "%lld", w.user->id);
	res = db_query(&w.db, "SELECT a.id, c.title, a.phase, a.form, "
	    "a.submitted_at IS NOT NULL, coalesce(to_char(a.percent, "
	    "'FM990.0'), ''), to_char(a.due_at, 'YYYY-MM-DD'), a.due_at <= "
	    "now(), e.completed_at IS NOT NULL AND a.phase <> 'post', "
	    "coalesce(d.code, '') FROM assessments a JOIN enrolments e ON "
	    "e.id = a.enrolment_id JOIN courses c ON c.id = a.course_id LEFT "
	    "JOIN editions d ON d.id = e.edition_id WHERE a.user_id = $1 "
	    "ORDER BY a.submitted_at IS NOT NULL, a.due_at, c.title", 1, uid);
	if (res == NULL)
		return (web_db_error(&w));
	buf_init(&main, 4096);
	buf_init(&table, 4096);
	buf_init(&upcoming, 512);
	n = db_rows(res);
	if (n > 0) {
		buf_puts(&table, "<table class=\"table table-sm\"><caption>");
		html_puts(&table, i18n_get(w.lang, "impact.tests_caption"));
		buf_puts(&table, "</caption><thead><tr>");
		th(&table, "col", i18n_get(w.lang, "learn.course"));
		th(&table, "col", i18n_get(w.lang, "impact.test"));
		th(&table, "col", i18n_get(w.lang, "editions.edition"));
		th(&table, "col", i18n_get(w.lang, "impact.state"));
		buf_puts(&table, "</tr></thead><tbody>");
	}
	for (i = 0; i < n; i++) {
		int	done = strcmp(db_value(res, i, 4), "t") == 0;
		int	due = strcmp(db_value(res, i, 7), "t") == 0;
		int	closed = strcmp(db_value(res, i, 8), "t") == 0;

		buf_printf(&table, "<tr data-test=\"%s\" data-phase=\"%s\">",
		    db_value(res, i, 0), db_value(res, i, 2));
		th(&table, "row", db_value(res, i, 1));
		td(&table, NULL, phase_label(&w, db_value(res, i, 2)));
		td(&table, NULL, *db_value(res, i, 9) != '\0' ?
		    db_value(res, i, 9) : "\xe2\x80\x94");
		if (done) {
			(void)snprintf(text, sizeof(text), "%s %s%%",
			    i18n_get(w.lang, "impact.taken"),
			    web_num(&w, db_value(res, i, 5)));
			buf_puts(&table, "<td><a href=\"/assessment/");
			buf_puts(&table, db_value(res, i, 0));
			buf_puts(&table, "\">");
			html_puts(&table, text);
			buf_puts(&table, "</a></td>");
		} else if (closed) {
			td(&table, NULL, i18n_get(w.lang,
			    "impact.closed_short"));
		} else if (!due) {
			(void)snprintf(text, sizeof(text), "%s %s",
			    i18n_get(w.lang, "impact.due_from"),
			    web_date(&w, db_value(res, i, 6)));
			td(&table, NULL, text);
		} else {
			state = i18n_get(w.lang, "impact.take");
			cls = "btn btn-primary btn-sm";
			buf_printf(&table, "<td><a class=\"%s\" href=\""
			    "/assessment/%s\">", cls, db_value(res, i, 0));
			html_puts(&table, state);
			buf_puts(&table, "</a></td>");
		}
		buf_puts(&table, "</tr>");
	}
	if (n > 0)
		buf_puts(&table, "</tbody></table>");
	db_clear(res);

	/* Retests of a comparison cohort that are not due yet. */
	res = db_query(&w.db, "SELECT c.title, to_char(p.submitted_at + "
	    "(t.ends_on - t.starts_on) * interval '1 day', 'YYYY-MM-DD') FROM "
	    "enrolments e JOIN courses c ON c.id = e.course_id JOIN editions d "
	    "ON d.id = e.edition_id JOIN editions t ON t.id = d.compares_with "
	    "JOIN assessments p ON p.enrolment_id = e.id AND p.phase = 'pre' "
	    "AND p.submitted_at IS NOT NULL WHERE e.user_id = $1 AND "
	    "e.completed_at IS NULL AND NOT EXISTS (SELECT 1 FROM assessments "
	    "r WHERE r.enrolment_id = e.id AND r.phase = 'retest') ORDER BY 2",
	    1, uid);
	if (res == NULL) {
		buf_free(&main);
		buf_free(&table);
		buf_free(&upcoming);
		return (web_db_error(&w));
	}
	for (i = 0; i < db_rows(res); i++) {
		if (i == 0) {
			buf_puts(&upcoming, "<h2 class=\"h5\">");
			html_puts(&upcoming, i18n_get(w.lang,
			    "impact.upcoming"));
			buf_puts(&upcoming, "</h2><ul>");
		}
		buf_puts(&upcoming, "<li data-upcoming=\"retest\">");
		html_puts(&upcoming, db_value(res, i, 0));
		buf_puts(&upcoming, ": ");
		html_puts(&upcoming, i18n_get(w.lang, "impact.phase_retest"));
		buf_puts(&upcoming, ", ");
		html_puts(&upcoming, i18n_get(w.lang, "impact.due_from"));
		buf_puts(&upcoming, " ");
		html_puts(&upcoming, web_date(&w, db_value(res, i, 1)));
		buf_puts(&upcoming, "</li>");
	}
	if (db_rows(res) > 0)
		buf_puts(&upcoming, "</ul>");
	db_clear(res);
	{
		struct tmpl_arg args[] = {
			T_TEXT("empty", n == 0 ? i18n_get(w.lang,
			    "impact.tests_empty") : ""),
			T_RAW("table", table.data),
			T_RAW("upcoming", upcoming.data),
		};

		(void)web_render(&w, &main, "impact-tests", args,
		    T_NARGS(args));
	}
	http_response_header(req, "cache-control", "no-store");
	(void)web_page(&w, 200, i18n_get(w.lang, "impact.tests_title"),
	    main.data);
	buf_free(&main);
	buf_free(&table);
	buf_free(&upcoming);
	return (KORE_RESULT_OK);
}

/* The test, if it is the signed-in person's: 0, -1 not found, -2 db. */
static int
test_load(struct web *w, const char *id, struct test_view *t)
{
	struct pg_result	*res;
	char			 uid[32];

	memset(t, 0, sizeof(*t));
	if (!uuid_ok(id))
		return (-1);
	(void)snprintf(uid, sizeof(uid), "%lld", w->user->id);
	res = db_query(&w->db, "SELECT a.id, a.version_id, a.form, a.phase, "
	    "c.title, c.slug, a.seed, a.submitted_at IS NOT NULL, a.due_at <= "
	    "now(), e.completed_at IS NOT NULL AND a.phase <> 'post', "
	    "coalesce(to_char(a.score, 'FM9990.0'), ''), coalesce(to_char("
	    "a.max_score, 'FM9990'), ''), coalesce(to_char(a.percent, "
	    "'FM990.0'), ''), a.form_key FROM assessments a JOIN enrolments e "
	    "ON e.id = a.enrolment_id JOIN courses c ON c.id = a.course_id "
	    "WHERE a.id = $1::uuid AND a.user_id = $2", 2, id, uid);
	if (res == NULL)
		return (-2);
	if (db_rows(res) != 1) {
		db_clear(res);
		return (-1);
	}
	xstrlcpy(t->id, db_value(res, 0, 0), sizeof(t->id));
	xstrlcpy(t->version, db_value(res, 0, 1), sizeof(t->version));
	xstrlcpy(t->form, db_value(res, 0, 2), sizeof(t->form));
	xstrlcpy(t->phase, db_value(res, 0, 3), sizeof(t->phase));
	xstrlcpy(t->course, db_value(res, 0, 4), sizeof(t->course));
	xstrlcpy(t->slug, db_value(res, 0, 5), sizeof(t->slug));
	t->seed = (uint64_t)strtoull(db_value(res, 0, 6), NULL, 10);
	t->submitted = strcmp(db_value(res, 0, 7), "t") == 0;
	t->due = strcmp(db_value(res, 0, 8), "t") == 0;
	t->closed = strcmp(db_value(res, 0, 9), "t") == 0;
	xstrlcpy(t->score, db_value(res, 0, 10), sizeof(t->score));
	xstrlcpy(t->max, db_value(res, 0, 11), sizeof(t->max));
	xstrlcpy(t->percent, db_value(res, 0, 12), sizeof(t->percent));
	xstrlcpy(t->form_key, db_value(res, 0, 13), sizeof(t->form_key));
	db_clear(res);
	return (0);
}

static int
test_form(struct web *w, int status, const struct test_view *t,
    const struct form *f, const char *error)
{
	struct quiz	 quiz;
	struct buf	 main, qs, alert;
	unsigned char	 key[QUIZ_KEY_LEN];
	char		 count[32];
	size_t		 i;

	if (quiz_form_key_parse(t->form_key, key) == -1 ||
	    impact_load_form(&w->db, t->version, t->form, &quiz) == -1)
		return (web_db_error(w));
	buf_init(&main, 16384);
	buf_init(&qs, 16384);
	buf_init(&alert, 256);
	for (i = 0; i < quiz.nq; i++)
		quiz_question_render(w, &qs, t->seed, key, &quiz.q[i], i + 1,
		    f);
	if (error != NULL) {
		struct tmpl_arg args[] = {
			T_TEXT("kind", "danger"),
			T_TEXT("text", i18n_get(w->lang, error)),
		};

		(void)web_render(w, &alert, "alert", args, T_NARGS(args));
	}
	(void)snprintf(count, sizeof(count), "%zu", quiz.nq);
	{
		struct tmpl_arg args[] = {
			T_TEXT("id", t->id),
			T_TEXT("phase", phase_label(w, t->phase)),
			T_TEXT("course", t->course),
			T_TEXT("form", t->form),
			T_TEXT("count", count),
			T_TEXT("csrf", web_csrf(w)),
			T_RAW("alert", alert.data),
			T_RAW("questions", qs.data),
		};

		(void)web_render(w, &main, "impact-test", args, T_NARGS(args));
	}
	quiz_free(&quiz);
	http_response_header(w->req, "cache-control", "no-store");
	(void)web_page(w, status, phase_label(w, t->phase), main.data);
	buf_free(&main);
	buf_free(&qs);
	buf_free(&alert);
	return (KORE_RESULT_OK);
}

/* A submitted test: the score only, never the right answers. */
static int
test_done(struct web *w, const struct test_view *t)
{
	struct buf	main;

	buf_init(&main, 2048);
	{
		struct tmpl_arg args[] = {
			T_TEXT("phase", phase_label(w, t->phase)),
			T_TEXT("course", t->course),
			T_TEXT("slug", t->slug),
			T_TEXT("score", web_num(w, t->score)),
			T_TEXT("max", t->max),
			T_TEXT("percent", web_num(w, t->percent)),
			T_TEXT("form", t->form),
		};

		(void)web_render(w, &main, "impact-test-done", args,
		    T_NARGS(args));
	}
	http_response_header(w->req, "cache-control", "no-store");
	(void)web_page(w, 200, phase_label(w, t->phase), main.data);
	buf_free(&main);
	return (KORE_RESULT_OK);
}

/* GET: the test's form, or its score once taken. POST: submit it. */
int
page_assessment(struct http_request *req)
{
	struct impact_result	 r;
	struct test_view	 t;
	struct form		 f;
	struct web		 w;
	struct buf		 err;
	const char		*id, *csrf;
	char			 loc[80];
	int			 rc;

	if (web_begin(&w, req) == -1)
		return (KORE_RESULT_OK);
	if (web_db(&w) == -1)
		return (web_db_error(&w));
	id = web_path_tail(req, "/assessment/");
	if ((rc = test_load(&w, id, &t)) == -2)
		return (web_db_error(&w));
	if (rc == -1)
		return (web_error(&w, 404, "impact.no_test"));
	if (req->method != HTTP_METHOD_POST) {
		if (t.submitted)
			return (test_done(&w, &t));
		if (t.closed)
			return (message_page(&w, 409, "impact.closed_title",
			    "impact.closed"));
		if (!t.due)
			return (message_page(&w, 409, "impact.not_due_title",
			    "impact.not_due"));
		/* The first time the form is shown is when it is launched. */
		if (db_exec(&w.db, "UPDATE assessments SET started_at = now() "
		    "WHERE id = $1::uuid AND started_at IS NULL", 1,
		    t.id) == -1)
			return (web_db_error(&w));
		return (test_form(&w, 200, &t, NULL, NULL));
	}
	if (read_form(req, &f) == -1)
		return (web_error(&w, 400, "quiz.bad_form"));
	csrf = form_get(&f, "csrf");
	if (csrf == NULL || !auth_equal(csrf, w.user->csrf)) {
		form_free(&f);
		return (web_error(&w, 403, "error.403.csrf"));
	}
	buf_init(&err, 64);
	if (impact_submit(&w.db, t.id, w.user->id, &f, &r, &err) == -1) {
		if (err.len == 0)
			rc = web_db_error(&w);
		else if (strcmp(err.data, "impact.closed") == 0)
			rc = message_page(&w, 409, "impact.closed_title",
			    err.data);
		else if (strcmp(err.data, "impact.not_due") == 0)
			rc = message_page(&w, 409, "impact.not_due_title",
			    err.data);
		else
			rc = test_form(&w, 400, &t, &f, err.data);
		form_free(&f);
		buf_free(&err);
		return (rc);
	}
	form_free(&f);
	buf_free(&err);
	(void)snprintf(loc, sizeof(loc), "/assessment/%s", t.id);
	return (web_redirect(&w, loc));
}

/* The editions an HR office may use, as <option>s. */
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
	    "d.starts_on, d.code", 1, impact_scope(w));
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

	scope = impact_scope(w);
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
		th(&table, "col", i18n_get(w->lang, "editions.code"));
		th(&table, "col", i18n_get(w->lang, "learn.course"));
		th(&table, "col", i18n_get(w->lang, "editions.starts"));
		th(&table, "col", i18n_get(w->lang, "editions.ends"));
		th(&table, "col", i18n_get(w->lang, "editions.compares"));
		th(&table, "col", i18n_get(w->lang, "editions.people"));
		th(&table, "col", i18n_get(w->lang, "editions.pre_taken"));
		buf_puts(&table, "</tr></thead><tbody>");
	}
	for (i = 0; i < n; i++) {
		buf_printf(&table, "<tr data-edition=\"%s\">",
		    db_value(res, i, 0));
		th(&table, "row", db_value(res, i, 1));
		td(&table, NULL, db_value(res, i, 2));
		td(&table, NULL, web_date(w, db_value(res, i, 3)));
		td(&table, NULL, web_date(w, db_value(res, i, 4)));
		td(&table, NULL, *db_value(res, i, 5) != '\0' ?
		    db_value(res, i, 5) : "\xe2\x80\x94");
		td(&table, NULL, db_value(res, i, 6));
		td(&table, NULL, db_value(res, i, 7));
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
		    compares, course, starts, impact_scope(w));
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
	scope = impact_scope(w);
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

static void
sample_add(struct sample *s, double first, double second, double days,
    int excluded, int matched)
{
	if (excluded) {
		s->excluded++;
		return;
	}
	s->started++;
	if (isnan(second))
		return;
	if (s->n == s->cap) {
		s->cap = s->cap == 0 ? 16 : s->cap * 2;
		s->first = xreallocarray(s->first, s->cap, sizeof(double));
		s->second = xreallocarray(s->second, s->cap, sizeof(double));
		s->days = xreallocarray(s->days, s->cap, sizeof(double));
		s->did = xreallocarray(s->did, s->cap, sizeof(double));
	}
	s->first[s->n] = first;
	s->second[s->n] = second;
	s->days[s->n] = days;
	s->n++;
	if (matched)
		s->did[s->ndid++] = second - first;
}

static void
sample_free(struct sample *s)
{
	free(s->first);
	free(s->second);
	free(s->days);
	free(s->did);
}

static struct igroup *
impact_group(struct impact *im, long long key, const char *label)
{
	size_t	i;

	for (i = 0; i < im->n; i++) {
		if (im->g[i].key == key)
			return (&im->g[i]);
	}
	im->g = xreallocarray(im->g, im->n + 1, sizeof(*im->g));
	memset(&im->g[im->n], 0, sizeof(im->g[im->n]));
	im->g[im->n].key = key;
	im->g[im->n].label = xstrdup(label);
	return (&im->g[im->n++]);
}

/*
 * A group's numbers: each sample's summary (stats_group) and, when both
 * have at least IMPACT_MIN_N people, the difference in differences of
 * the treated whose edition has a comparison cohort against that
 * cohort, with its bootstrap interval.
 */
static void
impact_compute(struct igroup *g)
{
	stats_group(&g->gt, g->t.first, g->t.second, g->t.n, STATS_LEVEL);
	stats_group(&g->gc, g->c.first, g->c.second, g->c.n, STATS_LEVEL);
	g->has_did = g->t.ndid >= IMPACT_MIN_N && g->c.ndid >= IMPACT_MIN_N &&
	    stats_bootstrap_did(g->t.did, g->t.ndid, g->c.did, g->c.ndid,
	    STATS_BOOTSTRAP, STATS_SEED, STATS_LEVEL, &g->did) == 0;
}

static void
impact_free(struct impact *im)
{
	size_t	i;

	for (i = 0; i < im->n; i++) {
		free(im->g[i].label);
		sample_free(&im->g[i].t);
		sample_free(&im->g[i].c);
	}
	free(im->g);
	free(im->all.label);
	sample_free(&im->all.t);
	sample_free(&im->all.c);
	memset(im, 0, sizeof(*im));
}

/*
 * The report's filter: the course (by default the first with a pool),
 * a unit, an edition, and the grouping. -1 on a database error; an
 * empty course_id when no course has a pool.
 */
static int
impact_filter(struct web *w, struct ifilter *f)
{
	struct pg_result	*res;
	const char		*course;

	memset(f, 0, sizeof(*f));
	f->scope = impact_scope(w);
	f->org = web_arg(w, "org") != NULL ? web_arg(w, "org") : "";
	f->edition = web_arg(w, "edition") != NULL ? web_arg(w, "edition") :
	    "";
	f->by = web_arg(w, "by") != NULL ? web_arg(w, "by") : "edition";
	course = web_arg(w, "course");
	res = db_query(&w->db, "SELECT id, slug, title FROM courses WHERE "
	    "assessment_module_id IS NOT NULL ORDER BY slug = $1 DESC, title, "
	    "slug LIMIT 1", 1, course != NULL ? course : "");
	if (res == NULL)
		return (-1);
	if (db_rows(res) == 1) {
		xstrlcpy(f->course_id, db_value(res, 0, 0),
		    sizeof(f->course_id));
		xstrlcpy(f->course_slug, db_value(res, 0, 1),
		    sizeof(f->course_slug));
		xstrlcpy(f->course_title, db_value(res, 0, 2),
		    sizeof(f->course_title));
	}
	db_clear(res);
	return (0);
}

/* The filter as a query string (for the CSV link). */
static void
impact_query(const struct ifilter *f, struct buf *b)
{
	buf_puts(b, "course=");
	url_encode(b, f->course_slug);
	buf_puts(b, "&org=");
	url_encode(b, f->org);
	buf_puts(b, "&edition=");
	url_encode(b, f->edition);
	buf_puts(b, "&by=");
	url_encode(b, f->by);
}

/*
 * The per-person rows (impact_people in sql/0010-impact.sql) into
 * groups by edition or office, and all of them together.
 */
static int
impact_load(struct web *w, const struct ifilter *f, struct impact *im)
{
	struct pg_result	*res;
	struct igroup		*g;
	const char		*label;
	double			 first, second, days;
	int			 i, n, comp, excl, matched, by_office;

	memset(im, 0, sizeof(*im));
	im->all.key = -1;
	im->all.label = xstrdup(i18n_get(w->lang, "impact.all"));
	if (f->course_id[0] == '\0')
		return (0);
	by_office = strcmp(f->by, "office") == 0;
	res = db_query(&w->db, "SELECT CASE WHEN $5 = 'office' THEN o.id "
	    "ELSE coalesce(p.edition_id, 0) END, CASE WHEN $5 = 'office' THEN "
	    "o.name ELSE coalesce(d.code, '') END, p.grp = 'comparison', "
	    "p.first, coalesce(p.second::text, ''), coalesce(p.days::text, "
	    "''), p.excluded, p.grp = 'comparison' OR EXISTS (SELECT 1 FROM "
	    "editions x WHERE x.compares_with = p.edition_id) FROM "
	    "impact_people($1, $2, $3::bigint) p LEFT JOIN editions d ON d.id "
	    "= p.edition_id JOIN orgs o ON o.id = org_at_depth(p.org_path, 3) "
	    "WHERE $4 = '' OR coalesce(p.edition_id, 0) = nullif($4, '')::"
	    "bigint ORDER BY "
	    "CASE WHEN $5 = 'office' THEN org_order(o.path) END, d.starts_on "
	    "NULLS FIRST, d.code, o.name", 5, f->scope, f->org, f->course_id,
	    f->edition, f->by);
	if (res == NULL)
		return (-1);
	n = db_rows(res);
	for (i = 0; i < n; i++) {
		label = db_value(res, i, 1);
		if (!by_office && *label == '\0')
			label = i18n_get(w->lang, "impact.no_edition");
		g = impact_group(im, strtoll(db_value(res, i, 0), NULL, 10),
		    label);
		comp = strcmp(db_value(res, i, 2), "t") == 0;
		first = strtod(db_value(res, i, 3), NULL);
		second = *db_value(res, i, 4) != '\0' ?
		    strtod(db_value(res, i, 4), NULL) : NAN;
		days = *db_value(res, i, 5) != '\0' ?
		    strtod(db_value(res, i, 5), NULL) : NAN;
		excl = strcmp(db_value(res, i, 6), "t") == 0;
		matched = strcmp(db_value(res, i, 7), "t") == 0;
		sample_add(comp ? &g->c : &g->t, first, second, days, excl,
		    matched);
		sample_add(comp ? &im->all.c : &im->all.t, first, second, days,
		    excl, matched);
	}
	db_clear(res);
	for (i = 0; i < (int)im->n; i++)
		impact_compute(&im->g[i]);
	impact_compute(&im->all);
	return (0);
}

static void
impact_filter_form(struct web *w, const struct ifilter *f, struct buf *out)
{
	struct pg_result	*res;
	struct buf		 courses, orgs, eds, bys, label;
	static const char	*byv[] = { "edition", "office" };
	char			 key[32];
	int			 i;

	buf_init(&courses, 1024);
	buf_init(&orgs, 2048);
	buf_init(&eds, 1024);
	buf_init(&bys, 256);
	buf_init(&label, 128);
	res = db_query(&w->db, "SELECT slug, title FROM courses WHERE "
	    "assessment_module_id IS NOT NULL ORDER BY title, slug", 0);
	if (res != NULL) {
		for (i = 0; i < db_rows(res); i++) {
			(void)web_option(w, &courses, db_value(res, i, 0),
			    db_value(res, i, 1),
			    strcmp(f->course_slug, db_value(res, i, 0)) == 0);
		}
		db_clear(res);
	}
	res = db_query(&w->db, "SELECT code, name, kind FROM orgs WHERE path "
	    "LIKE $1 || '%' ORDER BY org_order(path)", 1, f->scope);
	if (res != NULL) {
		for (i = 0; i < db_rows(res); i++) {
			buf_reset(&label);
			if (strcmp(db_value(res, i, 2), "agency") == 0)
				buf_puts(&label, "\xe2\x80\x83");
			else if (strcmp(db_value(res, i, 2), "office") == 0)
				buf_puts(&label, "\xe2\x80\x83\xe2\x80\x83");
			buf_puts(&label, db_value(res, i, 1));
			(void)web_option(w, &orgs, db_value(res, i, 0),
			    label.data,
			    strcmp(f->org, db_value(res, i, 0)) == 0);
		}
		db_clear(res);
	}
	res = db_query(&w->db, "SELECT d.id, d.code FROM editions d WHERE "
	    "d.course_id = $1::bigint ORDER BY d.starts_on, d.code", 1,
	    f->course_id[0] != '\0' ? f->course_id : "0");
	if (res != NULL) {
		for (i = 0; i < db_rows(res); i++) {
			(void)web_option(w, &eds, db_value(res, i, 0),
			    db_value(res, i, 1),
			    strcmp(f->edition, db_value(res, i, 0)) == 0);
		}
		db_clear(res);
	}
	for (i = 0; i < 2; i++) {
		(void)snprintf(key, sizeof(key), "impact.by_%s", byv[i]);
		(void)web_option(w, &bys, byv[i], i18n_get(w->lang, key),
		    strcmp(f->by, byv[i]) == 0);
	}
	{
		struct tmpl_arg args[] = {
			T_RAW("courses", courses.data),
			T_RAW("orgs", orgs.data),
			T_RAW("editions", eds.data),
			T_RAW("bys", bys.data),
		};

		(void)web_render(w, out, "impact-filter", args,
		    T_NARGS(args));
	}
	buf_free(&courses);
	buf_free(&orgs);
	buf_free(&eds);
	buf_free(&bys);
	buf_free(&label);
}

/*
 * One row of the results table: a group (treated or comparison) of a
 * unit or edition; under IMPACT_MIN_N people, nothing but the note.
 */
static void
impact_row(struct web *w, struct buf *b, const char *label,
    const char *group_key, const struct sample *s,
    const struct stats_group *g)
{
	char	n[32], v[64], days[32];
	double	*d;

	buf_printf(b, "<tr data-group=\"%s\">", strcmp(group_key,
	    "impact.treated") == 0 ? "treated" : "comparison");
	th(b, "row", label);
	td(b, NULL, i18n_get(w->lang, group_key));
	if (s->n < IMPACT_MIN_N) {
		buf_printf(b, "<td colspan=\"9\" class=\"suppressed\" "
		    "data-suppressed=\"1\">");
		html_puts(b, i18n_get(w->lang, "impact.suppressed"));
		buf_puts(b, "</td></tr>");
		return;
	}
	(void)snprintf(n, sizeof(n), "%zu", s->started);
	buf_printf(b, "<td data-stat=\"started\">%s</td>", n);
	(void)snprintf(n, sizeof(n), "%zu", s->n);
	buf_printf(b, "<td data-stat=\"n\">%s</td>", n);
	fmt(v, sizeof(v), w->lang, g->mean_first);
	buf_printf(b, "<td data-stat=\"first\">%s</td>", v);
	fmt(v, sizeof(v), w->lang, g->mean_second);
	buf_printf(b, "<td data-stat=\"second\">%s</td>", v);
	fmt_signed(v, sizeof(v), w->lang, g->mean_change);
	buf_printf(b, "<td data-stat=\"change\">%s</td>", v);
	fmt_ci(v, sizeof(v), w->lang, g->ci_lo, g->ci_hi);
	buf_printf(b, "<td data-stat=\"ci\">%s</td>", v);
	fmt_gain(v, sizeof(v), w->lang, g->gain);
	buf_printf(b, "<td data-stat=\"gain\">%s</td>", v);
	fmt_gain(v, sizeof(v), w->lang, g->gain_mean);
	buf_printf(b, "<td data-stat=\"gain_mean\">%s</td>", v);
	d = xcalloc(s->n, sizeof(*d));
	memcpy(d, s->days, s->n * sizeof(*d));
	stats_sort(d, s->n);
	fmt(days, sizeof(days), w->lang, stats_quantile(d, s->n, 0.5));
	free(d);
	buf_printf(b, "<td data-stat=\"days\">%s</td></tr>", days);
}

/* The results: per group, treated, comparison and their DiD. */
static void
impact_table(struct web *w, const struct impact *im, struct buf *b)
{
	const struct igroup	*g;
	char			 v[64], n[64];
	size_t			 i;

	buf_puts(b, "<table class=\"table table-sm impact-table\">"
	    "<caption>");
	html_puts(b, i18n_get(w->lang, "impact.table_caption"));
	buf_puts(b, "</caption><thead><tr>");
	th(b, "col", i18n_get(w->lang, "impact.col_key"));
	th(b, "col", i18n_get(w->lang, "impact.col_group"));
	th(b, "col", i18n_get(w->lang, "impact.col_started"));
	th(b, "col", i18n_get(w->lang, "impact.col_n"));
	th(b, "col", i18n_get(w->lang, "impact.col_first"));
	th(b, "col", i18n_get(w->lang, "impact.col_second"));
	th(b, "col", i18n_get(w->lang, "impact.col_change"));
	th(b, "col", i18n_get(w->lang, "impact.col_ci"));
	th(b, "col", i18n_get(w->lang, "impact.col_gain"));
	th(b, "col", i18n_get(w->lang, "impact.col_gain_mean"));
	th(b, "col", i18n_get(w->lang, "impact.col_days"));
	buf_puts(b, "</tr></thead>");
	for (i = 0; i <= im->n && i <= IMPACT_GROUPS_MAX; i++) {
		g = i < im->n && i < IMPACT_GROUPS_MAX ? &im->g[i] : &im->all;
		buf_printf(b, "<tbody data-key=\"%lld\">", g->key);
		impact_row(w, b, g->label, "impact.treated", &g->t, &g->gt);
		impact_row(w, b, g->label, "impact.comparison", &g->c, &g->gc);
		buf_puts(b, "<tr class=\"did\" data-group=\"did\">");
		th(b, "row", g->label);
		td(b, NULL, i18n_get(w->lang, "impact.did_row"));
		if (g->has_did) {
			(void)snprintf(n, sizeof(n), "%zu / %zu", g->t.ndid,
			    g->c.ndid);
			buf_printf(b, "<td></td><td data-stat=\"did_n\">%s</td>"
			    "<td></td><td></td>", n);
			fmt_signed(v, sizeof(v), w->lang, g->did.estimate);
			buf_printf(b, "<td data-stat=\"did\">%s</td>", v);
			fmt_ci(v, sizeof(v), w->lang, g->did.lo, g->did.hi);
			buf_printf(b, "<td data-stat=\"did_ci\">%s</td>"
			    "<td colspan=\"3\"></td>", v);
		} else {
			buf_puts(b, "<td colspan=\"9\" class=\"suppressed\" "
			    "data-suppressed=\"1\">");
			html_puts(b, i18n_get(w->lang, "impact.no_did"));
			buf_puts(b, "</td>");
		}
		buf_puts(b, "</tr></tbody>");
		if (g == &im->all)
			break;
	}
	buf_puts(b, "</table>");
}

/* The caveats, with this selection's attrition and exclusions. */
static void
impact_caveats(struct web *w, const struct ifilter *f, const struct impact *im,
    const char *table, struct buf *out)
{
	const struct sample	*t = &im->all.t, *c = &im->all.c;
	struct buf		 q, link;
	char			 att_t[32], att_c[32], st_t[32], st_c[32];
	char			 excl[32], dt[32], dc[32];
	double			*d;

	(void)snprintf(att_t, sizeof(att_t), "%zu", t->started - t->n);
	(void)snprintf(att_c, sizeof(att_c), "%zu", c->started - c->n);
	(void)snprintf(st_t, sizeof(st_t), "%zu", t->started);
	(void)snprintf(st_c, sizeof(st_c), "%zu", c->started);
	(void)snprintf(excl, sizeof(excl), "%zu", t->excluded + c->excluded);
	d = xcalloc(t->n + c->n + 1, sizeof(*d));
	memcpy(d, t->days, t->n * sizeof(*d));
	stats_sort(d, t->n);
	fmt(dt, sizeof(dt), w->lang, t->n >= IMPACT_MIN_N ?
	    stats_quantile(d, t->n,
	    0.5) : NAN);
	memcpy(d, c->days, c->n * sizeof(*d));
	stats_sort(d, c->n);
	fmt(dc, sizeof(dc), w->lang, c->n >= IMPACT_MIN_N ?
	    stats_quantile(d, c->n,
	    0.5) : NAN);
	free(d);
	buf_init(&q, 128);
	buf_init(&link, 160);
	impact_query(f, &q);
	buf_printf(&link, "/hr/impact.csv?%s", q.data);
	{
		struct tmpl_arg args[] = {
			T_TEXT("course", f->course_title),
			T_RAW("table", table),
			T_TEXT("csv", link.data),
			T_TEXT("att_t", att_t),
			T_TEXT("att_c", att_c),
			T_TEXT("started_t", st_t),
			T_TEXT("started_c", st_c),
			T_TEXT("excluded", excl),
			T_TEXT("days_t", dt),
			T_TEXT("days_c", dc),
			T_TEXT("query", q.data),
		};

		(void)web_render(w, out, "impact-results", args,
		    T_NARGS(args));
	}
	buf_free(&q);
	buf_free(&link);
}

static void
chart_open(struct buf *b, const char *id, const char *title,
    const char *desc, int width, int height)
{
	buf_printf(b, "<svg xmlns=\"http://www.w3.org/2000/svg\" "
	    "class=\"chart\" role=\"img\" viewBox=\"0 0 %d %d\" width=\"%d\" "
	    "height=\"%d\" aria-labelledby=\"%s-t %s-d\" font-family=\""
	    "Titillium Web, Geneva, Tahoma, sans-serif\" font-size=\"12\">",
	    width, height, width, height, id, id);
	buf_printf(b, "<title id=\"%s-t\">", id);
	html_puts(b, title);
	buf_printf(b, "</title><desc id=\"%s-d\">", id);
	html_puts(b, desc);
	buf_puts(b, "</desc>");
}

static void
chart_text(struct buf *b, double x, double y, const char *anchor,
    const char *attrs, const char *text)
{
	buf_printf(b, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\"%s%s>",
	    x, y, anchor, *attrs != '\0' ? " " : "", attrs);
	html_puts(b, text);
	buf_puts(b, "</text>");
}

/*
 * A row's label at the left of a chart, right-aligned at x: the group
 * (cut to fit) above, what the row shows below.
 */
static void
chart_label(struct buf *b, double x, double y, const char *group,
    const char *what, int bold)
{
	char	cut[CHART_LABEL_MAX + 4];

	if (utf8_strlen(group) > CHART_LABEL_MAX) {
		size_t	i, n;

		/* Cut at a character boundary, then an ellipsis. */
		for (i = 0, n = 0; group[i] != '\0' && n < CHART_LABEL_MAX - 1;
		    i++)
			if (((unsigned char)group[i] & 0xc0) != 0x80)
				n++;
		while (((unsigned char)group[i] & 0xc0) == 0x80)
			i++;
		(void)snprintf(cut, sizeof(cut), "%.*s\xe2\x80\xa6", (int)i,
		    group);
		group = cut;
	}
	chart_text(b, x, y - 3, "end", "fill=\"#5c6f82\" font-size=\"11\"",
	    group);
	chart_text(b, x, y + 11, "end", bold ? "font-weight=\"bold\"" : "",
	    what);
}

/*
 * Box plots on the 0-100 scale, one per row: whiskers from the lowest
 * to the highest score, the box from the first to the third quartile,
 * the median as a thick line and written out with n. kind 0: first
 * test (grey), 1: second test (blue).
 */
static void
chart_boxes(struct buf *b, enum lang lang, const char *id, const char *title,
    const char *desc, const char **groups, char **labels,
    const struct stats_box *box, const int *kind, size_t n)
{
	const int	left = 300, width = 400, rowh = 34, top = 28;
	static const char *stroke[] = { "#5c6f82", "#0066cc" };
	static const char *fill[] = { "#e8ecf0", "#cce0f5" };
	char		val[64], num[32];
	double		y, x0, x1;
	size_t		i;
	int		t;

	chart_open(b, id, title, desc, left + width + 150,
	    top + (int)n * rowh + 10);
	for (t = 0; t <= 100; t += 20) {
		x0 = left + width * t / 100.0;
		buf_printf(b, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" "
		    "y2=\"%d\" stroke=\"#c5c7c9\"/>", x0, top - 6, x0,
		    top + (int)n * rowh);
		(void)snprintf(val, sizeof(val), "%d%%", t);
		chart_text(b, x0, top - 10, "middle", "", val);
	}
	for (i = 0; i < n; i++) {
		y = top + (double)i * rowh + rowh / 2.0;
		t = kind[i] ? 1 : 0;
		chart_label(b, left - 8, y, groups[i], labels[i], 0);
		x0 = left + width * box[i].min / 100;
		x1 = left + width * box[i].max / 100;
		buf_printf(b, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" "
		    "y2=\"%.1f\" stroke=\"%s\"/>", x0, y, x1, y, stroke[t]);
		x0 = left + width * box[i].q1 / 100;
		x1 = left + width * box[i].q3 / 100;
		buf_printf(b, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" "
		    "height=\"16\" fill=\"%s\" stroke=\"%s\"/>", x0, y - 8,
		    x1 - x0 < 1 ? 1 : x1 - x0, fill[t], stroke[t]);
		x0 = left + width * box[i].median / 100;
		buf_printf(b, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" "
		    "y2=\"%.1f\" stroke=\"%s\" stroke-width=\"3\"/>", x0,
		    y - 8, x0, y + 8, stroke[t]);
		(void)snprintf(val, sizeof(val), "Me %s (n %zu)", fmt_num(num,
		    sizeof(num), lang, box[i].median, 1, 0), box[i].n);
		chart_text(b, left + width + 8, y + 4, "start", "", val);
	}
	buf_puts(b, "</svg>");
}

/*
 * Estimates with their intervals on a common scale with zero marked:
 * the mean change of each group (kind 0 treated, 1 comparison) and the
 * difference in differences (kind 2), each written out at the right.
 */
static void
chart_forest(struct buf *b, enum lang lang, const char *id, const char *title,
    const char *desc, const char **groups, char **labels, const double *est,
    const double *lo, const double *hi, const int *kind, size_t n)
{
	const int	left = 300, width = 400, rowh = 34, top = 28;
	static const char *ink[] = { "#0066cc", "#5c6f82", "#a61919" };
	char		val[96], ci[64], num[32];
	double		min, max, y, x0, x1, step, tick;
	size_t		i;

	min = 0;
	max = 0;
	for (i = 0; i < n; i++) {
		if (lo[i] < min)
			min = lo[i];
		if (hi[i] > max)
			max = hi[i];
	}
	step = max - min > 50 ? 20 : max - min > 20 ? 10 : 5;
	min = floor(min / step) * step;
	max = ceil(max / step) * step;
	if (max <= min)
		max = min + step;
	chart_open(b, id, title, desc, left + width + 190,
	    top + (int)n * rowh + 10);
	for (tick = min; tick <= max + 1e-9; tick += step) {
		x0 = left + width * (tick - min) / (max - min);
		buf_printf(b, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" "
		    "y2=\"%d\" stroke=\"%s\"%s/>", x0, top - 6, x0,
		    top + (int)n * rowh, fabs(tick) < 1e-9 ? "#1a1a1a" :
		    "#c5c7c9", fabs(tick) < 1e-9 ? " stroke-width=\"2\"" : "");
		if (fabs(tick) < 1e-9)
			xstrlcpy(val, "0", sizeof(val));
		else
			(void)snprintf(val, sizeof(val), "%+.0f", tick);
		chart_text(b, x0, top - 10, "middle", "", val);
	}
	for (i = 0; i < n; i++) {
		y = top + (double)i * rowh + rowh / 2.0;
		chart_label(b, left - 8, y, groups[i], labels[i], kind[i] == 2);
		x0 = left + width * (lo[i] - min) / (max - min);
		x1 = left + width * (hi[i] - min) / (max - min);
		buf_printf(b, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" "
		    "y2=\"%.1f\" stroke=\"%s\" stroke-width=\"2\"/>", x0, y,
		    x1, y, ink[kind[i]]);
		x0 = left + width * (est[i] - min) / (max - min);
		if (kind[i] == 2)
			buf_printf(b, "<rect x=\"%.1f\" y=\"%.1f\" "
			    "width=\"10\" height=\"10\" fill=\"%s\"/>", x0 - 5,
			    y - 5, ink[2]);
		else
			buf_printf(b, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"5\" "
			    "fill=\"%s\"/>", x0, y, ink[kind[i]]);
		fmt_ci(ci, sizeof(ci), lang, lo[i], hi[i]);
		(void)snprintf(val, sizeof(val), "%s %s", fmt_num(num,
		    sizeof(num), lang, est[i], 1, FMT_SIGN), ci);
		chart_text(b, left + width + 8, y + 4, "start", "", val);
	}
	buf_puts(b, "</svg>");
}

/*
 * The two charts: the distributions of the first and second scores of
 * each group shown, and the mean changes and DiDs with their intervals;
 * each with a table of the same numbers.
 */
static void
impact_charts(struct web *w, const struct impact *im, struct buf *out)
{
	const struct igroup	*g;
	const struct sample	*s;
	struct stats_box	*box;
	struct buf		 svg, table, label;
	const char		**groups;
	char			**labels, v[64];
	double			*x, *est, *lo, *hi;
	int			*kind;
	size_t			 i, k, n, m, cap;
	const char		*gk;

	cap = (IMPACT_CHART_MAX + 1) * 4;
	labels = xcalloc(cap, sizeof(*labels));
	groups = xcalloc(cap, sizeof(*groups));
	box = xcalloc(cap, sizeof(*box));
	kind = xcalloc(cap, sizeof(*kind));
	est = xcalloc(cap, sizeof(*est));
	lo = xcalloc(cap, sizeof(*lo));
	hi = xcalloc(cap, sizeof(*hi));
	buf_init(&svg, 8192);
	buf_init(&table, 4096);
	buf_init(&label, 128);

	/* 1. Distributions: first and second test of each group shown. */
	n = 0;
	buf_puts(&table, "<table class=\"table table-sm impact-table\">"
	    "<caption>");
	html_puts(&table, i18n_get(w->lang, "impact.dist_caption"));
	buf_puts(&table, "</caption><thead><tr>");
	th(&table, "col", i18n_get(w->lang, "impact.col_key"));
	th(&table, "col", i18n_get(w->lang, "impact.col_group"));
	th(&table, "col", i18n_get(w->lang, "impact.col_test"));
	th(&table, "col", i18n_get(w->lang, "impact.col_n"));
	th(&table, "col", "min");
	th(&table, "col", "Q1");
	th(&table, "col", i18n_get(w->lang, "impact.col_median"));
	th(&table, "col", "Q3");
	th(&table, "col", "max");
	buf_puts(&table, "</tr></thead><tbody>");
	for (i = 0; i <= im->n && i <= IMPACT_CHART_MAX; i++) {
		g = i < im->n && i < IMPACT_CHART_MAX ? &im->g[i] : &im->all;
		if (g == &im->all && im->n == 1)
			break;
		for (k = 0; k < 4; k++) {
			s = k < 2 ? &g->t : &g->c;
			if (s->n < IMPACT_MIN_N)
				continue;
			gk = k < 2 ? "impact.treated" : "impact.comparison";
			x = xcalloc(s->n, sizeof(*x));
			memcpy(x, k % 2 == 0 ? s->first : s->second,
			    s->n * sizeof(*x));
			stats_box(x, s->n, &box[n]);
			free(x);
			kind[n] = (int)(k % 2);
			buf_reset(&label);
			buf_printf(&label, "%s \xc2\xb7 %s",
			    i18n_get(w->lang, gk), i18n_get(w->lang,
			    k % 2 == 0 ? "impact.first" : "impact.second"));
			labels[n] = xstrdup(label.data);
			groups[n] = g->label;
			buf_puts(&table, "<tr>");
			th(&table, "row", g->label);
			td(&table, NULL, i18n_get(w->lang, gk));
			td(&table, NULL, i18n_get(w->lang, k % 2 == 0 ?
			    "impact.first" : "impact.second"));
			(void)snprintf(v, sizeof(v), "%zu", box[n].n);
			td(&table, NULL, v);
			fmt(v, sizeof(v), w->lang, box[n].min);
			td(&table, NULL, v);
			fmt(v, sizeof(v), w->lang, box[n].q1);
			td(&table, NULL, v);
			fmt(v, sizeof(v), w->lang, box[n].median);
			td(&table, NULL, v);
			fmt(v, sizeof(v), w->lang, box[n].q3);
			td(&table, NULL, v);
			fmt(v, sizeof(v), w->lang, box[n].max);
			td(&table, NULL, v);
			buf_puts(&table, "</tr>");
			n++;
		}
		if (g == &im->all)
			break;
	}
	buf_puts(&table, "</tbody></table>");
	if (n > 0) {
		chart_boxes(&svg, w->lang, "impact-dist", i18n_get(w->lang,
		    "impact.dist_title"), i18n_get(w->lang,
		    "impact.dist_desc"), groups, labels, box, kind, n);
		{
			struct tmpl_arg args[] = {
				T_TEXT("id", "impact-dist"),
				T_TEXT("title", i18n_get(w->lang,
				    "impact.dist_title")),
				T_TEXT("help", i18n_get(w->lang,
				    "impact.dist_help")),
				T_RAW("svg", svg.data),
				T_RAW("table", table.data),
			};

			(void)web_render(w, out, "impact-chart", args,
			    T_NARGS(args));
		}
	}
	for (i = 0; i < n; i++)
		free(labels[i]);

	/* 2. Mean changes and DiDs with their intervals. */
	m = 0;
	buf_reset(&svg);
	buf_reset(&table);
	buf_puts(&table, "<table class=\"table table-sm impact-table\">"
	    "<caption>");
	html_puts(&table, i18n_get(w->lang, "impact.gain_caption"));
	buf_puts(&table, "</caption><thead><tr>");
	th(&table, "col", i18n_get(w->lang, "impact.col_key"));
	th(&table, "col", i18n_get(w->lang, "impact.col_estimate"));
	th(&table, "col", i18n_get(w->lang, "impact.col_value"));
	th(&table, "col", i18n_get(w->lang, "impact.col_lo"));
	th(&table, "col", i18n_get(w->lang, "impact.col_hi"));
	buf_puts(&table, "</tr></thead><tbody>");
	for (i = 0; i <= im->n && i <= IMPACT_CHART_MAX; i++) {
		g = i < im->n && i < IMPACT_CHART_MAX ? &im->g[i] : &im->all;
		if (g == &im->all && im->n == 1)
			break;
		for (k = 0; k < 3; k++) {
			const struct stats_group *sg = k == 0 ? &g->gt :
			    &g->gc;

			if (k < 2 && (sg->n < IMPACT_MIN_N ||
			    isnan(sg->ci_lo)))
				continue;
			if (k == 2 && !g->has_did)
				continue;
			gk = k == 0 ? "impact.treated" : k == 1 ?
			    "impact.comparison" : "impact.did";
			kind[m] = (int)k;
			est[m] = k < 2 ? sg->mean_change : g->did.estimate;
			lo[m] = k < 2 ? sg->ci_lo : g->did.lo;
			hi[m] = k < 2 ? sg->ci_hi : g->did.hi;
			labels[m] = xstrdup(i18n_get(w->lang, gk));
			groups[m] = g->label;
			buf_puts(&table, "<tr>");
			th(&table, "row", g->label);
			td(&table, NULL, i18n_get(w->lang, gk));
			fmt_signed(v, sizeof(v), w->lang, est[m]);
			td(&table, NULL, v);
			fmt_signed(v, sizeof(v), w->lang, lo[m]);
			td(&table, NULL, v);
			fmt_signed(v, sizeof(v), w->lang, hi[m]);
			td(&table, NULL, v);
			buf_puts(&table, "</tr>");
			m++;
		}
		if (g == &im->all)
			break;
	}
	buf_puts(&table, "</tbody></table>");
	if (m > 0) {
		chart_forest(&svg, w->lang, "impact-gain", i18n_get(w->lang,
		    "impact.gain_title"), i18n_get(w->lang,
		    "impact.gain_desc"), groups, labels, est, lo, hi, kind,
		    m);
		{
			struct tmpl_arg args[] = {
				T_TEXT("id", "impact-gain"),
				T_TEXT("title", i18n_get(w->lang,
				    "impact.gain_title")),
				T_TEXT("help", i18n_get(w->lang,
				    "impact.gain_help")),
				T_RAW("svg", svg.data),
				T_RAW("table", table.data),
			};

			(void)web_render(w, out, "impact-chart", args,
			    T_NARGS(args));
		}
	}
	for (i = 0; i < m; i++)
		free(labels[i]);
	free(labels);
	free(groups);
	free(box);
	free(kind);
	free(est);
	free(lo);
	free(hi);
	buf_free(&svg);
	buf_free(&table);
	buf_free(&label);
}

/* GET /hr/impact: the impact report. */
int
page_hr_impact(struct http_request *req)
{
	struct web	w;
	struct ifilter	f;
	struct impact	im;
	struct buf	main, filter, body, table;
	long long	num;

	if (web_begin(&w, req) == -1)
		return (KORE_RESULT_OK);
	if (web_arg_num(&w, "edition", 1, WEB_ID_MAX, &num) == -1)
		return (web_error(&w, 400, "error.400.number"));
	if (web_db(&w) == -1 || impact_filter(&w, &f) == -1)
		return (web_db_error(&w));
	if (impact_load(&w, &f, &im) == -1) {
		impact_free(&im);
		return (web_db_error(&w));
	}
	buf_init(&main, 32768);
	buf_init(&filter, 4096);
	buf_init(&body, 16384);
	buf_init(&table, 8192);
	impact_filter_form(&w, &f, &filter);
	if (f.course_id[0] == '\0') {
		buf_puts(&body, "<p>");
		html_puts(&body, i18n_get(w.lang, "impact.no_course"));
		buf_puts(&body, "</p>");
	} else {
		impact_table(&w, &im, &table);
		impact_caveats(&w, &f, &im, table.data, &body);
		impact_charts(&w, &im, &body);
	}
	{
		struct tmpl_arg args[] = {
			T_RAW("filter", filter.data),
			T_RAW("body", body.data),
		};

		(void)web_render(&w, &main, "impact-report", args,
		    T_NARGS(args));
	}
	impact_free(&im);
	http_response_header(req, "cache-control", "no-store");
	(void)web_page(&w, 200, i18n_get(w.lang, "impact.title"), main.data);
	buf_free(&main);
	buf_free(&filter);
	buf_free(&body);
	buf_free(&table);
	return (KORE_RESULT_OK);
}

/* One CSV line of a sample: empty numbers when suppressed. */
static void
csv_sample(struct csv_out *c, const char *by, long long key,
    const char *label, const char *group, const struct sample *s,
    const struct stats_group *g)
{
	char		 k[32];
	double		*d, days;
	int		 i, show = s->n >= IMPACT_MIN_N;

	(void)snprintf(k, sizeof(k), "%lld", key);
	csv_out_text(c, i18n_get(c->lang, strcmp(by, "office") == 0 ?
	    "csv.office" : "csv.edition"));
	csv_out_num(c, k);
	csv_out_text(c, label);
	csv_out_text(c, i18n_get(c->lang, strcmp(group, "treated") == 0 ?
	    "csv.treated" : "csv.comparison"));
	if (!show) {
		for (i = 0; i < 16; i++)
			csv_out_text(c, "");
		csv_out_bool(c, 1);
		csv_out_end(c);
		return;
	}
	d = xcalloc(s->n, sizeof(*d));
	memcpy(d, s->days, s->n * sizeof(*d));
	stats_sort(d, s->n);
	days = stats_quantile(d, s->n, 0.5);
	free(d);
	csv_out_double(c, (double)s->started, 0);
	csv_out_double(c, (double)s->excluded, 0);
	csv_out_double(c, (double)s->n, 0);
	csv_out_double(c, (double)(s->started - s->n), 0);
	csv_out_double(c, g->mean_first, 4);
	csv_out_double(c, g->mean_second, 4);
	csv_out_double(c, g->mean_change, 4);
	csv_out_double(c, g->ci_lo, 4);
	csv_out_double(c, g->ci_hi, 4);
	csv_out_double(c, g->gain, 4);
	csv_out_double(c, g->gain_mean, 4);
	csv_out_double(c, (double)g->n_gain, 0);
	csv_out_double(c, days, 1);
	csv_out_text(c, "");
	csv_out_text(c, "");
	csv_out_text(c, "");
	csv_out_bool(c, 0);
	csv_out_end(c);
}

/*
 * GET /hr/impact.csv: the results table with every group: per group a
 * treated, a comparison and a did line (its n columns: the treated and
 * the comparison people in the DiD); numbers with a dot decimal.
 */
int
page_hr_impact_csv(struct http_request *req)
{
	struct web		 w;
	struct ifilter		 f;
	struct impact		 im;
	struct buf		 out;
	struct csv_out		 c;
	const struct igroup	*g;
	char			 disp[160], k[32];
	long long		 num;
	size_t			 i;
	int			 j;

	if (web_begin(&w, req) == -1)
		return (KORE_RESULT_OK);
	if (web_arg_num(&w, "edition", 1, WEB_ID_MAX, &num) == -1)
		return (web_error(&w, 400, "error.400.number"));
	if (web_db(&w) == -1 || impact_filter(&w, &f) == -1)
		return (web_db_error(&w));
	if (impact_load(&w, &f, &im) == -1) {
		impact_free(&im);
		return (web_db_error(&w));
	}
	buf_init(&out, 8192);
	csv_out_init(&c, &out, web_csv_lang(&w));
	csv_out_head(&c, "group_by,key,label,group,started,excluded,n,"
	    "attrition,mean_first,mean_second,mean_change,ci_low,ci_high,"
	    "hake_gain,mean_individual_gain,n_individual_gain,median_days,"
	    "did,did_low,did_high,suppressed");
	for (i = 0; i <= im.n; i++) {
		g = i < im.n ? &im.g[i] : &im.all;
		csv_sample(&c, f.by, g->key, g->label, "treated", &g->t,
		    &g->gt);
		csv_sample(&c, f.by, g->key, g->label, "comparison", &g->c,
		    &g->gc);
		/* The did line: its n columns are the DiD's two groups. */
		(void)snprintf(k, sizeof(k), "%lld", g->key);
		csv_out_text(&c, i18n_get(c.lang, strcmp(f.by, "office") ==
		    0 ? "csv.office" : "csv.edition"));
		csv_out_num(&c, k);
		csv_out_text(&c, g->label);
		csv_out_text(&c, i18n_get(c.lang, "csv.did"));
		csv_out_text(&c, "");
		csv_out_text(&c, "");
		csv_out_double(&c, g->has_did ? (double)g->t.ndid : NAN, 0);
		csv_out_double(&c, g->has_did ? (double)g->c.ndid : NAN, 0);
		for (j = 0; j < 9; j++)
			csv_out_text(&c, "");
		csv_out_double(&c, g->has_did ? g->did.estimate : NAN, 4);
		csv_out_double(&c, g->has_did ? g->did.lo : NAN, 4);
		csv_out_double(&c, g->has_did ? g->did.hi : NAN, 4);
		csv_out_bool(&c, !g->has_did);
		csv_out_end(&c);
	}
	impact_free(&im);
	(void)snprintf(disp, sizeof(disp), "capacita-impact-%s.csv",
	    f.course_slug[0] != '\0' ? f.course_slug : "none");
	(void)web_csv(req, disp, 1, &out);
	buf_free(&out);
	web_end(&w);
	return (KORE_RESULT_OK);
}

/*
 * The funder's numbers, per course and region of the scope (optionally
 * the people enrolled in a year): counts from SQL into *res, and the
 * learning gain of each course and region (treated people with both
 * tests, not excluded) into im: groups keyed by the course's id and
 * labelled with the region's id, "" for the course's total.
 */
static int
funder_load(struct web *w, const char *scope, const char *year,
    struct pg_result **res, struct impact *im)
{
	struct pg_result	*p;
	struct igroup		*g;
	long long		 course;
	int			 i;

	memset(im, 0, sizeof(*im));
	im->all.label = xstrdup("");
	*res = db_query(&w->db, "WITH e AS (SELECT e.*, c.slug, c.title, "
	    "c.hours, r.id AS region_id, r.name AS region FROM enrolments e "
	    "JOIN users u ON u.id = e.user_id JOIN orgs o ON o.id = u.org_id "
	    "JOIN orgs r ON r.id = org_at_depth(o.path, 1) JOIN courses c ON "
	    "c.id = e.course_id WHERE o.path LIKE $1 || '%' AND ($2 = '' OR "
	    "extract(year FROM e.enrolled_at) = nullif($2, '')::int)) SELECT "
	    "e.course_id, "
	    "e.slug, e.title, coalesce(e.region_id, 0), coalesce(e.region, "
	    "''), count(*), count(e.completed_at), to_char(coalesce(sum("
	    "e.hours) FILTER (WHERE e.completed_at IS NOT NULL), 0), "
	    "'FM9999990.0'), count(b.id), count(b.revoked_at) FROM e LEFT JOIN "
	    "badges b ON b.enrolment_id = e.id GROUP BY GROUPING SETS ((1, 2, "
	    "3, 4, 5), (1, 2, 3)) ORDER BY 3, 2, 4 NULLS FIRST, 5", 2, scope,
	    year);
	if (*res == NULL)
		return (-1);
	p = db_query(&w->db, "SELECT c.id, r.id, x.first, x.second FROM "
	    "courses c CROSS JOIN LATERAL impact_people($1, '', c.id) x JOIN "
	    "orgs r ON r.id = org_at_depth(x.org_path, 1) WHERE "
	    "c.assessment_module_id IS NOT NULL AND x.grp = 'treated' AND "
	    "x.second IS NOT NULL AND NOT x.excluded AND ($2 = '' OR "
	    "extract(year FROM x.enrolled_at) = nullif($2, '')::int)", 2, scope,
	    year);
	if (p == NULL) {
		db_clear(*res);
		*res = NULL;
		return (-1);
	}
	for (i = 0; i < db_rows(p); i++) {
		course = strtoll(db_value(p, i, 0), NULL, 10);
		g = funder_group(im, course, db_value(p, i, 1));
		sample_add(&g->t, strtod(db_value(p, i, 2), NULL),
		    strtod(db_value(p, i, 3), NULL), 0, 0, 0);
		g = funder_group(im, course, "");
		sample_add(&g->t, strtod(db_value(p, i, 2), NULL),
		    strtod(db_value(p, i, 3), NULL), 0, 0, 0);
	}
	db_clear(p);
	for (i = 0; i < (int)im->n; i++)
		stats_group(&im->g[i].gt, im->g[i].t.first, im->g[i].t.second,
		    im->g[i].t.n, STATS_LEVEL);
	return (0);
}

/* The learning gain of a course and region, as text. */
static void
funder_gain(char *out, size_t len, enum lang lang, const struct igroup *g)
{
	char	ch[32], ci[64], gain[32];

	if (g == NULL || g->t.n == 0) {
		(void)snprintf(out, len, "\xe2\x80\x94");
		return;
	}
	if (g->t.n < IMPACT_MIN_N) {
		(void)snprintf(out, len, "n < %d", IMPACT_MIN_N);
		return;
	}
	fmt_signed(ch, sizeof(ch), lang, g->gt.mean_change);
	fmt_ci(ci, sizeof(ci), lang, g->gt.ci_lo, g->gt.ci_hi);
	fmt_gain(gain, sizeof(gain), lang, g->gt.gain);
	(void)snprintf(out, len, "%s %s (n %zu, g %s)", ch, ci, g->t.n,
	    gain);
}

/* The learning gain's CSV fields: none, suppressed (n < 5) or numbers. */
static void
funder_gain_csv(struct csv_out *c, const struct igroup *g)
{
	int	i, show;

	show = g != NULL && g->t.n >= IMPACT_MIN_N;
	if (g != NULL && g->t.n > 0)
		csv_out_double(c, show ? (double)g->t.n : NAN, 0);
	else
		csv_out_text(c, "");
	if (!show) {
		for (i = 0; i < 6; i++)
			csv_out_text(c, "");
		if (g != NULL && g->t.n > 0)
			csv_out_bool(c, 1);
		else
			csv_out_text(c, "");
		return;
	}
	csv_out_double(c, g->gt.mean_first, 4);
	csv_out_double(c, g->gt.mean_second, 4);
	csv_out_double(c, g->gt.mean_change, 4);
	csv_out_double(c, g->gt.ci_lo, 4);
	csv_out_double(c, g->gt.ci_hi, 4);
	csv_out_double(c, g->gt.gain, 4);
	csv_out_bool(c, 0);
}

/* The gain group of a course and region ("": the course's total). */
static const struct igroup *
funder_find(const struct impact *im, long long course, const char *region)
{
	size_t	i;

	for (i = 0; i < im->n; i++) {
		if (im->g[i].key == course &&
		    strcmp(im->g[i].label, region) == 0)
			return (&im->g[i]);
	}
	return (NULL);
}

static struct igroup *
funder_group(struct impact *im, long long course, const char *region)
{
	struct igroup	*g;
	size_t		 i;

	for (i = 0; i < im->n; i++) {
		if (im->g[i].key == course &&
		    strcmp(im->g[i].label, region) == 0)
			return (&im->g[i]);
	}
	im->g = xreallocarray(im->g, im->n + 1, sizeof(*im->g));
	g = &im->g[im->n++];
	memset(g, 0, sizeof(*g));
	g->key = course;
	g->label = xstrdup(region);
	return (g);
}

/* GET /hr/funder: the funder's report, printable. */
int
page_hr_funder(struct http_request *req)
{
	struct pg_result	*res;
	struct web		 w;
	struct impact		 im;
	struct buf		 main, table, csv, scope_name;
	const char		*scope, *year;
	char			 rate[32], gain[160], gen[64], iso[16];
	long long		 course;
	int			 i, n, total, part, done;
	time_t			 now;
	struct tm		 tm;

	if (web_begin(&w, req) == -1)
		return (KORE_RESULT_OK);
	if (web_db(&w) == -1)
		return (web_db_error(&w));
	scope = impact_scope(&w);
	year = web_arg(&w, "year") != NULL ? web_arg(&w, "year") : "";
	if (funder_load(&w, scope, year, &res, &im) == -1) {
		impact_free(&im);
		return (web_db_error(&w));
	}
	buf_init(&main, 16384);
	buf_init(&table, 8192);
	buf_init(&csv, 128);
	buf_init(&scope_name, 128);
	n = db_rows(res);
	if (n > 0) {
		buf_puts(&table, "<table class=\"table table-sm\">"
		    "<caption>");
		html_puts(&table, i18n_get(w.lang, "funder.caption"));
		buf_puts(&table, "</caption><thead><tr>");
		th(&table, "col", i18n_get(w.lang, "learn.course"));
		th(&table, "col", i18n_get(w.lang, "org.region"));
		th(&table, "col", i18n_get(w.lang, "funder.participants"));
		th(&table, "col", i18n_get(w.lang, "funder.completions"));
		th(&table, "col", i18n_get(w.lang, "funder.rate"));
		th(&table, "col", i18n_get(w.lang, "funder.hours"));
		th(&table, "col", i18n_get(w.lang, "funder.badges"));
		th(&table, "col", i18n_get(w.lang, "funder.gain"));
		buf_puts(&table, "</tr></thead><tbody>");
	}
	for (i = 0; i < n; i++) {
		total = db_isnull(res, i, 3);
		course = strtoll(db_value(res, i, 0), NULL, 10);
		part = atoi(db_value(res, i, 5));
		done = atoi(db_value(res, i, 6));
		(void)fmt_pct(rate, sizeof(rate), w.lang, part > 0 ?
		    100.0 * done / part : 0.0, 1);
		funder_gain(gain, sizeof(gain), w.lang, funder_find(&im, course,
		    total ? "" : db_value(res, i, 3)));
		buf_printf(&table, "<tr%s data-course=\"", total ?
		    " class=\"total\"" : "");
		html_puts(&table, db_value(res, i, 1));
		buf_puts(&table, "\" data-region=\"");
		html_puts(&table, total ? "" : db_value(res, i, 4));
		buf_puts(&table, "\">");
		th(&table, "row", db_value(res, i, 2));
		td(&table, NULL, total ? i18n_get(w.lang, "funder.total") :
		    db_value(res, i, 4));
		buf_printf(&table, "<td data-stat=\"participants\">%d</td>"
		    "<td data-stat=\"completions\">%d</td>", part, done);
		buf_printf(&table, "<td data-stat=\"rate\">%s</td>", rate);
		buf_puts(&table, "<td data-stat=\"hours\">");
		html_puts(&table, web_num(&w, db_value(res, i, 7)));
		buf_puts(&table, "</td><td data-stat=\"badges\">");
		html_puts(&table, db_value(res, i, 8));
		if (strcmp(db_value(res, i, 9), "0") != 0) {
			buf_puts(&table, " (");
			html_puts(&table, db_value(res, i, 9));
			buf_puts(&table, " ");
			html_puts(&table, i18n_get(w.lang, "funder.revoked"));
			buf_puts(&table, ")");
		}
		buf_puts(&table, "</td><td data-stat=\"gain\">");
		html_puts(&table, gain);
		buf_puts(&table, "</td></tr>");
	}
	if (n > 0)
		buf_puts(&table, "</tbody></table>");
	db_clear(res);
	impact_free(&im);
	buf_puts(&csv, "/hr/funder.csv?year=");
	url_encode(&csv, year);
	now = time(NULL);
	(void)gmtime_r(&now, &tm);
	(void)strftime(iso, sizeof(iso), "%Y-%m-%d", &tm);
	(void)fmt_date(gen, sizeof(gen), w.lang, iso);
	if (strcmp(scope, "/") == 0)
		buf_puts(&scope_name, i18n_get(w.lang, "funder.programme"));
	else if ((res = db_query(&w.db, "SELECT name FROM orgs WHERE path = "
	    "$1", 1, scope)) != NULL) {
		if (db_rows(res) == 1)
			buf_puts(&scope_name, db_value(res, 0, 0));
		db_clear(res);
	}
	{
		struct tmpl_arg args[] = {
			T_TEXT("scope", scope_name.data),
			T_TEXT("period", *year != '\0' ? year :
			    i18n_get(w.lang, "funder.all_time")),
			T_TEXT("generated", gen),
			T_TEXT("year", year),
			T_TEXT("empty", n == 0 ? i18n_get(w.lang,
			    "funder.empty") : ""),
			T_RAW("table", table.data),
			T_TEXT("csv", csv.data),
		};

		(void)web_render(&w, &main, "impact-funder", args,
		    T_NARGS(args));
	}
	(void)web_page(&w, 200, i18n_get(w.lang, "funder.title"), main.data);
	buf_free(&main);
	buf_free(&table);
	buf_free(&csv);
	buf_free(&scope_name);
	return (KORE_RESULT_OK);
}

/* GET /hr/funder.csv: the same numbers, one line per course and region. */
int
page_hr_funder_csv(struct http_request *req)
{
	struct pg_result	*res;
	struct web		 w;
	struct impact		 im;
	struct buf		 out;
	struct csv_out		 c;
	const char		*scope, *year;
	char			 disp[128];
	long long		 course;
	int			 i, n, total, part, done;

	if (web_begin(&w, req) == -1)
		return (KORE_RESULT_OK);
	if (web_db(&w) == -1)
		return (web_db_error(&w));
	scope = impact_scope(&w);
	year = web_arg(&w, "year") != NULL ? web_arg(&w, "year") : "";
	if (funder_load(&w, scope, year, &res, &im) == -1) {
		impact_free(&im);
		return (web_db_error(&w));
	}
	buf_init(&out, 4096);
	csv_out_init(&c, &out, web_csv_lang(&w));
	csv_out_head(&c, "course,title,region,participants,completions,"
	    "completion_rate,hours_delivered,badges_issued,badges_revoked,"
	    "gain_n,mean_pre,mean_post,mean_change,change_ci_low,"
	    "change_ci_high,hake_gain,gain_suppressed");
	n = db_rows(res);
	for (i = 0; i < n; i++) {
		total = db_isnull(res, i, 3);
		course = strtoll(db_value(res, i, 0), NULL, 10);
		part = atoi(db_value(res, i, 5));
		done = atoi(db_value(res, i, 6));
		csv_out_text(&c, db_value(res, i, 1));
		csv_out_text(&c, db_value(res, i, 2));
		csv_out_text(&c, total ? "*" : db_value(res, i, 4));
		csv_out_double(&c, part, 0);
		csv_out_double(&c, done, 0);
		csv_out_double(&c, part > 0 ? (double)done / part : 0.0, 4);
		csv_out_num(&c, db_value(res, i, 7));
		csv_out_num(&c, db_value(res, i, 8));
		csv_out_num(&c, db_value(res, i, 9));
		funder_gain_csv(&c, funder_find(&im, course, total ? "" :
		    db_value(res, i, 3)));
		csv_out_end(&c);
	}
	db_clear(res);
	impact_free(&im);
	(void)snprintf(disp, sizeof(disp), "capacita-funder-%s.csv",
	    *year != '\0' ? year : "all");
	(void)web_csv(req, disp, 1, &out);
	buf_free(&out);
	web_end(&w);
	return (KORE_RESULT_OK);
}
