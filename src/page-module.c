/*
 * page-module.c: a module's reading page, /modules/<slug>. The body was
 * rendered once, when the version was published; here it is only put
 * into the layout.
 */

#include <stdlib.h>
#include <string.h>

#include "web.h"

static int	module_learner_box(struct web *, struct buf *, const char *,
		    const struct module_view *);

/*
 * For a signed-in user: "I have finished reading" (the opening was
 * recorded by learn_module_view), and the quiz of each course they
 * follow that holds the module (or the courses to enrol in).
 */
static int
module_learner_box(struct web *w, struct buf *out, const char *slug,
    const struct module_view *mv)
{
	const struct read_state	*rs = &mv->read;
	struct buf		 read, quizzes, note;
	size_t			 i;

	buf_init(&read, 512);
	buf_init(&quizzes, 1024);
	buf_init(&note, 256);
	if (rs->finished) {
		struct tmpl_arg args[] = {
			T_TEXT("at", web_datetime(w, rs->finished_at)),
		};

		(void)web_render(w, &read, "module-read-done", args,
		    T_NARGS(args));
	} else {
		/* Before the minimum time: when "finished" will count. */
		if (!rs->ready && rs->opened) {
			struct tmpl_arg args[] = {
				T_TEXT("opened", rs->opened_at),
				T_TEXT("ready", rs->ready_at),
			};

			(void)web_render(w, &note, "module-read-wait", args,
			    T_NARGS(args));
		}
		{
			struct tmpl_arg args[] = {
				T_TEXT("version", mv->version),
				T_TEXT("csrf", web_csrf(w)),
				T_RAW("note", note.data),
			};

			(void)web_render(w, &read, "module-read-form", args,
			    T_NARGS(args));
		}
	}
	buf_free(&note);

	for (i = 0; i < mv->ncourses; i++) {
		const struct module_course	*c = &mv->courses[i];

		if (c->enrolled && mv->nq == 0)
			continue;
		{
			struct tmpl_arg args[] = {
				T_TEXT("course", c->slug),
				T_TEXT("title", c->title),
				T_TEXT("module", slug),
				T_TEXT("csrf", web_csrf(w)),
			};

			(void)web_render(w, &quizzes, c->enrolled ?
			    "module-quiz-start" : "module-enrol", args,
			    T_NARGS(args));
		}
	}
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

/* One round trip: the page, the opening recorded, the reading's state. */
int
page_module(struct http_request *req)
{
	struct module_view	 mv;
	struct fail		 f;
	struct web		 w;
	struct buf		 main, quiz;
	const char		*slug;
	char			 sha_short[16], num[3][16];
	int			 status;

	if (web_begin(&w, req) == -1)
		return (KORE_RESULT_OK);
	slug = web_path_tail(req, "/modules/");
	if (web_db(&w) == -1)
		return (web_db_error(&w));
	if (learn_module_view(&w.db, slug, w.user != NULL ? w.user->id : 0,
	    settings.read_min_percent, &mv, &f) == -1)
		return (web_fail(&w, &f));

	status = 500;
	buf_init(&main, 32768);
	buf_init(&quiz, 512);
	(void)snprintf(num[0], sizeof(num[0]), "%d", mv.nq);
	(void)snprintf(num[1], sizeof(num[1]), "%d", mv.minutes);
	(void)snprintf(num[2], sizeof(num[2]), "%d", mv.version_no);
	if (w.user != NULL) {
		if (module_learner_box(&w, &quiz, slug, &mv) == -1)
			goto out;
	} else if (mv.nq > 0) {
		struct tmpl_arg args[] = {
			T_TEXT("nq", num[0]),
		};

		if (web_render(&w, &quiz, "module-quiz-cta", args,
		    T_NARGS(args)) == -1)
			goto out;
	}
	(void)snprintf(sha_short, sizeof(sha_short), "%.12s", mv.sha256);
	{
		struct tmpl_arg args[] = {
			T_TEXT("title", mv.title),
			T_TEXT("summary", mv.summary),
			T_TEXT("lang", mv.lang),
			T_TEXT("minutes", num[1]),
			T_TEXT("version_no", num[2]),
			T_TEXT("sha256", mv.sha256),
			T_TEXT("sha_short", sha_short),
			T_RAW("body", mv.html),
			T_RAW("quiz", quiz.data),
		};

		if (web_render(&w, &main, "module", args,
		    T_NARGS(args)) == -1)
			goto out;
	}
	status = 200;
	(void)web_page(&w, 200, mv.title, main.data);
out:
	learn_module_view_free(&mv);
	buf_free(&main);
	buf_free(&quiz);
	if (status != 200)
		return (web_error(&w, 500, "error.500.text"));
	return (KORE_RESULT_OK);
}
