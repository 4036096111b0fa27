/*
 * store-framework.c: what the framework pages show beside a framework
 * (store_framework_get() in store-content.c): the courses that teach
 * each competence of the measured framework, or that align to each
 * competence of a reference framework, and the roll-up of the gap
 * report over the tree.
 */

#include <stdlib.h>
#include <string.h>

#include "capacita.h"

enum link_col {
	LINK_CODE = 0,
	LINK_SLUG,
	LINK_TITLE,
	LINK_LEVEL
};

/*
 * The courses of every competence of the framework slug (NULL: the
 * measured one), by code then course title. -1 on a database error.
 */
int
store_framework_courses(struct db *db, const char *slug, int reference,
    struct fw_course **out, size_t *n)
{
	struct pg_result	*res;
	struct fw_course	*c;
	size_t			 i;

	*out = NULL;
	*n = 0;
	res = db_query(db, reference ? "SELECT a.code, co.slug, co.title, "
	    "a.level FROM course_alignments a JOIN frameworks f ON f.id = "
	    "a.framework_id JOIN courses co ON co.id = a.course_id WHERE "
	    "f.slug = $1 ORDER BY a.code, co.title" : "SELECT cc.competence, "
	    "co.slug, co.title, cc.level FROM course_competences cc JOIN "
	    "courses co ON co.id = cc.course_id JOIN competences c ON c.code = "
	    "cc.competence JOIN frameworks f ON f.id = c.framework_id WHERE "
	    "($1::text IS NULL OR f.slug = $1) ORDER BY cc.competence, "
	    "co.title", 1, slug);
	if (res == NULL)
		return (-1);
	*n = (size_t)db_rows(res);
	*out = xcalloc(*n + 1, sizeof(**out));
	for (i = 0; i < *n; i++) {
		c = &(*out)[i];
		c->code = xstrdup(db_value(res, (int)i, LINK_CODE));
		c->slug = xstrdup(db_value(res, (int)i, LINK_SLUG));
		c->title = xstrdup(db_value(res, (int)i, LINK_TITLE));
		c->level = xstrdup(db_value(res, (int)i, LINK_LEVEL));
	}
	db_clear(res);
	return (0);
}

void
fw_courses_free(struct fw_course *c, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++) {
		free(c[i].code);
		free(c[i].slug);
		free(c[i].title);
		free(c[i].level);
	}
	free(c);
}
