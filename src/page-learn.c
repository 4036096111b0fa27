/*
 * page-learn.c: the learner's side: the dashboard (courses with their
 * progress, what is next, deadlines, this year's hours against the
 * target), enrolling, a course's progress, "I finished reading", and the
 * history of attempts.
 */

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "web.h"

#define HOURS_TARGET	40

static void	progress_bar(struct web *, struct buf *, double, int,
		    const char *);
static int	read_too_early(struct web *, const char *, const char *,
		    long long);

/*
 * A progress bar in Bootstrap Italia's look with its numbers in text: a
 * native <progress> element, which needs no ARIA role.
 */
static void
progress_bar(struct web *w, struct buf *out, double done, int total,
    const char *label)
{
	char	max[16], d[32], v[32], t[16];

	/* A native <progress>: its max must be above zero. */
	(void)snprintf(max, sizeof(max), "%d", total > 0 ? total : 1);
	(void)snprintf(v, sizeof(v), "%g", done);
	web_fmt_hours(w, d, sizeof(d), done);
	(void)snprintf(t, sizeof(t), "%d", total);
	{
		struct tmpl_arg args[] = {
			T_TEXT("max", max),
			T_TEXT("value", v),
			T_TEXT("done", d),
			T_TEXT("total", t),
			T_TEXT("label", label),
		};

		(void)web_render(w, out, "progress", args, T_NARGS(args));
	}
}

int
page_learn(struct http_request *req)
{
	struct my_course	*cs;
	struct fail		 f;
	struct web		 w;
	struct buf		 main, rows, bar, hours_bar, next;
	char			 hours[32], label[256];
	size_t			 i, n;
	double			 h;

	if (web_begin(&w, req) == -1)
		return (KORE_RESULT_OK);
	if (learn_my_courses(&w.db, w.user->id, &cs, &n, &f) == -1)
		return (web_fail(&w, &f));
	if (learn_hours_year(&w.db, w.user->id, &h, &f) == -1) {
		learn_my_courses_free(cs, n);
		return (web_fail(&w, &f));
	}
	buf_init(&main, 8192);
	buf_init(&rows, 8192);
	buf_init(&bar, 512);
	buf_init(&next, 512);
	buf_init(&hours_bar, 512);
	for (i = 0; i < n; i++) {
		const struct my_course	*c = &cs[i];

		buf_reset(&bar);
		buf_reset(&next);
		(void)snprintf(label, sizeof(label), "%s: %s",
		    i18n_get(w.lang, "learn.progress"), c->title);
		progress_bar(&w, &bar, c->done, c->total, label);
		if (c->next_slug != NULL) {
			struct tmpl_arg args[] = {
				T_TEXT("slug", c->next_slug),
				T_TEXT("title", c->next_title),
			};

			(void)web_render(&w, &next, "learn-next", args,
			    T_NARGS(args));
		}
		{
			struct tmpl_arg args[] = {
				T_TEXT("slug", c->slug),
				T_TEXT("title", c->title),
				T_TEXT("lang", c->lang),
				T_TEXT("due", c->due[0] != '\0' ?
				    web_date(&w, c->due) : "\xe2\x80\x94"),
				T_TEXT("state", i18n_get(w.lang, c->completed ?
				    "learn.completed" : c->overdue ?
				    "learn.overdue" : "learn.in_progress")),
				T_RAW("bar", bar.data),
				T_RAW("next", next.data),
			};

			(void)web_render(&w, &rows, "learn-course-card", args,
			    T_NARGS(args));
		}
	}
	learn_my_courses_free(cs, n);
	web_fmt_hours(&w, hours, sizeof(hours), h);
	progress_bar(&w, &hours_bar, h, HOURS_TARGET,
	    i18n_get(w.lang, "learn.hours_label"));
	{
		char	year[16], target[16];
		time_t	now = time(NULL);
		struct tm tm;

		(void)gmtime_r(&now, &tm);
		(void)snprintf(year, sizeof(year), "%d", tm.tm_year + 1900);
		(void)snprintf(target, sizeof(target), "%d", HOURS_TARGET);
		{
			struct tmpl_arg args[] = {
				T_TEXT("name", w.user->name),
				T_TEXT("year", year),
				T_TEXT("hours", hours),
				T_TEXT("target", target),
				T_RAW("hours_bar", hours_bar.data),
				T_RAW("courses", rows.data),
				T_TEXT("empty", n == 0 ? i18n_get(w.lang,
				    "learn.empty") : ""),
			};

			(void)web_render(&w, &main, "learn", args,
			    T_NARGS(args));
		}
	}
	(void)web_page(&w, 200, i18n_get(w.lang, "learn.title"), main.data);
	buf_free(&main);
	buf_free(&rows);
	buf_free(&bar);
	buf_free(&next);
	buf_free(&hours_bar);
	return (KORE_RESULT_OK);
}

