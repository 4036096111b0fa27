/*
 * page-impact.c: the impact report (README.md, "Impact evaluation"):
 * /hr/impact(.csv): per course, edition or office: n, means before and
 * after, the mean change with its t interval, Hake's gain, the
 * difference in differences with a bootstrap interval (impact.c,
 * stats.c), small groups suppressed, the caveats next to the numbers,
 * and two SVG charts (svg.c) with their tables. Also the scope and the
 * small templates the HR impact pages share (page-edition.c,
 * page-funder.c). /api/xapi/statements is in page-xapi.c.
 *
 * HR offices see their subtree only; administrators see everything.
 */

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "web.h"

#define IMPACT_GROUPS_MAX	40	/* groups in the page's tables */
#define IMPACT_CHART_MAX	12	/* groups drawn in a chart */

static int	impact_load(struct web *, struct impact_filter *,
		    struct impact *, struct fail *);
static void	impact_query(const struct impact_filter *, struct buf *);
static int	impact_filter_form(struct web *, const struct impact_filter *,
		    struct buf *, struct fail *);
static void	impact_table(struct web *, const struct impact *,
		    struct buf *);
static void	impact_row(struct web *, struct buf *, const char *,
		    const char *, const struct impact_sample *,
		    const struct stats_group *);
static void	impact_did(struct web *, struct buf *,
		    const struct impact_group *);
static void	impact_caveats(struct web *, const struct impact_filter *,
		    const struct impact *, const char *, struct buf *);
static void	impact_chart_put(struct web *, const char *, const char *,
		    const struct buf *, const struct buf *, struct buf *);
static const struct impact_group *impact_chart_group(const struct impact *,
		    size_t);
static void	impact_chart_dist(struct web *, const struct impact *,
		    struct buf *);
static void	impact_chart_gain(struct web *, const struct impact *,
		    struct buf *);
