/*
 * page-report.c: the HR gap report. For the HR user's subtree, filtered
 * by unit and job role and grouped by region, agency or office:
 *
 *  - a heatmap of units x competences: the share of the people required
 *    to reach a level who have reached it;
 *  - the largest gaps first, each with the courses that teach the
 *    competence at (or above) the level required;
 *  - a person x competence matrix of required and reached levels;
 *  - the framework's tree with each competence's requirements rolled
 *    up over its subtree (store_gap_rollup());
 *  - training hours in a year against the yearly target.
 *
 * Every number comes from SQL over indexed tables (gap_cells, hr_hours
 * in sql/0007-profiles.sql); C only lays the rows out. Every chart is
 * SVG next to a table with the same numbers, and every part exports as
 * CSV (/hr/report.csv?part=...).
 */

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "web.h"

#define REPORT_GROUPS_MAX	60	/* units drawn on the page */
#define REPORT_PEOPLE_MAX	50	/* people listed on the page */
#define REPORT_GAPS_MAX		15	/* gaps listed on the page */

struct filter {
	const char	*scope;
	const char	*org;
	const char	*role;
	const char	*by;
	char		 depth[2];
	char		 year[16];
};

struct grid {
	char		**cols;		/* competence codes */
	char		**colnames;
	size_t		  ncols;
	char		**rows;		/* unit names */
	size_t		  nrows;
	size_t		  ngroups;	/* all units, also those not drawn */
	int		 *need;		/* nrows x ncols */
	int		 *met;
};

static void	filter_get(struct web *, struct filter *);
static void	filter_form(struct web *, const struct filter *, struct buf *);
static int	grid_load(struct web *, const struct filter *, struct grid *,
		    size_t);
static void	grid_free(struct grid *);
static void	th(struct buf *, const char *, const char *);
static void	td(struct buf *, const char *, const char *);
static void	pct(char *, size_t, int, int);
static int	col_index(const struct grid *, const char *);
static int	report_heat(struct web *, const struct filter *,
		    const struct grid *, struct buf *);
static int	report_gaps(struct web *, const struct filter *, struct buf *);
static int	report_people(struct web *, const struct filter *,
		    const struct grid *, struct buf *);
static int	report_hours(struct web *, const struct filter *,
		    struct buf *);
static int	report_tree(struct web *, const struct filter *,
		    struct buf *);
static int	report_tree_csv(struct web *, const struct filter *);
static int	report_summary(struct web *, const struct filter *,
		    struct buf *);
static void	csv_link(const struct filter *, const char *, struct buf *);
static int	cells_create(struct web *, const struct filter *);

static void
th(struct buf *b, const char *scope, const char *text)
{
	buf_printf(b, "<th scope=\"%s\">", scope);
	html_puts(b, text);
	buf_puts(b, "</th>");
}

static void
td(struct buf *b, const char *class, const char *text)
{
	if (class != NULL && *class != '\0')
		buf_printf(b, "<td class=\"%s\">", class);
	else
		buf_puts(b, "<td>");
	html_puts(b, text);
	buf_puts(b, "</td>");
}

static void
pct(char *out, size_t len, int part, int whole)
{
	if (whole <= 0)
		(void)snprintf(out, len, "-");
	else
		(void)snprintf(out, len, "%d%%", (part * 100 + whole / 2) /
		    whole);
}

static void
filter_get(struct web *w, struct filter *f)
{
	const char	*v;
	time_t		 now;
	struct tm	 tm;

	f->scope = web_scope(w, ROLE_HR);
	f->org = (v = web_arg(w, "org")) != NULL ? v : "";
	f->role = (v = web_arg(w, "role")) != NULL ? v : "";
	f->by = (v = web_arg(w, "by")) != NULL ? v : "office";
	f->depth[0] = strcmp(f->by, "region") == 0 ? '1' :
	    strcmp(f->by, "agency") == 0 ? '2' : '3';
	f->depth[1] = '\0';
	if ((v = web_arg(w, "year")) != NULL)
		xstrlcpy(f->year, v, sizeof(f->year));
	else {
		now = time(NULL);
		(void)gmtime_r(&now, &tm);
		(void)snprintf(f->year, sizeof(f->year), "%d",
		    tm.tm_year + 1900);
	}
}

static void
csv_link(const struct filter *f, const char *part, struct buf *b)
{
	buf_puts(b, "/hr/report.csv?part=");
	buf_puts(b, part);
	buf_puts(b, "&org=");
	url_encode(b, f->org);
	buf_puts(b, "&role=");
	url_encode(b, f->role);
	buf_puts(b, "&by=");
	url_encode(b, f->by);
	buf_puts(b, "&year=");
	url_encode(b, f->year);
}

