/*
 * test-placement.c: the adaptive placement test (staircase, Bayes
 * update, stopping rule, the README's worked example), a simulation of
 * learners of known level, and the order of the personal plan.
 */

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "capacita.h"
#include "harness.h"

#define NEAR(a, b, eps)	(fabs((a) - (b)) <= (eps))

static void	test_guess(void);
static void	test_staircase(void);
static void	test_worked_example(void);
static void	test_pool(void);
static double	simulate(int, int, int, uint64_t);
static void	test_simulation(void);
static void	test_plan(void);
static void	test_plan_hours(void);

static void
test_guess(void)
{
	CHECK(NEAR(placement_guess(QUIZ_SINGLE, 4), 0.25, 1e-12));
	CHECK(NEAR(placement_guess(QUIZ_SINGLE, 3), 1.0 / 3, 1e-12));
	CHECK(NEAR(placement_guess(QUIZ_TRUEFALSE, 0), 0.5, 1e-12));
	CHECK(NEAR(placement_guess(QUIZ_MULTIPLE, 4), 1.0 / 15, 1e-12));
	CHECK(NEAR(placement_guess(QUIZ_SHORT, 1), 0.02, 1e-12));
	CHECK(NEAR(placement_guess(QUIZ_ORDER, 3), 1.0 / 6, 1e-12));
	CHECK(placement_guess(QUIZ_MULTIPLE, 40) >= 0.02);
}

static void
test_staircase(void)
{
	struct placement_state	s;

	placement_init(&s, 3);
	CHECK(s.current == 2);		/* the middle level */
	CHECK(NEAR(s.post[0] + s.post[1] + s.post[2] + s.post[3], 1, 1e-12));
	placement_update(&s, 2, 0.25, 1);
	CHECK(s.current == 3);		/* right: up */
	placement_update(&s, 3, 0.25, 0);
	CHECK(s.current == 2);		/* wrong: down */
	placement_update(&s, 2, 0.25, 0);
	CHECK(s.current == 1);
	placement_update(&s, 1, 0.25, 0);
	CHECK(s.current == 1);		/* not below the lowest */
	CHECK(s.asked == 4);
	placement_init(&s, 3);
	placement_update(&s, 3, 0.25, 1);
	CHECK(s.current == 3);		/* not above the highest */
	/* Out-of-range levels change nothing. */
	placement_update(&s, 0, 0.25, 1);
	placement_update(&s, 4, 0.25, 1);
	CHECK(s.asked == 1);
	/* Four levels: the middle is the second. */
	placement_init(&s, 4);
	CHECK(s.current == 2);
	placement_init(&s, 1);
	CHECK(s.current == 1);
}

/*
 * README.md's worked example: three levels, single-choice questions of
 * four choices (guess 1/4), a person who answers intermedio right and
 * avanzato wrong. The staircase alternates 2, 3, 2, 3, 2, 3; intermedio
 * is 39, 59, 78, 85, 94, then 95.7 % likely, and the test stops.
 */
static void
test_worked_example(void)
{
	static const double	want[] = { 0.3913, 0.5921, 0.7766, 0.8532,
				    0.9428, 0.9567 };
	struct placement_state	s;
	int			i, lv;

	placement_init(&s, 3);
	for (i = 0; i < 6; i++) {
		CHECK(!placement_stopped(&s));
		lv = s.current;
		CHECK(lv == (i % 2 == 0 ? 2 : 3));
		placement_update(&s, lv, 0.25, lv == 2);
		CHECK(s.level == 2);
		CHECK(NEAR(s.post[2], want[i], 5e-5));
	}
	/* After the first answer: 0.25, 0.25, 0.9, 0.9 over their sum. */
	CHECK(placement_stopped(&s));
	CHECK(s.asked == 6);
	CHECK(NEAR(s.post[0], 0.0205, 5e-5));
	CHECK(NEAR(s.post[3], 0.0023, 5e-5));
}

