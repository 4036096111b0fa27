/*
 * placement.c: the adaptive placement test and the personal training
 * plan, on plain data (README.md, "Placement test" and "Personal
 * plan"). No Kore, no libpq: store-placement.c loads the pool and the
 * answers, this file decides.
 *
 * The placement test, per competence: the levels are ranks 1..L, a
 * person's level k is 0 (none) to L. Every level starts equally likely.
 * A person of level k answers a question of level j right with
 * probability 1 - PLACEMENT_SLIP when j <= k, and with the question's
 * guessing chance (placement_guess(): one in the number of choices, one
 * half for true/false, little for short, numeric and ordering answers)
 * when j > k. After each answer the probabilities are updated (Bayes);
 * the next question is at the level of a staircase that starts at the
 * middle level and moves up after a right answer, down after a wrong
 * one. The test of a competence stops when one level is at least
 * PLACEMENT_CONFIDENCE likely (after PLACEMENT_MIN questions), after
 * PLACEMENT_MAX questions, or when the pool has no question left that
 * the person has not seen in the last attempt. The result is the most
 * likely level.
 */

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "capacita.h"

static int	pick_level(const struct placement_state *,
		    const struct placement_item *, size_t);

/* The chance of a right answer to a question by someone guessing. */
double
placement_guess(enum quiz_type type, size_t nopts)
{
	double	g;

	switch (type) {
	case QUIZ_SINGLE:
		return (nopts >= 2 ? 1.0 / (double)nopts : 0.5);
	case QUIZ_MULTIPLE:
		/* Exactly the right subset of n choices, none empty. */
		g = nopts >= 1 && nopts < 16 ? 1.0 / (double)((1u << nopts) -
		    1) : 0.02;
		return (g < 0.02 ? 0.02 : g);
	case QUIZ_TRUEFALSE:
		return (0.5);
	case QUIZ_ORDER:
		return (nopts <= 2 ? 0.5 : nopts == 3 ? 1.0 / 6 : 0.04);
	case QUIZ_NUMERIC:
	case QUIZ_SHORT:
	default:
		return (0.02);
	}
}

void
placement_init(struct placement_state *s, int nlevels)
{
	int	k;

	memset(s, 0, sizeof(*s));
	if (nlevels < 1)
		nlevels = 1;
	if (nlevels > PLACEMENT_LEVELS_MAX)
		nlevels = PLACEMENT_LEVELS_MAX;
	s->nlevels = nlevels;
	for (k = 0; k <= nlevels; k++)
		s->post[k] = 1.0 / (double)(nlevels + 1);
	s->current = (nlevels + 1) / 2;
	s->confidence = s->post[0];
}

/* One answer to a question of level (rank) `level`. */
void
placement_update(struct placement_state *s, int level, double guess,
    int correct)
{
	double	p, z;
	int	k;

	if (level < 1 || level > s->nlevels)
		return;
	if (guess < 0.01)
		guess = 0.01;
	if (guess > 0.99)
		guess = 0.99;
	z = 0;
	for (k = 0; k <= s->nlevels; k++) {
		p = k >= level ? 1 - PLACEMENT_SLIP : guess;
		s->post[k] *= correct ? p : 1 - p;
		z += s->post[k];
	}
	s->level = 0;
	for (k = 0; k <= s->nlevels; k++) {
		s->post[k] = z > 0 ? s->post[k] / z : 1.0 / (s->nlevels + 1);
		if (s->post[k] > s->post[s->level])
			s->level = k;
	}
	s->confidence = s->post[s->level];
	s->asked++;
	s->current = correct ? (level < s->nlevels ? level + 1 : level) :
	    (level > 1 ? level - 1 : level);
}

/* Has the test of this competence stopped (leaving the pool aside)? */
int
placement_stopped(const struct placement_state *s)
{
	return (s->asked >= PLACEMENT_MAX || (s->asked >= PLACEMENT_MIN &&
	    s->confidence >= PLACEMENT_CONFIDENCE));
}

/* The level nearest the staircase's with a question left, or 0. */
static int
pick_level(const struct placement_state *s,
    const struct placement_item *pool, size_t n)
{
	size_t	i;
	int	d, lv, c, have[PLACEMENT_LEVELS_MAX + 1];

	memset(have, 0, sizeof(have));
	for (i = 0; i < n; i++)
		if (!pool[i].asked && !pool[i].seen && pool[i].level >= 1 &&
		    pool[i].level <= s->nlevels)
			have[pool[i].level] = 1;
	for (d = 0; d < s->nlevels; d++) {
		for (c = 0; c < 2; c++) {
			lv = c == 0 ? s->current - d : s->current + d;
			if (lv >= 1 && lv <= s->nlevels && have[lv])
				return (lv);
		}
	}
	return (0);
}

/*
 * The next question of a competence's pool, by index, or -1 when the
 * test of this competence is over. At the chosen level, the question
 * least open to guessing comes first, then the lowest id.
 */
long
placement_next(const struct placement_state *s,
    const struct placement_item *pool, size_t n)
{
	size_t	i;
	long	best = -1;
	int	lv;

	if (placement_stopped(s) || (lv = pick_level(s, pool, n)) == 0)
		return (-1);
	for (i = 0; i < n; i++) {
		if (pool[i].asked || pool[i].seen || pool[i].level != lv)
			continue;
		if (best < 0 || pool[i].guess < pool[best].guess ||
		    (pool[i].guess == pool[best].guess &&
		    pool[i].id < pool[best].id))
			best = (long)i;
	}
	return (best);
}

/*
 * Replay a competence's answers (in the order given) into a state: the
 * store keeps answers, not states.
 */
