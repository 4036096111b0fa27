/*
 * page-impact.c: impact evaluation and learning records (README.md,
 * "Impact evaluation"):
 *
 *  - /hr/impact(.csv): per course, edition or office: n, means before
 *    and after, the mean change with its t interval, Hake's gain, the
 *    difference in differences with a bootstrap interval (stats.c),
 *    small groups suppressed, the caveats next to the numbers, and two
 *    SVG charts with their tables;
 *  - /api/xapi/statements is in page-xapi.c.
 *
 * HR offices see their subtree only; administrators see everything.
 */

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "web.h"

#define IMPACT_GROUPS_MAX	40	/* groups in the page's tables */
#define IMPACT_CHART_MAX	12	/* groups drawn in a chart */

struct ifilter {
	const char	*scope;
	const char	*org;
	const char	*edition;
	const char	*by;
	char		 course_id[32];
	char		 course_slug[96];
	char		 course_title[256];
};

static int	impact_filter(struct web *, struct ifilter *);
static int	impact_load(struct web *, const struct ifilter *,
		    struct impact *);
static void	impact_query(const struct ifilter *, struct buf *);
static void	impact_filter_form(struct web *, const struct ifilter *,
		    struct buf *);
static void	impact_table(struct web *, const struct impact *,
		    struct buf *);
static void	impact_row(struct web *, struct buf *, const char *,
		    const char *, const struct impact_sample *,
		    const struct stats_group *);
static void	impact_caveats(struct web *, const struct ifilter *,
		    const struct impact *, const char *, struct buf *);
static void	impact_chart_put(struct web *, const char *, const char *,
		    const struct buf *, const struct buf *, struct buf *);
static const struct impact_group *impact_chart_group(const struct impact *,
		    size_t);
static void	impact_chart_dist(struct web *, const struct impact *,
		    struct buf *);
static void	impact_chart_gain(struct web *, const struct impact *,
		    struct buf *);
static void	csv_sample(struct csv_out *, const char *, long long,
		    const char *, const char *, const struct impact_sample *,
		    const struct stats_group *);

/* HR offices act on their subtree; administrators on everything. */
const char *
page_impact_scope(struct web *w)
{
	if (web_has_role(w, ROLE_ADMIN))
		return ("/");
	return (web_scope(w, ROLE_HR));
}

void
page_impact_th(struct buf *b, const char *scope, const char *text)
{
	buf_printf(b, "<th scope=\"%s\">", scope);
	html_puts(b, text);
	buf_puts(b, "</th>");
}

void
page_impact_td(struct buf *b, const char *class, const char *text)
{
	if (class != NULL && *class != '\0')
		buf_printf(b, "<td class=\"%s\">", class);
	else
		buf_puts(b, "<td>");
	html_puts(b, text);
	buf_puts(b, "</td>");
}

static int
impact_filter(struct web *w, struct ifilter *f)
{
	struct pg_result	*res;
	const char		*course;

	memset(f, 0, sizeof(*f));
	f->scope = page_impact_scope(w);
	f->org = web_arg(w, "org") != NULL ? web_arg(w, "org") : "";
	f->edition = web_arg(w, "edition") != NULL ? web_arg(w, "edition") :
	    "";
	f->by = web_arg(w, "by") != NULL ? web_arg(w, "by") : "edition";
	course = web_arg(w, "course");
	res = db_query(&w->db, "SELECT id, slug, title FROM courses WHERE "
	    "assessment_module_id IS NOT NULL ORDER BY slug = $1 DESC, title, "
	    "slug LIMIT 1", 1, course != NULL ? course : "");
	if (res == NULL)
		return (-1);
	if (db_rows(res) == 1) {
		xstrlcpy(f->course_id, db_value(res, 0, 0),
		    sizeof(f->course_id));
		xstrlcpy(f->course_slug, db_value(res, 0, 1),
		    sizeof(f->course_slug));
		xstrlcpy(f->course_title, db_value(res, 0, 2),
		    sizeof(f->course_title));
	}
	db_clear(res);
	return (0);
}

