/*
 * page-assessment.c: a learner's pre-tests (at enrolment), retests
 * (comparison cohort) and post-tests (at completion), one form of the
 * course's pool each, shown with the quiz templates and graded by
 * quiz.c (store-impact.c): /assessments and /assessment/ID (README.md,
 * "Impact evaluation").
 */

#include <string.h>

#include "web.h"

#define TEST_BODY_MAX		(256 * 1024)

static int	message_page(struct web *, int, const char *, const char *);
static const char *phase_label(struct web *, const char *);
static void	tests_table(struct web *, const struct impact_tests *,
		    struct buf *);
static void	tests_upcoming(struct web *, const struct impact_tests *,
		    struct buf *);
static int	test_form(struct web *, int, const struct impact_test *,
		    const struct form *, const char *);
static int	test_done(struct web *, const struct impact_test *);
static int	test_submit(struct web *, const struct impact_test *);

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

/* The tests' table: each with its state (taken, closed, due, to take). */
static void
tests_table(struct web *w, const struct impact_tests *l, struct buf *out)
{
	const struct impact_test	*t;
	struct buf			 rows, state;
	char				 text[128];
	size_t				 i;

	if (l->n == 0)
		return;
	buf_init(&rows, 4096);
	buf_init(&state, 256);
	for (i = 0; i < l->n; i++) {
		t = &l->t[i];
		buf_reset(&state);
		if (t->submitted) {
			(void)snprintf(text, sizeof(text), "%s %s%%",
			    i18n_get(w->lang, "impact.taken"),
			    web_num(w, t->percent));
			page_impact_put(w, &state, "impact-tests-taken", "id",
			    t->id, "text", text);
		} else if (t->closed) {
			page_impact_put(w, &state, "impact-tests-state", "text",
			    i18n_get(w->lang, "impact.closed_short"), NULL,
			    NULL);
		} else if (!t->due) {
			(void)snprintf(text, sizeof(text), "%s %s",
			    i18n_get(w->lang, "impact.due_from"),
			    web_date(w, t->due_on));
			page_impact_put(w, &state, "impact-tests-state", "text",
			    text, NULL, NULL);
		} else
			page_impact_put(w, &state, "impact-tests-take", "id",
			    t->id, NULL, NULL);
		{
			struct tmpl_arg args[] = {
				T_TEXT("id", t->id),
				T_TEXT("phase", t->phase),
				T_TEXT("course", t->course),
				T_TEXT("label", phase_label(w, t->phase)),
				T_TEXT("edition", t->edition[0] != '\0' ?
				    t->edition : "\xe2\x80\x94"),
				T_RAW("state", state.data),
			};

			(void)web_render(w, &rows, "impact-tests-row", args,
			    T_NARGS(args));
		}
	}
	page_impact_raw(w, out, "impact-tests-table", "rows", rows.data);
	buf_free(&rows);
	buf_free(&state);
}

/* The retests of a comparison cohort still to come. */
static void
tests_upcoming(struct web *w, const struct impact_tests *l, struct buf *out)
{
	struct buf	items;
	size_t		i;

	if (l->nr == 0)
		return;
	buf_init(&items, 512);
	for (i = 0; i < l->nr; i++)
		page_impact_put(w, &items, "impact-tests-next", "course",
		    l->r[i].course, "date", web_date(w, l->r[i].due_on));
	page_impact_raw(w, out, "impact-tests-upcoming", "items", items.data);
	buf_free(&items);
}

/*
 * GET /assessments: the signed-in person's tests: those to take, those
 * taken with their score, and the retests still to come.
 */
