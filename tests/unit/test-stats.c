/*
 * test-stats.c: the statistics of the impact report against known
 * values (means, variances, quantiles, Student's t, the t interval,
 * Hake's gain, the bootstrap), and xAPI statements against the
 * structure the xAPI 2.0 specification requires.
 */

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <sodium.h>

#include "capacita.h"
#include "harness.h"

#define NEAR(a, b, eps)	(fabs((a) - (b)) <= (eps))

static void	test_moments(void);
static void	test_quantiles(void);
static void	test_t(void);
static void	test_ci(void);
static void	test_gain(void);
static void	test_group(void);
static void	test_rng(void);
static void	test_bootstrap(void);
static void	test_xapi_ids(void);
static void	test_xapi_statement(void);
static void	test_xapi_interactions(void);
static int	is_uuid(const char *);
static int	is_timestamp(const char *);

static void
test_moments(void)
{
	const double	x[] = { 2, 4, 4, 4, 5, 5, 7, 9 };

	CHECK(NEAR(stats_mean(x, 8), 5, 1e-12));
	CHECK(NEAR(stats_var(x, 8), 32.0 / 7, 1e-12));
	CHECK(NEAR(stats_sd(x, 8), sqrt(32.0 / 7), 1e-12));
	CHECK(isnan(stats_mean(x, 0)));
	CHECK(isnan(stats_var(x, 1)));
	/* Large offsets do not lose the variance (two passes). */
	{
		const double	y[] = { 1e9 + 4, 1e9 + 7, 1e9 + 13, 1e9 + 16 };

		CHECK(NEAR(stats_var(y, 4), 30, 1e-6));
	}
}

static void
test_quantiles(void)
{
	double			x[] = { 4, 1, 3, 2 };
	double			y[] = { 7, 1, 3, 9, 5 };
	struct stats_box	b;

	stats_sort(x, 4);
	CHECK(x[0] == 1 && x[3] == 4);
	/* Type 7 (R's default): quantile(1:4) = 1, 1.75, 2.5, 3.25, 4. */
	CHECK(NEAR(stats_quantile(x, 4, 0.25), 1.75, 1e-12));
	CHECK(NEAR(stats_quantile(x, 4, 0.5), 2.5, 1e-12));
	CHECK(NEAR(stats_quantile(x, 4, 0.75), 3.25, 1e-12));
	CHECK(NEAR(stats_quantile(x, 4, 0), 1, 1e-12));
	CHECK(NEAR(stats_quantile(x, 4, 1), 4, 1e-12));
	stats_box(y, 5, &b);
	CHECK(b.n == 5 && b.min == 1 && b.max == 9);
	CHECK(NEAR(b.q1, 3, 1e-12) && NEAR(b.median, 5, 1e-12) &&
	    NEAR(b.q3, 7, 1e-12));
	stats_box(y, 0, &b);
	CHECK(b.n == 0 && isnan(b.median));
}

static void
test_t(void)
{
	/* Quantiles of Student's t (R: qt(p, df)). */
	CHECK(NEAR(stats_t_quantile(0.975, 1), 12.706204736174698, 1e-9));
	CHECK(NEAR(stats_t_quantile(0.975, 2), 4.302652729749464, 1e-9));
	CHECK(NEAR(stats_t_quantile(0.975, 4), 2.776445105197793, 1e-9));
	CHECK(NEAR(stats_t_quantile(0.975, 7), 2.364624251592785, 1e-9));
	CHECK(NEAR(stats_t_quantile(0.975, 10), 2.228138851986274, 1e-9));
	CHECK(NEAR(stats_t_quantile(0.975, 30), 2.042272456301238, 1e-9));
	CHECK(NEAR(stats_t_quantile(0.975, 100), 1.983971518523552, 1e-9));
	CHECK(NEAR(stats_t_quantile(0.95, 5), 2.015048372669157, 1e-9));
	CHECK(NEAR(stats_t_quantile(0.995, 3), 5.840909309733352, 1e-8));
	CHECK(NEAR(stats_t_quantile(0.025, 7), -2.364624251592785, 1e-9));
	CHECK(stats_t_quantile(0.5, 9) == 0);
	/* Towards the normal: z(0.975) = 1.959963984540054. */
	CHECK(NEAR(stats_t_quantile(0.975, 1e7), 1.959963984540054, 1e-5));
	CHECK(isnan(stats_t_quantile(1, 5)) && isnan(stats_t_quantile(0.9,
	    0)));
	/* The distribution function: Cauchy for df = 1; symmetric. */
	CHECK(NEAR(stats_t_cdf(2, 1), 0.5 + atan(2) / M_PI, 1e-12));
	CHECK(NEAR(stats_t_cdf(0, 12), 0.5, 1e-15));
	CHECK(NEAR(stats_t_cdf(-1.5, 6) + stats_t_cdf(1.5, 6), 1, 1e-12));
	/* df = 2 has a closed form: F(t) = 1/2 + t / (2 sqrt(2 + t^2)). */
	CHECK(NEAR(stats_t_cdf(1.3, 2), 0.5 + 1.3 / (2 * sqrt(2 + 1.69)),
	    1e-12));
}

