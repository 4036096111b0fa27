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

enum rollup_col {
	ROLL_CODE = 0,
	ROLL_NAME,
	ROLL_DEPTH,
	ROLL_NEED,
	ROLL_MET,
	ROLL_OWN
};

/*
 * The gap report rolled up the tree: for every competence with
 * requirements in its subtree, the requirement cells of the subtree
 * (itself and everything under it), how many are met, and how many are
 * on the competence itself; in the framework's order. The cells come
 * from the report's temporary table cells (page-report.c) when
 * from_cells is set, else from gap_cells(scope, org, role). Counted per
 * competence first, so the tree walk reads one row per competence, not
 * one per person.
 */
int
store_gap_rollup(struct db *db, int from_cells, const char *scope,
    const char *org, const char *role, struct gap_rollup **out, size_t *n)
{
	struct pg_result	*res;
	struct gap_rollup	*r;
	size_t			 i;

	*out = NULL;
	*n = 0;
	res = db_query(db, from_cells ? "WITH per AS (SELECT competence, "
	    "count(*) AS need, count(*) FILTER (WHERE achieved >= required) "
	    "AS met FROM cells GROUP BY competence), up AS (SELECT a.code, "
	    "sum(per.need) AS need, sum(per.met) AS met, sum(per.need) FILTER "
	    "(WHERE per.competence = a.code) AS own FROM per JOIN competences "
	    "c ON c.code = per.competence JOIN competences a ON "
	    "a.framework_id = c.framework_id AND (c.path = a.path OR "
	    "starts_with(c.path, a.path || '/')) GROUP BY a.code) SELECT "
	    "a.code, a.name, a.depth, up.need, up.met, coalesce(up.own, 0) "
	    "FROM up JOIN competences a ON a.code = up.code ORDER BY "
	    "a.framework_id, a.position" : "WITH per AS (SELECT competence, "
	    "count(*) AS need, count(*) FILTER (WHERE achieved >= required) "
	    "AS met FROM gap_cells($1, $2, $3) GROUP BY competence), up AS "
	    "(SELECT a.code, sum(per.need) AS need, sum(per.met) AS met, "
	    "sum(per.need) FILTER (WHERE per.competence = a.code) AS own FROM "
	    "per JOIN competences c ON c.code = per.competence JOIN "
	    "competences a ON a.framework_id = c.framework_id AND (c.path = "
	    "a.path OR starts_with(c.path, a.path || '/')) GROUP BY a.code) "
	    "SELECT a.code, a.name, a.depth, up.need, up.met, "
	    "coalesce(up.own, 0) FROM up JOIN competences a ON a.code = "
	    "up.code ORDER BY a.framework_id, a.position", from_cells ? 0 : 3,
	    scope, org, role);
	if (res == NULL)
		return (-1);
	*n = (size_t)db_rows(res);
	*out = xcalloc(*n + 1, sizeof(**out));
	for (i = 0; i < *n; i++) {
		r = &(*out)[i];
		r->code = xstrdup(db_value(res, (int)i, ROLL_CODE));
		r->name = xstrdup(db_value(res, (int)i, ROLL_NAME));
		r->depth = atoi(db_value(res, (int)i, ROLL_DEPTH));
		r->need = atoll(db_value(res, (int)i, ROLL_NEED));
		r->met = atoll(db_value(res, (int)i, ROLL_MET));
		r->own = atoll(db_value(res, (int)i, ROLL_OWN));
	}
	db_clear(res);
	return (0);
}

void
gap_rollup_free(struct gap_rollup *r, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++) {
		free(r[i].code);
		free(r[i].name);
	}
	free(r);
}
