/*
 * page-module.c: a module's reading page, /modules/<slug>. The body was
 * rendered once, when the version was published; here it is only put
 * into the layout.
 */

#include <stdlib.h>
#include <string.h>

#include "web.h"

static int	module_learner_box(struct web *, struct buf *, const char *,
		    const char *, const char *, int);

/*
 * For a signed-in user: record that the page was opened, offer "I have
 * finished reading", and the quiz of each course they follow that holds
 * the module (or the courses to enrol in).
 */
static int
module_learner_box(struct web *w, struct buf *out, const char *slug,
    const char *version, const char *module, int has_quiz)
{
	struct pg_result	*res;
	struct read_state	 rs;
	struct buf		 read, quizzes, note;
	char			 uid[32];
	int			 i, n;

	(void)snprintf(uid, sizeof(uid), "%lld", w->user->id);
	if (learn_read_open(&w->db, w->user->id, version) == -1 ||
	    learn_read_state(&w->db, w->user->id, version,
	    settings.read_min_percent, &rs) == -1)
		return (-1);
	buf_init(&read, 512);
	buf_init(&quizzes, 1024);
	buf_init(&note, 256);
	if (rs.finished) {
		struct tmpl_arg args[] = {
			T_TEXT("at", web_datetime(w, rs.finished_at)),
		};

		(void)web_render(w, &read, "module-read-done", args,
		    T_NARGS(args));
	} else {
		/* Before the minimum time: when "finished" will count. */
		if (!rs.ready && rs.opened) {
			struct tmpl_arg args[] = {
				T_TEXT("opened", rs.opened_at),
				T_TEXT("ready", rs.ready_at),
			};

			(void)web_render(w, &note, "module-read-wait", args,
			    T_NARGS(args));
		}
		{
			struct tmpl_arg args[] = {
				T_TEXT("version", version),
				T_TEXT("csrf", web_csrf(w)),
				T_RAW("note", note.data),
			};

			(void)web_render(w, &read, "module-read-form", args,
			    T_NARGS(args));
		}
	}
	buf_free(&note);

	res = db_query(&w->db, "SELECT c.slug, c.title, e.id IS NOT NULL FROM "
	    "course_modules cm JOIN courses c ON c.id = cm.course_id LEFT JOIN "
	    "enrolments e ON e.course_id = c.id AND e.user_id = $1 WHERE "
	    "cm.module_id = $2 ORDER BY c.title", 2, uid, module);
	if (res == NULL) {
		buf_free(&read);
		buf_free(&quizzes);
		return (-1);
	}
	n = db_rows(res);
	for (i = 0; i < n; i++) {
		int	enrolled = strcmp(db_value(res, i, 2), "t") == 0;

		if (enrolled && !has_quiz)
			continue;
		{
			struct tmpl_arg args[] = {
				T_TEXT("course", db_value(res, i, 0)),
				T_TEXT("title", db_value(res, i, 1)),
				T_TEXT("module", slug),
				T_TEXT("csrf", web_csrf(w)),
			};

			(void)web_render(w, &quizzes, enrolled ?
			    "module-quiz-start" : "module-enrol", args,
			    T_NARGS(args));
		}
	}
	db_clear(res);
	{
		struct tmpl_arg args[] = {
			T_RAW("read", read.data),
			T_RAW("quizzes", quizzes.data),
		};

		(void)web_render(w, out, "module-learner", args,
		    T_NARGS(args));
	}
	buf_free(&read);
	buf_free(&quizzes);
	return (0);
}

int
page_module(struct http_request *req)
{
	struct pg_result	*res;
	struct web		 w;
	struct buf		 main, quiz;
	const char		*slug;
	char			 sha_short[16];

	if (web_begin(&w, req) == -1)
		return (KORE_RESULT_OK);
	slug = web_path_tail(req, "/modules/");
	if (web_db(&w) == -1)
		return (web_db_error(&w));
	res = db_query(&w.db, "SELECT v.title, v.summary, v.lang, v.minutes, "
	    "v.version_no, v.sha256, v.html, (SELECT count(*) FROM questions "
	    "q WHERE q.version_id = v.id), v.id, m.id FROM modules m JOIN "
	    "module_versions v ON v.id = m.current_version_id WHERE m.slug = "
	    "$1", 1, slug);
	if (res == NULL)
		return (web_db_error(&w));
	if (db_rows(res) != 1) {
		db_clear(res);
		return (web_error(&w, 404, "error.404.module"));
	}

	buf_init(&main, 32768);
	buf_init(&quiz, 512);
	if (w.user != NULL) {
		if (module_learner_box(&w, &quiz, slug, db_value(res, 0, 8),
		    db_value(res, 0, 9), strcmp(db_value(res, 0, 7), "0") !=
		    0) == -1) {
			db_clear(res);
			buf_free(&main);
			buf_free(&quiz);
			return (web_db_error(&w));
		}
	} else if (strcmp(db_value(res, 0, 7), "0") != 0) {
		struct tmpl_arg args[] = {
			T_TEXT("nq", db_value(res, 0, 7)),
		};

		if (web_render(&w, &quiz, "module-quiz-cta", args,
		    T_NARGS(args)) == -1)
			goto fail;
	}
	(void)snprintf(sha_short, sizeof(sha_short), "%.12s",
	    db_value(res, 0, 5));
	{
		struct tmpl_arg args[] = {
			T_TEXT("title", db_value(res, 0, 0)),
			T_TEXT("summary", db_value(res, 0, 1)),
			T_TEXT("lang", db_value(res, 0, 2)),
			T_TEXT("minutes", db_value(res, 0, 3)),
			T_TEXT("version_no", db_value(res, 0, 4)),
			T_TEXT("sha256", db_value(res, 0, 5)),
			T_TEXT("sha_short", sha_short),
			T_RAW("body", db_value(res, 0, 6)),
			T_RAW("quiz", quiz.data),
		};

		if (web_render(&w, &main, "module", args,
		    T_NARGS(args)) == -1)
			goto fail;
	}
	(void)web_page(&w, 200, db_value(res, 0, 0), main.data);
	db_clear(res);
	buf_free(&main);
	buf_free(&quiz);
	return (KORE_RESULT_OK);
fail:
	db_clear(res);
	buf_free(&main);
	buf_free(&quiz);
	return (web_error(&w, 500, "error.500.text"));
}