/* The filter form: unit, job role, grouping and year. */
static void
filter_form(struct web *w, const struct filter *f, struct buf *out)
{
	struct pg_result	*res;
	struct buf		 orgs, roles, label;
	static const char	*bys[] = { "region", "agency", "office" };
	struct buf		 byopts;
	char			 key[32];
	int			 i, n;

	buf_init(&orgs, 2048);
	buf_init(&roles, 1024);
	buf_init(&label, 128);
	buf_init(&byopts, 256);
	res = db_query(&w->db, "SELECT code, name, kind FROM orgs WHERE path "
	    "LIKE $1 || '%' ORDER BY org_order(path)", 1, f->scope);
	if (res != NULL) {
		n = db_rows(res);
		for (i = 0; i < n; i++) {
			buf_reset(&label);
			if (strcmp(db_value(res, i, 2), "agency") == 0)
				buf_puts(&label, "\xe2\x80\x83");
			else if (strcmp(db_value(res, i, 2), "office") == 0)
				buf_puts(&label, "\xe2\x80\x83\xe2\x80\x83");
			buf_puts(&label, db_value(res, i, 1));
			(void)web_option(w, &orgs, db_value(res, i, 0),
			    label.data,
			    strcmp(f->org, db_value(res, i, 0)) == 0);
		}
		db_clear(res);
	}
	res = db_query(&w->db, "SELECT j.code, j.name FROM job_roles j LEFT "
	    "JOIN orgs o ON o.id = j.owner_org_id WHERE j.owner_org_id IS "
	    "NULL OR o.path LIKE $1 || '%' OR $1 LIKE o.path || '%' ORDER BY "
	    "j.name", 1, f->scope);
	if (res != NULL) {
		n = db_rows(res);
		for (i = 0; i < n; i++) {
			(void)web_option(w, &roles, db_value(res, i, 0),
			    db_value(res, i, 1),
			    strcmp(f->role, db_value(res, i, 0)) == 0);
		}
		db_clear(res);
	}
	for (i = 0; i < 3; i++) {
		(void)snprintf(key, sizeof(key), "org.%s", bys[i]);
		(void)web_option(w, &byopts, bys[i], i18n_get(w->lang, key),
		    strcmp(f->by, bys[i]) == 0);
	}
	{
		struct tmpl_arg args[] = {
			T_RAW("orgs", orgs.data),
			T_RAW("roles", roles.data),
			T_RAW("bys", byopts.data),
			T_TEXT("year", f->year),
		};

		(void)web_render(w, out, "report-filter", args,
		    T_NARGS(args));
	}
	buf_free(&orgs);
	buf_free(&roles);
	buf_free(&label);
	buf_free(&byopts);
}

static int
col_index(const struct grid *g, const char *code)
{
	size_t	i;

	for (i = 0; i < g->ncols; i++) {
		if (strcmp(g->cols[i], code) == 0)
			return ((int)i);
	}
	return (-1);
}

/*
 * Units x competences: how many people must reach the required level
 * and how many have. max bounds the units kept (0: all).
 */
static int
grid_load(struct web *w, const struct filter *f, struct grid *g, size_t max)
{
	struct pg_result	*res;
	size_t			 i, r, c;
	int			 n;

	memset(g, 0, sizeof(*g));
	/* By office path first: org_at_depth() once per office, not cell. */
	res = db_query(&w->db, "WITH p AS (SELECT org_path, competence, "
	    "count(*) AS need, count(*) FILTER (WHERE achieved >= required) AS "
	    "met FROM cells GROUP BY 1, 2), h AS (SELECT org_at_depth("
	    "org_path, $1::int) AS gid, competence, sum(need) AS need, "
	    "sum(met) AS met FROM p GROUP BY 1, 2) SELECT dense_rank() OVER "
	    "(ORDER BY o.name, o.id), dense_rank() "
	    "OVER (ORDER BY c.position, c.code), o.name, c.code, c.name, "
	    "h.need, h.met FROM h JOIN orgs o ON o.id = h.gid JOIN competences "
	    "c ON c.code = h.competence ORDER BY 1, 2", 1, f->depth);
	if (res == NULL)
		return (-1);
	n = db_rows(res);
	for (i = 0; i < (size_t)n; i++) {
		r = strtoul(db_value(res, i, 0), NULL, 10);
		c = strtoul(db_value(res, i, 1), NULL, 10);
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
		r = strtoul(db_value(res, i, 0), NULL, 10) - 1;
		c = strtoul(db_value(res, i, 1), NULL, 10) - 1;
		if (g->cols[c] == NULL) {
			g->cols[c] = xstrdup(db_value(res, i, 3));
			g->colnames[c] = xstrdup(db_value(res, i, 4));
		}
		if (r >= g->nrows)
			continue;
		if (g->rows[r] == NULL)
			g->rows[r] = xstrdup(db_value(res, i, 2));
		g->need[r * g->ncols + c] = atoi(db_value(res, i, 5));
		g->met[r * g->ncols + c] = atoi(db_value(res, i, 6));
	}
	db_clear(res);
	return (0);
}

