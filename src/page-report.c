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
 * Every number comes from SQL over indexed tables (store-report.c);
 * C only lays the rows out in templates. Every chart is SVG next to a
 * table with the same numbers, and every part exports as CSV
 * (/hr/report.csv?part=...).
 */

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "web.h"

static void	filter_get(struct web *, struct report_filter *);
static int	filter_form(struct web *, const struct report_filter *,
		    struct buf *, struct fail *);
static void	pct(char *, size_t, int, int);
static int	col_index(const struct report_grid *, const char *);
static void	grid_cols(struct web *, const struct report_grid *,
		    struct buf *);
static void	cell(struct web *, struct buf *, const char *, const char *);
static int	report_parts(struct web *, const struct report_filter *,
		    struct buf *, struct fail *);
static int	report_summary(struct web *, const struct report_filter *,
		    struct buf *, struct fail *);
static void	report_heat(struct web *, const struct report_filter *,
		    const struct report_grid *, struct buf *);
static int	report_gaps(struct web *, const struct report_filter *,
		    struct buf *, struct fail *);
static int	report_people(struct web *, const struct report_filter *,
		    const struct report_grid *, struct buf *, struct fail *);
static void	people_row(struct web *, const struct report_grid *,
		    const struct report_table *, const struct report_table *,
		    size_t, struct buf *);
static int	report_hours(struct web *, const struct report_filter *,
		    struct buf *, struct fail *);
static int	report_tree(struct web *, const struct report_filter *,
		    struct buf *, struct fail *);
static int	report_tree_csv(struct web *, const struct report_filter *);
static void	csv_link(const struct report_filter *, const char *,
		    struct buf *);

static void
pct(char *out, size_t len, int part, int whole)
{
	if (whole <= 0)
		(void)snprintf(out, len, "-");
	else
		(void)snprintf(out, len, "%d%%", (part * 100 + whole / 2) /
		    whole);
}

/* A table cell (template report-cell), with a class or none. */
static void
cell(struct web *w, struct buf *out, const char *class, const char *text)
{
	if (class != NULL)
		page_impact_put(w, out, "report-cell-class", "class", class,
		    "text", text);
	else
		page_impact_put(w, out, "report-cell", "text", text, NULL,
		    NULL);
}

static void
filter_get(struct web *w, struct report_filter *f)
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
csv_link(const struct report_filter *f, const char *part, struct buf *b)
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
static int
filter_form(struct web *w, const struct report_filter *f, struct buf *out,
    struct fail *fl)
{
	struct edition_opts	 orgs;
	struct report_table	 roles;
	struct buf		 oorgs, oroles, byopts;
	static const char	*bys[] = { "region", "agency", "office" };
	char			 key[32];
	size_t			 i;

	memset(&roles, 0, sizeof(roles));
	if (store_edition_opts_orgs(&w->db, f->scope, &orgs, fl) == -1)
		return (-1);
	if (store_report_roles(&w->db, f->scope, &roles, fl) == -1) {
		store_edition_opts_free(&orgs);
		return (-1);
	}
	buf_init(&oorgs, 2048);
	buf_init(&oroles, 1024);
	buf_init(&byopts, 256);
	page_impact_options(w, &orgs, f->org, 1, &oorgs);
	for (i = 0; i < roles.nrows; i++)
		(void)web_option(w, &oroles, store_report_cell(&roles, i, 0),
		    store_report_cell(&roles, i, 1), strcmp(f->role,
		    store_report_cell(&roles, i, 0)) == 0);
	for (i = 0; i < 3; i++) {
		(void)snprintf(key, sizeof(key), "org.%s", bys[i]);
		(void)web_option(w, &byopts, bys[i], i18n_get(w->lang, key),
		    strcmp(f->by, bys[i]) == 0);
	}
	{
		struct tmpl_arg args[] = {
			T_RAW("orgs", oorgs.data),
			T_RAW("roles", oroles.data),
			T_RAW("bys", byopts.data),
			T_TEXT("year", f->year),
		};

		(void)web_render(w, out, "report-filter", args,
		    T_NARGS(args));
	}
	store_edition_opts_free(&orgs);
	store_report_table_free(&roles);
	buf_free(&oorgs);
	buf_free(&oroles);
	buf_free(&byopts);
	return (0);
}

