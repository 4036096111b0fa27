/*
 * page-quiz.c: taking a quiz. An attempt is started (or resumed) with a
 * POST, shown as a plain HTML form that works without JavaScript and by
 * keyboard alone, and graded on the server when submitted. Options are
 * shuffled per attempt from its seed; field names and choice values are
 * tokens of the attempt's secret key (quiz-form.c), so the page says
 * nothing of the right answers, which reach it only after submission
 * and only as the course's review policy allows.
 */

#include <stdlib.h>
#include <string.h>

#include "web.h"

#define QUIZ_BODY_MAX	(256 * 1024)

static int	attempt_form(struct web *, int, const struct attempt_view *,
		    const struct form *, const char *, int);
static int	attempt_result(struct web *, const struct attempt_view *);
static int	option_checked(const struct form *, const char *,
		    const char *);
static void	result_given(struct web *, const struct quiz_question *,
		    const char *, struct buf *, struct buf *, int);
static void	result_right(struct web *, const struct quiz_question *,
		    struct buf *);
static void	score_num(struct web *, char *, size_t, double, int);

int
page_quiz_start(struct http_request *req)
{
	struct fail	 f;
	struct web	 w;
	const char	*course, *module;
	char		 id[32], loc[64];

	if (web_begin(&w, req) == -1)
		return (KORE_RESULT_OK);
	course = web_arg(&w, "course");
	module = web_arg(&w, "module");
	if (course == NULL || module == NULL)
		return (web_error(&w, 400, "quiz.err_params"));
	if (learn_attempt_start(&w.db, w.user->id, course, module, id,
	    sizeof(id), &f) == -1)
		return (web_fail(&w, &f));
	(void)snprintf(loc, sizeof(loc), "/attempt/%s", id);
	return (web_redirect(&w, loc));
}

/* A score with prec decimals (none when whole), in the page's form. */
static void
score_num(struct web *w, char *out, size_t len, double v, int prec)
{
	if (v == (double)(long long)v)
		prec = 0;
	(void)fmt_num(out, len, w->lang, v, prec, 0);
}

/* Was value ticked for field name in the form being shown again? */
static int
option_checked(const struct form *f, const char *name, const char *value)
{
	size_t	i;

	if (f == NULL)
		return (0);
	for (i = 0; i < f->n; i++) {
		if (strcmp(f->f[i].name, name) == 0 &&
		    strcmp(f->f[i].value, value) == 0)
			return (1);
	}
	return (0);
}

/*
 * One question as a form part: options shuffled by seed (the attempt's,
 * or the pre/post-test's in page-impact.c), field names and values the
 * tokens of key, the answers given so far ticked again when the form
 * comes back with an error.
 */
