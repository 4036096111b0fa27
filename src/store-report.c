/*
 * store-report.c: the numbers of the HR gap report (page-report.c;
 * README.md, "Gap report"). The report's cells (gap_cells: one row per
 * person and required competence), their totals per person and the
 * staff's hours are computed once into temporary tables that every
 * part reads (store_report_begin), dropped when the transaction ends
 * (store_report_end). Every number comes from SQL over indexed tables
 * (sql/0007-profiles.sql); the rows come back as they are printed.
 */

#include <stdlib.h>
#include <string.h>

#include "capacita.h"

/* The columns of the units x competences grid. */
enum grid_col {
	GR_ROW = 0,
	GR_COL,
	GR_UNIT,
	GR_CODE,
	GR_NAME,
	GR_NEED,
	GR_MET
};

/* The columns of the summary. */
enum sum_col {
	SU_STAFF = 0,
	SU_WITH_ROLE,
	SU_CELLS,
	SU_MET,
	SU_WITH_GAP,
	SU_HOURS_AVG,
	SU_HOURS_MET
};

static int	table_fill(struct db *, struct pg_result *, size_t,
		    struct report_table *, struct fail *);

/* Every row of a query, every column as text. */
static int
table_fill(struct db *db, struct pg_result *res, size_t ncols,
    struct report_table *t, struct fail *f)
{
	size_t	i, j;

	memset(t, 0, sizeof(*t));
	if (res == NULL)
		return (db_fail(db, f));
	t->nrows = (size_t)db_rows(res);
	t->ncols = ncols;
	t->v = xcalloc(t->nrows * ncols + 1, sizeof(*t->v));
	for (i = 0; i < t->nrows; i++)
		for (j = 0; j < ncols; j++)
			t->v[i * ncols + j] = xstrdup(db_value(res, (int)i,
			    (int)j));
	db_clear(res);
	return (0);
}

/* The text at row i, column j. */
const char *
store_report_cell(const struct report_table *t, size_t i, size_t j)
{
	return (t->v[i * t->ncols + j]);
}

void
store_report_table_free(struct report_table *t)
{
	size_t	i;

	for (i = 0; i < t->nrows * t->ncols; i++)
		free(t->v[i]);
	free(t->v);
	memset(t, 0, sizeof(*t));
}

/*
 * The cells, persons and staffhours of the selection, in a transaction
 * that needs no wait for the disk at commit: nothing of it needs to
 * survive a crash.
 */
int
store_report_begin(struct db *db, const struct report_filter *r,
    struct fail *f)
{
	if (db_begin_nowait(db) == -1 ||
	    db_exec(db, "SET LOCAL work_mem = '32MB'", 0) == -1 ||
	    db_exec(db, "CREATE TEMP TABLE cells ON COMMIT DROP AS "
	    "SELECT * FROM gap_cells($1, $2, $3)", 3, r->scope, r->org,
	    r->role) == -1 || db_exec(db, "CREATE TEMP TABLE persons ON "
	    "COMMIT DROP AS SELECT user_id, count(*) AS n, count(*) FILTER "
	    "(WHERE achieved >= required) AS met, count(*) FILTER (WHERE "
	    "achieved < required) AS short, sum(required - least(achieved, "
	    "required)) AS gap FROM cells GROUP BY user_id", 0) == -1 ||
	    db_exec(db, "CREATE TEMP TABLE staffhours "
	    "ON COMMIT DROP AS SELECT * FROM hr_hours($1, $2, $3, $4::int)", 4,
	    r->scope, r->org, r->role, r->year) == -1)
		return (db_fail(db, f));
	return (0);
}

int
store_report_end(struct db *db, struct fail *f)
{
	return (db_commit(db) == -1 ? db_fail(db, f) : 0);
}

/*
 * Units x competences: how many people must reach the required level
 * and how many have. max bounds the units kept (0: all); ngroups
 * counts them all.
 */
int
store_report_grid(struct db *db, const struct report_filter *rf, size_t max,
    struct report_grid *g, struct fail *f)
{
	struct pg_result	*res;
	size_t			 i, r, c;
	int			 n;