static void
test_ci(void)
{
	const double	x[] = { 2, 4, 4, 4, 5, 5, 7, 9 };
	double		lo, hi, half;

	/* 5 +- qt(0.975, 7) sqrt(32/7 / 8) = 5 +- 1.7874879. */
	CHECK(stats_mean_ci(x, 8, 0.95, &lo, &hi) == 0);
	half = 2.364624251592785 * sqrt(32.0 / 7 / 8);
	CHECK(NEAR(lo, 5 - half, 1e-9) && NEAR(hi, 5 + half, 1e-9));
	CHECK(NEAR(lo, 3.2125121, 1e-6) && NEAR(hi, 6.7874879, 1e-6));
	CHECK(stats_mean_ci(x, 1, 0.95, &lo, &hi) == -1 && isnan(lo));
}

static void
test_gain(void)
{
	CHECK(NEAR(stats_hake_gain(40, 70), 0.5, 1e-12));
	CHECK(NEAR(stats_hake_gain(50, 40), -0.2, 1e-12));
	CHECK(NEAR(stats_hake_gain(0, 100), 1, 1e-12));
	CHECK(isnan(stats_hake_gain(100, 100)));
	CHECK(isnan(stats_hake_gain(NAN, 10)));
}

static void
test_group(void)
{
	/* Pre and post of six people, changes 20 22 18 25 15 20. */
	const double		pre[] = { 40, 50, 60, 30, 70, 100 };
	const double		post[] = { 60, 72, 78, 55, 85, 120 };
	struct stats_group	g;
	double			d[6], gi, lo, hi;
	size_t			i;

	stats_group(&g, pre, post, 6, 0.95);
	CHECK(g.n == 6);
	CHECK(NEAR(g.mean_first, 350.0 / 6, 1e-12));
	CHECK(NEAR(g.mean_second, 470.0 / 6, 1e-12));
	CHECK(NEAR(g.mean_change, 20, 1e-12));
	for (i = 0; i < 6; i++)
		d[i] = post[i] - pre[i];
	CHECK(stats_mean_ci(d, 6, 0.95, &lo, &hi) == 0);
	CHECK(NEAR(g.ci_lo, lo, 1e-12) && NEAR(g.ci_hi, hi, 1e-12));
	/* sd of the changes: sqrt(58 / 5); t(0.975, 5) = 2.570582. */
	CHECK(NEAR(g.sd_change, sqrt(58.0 / 5), 1e-12));
	CHECK(NEAR(g.ci_hi - g.mean_change, 2.570581835636314 *
	    sqrt(58.0 / 5) / sqrt(6), 1e-9));
	/* Gain on the means; the last person (pre 100) is left out of the
	 * mean of the individual gains. */
	CHECK(NEAR(g.gain, (470.0 / 6 - 350.0 / 6) / (100 - 350.0 / 6),
	    1e-12));
	gi = (20.0 / 60 + 22.0 / 50 + 18.0 / 40 + 25.0 / 70 + 15.0 / 30) / 5;
	CHECK(g.n_gain == 5 && NEAR(g.gain_mean, gi, 1e-12));
	stats_group(&g, pre, post, 0, 0.95);
	CHECK(g.n == 0 && isnan(g.mean_change) && isnan(g.ci_lo));
	stats_group(&g, pre, post, 1, 0.95);
	CHECK(g.n == 1 && NEAR(g.mean_change, 20, 1e-12) && isnan(g.ci_lo));
}

