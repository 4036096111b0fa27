/*
 * page-quiz.c: taking a quiz. An attempt is started (or resumed) with a
 * POST, shown as a plain HTML form that works without JavaScript and by
 * keyboard alone, and graded on the server when submitted. Options are
 * shuffled per attempt from its seed; right answers and feedback never
 * reach the page before the attempt is submitted. The form's field names
 * come from the questions (q<id>), so the body is parsed by form.c and
 * checked against the attempt's own questions.
 */

#include <stdlib.h>
#include <string.h>

#include "web.h"

#define QUIZ_BODY_MAX	(256 * 1024)

struct attempt_view {
	char		 id[32];
	char		 version[32];
	char		 course_slug[96];
	char		 course_title[256];
	char		 module_title[256];
	char		 module_slug[96];
	uint64_t	 seed;
	int		 submitted;
	int		 number;
};

static int	attempt_load(struct web *, const char *, struct attempt_view *);
static int	attempt_form(struct web *, int, const struct attempt_view *,
		    const struct form *, const char *);
static int	attempt_result(struct web *, const struct attempt_view *);
static int	option_checked(const struct form *, const char *, size_t);

int
page_quiz_start(struct http_request *req)
{
	struct web	 w;
	struct buf	 err;
	const char	*course, *module;
	char		 id[32], loc[64];

	if (web_begin(&w, req) == -1)
		return (KORE_RESULT_OK);
	course = web_arg(&w, "course");
	module = web_arg(&w, "module");
	if (course == NULL || module == NULL)
		return (web_error(&w, 400, "quiz.err_params"));
	buf_init(&err, 64);
	if (learn_attempt_start(&w.db, w.user->id, course, module, id,
	    sizeof(id), &err) == -1) {
		int	rc;

		if (err.len == 0)
			rc = web_db_error(&w);
		else
			rc = web_error(&w, strcmp(err.data,
			    "quiz.no_attempts") == 0 ? 409 : 400, err.data);
		buf_free(&err);
		return (rc);
	}
	buf_free(&err);
	(void)snprintf(loc, sizeof(loc), "/attempt/%s", id);
	return (web_redirect(&w, loc));
}

/* The attempt, if it is the signed-in user's. 0, or -1 (not found). */
static int
attempt_load(struct web *w, const char *id, struct attempt_view *a)
{
	struct pg_result	*res;
	char			 uid[32];

	memset(a, 0, sizeof(*a));
	(void)snprintf(uid, sizeof(uid), "%lld", w->user->id);
	res = db_query(&w->db, "SELECT a.id, a.version_id, c.slug, c.title, "
	    "v.title, m.slug, a.seed, a.submitted_at IS NOT NULL, a.number "
	    "FROM attempts a JOIN courses c ON c.id = a.course_id JOIN "
	    "module_versions v ON v.id = a.version_id JOIN modules m ON m.id = "
	    "a.module_id WHERE a.id = $1 AND a.user_id = $2", 2, id, uid);
	if (res == NULL)
		return (-2);
	if (db_rows(res) != 1) {
		db_clear(res);
		return (-1);
	}
	xstrlcpy(a->id, db_value(res, 0, 0), sizeof(a->id));
	xstrlcpy(a->version, db_value(res, 0, 1), sizeof(a->version));
	xstrlcpy(a->course_slug, db_value(res, 0, 2), sizeof(a->course_slug));
	xstrlcpy(a->course_title, db_value(res, 0, 3),
	    sizeof(a->course_title));
	xstrlcpy(a->module_title, db_value(res, 0, 4),
	    sizeof(a->module_title));
	xstrlcpy(a->module_slug, db_value(res, 0, 5), sizeof(a->module_slug));
	a->seed = (uint64_t)strtoull(db_value(res, 0, 6), NULL, 10);
	a->submitted = strcmp(db_value(res, 0, 7), "t") == 0;
	a->number = atoi(db_value(res, 0, 8));
	db_clear(res);
	return (0);
}

/* Was option pos ticked for field name in the form being re-shown? */
static int
option_checked(const struct form *f, const char *name, size_t pos)
{
	char	v[16];
	size_t	i;

	if (f == NULL)
		return (0);
	(void)snprintf(v, sizeof(v), "%zu", pos);
	for (i = 0; i < f->n; i++) {
		if (strcmp(f->f[i].name, name) == 0 &&
		    strcmp(f->f[i].value, v) == 0)
			return (1);
	}
	return (0);
}