void
quiz_question_render(struct web *w, struct buf *out, uint64_t seed,
    const unsigned char *key, const struct quiz_question *q, size_t num,
    const struct form *f)
{
	struct buf	 inputs;
	size_t		 perm[QUIZ_MAX_OPTIONS], i, k;
	char		 name[QUIZ_TOKEN_LEN + 1], tok[QUIZ_TOKEN_LEN + 1];
	char		 id[QUIZ_TOKEN_LEN + 16], numbuf[32], pts[32];
	char		 hkey[32];
	const char	*tmpl, *v;

	if (q->nopts > QUIZ_MAX_OPTIONS)
		return;
	buf_init(&inputs, 1024);
	quiz_form_token(key, q->id, QF_FIELD, 0, name);
	quiz_shuffle(seed, q->id, q->nopts, perm);

	switch (q->type) {
	case QUIZ_SINGLE:
	case QUIZ_MULTIPLE:
		tmpl = q->type == QUIZ_SINGLE ? "quiz-radio" : "quiz-checkbox";
		for (i = 0; i < q->nopts; i++) {
			k = perm[i];
			quiz_form_token(key, q->id, QF_OPTION, k, tok);
			(void)snprintf(id, sizeof(id), "%s-%zu", name, i + 1);
			{
				struct tmpl_arg args[] = {
					T_TEXT("name", name),
					T_TEXT("id", id),
					T_TEXT("value", tok),
					T_RAW("label", q->opts[k].html != NULL ?
					    q->opts[k].html : ""),
					T_RAW("checked", option_checked(f, name,
					    tok) ? " checked" : ""),
				};

				(void)web_render(w, &inputs, tmpl, args,
				    T_NARGS(args));
			}
		}
		break;
	case QUIZ_TRUEFALSE:
		for (i = 0; i < 2; i++) {
			const char	*val = i == 0 ? "true" : "false";

			(void)snprintf(id, sizeof(id), "%s-%s", name, val);
			{
				struct tmpl_arg args[] = {
					T_TEXT("name", name),
					T_TEXT("id", id),
					T_TEXT("value", val),
					T_TEXT("label", i18n_get(w->lang,
					    i == 0 ? "quiz.true" :
					    "quiz.false")),
					T_RAW("checked", option_checked(f, name,
					    val) ? " checked" : ""),
				};

				(void)web_render(w, &inputs, "quiz-radio-text",
				    args, T_NARGS(args));
			}
		}
		break;
	case QUIZ_NUMERIC:
	case QUIZ_SHORT:
		v = f != NULL ? form_get(f, name) : NULL;
		{
			struct tmpl_arg args[] = {
				T_TEXT("name", name),
				T_TEXT("mode", q->type == QUIZ_NUMERIC ?
				    "decimal" : "text"),
				T_TEXT("label", i18n_get(w->lang,
				    q->type == QUIZ_NUMERIC ? "quiz.number" :
				    "quiz.short")),
				T_TEXT("value", v != NULL ? v : ""),
			};

			(void)web_render(w, &inputs, "quiz-text", args,
			    T_NARGS(args));
		}
		break;
	case QUIZ_ORDER:
		for (i = 0; i < q->nopts; i++) {
			struct buf	 opts;
			size_t		 r;

			k = perm[i];
			quiz_form_token(key, q->id, QF_ITEM, k, tok);
			v = f != NULL ? form_get(f, tok) : NULL;
			buf_init(&opts, 256);
			for (r = 1; r <= q->nopts; r++) {
				char	rv[16];

				(void)snprintf(rv, sizeof(rv), "%zu", r);
				(void)web_option(w, &opts, rv, rv, v != NULL &&
				    strcmp(v, rv) == 0);
			}
			{
				struct tmpl_arg args[] = {
					T_TEXT("id", tok),
					T_RAW("label", q->opts[k].html != NULL ?
					    q->opts[k].html : ""),
					T_RAW("options", opts.data),
				};

				(void)web_render(w, &inputs, "quiz-rank",
				    args, T_NARGS(args));
			}
			buf_free(&opts);
		}
		break;
	default:
		break;
	}
	(void)snprintf(numbuf, sizeof(numbuf), "%zu", num);
	(void)snprintf(pts, sizeof(pts), "%d", q->points);
	(void)snprintf(hkey, sizeof(hkey), "qhelp.%s", quiz_type_name(q->type));
	{
		struct tmpl_arg args[] = {
			T_TEXT("num", numbuf),
			T_TEXT("name", name),
			T_RAW("text", q->text),
			T_TEXT("help", i18n_get(w->lang, hkey)),
			T_TEXT("points", pts),
			T_RAW("inputs", inputs.data),
		};

		(void)web_render(w, out, "quiz-question", args, T_NARGS(args));
	}
	buf_free(&inputs);
}