static void
test_rng(void)
{
	struct stats_rng	a, b;
	size_t			counts[7], i, k;
	int			same;

	stats_rng_seed(&a, 42);
	stats_rng_seed(&b, 42);
	same = 1;
	for (i = 0; i < 100; i++)
		same &= stats_rng_next(&a) == stats_rng_next(&b);
	CHECK(same);
	stats_rng_seed(&b, 43);
	CHECK(stats_rng_next(&a) != stats_rng_next(&b));
	/* Indices are uniform: each of 7 within 5% of 70000/7. */
	memset(counts, 0, sizeof(counts));
	for (i = 0; i < 70000; i++) {
		k = stats_rng_index(&a, 7);
		if (k < 7)
			counts[k]++;
	}
	same = 1;
	for (i = 0; i < 7; i++)
		same &= counts[i] > 9500 && counts[i] < 10500;
	CHECK(same);
}

static void
test_bootstrap(void)
{
	struct stats_did	 d1, d2;
	struct stats_rng	 r;
	double			*t, *c, se, width;
	const double		 k3[] = { 3, 3, 3 }, k1[] = { 1, 1 };
	size_t			 i, n = 400;

	/* Treated changes around +20, comparison around +5: DiD 15. */
	t = xcalloc(n, sizeof(*t));
	c = xcalloc(n, sizeof(*c));
	stats_rng_seed(&r, 7);
	for (i = 0; i < n; i++) {
		t[i] = 20 + (double)(stats_rng_index(&r, 21)) - 10;
		c[i] = 5 + (double)(stats_rng_index(&r, 21)) - 10;
	}
	CHECK(stats_bootstrap_did(t, n, c, n, STATS_BOOTSTRAP, STATS_SEED,
	    0.95, &d1) == 0);
	CHECK(NEAR(d1.estimate, stats_mean(t, n) - stats_mean(c, n), 1e-12));
	CHECK(d1.lo < d1.estimate && d1.estimate < d1.hi);
	CHECK(d1.lo < 15 && 15 < d1.hi);
	CHECK(d1.resamples == STATS_BOOTSTRAP);
	/* The percentile interval is close to the normal-theory one:
	 * 2 x 1.96 x sqrt(s_t^2 / n_t + s_c^2 / n_c), within 10%. */
	se = sqrt(stats_var(t, n) / n + stats_var(c, n) / n);
	width = d1.hi - d1.lo;
	CHECK(fabs(width - 2 * 1.959964 * se) < 0.1 * 2 * 1.959964 * se);
	CHECK(fabs(d1.se - se) < 0.1 * se);
	/* A fixed seed gives the same interval; another seed a close one. */
	CHECK(stats_bootstrap_did(t, n, c, n, STATS_BOOTSTRAP, STATS_SEED,
	    0.95, &d2) == 0);
	CHECK(d1.lo == d2.lo && d1.hi == d2.hi);
	CHECK(stats_bootstrap_did(t, n, c, n, STATS_BOOTSTRAP, 99, 0.95,
	    &d2) == 0);
	CHECK(fabs(d1.lo - d2.lo) < 0.1 && fabs(d1.hi - d2.hi) < 0.1);
	/*
	 * The same people in another order (the rows of another grouping,
	 * issue 18: [15.48; 33.57] by edition, [15.00; 33.57] by office)
	 * give the very same interval: each group is sorted first.
	 */
	{
		const double	tr[7] = { 12.5, 37.5, 25, 50, 12.5, 25, 37.5 };
		const double	cr[6] = { 0, 12.5, -12.5, 0, 12.5, 0 };
		double		tp[7], cp[6];
		struct stats_did d3, d4;

		for (i = 0; i < 7; i++)
			tp[i] = tr[(i * 3 + 2) % 7];
		for (i = 0; i < 6; i++)
			cp[i] = cr[5 - i];
		CHECK(stats_bootstrap_did(tr, 7, cr, 6, STATS_BOOTSTRAP,
		    STATS_SEED, 0.95, &d3) == 0);
		CHECK(stats_bootstrap_did(tp, 7, cp, 6, STATS_BOOTSTRAP,
		    STATS_SEED, 0.95, &d4) == 0);
		CHECK(d3.lo == d4.lo && d3.hi == d4.hi && d3.se == d4.se);
		CHECK(d3.estimate == d4.estimate || fabs(d3.estimate -
		    d4.estimate) < 1e-12);
		/* And the permutation did change the order of the input. */
		CHECK(memcmp(tr, tp, sizeof(tr)) != 0);
	}
	/* No spread: the interval is the point. */
	CHECK(stats_bootstrap_did(k3, 3, k1, 2, 200, 1, 0.95, &d2) == 0);
	CHECK(d2.estimate == 2 && d2.lo == 2 && d2.hi == 2);
	/* An empty group: no estimate. */
	CHECK(stats_bootstrap_did(t, n, c, 0, 200, 1, 0.95, &d2) == -1);
	CHECK(isnan(d2.estimate));
	free(t);
	free(c);
}