/* The filter as a query string (for the CSV link). */
static void
impact_query(const struct ifilter *f, struct buf *b)
{
	buf_puts(b, "course=");
	url_encode(b, f->course_slug);
	buf_puts(b, "&org=");
	url_encode(b, f->org);
	buf_puts(b, "&edition=");
	url_encode(b, f->edition);
	buf_puts(b, "&by=");
	url_encode(b, f->by);
}

/*
 * The per-person rows (impact_people in sql/0010-impact.sql) into
 * groups by edition or office, and all of them together.
 */
static int
impact_load(struct web *w, const struct ifilter *f, struct impact *im)
{
	struct pg_result	*res;
	struct impact_person	 p;
	int			 i, n, by_office;

	impact_init(im, i18n_get(w->lang, "impact.all"));
	if (f->course_id[0] == '\0')
		return (0);
	by_office = strcmp(f->by, "office") == 0;
	res = db_query(&w->db, "SELECT CASE WHEN $5 = 'office' THEN o.id "
	    "ELSE coalesce(p.edition_id, 0) END, CASE WHEN $5 = 'office' THEN "
	    "o.name ELSE coalesce(d.code, '') END, p.grp = 'comparison', "
	    "p.first, coalesce(p.second::text, ''), coalesce(p.days::text, "
	    "''), p.excluded, p.grp = 'comparison' OR EXISTS (SELECT 1 FROM "
	    "editions x WHERE x.compares_with = p.edition_id) FROM "
	    "impact_people($1, $2, $3::bigint) p LEFT JOIN editions d ON d.id "
	    "= p.edition_id JOIN orgs o ON o.id = org_at_depth(p.org_path, 3) "
	    "WHERE $4 = '' OR coalesce(p.edition_id, 0) = nullif($4, '')::"
	    "bigint ORDER BY "
	    "CASE WHEN $5 = 'office' THEN org_order(o.path) END, d.starts_on "
	    "NULLS FIRST, d.code, o.name", 5, f->scope, f->org, f->course_id,
	    f->edition, f->by);
	if (res == NULL)
		return (-1);
	n = db_rows(res);
	for (i = 0; i < n; i++) {
		p.key = strtoll(db_value(res, i, 0), NULL, 10);
		p.label = db_value(res, i, 1);
		if (!by_office && *p.label == '\0')
			p.label = i18n_get(w->lang, "impact.no_edition");
		p.comparison = strcmp(db_value(res, i, 2), "t") == 0;
		p.first = strtod(db_value(res, i, 3), NULL);
		p.second = *db_value(res, i, 4) != '\0' ?
		    strtod(db_value(res, i, 4), NULL) : NAN;
		p.days = *db_value(res, i, 5) != '\0' ?
		    strtod(db_value(res, i, 5), NULL) : NAN;
		p.excluded = strcmp(db_value(res, i, 6), "t") == 0;
		p.matched = strcmp(db_value(res, i, 7), "t") == 0;
		impact_add(im, &p);
	}
	db_clear(res);
	impact_compute(im);
	return (0);
}