	memset(g, 0, sizeof(*g));
	/* By office path first: org_at_depth() once per office, not cell. */
	res = db_query(db, "WITH p AS (SELECT org_path, competence, "
	    "count(*) AS need, count(*) FILTER (WHERE achieved >= required) AS "
	    "met FROM cells GROUP BY 1, 2), h AS (SELECT org_at_depth("
	    "org_path, $1::int) AS gid, competence, sum(need) AS need, "
	    "sum(met) AS met FROM p GROUP BY 1, 2) SELECT dense_rank() OVER "
	    "(ORDER BY o.name, o.id), dense_rank() "
	    "OVER (ORDER BY c.position, c.code), o.name, c.code, c.name, "
	    "h.need, h.met FROM h JOIN orgs o ON o.id = h.gid JOIN competences "
	    "c ON c.code = h.competence ORDER BY 1, 2", 1, rf->depth);
	if (res == NULL)
		return (db_fail(db, f));
	n = db_rows(res);
	for (i = 0; i < (size_t)n; i++) {
		r = strtoul(db_value(res, i, GR_ROW), NULL, 10);
		c = strtoul(db_value(res, i, GR_COL), NULL, 10);
		if (r > g->ngroups)
			g->ngroups = r;
		if (c > g->ncols)
			g->ncols = c;
	}
	g->nrows = max > 0 && g->ngroups > max ? max : g->ngroups;
	g->cols = xcalloc(g->ncols + 1, sizeof(char *));
	g->colnames = xcalloc(g->ncols + 1, sizeof(char *));
	g->rows = xcalloc(g->nrows + 1, sizeof(char *));
	g->need = xcalloc(g->nrows * g->ncols + 1, sizeof(int));
	g->met = xcalloc(g->nrows * g->ncols + 1, sizeof(int));
	for (i = 0; i < (size_t)n; i++) {
		r = strtoul(db_value(res, i, GR_ROW), NULL, 10) - 1;
		c = strtoul(db_value(res, i, GR_COL), NULL, 10) - 1;
		if (g->cols[c] == NULL) {
			g->cols[c] = xstrdup(db_value(res, i, GR_CODE));
			g->colnames[c] = xstrdup(db_value(res, i, GR_NAME));
		}
		if (r >= g->nrows)
			continue;
		if (g->rows[r] == NULL)
			g->rows[r] = xstrdup(db_value(res, i, GR_UNIT));
		g->need[r * g->ncols + c] = atoi(db_value(res, i, GR_NEED));
		g->met[r * g->ncols + c] = atoi(db_value(res, i, GR_MET));
	}
	db_clear(res);
	return (0);
}

void
store_report_grid_free(struct report_grid *g)
{
	size_t	i;

	for (i = 0; i < g->ncols; i++) {
		free(g->cols[i]);
		free(g->colnames[i]);
	}
	for (i = 0; i < g->nrows; i++)
		free(g->rows[i]);
	free(g->cols);
	free(g->colnames);
	free(g->rows);
	free(g->need);
	free(g->met);
	memset(g, 0, sizeof(*g));
}

/* The figures at the top of the report. */
int
store_report_summary(struct db *db, struct report_summary *s, struct fail *f)
{
	struct pg_result	*res;

	memset(s, 0, sizeof(*s));
	res = db_query(db, "SELECT (SELECT count(*) FROM staffhours), "
	    "count(*), coalesce(sum(n), 0), coalesce(sum(met), 0), count(*) "
	    "FILTER (WHERE met < n), (SELECT to_char(coalesce(avg(hours), 0), "
	    "'FM9990.0') FROM staffhours), (SELECT count(*) FILTER (WHERE "
	    "hours >= $1) FROM staffhours) FROM persons", 1,
	    STRINGIFY(HOURS_TARGET));
	if (res == NULL)
		return (db_fail(db, f));
	xstrlcpy(s->staff, db_value(res, 0, SU_STAFF), sizeof(s->staff));
	xstrlcpy(s->with_role, db_value(res, 0, SU_WITH_ROLE),
	    sizeof(s->with_role));
	xstrlcpy(s->cells, db_value(res, 0, SU_CELLS), sizeof(s->cells));
	xstrlcpy(s->met, db_value(res, 0, SU_MET), sizeof(s->met));
	xstrlcpy(s->with_gap, db_value(res, 0, SU_WITH_GAP),
	    sizeof(s->with_gap));
	xstrlcpy(s->hours_avg, db_value(res, 0, SU_HOURS_AVG),
	    sizeof(s->hours_avg));
	xstrlcpy(s->hours_met, db_value(res, 0, SU_HOURS_MET),
	    sizeof(s->hours_met));
	db_clear(res);
	return (0);
}

/*
 * The parts of the report that are one fixed query over the temporary
 * tables, each row read as text (table_fill): the query and how many
 * columns it gives.
 */
enum report_part {
	RQ_GAPS = 0,
	RQ_LEVELS,
	RQ_PEOPLE
};