static int
is_uuid(const char *s)
{
	size_t	i;

	if (strlen(s) != 36)
		return (0);
	for (i = 0; i < 36; i++) {
		if (i == 8 || i == 13 || i == 18 || i == 23) {
			if (s[i] != '-')
				return (0);
		} else if (strchr("0123456789abcdef", s[i]) == NULL ||
		    s[i] == '\0')
			return (0);
	}
	/* RFC 4122: version 1-5, variant 10xx. */
	return (s[14] >= '1' && s[14] <= '5' && strchr("89ab", s[19]) !=
	    NULL);
}

static int
is_timestamp(const char *s)
{
	time_t	t;

	return (vc_datetime(s, &t) == 0);
}

static void
test_xapi_ids(void)
{
	char	a[37], b[37], p1[65], p2[65], d[48], v[96];

	xapi_uuid("secret", "statement:x", a);
	xapi_uuid("secret", "statement:x", b);
	CHECK_STR(a, b);
	CHECK(is_uuid(a));
	xapi_uuid("secret", "statement:y", b);
	CHECK(strcmp(a, b) != 0);
	xapi_uuid("other", "statement:x", b);
	CHECK(strcmp(a, b) != 0);
	xapi_pseudonym("secret", 42, p1);
	xapi_pseudonym("secret", 42, p2);
	CHECK_STR(p1, p2);
	CHECK(strlen(p1) == 64 && strspn(p1, "0123456789abcdef") == 64);
	xapi_pseudonym("secret", 43, p2);
	CHECK(strcmp(p1, p2) != 0);
	/* HMAC-SHA256("key", "The quick brown fox jumps over the lazy dog")
	 * is the RFC 4231-style known value below; the pseudonym is the
	 * same construction over "user:<id>". */
	{
		unsigned char	mac[32];
		char		hex[65];
		crypto_auth_hmacsha256_state st;
		const char	*msg = "The quick brown fox jumps over the "
				    "lazy dog";

		crypto_auth_hmacsha256_init(&st, (const unsigned char *)"key",
		    3);
		crypto_auth_hmacsha256_update(&st, (const unsigned char *)msg,
		    strlen(msg));
		crypto_auth_hmacsha256_final(&st, mac);
		sodium_bin2hex(hex, sizeof(hex), mac, 32);
		CHECK_STR(hex, "f7bc83f430538424b13298e6aa6fb143ef4d59a149461"
		    "75997479dbc2d1a3cd8");
	}
	xapi_duration(0, d, sizeof(d));
	CHECK_STR(d, "PT0S");
	xapi_duration(3725, d, sizeof(d));
	CHECK_STR(d, "PT1H2M5S");
	xapi_duration(600, d, sizeof(d));
	CHECK_STR(d, "PT10M");
	CHECK_STR(xapi_verb_iri("passed", v, sizeof(v)),
	    "http://adlnet.gov/expapi/verbs/passed");
	CHECK(xapi_verb_known("answered") && !xapi_verb_known("liked"));
	CHECK_STR(xapi_interaction("truefalse"), "true-false");
	CHECK_STR(xapi_interaction("order"), "sequencing");
	CHECK_STR(xapi_interaction("single"), "choice");
}