static void
grid_free(struct grid *g)
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
}

/* The figures at the top of the report. */
static int
report_summary(struct web *w, const struct filter *f, struct buf *out)
{
	struct pg_result	*res;
	char			 share[16], hshare[16];

	res = db_query(&w->db, "SELECT (SELECT count(*) FROM staffhours), "
	    "count(*), coalesce(sum(n), 0), coalesce(sum(met), 0), count(*) "
	    "FILTER (WHERE met < n), (SELECT to_char(coalesce(avg(hours), 0), "
	    "'FM9990.0') || '|' || count(*) FILTER (WHERE hours >= $1) FROM "
	    "staffhours) FROM persons", 1, STRINGIFY(HOURS_TARGET));
	if (res == NULL)
		return (-1);
	{
		const char	*hours = db_value(res, 0, 5);
		const char	*bar = strchr(hours, '|');
		char		 avg[32];

		(void)snprintf(avg, sizeof(avg), "%.*s", bar != NULL ?
		    (int)(bar - hours) : 0, hours);
		pct(share, sizeof(share), atoi(db_value(res, 0, 3)),
		    atoi(db_value(res, 0, 2)));
		pct(hshare, sizeof(hshare), bar != NULL ? atoi(bar + 1) : 0,
		    atoi(db_value(res, 0, 0)));
		{
			struct tmpl_arg args[] = {
				T_TEXT("staff", db_value(res, 0, 0)),
				T_TEXT("with_role", db_value(res, 0, 1)),
				T_TEXT("cells", db_value(res, 0, 2)),
				T_TEXT("met", db_value(res, 0, 3)),
				T_TEXT("share", share),
				T_TEXT("with_gap", db_value(res, 0, 4)),
				T_TEXT("hours", web_num(w, avg)),
				T_TEXT("hours_met", bar != NULL ? bar + 1 :
				    "0"),
				T_TEXT("hours_share", hshare),
				T_TEXT("target", STRINGIFY(HOURS_TARGET)),
				T_TEXT("year", f->year),
			};

			(void)web_render(w, out, "report-summary", args,
			    T_NARGS(args));
		}
	}
	db_clear(res);
	return (0);
}

/* The heatmap and its table. */
static int
report_heat(struct web *w, const struct filter *f, const struct grid *g,
    struct buf *out)
{
	struct buf	svg, table, link;
	double		*share;
	char		 cell[64], p[16];
	size_t		 r, c;

	buf_init(&svg, 8192);
	buf_init(&table, 8192);
	buf_init(&link, 256);
	share = xcalloc(g->nrows * g->ncols + 1, sizeof(double));
	for (r = 0; r < g->nrows; r++) {
		for (c = 0; c < g->ncols; c++) {
			int	need = g->need[r * g->ncols + c];

			share[r * g->ncols + c] = need > 0 ?
			    (double)g->met[r * g->ncols + c] / need : -1;
		}
	}
	if (g->nrows > 0 && g->ncols > 0)
		svg_heatmap(&svg, "heatmap", i18n_get(w->lang,
		    "report.heat_title"), i18n_get(w->lang,
		    "report.heat_desc"), (const char *const *)g->rows,
		    g->nrows, (const char *const *)g->cols, g->ncols, share);
	free(share);

	buf_puts(&table, "<table class=\"table table-sm table-bordered "
	    "report-heat\"><caption>");
	html_puts(&table, i18n_get(w->lang, "report.heat_caption"));
	buf_puts(&table, "</caption><thead><tr>");
	th(&table, "col", i18n_get(w->lang, "report.unit"));
	for (c = 0; c < g->ncols; c++) {
		buf_puts(&table, "<th scope=\"col\"><abbr title=\"");
		html_puts(&table, g->colnames[c]);
		buf_puts(&table, "\">");
		html_puts(&table, g->cols[c]);
		buf_puts(&table, "</abbr></th>");
	}
	buf_puts(&table, "</tr></thead><tbody>");
	for (r = 0; r < g->nrows; r++) {
		buf_puts(&table, "<tr>");
		th(&table, "row", g->rows[r]);
		for (c = 0; c < g->ncols; c++) {
			int	need = g->need[r * g->ncols + c];
			int	met = g->met[r * g->ncols + c];

			if (need == 0) {
				td(&table, NULL, "-");
				continue;
			}
			pct(p, sizeof(p), met, need);
			(void)snprintf(cell, sizeof(cell), "%d/%d (%s)", met,
			    need, p);
			td(&table, met < need ? "gap" : NULL, cell);
		}
		buf_puts(&table, "</tr>");
	}
	buf_puts(&table, "</tbody></table>");
	csv_link(f, "heatmap", &link);
	{
		char		shown[64];
		struct tmpl_arg args[] = {
			T_RAW("svg", svg.data),
			T_RAW("table", table.data),
			T_TEXT("csv", link.data),
			T_TEXT("shown", shown),
			T_RAW("empty", g->ncols == 0 ? i18n_get(w->lang,
			    "report.empty") : ""),
		};

		if (g->ngroups > g->nrows)
			(void)snprintf(shown, sizeof(shown), "%zu / %zu",
			    g->nrows, g->ngroups);
		else
			shown[0] = '\0';
		(void)web_render(w, out, "report-heat", args, T_NARGS(args));
	}
	buf_free(&svg);
	buf_free(&table);
	buf_free(&link);
	return (0);
}