static int
col_index(const struct report_grid *g, const char *code)
{
	size_t	i;

	for (i = 0; i < g->ncols; i++) {
		if (strcmp(g->cols[i], code) == 0)
			return ((int)i);
	}
	return (-1);
}

/* The competences' column heads, their names in an abbr's title. */
static void
grid_cols(struct web *w, const struct report_grid *g, struct buf *out)
{
	size_t	c;

	for (c = 0; c < g->ncols; c++)
		page_impact_put(w, out, "report-col", "name", g->colnames[c],
		    "code", g->cols[c]);
}

/* The figures at the top of the report. */
static int
report_summary(struct web *w, const struct report_filter *f, struct buf *out,
    struct fail *fl)
{
	struct report_summary	s;
	char			share[16], hshare[16];

	if (store_report_summary(&w->db, &s, fl) == -1)
		return (-1);
	pct(share, sizeof(share), atoi(s.met), atoi(s.cells));
	pct(hshare, sizeof(hshare), atoi(s.hours_met), atoi(s.staff));
	{
		struct tmpl_arg args[] = {
			T_TEXT("staff", s.staff),
			T_TEXT("with_role", s.with_role),
			T_TEXT("cells", s.cells),
			T_TEXT("met", s.met),
			T_TEXT("share", share),
			T_TEXT("with_gap", s.with_gap),
			T_TEXT("hours", web_num(w, s.hours_avg)),
			T_TEXT("hours_met", s.hours_met),
			T_TEXT("hours_share", hshare),
			T_TEXT("target", STRINGIFY(HOURS_TARGET)),
			T_TEXT("year", f->year),
		};

		(void)web_render(w, out, "report-summary", args,
		    T_NARGS(args));
	}
	return (0);
}