static void
test_xapi_statement(void)
{
	struct xapi_row	 r;
	struct buf	 b;
	json_error_t	 e;
	json_t		*st, *v;
	const char	*s;

	memset(&r, 0, sizeof(r));
	r.key = "a.AAAAAAAAAAAAAAAAAAAAAA.s";
	r.timestamp = "2025-03-04T10:11:12.345Z";
	r.verb = "passed";
	r.user_id = 7;
	r.registration = "12";
	r.object_type = "quiz";
	r.object_path = "modules/accesso-servizi/quiz";
	r.object_name = "Accesso <ai> servizi";
	r.lang = "it";
	r.parent_type = "module";
	r.parent_path = "modules/accesso-servizi";
	r.parent_name = "Accesso ai servizi";
	r.grouping_path = "courses/governance-accesso";
	r.grouping_name = "Governance";
	r.has_score = 1;
	r.raw = 4;
	r.max = 5;
	r.success = 1;
	r.completion = 1;
	r.duration = -1;
	r.revision = "3";
	buf_init(&b, 1024);
	xapi_statement(&b, &r, "https://capacita.example.org/", "s3cret",
	    NULL);
	st = json_loads(b.data, 0, &e);
	CHECK(st != NULL && json_is_object(st));
	if (st == NULL) {
		fprintf(stderr, "%s\n%s\n", e.text, b.data);
		buf_free(&b);
		return;
	}
	CHECK(is_uuid(json_string_value(json_object_get(st, "id"))));
	v = json_object_get(st, "actor");
	CHECK_STR(json_string_value(json_object_get(v, "objectType")),
	    "Agent");
	CHECK(json_object_get(v, "mbox") == NULL);
	v = json_object_get(v, "account");
	CHECK_STR(json_string_value(json_object_get(v, "homePage")),
	    "https://capacita.example.org");
	s = json_string_value(json_object_get(v, "name"));
	CHECK(s != NULL && strlen(s) == 64);
	v = json_object_get(st, "verb");
	CHECK_STR(json_string_value(json_object_get(v, "id")),
	    "http://adlnet.gov/expapi/verbs/passed");
	CHECK_STR(json_string_value(json_object_get(json_object_get(v,
	    "display"), "en-US")), "passed");
	v = json_object_get(st, "object");
	CHECK_STR(json_string_value(json_object_get(v, "objectType")),
	    "Activity");
	CHECK_STR(json_string_value(json_object_get(v, "id")),
	    "https://capacita.example.org/modules/accesso-servizi/quiz");
	CHECK_STR(json_string_value(json_object_get(json_object_get(
	    json_object_get(v, "definition"), "name"), "it")),
	    "Accesso <ai> servizi");
	CHECK_STR(json_string_value(json_object_get(json_object_get(v,
	    "definition"), "type")),
	    "http://adlnet.gov/expapi/activities/assessment");
	v = json_object_get(st, "result");
	CHECK(json_is_true(json_object_get(v, "success")));
	CHECK(json_is_true(json_object_get(v, "completion")));
	CHECK(NEAR(json_number_value(json_object_get(json_object_get(v,
	    "score"), "scaled")), 0.8, 1e-12));
	CHECK(json_integer_value(json_object_get(json_object_get(v, "score"),
	    "max")) == 5);
	v = json_object_get(st, "context");
	CHECK(is_uuid(json_string_value(json_object_get(v,
	    "registration"))));
	CHECK_STR(json_string_value(json_object_get(v, "platform")),
	    "Capacita");
	CHECK(json_array_size(json_object_get(json_object_get(v,
	    "contextActivities"), "parent")) == 1);
	CHECK(json_array_size(json_object_get(json_object_get(v,
	    "contextActivities"), "grouping")) == 1);
	CHECK(is_timestamp(json_string_value(json_object_get(st,
	    "timestamp"))));
	CHECK_STR(json_string_value(json_object_get(st, "version")), "2.0.0");
	json_decref(st);

	/* An answer with no score, success only, no context activities. */
	memset(&r, 0, sizeof(r));
	r.key = "q.X.1";
	r.timestamp = "2025-03-04T10:11:12.000Z";
	r.verb = "answered";
	r.user_id = 7;
	r.object_type = "question";
	r.object_path = "questions/1";
	r.object_name = "Vero o falso?";
	r.interaction = "true-false";
	r.success = 0;
	r.completion = -1;
	r.duration = -1;
	r.response = "false";
	buf_reset(&b);
	xapi_statement(&b, &r, "http://127.0.0.1:8080", "s3cret",
	    XAPI_VERSION_1);
	st = json_loads(b.data, 0, &e);
	CHECK(st != NULL);
	if (st != NULL) {
		v = json_object_get(st, "result");
		CHECK(json_is_false(json_object_get(v, "success")));
		CHECK(json_object_get(v, "score") == NULL);
		CHECK_STR(json_string_value(json_object_get(v, "response")),
		    "false");
		CHECK_STR(json_string_value(json_object_get(json_object_get(
		    json_object_get(st, "object"), "definition"),
		    "interactionType")), "true-false");
		CHECK(json_object_get(json_object_get(st, "context"),
		    "registration") == NULL);
		/* The 1.0.3 form: a provider sets 1.0.0 (Data 2.4.10). */
		CHECK_STR(json_string_value(json_object_get(st, "version")),
		    "1.0.0");
		json_decref(st);
	}
	buf_free(&b);
}

