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
	struct pg_result	*res;
	struct web		 w;
	struct buf		 main, rows, bar, hours_bar, next;
	char			 uid[32], hours[32], label[256];
	int			 i, n, done, total;
	double			 h;

	if (web_begin(&w, req) == -1)
		return (KORE_RESULT_OK);
	(void)snprintf(uid, sizeof(uid), "%lld", w.user->id);
	res = db_query(&w.db, "SELECT c.slug, c.title, c.lang, coalesce("
	    "e.due_date::text, ''), e.completed_at IS NOT "
	    "NULL, (SELECT count(*) FROM course_modules cm WHERE cm.course_id "
	    "= c.id), (SELECT count(*) FROM course_modules cm WHERE "
	    "cm.course_id = c.id AND module_done(e.user_id, c.id, "
	    "cm.module_id)), (SELECT m.slug || '|' || v.title FROM "
	    "course_modules cm JOIN modules m ON m.id = cm.module_id JOIN "
	    "module_versions v ON v.id = m.current_version_id WHERE "
	    "cm.course_id = c.id AND NOT module_done(e.user_id, c.id, "
	    "cm.module_id) ORDER BY cm.position LIMIT 1), e.due_date < "
	    "current_date AND e.completed_at IS NULL FROM enrolments e JOIN "
	    "courses c ON c.id = e.course_id WHERE e.user_id = $1 ORDER BY "
	    "e.completed_at IS NOT NULL, e.due_date NULLS LAST, c.title", 1,
	    uid);
	if (res == NULL)
		return (web_db_error(&w));
	buf_init(&main, 8192);
	buf_init(&rows, 8192);
	buf_init(&bar, 512);
	buf_init(&next, 512);
	buf_init(&hours_bar, 512);
	n = db_rows(res);
	for (i = 0; i < n; i++) {
		total = atoi(db_value(res, i, 5));
		done = atoi(db_value(res, i, 6));
		buf_reset(&bar);
		buf_reset(&next);
		(void)snprintf(label, sizeof(label), "%s: %s",
		    i18n_get(w.lang, "learn.progress"), db_value(res, i, 1));
		progress_bar(&w, &bar, done, total, label);
		if (!db_isnull(res, i, 7)) {
			char	*copy = xstrdup(db_value(res, i, 7));
			char	*bar_ = strchr(copy, '|');

			if (bar_ != NULL) {
				*bar_++ = '\0';
				{
					struct tmpl_arg args[] = {
						T_TEXT("slug", copy),
						T_TEXT("title", bar_),
					};

					(void)web_render(&w, &next,
					    "learn-next", args,
					    T_NARGS(args));
				}
			}
			free(copy);
		}
		{
			struct tmpl_arg args[] = {
				T_TEXT("slug", db_value(res, i, 0)),
				T_TEXT("title", db_value(res, i, 1)),
				T_TEXT("lang", db_value(res, i, 2)),
				T_TEXT("due", *db_value(res, i, 3) != '\0' ?
				    web_date(&w, db_value(res, i, 3)) :
				    "\xe2\x80\x94"),
				T_TEXT("state", i18n_get(w.lang,
				    strcmp(db_value(res, i, 4), "t") == 0 ?
				    "learn.completed" : strcmp(db_value(res, i,
				    8), "t") == 0 ? "learn.overdue" :
				    "learn.in_progress")),
				T_RAW("bar", bar.data),
				T_RAW("next", next.data),
			};

			(void)web_render(&w, &rows, "learn-course-card", args,
			    T_NARGS(args));
		}
	}
	db_clear(res);

	res = db_query(&w.db, "SELECT coalesce(sum(hours), 0) FROM "
	    "hours_ledger WHERE user_id = $1 AND year = extract(year FROM "
	    "now())::int", 1, uid);
	if (res == NULL)
		return (web_db_error(&w));
	h = strtod(db_value(res, 0, 0), NULL);
	db_clear(res);
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
	struct web	 w;
	const char	*course;
	char		 loc[128];
	int		 created;

	if (web_begin(&w, req) == -1)
		return (KORE_RESULT_OK);
	if ((course = web_arg(&w, "course")) == NULL)
		return (web_error(&w, 400, "learn.err_course"));
	if (learn_enrol(&w.db, w.user->id, course, "self", 0, NULL,
	    &created) == -1)
		return (web_error(&w, 404, "error.404.course"));
	(void)snprintf(loc, sizeof(loc), "/learn/%s", course);
	return (web_redirect(&w, loc));
}

