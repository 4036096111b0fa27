/*
 * page-bench.c: the governance benchmark (/gov/bench, /gov/bench.csv):
 * regions (or each assessed unit) compared dimension by dimension on
 * the consolidated ratings of a round, next to the previous round's;
 * a chart drawn by svg.c beside a table with the same numbers, the CSV
 * in the Italian dialect (BOM, ';', decimal comma), and for each weak
 * dimension the practice cards and the courses that build it.
 *
 * The number of a region in a dimension is the mean of the consolidated
 * levels of its assessed units (the region itself and its agencies):
 * gov_bench_means() in governance.c.
 */

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "web.h"

struct bench {
	struct gov_model	*m;
	struct gov_round	*rounds;
	size_t			 nrounds;
	size_t			 cur;		/* index in rounds */
	int			 by_unit;
	const char		**dims;		/* codes, model order */
	char			**groups;	/* codes */
	char			**names;	/* their names */
	size_t			 ngroups;
	double			*means;		/* [g * ndims + d] */
	double			*prev;		/* previous round, or -1 */
	size_t			*counts;
};

static int	bench_load(struct web *, struct bench *, struct fail *);
static int	bench_open(struct web *, struct bench *);
static void	bench_free(struct bench *);
static void	bench_weak(struct web *, struct bench *, struct buf *);

static void
bench_free(struct bench *b)
{
	size_t	i;

	for (i = 0; i < b->ngroups; i++) {
		free(b->groups[i]);
		free(b->names[i]);
	}
	gov_model_free(b->m);
	gov_rounds_free(b->rounds, b->nrounds);
	free(b->dims);
	free(b->groups);
	free(b->names);
	free(b->means);
	free(b->prev);
	free(b->counts);
}

/*
 * The chosen round and grouping, its rows and the previous round's,
 * and the means of both: 0, or -1 and f (FAIL_NOTFOUND gov.no_round:
 * no model or no round, nothing to compare).
 */
static int
bench_load(struct web *w, struct bench *b, struct fail *f)
{
	struct gov_bench_row	*rows, *prows;
	const char		*v;
	size_t			 n, pn, i, j, *pc;

	memset(b, 0, sizeof(*b));
	if ((b->m = gov_model_load(&w->db, f)) == NULL)
		return (f->kind == FAIL_NOTFOUND ? fail_set(f, FAIL_NOTFOUND,
		    "gov.no_round", NULL) : -1);
	if (gov_rounds_list(&w->db, &b->rounds, &b->nrounds, f) == -1)
		return (-1);
	if (b->nrounds == 0)
		return (fail_set(f, FAIL_NOTFOUND, "gov.no_round", NULL));
	if ((v = web_arg(w, "round")) != NULL) {
		for (i = 0; i < b->nrounds; i++) {
			if (b->rounds[i].id == atoll(v))
				b->cur = i;
		}
	}
	b->by_unit = (v = web_arg(w, "by")) != NULL && strcmp(v, "unit") == 0;
	if (gov_bench_rows(&w->db, b->rounds[b->cur].id, &rows, &n, f) == -1)
		return (-1);
	pn = 0;
	prows = NULL;
	if (b->cur + 1 < b->nrounds && gov_bench_rows(&w->db,
	    b->rounds[b->cur + 1].id, &prows, &pn, f) == -1) {
		gov_bench_free(rows, n);
		return (-1);
	}
	b->dims = xcalloc(b->m->ndims + 1, sizeof(*b->dims));
	for (i = 0; i < b->m->ndims; i++)
		b->dims[i] = b->m->dims[i].code;
	b->groups = xcalloc(n + 1, sizeof(*b->groups));
	b->names = xcalloc(n + 1, sizeof(*b->names));
	for (i = 0; i < n; i++) {
		v = b->by_unit ? rows[i].org : rows[i].region;
		for (j = 0; j < b->ngroups; j++) {
			if (strcmp(b->groups[j], v) == 0)
				break;
		}
		if (j < b->ngroups)
			continue;
		b->groups[b->ngroups] = xstrdup(v);
		b->names[b->ngroups++] = xstrdup(b->by_unit ?
		    rows[i].org_name : rows[i].region_name);
	}
	b->means = xcalloc(b->ngroups * b->m->ndims + 1, sizeof(double));
	b->prev = xcalloc(b->ngroups * b->m->ndims + 1, sizeof(double));
	b->counts = xcalloc(b->ngroups * b->m->ndims + 1, sizeof(size_t));
	pc = xcalloc(b->ngroups * b->m->ndims + 1, sizeof(size_t));
	gov_bench_means(rows, n, (const char *const *)b->groups, b->ngroups,
	    b->dims, b->m->ndims, b->by_unit, b->means, b->counts);
	gov_bench_means(prows, pn, (const char *const *)b->groups,
	    b->ngroups, b->dims, b->m->ndims, b->by_unit, b->prev, pc);
	free(pc);
	gov_bench_free(prows, pn);
	gov_bench_free(rows, n);
	return (0);
}

