/*
 * page-catalogue.c: the public catalogue (/) and course pages
 * (/courses/<slug>).
 */

#include <stdlib.h>
#include <string.h>

#include "web.h"

static int	catalogue_modules(struct web *, struct buf *, const char *,
		    const char *, int *);

/*
 * Render the modules of one course (or, with course_id NULL, those in no
 * course) with the row template tmpl into out.
 */
static int
catalogue_modules(struct web *w, struct buf *out, const char *course_id,
    const char *tmpl, int *count)
{
	struct pg_result	*res;
	int			 i, n;

	if (course_id != NULL)
		res = db_query(&w->db, "SELECT m.slug, v.title, v.minutes, "
		    "v.lang, v.summary FROM course_modules cm JOIN modules m "
		    "ON m.id = cm.module_id JOIN module_versions v ON v.id = "
		    "m.current_version_id WHERE cm.course_id = $1 ORDER BY "
		    "cm.position", 1, course_id);
	else
		res = db_query(&w->db, "SELECT m.slug, v.title, v.minutes, "
		    "v.lang, v.summary FROM modules m JOIN module_versions v "
		    "ON v.id = m.current_version_id WHERE NOT EXISTS (SELECT "
		    "1 FROM course_modules cm WHERE cm.module_id = m.id) AND "
		    "NOT EXISTS (SELECT 1 FROM courses c WHERE "
		    "c.assessment_module_id = m.id) ORDER BY v.title", 0);
	if (res == NULL)
		return (-1);
	n = db_rows(res);
	for (i = 0; i < n; i++) {
		struct tmpl_arg args[] = {
			T_TEXT("slug", db_value(res, i, 0)),
			T_TEXT("title", db_value(res, i, 1)),
			T_TEXT("minutes", db_value(res, i, 2)),
			T_TEXT("lang", db_value(res, i, 3)),
			T_TEXT("summary", db_value(res, i, 4)),
		};

		if (web_render(w, out, tmpl, args, strcmp(tmpl,
		    "course-module") == 0 ? 5 : 4) == -1) {
			db_clear(res);
			return (-1);
		}
	}
	db_clear(res);
	*count = n;
	return (0);
}

int
page_catalogue(struct http_request *req)
{
	struct pg_result	*res;
	struct web		 w;
	struct buf		 cards, mods, other, main;
	char			 hours[32], nmods[16];
	int			 i, n, count;

	if (web_begin(&w, req) == -1)
		return (KORE_RESULT_OK);
	if (web_db(&w) == -1)
		return (web_db_error(&w));

	res = db_query(&w.db, "SELECT id, slug, title, summary, hours, lang "
	    "FROM courses ORDER BY title", 0);
	if (res == NULL)
		return (web_db_error(&w));

	buf_init(&cards, 4096);
	buf_init(&mods, 1024);
	buf_init(&other, 1024);
	buf_init(&main, 8192);
	n = db_rows(res);
	for (i = 0; i < n; i++) {
		buf_reset(&mods);
		if (catalogue_modules(&w, &mods, db_value(res, i, 0),
		    "module-item", &count) == -1)
			goto fail;
		web_fmt_hours(&w, hours, sizeof(hours),
		    strtod(db_value(res, i, 4), NULL));
		(void)snprintf(nmods, sizeof(nmods), "%d", count);
		{
			struct tmpl_arg args[] = {
				T_TEXT("slug", db_value(res, i, 1)),
				T_TEXT("title", db_value(res, i, 2)),
				T_TEXT("summary", db_value(res, i, 3)),
				T_TEXT("hours", hours),
				T_TEXT("lang", db_value(res, i, 5)),
				T_TEXT("nmodules", nmods),
				T_RAW("modules", mods.data),
			};

			if (web_render(&w, &cards, "course-card", args,
			    T_NARGS(args)) == -1)
				goto fail;
		}
	}

	buf_reset(&mods);
	if (catalogue_modules(&w, &mods, NULL, "module-item", &count) == -1)
		goto fail;
	if (count > 0) {
		struct tmpl_arg args[] = {
			T_RAW("modules", mods.data),
		};

		if (web_render(&w, &other, "catalogue-other", args,
		    T_NARGS(args)) == -1)
			goto fail;
	}
	{
		struct tmpl_arg args[] = {
			T_RAW("courses", cards.data),
			T_RAW("other", other.data),
		};

		if (web_render(&w, &main, "catalogue", args,
		    T_NARGS(args)) == -1)
			goto fail;
	}
	db_clear(res);
	(void)web_page(&w, 200, i18n_get(w.lang, "catalogue.title"),
	    main.data);
	buf_free(&cards);
	buf_free(&mods);
	buf_free(&other);
	buf_free(&main);
	return (KORE_RESULT_OK);
fail:
	db_clear(res);
	buf_free(&cards);
	buf_free(&mods);
	buf_free(&other);
	buf_free(&main);
	return (web_error(&w, 500, "error.500.text"));
}

