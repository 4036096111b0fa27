/*
 * test-impact.c: the impact report's grouping and numbers (impact.c)
 * and its two charts (svg.c's box plots and interval chart).
 */

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "capacita.h"
#include "harness.h"

static void	test_groups(void);
static void	test_did(void);
static void	test_funder(void);
static void	test_fmt(void);
static void	test_boxes(void);
static void	test_forest(void);

static void
person(struct impact *im, long long key, const char *label, int comp,
    double first, double second, int excluded, int matched)
{
	struct impact_person	p;

	p.key = key;
	p.label = label;
	p.comparison = comp;
	p.first = first;
	p.second = second;
	p.days = first / 10;
	p.excluded = excluded;
	p.matched = matched;
	impact_add(im, &p);
}

/* People into groups in their first order, the total counting all. */
static void
test_groups(void)
{
	struct impact	im;
	int		i;

	impact_init(&im, "Tutti");
	CHECK(im.n == 0);
	CHECK(im.all.key == -1);
	CHECK_STR(im.all.label, "Tutti");
	for (i = 0; i < 6; i++)
		person(&im, 7, "ED-B", 0, 40 + i, 60 + i, 0, 0);
	person(&im, 3, "ED-A", 0, 50, NAN, 0, 0);	/* started only */
	person(&im, 3, "ED-A", 0, 50, 70, 1, 0);	/* excluded */
	person(&im, 3, "ED-A", 1, 30, 35, 0, 0);
	CHECK(im.n == 2);
	CHECK(im.g[0].key == 7 && strcmp(im.g[0].label, "ED-B") == 0);
	CHECK(im.g[1].key == 3);
	CHECK(im.g[0].t.n == 6 && im.g[0].t.started == 6);
	CHECK(im.g[1].t.n == 0 && im.g[1].t.started == 1);
	CHECK(im.g[1].t.excluded == 1);
	CHECK(im.g[1].c.n == 1);
	CHECK(im.all.t.n == 6 && im.all.t.started == 7);
	CHECK(im.all.t.excluded == 1 && im.all.c.n == 1);
	impact_compute(&im);
	CHECK(fabs(im.g[0].gt.mean_change - 20) < 1e-9);
	CHECK(fabs(im.g[0].gt.mean_first - 42.5) < 1e-9);
	CHECK(!im.g[0].has_did);
	/* The median of the days: 4.0 .. 4.5 in steps of 0.1. */
	CHECK(fabs(impact_median_days(&im.g[0].t) - 4.25) < 1e-9);
	CHECK(isnan(impact_median_days(&im.g[1].t)));
	CHECK(impact_find(&im, 3, "ED-A") == &im.g[1]);
	CHECK(impact_find(&im, 3, "ED-B") == NULL);
	CHECK(impact_find(&im, 9, "ED-A") == NULL);
	impact_free(&im);
	CHECK(im.n == 0 && im.g == NULL);
}

/* The DiD needs IMPACT_MIN_N matched people on each side. */
static void
test_did(void)
{
	struct impact	im;
	int		i;

	impact_init(&im, "All");
	for (i = 0; i < IMPACT_MIN_N; i++) {
		person(&im, 1, "T", 0, 40, 60 + i, 0, 1);
		person(&im, 1, "T", 1, 40, 45 + i, 0, 1);
	}
	person(&im, 2, "U", 0, 40, 60, 0, 1);
	impact_compute(&im);
	CHECK(im.g[0].t.ndid == IMPACT_MIN_N && im.g[0].c.ndid == IMPACT_MIN_N);
	CHECK(im.g[0].has_did);
	CHECK(fabs(im.g[0].did.estimate - 15) < 1e-9);
	CHECK(im.g[0].did.lo <= 15 && im.g[0].did.hi >= 15);
	CHECK(!im.g[1].has_did);
	CHECK(im.all.t.ndid == IMPACT_MIN_N + 1);
	impact_free(&im);
}

/* The funder's groups: per course and region, and the course's total. */
static void
test_funder(void)
{
	struct impact			 im;
	const struct impact_group	*g;
	char				 out[160];
	int				 i;

	impact_init(&im, "");
	for (i = 0; i < 5; i++)
		impact_funder_add(&im, 10, "101", 50, 70 + i);
	impact_funder_add(&im, 10, "102", 50, 60);
	impact_funder_compute(&im);
	CHECK(im.n == 3);
	g = impact_find(&im, 10, "");
	CHECK(g != NULL && g->t.n == 6);
	g = impact_find(&im, 10, "101");
	CHECK(g != NULL && g->t.n == 5);
	CHECK(fabs(g->gt.mean_change - 22) < 1e-9);
	CHECK_STR(impact_fmt_funder(out, sizeof(out), LANG_IT, NULL),
	    "\xe2\x80\x94");
	CHECK_STR(impact_fmt_funder(out, sizeof(out), LANG_IT,
	    impact_find(&im, 10, "102")), "n < 5");
	(void)impact_fmt_funder(out, sizeof(out), LANG_IT, g);
	CHECK(strncmp(out, "+22,0 [", 7) == 0);
	CHECK_HAS(out, "(n 5, g 0,44)");
	(void)impact_fmt_funder(out, sizeof(out), LANG_EN, g);
	CHECK_HAS(out, "+22.0 [");
	impact_free(&im);
}