void
placement_replay(struct placement_state *s, int nlevels,
    const struct placement_answer *a, size_t n)
{
	size_t	i;

	placement_init(s, nlevels);
	for (i = 0; i < n; i++)
		placement_update(s, a[i].level, a[i].guess, a[i].correct);
}

/* Does the pool have enough questions at every level for placement? */
int
placement_pool_ok(const struct placement_item *pool, size_t n, int nlevels)
{
	int	count[PLACEMENT_LEVELS_MAX + 1], k;
	size_t	i;

	memset(count, 0, sizeof(count));
	for (i = 0; i < n; i++)
		if (pool[i].level >= 1 && pool[i].level <= nlevels &&
		    pool[i].level <= PLACEMENT_LEVELS_MAX)
			count[pool[i].level]++;
	for (k = 1; k <= nlevels && k <= PLACEMENT_LEVELS_MAX; k++)
		if (count[k] < 1)
			return (0);
	return (1);
}

/*
 * The personal plan. Gaps come largest first (required minus reached
 * rank; then by code). For each gap the course that certifies the
 * competence at the required level with the fewest hours is chosen,
 * or, when none does, the one certifying the highest level above the
 * reached one (a step towards it). A course chosen for several gaps is
 * one item naming them all. Items a person completed are left out;
 * items HR removed are left out and kept for HR's view; items HR pinned
 * come first. Within the order, a course teaching a lower level of a
 * competence comes before one teaching a higher level of it (the
 * prerequisite first). Then the year's hours are filled in that order:
 * an item whose hours do not fit in what is left of the year is marked
 * over (it stays on the plan, after the ones that fit).
 */
static int
gap_cmp(const void *a, const void *b)
{
	const struct plan_gap	*x = a, *y = b;
	int			 gx = x->required - x->reached;
	int			 gy = y->required - y->reached;

	if (gx != gy)
		return (gy - gx);
	return (strcmp(x->competence, y->competence));
}

static int
claim_of(const struct plan_course *c, const char *comp)
{
	size_t	i;

	for (i = 0; i < c->nclaims; i++)
		if (strcmp(c->claims[i].competence, comp) == 0)
			return (c->claims[i].rank);
	return (0);
}

/* Must course a come before course b (a lower level of a competence)? */
static int
before(const struct plan_course *a, const struct plan_course *b)
{
	size_t	i;
	int	rb;

	for (i = 0; i < a->nclaims; i++) {
		rb = claim_of(b, a->claims[i].competence);
		if (rb > 0 && a->claims[i].rank < rb)
			return (1);
	}
	return (0);
}

size_t
plan_build(struct plan_gap *gaps, size_t ngaps,
    const struct plan_course *courses, size_t ncourses, double hours_left,
    struct plan_item *out, size_t max)
{
	size_t	 i, j, k, n = 0;
	long	 best;
	int	 r, br, exact, bexact;
	double	 left = hours_left;
	struct plan_item	 t;

	qsort(gaps, ngaps, sizeof(*gaps), gap_cmp);
	for (i = 0; i < ngaps; i++) {
		if (gaps[i].required <= gaps[i].reached)
			continue;
		best = -1;
		br = 0;
		bexact = 0;
		for (j = 0; j < ncourses; j++) {
			if (courses[j].removed || courses[j].completed)
				continue;
			r = claim_of(&courses[j], gaps[i].competence);
			if (r <= gaps[i].reached)
				continue;
			exact = r >= gaps[i].required;
			if (best < 0 || (exact && !bexact) || (exact ==
			    bexact && (exact ? courses[j].hours <
			    courses[best].hours : r > br))) {
				best = (long)j;
				br = r;
				bexact = exact;
			}
		}
		if (best < 0)
			continue;
		for (k = 0; k < n; k++)
			if (out[k].course == (size_t)best)
				break;
		if (k == n) {
			if (n == max)
				continue;
			memset(&out[n], 0, sizeof(out[n]));
			out[n].course = (size_t)best;
			out[n].first_gap = i;
			out[n].size = gaps[i].required - gaps[i].reached;
			n++;
		}
		if (out[k].ngaps < PLAN_GAPS_MAX)
			out[k].gaps[out[k].ngaps++] = i;
	}
	/* Pinned courses HR added that closed no gap come last of the pins. */
	for (j = 0; j < ncourses && n < max; j++) {
		if (!courses[j].pinned || courses[j].removed ||
		    courses[j].completed)
			continue;
		for (k = 0; k < n; k++)
			if (out[k].course == j)
				break;
		if (k == n) {
			memset(&out[n], 0, sizeof(out[n]));
			out[n].course = j;
			out[n].first_gap = ngaps;
			n++;
		}
	}
	/* Pinned first, then by gap; an insertion sort keeps it stable. */
	for (i = 1; i < n; i++) {
		t = out[i];
		for (j = i; j > 0; j--) {
			const struct plan_item *p = &out[j - 1];
			int pa = courses[p->course].pinned;
			int pt = courses[t.course].pinned;

			if (pa > pt || (pa == pt && p->first_gap <=
			    t.first_gap))
				break;
			out[j] = out[j - 1];
		}
		out[j] = t;
	}
	/* The prerequisite first: move a lower level before a higher one. */
	for (i = 0; i < n; i++)
		for (j = i + 1; j < n; j++)
			if (before(&courses[out[j].course],
			    &courses[out[i].course])) {
				t = out[j];
				memmove(&out[i + 1], &out[i], (j - i) *
				    sizeof(*out));
				out[i] = t;
			}
	for (i = 0; i < n; i++) {
		if (courses[out[i].course].hours <= left + 1e-9) {
			left -= courses[out[i].course].hours;
			out[i].fits = 1;
		}
	}
	return (n);
}