/*
 * The round the request names, loaded into b; -1 once the page has been
 * answered instead (a bad round number, no round to compare, no database).
 */
static int
bench_open(struct web *w, struct bench *b)
{
	struct fail	 f;
	long long	 num;

	if (web_arg_num(w, "round", 1, WEB_ID_MAX, &num) == -1) {
		(void)web_error(w, 400, "error.400.number");
		return (-1);
	}
	fail_clear(&f);
	if (bench_load(w, b, &f) == -1) {
		bench_free(b);
		(void)web_fail(w, &f);
		return (-1);
	}
	return (0);
}

/*
 * The courses that train dimension d, as gov-course-link items in out
 * (emptied first); page-assess.c shows them under weak ratings.
 */
void
gov_course_links(struct web *w, const struct gov_dimension *d,
    struct buf *out)
{
	struct buf	 list;
	char		*line, *next, *tab;

	buf_reset(out);
	buf_init(&list, 512);
	(void)gov_courses(&w->db, d, &list, NULL);
	for (line = list.data; line != NULL && *line != '\0'; line = next) {
		if ((next = strchr(line, '\n')) != NULL)
			*next++ = '\0';
		if ((tab = strchr(line, '\t')) == NULL)
			continue;
		*tab++ = '\0';
		{
			struct tmpl_arg args[] = {
				T_TEXT("slug", line),
				T_TEXT("title", tab),
			};

			(void)web_render(w, out, "gov-course-link", args,
			    T_NARGS(args));
		}
	}
	buf_free(&list);
}

/* Each dimension weak somewhere: where, and what helps. */
static void
bench_weak(struct web *w, struct bench *b, struct buf *out)
{
	struct buf	 units, courses;
	char		 v[16];
	size_t		 d, g;

	buf_init(&units, 256);
	buf_init(&courses, 512);
	for (d = 0; d < b->m->ndims; d++) {
		buf_reset(&units);
		for (g = 0; g < b->ngroups; g++) {
			if (b->means[g * b->m->ndims + d] < 0 ||
			    b->means[g * b->m->ndims + d] >= GOV_WEAK)
				continue;
			gov_fmt_lang(v, sizeof(v), b->means[g * b->m->ndims +
			    d], w->lang);
			buf_printf(&units, "%s%s (%s)", units.len > 0 ? ", " :
			    "", b->names[g], v);
		}
		if (units.len == 0)
			continue;
		gov_course_links(w, &b->m->dims[d], &courses);
		{
			struct tmpl_arg args[] = {
				T_TEXT("code", b->m->dims[d].code),
				T_TEXT("name", b->m->dims[d].name[w->lang]),
				T_TEXT("units", units.data),
				T_RAW("courses", courses.data),
			};

			(void)web_render(w, out, "gov-weak-item", args,
			    T_NARGS(args));
		}
	}
	if (out->len == 0) {
		struct tmpl_arg args[] = {
			T_TEXT("kind", "info"),
			T_TEXT("text", i18n_get(w->lang, "gov.no_weak")),
		};

		(void)web_render(w, out, "alert", args, T_NARGS(args));
	}
	buf_free(&units);
	buf_free(&courses);
}