/* The largest gaps, with the courses that close them. */
static int
report_gaps(struct web *w, const struct filter *f, struct buf *out)
{
	struct pg_result	*res;
	struct buf		 rows, svg, courses, link, desc;
	char			**labels;
	double			*values;
	char			 p[16], label[160];
	int			 i, n;

	/* Counted per competence and level first, then named. */
	res = db_query(&w->db, "WITH a AS (SELECT competence, required, "
	    "count(*) AS n, count(*) FILTER (WHERE achieved < required) AS "
	    "short, sum(required - achieved) AS gap FROM cells GROUP BY "
	    "competence, required) SELECT a.competence, c.name, lv.name, a.n, "
	    "a.short, coalesce((SELECT string_agg(co.slug || E'\\t' || "
	    "co.title, E'\\n' ORDER BY co.title) FROM course_claims cc JOIN "
	    "courses co ON co.id = cc.course_id WHERE cc.competence = "
	    "a.competence AND cc.claimed_rank >= a.required AND "
	    "cc.certifiable_rank >= a.required), '') "
	    "FROM a JOIN competences c ON c.code = a.competence JOIN levels "
	    "lv ON lv.framework_id = c.framework_id AND lv.rank = a.required "
	    "WHERE a.short > 0 ORDER BY a.short DESC, a.gap DESC, c.position, "
	    "a.required LIMIT " STRINGIFY(REPORT_GAPS_MAX), 0);
	if (res == NULL)
		return (-1);
	n = db_rows(res);
	buf_init(&rows, 4096);
	buf_init(&svg, 4096);
	buf_init(&courses, 512);
	buf_init(&link, 256);
	buf_init(&desc, 128);
	labels = xcalloc((size_t)n + 1, sizeof(*labels));
	values = xcalloc((size_t)n + 1, sizeof(*values));
	for (i = 0; i < n; i++) {
		(void)snprintf(label, sizeof(label), "%s %s",
		    db_value(res, i, 0), db_value(res, i, 2));
		labels[i] = xstrdup(label);
		values[i] = atof(db_value(res, i, 4));
		pct(p, sizeof(p), atoi(db_value(res, i, 4)),
		    atoi(db_value(res, i, 3)));
		buf_reset(&courses);
		profile_courses_links(w, &courses, db_value(res, i, 5));
		{
			struct tmpl_arg args[] = {
				T_TEXT("code", db_value(res, i, 0)),
				T_TEXT("name", db_value(res, i, 1)),
				T_TEXT("level", db_value(res, i, 2)),
				T_TEXT("need", db_value(res, i, 3)),
				T_TEXT("short", db_value(res, i, 4)),
				T_TEXT("pct", p),
				T_RAW("courses", courses.data),
			};

			(void)web_render(w, &rows, "report-gap-row", args,
			    T_NARGS(args));
		}
	}
	if (n > 0)
		svg_bars(&svg, w->lang, "gaps", i18n_get(w->lang,
		    "report.gaps_title"), i18n_get(w->lang, "report.gaps_desc"),
		    (const char *const *)labels, values,
		    (size_t)n, values[0], -1, "");
	csv_link(f, "gaps", &link);
	{
		struct tmpl_arg args[] = {
			T_RAW("svg", svg.data),
			T_RAW("rows", rows.data),
			T_TEXT("csv", link.data),
			T_RAW("empty", n == 0 ? i18n_get(w->lang,
			    "report.no_gaps") : ""),
		};

		(void)web_render(w, out, "report-gaps", args, T_NARGS(args));
	}
	for (i = 0; i < n; i++)
		free(labels[i]);
	free(labels);
	free(values);
	db_clear(res);
	buf_free(&rows);
	buf_free(&svg);
	buf_free(&courses);
	buf_free(&link);
	buf_free(&desc);
	return (0);
}

/*
 * The tree: every area and competence with requirements under it, the
 * cells of its subtree and how many are met, indented by depth.
 */