/* Paging cursors: a bigint of microseconds, a dot, a record key. */
static void
test_xapi_cursor(void)
{
	CHECK(xapi_cursor_valid("1717000000000000.a.abc_-.l"));
	CHECK(xapi_cursor_valid("0.x"));
	CHECK(xapi_cursor_valid("9223372036854775807.k"));
	/* Issue 18: 20 digits reached the database as a bigint: 503. */
	CHECK(!xapi_cursor_valid("99999999999999999999.k"));
	CHECK(!xapi_cursor_valid("9223372036854775808.k"));
	CHECK(!xapi_cursor_valid(".k"));
	CHECK(!xapi_cursor_valid("12."));
	CHECK(!xapi_cursor_valid("12"));
	CHECK(!xapi_cursor_valid("-1.k"));
	CHECK(!xapi_cursor_valid("1.k'--"));
}

/*
 * A question's interaction components and the responses: choice ids
 * are positions; a sequencing question's items have keyed ids listed in
 * their order, not in the right order; the right answers only when the
 * row allows them.
 */
static void
test_xapi_interactions(void)
{
	static char	*texts[] = { "Primo", "Secondo", "Terzo" };
	static int	 correct[] = { 0, 1, 1 };
	struct xapi_question	 q;
	struct xapi_row		 r;
	struct buf		 b, resp;
	json_t			*st, *def, *ch, *pat;
	char			 id1[16], id2[16], id3[16], t[64];
	size_t			 i;

	memset(&q, 0, sizeof(q));
	q.id = 41;
	q.type = QUIZ_MULTIPLE;
	q.texts = texts;
	q.correct = correct;
	q.nopts = 3;
	memset(&r, 0, sizeof(r));
	r.key = "q.9.41";
	r.timestamp = "2025-03-04T10:11:12.000Z";
	r.verb = "answered";
	r.object_type = "question";
	r.object_path = "questions/41";
	r.object_name = "Quali?";
	r.lang = "it";
	r.interaction = "choice";
	r.success = 0;
	r.completion = -1;
	r.duration = -1;
	r.question = &q;
	buf_init(&b, 1024);
	buf_init(&resp, 64);
	CHECK(xapi_response(&q, "1,3", "k", &resp) == 0);
	CHECK_STR(resp.data, "1[,]3");
	r.response = resp.data;
	xapi_statement(&b, &r, "https://x.example", "k", NULL);
	st = json_loads(b.data, 0, NULL);
	CHECK(st != NULL);
	def = json_object_get(json_object_get(st, "object"), "definition");
	ch = json_object_get(def, "choices");
	CHECK(json_array_size(ch) == 3);
	CHECK_STR(json_string_value(json_object_get(json_array_get(ch, 1),
	    "id")), "2");
	CHECK_STR(json_string_value(json_object_get(json_object_get(
	    json_array_get(ch, 1), "description"), "it")), "Secondo");
	CHECK(json_object_get(def, "correctResponsesPattern") == NULL);
	CHECK_STR(json_string_value(json_object_get(json_object_get(st,
	    "result"), "response")), "1[,]3");
	json_decref(st);

	r.answers = 1;
	buf_reset(&b);
	xapi_statement(&b, &r, "https://x.example", "k", NULL);
	st = json_loads(b.data, 0, NULL);
	pat = json_object_get(json_object_get(json_object_get(st, "object"),
	    "definition"), "correctResponsesPattern");
	CHECK(json_array_size(pat) == 1);
	CHECK_STR(json_string_value(json_array_get(pat, 0)), "2[,]3");
	json_decref(st);

	/* Sequencing: keyed ids, stable, listed in their own order. */
	q.type = QUIZ_ORDER;
	r.interaction = "sequencing";
	xapi_choice_id("k", 41, 1, id1);
	xapi_choice_id("k", 41, 2, id2);
	xapi_choice_id("k", 41, 3, id3);
	CHECK(id1[0] == 's' && strlen(id1) == 9 && strcmp(id1, id2) != 0);
	xapi_choice_id("other", 41, 1, t);
	CHECK(strcmp(t, id1) != 0);
	buf_reset(&resp);
	CHECK(xapi_response(&q, "2,1,3", "k", &resp) == 0);
	(void)snprintf(t, sizeof(t), "%s[,]%s[,]%s", id2, id1, id3);
	CHECK_STR(resp.data, t);
	r.response = resp.data;
	buf_reset(&b);
	xapi_statement(&b, &r, "https://x.example", "k", NULL);
	st = json_loads(b.data, 0, NULL);
	def = json_object_get(json_object_get(st, "object"), "definition");
	ch = json_object_get(def, "choices");
	CHECK(json_array_size(ch) == 3);
	for (i = 1; i < json_array_size(ch); i++)
		CHECK(strcmp(json_string_value(json_object_get(json_array_get(
		    ch, i - 1), "id")), json_string_value(json_object_get(
		    json_array_get(ch, i), "id"))) < 0);
	(void)snprintf(t, sizeof(t), "%s[,]%s[,]%s", id1, id2, id3);
	CHECK_STR(json_string_value(json_array_get(json_object_get(def,
	    "correctResponsesPattern"), 0)), t);
	json_decref(st);

	/* True-false, numeric (a range with a tolerance), fill-in. */
	q.type = QUIZ_TRUEFALSE;
	q.truth = 1;
	buf_reset(&resp);
	CHECK(xapi_response(&q, "false", "k", &resp) == 0);
	CHECK_STR(resp.data, "false");
	q.type = QUIZ_NUMERIC;
	q.number = 2.5;
	q.tolerance = 0.5;
	buf_reset(&resp);
	CHECK(xapi_response(&q, "2,75", "k", &resp) == 0);
	CHECK_STR(resp.data, "2.75");
	r.interaction = "numeric";
	r.response = resp.data;
	buf_reset(&b);
	xapi_statement(&b, &r, "https://x.example", "k", NULL);
	st = json_loads(b.data, 0, NULL);
	def = json_object_get(json_object_get(st, "object"), "definition");
	CHECK_STR(json_string_value(json_array_get(json_object_get(def,
	    "correctResponsesPattern"), 0)), "2[:]3");
	CHECK(json_object_get(def, "choices") == NULL);
	json_decref(st);
	q.type = QUIZ_SHORT;
	buf_reset(&resp);
	CHECK(xapi_response(&q, "free text", "k", &resp) == -1);
	CHECK(xapi_response(NULL, "1", "k", &resp) == -1);

	/* since: UTC, to the millisecond, digits beyond cut. */
	CHECK(xapi_time("2025-03-04", t) == 0);
	CHECK_STR(t, "2025-03-04T00:00:00.000Z");
	CHECK(xapi_time("2025-03-04T10:11:12.3456789+01:00", t) == 0);
	CHECK_STR(t, "2025-03-04T09:11:12.345Z");
	CHECK(xapi_time("2025-03-04T10:11:12.7Z", t) == 0);
	CHECK_STR(t, "2025-03-04T10:11:12.700Z");
	CHECK(xapi_time("yesterday", t) == -1);
	CHECK(xapi_time("2025-13-01", t) == -1);
	buf_free(&b);
	buf_free(&resp);
}

int
main(void)
{
	if (sodium_init() < 0)
		return (1);
	test_moments();
	test_quantiles();
	test_t();
	test_ci();
	test_gain();
	test_group();
	test_rng();
	test_bootstrap();
	test_xapi_ids();
	test_xapi_statement();
	test_xapi_cursor();
	test_xapi_interactions();
	T_SUMMARY();
}