static const struct {
	const char	*sql;
	size_t		 ncols;
} report_parts[] = {
	/*
	 * The largest gaps (REPORT_GAPS_MAX), counted per competence and
	 * level first, then named: code, name, level, people required,
	 * people short, the courses that teach it ("slug\ttitle" lines).
	 */
	[RQ_GAPS] = { "WITH a AS (SELECT competence, "
	    "required, count(*) AS n, count(*) FILTER (WHERE achieved < "
	    "required) AS short, sum(required - achieved) AS gap FROM cells "
	    "GROUP BY competence, required) SELECT a.competence, c.name, "
	    "lv.name, a.n, a.short, coalesce((SELECT string_agg(co.slug || "
	    "E'\\t' || co.title, E'\\n' ORDER BY co.title) FROM course_claims "
	    "cc JOIN courses co ON co.id = cc.course_id WHERE cc.competence = "
	    "a.competence AND cc.claimed_rank >= a.required AND "
	    "cc.certifiable_rank >= a.required), '') "
	    "FROM a JOIN competences c ON c.code = a.competence JOIN levels "
	    "lv ON lv.framework_id = c.framework_id AND lv.rank = a.required "
	    "WHERE a.short > 0 ORDER BY a.short DESC, a.gap DESC, c.position, "
	    "a.required LIMIT " STRINGIFY(REPORT_GAPS_MAX), RG_MAX },
	/* The level names of the measured framework (at most 15). */
	[RQ_LEVELS] = { SQL_MEASURED_LEVELS " LIMIT 15", 1 },
	/*
	 * The people with the most gaps (REPORT_PEOPLE_MAX): ranked on
	 * counts alone, and only the rows shown get their cells spelt out
	 * ("code:required:achieved,..."; string_agg over every person of
	 * a region cost most of this query at 100,000 staff).
	 */
	[RQ_PEOPLE] = { "WITH t AS (SELECT p.user_id, "
	    "p.short, p.gap, u.name AS uname, o.name AS oname FROM persons p "
	    "JOIN users u ON u.id = p.user_id JOIN orgs o ON o.id = u.org_id "
	    "ORDER BY p.short DESC, p.gap DESC, u.name, p.user_id LIMIT "
	    STRINGIFY(REPORT_PEOPLE_MAX) ") SELECT "
	    "t.user_id, t.uname, t.oname, t.short, string_agg(g.competence || "
	    "':' || g.required || ':' || g.achieved, ','), (SELECT count(*) "
	    "FROM persons) FROM t JOIN cells g ON g.user_id = t.user_id GROUP "
	    "BY t.user_id, t.uname, t.oname, t.short, t.gap ORDER BY t.short "
	    "DESC, t.gap DESC, t.uname, t.user_id", RP_MAX }
};

static int
report_part(struct db *db, enum report_part p, struct report_table *t,
    struct fail *f)
{
	return (table_fill(db, db_query(db, report_parts[p].sql, 0),
	    report_parts[p].ncols, t, f));
}

int
store_report_gaps(struct db *db, struct report_table *t, struct fail *f)
{
	return (report_part(db, RQ_GAPS, t, f));
}

int
store_report_levels(struct db *db, struct report_table *t, struct fail *f)
{
	return (report_part(db, RQ_LEVELS, t, f));
}

int
store_report_people(struct db *db, struct report_table *t, struct fail *f)
{
	return (report_part(db, RQ_PEOPLE, t, f));
}

/*
 * Training hours per unit at depth against the yearly target
 * (REPORT_GROUPS_MAX units): unit, staff, mean hours, staff meeting it.
 */
int
store_report_hours(struct db *db, const struct report_filter *r,
    struct report_table *t, struct fail *f)
{
	return (table_fill(db, db_query(db, "SELECT o.name, count(*), "
	    "to_char(avg(h.hours), 'FM9990.0'), count(*) FILTER (WHERE "
	    "h.hours >= $2) FROM staffhours h JOIN orgs o ON o.id = "
	    "org_at_depth(h.org_path, $1::int) GROUP BY o.id, o.name ORDER BY "
	    "o.name, o.id LIMIT " STRINGIFY(REPORT_GROUPS_MAX), 2, r->depth,
	    STRINGIFY(HOURS_TARGET)), RH_MAX, t, f));
}

/* The job roles seen from scope: code, name. */
int
store_report_roles(struct db *db, const char *scope, struct report_table *t,
    struct fail *f)
{
	return (table_fill(db, db_query(db, "SELECT j.code, j.name FROM "
	    "job_roles j LEFT JOIN orgs o ON o.id = j.owner_org_id WHERE "
	    SQL_SEEN_FROM("j.owner_org_id", "1") " ORDER BY j.name", 1, scope),
	    2, t, f));
}