int
page_assessments(struct http_request *req)
{
	struct impact_tests	 l;
	struct fail		 f;
	struct web		 w;
	struct buf		 main, table, upcoming;
	int			 rc;

	if (web_begin(&w, req) == -1)
		return (KORE_RESULT_OK);
	memset(&l, 0, sizeof(l));
	buf_init(&main, 4096);
	buf_init(&table, 4096);
	buf_init(&upcoming, 512);
	if (web_db(&w) == -1) {
		rc = web_db_error(&w);
		goto out;
	}
	if (store_impact_tests(&w.db, w.user->id, &l, &f) == -1) {
		rc = web_fail(&w, &f);
		goto out;
	}
	tests_table(&w, &l, &table);
	tests_upcoming(&w, &l, &upcoming);
	{
		struct tmpl_arg args[] = {
			T_TEXT("empty", l.n == 0 ? i18n_get(w.lang,
			    "impact.tests_empty") : ""),
			T_RAW("table", table.data),
			T_RAW("upcoming", upcoming.data),
		};

		(void)web_render(&w, &main, "impact-tests", args,
		    T_NARGS(args));
	}
	http_response_header(req, "cache-control", "no-store");
	rc = web_page(&w, 200, i18n_get(w.lang, "impact.tests_title"),
	    main.data);
out:
	store_impact_tests_free(&l);
	buf_free(&main);
	buf_free(&table);
	buf_free(&upcoming);
	return (rc);
}

static int
test_form(struct web *w, int status, const struct impact_test *t,
    const struct form *f, const char *error)
{
	struct quiz	 quiz;
	struct buf	 main, qs, alert;
	unsigned char	 key[QUIZ_KEY_LEN];
	char		 count[32];
	size_t		 i;

	if (quiz_form_key_parse(t->form_key, key) == -1 ||
	    impact_load_form(&w->db, t->version, t->form, &quiz, NULL) == -1)
		return (web_db_error(w));
	buf_init(&main, 16384);
	buf_init(&qs, 16384);
	buf_init(&alert, 256);
	for (i = 0; i < quiz.nq; i++)
		quiz_question_render(w, &qs, t->seed, key, &quiz.q[i], i + 1,
		    f);
	if (error != NULL)
		page_impact_put(w, &alert, "alert", "kind", "danger", "text",
		    i18n_get(w->lang, error));
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
test_done(struct web *w, const struct impact_test *t)
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

/*
 * POST: the answers, graded once; a closed or not yet due test says
 * so (409), a malformed form is shown again with what is wrong (400).
 */
static int
test_submit(struct web *w, const struct impact_test *t)
{
	struct impact_result	 r;
	struct form		 f;
	struct fail		 fl;
	const char		*csrf;
	char			 loc[80], title[64];
	int			 rc;

	if (web_read_form(w->req, TEST_BODY_MAX, &f) == -1)
		return (web_error(w, 400, "quiz.bad_form"));
	csrf = form_get(&f, "csrf");
	if (csrf == NULL || !auth_equal(csrf, w->user->csrf))
		rc = web_error(w, 403, "error.403.csrf");
	else if (impact_submit(&w->db, t->id, w->user->id, &f, &r,
	    &fl) == 0) {
		(void)snprintf(loc, sizeof(loc), "/assessment/%s", t->id);
		rc = web_redirect(w, loc);
	} else if (fl.kind == FAIL_CONFLICT) {
		/* impact.closed or impact.not_due, and its heading. */
		(void)snprintf(title, sizeof(title), "%s_title", fl.key);
		rc = message_page(w, 409, title, fl.key);
	} else if (fl.kind == FAIL_INPUT)
		rc = test_form(w, 400, t, &f, fl.key);
	else
		rc = web_fail(w, &fl);
	form_free(&f);
	return (rc);
}

/*
 * GET: the test's form (launched the first time it is shown), or its
 * score once taken. POST: submit it.
 */
int
page_assessment(struct http_request *req)
{
	struct impact_test	 t;
	struct fail		 f;
	struct web		 w;
	int			 rc;

	if (web_begin(&w, req) == -1)
		return (KORE_RESULT_OK);
	if (web_db(&w) == -1)
		rc = web_db_error(&w);
	else if (store_impact_test(&w.db, web_path_tail(req, "/assessment/"),
	    w.user->id, &t, &f) == -1)
		rc = web_fail(&w, &f);
	else if (req->method == HTTP_METHOD_POST)
		rc = test_submit(&w, &t);
	else if (t.submitted)
		rc = test_done(&w, &t);
	else if (t.closed)
		rc = message_page(&w, 409, "impact.closed_title",
		    "impact.closed");
	else if (!t.due)
		rc = message_page(&w, 409, "impact.not_due_title",
		    "impact.not_due");
	else if (store_impact_start(&w.db, t.id, &f) == -1)
		rc = web_fail(&w, &f);
	else
		rc = test_form(&w, 200, &t, NULL, NULL);
	return (rc);
}
