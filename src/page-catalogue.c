/*
 * page-catalogue.c: the public catalogue (/) and course pages
 * (/courses/<slug>).
 */

#include <stdlib.h>
#include <string.h>

#include "web.h"

static int	catalogue_modules(struct web *, struct buf *,
		    const struct catalogue_modules *, const char *);
static int	catalogue_cards(struct web *, struct buf *,
		    const struct catalogue_courses *);
static int	course_enrol(struct web *, struct buf *,
		    const struct catalogue_course *);

/* The modules of a list with the row template tmpl into out. */
static int
catalogue_modules(struct web *w, struct buf *out,
    const struct catalogue_modules *ms, const char *tmpl)
{
	const struct catalogue_module	*m;
	char				 minutes[16];
	size_t				 i;

	for (i = 0; i < ms->n; i++) {
		m = &ms->rows[i];
		(void)snprintf(minutes, sizeof(minutes), "%d", m->minutes);
		{
			struct tmpl_arg args[] = {
				T_TEXT("slug", m->slug),
				T_TEXT("title", m->title),
				T_TEXT("minutes", minutes),
				T_TEXT("lang", m->lang),
				T_TEXT("summary", m->summary),
			};

			if (web_render(w, out, tmpl, args, strcmp(tmpl,
			    "course-module") == 0 ? 5 : 4) == -1)
				return (-1);
		}
	}
	return (0);
}

/* One card per course, its modules listed in it. */
static int
catalogue_cards(struct web *w, struct buf *cards,
    const struct catalogue_courses *cs)
{
	const struct catalogue_course	*c;
	struct buf			 mods;
	char				 hours[32], nmods[16];
	size_t				 i;
	int				 rc;

	rc = 0;
	buf_init(&mods, 1024);
	for (i = 0; i < cs->n && rc == 0; i++) {
		c = &cs->rows[i];
		buf_reset(&mods);
		if ((rc = catalogue_modules(w, &mods, &c->modules,
		    "module-item")) == -1)
			break;
		web_fmt_hours(w, hours, sizeof(hours), c->hours);
		(void)snprintf(nmods, sizeof(nmods), "%zu", c->modules.n);
		{
			struct tmpl_arg args[] = {
				T_TEXT("slug", c->slug),
				T_TEXT("title", c->title),
				T_TEXT("summary", c->summary),
				T_TEXT("hours", hours),
				T_TEXT("lang", c->lang),
				T_TEXT("nmodules", nmods),
				T_RAW("modules", mods.data),
			};

			rc = web_render(w, cards, "course-card", args,
			    T_NARGS(args));
		}
	}
	buf_free(&mods);
	return (rc);
}

int
page_catalogue(struct http_request *req)
{
	struct catalogue_courses	 cs;
	struct catalogue_modules	 others;
	struct fail			 f;
	struct web			 w;
	struct buf			 cards, mods, other, main;
	int				 rc;

	if (web_begin(&w, req) == -1)
		return (KORE_RESULT_OK);
	memset(&cs, 0, sizeof(cs));
	memset(&others, 0, sizeof(others));
	buf_init(&cards, 4096);
	buf_init(&mods, 1024);
	buf_init(&other, 1024);
	buf_init(&main, 8192);
	if (web_db(&w) == -1) {
		rc = web_db_error(&w);
		goto out;
	}
	if (store_catalogue_courses(&w.db, &cs, &f) == -1 ||
	    store_catalogue_modules(&w.db, 0, &others, &f) == -1) {
		rc = web_fail(&w, &f);
		goto out;
	}
	if (catalogue_cards(&w, &cards, &cs) == -1 ||
	    catalogue_modules(&w, &mods, &others, "module-item") == -1)
		goto fail;
	if (others.n > 0) {
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
	rc = web_page(&w, 200, i18n_get(w.lang, "catalogue.title"),
	    main.data);
	goto out;
fail:
	rc = web_error(&w, 500, "error.500.text");
out:
	store_catalogue_courses_free(&cs);
	store_catalogue_modules_free(&others);
	buf_free(&cards);
	buf_free(&mods);
	buf_free(&other);
	buf_free(&main);
	return (rc);
}

/* The course page's call to act: sign in, enrol or go on. */
static int
course_enrol(struct web *w, struct buf *out,
    const struct catalogue_course *c)
{
	struct tmpl_arg args[] = {
		T_TEXT("slug", c->slug),
		T_TEXT("csrf", NULL),
	};

	if (w->user == NULL)
		return (web_render(w, out, "course-login", args, 1));
	if (c->enrolled)
		return (web_render(w, out, "course-go", args, 1));
	args[1].val = web_csrf(w);
	return (web_render(w, out, "course-enrol", args, 2));
}

int
page_course(struct http_request *req)
{
	struct catalogue_course	 c;
	struct fail		 f;
	struct web		 w;
	struct buf		 mods, main, enrol;
	char			 hours[32], nmods[16];
	int			 rc;

	if (web_begin(&w, req) == -1)
		return (KORE_RESULT_OK);
	memset(&c, 0, sizeof(c));
	buf_init(&mods, 2048);
	buf_init(&main, 8192);
	buf_init(&enrol, 512);
	if (web_db(&w) == -1) {
		rc = web_db_error(&w);
		goto out;
	}
	if (store_catalogue_course(&w.db, web_path_tail(req, "/courses/"),
	    w.user != NULL ? w.user->id : 0, &c, &f) == -1) {
		rc = web_fail(&w, &f);
		goto out;
	}
	if (catalogue_modules(&w, &mods, &c.modules, "course-module") == -1)
		goto fail;
	web_fmt_hours(&w, hours, sizeof(hours), c.hours);
	(void)snprintf(nmods, sizeof(nmods), "%zu", c.modules.n);
	(void)course_enrol(&w, &enrol, &c);
	{
		struct tmpl_arg args[] = {
			T_RAW("enrol", enrol.data),
			T_TEXT("title", c.title),
			T_TEXT("summary", c.summary),
			T_TEXT("hours", hours),
			T_TEXT("lang", c.lang),
			T_RAW("description", c.html),
			T_TEXT("pass", web_num(&w, c.pass)),
			T_TEXT("badge_name", c.badge_name),
			T_TEXT("badge_description", c.badge_description),
			T_TEXT("nmodules", nmods),
			T_RAW("modules", mods.data),
		};

		if (web_render(&w, &main, "course", args,
		    T_NARGS(args)) == -1)
			goto fail;
	}
	rc = web_page(&w, 200, c.title, main.data);
	goto out;
fail:
	rc = web_error(&w, 500, "error.500.text");
out:
	store_catalogue_course_free(&c);
	buf_free(&mods);
	buf_free(&main);
	buf_free(&enrol);
	return (rc);
}