/* The form; error, when given, is a message key; bad the question. */
static int
attempt_form(struct web *w, int status, const struct attempt_view *a,
    const struct form *f, const char *error, int bad)
{
	struct quiz	 quiz;
	struct fail	 fl;
	struct buf	 main, qs, alert, msg;
	unsigned char	 key[QUIZ_KEY_LEN];
	char		 num[32], count[32];
	size_t		 i;

	if (quiz_form_key_parse(a->form_key, key) == -1) {
		(void)fail_set(&fl, FAIL_UNAVAILABLE, NULL,
		    "attempt %s: bad form key", a->id);
		return (web_fail(w, &fl));
	}
	if (learn_load_quiz(&w->db, a->version, &quiz, &fl) == -1)
		return (web_fail(w, &fl));
	buf_init(&main, 16384);
	buf_init(&qs, 16384);
	buf_init(&alert, 256);
	buf_init(&msg, 256);
	for (i = 0; i < quiz.nq; i++)
		quiz_question_render(w, &qs, a->seed, key, &quiz.q[i], i + 1,
		    f);
	if (error != NULL) {
		buf_puts(&msg, i18n_get(w->lang, error));
		if (bad > 0)
			buf_printf(&msg, " (%s %d)", i18n_get(w->lang,
			    "quiz.question"), bad);
		{
			struct tmpl_arg args[] = {
				T_TEXT("kind", "danger"),
				T_TEXT("text", msg.data),
			};

			(void)web_render(w, &alert, "alert", args,
			    T_NARGS(args));
		}
	}
	(void)snprintf(num, sizeof(num), "%d", a->number);
	(void)snprintf(count, sizeof(count), "%zu", quiz.nq);
	{
		struct tmpl_arg args[] = {
			T_TEXT("id", a->id),
			T_TEXT("module", a->module_title),
			T_TEXT("course", a->course_title),
			T_TEXT("course_slug", a->course_slug),
			T_TEXT("number", num),
			T_TEXT("count", count),
			T_TEXT("review", i18n_get(w->lang, a->review ==
			    REVIEW_ALWAYS ? "quiz.review_always" : a->review ==
			    REVIEW_NEVER ? "quiz.review_never" : a->review ==
			    REVIEW_AFTER_LAST ? "quiz.review_after_last" :
			    "quiz.review_after_pass")),
			T_TEXT("csrf", web_csrf(w)),
			T_RAW("alert", alert.data),
			T_RAW("questions", qs.data),
		};

		(void)web_render(w, &main, "quiz", args, T_NARGS(args));
	}
	quiz_free(&quiz);
	http_response_header(w->req, "cache-control", "no-store");
	(void)web_page(w, status, a->module_title, main.data);
	buf_free(&main);
	buf_free(&qs);
	buf_free(&alert);
	buf_free(&msg);
	return (KORE_RESULT_OK);
}

/*
 * What the learner gave, into given (HTML), and the feedback it earns
 * into fb. With show = 0 (the right answers are not to be shown yet)
 * only the feedback of a right answer is given: an author's comment on
 * a wrong choice often names the right one.
 */
static void
result_given(struct web *w, const struct quiz_question *q, const char *answer,
    struct buf *given, struct buf *fb, int show)
{
	const char	*p;
	char		*end;
	long		 pos;
	int		 correct;

	if (answer == NULL) {
		html_puts(given, i18n_get(w->lang, "quiz.unanswered"));
		return;
	}
	(void)quiz_grade(q, answer, &correct);
	switch (q->type) {
	case QUIZ_SINGLE:
	case QUIZ_MULTIPLE:
	case QUIZ_ORDER:
		for (p = answer; *p != '\0'; p = *end == ',' ? end + 1 : end) {
			pos = strtol(p, &end, 10);
			if (end == p || pos < 1 || (size_t)pos > q->nopts)
				break;
			if (p != answer)
				buf_puts(given, q->type == QUIZ_ORDER ?
				    " \xe2\x86\x92 " : "; ");
			buf_puts(given, q->opts[pos - 1].html != NULL ?
			    q->opts[pos - 1].html : "");
			if (q->opts[pos - 1].feedback != NULL &&
			    q->type != QUIZ_ORDER && (show ||
			    q->opts[pos - 1].correct)) {
				struct tmpl_arg args[] = {
					T_TEXT("text", q->opts[pos - 1].feedback),
				};

				(void)web_render(w, fb, "quiz-feedback", args,
				    T_NARGS(args));
			}
		}
		break;
	case QUIZ_TRUEFALSE:
		html_puts(given, i18n_get(w->lang, strcmp(answer, "true") == 0 ?
		    "quiz.true" : "quiz.false"));
		break;
	default:
		html_puts(given, answer);
		break;
	}
	if ((q->type == QUIZ_NUMERIC || q->type == QUIZ_SHORT ||
	    q->type == QUIZ_TRUEFALSE) && q->nopts > 0 &&
	    q->opts[0].feedback != NULL && (show || correct)) {
		struct tmpl_arg args[] = {
			T_TEXT("text", q->opts[0].feedback),
		};

		(void)web_render(w, fb, "quiz-feedback", args, T_NARGS(args));
	}
	if ((correct ? q->fb_correct : show ? q->fb_wrong : NULL) != NULL) {
		struct tmpl_arg args[] = {
			T_TEXT("text", correct ? q->fb_correct : q->fb_wrong),
		};

		(void)web_render(w, fb, "quiz-feedback", args, T_NARGS(args));
	}
}

