/*
 * impact.c: the numbers of the impact and funder's reports (README.md,
 * "Impact evaluation"), from the per-person rows the store reads: the
 * people grouped by edition, office or course and region, each group's
 * summaries and difference in differences (stats.c), and the numbers
 * written for people (one decimal, "-" for none). No I/O.
 */

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "capacita.h"

static void	sample_add(struct impact_sample *, double, double, double,
		    int, int);
static void	sample_free(struct impact_sample *);
static struct impact_group *group_get(struct impact *, long long,
		    const char *);
static void	group_compute(struct impact_group *);

/*
 * A person's two scores into a sample: excluded people are counted,
 * those without a second test count as started only; matched ones (of
 * an edition with a comparison cohort) also enter the DiD.
 */
static void
sample_add(struct impact_sample *s, double first, double second,
    double days, int excluded, int matched)
{
	if (excluded) {
		s->excluded++;
		return;
	}
	s->started++;
	if (isnan(second))
		return;
	if (s->n == s->cap) {
		s->cap = s->cap == 0 ? 16 : s->cap * 2;
		s->first = xreallocarray(s->first, s->cap, sizeof(double));
		s->second = xreallocarray(s->second, s->cap, sizeof(double));
		s->days = xreallocarray(s->days, s->cap, sizeof(double));
		s->did = xreallocarray(s->did, s->cap, sizeof(double));
	}
	s->first[s->n] = first;
	s->second[s->n] = second;
	s->days[s->n] = days;
	s->n++;
	if (matched)
		s->did[s->ndid++] = second - first;
}

static void
sample_free(struct impact_sample *s)
{
	free(s->first);
	free(s->second);
	free(s->days);
	free(s->did);
}

/* The group of key and label, added at the end when new. */
static struct impact_group *
group_get(struct impact *im, long long key, const char *label)
{
	struct impact_group	*g;
	size_t			 i;

	for (i = 0; i < im->n; i++) {
		if (im->g[i].key == key && strcmp(im->g[i].label, label) == 0)
			return (&im->g[i]);
	}
	im->g = xreallocarray(im->g, im->n + 1, sizeof(*im->g));
	g = &im->g[im->n++];
	memset(g, 0, sizeof(*g));
	g->key = key;
	g->label = xstrdup(label);
	return (g);
}

/*
 * A group's numbers: each sample's summary (stats_group) and, when both
 * have at least IMPACT_MIN_N people, the difference in differences of
 * the treated whose edition has a comparison cohort against that
 * cohort, with its bootstrap interval.
 */
static void
group_compute(struct impact_group *g)
{
	stats_group(&g->gt, g->t.first, g->t.second, g->t.n, STATS_LEVEL);
	stats_group(&g->gc, g->c.first, g->c.second, g->c.n, STATS_LEVEL);
	g->has_did = g->t.ndid >= IMPACT_MIN_N && g->c.ndid >= IMPACT_MIN_N &&
	    stats_bootstrap_did(g->t.did, g->t.ndid, g->c.did, g->c.ndid,
	    STATS_BOOTSTRAP, STATS_SEED, STATS_LEVEL, &g->did) == 0;
}

/* An empty report whose total is labelled all_label. */
void
impact_init(struct impact *im, const char *all_label)
{
	memset(im, 0, sizeof(*im));
	im->all.key = -1;
	im->all.label = xstrdup(all_label);
}

/* One person of the impact report: into its group and the total. */
void
impact_add(struct impact *im, const struct impact_person *p)
{
	struct impact_group	*g;

	g = group_get(im, p->key, p->label);
	sample_add(p->comparison ? &g->c : &g->t, p->first, p->second,
	    p->days, p->excluded, p->matched);
	sample_add(p->comparison ? &im->all.c : &im->all.t, p->first,
	    p->second, p->days, p->excluded, p->matched);
}

/* Every group's numbers and the total's, once all people are in. */
void
impact_compute(struct impact *im)
{
	size_t	i;

	for (i = 0; i < im->n; i++)
		group_compute(&im->g[i]);
	group_compute(&im->all);
}

/*
 * One treated person of the funder's report (both tests, not
 * excluded): into the group of the course and region (key: the
 * course's id, label: the region's id) and the course's total (label
 * "").
 */
