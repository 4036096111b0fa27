/*
 * page-assessment.c: a learner's pre-tests (at enrolment), retests
 * (comparison cohort) and post-tests (at completion), one form of the
 * course's pool each, shown with the quiz templates and graded by
 * quiz.c (store-impact.c): /assessments and /assessment/ID (README.md,
 * "Impact evaluation").
 */

#include <stdlib.h>
#include <string.h>

#include "web.h"

#define TEST_BODY_MAX		(256 * 1024)

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

static int	uuid_ok(const char *);
static int	message_page(struct web *, int, const char *, const char *);
static const char *phase_label(struct web *, const char *);
static int	test_load(struct web *, const char *, struct test_view *);
static int	test_form(struct web *, int, const struct test_view *,
		    const struct form *, const char *);
static int	test_done(struct web *, const struct test_view *);

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
		page_impact_th(&table, "col", i18n_get(w.lang, "learn.course"));
		page_impact_th(&table, "col", i18n_get(w.lang, "impact.test"));
		page_impact_th(&table, "col", i18n_get(w.lang, "editions.edition"));
		page_impact_th(&table, "col", i18n_get(w.lang, "impact.state"));
		buf_puts(&table, "</tr></thead><tbody>");
	}
	for (i = 0; i < n; i++) {
		int	done = strcmp(db_value(res, i, 4), "t") == 0;
		int	due = strcmp(db_value(res, i, 7), "t") == 0;
		int	closed = strcmp(db_value(res, i, 8), "t") == 0;

		buf_printf(&table, "<tr data-test=\"%s\" data-phase=\"%s\">",
		    db_value(res, i, 0), db_value(res, i, 2));
		page_impact_th(&table, "row", db_value(res, i, 1));
		page_impact_td(&table, NULL, phase_label(&w, db_value(res, i, 2)));
		page_impact_td(&table, NULL, *db_value(res, i, 9) != '\0' ?
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
			page_impact_td(&table, NULL, i18n_get(w.lang,
			    "impact.closed_short"));
		} else if (!due) {
			(void)snprintf(text, sizeof(text), "%s %s",
			    i18n_get(w.lang, "impact.due_from"),
			    web_date(&w, db_value(res, i, 6)));
			page_impact_td(&table, NULL, text);
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
	if (web_read_form(req, TEST_BODY_MAX, &f) == -1)
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