static int
report_tree(struct web *w, const struct filter *f, struct buf *out)
{
	struct gap_rollup	*r;
	struct buf		 rows, link;
	char			 need[32], met[32], own[32], p[16];
	size_t			 i, n;
	static const char *const indent[] = {
		"", "ps-3", "ps-4", "ps-5",
	};

	if (store_gap_rollup(&w->db, 1, NULL, NULL, NULL, &r, &n) == -1)
		return (-1);
	buf_init(&rows, 4096);
	buf_init(&link, 256);
	for (i = 0; i < n; i++) {
		(void)snprintf(need, sizeof(need), "%lld", r[i].need);
		(void)snprintf(met, sizeof(met), "%lld", r[i].met);
		(void)snprintf(own, sizeof(own), "%lld", r[i].own);
		pct(p, sizeof(p), (int)r[i].met, (int)r[i].need);
		{
			struct tmpl_arg args[] = {
				T_TEXT("code", r[i].code),
				T_TEXT("indent", indent[r[i].depth < 3 ?
				    r[i].depth : 3]),
				T_TEXT("kind", r[i].depth == 0 ? "fw-area" :
				    ""),
				T_TEXT("name", r[i].name),
				T_TEXT("need", need),
				T_TEXT("met", met),
				T_TEXT("pct", p),
				T_TEXT("own", own),
			};

			(void)web_render(w, &rows, "report-tree-row", args,
			    T_NARGS(args));
		}
	}
	csv_link(f, "tree", &link);
	{
		struct tmpl_arg args[] = {
			T_RAW("rows", rows.data),
			T_TEXT("csv", link.data),
			T_RAW("empty", n == 0 ? i18n_get(w->lang,
			    "report.empty") : ""),
		};

		(void)web_render(w, out, "report-tree", args, T_NARGS(args));
	}
	gap_rollup_free(r, n);
	buf_free(&rows);
	buf_free(&link);
	return (0);
}

/* The tree's roll-up as CSV (part=tree), every row. */
static int
report_tree_csv(struct web *w, const struct filter *f)
{
	struct gap_rollup	*r;
	struct buf		 out;
	struct csv_out		 c;
	char			 disp[128];
	size_t			 i, n;

	if (store_gap_rollup(&w->db, 0, f->scope, f->org, f->role, &r,
	    &n) == -1)
		return (web_db_error(w));
	buf_init(&out, 4096);
	csv_out_init(&c, &out, web_csv_lang(w));
	csv_out_head(&c, "competence,name,depth,requirements,met,share,"
	    "on_competence_itself");
	for (i = 0; i < n; i++) {
		csv_out_text(&c, r[i].code);
		csv_out_text(&c, r[i].name);
		csv_out_double(&c, r[i].depth, 0);
		csv_out_double(&c, (double)r[i].need, 0);
		csv_out_double(&c, (double)r[i].met, 0);
		csv_out_double(&c, r[i].need > 0 ? (double)r[i].met /
		    (double)r[i].need : 0.0, 4);
		csv_out_double(&c, (double)r[i].own, 0);
		csv_out_end(&c);
	}
	gap_rollup_free(r, n);
	(void)snprintf(disp, sizeof(disp), "capacita-tree-%s.csv", f->year);
	(void)web_csv(w->req, disp, 1, &out);
	buf_free(&out);
	web_end(w);
	return (KORE_RESULT_OK);
}

/* People x competences, the people with most gaps first. */
static int
report_people(struct web *w, const struct filter *f, const struct grid *g,
    struct buf *out)
{
	struct pg_result	*res, *lv;
	struct buf		 table, link;
	const char		*levels[16];
	char			*list, *item, *next, cell[96], total[64];
	int			 i, n, nlv, ci, req, got, *cells;
	size_t			 c;