/*
 * One question as a form part: options shuffled by seed (the attempt's,
 * or the pre/post-test's in page-impact.c), the answers given so far
 * ticked again when the form comes back with an error.
 */
void
quiz_question_render(struct web *w, struct buf *out, uint64_t seed,
    const struct quiz_question *q, size_t num, const struct form *f)
{
	struct buf	 inputs;
	size_t		 perm[QUIZ_MAX_OPTIONS], i, k;
	char		 name[48], id[64], pos[32], numbuf[32], pts[32];
	char		 key[32];
	const char	*tmpl, *v;

	if (q->nopts > QUIZ_MAX_OPTIONS)
		return;
	buf_init(&inputs, 1024);
	(void)snprintf(name, sizeof(name), "q%lld", q->id);
	quiz_shuffle(seed, q->id, q->nopts, perm);

	switch (q->type) {
	case QUIZ_SINGLE:
	case QUIZ_MULTIPLE:
		tmpl = q->type == QUIZ_SINGLE ? "quiz-radio" : "quiz-checkbox";
		for (i = 0; i < q->nopts; i++) {
			k = perm[i];
			(void)snprintf(pos, sizeof(pos), "%zu", k + 1);
			(void)snprintf(id, sizeof(id), "%s-%zu", name, k + 1);
			{
				struct tmpl_arg args[] = {
					T_TEXT("name", name),
					T_TEXT("id", id),
					T_TEXT("value", pos),
					T_RAW("label", q->opts[k].text),
					T_RAW("checked", option_checked(f, name,
					    k + 1) ? " checked" : ""),
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
			v = f != NULL ? form_get(f, name) : NULL;
			{
				struct tmpl_arg args[] = {
					T_TEXT("name", name),
					T_TEXT("id", id),
					T_TEXT("value", val),
					T_TEXT("label", i18n_get(w->lang,
					    i == 0 ? "quiz.true" :
					    "quiz.false")),
					T_RAW("checked", v != NULL &&
					    strcmp(v, val) == 0 ? " checked" :
					    ""),
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
			(void)snprintf(id, sizeof(id), "%s_%zu", name, k + 1);
			v = f != NULL ? form_get(f, id) : NULL;
			buf_init(&opts, 256);
			for (r = 1; r <= q->nopts; r++) {
				char	rv[16];

				(void)snprintf(rv, sizeof(rv), "%zu", r);
				{
					struct tmpl_arg args[] = {
						T_TEXT("value", rv),
						T_TEXT("label", rv),
						T_RAW("selected", v != NULL &&
						    strcmp(v, rv) == 0 ?
						    " selected" : ""),
					};

					(void)web_render(w, &opts, "option",
					    args, T_NARGS(args));
				}
			}
			{
				struct tmpl_arg args[] = {
					T_TEXT("id", id),
					T_RAW("label", q->opts[k].text),
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
	(void)snprintf(key, sizeof(key), "qhelp.%s", quiz_type_name(q->type));
	{
		struct tmpl_arg args[] = {
			T_TEXT("num", numbuf),
			T_TEXT("name", name),
			T_RAW("text", q->text),
			T_TEXT("help", i18n_get(w->lang, key)),
			T_TEXT("points", pts),
			T_RAW("inputs", inputs.data),
		};

		(void)web_render(w, out, "quiz-question", args, T_NARGS(args));
	}
	buf_free(&inputs);
}

static int
attempt_form(struct web *w, int status, const struct attempt_view *a,
    const struct form *f, const char *error)
{
	struct quiz	 quiz;
	struct buf	 main, qs, alert;
	char		 num[32], count[32];
	size_t		 i;

	if (learn_load_quiz(&w->db, a->version, &quiz) == -1)
		return (web_db_error(w));
	buf_init(&main, 16384);
	buf_init(&qs, 16384);
	buf_init(&alert, 256);
	for (i = 0; i < quiz.nq; i++)
		quiz_question_render(w, &qs, a->seed, &quiz.q[i], i + 1, f);
	if (error != NULL) {
		struct tmpl_arg args[] = {
			T_TEXT("kind", "danger"),
			T_TEXT("text", i18n_get(w->lang, error)),
		};

		(void)web_render(w, &alert, "alert", args, T_NARGS(args));
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
	return (KORE_RESULT_OK);
}

/* After submission: the score and, per question, what was right. */
static int
attempt_result(struct web *w, const struct attempt_view *a)
{
	struct pg_result	*res, *ans;
	struct quiz		 quiz;
	struct buf		 main, qs, fb, right, given;
	char			 num[32];
	size_t			 i, k;
	int			 j, correct;

	if (learn_load_quiz(&w->db, a->version, &quiz) == -1)
		return (web_db_error(w));
	res = db_query(&w->db, "SELECT to_char(score, 'FM9990.0'), "
	    "to_char(max_score, 'FM9990'), to_char(percent, 'FM990'), passed, "
	    "(SELECT pass_percent FROM courses WHERE id = attempts.course_id) "
	    "FROM attempts WHERE id = $1", 1, a->id);
	ans = db_query(&w->db, "SELECT question_id, answer, correct FROM "
	    "attempt_answers WHERE attempt_id = $1", 1, a->id);
	if (res == NULL || ans == NULL) {
		if (res != NULL)
			db_clear(res);
		if (ans != NULL)
			db_clear(ans);
		quiz_free(&quiz);
		return (web_db_error(w));
	}
	buf_init(&main, 16384);
	buf_init(&qs, 16384);
	buf_init(&fb, 1024);
	buf_init(&right, 1024);
	buf_init(&given, 512);
	for (i = 0; i < quiz.nq; i++) {
		const struct quiz_question	*q = &quiz.q[i];
		const char			*answer = NULL;

		correct = 0;
		for (j = 0; j < db_rows(ans); j++) {
			if (strtoll(db_value(ans, j, 0), NULL, 10) == q->id) {
				answer = db_isnull(ans, j, 1) ? NULL :
				    db_value(ans, j, 1);
				correct = strcmp(db_value(ans, j, 2), "t") == 0;
			}
		}
		buf_reset(&fb);
		buf_reset(&right);
		buf_reset(&given);
		/* The right answer, in words. */
		for (k = 0; k < q->nopts; k++) {
			if (q->type == QUIZ_ORDER) {
				if (k > 0)
					buf_puts(&right, " \xe2\x86\x92 ");
				buf_puts(&right, q->opts[k].text);
			} else if (q->type == QUIZ_TRUEFALSE) {
				html_puts(&right, i18n_get(w->lang, q->truth ?
				    "quiz.true" : "quiz.false"));
				break;
			} else if (q->opts[k].correct) {
				if (right.len > 0)
					buf_puts(&right, q->type == QUIZ_SHORT ?
					    " | " : "; ");
				buf_puts(&right, q->opts[k].text);
			}
		}
		if (q->type == QUIZ_NUMERIC && q->tolerance > 0) {
			(void)snprintf(num, sizeof(num), "%g", q->tolerance);
			buf_printf(&right, " \xc2\xb1 %s", web_num(w, num));
		}
		/* What the learner gave, and the feedback it earns. */
		if (answer == NULL)
			html_puts(&given, i18n_get(w->lang, "quiz.unanswered"));
		else if (q->type == QUIZ_SINGLE || q->type == QUIZ_MULTIPLE ||
		    q->type == QUIZ_ORDER) {
			const char	*p = answer;
			char		*end;

			while (*p != '\0') {
				long	pos = strtol(p, &end, 10);

				p = end;

				if (pos >= 1 && (size_t)pos <= q->nopts) {
					if (given.len > 0)
						buf_puts(&given,
						    q->type == QUIZ_ORDER ?
						    " \xe2\x86\x92 " : "; ");
					buf_puts(&given, q->opts[pos - 1].text);
					if (q->opts[pos - 1].feedback != NULL &&
					    q->type != QUIZ_ORDER) {
						struct tmpl_arg args[] = {
							T_TEXT("text", q->opts[
							    pos - 1].feedback),
						};

						(void)web_render(w, &fb,
						    "quiz-feedback", args,
						    T_NARGS(args));
					}
				}
				if (*p == ',')
					p++;
				else
					break;
			}
		} else if (q->type == QUIZ_TRUEFALSE)
			html_puts(&given, i18n_get(w->lang,
			    strcmp(answer, "true") == 0 ? "quiz.true" :
			    "quiz.false"));
		else
			html_puts(&given, answer);
		if ((q->type == QUIZ_NUMERIC || q->type == QUIZ_SHORT ||
		    q->type == QUIZ_TRUEFALSE) && q->nopts > 0 &&
		    q->opts[0].feedback != NULL) {
			struct tmpl_arg args[] = {
				T_TEXT("text", q->opts[0].feedback),
			};

			(void)web_render(w, &fb, "quiz-feedback", args,
			    T_NARGS(args));
		}
		if ((correct ? q->fb_correct : q->fb_wrong) != NULL) {
			struct tmpl_arg args[] = {
				T_TEXT("text", correct ? q->fb_correct :
				    q->fb_wrong),
			};

			(void)web_render(w, &fb, "quiz-feedback", args,
			    T_NARGS(args));
		}
		(void)snprintf(num, sizeof(num), "%zu", i + 1);
		{
			struct tmpl_arg args[] = {
				T_TEXT("num", num),
				T_RAW("text", q->text),
				T_TEXT("kind", correct ? "success" : "danger"),
				T_TEXT("verdict", i18n_get(w->lang, correct ?
				    "quiz.right" : "quiz.wrong")),
				T_RAW("given", given.data),
				T_RAW("right", right.data),
				T_RAW("feedback", fb.data),
			};

			(void)web_render(w, &qs, "quiz-result-question", args,
			    T_NARGS(args));
		}
	}
	{
		int	passed = strcmp(db_value(res, 0, 3), "t") == 0;
		struct tmpl_arg args[] = {
			T_TEXT("module", a->module_title),
			T_TEXT("course_slug", a->course_slug),
			T_TEXT("score", web_num(w, db_value(res, 0, 0))),
			T_TEXT("max", db_value(res, 0, 1)),
			T_TEXT("percent", db_value(res, 0, 2)),
			T_TEXT("pass", db_value(res, 0, 4)),
			T_TEXT("kind", passed ? "success" : "warning"),
			T_TEXT("verdict", i18n_get(w->lang, passed ?
			    "quiz.passed_long" : "quiz.failed_long")),
			T_RAW("questions", qs.data),
		};

		(void)web_render(w, &main, "quiz-result", args,
		    T_NARGS(args));
	}
	db_clear(res);
	db_clear(ans);
	quiz_free(&quiz);
	http_response_header(w->req, "cache-control", "no-store");
	(void)web_page(w, 200, a->module_title, main.data);
	buf_free(&main);
	buf_free(&qs);
	buf_free(&fb);
	buf_free(&right);
	buf_free(&given);
	return (KORE_RESULT_OK);
}

/* GET: the form, or the result once submitted. POST: submit. */
int
page_attempt(struct http_request *req)
{
	struct attempt_result	 r;
	struct attempt_view	 a;
	struct form		 f;
	struct web		 w;
	struct buf		 body, err;
	const char		*id, *csrf;
	char			 chunk[4096], loc[64];
	ssize_t			 n;
	int			 rc;

	if (web_begin(&w, req) == -1)
		return (KORE_RESULT_OK);
	id = web_path_tail(req, "/attempt/");
	if ((rc = attempt_load(&w, id, &a)) == -2)
		return (web_db_error(&w));
	if (rc == -1)
		return (web_error(&w, 404, "quiz.no_attempt"));
	if (req->method != HTTP_METHOD_POST)
		return (a.submitted ? attempt_result(&w, &a) :
		    attempt_form(&w, 200, &a, NULL, NULL));

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
	    &err) == -1) {
		if (err.len == 0)
			rc = web_db_error(&w);
		else
			rc = attempt_form(&w, 400, &a, &f, err.data);
		form_free(&f);
		buf_free(&err);
		return (rc);
	}
	form_free(&f);
	buf_free(&err);
	(void)snprintf(loc, sizeof(loc), "/attempt/%s", a.id);
	return (web_redirect(&w, loc));
}