/*
 * The right answer, in words (HTML): the right choices, the items in
 * their order, true or false, the number with its tolerance, or the
 * accepted short answers as a list ("a, b o c").
 */
static void
result_right(struct web *w, const struct quiz_question *q, struct buf *right)
{
	const char	**items;
	struct buf	  tmp;
	size_t		  k, n;

	buf_init(&tmp, 256);
	items = xcalloc(q->nopts + 1, sizeof(*items));
	for (k = 0, n = 0; k < q->nopts; k++) {
		if (q->type == QUIZ_ORDER || q->opts[k].correct)
			items[n++] = q->opts[k].html != NULL ?
			    q->opts[k].html : "";
	}
	switch (q->type) {
	case QUIZ_ORDER:
		for (k = 0; k < n; k++) {
			if (k > 0)
				buf_puts(right, " \xe2\x86\x92 ");
			buf_puts(right, items[k]);
		}
		break;
	case QUIZ_TRUEFALSE:
		html_puts(right, i18n_get(w->lang, q->truth ? "quiz.true" :
		    "quiz.false"));
		break;
	case QUIZ_NUMERIC:
		if (n > 0)
			buf_puts(right, items[0]);
		if (q->tolerance > 0) {
			buf_printf(&tmp, "%g", q->tolerance);
			buf_puts(right, " \xc2\xb1 ");
			html_puts(right, web_num(w, tmp.data));
		}
		break;
	case QUIZ_SHORT:
		buf_printf(&tmp, " %s ", i18n_get(w->lang, "quiz.or"));
		quiz_join(right, items, n, tmp.data);
		break;
	default:
		quiz_join(right, items, n, "; ");
		break;
	}
	free(items);
	buf_free(&tmp);
}

/* After submission: the score and, per question, how it went. */
static int
attempt_result(struct web *w, const struct attempt_view *a)
{
	struct quiz	  quiz;
	struct fail	  f;
	struct buf	  main, qs, fb, right, given, line;
	char		**answers, num[32], score[32], max[32], pct[32];
	char		  pass[32];
	int		 *correct, show;
	size_t		  i;

	if (learn_load_quiz(&w->db, a->version, &quiz, &f) == -1)
		return (web_fail(w, &f));
	answers = xcalloc(quiz.nq + 1, sizeof(*answers));
	correct = xcalloc(quiz.nq + 1, sizeof(*correct));
	if (learn_attempt_answers(&w->db, a->id, &quiz, answers,
	    correct, &f) == -1) {
		free(answers);
		free(correct);
		quiz_free(&quiz);
		return (web_fail(w, &f));
	}
	show = course_review_shows(a->review, a->passed_any, a->used,
	    a->max_attempts);
	buf_init(&main, 16384);
	buf_init(&qs, 16384);
	buf_init(&fb, 1024);
	buf_init(&right, 1024);
	buf_init(&given, 512);
	buf_init(&line, 1024);
	for (i = 0; i < quiz.nq; i++) {
		const struct quiz_question	*q = &quiz.q[i];

		buf_reset(&fb);
		buf_reset(&right);
		buf_reset(&given);
		buf_reset(&line);
		result_given(w, q, answers[i], &given, &fb, show);
		if (show) {
			result_right(w, q, &right);
			{
				struct tmpl_arg args[] = {
					T_TEXT("label", i18n_get(w->lang,
					    q->type == QUIZ_SHORT ?
					    "quiz.accepted" :
					    "quiz.right_answer")),
					T_RAW("right", right.data),
				};

				(void)web_render(w, &line, "quiz-result-right",
				    args, T_NARGS(args));
			}
		}
		(void)snprintf(num, sizeof(num), "%zu", i + 1);
		{
			struct tmpl_arg args[] = {
				T_TEXT("num", num),
				T_RAW("text", q->text),
				T_TEXT("kind", correct[i] ? "success" :
				    "danger"),
				T_TEXT("verdict", i18n_get(w->lang,
				    correct[i] ? "quiz.right" : answers[i] ==
				    NULL ? "quiz.unanswered_verdict" :
				    "quiz.wrong")),
				T_RAW("given", given.data),
				T_RAW("right", line.data),
				T_RAW("feedback", fb.data),
			};

			(void)web_render(w, &qs, "quiz-result-question", args,
			    T_NARGS(args));
		}
	}
	buf_reset(&line);
	if (!show) {
		struct tmpl_arg args[] = {
			T_TEXT("text", i18n_get(w->lang, a->review ==
			    REVIEW_NEVER ? "quiz.review_never" : a->review ==
			    REVIEW_AFTER_LAST ? "quiz.review_after_last" :
			    "quiz.review_after_pass")),
		};

		(void)web_render(w, &line, "quiz-note", args, T_NARGS(args));
	}
	score_num(w, score, sizeof(score), a->score, 1);
	score_num(w, max, sizeof(max), a->max_score, 0);
	score_num(w, pct, sizeof(pct), a->percent, 0);
	(void)snprintf(pass, sizeof(pass), "%d", a->pass_percent);
	{
		struct tmpl_arg args[] = {
			T_TEXT("module", a->module_title),
			T_TEXT("course_slug", a->course_slug),
			T_TEXT("score", score),
			T_TEXT("max", max),
			T_TEXT("percent", pct),
			T_TEXT("pass", pass),
			T_TEXT("kind", a->passed ? "success" : "warning"),
			T_TEXT("verdict", i18n_get(w->lang, a->passed ?
			    "quiz.passed_long" : "quiz.failed_long")),
			T_RAW("review", line.data),
			T_RAW("questions", qs.data),
		};

		(void)web_render(w, &main, "quiz-result", args,
		    T_NARGS(args));
	}
	for (i = 0; i < quiz.nq; i++)
		free(answers[i]);
	free(answers);
	free(correct);
	quiz_free(&quiz);
	http_response_header(w->req, "cache-control", "no-store");
	(void)web_page(w, 200, a->module_title, main.data);
	buf_free(&main);
	buf_free(&qs);
	buf_free(&fb);
	buf_free(&right);
	buf_free(&given);
	buf_free(&line);
	return (KORE_RESULT_OK);
}