static void
test_pool(void)
{
	struct placement_item	pool[6];
	struct placement_state	s;
	struct placement_answer	a[2];
	long			i;
	int			n;

	memset(pool, 0, sizeof(pool));
	pool[0] = (struct placement_item){ 10, 1, 0.25, 0, 0 };
	pool[1] = (struct placement_item){ 11, 2, 0.5, 0, 0 };
	pool[2] = (struct placement_item){ 12, 2, 0.02, 0, 0 };
	pool[3] = (struct placement_item){ 13, 2, 0.02, 0, 1 };	/* seen */
	pool[4] = (struct placement_item){ 14, 3, 0.25, 0, 0 };
	pool[5] = (struct placement_item){ 9, 3, 0.25, 0, 0 };
	CHECK(placement_pool_ok(pool, 6, 3));
	CHECK(!placement_pool_ok(pool, 6, 4));
	placement_init(&s, 3);
	/* Level 2, least open to guessing, the seen one never. */
	CHECK(placement_next(&s, pool, 6) == 2);
	pool[2].asked = 1;
	placement_update(&s, 2, 0.02, 1);
	/* Up to 3: the lowest id of equal guess. */
	CHECK(placement_next(&s, pool, 6) == 5);
	/* Nothing left at a level: the nearest level with a question. */
	pool[4].asked = pool[5].asked = 1;
	placement_update(&s, 3, 0.25, 1);
	placement_update(&s, 3, 0.25, 1);
	i = placement_next(&s, pool, 6);
	CHECK(placement_stopped(&s) ? i == -1 : i == 1);
	/* The pool exhausted ends the test. */
	for (n = 0; n < 6; n++)
		pool[n].asked = 1;
	placement_init(&s, 3);
	CHECK(placement_next(&s, pool, 6) == -1);
	/* The cap ends it too. */
	placement_init(&s, 3);
	for (n = 0; n < PLACEMENT_MAX; n++)
		placement_update(&s, 1 + n % 3, 0.5, n % 2);
	CHECK(placement_stopped(&s));
	/* Replaying answers gives the same state. */
	a[0] = (struct placement_answer){ 2, 0.25, 1 };
	a[1] = (struct placement_answer){ 3, 0.25, 0 };
	placement_replay(&s, 3, a, 2);
	CHECK(s.asked == 2 && s.level == 2 && s.current == 2);
}

/*
 * Simulated learners of known level k (0 to 3, as many of each) answer
 * a question of level j right with probability 0.9 when j <= k and
 * with the question's guessing chance otherwise. Each competence's
 * pool has `per_level` questions per level, their types drawn in the
 * proportions of the shipped quizzes (56 single-choice of four, 11 of
 * three, 45 multiple-choice of four, 30 short or numeric, 20
 * true/false, 9 orderings of four). Returns the share of learners
 * whose level the test found; `second` runs a second test after the
 * first, without the questions seen in it.
 */
static double
simulate(int people, int per_level, int second, uint64_t seed)
{
	static const struct {
		enum quiz_type	type;
		size_t		nopts;
		int		weight;
	} mix[] = {
		{ QUIZ_SINGLE, 4, 56 }, { QUIZ_SINGLE, 3, 11 },
		{ QUIZ_MULTIPLE, 4, 45 }, { QUIZ_SHORT, 1, 30 },
		{ QUIZ_TRUEFALSE, 0, 20 }, { QUIZ_ORDER, 4, 9 },
	};
	struct placement_item	 pool[3 * 16];
	struct placement_state	 s;
	struct stats_rng	 rng;
	size_t			 n, i, m, w;
	long			 next;
	int			 p, k, j, round, found = 0;
	double			 u, pr;

	stats_rng_seed(&rng, seed);
	for (p = 0; p < people; p++) {
		k = p % 4;
		n = 0;
		for (j = 1; j <= 3; j++)
			for (i = 0; i < (size_t)per_level; i++) {
				w = stats_rng_index(&rng, 171);
				for (m = 0; w >= (size_t)mix[m].weight; m++)
					w -= (size_t)mix[m].weight;
				pool[n].id = (long long)n + 1;
				pool[n].level = j;
				pool[n].guess = placement_guess(mix[m].type,
				    mix[m].nopts);
				pool[n].asked = pool[n].seen = 0;
				n++;
			}
		for (round = 0; round <= second; round++) {
			if (round == 1)
				for (i = 0; i < n; i++) {
					pool[i].seen = pool[i].asked;
					pool[i].asked = 0;
				}
			placement_init(&s, 3);
			while ((next = placement_next(&s, pool, n)) >= 0) {
				pool[next].asked = 1;
				pr = k >= pool[next].level ? 1 - PLACEMENT_SLIP :
				    pool[next].guess;
				u = (double)(stats_rng_next(&rng) >> 11) /
				    9007199254740992.0;
				placement_update(&s, pool[next].level,
				    pool[next].guess, u < pr);
			}
		}
		if (s.level == k)
			found++;
	}
	return ((double)found / people);
}

static void
test_simulation(void)
{
	double	r2, r3, r4, r8, again;

	r4 = simulate(20000, 4, 0, 1);
	r8 = simulate(20000, 8, 0, 2);
	r3 = simulate(20000, PLACEMENT_POOL, 0, 3);
	r2 = simulate(20000, 2, 0, 4);
	again = simulate(20000, 8, 1, 5);
	printf("placement simulation: found %.1f %% (pool 2 a level), "
	    "%.1f %% (3), %.1f %% (4), %.1f %% (8), %.1f %% (8, second "
	    "test without the first's questions)\n", 100 * r2, 100 * r3,
	    100 * r4, 100 * r8, 100 * again);
	/* The pool the shipped content reaches (import --check). */
	CHECK(PLACEMENT_POOL == 3 && r3 >= 0.90);
	CHECK(r4 >= 0.90);
	CHECK(r8 >= 0.90);
	CHECK(again >= 0.90);
	/* Fewer questions, less certainty: the measure is not blind. */
	CHECK(r2 < r3 && r3 < r4);
	CHECK(r2 > 0.5);
}