void
impact_funder_add(struct impact *im, long long course, const char *region,
    double first, double second)
{
	sample_add(&group_get(im, course, region)->t, first, second, 0, 0,
	    0);
	sample_add(&group_get(im, course, "")->t, first, second, 0, 0, 0);
}

/* The funder's groups: the treated people's summaries only. */
void
impact_funder_compute(struct impact *im)
{
	size_t	i;

	for (i = 0; i < im->n; i++)
		stats_group(&im->g[i].gt, im->g[i].t.first,
		    im->g[i].t.second, im->g[i].t.n, STATS_LEVEL);
}

/* The group of key and label, or NULL. */
const struct impact_group *
impact_find(const struct impact *im, long long key, const char *label)
{
	size_t	i;

	for (i = 0; i < im->n && (im->g[i].key != key ||
	    strcmp(im->g[i].label, label) != 0); i++)
		;
	return (i < im->n ? &im->g[i] : NULL);
}

void
impact_free(struct impact *im)
{
	size_t	i;

	for (i = 0; i < im->n; i++) {
		free(im->g[i].label);
		sample_free(&im->g[i].t);
		sample_free(&im->g[i].c);
	}
	free(im->g);
	free(im->all.label);
	sample_free(&im->all.t);
	sample_free(&im->all.c);
	memset(im, 0, sizeof(*im));
}

/* The median of a sample's days between the tests; NAN when empty. */
double
impact_median_days(const struct impact_sample *s)
{
	double	*d, m;

	if (s->n == 0)
		return (NAN);
	d = xcalloc(s->n, sizeof(*d));
	memcpy(d, s->days, s->n * sizeof(*d));
	stats_sort(d, s->n);
	m = stats_quantile(d, s->n, 0.5);
	free(d);
	return (m);
}

/* Numbers in tables and charts: one decimal, "-" for none (fmt.c). */
char *
impact_fmt(char *out, size_t len, enum lang lang, double v)
{
	if (isnan(v))
		(void)snprintf(out, len, "-");
	else
		(void)fmt_num(out, len, lang, v, 1, 0);
	return (out);
}

char *
impact_fmt_signed(char *out, size_t len, enum lang lang, double v)
{
	if (isnan(v))
		(void)snprintf(out, len, "-");
	else
		(void)fmt_num(out, len, lang, v, 1, FMT_SIGN);
	return (out);
}

/* An interval, "[-1,5; +3,0]". */
char *
impact_fmt_ci(char *out, size_t len, enum lang lang, double lo, double hi)
{
	char	a[32], b[32];

	if (isnan(lo) || isnan(hi))
		(void)snprintf(out, len, "-");
	else
		(void)snprintf(out, len, "[%s; %s]", fmt_num(a, sizeof(a),
		    lang, lo, 1, FMT_SIGN), fmt_num(b, sizeof(b), lang, hi, 1,
		    FMT_SIGN));
	return (out);
}

/* A gain: two decimals. */
char *
impact_fmt_gain(char *out, size_t len, enum lang lang, double g)
{
	if (isnan(g))
		(void)snprintf(out, len, "-");
	else
		(void)fmt_num(out, len, lang, g, 2, 0);
	return (out);
}

/*
 * The funder's learning gain of a course and region, as text: a dash
 * for none, "n < 5" when too few, else the mean change, its interval,
 * n and Hake's gain.
 */
char *
impact_fmt_funder(char *out, size_t len, enum lang lang,
    const struct impact_group *g)
{
	char	ch[32], ci[64], gain[32];

	if (g == NULL || g->t.n == 0) {
		(void)snprintf(out, len, "\xe2\x80\x94");
		return (out);
	}
	if (g->t.n < IMPACT_MIN_N) {
		(void)snprintf(out, len, "n < %d", IMPACT_MIN_N);
		return (out);
	}
	(void)snprintf(out, len, "%s %s (n %zu, g %s)",
	    impact_fmt_signed(ch, sizeof(ch), lang, g->gt.mean_change),
	    impact_fmt_ci(ci, sizeof(ci), lang, g->gt.ci_lo, g->gt.ci_hi),
	    g->t.n, impact_fmt_gain(gain, sizeof(gain), lang, g->gt.gain));
	return (out);
}
