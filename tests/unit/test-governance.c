/*
 * test-governance.c: the governance maturity model and the practice
 * cards (governance.c): the shipped content parses; each mistake is
 * reported at its line; the benchmark's means and the decimal comma.
 */

#include <stdlib.h>
#include <string.h>

#include "capacita.h"
#include "harness.h"

static const char	*head =
    "---\ntitle: T\ntitle-en: T\nslug: m\nsummary: S\nsummary-en: S\n"
    "levels:\n  - Uno | One\n  - Due | Two\n  - Tre | Three\n"
    "  - Quattro | Four\nsources:\n  - S1 https://example.org/s A source\n"
    "---\n";

static void	test_shipped(void);
static void	test_errors(void);
static void	test_bench(void);
static char	*model_with(const char *);
static int	errors_at(const char *, const char *);

static char *
model_with(const char *body)
{
	char	*s;

	(void)xasprintf(&s, "%s%s", head, body);
	return (s);
}

/* Parse src as a model; 1 when a message at line says what. */
static int
errors_at(const char *src, const char *want)
{
	struct diaglist		 dl;
	struct gov_model	*m;
	struct buf		 b;
	int			 ok;

	diag_init(&dl);
	m = gov_model_parse("m.md", src, strlen(src), &dl);
	buf_init(&b, 256);
	diag_format(&b, &dl);
	ok = m == NULL && strstr(b.data, want) != NULL;
	if (!ok)
		fprintf(stderr, "  messages: %s\n", b.data);
	gov_model_free(m);
	diag_free(&dl);
	buf_free(&b);
	return (ok);
}

static void
test_shipped(void)
{
	struct gov_content	 g;
	struct diaglist		 dl;
	const struct gov_dimension *d;

	diag_init(&dl);
	CHECK(gov_load(&g, ".", NULL, &dl) == 0);
	CHECK(diag_count(&dl) == 0);
	CHECK(g.model != NULL);
	if (g.model != NULL) {
		CHECK(g.model->ndims == 7);
		CHECK(g.model->nlevels == 4);
		CHECK_STR(g.model->level_names[0][LANG_EN], "Initial");
		d = gov_model_find(g.model, "PARTNER");
		CHECK(d != NULL && d->nlevels == 4 && d->ncompetences == 3);
		CHECK(d != NULL && strcmp(d->competences[0], "COO.1") == 0);
		CHECK(gov_model_find(g.model, "NOPE") == NULL);
	}
	CHECK(g.npractices >= 6);
	gov_content_free(&g);
	diag_free(&dl);
}

static void
test_errors(void)
{
	static const char	*level =
	    "### 1\n- it: a\n- en: a\n- evidence-it: a\n- evidence-en: a\n";
	struct buf		 body;
	char			*s;
	int			 i;

	/* A complete dimension parses. */
	buf_init(&body, 1024);
	buf_puts(&body, "## COORD Coordinamento | Coordination\n"
	    "- competences: GOV.1\n- sources: S1\n- it: x\n- en: y\n");
	for (i = 1; i <= 4; i++)
		buf_printf(&body, "%.4s%d%s", level, i, level + 5);
	s = model_with(body.data);
	{
		struct diaglist		 dl;
		struct gov_model	*m;

		diag_init(&dl);
		m = gov_model_parse("m.md", s, strlen(s), &dl);
		CHECK(m != NULL && m->ndims == 1);
		gov_model_free(m);
		diag_free(&dl);
	}
	free(s);

	/* Line 15 is the first of the body. */
	s = model_with("## coord lower | x\n");
	CHECK(errors_at(s, "m.md:15: a dimension heading is"));
	free(s);
	s = model_with("## COORD Nome senza inglese\n");
	CHECK(errors_at(s, "m.md:15: a dimension heading is"));
	free(s);
	s = model_with("## COORD A | B\n- competences: GOV.1\n- sources: S9\n");
	CHECK(errors_at(s, "m.md:17: unknown source 'S9'"));
	free(s);
	s = model_with("## COORD A | B\n- colour: blue\n");
	CHECK(errors_at(s, "m.md:16: unknown item 'colour'"));
	free(s);
	s = model_with("## COORD A | B\nplain text\n");
	CHECK(errors_at(s, "m.md:16: expected '- key: value'"));
	free(s);
	s = model_with("## COORD A | B\n### 2\n");
	CHECK(errors_at(s, "m.md:16: expected '### 1'"));
	free(s);
	s = model_with("## COORD A | B\n- competences: GOV.1\n- sources: S1\n"
	    "- it: x\n- en: y\n### 1\n- it: a\n");
	CHECK(errors_at(s, "m.md:15: dimension COORD describes 1 levels"));
	CHECK(errors_at(s, "m.md:20: level 1 of COORD needs"));
	free(s);
	buf_free(&body);
	CHECK(errors_at("---\ntitle: T\n---\n", "m.md:1: missing title-en"));
	CHECK(errors_at("no front matter", "m.md:1"));
	{
		struct diaglist		 dl;
		struct gov_practice	*c;
		const char		*card = "---\ntitle: T\ntitle-en: T\n"
		    "slug: c\ncountry: FR\nregion: R\nsector: S\n"
		    "sector-en: S\ncontact-role: C\ncontact-role-en: C\n"
		    "dimensions: COORD\nsources:\n  - https://e.org/ E\n---\n"
		    "## Cosa è stato fatto\nx\n## Risultati\n";
		struct buf		 b;

		diag_init(&dl);
		c = gov_practice_parse("c.md", card, strlen(card), &dl);
		buf_init(&b, 256);
		diag_format(&b, &dl);
		CHECK(c == NULL);
		CHECK_HAS(b.data, "c.md:1: 'country' is one of");
		CHECK_HAS(b.data, "c.md:17: missing Risultati");
		buf_free(&b);
		diag_free(&dl);
	}
}

static void
test_bench(void)
{
	static const char *const	 groups[] = { "campania", "puglia" };
	static const char *const	 dims[] = { "COORD", "PARTNER" };
	struct gov_bench_row		 rows[4];
	double				 means[4];
	size_t				 counts[4];
	char				 v[16];

	memset(rows, 0, sizeof(rows));
	xstrlcpy(rows[0].region, "campania", sizeof(rows[0].region));
	xstrlcpy(rows[0].dimension, "PARTNER", sizeof(rows[0].dimension));
	rows[0].level = 2;
	rows[1] = rows[0];
	rows[1].level = 1;
	xstrlcpy(rows[2].region, "puglia", sizeof(rows[2].region));
	xstrlcpy(rows[2].dimension, "COORD", sizeof(rows[2].dimension));
	rows[2].level = 3;
	rows[3] = rows[2];
	xstrlcpy(rows[3].region, "lazio", sizeof(rows[3].region));
	gov_bench_means(rows, 4, groups, 2, dims, 2, 0, means, counts);
	CHECK(means[0] < 0 && counts[0] == 0);		/* campania COORD */
	CHECK(means[1] == 1.5 && counts[1] == 2);	/* campania PARTNER */
	CHECK(means[2] == 3 && counts[2] == 1);		/* puglia COORD */
	CHECK(means[3] < 0);
	gov_fmt(v, sizeof(v), 1.5);
	CHECK_STR(v, "1,5");
	gov_fmt(v, sizeof(v), 2.25);
	CHECK_STR(v, "2,2");
	gov_fmt(v, sizeof(v), -1);
	CHECK_STR(v, "-");
}

int
main(void)
{
	test_shipped();
	test_errors();
	test_bench();
	printf("%d passed, %d failed\n", t_passed, t_failed);
	return (t_failed > 0);
}