/* The heatmap and its table. */
static void
report_heat(struct web *w, const struct report_filter *f,
    const struct report_grid *g, struct buf *out)
{
	struct buf	svg, table, cols, rows, cells, link;
	double		*share;
	char		 text[64], p[16], shown[64];
	size_t		 r, c;
	int		 need, met;

	buf_init(&svg, 8192);
	buf_init(&table, 8192);
	buf_init(&cols, 2048);
	buf_init(&rows, 8192);
	buf_init(&cells, 2048);
	buf_init(&link, 256);
	share = xcalloc(g->nrows * g->ncols + 1, sizeof(double));
	for (r = 0; r < g->nrows; r++) {
		for (c = 0; c < g->ncols; c++) {
			need = g->need[r * g->ncols + c];
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
	grid_cols(w, g, &cols);
	for (r = 0; r < g->nrows; r++) {
		buf_reset(&cells);
		for (c = 0; c < g->ncols; c++) {
			need = g->need[r * g->ncols + c];
			met = g->met[r * g->ncols + c];
			if (need == 0) {
				cell(w, &cells, NULL, "-");
				continue;
			}
			pct(p, sizeof(p), met, need);
			(void)snprintf(text, sizeof(text), "%d/%d (%s)", met,
			    need, p);
			cell(w, &cells, met < need ? "gap" : NULL, text);
		}
		{
			struct tmpl_arg args[] = {
				T_TEXT("unit", g->rows[r]),
				T_RAW("cells", cells.data),
			};

			(void)web_render(w, &rows, "report-heat-row", args,
			    T_NARGS(args));
		}
	}
	{
		struct tmpl_arg args[] = {
			T_RAW("cols", cols.data),
			T_RAW("rows", rows.data),
		};

		(void)web_render(w, &table, "report-heat-table", args,
		    T_NARGS(args));
	}
	csv_link(f, "heatmap", &link);
	if (g->ngroups > g->nrows)
		(void)snprintf(shown, sizeof(shown), "%zu / %zu", g->nrows,
		    g->ngroups);
	else
		shown[0] = '\0';
	{
		struct tmpl_arg args[] = {
			T_RAW("svg", svg.data),
			T_RAW("table", table.data),
			T_TEXT("csv", link.data),
			T_TEXT("shown", shown),
			T_RAW("empty", g->ncols == 0 ? i18n_get(w->lang,
			    "report.empty") : ""),
		};

		(void)web_render(w, out, "report-heat", args, T_NARGS(args));
	}
	buf_free(&svg);
	buf_free(&table);
	buf_free(&cols);
	buf_free(&rows);
	buf_free(&cells);
	buf_free(&link);
}

/* The largest gaps, with the courses that close them. */
static int
report_gaps(struct web *w, const struct report_filter *f, struct buf *out,
    struct fail *fl)
{
	struct report_table	 t;
	struct buf		 rows, svg, courses, link;
	char			**labels;
	double			*values;
	char			 p[16];
	size_t			 i, n;

	if (store_report_gaps(&w->db, &t, fl) == -1)
		return (-1);
	n = t.nrows;
	buf_init(&rows, 4096);
	buf_init(&svg, 4096);
	buf_init(&courses, 512);
	buf_init(&link, 256);
	labels = xcalloc(n + 1, sizeof(*labels));
	values = xcalloc(n + 1, sizeof(*values));
	for (i = 0; i < n; i++) {
		(void)xasprintf(&labels[i], "%s %s", store_report_cell(&t, i,
		    RG_CODE), store_report_cell(&t, i, RG_LEVEL));
		values[i] = atof(store_report_cell(&t, i, RG_SHORT));
		pct(p, sizeof(p), atoi(store_report_cell(&t, i, RG_SHORT)),
		    atoi(store_report_cell(&t, i, RG_NEED)));
		buf_reset(&courses);
		profile_courses_links(w, &courses, store_report_cell(&t, i,
		    RG_COURSES));
		{
			struct tmpl_arg args[] = {
				T_TEXT("code", store_report_cell(&t, i,
				    RG_CODE)),
				T_TEXT("name", store_report_cell(&t, i,
				    RG_NAME)),
				T_TEXT("level", store_report_cell(&t, i,
				    RG_LEVEL)),
				T_TEXT("need", store_report_cell(&t, i,
				    RG_NEED)),
				T_TEXT("short", store_report_cell(&t, i,
				    RG_SHORT)),
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
		    (const char *const *)labels, values, n, values[0], -1, "");
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
	store_report_table_free(&t);
	buf_free(&rows);
	buf_free(&svg);
	buf_free(&courses);
	buf_free(&link);
	return (0);
}

/*
 * The tree: every area and competence with requirements under it, the
 * cells of its subtree and how many are met, indented by depth.
 */
static int
report_tree(struct web *w, const struct report_filter *f, struct buf *out,
    struct fail *fl)
{
	struct gap_rollup	*r;
	struct buf		 rows, link;
	char			 need[32], met[32], own[32], p[16];
	size_t			 i, n;
	static const char *const indent[] = {
		"", "ps-3", "ps-4", "ps-5",
	};

	if (store_gap_rollup(&w->db, 1, NULL, NULL, NULL, &r, &n, fl) == -1)
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
report_tree_csv(struct web *w, const struct report_filter *f)
{
	struct gap_rollup	*r;
	struct buf		 out;
	struct csv_out		 c;
	char			 disp[128];
	size_t			 i, n;

	if (store_gap_rollup(&w->db, 0, f->scope, f->org, f->role, &r,
	    &n, NULL) == -1)
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

/*
 * One person's row: the cells "code:required:achieved,..." laid out
 * under the grid's competences, the levels by name (lv: by rank).
 */
static void
people_row(struct web *w, const struct report_grid *g,
    const struct report_table *t, const struct report_table *lv, size_t i,
    struct buf *out)
{
	struct buf	 cells;
	char		*list, *item, *next, *colon, text[96];
	int		*req, ci, r, a, nlv;
	size_t		 c;

	nlv = (int)lv->nrows;
	req = xcalloc(g->ncols * 2 + 1, sizeof(int));
	list = xstrdup(store_report_cell(t, i, RP_CELLS));
	for (item = list; item != NULL; item = next) {
		if ((next = strchr(item, ',')) != NULL)
			*next++ = '\0';
		if ((colon = strchr(item, ':')) == NULL)
			continue;
		*colon++ = '\0';
		if ((ci = col_index(g, item)) == -1)
			continue;
		req[ci * 2] = atoi(colon);
		req[ci * 2 + 1] = (colon = strchr(colon, ':')) != NULL ?
		    atoi(colon + 1) : 0;
	}
	free(list);
	buf_init(&cells, 1024);
	for (c = 0; c < g->ncols; c++) {
		r = req[c * 2];
		a = req[c * 2 + 1];
		if (r == 0) {
			cell(w, &cells, NULL, "");
			continue;
		}
		(void)snprintf(text, sizeof(text), "%s / %s",
		    a == 0 ? "-" : a <= nlv ? store_report_cell(lv,
		    (size_t)a - 1, 0) : "?", r <= nlv ?
		    store_report_cell(lv, (size_t)r - 1, 0) : "?");
		cell(w, &cells, a < r ? "gap" : "ok", text);
	}
	{
		struct tmpl_arg args[] = {
			T_TEXT("id", store_report_cell(t, i, RP_ID)),
			T_TEXT("name", store_report_cell(t, i, RP_NAME)),
			T_TEXT("org", store_report_cell(t, i, RP_ORG)),
			T_TEXT("short", store_report_cell(t, i, RP_SHORT)),
			T_RAW("cells", cells.data),
		};

		(void)web_render(w, out, "report-people-row", args,
		    T_NARGS(args));
	}
	free(req);
	buf_free(&cells);
}

/* People x competences, the people with most gaps first. */
static int
report_people(struct web *w, const struct report_filter *f,
    const struct report_grid *g, struct buf *out, struct fail *fl)
{
	struct report_table	 t, lv;
	struct buf		 table, cols, rows, link;
	char			 total[64];
	size_t			 i;

	if (store_report_levels(&w->db, &lv, fl) == -1)
		return (-1);
	if (store_report_people(&w->db, &t, fl) == -1) {
		store_report_table_free(&lv);
		return (-1);
	}
	buf_init(&table, 8192);
	buf_init(&cols, 2048);
	buf_init(&rows, 8192);
	buf_init(&link, 256);
	for (i = 0; i < t.nrows; i++)
		people_row(w, g, &t, &lv, i, &rows);
	if (t.nrows > 0) {
		grid_cols(w, g, &cols);
		{
			struct tmpl_arg args[] = {
				T_RAW("cols", cols.data),
				T_RAW("rows", rows.data),
			};

			(void)web_render(w, &table, "report-people-table",
			    args, T_NARGS(args));
		}
	}
	(void)snprintf(total, sizeof(total), "%zu / %s", t.nrows, t.nrows > 0 ?
	    store_report_cell(&t, 0, RP_TOTAL) : "0");
	csv_link(f, "people", &link);
	{
		struct tmpl_arg args[] = {
			T_RAW("table", table.data),
			T_TEXT("csv", link.data),
			T_TEXT("shown", total),
			T_RAW("empty", t.nrows == 0 ? i18n_get(w->lang,
			    "report.empty") : ""),
		};

		(void)web_render(w, out, "report-people", args,
		    T_NARGS(args));
	}
	store_report_table_free(&t);
	store_report_table_free(&lv);
	buf_free(&table);
	buf_free(&cols);
	buf_free(&rows);
	buf_free(&link);
	return (0);
}

/* Training hours per unit against the yearly target. */
static int
report_hours(struct web *w, const struct report_filter *f, struct buf *out,
    struct fail *fl)
{
	struct report_table	 t;
	struct buf		 svg, rows, link, desc;
	const char		**labels;
	double			*values, max;
	char			 p[16];
	size_t			 i, n;

	if (store_report_hours(&w->db, f, &t, fl) == -1)
		return (-1);
	n = t.nrows;
	buf_init(&svg, 4096);
	buf_init(&rows, 2048);
	buf_init(&link, 256);
	buf_init(&desc, 256);
	labels = xcalloc(n + 1, sizeof(*labels));
	values = xcalloc(n + 1, sizeof(*values));
	max = HOURS_TARGET;
	for (i = 0; i < n; i++) {
		labels[i] = store_report_cell(&t, i, RH_UNIT);
		values[i] = atof(store_report_cell(&t, i, RH_AVG));
		if (values[i] > max)
			max = values[i];
		pct(p, sizeof(p), atoi(store_report_cell(&t, i, RH_MET)),
		    atoi(store_report_cell(&t, i, RH_STAFF)));
		{
			struct tmpl_arg args[] = {
				T_TEXT("unit", labels[i]),
				T_TEXT("staff", store_report_cell(&t, i,
				    RH_STAFF)),
				T_TEXT("avg", web_num(w, store_report_cell(&t,
				    i, RH_AVG))),
				T_TEXT("met", store_report_cell(&t, i,
				    RH_MET)),
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
		    "report.hours_title"), desc.data, labels, values, n, max,
		    HOURS_TARGET, "h");
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
	store_report_table_free(&t);
	buf_free(&svg);
	buf_free(&rows);
	buf_free(&link);
	buf_free(&desc);
	return (0);
}

/* Every part of the page, over the selection's cells. */
static int
report_parts(struct web *w, const struct report_filter *f, struct buf *part,
    struct fail *fl)
{
	struct report_grid	g;
	int			rc;

	if (store_report_begin(&w->db, f, fl) == -1 ||
	    store_report_grid(&w->db, f, REPORT_GROUPS_MAX, &g, fl) == -1)
		return (-1);
	if (report_summary(w, f, part, fl) == -1) {
		store_report_grid_free(&g);
		return (-1);
	}
	report_heat(w, f, &g, part);
	rc = report_gaps(w, f, part, fl) == -1 ||
	    report_tree(w, f, part, fl) == -1 ||
	    report_people(w, f, &g, part, fl) == -1 ||
	    report_hours(w, f, part, fl) == -1 ||
	    store_report_end(&w->db, fl) == -1 ? -1 : 0;
	store_report_grid_free(&g);
	return (rc);
}

int
page_hr_report(struct http_request *req)
{
	struct web		w;
	struct report_filter	f;
	struct fail		fl;
	struct buf		main, part;
	int			rc;

	if (web_begin(&w, req) == -1)
		return (KORE_RESULT_OK);
	filter_get(&w, &f);
	buf_init(&main, 32768);
	buf_init(&part, 8192);
	if (filter_form(&w, &f, &part, &fl) == -1 ||
	    report_parts(&w, &f, &part, &fl) == -1) {
		rc = web_fail(&w, &fl);
		goto out;
	}
	{
		struct tmpl_arg args[] = {
			T_RAW("body", part.data),
		};

		(void)web_render(&w, &main, "report", args, T_NARGS(args));
	}
	rc = web_page(&w, 200, i18n_get(w.lang, "report.title"), main.data);
out:
	buf_free(&main);
	buf_free(&part);
	return (rc);
}

/*
 * The report's parts as CSV, with all rows (no page limits), in the
 * Italian or the international form (csv_out_init).
 */
int
page_hr_report_csv(struct http_request *req)
{
	struct web		 w;
	struct report_filter	 f;
	struct report_csv	 rc;
	struct fail		 fl;
	struct buf		 out;
	struct csv_out		 c;
	const char		*part, *v;
	char			 disp[128];
	size_t			 i, j;

	if (web_begin(&w, req) == -1)
		return (KORE_RESULT_OK);
	filter_get(&w, &f);
	if ((part = web_arg(&w, "part")) == NULL)
		return (web_error(&w, 400, "report.err_part"));
	if (strcmp(part, "tree") == 0)
		return (report_tree_csv(&w, &f));
	if (store_report_csv(&w.db, &f, part, &rc, &fl) == -1)
		return (web_fail(&w, &fl));
	buf_init(&out, 4096 + rc.t.nrows * 64);
	csv_out_init(&c, &out, web_csv_lang(&w));
	csv_out_head(&c, rc.head);
	for (i = 0; i < rc.t.nrows; i++) {
		for (j = 0; rc.kinds[j] != '\0'; j++) {
			v = store_report_cell(&rc.t, i, j);
			if (rc.kinds[j] == 'n')
				csv_out_num(&c, v);
			else if (rc.kinds[j] == 'b')
				csv_out_bool(&c, strcmp(v, "yes") == 0);
			else
				csv_out_text(&c, v);
		}
		csv_out_end(&c);
	}
	store_report_table_free(&rc.t);
	(void)snprintf(disp, sizeof(disp), "capacita-%s-%s.csv", part, f.year);
	(void)web_csv(req, disp, 1, &out);
	buf_free(&out);
	web_end(&w);
	return (KORE_RESULT_OK);
}