int
page_course(struct http_request *req)
{
	struct pg_result	*res;
	struct web		 w;
	struct buf		 mods, main, enrol;
	const char		*slug;
	char			 hours[32], nmods[16];
	int			 count;

	if (web_begin(&w, req) == -1)
		return (KORE_RESULT_OK);
	slug = web_path_tail(req, "/courses/");
	if (web_db(&w) == -1)
		return (web_db_error(&w));
	res = db_query(&w.db, "SELECT id, title, summary, hours, lang, html, "
	    "pass_percent, badge_name, badge_description FROM courses WHERE "
	    "slug = $1", 1, slug);
	if (res == NULL)
		return (web_db_error(&w));
	if (db_rows(res) != 1) {
		db_clear(res);
		return (web_error(&w, 404, "error.404.course"));
	}
	buf_init(&mods, 2048);
	buf_init(&main, 8192);
	if (catalogue_modules(&w, &mods, db_value(res, 0, 0),
	    "course-module", &count) == -1)
		goto fail;
	web_fmt_hours(&w, hours, sizeof(hours), strtod(db_value(res, 0, 3),
	    NULL));
	(void)snprintf(nmods, sizeof(nmods), "%d", count);
	buf_init(&enrol, 512);
	if (w.user != NULL) {
		struct pg_result	*e;
		char			 uid[32];

		(void)snprintf(uid, sizeof(uid), "%lld", w.user->id);
		e = db_query(&w.db, "SELECT 1 FROM enrolments WHERE user_id = "
		    "$1 AND course_id = $2", 2, uid, db_value(res, 0, 0));
		if (e == NULL) {
			buf_free(&enrol);
			goto fail;
		}
		{
			struct tmpl_arg args[] = {
				T_TEXT("slug", slug),
				T_TEXT("csrf", web_csrf(&w)),
			};

			(void)web_render(&w, &enrol, db_rows(e) == 1 ?
			    "course-go" : "course-enrol", args,
			    db_rows(e) == 1 ? 1 : 2);
		}
		db_clear(e);
	} else {
		struct tmpl_arg args[] = {
			T_TEXT("slug", slug),
		};

		(void)web_render(&w, &enrol, "course-login", args,
		    T_NARGS(args));
	}
	{
		struct tmpl_arg args[] = {
			T_RAW("enrol", enrol.data),
			T_TEXT("title", db_value(res, 0, 1)),
			T_TEXT("summary", db_value(res, 0, 2)),
			T_TEXT("hours", hours),
			T_TEXT("lang", db_value(res, 0, 4)),
			T_RAW("description", db_value(res, 0, 5)),
			T_TEXT("pass", db_value(res, 0, 6)),
			T_TEXT("badge_name", db_value(res, 0, 7)),
			T_TEXT("badge_description", db_value(res, 0, 8)),
			T_TEXT("nmodules", nmods),
			T_RAW("modules", mods.data),
		};

		if (web_render(&w, &main, "course", args,
		    T_NARGS(args)) == -1)
			goto fail;
	}
	(void)web_page(&w, 200, db_value(res, 0, 1), main.data);
	db_clear(res);
	buf_free(&mods);
	buf_free(&main);
	buf_free(&enrol);
	return (KORE_RESULT_OK);
fail:
	db_clear(res);
	buf_free(&mods);
	buf_free(&main);
	return (web_error(&w, 500, "error.500.text"));
}