	lv = db_query(&w->db, "SELECT l.name FROM levels l WHERE "
	    "l.framework_id = (SELECT min(id) FROM frameworks WHERE kind = "
	    "'measured') ORDER BY l.rank LIMIT 15", 0);
	if (lv == NULL)
		return (-1);
	nlv = db_rows(lv);
	levels[0] = "-";
	for (i = 0; i < nlv; i++)
		levels[i + 1] = db_value(lv, i, 0);
	/*
	 * The people with the most gaps: ranked on counts alone, and only
	 * the rows shown get their cells spelt out (string_agg over every
	 * person of a region cost most of this query at 100,000 staff).
	 */
	res = db_query(&w->db, "WITH t AS (SELECT p.user_id, p.short, p.gap, "
	    "u.name AS uname, o.name AS oname FROM persons p JOIN users u ON "
	    "u.id = p.user_id JOIN orgs o ON o.id = u.org_id ORDER BY p.short "
	    "DESC, p.gap DESC, u.name, p.user_id LIMIT "
	    STRINGIFY(REPORT_PEOPLE_MAX) ") SELECT "
	    "t.user_id, t.uname, t.oname, t.short, string_agg(g.competence || "
	    "':' || g.required || ':' || g.achieved, ','), (SELECT count(*) "
	    "FROM persons) FROM t JOIN cells g ON g.user_id = t.user_id GROUP BY "
	    "t.user_id, t.uname, t.oname, t.short, t.gap ORDER BY t.short "
	    "DESC, t.gap DESC, t.uname, t.user_id", 0);
	if (res == NULL) {
		db_clear(lv);
		return (-1);
	}
	n = db_rows(res);
	buf_init(&table, 8192);
	buf_init(&link, 256);
	cells = xcalloc(g->ncols * 2 + 1, sizeof(int));
	buf_puts(&table, "<table class=\"table table-sm table-bordered "
	    "report-people\"><caption>");
	html_puts(&table, i18n_get(w->lang, "report.people_caption"));
	buf_puts(&table, "</caption><thead><tr>");
	th(&table, "col", i18n_get(w->lang, "user.name"));
	th(&table, "col", i18n_get(w->lang, "user.org"));
	th(&table, "col", i18n_get(w->lang, "report.gap_count"));
	for (c = 0; c < g->ncols; c++) {
		buf_puts(&table, "<th scope=\"col\"><abbr title=\"");
		html_puts(&table, g->colnames[c]);
		buf_puts(&table, "\">");
		html_puts(&table, g->cols[c]);
		buf_puts(&table, "</abbr></th>");
	}
	buf_puts(&table, "</tr></thead><tbody>");
	for (i = 0; i < n; i++) {
		memset(cells, 0, (g->ncols * 2 + 1) * sizeof(int));
		list = xstrdup(db_value(res, i, 4));
		for (item = list; item != NULL; item = next) {
			char	*colon;

			if ((next = strchr(item, ',')) != NULL)
				*next++ = '\0';
			if ((colon = strchr(item, ':')) == NULL)
				continue;
			*colon++ = '\0';
			if ((ci = col_index(g, item)) == -1)
				continue;
			req = atoi(colon);
			got = (colon = strchr(colon, ':')) != NULL ?
			    atoi(colon + 1) : 0;
			cells[ci * 2] = req;
			cells[ci * 2 + 1] = got;
		}
		free(list);
		buf_puts(&table, "<tr><th scope=\"row\"><a href=\"/hr/people/");
		html_puts(&table, db_value(res, i, 0));
		buf_puts(&table, "\">");
		html_puts(&table, db_value(res, i, 1));
		buf_puts(&table, "</a></th>");
		td(&table, NULL, db_value(res, i, 2));
		td(&table, NULL, db_value(res, i, 3));
		for (c = 0; c < g->ncols; c++) {
			req = cells[c * 2];
			got = cells[c * 2 + 1];
			if (req == 0) {
				td(&table, NULL, "");
				continue;
			}
			(void)snprintf(cell, sizeof(cell), "%s / %s",
			    got <= nlv ? levels[got] : "?",
			    req <= nlv ? levels[req] : "?");
			td(&table, got < req ? "gap" : "ok", cell);
		}
		buf_puts(&table, "</tr>");
	}
	buf_puts(&table, "</tbody></table>");
	(void)snprintf(total, sizeof(total), "%d / %s", n, n > 0 ?
	    db_value(res, 0, 5) : "0");
	csv_link(f, "people", &link);
	{
		struct tmpl_arg args[] = {
			T_RAW("table", n > 0 ? table.data : ""),
			T_TEXT("csv", link.data),
			T_TEXT("shown", total),
			T_RAW("empty", n == 0 ? i18n_get(w->lang,
			    "report.empty") : ""),
		};

		(void)web_render(w, out, "report-people", args,
		    T_NARGS(args));
	}
	free(cells);
	db_clear(res);
	db_clear(lv);
	buf_free(&table);
	buf_free(&link);
	return (0);
}