/* One course: every module with its reading, quiz and done state. */
int
page_learn_course(struct http_request *req)
{
	struct pg_result	*res, *c;
	struct web		 w;
	struct buf		 main, rows, bar, quiz;
	const char		*slug;
	char			 uid[32], label[256];
	int			 i, n, done, max;

	if (web_begin(&w, req) == -1)
		return (KORE_RESULT_OK);
	slug = web_path_tail(req, "/learn/");
	(void)snprintf(uid, sizeof(uid), "%lld", w.user->id);
	c = db_query(&w.db, "SELECT c.id, c.title, c.attempts, c.pass_percent, "
	    "c.grading, e.completed_at IS NOT NULL, coalesce("
	    "e.due_date::text, '') FROM courses c JOIN enrolments e "
	    "ON e.course_id = c.id AND e.user_id = $1 WHERE c.slug = $2", 2,
	    uid, slug);
	if (c == NULL)
		return (web_db_error(&w));
	if (db_rows(c) != 1) {
		db_clear(c);
		return (web_error(&w, 404, "learn.not_enrolled"));
	}
	max = atoi(db_value(c, 0, 2));
	res = db_query(&w.db, "SELECT m.slug, v.title, v.minutes, "
	    "EXISTS (SELECT 1 FROM module_reads r JOIN module_versions rv ON "
	    "rv.id = r.version_id WHERE r.user_id = $1 AND rv.module_id = m.id "
	    "AND r.finished_at IS NOT NULL), (SELECT count(*) FROM questions q "
	    "WHERE q.version_id = v.id), (SELECT count(*) FROM attempts a "
	    "WHERE a.user_id = $1 AND a.course_id = $2 AND a.module_id = m.id "
	    "AND a.submitted_at IS NOT NULL), coalesce((SELECT to_char(max("
	    "a.percent), 'FM990') || '%' FROM attempts a WHERE a.user_id = $1 "
	    "AND a.course_id = $2 AND a.module_id = m.id), ''), module_done($1, "
	    "$2, "
	    "m.id) FROM course_modules cm JOIN modules m ON m.id = "
	    "cm.module_id JOIN module_versions v ON v.id = m.current_version_id "
	    "WHERE cm.course_id = $2 ORDER BY cm.position", 2, uid,
	    db_value(c, 0, 0));
	if (res == NULL) {
		db_clear(c);
		return (web_db_error(&w));
	}
	buf_init(&main, 8192);
	buf_init(&rows, 8192);
	buf_init(&bar, 512);
	buf_init(&quiz, 1024);
	n = db_rows(res);
	done = 0;
	for (i = 0; i < n; i++) {
		int	used = atoi(db_value(res, i, 5));
		char	left[32];

		done += strcmp(db_value(res, i, 7), "t") == 0;
		buf_reset(&quiz);
		if (max > 0)
			(void)snprintf(left, sizeof(left), "%d",
			    max - used > 0 ? max - used : 0);
		else
			xstrlcpy(left, "\xe2\x88\x9e", sizeof(left));
		if (strcmp(db_value(res, i, 4), "0") != 0 && max > 0 &&
		    used >= max) {
			struct tmpl_arg args[] = {
				T_TEXT("best", *db_value(res, i, 6) != '\0' ?
				    db_value(res, i, 6) : "\xe2\x80\x94"),
			};

			(void)web_render(&w, &quiz, "learn-quiz-closed", args,
			    T_NARGS(args));
		} else if (strcmp(db_value(res, i, 4), "0") != 0) {
			struct tmpl_arg args[] = {
				T_TEXT("course", slug),
				T_TEXT("module", db_value(res, i, 0)),
				T_TEXT("best", *db_value(res, i, 6) != '\0' ?
				    db_value(res, i, 6) : "\xe2\x80\x94"),
				T_TEXT("left", left),
				T_TEXT("csrf", web_csrf(&w)),
				T_TEXT("title", db_value(res, i, 1)),
			};

			(void)web_render(&w, &quiz, "learn-quiz", args,
			    T_NARGS(args));
		}
		{
			struct tmpl_arg args[] = {
				T_TEXT("slug", db_value(res, i, 0)),
				T_TEXT("title", db_value(res, i, 1)),
				T_TEXT("minutes", db_value(res, i, 2)),
				T_TEXT("read", i18n_get(w.lang,
				    strcmp(db_value(res, i, 3), "t") == 0 ?
				    "learn.read_yes" : "learn.read_no")),
				T_TEXT("state", i18n_get(w.lang,
				    strcmp(db_value(res, i, 7), "t") == 0 ?
				    "learn.module_done" : "learn.module_todo")),
				T_RAW("quiz", quiz.data),
			};

			(void)web_render(&w, &rows, "learn-module-row", args,
			    T_NARGS(args));
		}
	}
	(void)snprintf(label, sizeof(label), "%s: %s",
	    i18n_get(w.lang, "learn.progress"), db_value(c, 0, 1));
	progress_bar(&w, &bar, done, n, label);
	{
		struct tmpl_arg args[] = {
			T_TEXT("title", db_value(c, 0, 1)),
			T_TEXT("slug", slug),
			T_TEXT("pass", db_value(c, 0, 3)),
			T_TEXT("grading", i18n_get(w.lang, strcmp(db_value(c, 0,
			    4), "last") == 0 ? "learn.grading_last" :
			    "learn.grading_highest")),
			T_TEXT("state", i18n_get(w.lang, strcmp(db_value(c, 0,
			    5), "t") == 0 ? "learn.completed" :
			    "learn.in_progress")),
			T_TEXT("due", *db_value(c, 0, 6) != '\0' ?
			    web_date(&w, db_value(c, 0, 6)) : "\xe2\x80\x94"),
			T_RAW("bar", bar.data),
			T_RAW("modules", rows.data),
		};

		(void)web_render(&w, &main, "learn-course", args,
		    T_NARGS(args));
	}
	db_clear(res);
	db_clear(c);
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
	struct buf		 main;
	char			 mins[32];

	if (learn_read_state(&w->db, w->user->id, version,
	    settings.read_min_percent, &rs) == -1)
		return (web_db_error(w));
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
	struct pg_result	*res;
	struct web		 w;
	const char		*version;
	char			 loc[160];
	long long		 wait;
	int			 rc;
	long long		 id;

	if (web_begin(&w, req) == -1)
		return (KORE_RESULT_OK);
	if ((version = web_arg(&w, "version")) == NULL ||
	    web_arg_num(&w, "version", 1, WEB_ID_MAX, &id) != 1)
		return (web_error(&w, 400, "learn.err_version"));
	res = db_query(&w.db, "SELECT m.slug FROM module_versions v JOIN "
	    "modules m ON m.id = v.module_id WHERE v.id = $1", 1, version);
	if (res == NULL)
		return (web_db_error(&w));
	if (db_rows(res) != 1) {
		db_clear(res);
		return (web_error(&w, 400, "learn.err_version"));
	}
	(void)snprintf(loc, sizeof(loc), "/modules/%s#read",
	    db_value(res, 0, 0));
	db_clear(res);
	rc = learn_read_finish(&w.db, w.user->id, version,
	    settings.read_min_percent, &wait);
	if (rc == -1)
		return (web_db_error(&w));
	if (rc == 1)
		return (read_too_early(&w, version, loc, wait));
	return (web_redirect(&w, loc));
}