static int	impact_placement(struct web *, const struct impact_filter *,
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

/* A small template with one or two text holes (k2 NULL: one). */
void
page_impact_put(struct web *w, struct buf *out, const char *name,
    const char *k1, const char *v1, const char *k2, const char *v2)
{
	struct tmpl_arg args[] = {
		T_TEXT(k1, v1),
		T_TEXT(k2 != NULL ? k2 : "", v2 != NULL ? v2 : ""),
	};

	(void)web_render(w, out, name, args, k2 != NULL ? 2 : 1);
}

/*
 * The report's selection from the request: the course (by default the
 * first with a pool), a unit, an edition and the grouping; and its
 * people into im (impact_init'ed), grouped and computed.
 */
static int
impact_load(struct web *w, struct impact_filter *f, struct impact *im,
    struct fail *fl)
{
	memset(f, 0, sizeof(*f));
	f->scope = page_impact_scope(w);
	f->org = web_arg(w, "org") != NULL ? web_arg(w, "org") : "";
	f->edition = web_arg(w, "edition") != NULL ? web_arg(w, "edition") :
	    "";
	f->by = web_arg(w, "by") != NULL ? web_arg(w, "by") : "edition";
	if (store_impact_course(&w->db, web_arg(w, "course"), f, fl) == -1)
		return (-1);
	return (store_impact_people(&w->db, f, i18n_get(w->lang,
	    "impact.no_edition"), im, fl));
}

/* The filter as a query string (for the CSV link). */
static void
impact_query(const struct impact_filter *f, struct buf *b)
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

/* A template with one hole of HTML already escaped (rows). */
void
page_impact_raw(struct web *w, struct buf *out, const char *name,
    const char *key, const char *html)
{
	struct tmpl_arg args[] = {
		T_RAW(key, html),
	};

	(void)web_render(w, out, name, args, T_NARGS(args));
}

/* Options, the one valued selected marked; units indented by kind. */
void
page_impact_options(struct web *w, const struct edition_opts *o,
    const char *selected, int indent, struct buf *out)
{
	struct buf	label;
	size_t		i;

	buf_init(&label, 128);
	for (i = 0; i < o->n; i++) {
		buf_reset(&label);
		if (indent && strcmp(o->o[i].extra, "agency") == 0)
			buf_puts(&label, "\xe2\x80\x83");
		else if (indent && strcmp(o->o[i].extra, "office") == 0)
			buf_puts(&label, "\xe2\x80\x83\xe2\x80\x83");
		buf_puts(&label, o->o[i].label);
		(void)web_option(w, out, o->o[i].value, label.data,
		    strcmp(selected, o->o[i].value) == 0);
	}
	buf_free(&label);
}

static int
impact_filter_form(struct web *w, const struct impact_filter *f,
    struct buf *out, struct fail *fl)
{
	struct edition_opts	 courses, orgs, eds;
	struct buf		 ocourses, oorgs, oeds, bys;
	static const char	*byv[] = { "edition", "office" };
	char			 key[32];
	int			 i, rc;

	memset(&courses, 0, sizeof(courses));
	memset(&orgs, 0, sizeof(orgs));
	memset(&eds, 0, sizeof(eds));
	buf_init(&ocourses, 1024);
	buf_init(&oorgs, 2048);
	buf_init(&oeds, 1024);
	buf_init(&bys, 256);
	rc = -1;
	if (store_edition_opts_courses(&w->db, 1, &courses, fl) == -1 ||
	    store_edition_opts_orgs(&w->db, f->scope, &orgs, fl) == -1 ||
	    store_edition_opts_course(&w->db, f->course_id[0] != '\0' ?
	    f->course_id : "0", &eds, fl) == -1)
		goto out;
	page_impact_options(w, &courses, f->course_slug, 0, &ocourses);
	page_impact_options(w, &orgs, f->org, 1, &oorgs);
	page_impact_options(w, &eds, f->edition, 0, &oeds);
	for (i = 0; i < 2; i++) {
		(void)snprintf(key, sizeof(key), "impact.by_%s", byv[i]);
		(void)web_option(w, &bys, byv[i], i18n_get(w->lang, key),
		    strcmp(f->by, byv[i]) == 0);
	}
	{
		struct tmpl_arg args[] = {
			T_RAW("courses", ocourses.data),
			T_RAW("orgs", oorgs.data),
			T_RAW("editions", oeds.data),
			T_RAW("bys", bys.data),
		};

		(void)web_render(w, out, "impact-filter", args,
		    T_NARGS(args));
	}
	rc = 0;
out:
	store_edition_opts_free(&courses);
	store_edition_opts_free(&orgs);
	store_edition_opts_free(&eds);
	buf_free(&ocourses);
	buf_free(&oorgs);
	buf_free(&oeds);
	buf_free(&bys);
	return (rc);
}

/*
 * One row of the results table: a group (treated or comparison) of a
 * unit or edition; under IMPACT_MIN_N people, nothing but the note.
 */
static void
impact_row(struct web *w, struct buf *b, const char *label,
    const char *group, const struct impact_sample *s,
    const struct stats_group *g)
{
	char	gk[32], started[32], n[32], first[32], second[32];
	char	change[32], ci[64], gain[32], gain_mean[32], days[32];

	(void)snprintf(gk, sizeof(gk), "impact.%s", group);
	if (s->n < IMPACT_MIN_N) {
		struct tmpl_arg args[] = {
			T_TEXT("group", group),
			T_TEXT("label", label),
			T_TEXT("name", i18n_get(w->lang, gk)),
		};

		(void)web_render(w, b, "impact-row-suppressed", args,
		    T_NARGS(args));
		return;
	}
	(void)snprintf(started, sizeof(started), "%zu", s->started);
	(void)snprintf(n, sizeof(n), "%zu", s->n);
	{
		struct tmpl_arg args[] = {
			T_TEXT("group", group),
			T_TEXT("label", label),
			T_TEXT("name", i18n_get(w->lang, gk)),
			T_TEXT("started", started),
			T_TEXT("n", n),
			T_TEXT("first", impact_fmt(first, sizeof(first),
			    w->lang, g->mean_first)),
			T_TEXT("second", impact_fmt(second, sizeof(second),
			    w->lang, g->mean_second)),
			T_TEXT("change", impact_fmt_signed(change,
			    sizeof(change), w->lang, g->mean_change)),
			T_TEXT("ci", impact_fmt_ci(ci, sizeof(ci), w->lang,
			    g->ci_lo, g->ci_hi)),
			T_TEXT("gain", impact_fmt_gain(gain, sizeof(gain),
			    w->lang, g->gain)),
			T_TEXT("gain_mean", impact_fmt_gain(gain_mean,
			    sizeof(gain_mean), w->lang, g->gain_mean)),
			T_TEXT("days", impact_fmt(days, sizeof(days), w->lang,
			    impact_median_days(s))),
		};

		(void)web_render(w, b, "impact-row", args, T_NARGS(args));
	}
}

/* A group's DiD row, or the note that it has none. */
static void
impact_did(struct web *w, struct buf *b, const struct impact_group *g)
{
	char	n[64], did[32], ci[64];

	if (!g->has_did) {
		page_impact_put(w, b, "impact-did-none", "label", g->label,
		    NULL, NULL);
		return;
	}
	(void)snprintf(n, sizeof(n), "%zu / %zu", g->t.ndid, g->c.ndid);
	{
		struct tmpl_arg args[] = {
			T_TEXT("label", g->label),
			T_TEXT("n", n),
			T_TEXT("did", impact_fmt_signed(did, sizeof(did),
			    w->lang, g->did.estimate)),
			T_TEXT("ci", impact_fmt_ci(ci, sizeof(ci), w->lang,
			    g->did.lo, g->did.hi)),
		};

		(void)web_render(w, b, "impact-did", args, T_NARGS(args));
	}
}

/*
 * The results: per group (the first IMPACT_GROUPS_MAX, then the
 * total), treated, comparison and their DiD.
 */
static void
impact_table(struct web *w, const struct impact *im, struct buf *b)
{
	const struct impact_group	*g;
	struct buf			 groups, rows;
	char				 key[32];
	size_t				 i;

	buf_init(&groups, 8192);
	buf_init(&rows, 2048);
	for (i = 0; i <= im->n && i <= IMPACT_GROUPS_MAX; i++) {
		g = i < im->n && i < IMPACT_GROUPS_MAX ? &im->g[i] : &im->all;
		buf_reset(&rows);
		impact_row(w, &rows, g->label, "treated", &g->t, &g->gt);
		impact_row(w, &rows, g->label, "comparison", &g->c, &g->gc);
		impact_did(w, &rows, g);
		(void)snprintf(key, sizeof(key), "%lld", g->key);
		{
			struct tmpl_arg args[] = {
				T_TEXT("key", key),
				T_RAW("rows", rows.data),
			};

			(void)web_render(w, &groups, "impact-group", args,
			    T_NARGS(args));
		}
		if (g == &im->all)
			break;
	}
	page_impact_raw(w, b, "impact-table", "groups", groups.data);
	buf_free(&groups);
	buf_free(&rows);
}

/* The caveats, with this selection's attrition and exclusions. */
static void
impact_caveats(struct web *w, const struct impact_filter *f, const struct impact *im,
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
    const struct buf *svg, const struct buf *rows, struct buf *out)
{
	struct buf	table;
	char		name[64], title[64], help[64];

	(void)snprintf(name, sizeof(name), "impact-%s-table", key);
	(void)snprintf(title, sizeof(title), "impact.%s_title", key);
	(void)snprintf(help, sizeof(help), "impact.%s_help", key);
	buf_init(&table, rows->len + 1024);
	page_impact_raw(w, &table, name, "rows", rows->data);
	{
		struct tmpl_arg args[] = {
			T_TEXT("id", id),
			T_TEXT("title", i18n_get(w->lang, title)),
			T_TEXT("help", i18n_get(w->lang, help)),
			T_RAW("svg", svg->data),
			T_RAW("table", table.data),
		};

		(void)web_render(w, out, "impact-chart", args, T_NARGS(args));
	}
	buf_free(&table);
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
	struct buf			 svg, trows;
	char				**labels, v[6][32];
	double				*x;
	size_t				 i, k, n, cap;

	cap = (IMPACT_CHART_MAX + 1) * 4;
	labels = xcalloc(cap, sizeof(*labels));
	rows = xcalloc(cap, sizeof(*rows));
	box = xcalloc(cap, sizeof(*box));
	buf_init(&svg, 8192);
	buf_init(&trows, 4096);
	n = 0;
	for (i = 0; (g = impact_chart_group(im, i)) != NULL; i++) {
		for (k = 0; k < 4; k++) {
			s = k < 2 ? &g->t : &g->c;
			if (s->n < IMPACT_MIN_N)
				continue;
			x = xcalloc(s->n, sizeof(*x));
			memcpy(x, k % 2 == 0 ? s->first : s->second,
			    s->n * sizeof(*x));
			stats_box(x, s->n, &box[n]);
			free(x);
			rows[n].kind = (int)(k % 2);
			rows[n].group = g->label;
			(void)xasprintf(&labels[n], "%s \xc2\xb7 %s",
			    i18n_get(w->lang, k < 2 ? "impact.treated" :
			    "impact.comparison"), i18n_get(w->lang, k % 2 ==
			    0 ? "impact.first" : "impact.second"));
			rows[n].label = labels[n];
			(void)snprintf(v[0], sizeof(v[0]), "%zu", box[n].n);
			{
				struct tmpl_arg args[] = {
					T_TEXT("label", g->label),
					T_TEXT("group", i18n_get(w->lang, k < 2 ?
					    "impact.treated" :
					    "impact.comparison")),
					T_TEXT("test", i18n_get(w->lang, k % 2 ==
					    0 ? "impact.first" :
					    "impact.second")),
					T_TEXT("n", v[0]),
					T_TEXT("min", impact_fmt(v[1], 32,
					    w->lang, box[n].min)),
					T_TEXT("q1", impact_fmt(v[2], 32,
					    w->lang, box[n].q1)),
					T_TEXT("median", impact_fmt(v[3], 32,
					    w->lang, box[n].median)),
					T_TEXT("q3", impact_fmt(v[4], 32,
					    w->lang, box[n].q3)),
					T_TEXT("max", impact_fmt(v[5], 32,
					    w->lang, box[n].max)),
				};

				(void)web_render(w, &trows, "impact-dist-row",
				    args, T_NARGS(args));
			}
			n++;
		}
	}
	if (n > 0) {
		svg_boxes(&svg, w->lang, "impact-dist", i18n_get(w->lang,
		    "impact.dist_title"), i18n_get(w->lang,
		    "impact.dist_desc"), rows, box, n);
		impact_chart_put(w, "impact-dist", "dist", &svg, &trows, out);
	}
	for (i = 0; i < n; i++)
		free(labels[i]);
	free(labels);
	free(rows);
	free(box);
	buf_free(&svg);
	buf_free(&trows);
}

/* The mean changes and DiDs of each group with their intervals. */
static void
impact_chart_gain(struct web *w, const struct impact *im, struct buf *out)
{
	const struct impact_group	*g;
	const struct stats_group	*sg;
	struct svg_row			*rows;
	struct svg_interval		*iv;
	struct buf			 svg, trows;
	char				 v[3][32];
	size_t				 i, k, m, cap;
	const char			*gk;

	cap = (IMPACT_CHART_MAX + 1) * 4;
	rows = xcalloc(cap, sizeof(*rows));
	iv = xcalloc(cap, sizeof(*iv));
	buf_init(&svg, 8192);
	buf_init(&trows, 4096);
	m = 0;
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
			rows[m].label = i18n_get(w->lang, gk);
			rows[m].group = g->label;
			iv[m].est = k < 2 ? sg->mean_change : g->did.estimate;
			iv[m].lo = k < 2 ? sg->ci_lo : g->did.lo;
			iv[m].hi = k < 2 ? sg->ci_hi : g->did.hi;
			{
				struct tmpl_arg args[] = {
					T_TEXT("label", g->label),
					T_TEXT("estimate", rows[m].label),
					T_TEXT("value", impact_fmt_signed(v[0],
					    32, w->lang, iv[m].est)),
					T_TEXT("lo", impact_fmt_signed(v[1], 32,
					    w->lang, iv[m].lo)),
					T_TEXT("hi", impact_fmt_signed(v[2], 32,
					    w->lang, iv[m].hi)),
				};

				(void)web_render(w, &trows, "impact-gain-row",
				    args, T_NARGS(args));
			}
			m++;
		}
	}
	if (m > 0) {
		svg_forest(&svg, w->lang, "impact-gain", i18n_get(w->lang,
		    "impact.gain_title"), i18n_get(w->lang,
		    "impact.gain_desc"), rows, iv, m);
		impact_chart_put(w, "impact-gain", "gain", &svg, &trows, out);
	}
	free(rows);
	free(iv);
	buf_free(&svg);
	buf_free(&trows);
}