/* Training hours per unit against the yearly target. */
static int
report_hours(struct web *w, const struct filter *f, struct buf *out)
{
	struct pg_result	*res;
	struct buf		 svg, rows, link, desc;
	const char		**labels;
	double			*values, max;
	char			 p[16];
	int			 i, n;

	res = db_query(&w->db, "SELECT o.name, count(*), to_char(avg(h.hours),"
	    " 'FM9990.0'), count(*) FILTER (WHERE h.hours >= $2) FROM "
	    "staffhours h JOIN orgs o ON o.id = org_at_depth(h.org_path, "
	    "$1::int) GROUP BY o.id, o.name ORDER BY o.name, o.id LIMIT "
	    STRINGIFY(REPORT_GROUPS_MAX), 2, f->depth,
	    STRINGIFY(HOURS_TARGET));
	if (res == NULL)
		return (-1);
	n = db_rows(res);
	buf_init(&svg, 4096);
	buf_init(&rows, 2048);
	buf_init(&link, 256);
	buf_init(&desc, 256);
	labels = xcalloc((size_t)n + 1, sizeof(*labels));
	values = xcalloc((size_t)n + 1, sizeof(*values));
	max = HOURS_TARGET;
	for (i = 0; i < n; i++) {
		labels[i] = db_value(res, i, 0);
		values[i] = atof(db_value(res, i, 2));
		if (values[i] > max)
			max = values[i];
		pct(p, sizeof(p), atoi(db_value(res, i, 3)),
		    atoi(db_value(res, i, 1)));
		{
			struct tmpl_arg args[] = {
				T_TEXT("unit", db_value(res, i, 0)),
				T_TEXT("staff", db_value(res, i, 1)),
				T_TEXT("avg", web_num(w, db_value(res, i, 2))),
				T_TEXT("met", db_value(res, i, 3)),
				T_TEXT("pct", p),
			};

			(void)web_render(w, &rows, "report-hours-row", args,
			    T_NARGS(args));
		}
	}
	buf_printf(&desc, "%s %s", i18n_get(w->lang, "report.hours_desc"),
	    f->year);
	if (n > 0)
		svg_bars(&svg, w->lang, "hours", i18n_get(w->lang,
		    "report.hours_title"), desc.data, labels, values,
		    (size_t)n, max, HOURS_TARGET, "h");
	csv_link(f, "hours", &link);
	{
		struct tmpl_arg args[] = {
			T_RAW("svg", svg.data),
			T_RAW("rows", rows.data),
			T_TEXT("csv", link.data),
			T_TEXT("year", f->year),
			T_TEXT("target", STRINGIFY(HOURS_TARGET)),
		};

		(void)web_render(w, out, "report-hours", args, T_NARGS(args));
	}
	free(labels);
	free(values);
	db_clear(res);
	buf_free(&svg);
	buf_free(&rows);
	buf_free(&link);
	buf_free(&desc);
	return (0);
}

/*
 * The report's cells (gap_cells: one row per person and required
 * competence), their totals per person (read by the summary and by the
 * people's list) and the staff's hours, computed once into temporary
 * tables that every part of the page reads, dropped at the end of the
 * transaction. Nothing of it needs to survive a crash, hence no wait
 * for the disk at commit.
 */
static int
cells_create(struct web *w, const struct filter *f)
{
	if (db_begin_nowait(&w->db) == -1 ||
	    db_exec(&w->db, "SET LOCAL work_mem = '32MB'", 0) == -1 ||
	    db_exec(&w->db, "CREATE TEMP TABLE cells ON COMMIT DROP AS "
	    "SELECT * FROM gap_cells($1, $2, $3)", 3, f->scope, f->org,
	    f->role) == -1 || db_exec(&w->db, "CREATE TEMP TABLE persons ON "
	    "COMMIT DROP AS SELECT user_id, count(*) AS n, count(*) FILTER "
	    "(WHERE achieved >= required) AS met, count(*) FILTER (WHERE "
	    "achieved < required) AS short, sum(required - least(achieved, "
	    "required)) AS gap FROM cells GROUP BY user_id", 0) == -1 ||
	    db_exec(&w->db, "CREATE TEMP TABLE staffhours "
	    "ON COMMIT DROP AS SELECT * FROM hr_hours($1, $2, $3, $4::int)", 4,
	    f->scope, f->org, f->role, f->year) == -1)
		return (-1);
	return (0);
}

int
page_hr_report(struct http_request *req)
{
	struct web	w;
	struct filter	f;
	struct grid	g;
	struct buf	main, part;

	if (web_begin(&w, req) == -1)
		return (KORE_RESULT_OK);
	filter_get(&w, &f);
	buf_init(&main, 32768);
	buf_init(&part, 8192);
	filter_form(&w, &f, &part);
	if (cells_create(&w, &f) == -1 ||
	    grid_load(&w, &f, &g, REPORT_GROUPS_MAX) == -1)
		goto fail;
	if (report_summary(&w, &f, &part) == -1 ||
	    report_heat(&w, &f, &g, &part) == -1 ||
	    report_gaps(&w, &f, &part) == -1 ||
	    report_tree(&w, &f, &part) == -1 ||
	    report_people(&w, &f, &g, &part) == -1 ||
	    report_hours(&w, &f, &part) == -1) {
		grid_free(&g);
		goto fail;
	}
	grid_free(&g);
	if (db_commit(&w.db) == -1)
		goto fail;
	{
		struct tmpl_arg args[] = {
			T_RAW("body", part.data),
		};

		(void)web_render(&w, &main, "report", args, T_NARGS(args));
	}
	(void)web_page(&w, 200, i18n_get(w.lang, "report.title"), main.data);
	buf_free(&main);
	buf_free(&part);
	return (KORE_RESULT_OK);
fail:
	buf_free(&main);
	buf_free(&part);
	return (web_db_error(&w));
}