int
page_learn_history(struct http_request *req)
{
	struct pg_result	*res;
	struct web		 w;
	struct buf		 main, rows;
	char			 uid[32], sha[16];
	int			 i, n;

	if (web_begin(&w, req) == -1)
		return (KORE_RESULT_OK);
	(void)snprintf(uid, sizeof(uid), "%lld", w.user->id);
	res = db_query(&w.db, "SELECT a.id, to_char(a.submitted_at, "
	    "'YYYY-MM-DD HH24:MI'), c.title, v.title, v.version_no, v.sha256, "
	    "a.number, to_char(a.score, 'FM9990.0'), to_char(a.max_score, "
	    "'FM9990'), to_char(a.percent, 'FM990'), a.passed FROM attempts a "
	    "JOIN courses c ON c.id = a.course_id JOIN module_versions v ON "
	    "v.id = a.version_id WHERE a.user_id = $1 AND a.submitted_at IS "
	    "NOT NULL ORDER BY a.submitted_at DESC", 1, uid);
	if (res == NULL)
		return (web_db_error(&w));
	buf_init(&main, 8192);
	buf_init(&rows, 8192);
	n = db_rows(res);
	for (i = 0; i < n; i++) {
		(void)snprintf(sha, sizeof(sha), "%.12s", db_value(res, i, 5));
		{
			struct tmpl_arg args[] = {
				T_TEXT("id", db_value(res, i, 0)),
				T_TEXT("at", web_datetime(&w, db_value(res, i,
				    1))),
				T_TEXT("course", db_value(res, i, 2)),
				T_TEXT("module", db_value(res, i, 3)),
				T_TEXT("version", db_value(res, i, 4)),
				T_TEXT("sha", sha),
				T_TEXT("number", db_value(res, i, 6)),
				T_TEXT("score", web_num(&w, db_value(res, i,
				    7))),
				T_TEXT("max", db_value(res, i, 8)),
				T_TEXT("percent", db_value(res, i, 9)),
				T_TEXT("result", i18n_get(w.lang,
				    strcmp(db_value(res, i, 10), "t") == 0 ?
				    "quiz.passed" : "quiz.failed")),
			};

			(void)web_render(&w, &rows, "learn-history-row", args,
			    T_NARGS(args));
		}
	}
	db_clear(res);
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
