/*
 * stats.c: the statistics of the impact report (README.md, "Impact
 * evaluation"): means, sample variances, quantiles, Student's t
 * distribution, the t interval for a mean, Hake's normalised gain and a
 * percentile bootstrap for the difference in differences.
 *
 * Plain C on arrays of doubles: the SQL returns one row per person and
 * every estimate is computed here, so that the unit tests can check each
 * one against known values.
 */

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "capacita.h"

#define BETA_EPS	1e-15
#define BETA_TINY	1e-300
#define BETA_ITER	300

static double	lentz_step(double, double *, double *);
static double	beta_cf(double, double, double);
static double	beta_inc(double, double, double);
static int	cmp_double(const void *, const void *);
static uint64_t	splitmix64(uint64_t *);
static double	resample_mean(const double *, size_t, struct stats_rng *);

double
stats_mean(const double *x, size_t n)
{
	double	s;
	size_t	i;

	if (n == 0)
		return (NAN);
	s = 0;
	for (i = 0; i < n; i++)
		s += x[i];
	return (s / (double)n);
}

/* The sample variance, with n - 1 in the denominator (two passes). */
double
stats_var(const double *x, size_t n)
{
	double	m, d, s;
	size_t	i;

	if (n < 2)
		return (NAN);
	m = stats_mean(x, n);
	s = 0;
	for (i = 0; i < n; i++) {
		d = x[i] - m;
		s += d * d;
	}
	return (s / (double)(n - 1));
}

double
stats_sd(const double *x, size_t n)
{
	return (sqrt(stats_var(x, n)));
}

static int
cmp_double(const void *a, const void *b)
{
	double	x = *(const double *)a, y = *(const double *)b;

	return ((x > y) - (x < y));
}

void
stats_sort(double *x, size_t n)
{
	if (n > 1)
		qsort(x, n, sizeof(*x), cmp_double);
}

/*
 * The p-quantile of sorted values by linear interpolation between order
 * statistics (Hyndman and Fan's type 7, R's default):
 * h = (n - 1) p, Q = x[floor h] + (h - floor h) (x[floor h + 1] - x[floor h]).
 */
double
stats_quantile(const double *sorted, size_t n, double p)
{
	double	h, lo;
	size_t	i;

	if (n == 0)
		return (NAN);
	if (p <= 0)
		return (sorted[0]);
	if (p >= 1)
		return (sorted[n - 1]);
	h = (double)(n - 1) * p;
	lo = floor(h);
	i = (size_t)lo;
	if (i + 1 >= n)
		return (sorted[n - 1]);
	return (sorted[i] + (h - lo) * (sorted[i + 1] - sorted[i]));
}

/* Five numbers of a distribution for a box plot (x is sorted in place). */
void
stats_box(double *x, size_t n, struct stats_box *b)
{
	memset(b, 0, sizeof(*b));
	b->n = n;
	if (n == 0) {
		b->min = b->q1 = b->median = b->q3 = b->max = NAN;
		return;
	}
	stats_sort(x, n);
	b->min = x[0];
	b->q1 = stats_quantile(x, n, 0.25);
	b->median = stats_quantile(x, n, 0.5);
	b->q3 = stats_quantile(x, n, 0.75);
	b->max = x[n - 1];
}

/* One step of the modified Lentz method: the factor h is multiplied by. */
static double
lentz_step(double aa, double *c, double *d)
{
	*d = 1 + aa * *d;
	if (fabs(*d) < BETA_TINY)
		*d = BETA_TINY;
	*c = 1 + aa / *c;
	if (fabs(*c) < BETA_TINY)
		*c = BETA_TINY;
	*d = 1 / *d;
	return (*d * *c);
}

/*
 * The continued fraction of the regularised incomplete beta function,
 * by the modified Lentz method (Numerical Recipes, 6.4).
 */
static double
beta_cf(double a, double b, double x)
{
	double	qab, qap, qam, c, d, h, aa, del;
	int	m, m2;

	qab = a + b;
	qap = a + 1;
	qam = a - 1;
	c = 1;
	d = 1 - qab * x / qap;
	if (fabs(d) < BETA_TINY)
		d = BETA_TINY;
	d = 1 / d;
	h = d;
	for (m = 1; m <= BETA_ITER; m++) {
		m2 = 2 * m;
		aa = m * (b - m) * x / ((qam + m2) * (a + m2));
		h *= lentz_step(aa, &c, &d);
		aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2));
		del = lentz_step(aa, &c, &d);
		h *= del;
		if (fabs(del - 1) < BETA_EPS)
			break;
	}
	return (h);
}