/*
 * The parts of the report as CSV: name, header, what each column is (t
 * text, n number, b yes or no) and the query. Its parameters are the
 * filter's scope, org and role, then the depth (4 of them) or the year
 * and the yearly target (5).
 */
static const struct {
	const char	*name;
	const char	*head;
	const char	*kinds;
	const char	*sql;
	int		 nparams;
} csv_parts[] = {
	{ "heatmap", "unit,competence,people_required,people_meeting,share",
	    "ttnnn", "WITH h AS (SELECT org_at_depth("
	    "g.org_path, $4::int) AS gid, g.competence, count(*) AS "
	    "need, count(*) FILTER (WHERE g.achieved >= g.required) AS "
	    "met FROM gap_cells($1, $2, $3) g GROUP BY 1, 2) SELECT "
	    "o.name, h.competence, h.need, h.met, round(h.met::numeric "
	    "/ h.need, 4) FROM h JOIN orgs o ON o.id = h.gid JOIN "
	    "competences c ON c.code = h.competence ORDER BY o.name, "
	    "o.id, c.position", 4 },
	{ "gaps", "competence,name,level_required,people_required,"
	    "people_short,courses", "tttnnt", "SELECT g.competence, c.name, "
	    "lv.name, count(*), count(*) FILTER (WHERE g.achieved < "
	    "g.required), coalesce((SELECT string_agg(co.slug, ' ' "
	    "ORDER BY co.slug) FROM course_claims cc JOIN courses co ON "
	    "co.id = cc.course_id WHERE cc.competence = g.competence "
	    "AND cc.claimed_rank >= g.required AND "
	    "cc.certifiable_rank >= g.required), '') FROM "
	    "gap_cells($1, $2, $3) g JOIN "
	    "competences c ON c.code = g.competence JOIN levels lv ON "
	    "lv.framework_id = c.framework_id AND lv.rank = g.required "
	    "GROUP BY g.competence, c.name, c.framework_id, "
	    "c.position, g.required, lv.name HAVING count(*) FILTER "
	    "(WHERE "
	    "g.achieved < g.required) > 0 ORDER BY 5 DESC, "
	    "sum(g.required - g.achieved) DESC, c.position, g.required", 3 },
	{ "people", "name,email,unit,competence,level_required,"
	    "level_achieved,gap", "ttttttb", "SELECT u.name, u.email, o.name, "
	    "g.competence, lr.name, coalesce(la.name, ''), CASE WHEN "
	    "g.achieved < g.required THEN 'yes' ELSE 'no' END FROM "
	    "gap_cells($1, $2, $3) g JOIN users u ON u.id = g.user_id "
	    "JOIN orgs o ON o.id = u.org_id JOIN competences c ON "
	    "c.code = g.competence JOIN levels lr ON lr.framework_id = "
	    "c.framework_id AND lr.rank = g.required LEFT JOIN levels "
	    "la ON la.framework_id = c.framework_id AND la.rank = "
	    "g.achieved ORDER BY o.name, u.name, u.id, c.position", 3 },
	{ "hours", "name,email,unit,year,hours,target,target_met", "tttnnnb",
	    "SELECT u.name, u.email, o.name, "
	    "$4::text, to_char(h.hours, 'FM99990.00'), $5::text, CASE "
	    "WHEN h.hours >= $5::numeric THEN 'yes' ELSE 'no' END FROM "
	    "hr_hours($1, $2, $3, $4::int) h JOIN users u ON u.id = "
	    "h.user_id JOIN orgs o ON o.id = u.org_id ORDER BY o.name, "
	    "u.name, u.id", 5 }
};

/*
 * A part of the report as CSV rows, all of them (no page limits), with
 * its header and column kinds. An unknown part is hours (the last).
 */
int
store_report_csv(struct db *db, const struct report_filter *r,
    const char *part, struct report_csv *c, struct fail *f)
{
	const char	*params[5];
	size_t		 i;

	for (i = 0; i + 1 < ROW_NCOLS(csv_parts); i++)
		if (strcmp(part, csv_parts[i].name) == 0)
			break;
	c->head = csv_parts[i].head;
	c->kinds = csv_parts[i].kinds;
	params[0] = r->scope;
	params[1] = r->org;
	params[2] = r->role;
	params[3] = csv_parts[i].nparams == 4 ? r->depth : r->year;
	params[4] = STRINGIFY(HOURS_TARGET);
	return (table_fill(db, db_queryv(db, csv_parts[i].sql,
	    csv_parts[i].nparams, params), strlen(c->kinds), &c->t, f));
}
