/*
 * store-catalogue.c: what the public catalogue shows: the courses, the
 * modules of each (or those in no course), one course with whether the
 * person is enrolled in it. Rows point into the result they were read
 * from; each list's _free() clears it.
 */

#include <stdlib.h>
#include <string.h>

#include "capacita.h"

#define NUMBUF	32

enum cm_col { CM_SLUG, CM_TITLE, CM_MINUTES, CM_LANG, CM_SUMMARY };
enum cc_col { CC_ID, CC_SLUG, CC_TITLE, CC_SUMMARY, CC_HOURS, CC_LANG };
enum co_col {
	CO_ID, CO_TITLE, CO_SUMMARY, CO_HOURS, CO_LANG, CO_HTML, CO_PASS,
	CO_BADGE_NAME, CO_BADGE_DESCRIPTION
};

static void	module_fill(struct pg_result *, int,
		    struct catalogue_module *);

static void
module_fill(struct pg_result *res, int i, struct catalogue_module *m)
{
	m->slug = db_value(res, i, CM_SLUG);
	m->title = db_value(res, i, CM_TITLE);
	m->minutes = atoi(db_value(res, i, CM_MINUTES));
	m->lang = db_value(res, i, CM_LANG);
	m->summary = db_value(res, i, CM_SUMMARY);
}

/*
 * The modules of one course in their order, or (course_id 0) the
 * published modules in no course and no course's assessment, by title.
 */
int
store_catalogue_modules(struct db *db, long long course_id,
    struct catalogue_modules *out, struct fail *f)
{
	char	id[NUMBUF];
	size_t	i;

	memset(out, 0, sizeof(*out));
	(void)snprintf(id, sizeof(id), "%lld", course_id);
	if (course_id != 0)
		out->rows = store_rows(db, &out->res, &out->n,
		    sizeof(*out->rows), f, "SELECT m.slug, v.title, v.minutes, "
		    "v.lang, v.summary FROM course_modules cm JOIN modules m "
		    "ON m.id = cm.module_id JOIN module_versions v ON v.id = "
		    "m.current_version_id WHERE cm.course_id = $1 ORDER BY "
		    "cm.position", 1, id);
	else
		out->rows = store_rows(db, &out->res, &out->n,
		    sizeof(*out->rows), f, "SELECT m.slug, v.title, v.minutes, "
		    "v.lang, v.summary FROM modules m JOIN module_versions v "
		    "ON v.id = m.current_version_id WHERE NOT EXISTS (SELECT "
		    "1 FROM course_modules cm WHERE cm.module_id = m.id) AND "
		    "NOT EXISTS (SELECT 1 FROM courses c WHERE "
		    "c.assessment_module_id = m.id) ORDER BY v.title", 0);
	if (out->rows == NULL)
		return (-1);
	for (i = 0; i < out->n; i++)
		module_fill(out->res, (int)i, &out->rows[i]);
	return (0);
}

void
store_catalogue_modules_free(struct catalogue_modules *m)
{
	rows_release(m->res, m->rows);
	memset(m, 0, sizeof(*m));
}

/* Every course by title, each with its modules. */
int
store_catalogue_courses(struct db *db, struct catalogue_courses *out,
    struct fail *f)
{
	struct catalogue_course	*c;
	int			 i;

	memset(out, 0, sizeof(*out));
	if ((out->rows = store_rows(db, &out->res, &out->n,
	    sizeof(*out->rows), f, "SELECT id, slug, title, summary, hours, "
	    "lang FROM courses ORDER BY title", 0)) == NULL)
		return (-1);
	for (i = 0; i < (int)out->n; i++) {
		c = &out->rows[i];
		c->id = strtoll(db_value(out->res, i, CC_ID), NULL, 10);
		c->slug = db_value(out->res, i, CC_SLUG);
		c->title = db_value(out->res, i, CC_TITLE);
		c->summary = db_value(out->res, i, CC_SUMMARY);
		c->hours = strtod(db_value(out->res, i, CC_HOURS), NULL);
		c->lang = db_value(out->res, i, CC_LANG);
		if (store_catalogue_modules(db, c->id, &c->modules, f) == -1) {
			store_catalogue_courses_free(out);
			return (-1);
		}
	}
	return (0);
}

void
store_catalogue_courses_free(struct catalogue_courses *cs)
{
	size_t	i;

	for (i = 0; i < cs->n; i++)
		store_catalogue_modules_free(&cs->rows[i].modules);
	rows_release(cs->res, cs->rows);
	memset(cs, 0, sizeof(*cs));
}

/*
 * One course by slug with its modules, and whether user (0: nobody
 * signed in) is enrolled in it. FAIL_NOTFOUND when there is none.
 */
int
store_catalogue_course(struct db *db, const char *slug, long long user,
    struct catalogue_course *c, struct fail *f)
{
	struct pg_result	*e;
	char			 uid[NUMBUF], id[NUMBUF];

	memset(c, 0, sizeof(*c));
	if ((c->res = db_query(db, "SELECT id, title, summary, hours, lang, "
	    "html, pass_percent, badge_name, badge_description FROM courses "
	    "WHERE slug = $1", 1, slug)) == NULL)
		return (db_fail(db, f));
	if (db_rows(c->res) != 1) {
		store_catalogue_course_free(c);
		return (fail_set(f, FAIL_NOTFOUND, "error.404.course",
		    "no course %s", slug));
	}
	c->id = strtoll(db_value(c->res, 0, CO_ID), NULL, 10);
	c->slug = slug;
	c->title = db_value(c->res, 0, CO_TITLE);
	c->summary = db_value(c->res, 0, CO_SUMMARY);
	c->hours = strtod(db_value(c->res, 0, CO_HOURS), NULL);
	c->lang = db_value(c->res, 0, CO_LANG);
	c->html = db_value(c->res, 0, CO_HTML);
	c->pass = db_value(c->res, 0, CO_PASS);
	c->badge_name = db_value(c->res, 0, CO_BADGE_NAME);
	c->badge_description = db_value(c->res, 0, CO_BADGE_DESCRIPTION);
	if (store_catalogue_modules(db, c->id, &c->modules, f) == -1)
		goto fail;
	if (user == 0)
		return (0);
	(void)snprintf(uid, sizeof(uid), "%lld", user);
	(void)snprintf(id, sizeof(id), "%lld", c->id);
	if ((e = db_query(db, "SELECT 1 FROM enrolments WHERE user_id = $1 "
	    "AND course_id = $2", 2, uid, id)) == NULL) {
		(void)db_fail(db, f);
		goto fail;
	}
	c->enrolled = db_rows(e) == 1;
	db_clear(e);
	return (0);
fail:
	store_catalogue_course_free(c);
	return (-1);
}

void
store_catalogue_course_free(struct catalogue_course *c)
{
	store_catalogue_modules_free(&c->modules);
	if (c->res != NULL)
		db_clear(c->res);
	memset(c, 0, sizeof(*c));
}
