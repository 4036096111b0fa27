/*
 * page-module.c: a module's reading page, /modules/<slug>. The body was
 * rendered once, when the version was published; here it is only put
 * into the layout.
 */

#include <stdlib.h>
#include <string.h>

#include "web.h"

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
	    "q WHERE q.version_id = v.id) FROM modules m JOIN module_versions "
	    "v ON v.id = m.current_version_id WHERE m.slug = $1", 1, slug);
	if (res == NULL)
		return (web_db_error(&w));
	if (db_rows(res) != 1) {
		db_clear(res);
		return (web_error(&w, 404, "error.404.module"));
	}

	buf_init(&main, 32768);
	buf_init(&quiz, 512);
	if (strcmp(db_value(res, 0, 7), "0") != 0) {
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
