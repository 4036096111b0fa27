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

static const struct row_col link_cols[] = {
	[LINK_CODE] = { ROW_DUP, offsetof(struct fw_course, code), 0 },
	[LINK_SLUG] = { ROW_DUP, offsetof(struct fw_course, slug), 0 },
	[LINK_TITLE] = { ROW_DUP, offsetof(struct fw_course, title), 0 },
	[LINK_LEVEL] = { ROW_DUP, offsetof(struct fw_course, level), 0 }
};

/*
 * The courses of every competence of the framework slug (NULL: the
 * measured one), by code then course title: 0, or -1 and f.
 */
int
store_framework_courses(struct db *db, const char *slug, int reference,
    struct fw_course **out, size_t *n, struct fail *f)
{
	return (rows_copy(db, db_query(db, reference ? "SELECT a.code, "
	    "co.slug, co.title, a.level FROM course_alignments a JOIN "
	    "frameworks f ON f.id = a.framework_id JOIN courses co ON co.id = "
	    "a.course_id WHERE f.slug = $1 ORDER BY a.code, co.title" :
	    "SELECT cc.competence, "
	    "co.slug, co.title, cc.certified FROM course_claims cc JOIN "
	    "courses co ON co.id = cc.course_id JOIN competences c ON c.code = "
	    "cc.competence JOIN frameworks f ON f.id = c.framework_id WHERE "
	    "cc.certified IS NOT NULL AND ($1::text IS NULL OR f.slug = $1) "
	    "ORDER BY cc.competence, co.title", 1, slug), sizeof(**out),
	    link_cols, ROW_NCOLS(link_cols), out, n, f));
}

void
fw_courses_free(struct fw_course *c, size_t n)
{
	rows_dup_free(c, n, sizeof(*c), link_cols, ROW_NCOLS(link_cols));
}

enum rollup_col {
	ROLL_CODE = 0,
	ROLL_NAME,
	ROLL_DEPTH,
	ROLL_NEED,
	ROLL_MET,
	ROLL_OWN
};

static const struct row_col rollup_cols[] = {
	[ROLL_CODE] = { ROW_DUP, offsetof(struct gap_rollup, code), 0 },
	[ROLL_NAME] = { ROW_DUP, offsetof(struct gap_rollup, name), 0 },
	[ROLL_DEPTH] = { ROW_INT, offsetof(struct gap_rollup, depth), 0 },
	[ROLL_NEED] = { ROW_LL, offsetof(struct gap_rollup, need), 0 },
	[ROLL_MET] = { ROW_LL, offsetof(struct gap_rollup, met), 0 },
	[ROLL_OWN] = { ROW_LL, offsetof(struct gap_rollup, own), 0 }
};

/* The roll-up over the requirement cells of the table or function src. */
#define ROLLUP(src)	"WITH per AS (SELECT competence, count(*) AS need, " \
	"count(*) FILTER (WHERE achieved >= required) AS met FROM " src " " \
	"GROUP BY competence), up AS (SELECT a.code, sum(per.need) AS " \
	"need, sum(per.met) AS met, sum(per.need) FILTER (WHERE " \
	"per.competence = a.code) AS own FROM per JOIN competences c ON " \
	"c.code = per.competence JOIN competences a ON a.framework_id = " \
	"c.framework_id AND (c.path = a.path OR starts_with(c.path, a.path " \
	"|| '/')) GROUP BY a.code) SELECT a.code, a.name, a.depth, " \
	"up.need, up.met, coalesce(up.own, 0) FROM up JOIN competences a " \
	"ON a.code = up.code ORDER BY a.framework_id, a.position"

/*
 * The gap report rolled up the tree: for every competence with
 * requirements in its subtree, the requirement cells of the subtree
 * (itself and everything under it), how many are met, and how many are
 * on the competence itself; in the framework's order. The cells come
 * from the report's temporary table cells (page-report.c) when
 * from_cells is set, else from gap_cells(scope, org, role). Counted per
 * competence first, so the tree walk reads one row per competence, not
 * one per person. 0, or -1 and f.
 */
int
store_gap_rollup(struct db *db, int from_cells, const char *scope,
    const char *org, const char *role, struct gap_rollup **out, size_t *n,
    struct fail *f)
{
	return (rows_copy(db, db_query(db, from_cells ? ROLLUP("cells") :
	    ROLLUP("gap_cells($1, $2, $3)"), from_cells ? 0 : 3, scope, org,
	    role), sizeof(**out), rollup_cols, ROW_NCOLS(rollup_cols), out, n,
	    f));
}

void
gap_rollup_free(struct gap_rollup *r, size_t n)
{
	rows_dup_free(r, n, sizeof(*r), rollup_cols, ROW_NCOLS(rollup_cols));
}