/* I_x(a, b), the regularised incomplete beta function. */
static double
beta_inc(double a, double b, double x)
{
	double	front;

	if (x <= 0)
		return (0);
	if (x >= 1)
		return (1);
	front = exp(lgamma(a + b) - lgamma(a) - lgamma(b) + a * log(x) +
	    b * log1p(-x));
	if (x < (a + 1) / (a + b + 2))
		return (front * beta_cf(a, b, x) / a);
	return (1 - front * beta_cf(b, a, 1 - x) / b);
}

/*
 * The distribution function of Student's t with df degrees of freedom:
 * for t >= 0, F(t) = 1 - I_{df / (df + t^2)}(df / 2, 1 / 2) / 2.
 */
double
stats_t_cdf(double t, double df)
{
	double	tail;

	if (df <= 0 || isnan(t))
		return (NAN);
	tail = 0.5 * beta_inc(df / 2, 0.5, df / (df + t * t));
	return (t >= 0 ? 1 - tail : tail);
}

/*
 * The p-quantile of Student's t: F^-1(p), found by bisection on the
 * distribution function to a relative precision of 1e-13.
 */
double
stats_t_quantile(double p, double df)
{
	double	lo, hi, mid;
	int	i;

	if (df <= 0 || !(p > 0 && p < 1))
		return (NAN);
	if (p == 0.5)
		return (0);
	if (p < 0.5)
		return (-stats_t_quantile(1 - p, df));
	lo = 0;
	hi = 1;
	while (stats_t_cdf(hi, df) < p && hi < 1e300)
		hi *= 2;
	for (i = 0; i < 400 && hi - lo > 1e-13 * hi; i++) {
		mid = (lo + hi) / 2;
		if (stats_t_cdf(mid, df) < p)
			lo = mid;
		else
			hi = mid;
	}
	return ((lo + hi) / 2);
}

/*
 * The t interval for the mean at a confidence level (0.95):
 * mean +- t_{1 - (1 - level) / 2, n - 1} s / sqrt(n). -1 for n < 2.
 */
int
stats_mean_ci(const double *x, size_t n, double level, double *lo,
    double *hi)
{
	double	m, half;

	*lo = *hi = NAN;
	if (n < 2 || !(level > 0 && level < 1))
		return (-1);
	m = stats_mean(x, n);
	half = stats_t_quantile(1 - (1 - level) / 2, (double)(n - 1)) *
	    stats_sd(x, n) / sqrt((double)n);
	*lo = m - half;
	*hi = m + half;
	return (0);
}

/*
 * Hake's normalised gain on percentages: (post - pre) / (100 - pre),
 * the share of what could be gained that was gained. Undefined (NAN)
 * when pre is 100.
 */
double
stats_hake_gain(double pre, double post)
{
	if (isnan(pre) || isnan(post) || pre >= 100)
		return (NAN);
	return ((post - pre) / (100 - pre));
}

/*
 * A group's pre/post summary from per-person pairs: the means, the mean
 * change with its t interval, Hake's gain on the means and the mean of
 * the individual gains (people at 100 before are left out of the
 * latter, n_gain says how many count).
 */
void
stats_group(struct stats_group *g, const double *first, const double *second,
    size_t n, double level)
{
	double	*d;
	double	 s, gi;
	size_t	 i;

	memset(g, 0, sizeof(*g));
	g->n = n;
	g->mean_first = stats_mean(first, n);
	g->mean_second = stats_mean(second, n);
	g->ci_lo = g->ci_hi = NAN;
	g->sd_change = NAN;
	g->gain = g->gain_mean = NAN;
	if (n == 0) {
		g->mean_change = NAN;
		return;
	}
	d = xcalloc(n, sizeof(*d));
	for (i = 0; i < n; i++)
		d[i] = second[i] - first[i];
	g->mean_change = stats_mean(d, n);
	if (n >= 2) {
		g->sd_change = stats_sd(d, n);
		(void)stats_mean_ci(d, n, level, &g->ci_lo, &g->ci_hi);
	}
	free(d);
	g->gain = stats_hake_gain(g->mean_first, g->mean_second);
	s = 0;
	for (i = 0; i < n; i++) {
		gi = stats_hake_gain(first[i], second[i]);
		if (isnan(gi))
			continue;
		s += gi;
		g->n_gain++;
	}
	if (g->n_gain > 0)
		g->gain_mean = s / (double)g->n_gain;
}