/*
 * The report's parts as CSV, with all rows (no page limits), in the
 * Italian or the international form (csv_out_init). kinds says what
 * each column is: t text, n number, b yes or no.
 */
int
page_hr_report_csv(struct http_request *req)
{
	struct pg_result	*res;
	struct web		 w;
	struct filter		 f;
	struct buf		 out;
	struct csv_out		 c;
	const char		*part, *head, *kinds;
	char			 disp[128];
	int			 i, j, n;

	if (web_begin(&w, req) == -1)
		return (KORE_RESULT_OK);
	filter_get(&w, &f);
	if ((part = web_arg(&w, "part")) == NULL)
		return (web_error(&w, 400, "report.err_part"));
	if (strcmp(part, "tree") == 0)
		return (report_tree_csv(&w, &f));
	if (strcmp(part, "heatmap") == 0) {
		head = "unit,competence,people_required,people_meeting,share";
		kinds = "ttnnn";
		res = db_query(&w.db, "WITH h AS (SELECT org_at_depth("
		    "g.org_path, $4::int) AS gid, g.competence, count(*) AS "
		    "need, count(*) FILTER (WHERE g.achieved >= g.required) AS "
		    "met FROM gap_cells($1, $2, $3) g GROUP BY 1, 2) SELECT "
		    "o.name, h.competence, h.need, h.met, round(h.met::numeric "
		    "/ h.need, 4) FROM h JOIN orgs o ON o.id = h.gid JOIN "
		    "competences c ON c.code = h.competence ORDER BY o.name, "
		    "o.id, c.position", 4, f.scope, f.org, f.role, f.depth);
	} else if (strcmp(part, "gaps") == 0) {
		head = "competence,name,level_required,people_required,"
		    "people_short,courses";
		kinds = "tttnnt";
		res = db_query(&w.db, "SELECT g.competence, c.name, lv.name, "
		    "count(*), count(*) FILTER (WHERE g.achieved < "
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
		    "sum(g.required - g.achieved) DESC, c.position, g.required",
		    3, f.scope, f.org, f.role);
	} else if (strcmp(part, "people") == 0) {
		head = "name,email,unit,competence,level_required,"
		    "level_achieved,gap";
		kinds = "ttttttb";
		res = db_query(&w.db, "SELECT u.name, u.email, o.name, "
		    "g.competence, lr.name, coalesce(la.name, ''), CASE WHEN "
		    "g.achieved < g.required THEN 'yes' ELSE 'no' END FROM "
		    "gap_cells($1, $2, $3) g JOIN users u ON u.id = g.user_id "
		    "JOIN orgs o ON o.id = u.org_id JOIN competences c ON "
		    "c.code = g.competence JOIN levels lr ON lr.framework_id = "
		    "c.framework_id AND lr.rank = g.required LEFT JOIN levels "
		    "la ON la.framework_id = c.framework_id AND la.rank = "
		    "g.achieved ORDER BY o.name, u.name, u.id, c.position", 3,
		    f.scope, f.org, f.role);
	} else {
		head = "name,email,unit,year,hours,target,target_met";
		kinds = "tttnnnb";
		res = db_query(&w.db, "SELECT u.name, u.email, o.name, "
		    "$4::text, to_char(h.hours, 'FM99990.00'), $5::text, CASE "
		    "WHEN h.hours >= $5::numeric THEN 'yes' ELSE 'no' END FROM "
		    "hr_hours($1, $2, $3, $4::int) h JOIN users u ON u.id = "
		    "h.user_id JOIN orgs o ON o.id = u.org_id ORDER BY o.name, "
		    "u.name, u.id", 5, f.scope, f.org, f.role, f.year,
		    STRINGIFY(HOURS_TARGET));
	}
	if (res == NULL)
		return (web_db_error(&w));
	n = db_rows(res);
	buf_init(&out, 4096 + (size_t)n * 64);
	csv_out_init(&c, &out, web_csv_lang(&w));
	csv_out_head(&c, head);
	for (i = 0; i < n; i++) {
		for (j = 0; kinds[j] != '\0'; j++) {
			if (kinds[j] == 'n')
				csv_out_num(&c, db_value(res, i, j));
			else if (kinds[j] == 'b')
				csv_out_bool(&c, strcmp(db_value(res, i, j),
				    "yes") == 0);
			else
				csv_out_text(&c, db_value(res, i, j));
		}
		csv_out_end(&c);
	}
	db_clear(res);
	(void)snprintf(disp, sizeof(disp), "capacita-%s-%s.csv", part, f.year);
	(void)web_csv(req, disp, 1, &out);
	buf_free(&out);
	web_end(&w);
	return (KORE_RESULT_OK);
}