int
page_gov_bench(struct http_request *req)
{
	struct bench	 b;
	struct web	 w;
	struct buf	 main, chart, heads, rows, cells, opts, weak, text;
	const char	**labels;
	char		 id[32], v[16], p[16], desc[256];
	size_t		 d, g, i, nd;

	if (web_begin(&w, req) == -1)
		return (KORE_RESULT_OK);
	if (bench_open(&w, &b) == -1)
		return (KORE_RESULT_OK);
	nd = b.m->ndims;
	buf_init(&main, 32768);
	buf_init(&chart, 16384);
	buf_init(&heads, 1024);
	buf_init(&rows, 4096);
	buf_init(&cells, 1024);
	buf_init(&opts, 1024);
	buf_init(&weak, 2048);
	buf_init(&text, 64);
	labels = xcalloc(nd + 1, sizeof(*labels));
	for (d = 0; d < nd; d++) {
		labels[d] = b.m->dims[d].name[w.lang];
		{
			struct tmpl_arg args[] = {
				T_TEXT("code", b.m->dims[d].code),
				T_TEXT("title", b.m->dims[d].name[w.lang]),
			};

			(void)web_render(&w, &heads, "gov-th", args,
			    T_NARGS(args));
		}
	}
	/* The chart: per dimension, one bar per region or unit. */
	{
		double	*byd;

		byd = xcalloc(nd * b.ngroups + 1, sizeof(*byd));
		for (d = 0; d < nd; d++)
			for (g = 0; g < b.ngroups; g++)
				byd[d * b.ngroups + g] = b.means[g * nd + d];
		(void)snprintf(desc, sizeof(desc), "%s %s",
		    i18n_get(w.lang, "gov.bench_desc"),
		    b.rounds[b.cur].name);
		svg_grouped_bars(&chart, "benchchart", i18n_get(w.lang,
		    "gov.bench_chart"), desc, labels, nd,
		    (const char *const *)b.names, b.ngroups, byd,
		    (double)b.m->nlevels, GOV_WEAK, w.lang == LANG_IT ? ',' :
		    '.');
		free(byd);
	}
	for (g = 0; g < b.ngroups; g++) {
		buf_reset(&cells);
		for (d = 0; d < nd; d++) {
			gov_fmt_lang(v, sizeof(v), b.means[g * nd + d], w.lang);
			gov_fmt_lang(p, sizeof(p), b.prev[g * nd + d], w.lang);
			buf_reset(&text);
			buf_puts(&text, v);
			if (b.prev[g * nd + d] >= 0)
				buf_printf(&text, " (%s)", p);
			{
				struct tmpl_arg args[] = {
					T_TEXT("code", b.m->dims[d].code),
					T_TEXT("value", v),
					T_TEXT("text", text.data),
				};

				(void)web_render(&w, &cells, "gov-td", args,
				    T_NARGS(args));
			}
		}
		{
			struct tmpl_arg args[] = {
				T_TEXT("unit", b.groups[g]),
				T_TEXT("name", b.names[g]),
				T_RAW("cells", cells.data),
			};

			(void)web_render(&w, &rows, "gov-tr", args,
			    T_NARGS(args));
		}
	}
	for (i = 0; i < b.nrounds; i++) {
		(void)snprintf(id, sizeof(id), "%lld", b.rounds[i].id);
		(void)web_option(&w, &opts, id, b.rounds[i].name, i == b.cur);
	}
	buf_reset(&text);
	(void)web_option(&w, &text, "region", i18n_get(w.lang,
	    "gov.by_region"), !b.by_unit);
	(void)web_option(&w, &text, "unit", i18n_get(w.lang, "gov.by_unit"),
	    b.by_unit);
	bench_weak(&w, &b, &weak);
	(void)snprintf(id, sizeof(id), "%lld", b.rounds[b.cur].id);
	{
		struct tmpl_arg args[] = {
			T_RAW("rounds", opts.data),
			T_RAW("bys", text.data),
			T_TEXT("round", id),
			T_TEXT("by", b.by_unit ? "unit" : "region"),
			T_TEXT("round_name", b.rounds[b.cur].name),
			T_RAW("chart", chart.data),
			T_RAW("heads", heads.data),
			T_RAW("rows", rows.data),
			T_RAW("weak", weak.data),
		};

		(void)web_render(&w, &main, "gov-bench", args, T_NARGS(args));
	}
	(void)web_page(&w, 200, i18n_get(w.lang, "gov.bench_title"),
	    main.data);
	free(labels);
	bench_free(&b);
	buf_free(&main);
	buf_free(&chart);
	buf_free(&heads);
	buf_free(&rows);
	buf_free(&cells);
	buf_free(&opts);
	buf_free(&weak);
	buf_free(&text);
	return (KORE_RESULT_OK);
}

/* The same numbers as CSV for Italian spreadsheets. */
int
page_gov_bench_csv(struct http_request *req)
{
	struct bench	 b;
	struct csv_out	 c;
	struct web	 w;
	struct buf	 out;
	char		 name[64];
	size_t		 d, g, nd;

	if (web_begin(&w, req) == -1)
		return (KORE_RESULT_OK);
	if (bench_open(&w, &b) == -1)
		return (KORE_RESULT_OK);
	nd = b.m->ndims;
	buf_init(&out, 8192);
	csv_out_init(&c, &out, web_csv_lang(&w));
	csv_out_head(&c, "round,unit,dimension,mean,ratings,"
	    "mean_previous_round");
	for (g = 0; g < b.ngroups; g++) {
		for (d = 0; d < nd; d++) {
			csv_out_text(&c, b.rounds[b.cur].code);
			csv_out_text(&c, b.names[g]);
			csv_out_text(&c, b.m->dims[d].code);
			csv_out_double(&c, b.means[g * nd + d] < 0 ? NAN :
			    b.means[g * nd + d], 1);
			csv_out_double(&c, (double)b.counts[g * nd + d], 0);
			csv_out_double(&c, b.prev[g * nd + d] < 0 ? NAN :
			    b.prev[g * nd + d], 1);
			csv_out_end(&c);
		}
	}
	(void)snprintf(name, sizeof(name), "capacita-benchmark-%s.csv",
	    b.rounds[b.cur].code);
	(void)web_csv(req, name, 1, &out);
	bench_free(&b);
	buf_free(&out);
	web_end(&w);
	return (KORE_RESULT_OK);
}