static void
test_plan(void)
{
	const struct plan_claim	c0[] = { { "GOV.1", 2 }, { "ACC.1", 2 } };
	const struct plan_claim	c1[] = { { "GOV.1", 1 } };
	const struct plan_claim	c2[] = { { "INT.2", 3 }, { "GOV.1", 3 } };
	const struct plan_claim	c3[] = { { "MED.1", 2 } };
	const struct plan_claim	c4[] = { { "DAT.1", 1 } };
	struct plan_course	cs[5] = {
		{ c0, 2, 3, 0, 0, 0 },
		{ c1, 1, 2, 0, 0, 0 },
		{ c2, 2, 4, 0, 0, 0 },
		{ c3, 1, 3, 0, 1, 0 },	/* removed by HR */
		{ c4, 1, 5, 1, 0, 0 },	/* pinned by HR, closes no gap */
	};
	struct plan_gap		g[4] = {
		{ "ACC.1", 2, 1 },	/* gap 1 */
		{ "INT.2", 3, 0 },	/* gap 3 */
		{ "GOV.1", 2, 0 },	/* gap 2 */
		{ "MED.1", 2, 0 },	/* only a removed course */
	};
	struct plan_item	out[8];
	size_t			n;

	n = plan_build(g, 4, cs, 5, 40, out, 8);
	/* Largest gap first. */
	CHECK_STR(g[0].competence, "INT.2");
	CHECK_STR(g[1].competence, "GOV.1");
	CHECK(n == 3);
	/*
	 * The pin first. The largest gap, INT.2, is closed by course 2,
	 * which teaches GOV.1 at avanzato; GOV.1 at intermedio is closed
	 * by course 0 (exact, over course 1, a step), which closes ACC.1
	 * too (one item naming both gaps) and teaches GOV.1 at a lower
	 * level than course 2: the prerequisite comes first.
	 */
	CHECK(out[0].course == 4 && out[0].ngaps == 0);
	CHECK(out[1].course == 0 && out[1].ngaps == 2 && out[1].size == 2);
	CHECK(out[2].course == 2 && out[2].size == 3);
	CHECK(out[0].fits && out[1].fits && out[2].fits);

	/* Prerequisite first: GOV.1 at 3 needs course 2, and course 0
	 * teaches it at 2: course 0 comes before course 2. */
	{
		struct plan_gap	h[2] = {
			{ "GOV.1", 3, 0 },
			{ "ACC.1", 2, 0 },
		};

		cs[4].pinned = 0;
		n = plan_build(h, 2, cs, 5, 40, out, 8);
		CHECK(n == 2);
		CHECK(out[0].course == 0 && out[1].course == 2);
	}
	/* A completed course is not offered again. */
	{
		struct plan_gap	h[1] = { { "GOV.1", 2, 0 } };

		cs[0].completed = 1;
		n = plan_build(h, 1, cs, 5, 40, out, 8);
		CHECK(n == 1 && out[0].course == 2);	/* the only one above */
		cs[0].completed = 0;
	}
	/* No gap, no plan. */
	{
		struct plan_gap	h[1] = { { "GOV.1", 2, 2 } };

		CHECK(plan_build(h, 1, cs, 5, 40, out, 8) == 0);
	}
}

static void
test_plan_hours(void)
{
	const struct plan_claim	a[] = { { "A", 1 } };
	const struct plan_claim	b[] = { { "B", 1 } };
	const struct plan_claim	c[] = { { "C", 1 } };
	struct plan_course	cs[3] = {
		{ a, 1, 30, 0, 0, 0 },
		{ b, 1, 20, 0, 0, 0 },
		{ c, 1, 8, 0, 0, 0 },
	};
	struct plan_gap		g[3] = {
		{ "A", 1, 0 }, { "B", 1, 0 }, { "C", 1, 0 },
	};
	struct plan_item	out[4];
	size_t			n;

	n = plan_build(g, 3, cs, 3, 40, out, 4);
	CHECK(n == 3);
	/* 30 fits, 20 does not (10 left), 8 does. */
	CHECK(out[0].course == 0 && out[0].fits);
	CHECK(out[1].course == 1 && !out[1].fits);
	CHECK(out[2].course == 2 && out[2].fits);
	/* The hours already done this year count. */
	n = plan_build(g, 3, cs, 3, 5, out, 4);
	CHECK(!out[0].fits && !out[1].fits && !out[2].fits);
	/* The output's bound holds. */
	CHECK(plan_build(g, 3, cs, 3, 40, out, 1) == 1);
}

int
main(void)
{
	test_guess();
	test_staircase();
	test_worked_example();
	test_pool();
	test_simulation();
	test_plan();
	test_plan_hours();
	T_SUMMARY();
}