static void
test_fmt(void)
{
	char	b[64];

	CHECK_STR(impact_fmt(b, sizeof(b), LANG_IT, 12.34), "12,3");
	CHECK_STR(impact_fmt(b, sizeof(b), LANG_EN, 12.34), "12.3");
	CHECK_STR(impact_fmt(b, sizeof(b), LANG_IT, NAN), "-");
	CHECK_STR(impact_fmt_signed(b, sizeof(b), LANG_IT, 2.5), "+2,5");
	CHECK_STR(impact_fmt_signed(b, sizeof(b), LANG_IT, NAN), "-");
	CHECK_STR(impact_fmt_ci(b, sizeof(b), LANG_IT, -1.5, 3), "[-1,5; +3,0]");
	CHECK_STR(impact_fmt_ci(b, sizeof(b), LANG_EN, 1, NAN), "-");
	CHECK_STR(impact_fmt_gain(b, sizeof(b), LANG_IT, 0.456), "0,46");
	CHECK_STR(impact_fmt_gain(b, sizeof(b), LANG_EN, NAN), "-");
}

/* Box plots: one box per row, the labels escaped and cut to fit. */
static void
test_boxes(void)
{
	struct buf		b;
	struct svg_row		rows[2];
	struct stats_box	box[2];
	char			 longname[200];

	memset(longname, 0, sizeof(longname));
	memset(longname, 'x', 60);
	memcpy(longname, "\xc3\xa0", 2);
	rows[0].group = "A & <B>";
	rows[0].label = "Trattati \xc2\xb7 primo";
	rows[0].kind = 0;
	rows[1].group = longname;
	rows[1].label = "secondo";
	rows[1].kind = 1;
	box[0].n = 6;
	box[0].min = 10;
	box[0].q1 = 20;
	box[0].median = 30;
	box[0].q3 = 40;
	box[0].max = 50;
	box[1] = box[0];
	box[1].median = 42.26;
	buf_init(&b, 4096);
	svg_boxes(&b, LANG_IT, "d", "Titolo", "Descrizione", rows, box, 2);
	CHECK(strncmp(b.data, "<svg ", 5) == 0);
	CHECK_HAS(b.data, "aria-labelledby=\"d-t d-d\"");
	CHECK_HAS(b.data, "<title id=\"d-t\">Titolo</title>");
	CHECK_HAS(b.data, "<desc id=\"d-d\">Descrizione</desc>");
	CHECK_HAS(b.data, "A &amp; &lt;B&gt;");
	CHECK(strstr(b.data, "<B>") == NULL);
	CHECK_HAS(b.data, "Me 30,0 (n 6)");
	CHECK_HAS(b.data, "Me 42,3 (n 6)");
	/* Whisker 10 to 50 on a 400-wide scale from x 300. */
	CHECK_HAS(b.data, "<line x1=\"340.0\" y1=\"45.0\" x2=\"500.0\"");
	CHECK_HAS(b.data, "fill=\"#cce0f5\"");
	/* 43 characters, then the ellipsis. */
	CHECK_HAS(b.data, "\xc3\xa0xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
	    "\xe2\x80\xa6</text>");
	CHECK(strstr(b.data, "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx")
	    == NULL);
	CHECK(strcmp(b.data + b.len - 6, "</svg>") == 0);
	buf_free(&b);
}

/* The interval chart: zero marked, the DiD as a square. */
static void
test_forest(void)
{
	struct buf		b;
	struct svg_row		rows[3];
	struct svg_interval	v[3];

	rows[0].group = rows[1].group = rows[2].group = "ED-1";
	rows[0].label = "Trattati";
	rows[0].kind = 0;
	rows[1].label = "Confronto";
	rows[1].kind = 1;
	rows[2].label = "DiD";
	rows[2].kind = 2;
	v[0].est = 12;
	v[0].lo = 8;
	v[0].hi = 16;
	v[1].est = 2;
	v[1].lo = -3;
	v[1].hi = 7;
	v[2].est = 10;
	v[2].lo = 4.5;
	v[2].hi = 15.5;
	buf_init(&b, 4096);
	svg_forest(&b, LANG_EN, "g", "T", "D", rows, v, 3);
	CHECK_HAS(b.data, "width=\"890\"");
	/* Scale -5 .. +20 in steps of 5; zero drawn darker. */
	CHECK_HAS(b.data, ">-5</text>");
	CHECK_HAS(b.data, ">+20</text>");
	CHECK_HAS(b.data, "stroke=\"#1a1a1a\" stroke-width=\"2\"/>");
	CHECK_HAS(b.data, "+12.0 [+8.0; +16.0]");
	CHECK_HAS(b.data, "+10.0 [+4.5; +15.5]");
	CHECK_HAS(b.data, "<circle cx=\"572.0\"");
	CHECK_HAS(b.data, "<rect x=\"535.0\"");
	CHECK_HAS(b.data, "font-weight=\"bold\">DiD</text>");
	buf_free(&b);
}

int
main(void)
{
	test_groups();
	test_did();
	test_funder();
	test_fmt();
	test_boxes();
	test_forest();
	T_SUMMARY();
}