/* splitmix64, to seed xoshiro256** from one number. */
static uint64_t
splitmix64(uint64_t *x)
{
	uint64_t	z;

	z = (*x += 0x9e3779b97f4a7c15ULL);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return (z ^ (z >> 31));
}

void
stats_rng_seed(struct stats_rng *r, uint64_t seed)
{
	uint64_t	x = seed;
	int		i;

	for (i = 0; i < 4; i++)
		r->s[i] = splitmix64(&x);
}

/* xoshiro256** (Blackman and Vigna): 64 random bits. */
uint64_t
stats_rng_next(struct stats_rng *r)
{
	uint64_t	*s = r->s;
	uint64_t	 result, t;

	result = s[1] * 5;
	result = ((result << 7) | (result >> 57)) * 9;
	t = s[1] << 17;
	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = (s[3] << 45) | (s[3] >> 19);
	return (result);
}

/* A uniform index below n, without modulo bias (Lemire's method). */
size_t
stats_rng_index(struct stats_rng *r, size_t n)
{
	uint64_t	x, threshold;
	__uint128_t	m;

	threshold = -(uint64_t)n % (uint64_t)n;
	for (;;) {
		x = stats_rng_next(r);
		m = (__uint128_t)x * (uint64_t)n;
		if ((uint64_t)m >= threshold)
			return ((size_t)(m >> 64));
	}
}

static double
resample_mean(const double *x, size_t n, struct stats_rng *r)
{
	double	s;
	size_t	i;

	s = 0;
	for (i = 0; i < n; i++)
		s += x[stats_rng_index(r, n)];
	return (s / (double)n);
}

/*
 * The difference in differences mean(t) - mean(c) of two groups'
 * per-person changes, with a percentile bootstrap interval: B times,
 * draw n_t changes from t and n_c from c with replacement (persons are
 * resampled within their group), and take the difference of the means;
 * the interval is the ceil(B a/2)-th and ceil(B (1 - a/2))-th of the B
 * values in order, a = 1 - level. The generator is seeded with seed and
 * each group's changes are sorted before resampling, so the same people
 * give the same interval whatever order their rows came in (grouped by
 * edition or by office, on the page or in the CSV). -1 when a group is
 * empty.
 */
int
stats_bootstrap_did(const double *t, size_t nt, const double *c, size_t nc,
    int b, uint64_t seed, double level, struct stats_did *out)
{
	struct stats_rng	 rng;
	double			*v, *st, *sc;
	double			 a;
	size_t			 k, ilo, ihi;

	memset(out, 0, sizeof(*out));
	out->estimate = out->lo = out->hi = NAN;
	if (nt == 0 || nc == 0 || b < 1 || !(level > 0 && level < 1))
		return (-1);
	out->estimate = stats_mean(t, nt) - stats_mean(c, nc);
	out->resamples = b;
	/* The canonical order: each group sorted. */
	st = xcalloc(nt, sizeof(*st));
	sc = xcalloc(nc, sizeof(*sc));
	memcpy(st, t, nt * sizeof(*st));
	memcpy(sc, c, nc * sizeof(*sc));
	stats_sort(st, nt);
	stats_sort(sc, nc);
	stats_rng_seed(&rng, seed);
	v = xcalloc((size_t)b, sizeof(*v));
	for (k = 0; k < (size_t)b; k++)
		v[k] = resample_mean(st, nt, &rng) -
		    resample_mean(sc, nc, &rng);
	free(st);
	free(sc);
	stats_sort(v, (size_t)b);
	a = 1 - level;
	ilo = (size_t)ceil((double)b * a / 2 - 1e-9);
	ihi = (size_t)ceil((double)b * (1 - a / 2) - 1e-9);
	if (ilo < 1)
		ilo = 1;
	if (ihi > (size_t)b)
		ihi = (size_t)b;
	out->lo = v[ilo - 1];
	out->hi = v[ihi - 1];
	out->se = stats_sd(v, (size_t)b);
	free(v);
	return (0);
}