/* GET: the form, or the result once submitted. POST: submit. */
int
page_attempt(struct http_request *req)
{
	struct attempt_result	 r;
	struct attempt_view	 a;
	struct form		 f;
	struct fail		 fl;
	struct web		 w;
	struct buf		 body, err;
	const char		*id, *csrf;
	char			 chunk[4096], loc[64];
	ssize_t			 n;
	int			 rc;

	if (web_begin(&w, req) == -1)
		return (KORE_RESULT_OK);
	id = web_path_tail(req, "/attempt/");
	if (learn_attempt_get(&w.db, id, w.user->id, &a, &fl) == -1)
		return (web_fail(&w, &fl));
	if (req->method != HTTP_METHOD_POST)
		return (a.submitted ? attempt_result(&w, &a) :
		    attempt_form(&w, 200, &a, NULL, NULL, 0));

	buf_init(&body, 4096);
	for (;;) {
		if ((n = http_body_read(req, chunk, sizeof(chunk))) <= 0)
			break;
		buf_append(&body, chunk, (size_t)n);
		if (body.len > QUIZ_BODY_MAX)
			break;
	}
	buf_init(&err, 64);
	if (n < 0 || body.len > QUIZ_BODY_MAX ||
	    form_parse(&f, body.data, body.len, &err) == -1) {
		buf_free(&body);
		buf_free(&err);
		return (web_error(&w, 400, "quiz.bad_form"));
	}
	buf_free(&body);
	csrf = form_get(&f, "csrf");
	if (csrf == NULL || !auth_equal(csrf, w.user->csrf)) {
		form_free(&f);
		buf_free(&err);
		return (web_error(&w, 403, "error.403.csrf"));
	}
	if (learn_attempt_submit(&w.db, a.id, w.user->id, &f, &r,
	    &fl) == -1) {
		if (fl.kind == FAIL_INPUT)
			rc = attempt_form(&w, 400, &a, &f, fl.key,
			    r.bad_question);
		else
			rc = web_fail(&w, &fl);
		form_free(&f);
		buf_free(&err);
		return (rc);
	}
	form_free(&f);
	buf_free(&err);
	(void)snprintf(loc, sizeof(loc), "/attempt/%s", a.id);
	return (web_redirect(&w, loc));
}