int
page_learn_enrol(struct http_request *req)
{
	struct fail	 f;
	struct web	 w;
	const char	*course;
	char		 loc[128];
	int		 created;

	if (web_begin(&w, req) == -1)
		return (KORE_RESULT_OK);
	if ((course = web_arg(&w, "course")) == NULL)
		return (web_error(&w, 400, "learn.err_course"));
	if (learn_enrol(&w.db, w.user->id, course, "self", 0, NULL,
	    &created, &f) == -1)
		return (web_fail(&w, &f));
	(void)snprintf(loc, sizeof(loc), "/learn/%s", course);
	return (web_redirect(&w, loc));
}

/* One course: every module with its reading, quiz and done state. */
int
page_learn_course(struct http_request *req)
{
	struct course_view	 cv;
	struct fail		 f;
	struct web		 w;
	struct buf		 main, rows, bar, quiz;
	const char		*slug;
	char			 label[256], pass[16];
	size_t			 i;
	int			 done;

	if (web_begin(&w, req) == -1)
		return (KORE_RESULT_OK);
	slug = web_path_tail(req, "/learn/");
	if (learn_course_view(&w.db, w.user->id, slug, &cv, &f) == -1)
		return (web_fail(&w, &f));
	buf_init(&main, 8192);
	buf_init(&rows, 8192);
	buf_init(&bar, 512);
	buf_init(&quiz, 1024);
	done = 0;
	for (i = 0; i < cv.n; i++) {
		const struct course_module_row	*r = &cv.rows[i];
		const char			*best;
		char				 left[32], minutes[16];

		done += r->done;
		buf_reset(&quiz);
		best = r->best[0] != '\0' ? r->best : "\xe2\x80\x94";
		if (cv.attempts > 0)
			(void)snprintf(left, sizeof(left), "%d",
			    cv.attempts - r->used > 0 ?
			    cv.attempts - r->used : 0);
		else
			xstrlcpy(left, "\xe2\x88\x9e", sizeof(left));
		if (r->nq > 0 && cv.attempts > 0 && r->used >= cv.attempts) {
			struct tmpl_arg args[] = {
				T_TEXT("best", best),
			};

			(void)web_render(&w, &quiz, "learn-quiz-closed", args,
			    T_NARGS(args));
		} else if (r->nq > 0) {
			struct tmpl_arg args[] = {
				T_TEXT("course", slug),
				T_TEXT("module", r->slug),
				T_TEXT("best", best),
				T_TEXT("left", left),
				T_TEXT("csrf", web_csrf(&w)),
				T_TEXT("title", r->title),
			};

			(void)web_render(&w, &quiz, "learn-quiz", args,
			    T_NARGS(args));
		}
		(void)snprintf(minutes, sizeof(minutes), "%d", r->minutes);
		{
			struct tmpl_arg args[] = {
				T_TEXT("slug", r->slug),
				T_TEXT("title", r->title),
				T_TEXT("minutes", minutes),
				T_TEXT("read", i18n_get(w.lang, r->read ?
				    "learn.read_yes" : "learn.read_no")),
				T_TEXT("state", i18n_get(w.lang, r->done ?
				    "learn.module_done" : "learn.module_todo")),
				T_RAW("quiz", quiz.data),
			};

			(void)web_render(&w, &rows, "learn-module-row", args,
			    T_NARGS(args));
		}
	}
	(void)snprintf(label, sizeof(label), "%s: %s",
	    i18n_get(w.lang, "learn.progress"), cv.title);
	progress_bar(&w, &bar, done, (int)cv.n, label);
	(void)snprintf(pass, sizeof(pass), "%d", cv.pass_percent);
	{
		struct tmpl_arg args[] = {
			T_TEXT("title", cv.title),
			T_TEXT("slug", slug),
			T_TEXT("pass", pass),
			T_TEXT("grading", i18n_get(w.lang, cv.grading_last ?
			    "learn.grading_last" : "learn.grading_highest")),
			T_TEXT("state", i18n_get(w.lang, cv.completed ?
			    "learn.completed" : "learn.in_progress")),
			T_TEXT("due", cv.due[0] != '\0' ?
			    web_date(&w, cv.due) : "\xe2\x80\x94"),
			T_RAW("bar", bar.data),
			T_RAW("modules", rows.data),
		};

		(void)web_render(&w, &main, "learn-course", args,
		    T_NARGS(args));
	}
	learn_course_view_free(&cv);
	(void)web_page(&w, 200, i18n_get(w.lang, "learn.title"), main.data);
	buf_free(&main);
	buf_free(&rows);
	buf_free(&bar);
	buf_free(&quiz);
	return (KORE_RESULT_OK);
}