/*
 * The placement test's pre/post pairs in the report's subtree: per
 * competence, the people with a first test and a final check (under
 * IMPACT_MIN_N, nothing but the note).
 */
static int
impact_placement(struct web *w, const struct impact_filter *f,
    struct buf *out)
{
	struct placement_gain	*g;
	struct buf		 rows, table;
	char			 num[7][32];
	size_t			 i, n;

	if (placement_gains(&w->db, f->scope, f->org, &g, &n, NULL) == -1)
		return (-1);
	buf_init(&rows, 2048);
	buf_init(&table, 4096);
	for (i = 0; i < n; i++) {
		if (g[i].n < IMPACT_MIN_N) {
			struct tmpl_arg args[] = {
				T_TEXT("code", g[i].code),
				T_TEXT("name", g[i].name),
			};

			(void)web_render(w, &rows,
			    "impact-placement-suppressed", args,
			    T_NARGS(args));
			continue;
		}
		(void)snprintf(num[0], sizeof(num[0]), "%d", g[i].n);
		(void)snprintf(num[1], sizeof(num[1]), "%d", g[i].up);
		(void)snprintf(num[2], sizeof(num[2]), "%d", g[i].same);
		(void)snprintf(num[3], sizeof(num[3]), "%d", g[i].down);
		{
			struct tmpl_arg args[] = {
				T_TEXT("code", g[i].code),
				T_TEXT("name", g[i].name),
				T_TEXT("n", num[0]),
				T_TEXT("first", impact_fmt(num[4],
				    sizeof(num[4]), w->lang, g[i].first)),
				T_TEXT("final", impact_fmt(num[5],
				    sizeof(num[5]), w->lang, g[i].final)),
				T_TEXT("change", impact_fmt_signed(num[6],
				    sizeof(num[6]), w->lang, g[i].final -
				    g[i].first)),
				T_TEXT("up", num[1]),
				T_TEXT("same", num[2]),
				T_TEXT("down", num[3]),
			};

			(void)web_render(w, &rows, "impact-placement-row",
			    args, T_NARGS(args));
		}
	}
	if (n > 0) {
		struct tmpl_arg args[] = {
			T_RAW("rows", rows.data),
		};

		(void)web_render(w, &table, "impact-placement-table", args,
		    T_NARGS(args));
	} else
		(void)web_render(w, &table, "impact-placement-none", NULL, 0);
	{
		struct tmpl_arg args[] = {
			T_RAW("table", table.data),
		};

		(void)web_render(w, out, "impact-placement", args,
		    T_NARGS(args));
	}
	free(g);
	buf_free(&rows);
	buf_free(&table);
	return (0);
}