static void
impact_filter_form(struct web *w, const struct ifilter *f, struct buf *out)
{
	struct pg_result	*res;
	struct buf		 courses, orgs, eds, bys, label;
	static const char	*byv[] = { "edition", "office" };
	char			 key[32];
	int			 i;

	buf_init(&courses, 1024);
	buf_init(&orgs, 2048);
	buf_init(&eds, 1024);
	buf_init(&bys, 256);
	buf_init(&label, 128);
	res = db_query(&w->db, "SELECT slug, title FROM courses WHERE "
	    "assessment_module_id IS NOT NULL ORDER BY title, slug", 0);
	if (res != NULL) {
		for (i = 0; i < db_rows(res); i++) {
			(void)web_option(w, &courses, db_value(res, i, 0),
			    db_value(res, i, 1),
			    strcmp(f->course_slug, db_value(res, i, 0)) == 0);
		}
		db_clear(res);
	}
	res = db_query(&w->db, "SELECT code, name, kind FROM orgs WHERE path "
	    "LIKE $1 || '%' ORDER BY org_order(path)", 1, f->scope);
	if (res != NULL) {
		for (i = 0; i < db_rows(res); i++) {
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
	res = db_query(&w->db, "SELECT d.id, d.code FROM editions d WHERE "
	    "d.course_id = $1::bigint ORDER BY d.starts_on, d.code", 1,
	    f->course_id[0] != '\0' ? f->course_id : "0");
	if (res != NULL) {
		for (i = 0; i < db_rows(res); i++) {
			(void)web_option(w, &eds, db_value(res, i, 0),
			    db_value(res, i, 1),
			    strcmp(f->edition, db_value(res, i, 0)) == 0);
		}
		db_clear(res);
	}
	for (i = 0; i < 2; i++) {
		(void)snprintf(key, sizeof(key), "impact.by_%s", byv[i]);
		(void)web_option(w, &bys, byv[i], i18n_get(w->lang, key),
		    strcmp(f->by, byv[i]) == 0);
	}
	{
		struct tmpl_arg args[] = {
			T_RAW("courses", courses.data),
			T_RAW("orgs", orgs.data),
			T_RAW("editions", eds.data),
			T_RAW("bys", bys.data),
		};

		(void)web_render(w, out, "impact-filter", args,
		    T_NARGS(args));
	}
	buf_free(&courses);
	buf_free(&orgs);
	buf_free(&eds);
	buf_free(&bys);
	buf_free(&label);
}

/*
 * One row of the results table: a group (treated or comparison) of a
 * unit or edition; under IMPACT_MIN_N people, nothing but the note.
 */
static void
impact_row(struct web *w, struct buf *b, const char *label,
    const char *group_key, const struct impact_sample *s,
    const struct stats_group *g)
{
	char	n[32], v[64], days[32];

	buf_printf(b, "<tr data-group=\"%s\">", strcmp(group_key,
	    "impact.treated") == 0 ? "treated" : "comparison");
	page_impact_th(b, "row", label);
	page_impact_td(b, NULL, i18n_get(w->lang, group_key));
	if (s->n < IMPACT_MIN_N) {
		buf_printf(b, "<td colspan=\"9\" class=\"suppressed\" "
		    "data-suppressed=\"1\">");
		html_puts(b, i18n_get(w->lang, "impact.suppressed"));
		buf_puts(b, "</td></tr>");
		return;
	}
	(void)snprintf(n, sizeof(n), "%zu", s->started);
	buf_printf(b, "<td data-stat=\"started\">%s</td>", n);
	(void)snprintf(n, sizeof(n), "%zu", s->n);
	buf_printf(b, "<td data-stat=\"n\">%s</td>", n);
	impact_fmt(v, sizeof(v), w->lang, g->mean_first);
	buf_printf(b, "<td data-stat=\"first\">%s</td>", v);
	impact_fmt(v, sizeof(v), w->lang, g->mean_second);
	buf_printf(b, "<td data-stat=\"second\">%s</td>", v);
	impact_fmt_signed(v, sizeof(v), w->lang, g->mean_change);
	buf_printf(b, "<td data-stat=\"change\">%s</td>", v);
	impact_fmt_ci(v, sizeof(v), w->lang, g->ci_lo, g->ci_hi);
	buf_printf(b, "<td data-stat=\"ci\">%s</td>", v);
	impact_fmt_gain(v, sizeof(v), w->lang, g->gain);
	buf_printf(b, "<td data-stat=\"gain\">%s</td>", v);
	impact_fmt_gain(v, sizeof(v), w->lang, g->gain_mean);
	buf_printf(b, "<td data-stat=\"gain_mean\">%s</td>", v);
	impact_fmt(days, sizeof(days), w->lang, impact_median_days(s));
	buf_printf(b, "<td data-stat=\"days\">%s</td></tr>", days);
}

/* The results: per group, treated, comparison and their DiD. */
static void
impact_table(struct web *w, const struct impact *im, struct buf *b)
{
	const struct impact_group	*g;
	char			 v[64], n[64];
	size_t			 i;

	buf_puts(b, "<table class=\"table table-sm impact-table\">"
	    "<caption>");
	html_puts(b, i18n_get(w->lang, "impact.table_caption"));
	buf_puts(b, "</caption><thead><tr>");
	page_impact_th(b, "col", i18n_get(w->lang, "impact.col_key"));
	page_impact_th(b, "col", i18n_get(w->lang, "impact.col_group"));
	page_impact_th(b, "col", i18n_get(w->lang, "impact.col_started"));
	page_impact_th(b, "col", i18n_get(w->lang, "impact.col_n"));
	page_impact_th(b, "col", i18n_get(w->lang, "impact.col_first"));
	page_impact_th(b, "col", i18n_get(w->lang, "impact.col_second"));
	page_impact_th(b, "col", i18n_get(w->lang, "impact.col_change"));
	page_impact_th(b, "col", i18n_get(w->lang, "impact.col_ci"));
	page_impact_th(b, "col", i18n_get(w->lang, "impact.col_gain"));
	page_impact_th(b, "col", i18n_get(w->lang, "impact.col_gain_mean"));
	page_impact_th(b, "col", i18n_get(w->lang, "impact.col_days"));
	buf_puts(b, "</tr></thead>");
	for (i = 0; i <= im->n && i <= IMPACT_GROUPS_MAX; i++) {
		g = i < im->n && i < IMPACT_GROUPS_MAX ? &im->g[i] : &im->all;
		buf_printf(b, "<tbody data-key=\"%lld\">", g->key);
		impact_row(w, b, g->label, "impact.treated", &g->t, &g->gt);
		impact_row(w, b, g->label, "impact.comparison", &g->c, &g->gc);
		buf_puts(b, "<tr class=\"did\" data-group=\"did\">");
		page_impact_th(b, "row", g->label);
		page_impact_td(b, NULL, i18n_get(w->lang, "impact.did_row"));
		if (g->has_did) {
			(void)snprintf(n, sizeof(n), "%zu / %zu", g->t.ndid,
			    g->c.ndid);
			buf_printf(b, "<td></td><td data-stat=\"did_n\">%s</td>"
			    "<td></td><td></td>", n);
			impact_fmt_signed(v, sizeof(v), w->lang, g->did.estimate);
			buf_printf(b, "<td data-stat=\"did\">%s</td>", v);
			impact_fmt_ci(v, sizeof(v), w->lang, g->did.lo, g->did.hi);
			buf_printf(b, "<td data-stat=\"did_ci\">%s</td>"
			    "<td colspan=\"3\"></td>", v);
		} else {
			buf_puts(b, "<td colspan=\"9\" class=\"suppressed\" "
			    "data-suppressed=\"1\">");
			html_puts(b, i18n_get(w->lang, "impact.no_did"));
			buf_puts(b, "</td>");
		}
		buf_puts(b, "</tr></tbody>");
		if (g == &im->all)
			break;
	}
	buf_puts(b, "</table>");
}

/* The caveats, with this selection's attrition and exclusions. */
static void
impact_caveats(struct web *w, const struct ifilter *f, const struct impact *im,
    const char *table, struct buf *out)
{
	const struct impact_sample	*t = &im->all.t, *c = &im->all.c;
	struct buf		 q, link;
	char			 att_t[32], att_c[32], st_t[32], st_c[32];
	char			 excl[32], dt[32], dc[32];

	(void)snprintf(att_t, sizeof(att_t), "%zu", t->started - t->n);
	(void)snprintf(att_c, sizeof(att_c), "%zu", c->started - c->n);
	(void)snprintf(st_t, sizeof(st_t), "%zu", t->started);
	(void)snprintf(st_c, sizeof(st_c), "%zu", c->started);
	(void)snprintf(excl, sizeof(excl), "%zu", t->excluded + c->excluded);
	impact_fmt(dt, sizeof(dt), w->lang, t->n >= IMPACT_MIN_N ?
	    impact_median_days(t) : NAN);
	impact_fmt(dc, sizeof(dc), w->lang, c->n >= IMPACT_MIN_N ?
	    impact_median_days(c) : NAN);
	buf_init(&q, 128);
	buf_init(&link, 160);
	impact_query(f, &q);
	buf_printf(&link, "/hr/impact.csv?%s", q.data);
	{
		struct tmpl_arg args[] = {
			T_TEXT("course", f->course_title),
			T_RAW("table", table),
			T_TEXT("csv", link.data),
			T_TEXT("att_t", att_t),
			T_TEXT("att_c", att_c),
			T_TEXT("started_t", st_t),
			T_TEXT("started_c", st_c),
			T_TEXT("excluded", excl),
			T_TEXT("days_t", dt),
			T_TEXT("days_c", dc),
			T_TEXT("query", q.data),
		};

		(void)web_render(w, out, "impact-results", args,
		    T_NARGS(args));
	}
	buf_free(&q);
	buf_free(&link);
}

/* A chart and its table in the page (template impact-chart). */
static void
impact_chart_put(struct web *w, const char *id, const char *key,
    const struct buf *svg, const struct buf *table, struct buf *out)
{
	char	title[64], help[64];

	(void)snprintf(title, sizeof(title), "impact.%s_title", key);
	(void)snprintf(help, sizeof(help), "impact.%s_help", key);
	{
		struct tmpl_arg args[] = {
			T_TEXT("id", id),
			T_TEXT("title", i18n_get(w->lang, title)),
			T_TEXT("help", i18n_get(w->lang, help)),
			T_RAW("svg", svg->data),
			T_RAW("table", table->data),
		};

		(void)web_render(w, out, "impact-chart", args, T_NARGS(args));
	}
}

/*
 * The groups a chart shows: the first IMPACT_CHART_MAX and the total,
 * the total alone when there is one group. NULL past the last.
 */
static const struct impact_group *
impact_chart_group(const struct impact *im, size_t i)
{
	size_t	last = im->n < IMPACT_CHART_MAX ? im->n : IMPACT_CHART_MAX;

	if (i < last)
		return (&im->g[i]);
	if (i == last && im->n != 1)
		return (&im->all);
	return (NULL);
}

/* The distributions of the first and second scores of each group. */
static void
impact_chart_dist(struct web *w, const struct impact *im, struct buf *out)
{
	const struct impact_group	*g;
	const struct impact_sample	*s;
	struct stats_box		*box;
	struct svg_row			*rows;
	struct buf			 svg, table;
	char				**labels, v[64];
	double				*x;
	size_t				 i, k, n, cap;
	const char			*gk;

	cap = (IMPACT_CHART_MAX + 1) * 4;
	labels = xcalloc(cap, sizeof(*labels));
	rows = xcalloc(cap, sizeof(*rows));
	box = xcalloc(cap, sizeof(*box));
	buf_init(&svg, 8192);
	buf_init(&table, 4096);
	n = 0;
	buf_puts(&table, "<table class=\"table table-sm impact-table\">"
	    "<caption>");
	html_puts(&table, i18n_get(w->lang, "impact.dist_caption"));
	buf_puts(&table, "</caption><thead><tr>");
	page_impact_th(&table, "col", i18n_get(w->lang, "impact.col_key"));
	page_impact_th(&table, "col", i18n_get(w->lang, "impact.col_group"));
	page_impact_th(&table, "col", i18n_get(w->lang, "impact.col_test"));
	page_impact_th(&table, "col", i18n_get(w->lang, "impact.col_n"));
	page_impact_th(&table, "col", "min");
	page_impact_th(&table, "col", "Q1");
	page_impact_th(&table, "col", i18n_get(w->lang, "impact.col_median"));
	page_impact_th(&table, "col", "Q3");
	page_impact_th(&table, "col", "max");
	buf_puts(&table, "</tr></thead><tbody>");
	for (i = 0; (g = impact_chart_group(im, i)) != NULL; i++) {
		for (k = 0; k < 4; k++) {
			s = k < 2 ? &g->t : &g->c;
			if (s->n < IMPACT_MIN_N)
				continue;
			gk = k < 2 ? "impact.treated" : "impact.comparison";
			x = xcalloc(s->n, sizeof(*x));
			memcpy(x, k % 2 == 0 ? s->first : s->second,
			    s->n * sizeof(*x));
			stats_box(x, s->n, &box[n]);
			free(x);
			rows[n].kind = (int)(k % 2);
			(void)xasprintf(&labels[n], "%s \xc2\xb7 %s",
			    i18n_get(w->lang, gk), i18n_get(w->lang,
			    k % 2 == 0 ? "impact.first" : "impact.second"));
			rows[n].label = labels[n];
			rows[n].group = g->label;
			buf_puts(&table, "<tr>");
			page_impact_th(&table, "row", g->label);
			page_impact_td(&table, NULL, i18n_get(w->lang, gk));
			page_impact_td(&table, NULL, i18n_get(w->lang,
			    k % 2 == 0 ? "impact.first" : "impact.second"));
			(void)snprintf(v, sizeof(v), "%zu", box[n].n);
			page_impact_td(&table, NULL, v);
			page_impact_td(&table, NULL, impact_fmt(v, sizeof(v),
			    w->lang, box[n].min));
			page_impact_td(&table, NULL, impact_fmt(v, sizeof(v),
			    w->lang, box[n].q1));
			page_impact_td(&table, NULL, impact_fmt(v, sizeof(v),
			    w->lang, box[n].median));
			page_impact_td(&table, NULL, impact_fmt(v, sizeof(v),
			    w->lang, box[n].q3));
			page_impact_td(&table, NULL, impact_fmt(v, sizeof(v),
			    w->lang, box[n].max));
			buf_puts(&table, "</tr>");
			n++;
		}
	}
	buf_puts(&table, "</tbody></table>");
	if (n > 0) {
		svg_boxes(&svg, w->lang, "impact-dist", i18n_get(w->lang,
		    "impact.dist_title"), i18n_get(w->lang,
		    "impact.dist_desc"), rows, box, n);
		impact_chart_put(w, "impact-dist", "dist", &svg, &table, out);
	}
	for (i = 0; i < n; i++)
		free(labels[i]);
	free(labels);
	free(rows);
	free(box);
	buf_free(&svg);
	buf_free(&table);
}

/* The mean changes and DiDs of each group with their intervals. */
static void
impact_chart_gain(struct web *w, const struct impact *im, struct buf *out)
{
	const struct impact_group	*g;
	const struct stats_group	*sg;
	struct svg_row			*rows;
	struct svg_interval		*iv;
	struct buf			 svg, table;
	char				 v[64];
	size_t				 i, k, m, cap;
	const char			*gk;

	cap = (IMPACT_CHART_MAX + 1) * 4;
	rows = xcalloc(cap, sizeof(*rows));
	iv = xcalloc(cap, sizeof(*iv));
	buf_init(&svg, 8192);
	buf_init(&table, 4096);
	m = 0;
	buf_puts(&table, "<table class=\"table table-sm impact-table\">"
	    "<caption>");
	html_puts(&table, i18n_get(w->lang, "impact.gain_caption"));
	buf_puts(&table, "</caption><thead><tr>");
	page_impact_th(&table, "col", i18n_get(w->lang, "impact.col_key"));
	page_impact_th(&table, "col", i18n_get(w->lang, "impact.col_estimate"));
	page_impact_th(&table, "col", i18n_get(w->lang, "impact.col_value"));
	page_impact_th(&table, "col", i18n_get(w->lang, "impact.col_lo"));
	page_impact_th(&table, "col", i18n_get(w->lang, "impact.col_hi"));
	buf_puts(&table, "</tr></thead><tbody>");
	for (i = 0; (g = impact_chart_group(im, i)) != NULL; i++) {
		for (k = 0; k < 3; k++) {
			sg = k == 0 ? &g->gt : &g->gc;
			if (k < 2 && (sg->n < IMPACT_MIN_N ||
			    isnan(sg->ci_lo)))
				continue;
			if (k == 2 && !g->has_did)
				continue;
			gk = k == 0 ? "impact.treated" : k == 1 ?
			    "impact.comparison" : "impact.did";
			rows[m].kind = (int)k;
			iv[m].est = k < 2 ? sg->mean_change : g->did.estimate;
			iv[m].lo = k < 2 ? sg->ci_lo : g->did.lo;
			iv[m].hi = k < 2 ? sg->ci_hi : g->did.hi;
			rows[m].label = i18n_get(w->lang, gk);
			rows[m].group = g->label;
			buf_puts(&table, "<tr>");
			page_impact_th(&table, "row", g->label);
			page_impact_td(&table, NULL, i18n_get(w->lang, gk));
			page_impact_td(&table, NULL, impact_fmt_signed(v,
			    sizeof(v), w->lang, iv[m].est));
			page_impact_td(&table, NULL, impact_fmt_signed(v,
			    sizeof(v), w->lang, iv[m].lo));
			page_impact_td(&table, NULL, impact_fmt_signed(v,
			    sizeof(v), w->lang, iv[m].hi));
			buf_puts(&table, "</tr>");
			m++;
		}
	}
	buf_puts(&table, "</tbody></table>");
	if (m > 0) {
		svg_forest(&svg, w->lang, "impact-gain", i18n_get(w->lang,
		    "impact.gain_title"), i18n_get(w->lang,
		    "impact.gain_desc"), rows, iv, m);
		impact_chart_put(w, "impact-gain", "gain", &svg, &table, out);
	}
	free(rows);
	free(iv);
	buf_free(&svg);
	buf_free(&table);
}

/* GET /hr/impact: the impact report. */
int
page_hr_impact(struct http_request *req)
{
	struct web	w;
	struct ifilter	f;
	struct impact	im;
	struct buf	main, filter, body, table;
	long long	num;

	if (web_begin(&w, req) == -1)
		return (KORE_RESULT_OK);
	if (web_arg_num(&w, "edition", 1, WEB_ID_MAX, &num) == -1)
		return (web_error(&w, 400, "error.400.number"));
	if (web_db(&w) == -1 || impact_filter(&w, &f) == -1)
		return (web_db_error(&w));
	if (impact_load(&w, &f, &im) == -1) {
		impact_free(&im);
		return (web_db_error(&w));
	}
	buf_init(&main, 32768);
	buf_init(&filter, 4096);
	buf_init(&body, 16384);
	buf_init(&table, 8192);
	impact_filter_form(&w, &f, &filter);
	if (f.course_id[0] == '\0') {
		buf_puts(&body, "<p>");
		html_puts(&body, i18n_get(w.lang, "impact.no_course"));
		buf_puts(&body, "</p>");
	} else {
		impact_table(&w, &im, &table);
		impact_caveats(&w, &f, &im, table.data, &body);
		impact_chart_dist(&w, &im, &body);
		impact_chart_gain(&w, &im, &body);
	}
	{
		struct tmpl_arg args[] = {
			T_RAW("filter", filter.data),
			T_RAW("body", body.data),
		};

		(void)web_render(&w, &main, "impact-report", args,
		    T_NARGS(args));
	}
	impact_free(&im);
	http_response_header(req, "cache-control", "no-store");
	(void)web_page(&w, 200, i18n_get(w.lang, "impact.title"), main.data);
	buf_free(&main);
	buf_free(&filter);
	buf_free(&body);
	buf_free(&table);
	return (KORE_RESULT_OK);
}

/* One CSV line of a sample: empty numbers when suppressed. */
static void
csv_sample(struct csv_out *c, const char *by, long long key,
    const char *label, const char *group, const struct impact_sample *s,
    const struct stats_group *g)
{
	char		 k[32];
	double		 days;
	int		 i, show = s->n >= IMPACT_MIN_N;

	(void)snprintf(k, sizeof(k), "%lld", key);
	csv_out_text(c, i18n_get(c->lang, strcmp(by, "office") == 0 ?
	    "csv.office" : "csv.edition"));
	csv_out_num(c, k);
	csv_out_text(c, label);
	csv_out_text(c, i18n_get(c->lang, strcmp(group, "treated") == 0 ?
	    "csv.treated" : "csv.comparison"));
	if (!show) {
		for (i = 0; i < 16; i++)
			csv_out_text(c, "");
		csv_out_bool(c, 1);
		csv_out_end(c);
		return;
	}
	days = impact_median_days(s);
	csv_out_double(c, (double)s->started, 0);
	csv_out_double(c, (double)s->excluded, 0);
	csv_out_double(c, (double)s->n, 0);
	csv_out_double(c, (double)(s->started - s->n), 0);
	csv_out_double(c, g->mean_first, 4);
	csv_out_double(c, g->mean_second, 4);
	csv_out_double(c, g->mean_change, 4);
	csv_out_double(c, g->ci_lo, 4);
	csv_out_double(c, g->ci_hi, 4);
	csv_out_double(c, g->gain, 4);
	csv_out_double(c, g->gain_mean, 4);
	csv_out_double(c, (double)g->n_gain, 0);
	csv_out_double(c, days, 1);
	csv_out_text(c, "");
	csv_out_text(c, "");
	csv_out_text(c, "");
	csv_out_bool(c, 0);
	csv_out_end(c);
}

/*
 * GET /hr/impact.csv: the results table with every group: per group a
 * treated, a comparison and a did line (its n columns: the treated and
 * the comparison people in the DiD); numbers with a dot decimal.
 */
int
page_hr_impact_csv(struct http_request *req)
{
	struct web		 w;
	struct ifilter		 f;
	struct impact		 im;
	struct buf		 out;
	struct csv_out		 c;
	const struct impact_group	*g;
	char			 disp[160], k[32];
	long long		 num;
	size_t			 i;
	int			 j;

	if (web_begin(&w, req) == -1)
		return (KORE_RESULT_OK);
	if (web_arg_num(&w, "edition", 1, WEB_ID_MAX, &num) == -1)
		return (web_error(&w, 400, "error.400.number"));
	if (web_db(&w) == -1 || impact_filter(&w, &f) == -1)
		return (web_db_error(&w));
	if (impact_load(&w, &f, &im) == -1) {
		impact_free(&im);
		return (web_db_error(&w));
	}
	buf_init(&out, 8192);
	csv_out_init(&c, &out, web_csv_lang(&w));
	csv_out_head(&c, "group_by,key,label,group,started,excluded,n,"
	    "attrition,mean_first,mean_second,mean_change,ci_low,ci_high,"
	    "hake_gain,mean_individual_gain,n_individual_gain,median_days,"
	    "did,did_low,did_high,suppressed");
	for (i = 0; i <= im.n; i++) {
		g = i < im.n ? &im.g[i] : &im.all;
		csv_sample(&c, f.by, g->key, g->label, "treated", &g->t,
		    &g->gt);
		csv_sample(&c, f.by, g->key, g->label, "comparison", &g->c,
		    &g->gc);
		/* The did line: its n columns are the DiD's two groups. */
		(void)snprintf(k, sizeof(k), "%lld", g->key);
		csv_out_text(&c, i18n_get(c.lang, strcmp(f.by, "office") ==
		    0 ? "csv.office" : "csv.edition"));
		csv_out_num(&c, k);
		csv_out_text(&c, g->label);
		csv_out_text(&c, i18n_get(c.lang, "csv.did"));
		csv_out_text(&c, "");
		csv_out_text(&c, "");
		csv_out_double(&c, g->has_did ? (double)g->t.ndid : NAN, 0);
		csv_out_double(&c, g->has_did ? (double)g->c.ndid : NAN, 0);
		for (j = 0; j < 9; j++)
			csv_out_text(&c, "");
		csv_out_double(&c, g->has_did ? g->did.estimate : NAN, 4);
		csv_out_double(&c, g->has_did ? g->did.lo : NAN, 4);
		csv_out_double(&c, g->has_did ? g->did.hi : NAN, 4);
		csv_out_bool(&c, !g->has_did);
		csv_out_end(&c);
	}
	impact_free(&im);
	(void)snprintf(disp, sizeof(disp), "capacita-impact-%s.csv",
	    f.course_slug[0] != '\0' ? f.course_slug : "none");
	(void)web_csv(req, disp, 1, &out);
	buf_free(&out);
	web_end(&w);
	return (KORE_RESULT_OK);
}