/*
 * "Finished" before the module's minimum time (read_min_percent of its
 * minutes from the first opening, measured on the server): 409, with
 * when it will count, and nothing recorded.
 */
static int
read_too_early(struct web *w, const char *version, const char *back,
    long long wait)
{
	struct read_state	 rs;
	struct fail		 f;
	struct buf		 main;
	char			 mins[32];

	if (learn_read_state(&w->db, w->user->id, version,
	    settings.read_min_percent, &rs, &f) == -1)
		return (web_fail(w, &f));
	(void)snprintf(mins, sizeof(mins), "%lld", (wait + 59) / 60);
	buf_init(&main, 1024);
	if (rs.opened) {
		struct tmpl_arg args[] = {
			T_TEXT("minutes", mins),
			T_TEXT("ready", rs.ready_at),
			T_TEXT("back", back),
		};

		(void)web_render(w, &main, "learn-too-early", args,
		    T_NARGS(args));
	} else {
		struct tmpl_arg args[] = {
			T_TEXT("minutes", mins),
			T_TEXT("back", back),
		};

		(void)web_render(w, &main, "learn-not-opened", args,
		    T_NARGS(args));
	}
	(void)web_page(w, 409, i18n_get(w->lang, "learn.too_early_title"),
	    main.data);
	buf_free(&main);
	return (KORE_RESULT_OK);
}

/* "I finished reading" on a module page. */
int
page_learn_read(struct http_request *req)
{
	struct fail		 f;
	struct web		 w;
	const char		*version;
	char			 loc[160], slug[128];
	long long		 wait, id;

	if (web_begin(&w, req) == -1)
		return (KORE_RESULT_OK);
	if ((version = web_arg(&w, "version")) == NULL ||
	    web_arg_num(&w, "version", 1, WEB_ID_MAX, &id) != 1)
		return (web_error(&w, 400, "learn.err_version"));
	if (learn_version_slug(&w.db, version, slug, sizeof(slug),
	    &f) == -1)
		return (web_fail(&w, &f));
	(void)snprintf(loc, sizeof(loc), "/modules/%s#read", slug);
	if (learn_read_finish(&w.db, w.user->id, version,
	    settings.read_min_percent, &wait, &f) == -1)
		return (f.kind == FAIL_CONFLICT ? read_too_early(&w, version,
		    loc, wait) : web_fail(&w, &f));
	return (web_redirect(&w, loc));
}

int
page_learn_history(struct http_request *req)
{
	struct history_row	*hs;
	struct fail		 f;
	struct web		 w;
	struct buf		 main, rows;
	char			 version[16], number[16];
	size_t			 i, n;

	if (web_begin(&w, req) == -1)
		return (KORE_RESULT_OK);
	if (learn_history(&w.db, w.user->id, &hs, &n, &f) == -1)
		return (web_fail(&w, &f));
	buf_init(&main, 8192);
	buf_init(&rows, 8192);
	for (i = 0; i < n; i++) {
		const struct history_row	*h = &hs[i];

		(void)snprintf(version, sizeof(version), "%d", h->version_no);
		(void)snprintf(number, sizeof(number), "%d", h->number);
		{
			struct tmpl_arg args[] = {
				T_TEXT("id", h->id),
				T_TEXT("at", web_datetime(&w, h->at)),
				T_TEXT("course", h->course),
				T_TEXT("module", h->module),
				T_TEXT("version", version),
				T_TEXT("sha", h->sha),
				T_TEXT("number", number),
				T_TEXT("score", web_num(&w, h->score)),
				T_TEXT("max", h->max),
				T_TEXT("percent", h->percent),
				T_TEXT("result", i18n_get(w.lang, h->passed ?
				    "quiz.passed" : "quiz.failed")),
			};

			(void)web_render(&w, &rows, "learn-history-row", args,
			    T_NARGS(args));
		}
	}
	learn_history_free(hs, n);
	{
		struct tmpl_arg args[] = {
			T_RAW("rows", rows.data),
		};

		(void)web_render(&w, &main, "learn-history", args,
		    T_NARGS(args));
	}
	(void)web_page(&w, 200, i18n_get(w.lang, "learn.history"),
	    main.data);
	buf_free(&main);
	buf_free(&rows);
	return (KORE_RESULT_OK);
}