/* GET /hr/impact: the impact report. */
int
page_hr_impact(struct http_request *req)
{
	struct web		w;
	struct impact_filter	f;
	struct fail		fl;
	struct impact		im;
	struct buf		main, filter, body, table;
	long long		num;
	int			rc;

	if (web_begin(&w, req) == -1)
		return (KORE_RESULT_OK);
	impact_init(&im, i18n_get(w.lang, "impact.all"));
	buf_init(&main, 32768);
	buf_init(&filter, 4096);
	buf_init(&body, 16384);
	buf_init(&table, 8192);
	if (web_arg_num(&w, "edition", 1, WEB_ID_MAX, &num) == -1) {
		rc = web_error(&w, 400, "error.400.number");
		goto out;
	}
	if (web_db(&w) == -1) {
		rc = web_db_error(&w);
		goto out;
	}
	if (impact_load(&w, &f, &im, &fl) == -1 ||
	    impact_filter_form(&w, &f, &filter, &fl) == -1) {
		rc = web_fail(&w, &fl);
		goto out;
	}
	if (f.course_id[0] == '\0')
		(void)web_render(&w, &body, "impact-no-course", NULL, 0);
	else {
		impact_table(&w, &im, &table);
		impact_caveats(&w, &f, &im, table.data, &body);
		impact_chart_dist(&w, &im, &body);
		impact_chart_gain(&w, &im, &body);
	}
	if (impact_placement(&w, &f, &body) == -1) {
		(void)db_fail(&w.db, &fl);
		rc = web_fail(&w, &fl);
		goto out;
	}
	{
		struct tmpl_arg args[] = {
			T_RAW("filter", filter.data),
			T_RAW("body", body.data),
		};

		(void)web_render(&w, &main, "impact-report", args,
		    T_NARGS(args));
	}
	http_response_header(req, "cache-control", "no-store");
	rc = web_page(&w, 200, i18n_get(w.lang, "impact.title"), main.data);
out:
	impact_free(&im);
	buf_free(&main);
	buf_free(&filter);
	buf_free(&body);
	buf_free(&table);
	return (rc);
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
	struct impact_filter	 f;
	struct fail		 fl;
	struct impact		 im;
	struct buf		 out;
	struct csv_out		 c;
	const struct impact_group	*g;
	char			 disp[160], k[32];
	long long		 num;
	size_t			 i;
	int			 j, rc;

	if (web_begin(&w, req) == -1)
		return (KORE_RESULT_OK);
	impact_init(&im, i18n_get(w.lang, "impact.all"));
	buf_init(&out, 8192);
	if (web_arg_num(&w, "edition", 1, WEB_ID_MAX, &num) == -1) {
		rc = web_error(&w, 400, "error.400.number");
		goto out;
	}
	if (web_db(&w) == -1) {
		rc = web_db_error(&w);
		goto out;
	}
	if (impact_load(&w, &f, &im, &fl) == -1) {
		rc = web_fail(&w, &fl);
		goto out;
	}
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
	(void)snprintf(disp, sizeof(disp), "capacita-impact-%s.csv",
	    f.course_slug[0] != '\0' ? f.course_slug : "none");
	(void)web_csv(req, disp, 1, &out);
	web_end(&w);
	rc = KORE_RESULT_OK;
out:
	impact_free(&im);
	buf_free(&out);
	return (rc);
}
