/*
 * test-parse.c: the content formats: front matter, quiz blocks, modules,
 * courses, the framework and whole content trees (tests/data).
 */

#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "capacita.h"
#include "harness.h"

static char	*diags(struct diaglist *);
static void	 test_frontmatter(void);
static void	 test_quiz_types(void);
static void	 test_quiz_errors(void);
static void	 test_module(void);
static void	 test_module_safety(void);
static void	 test_course(void);
static void	 test_content_good(void);
static void	 test_content_bad(void);
static void	 test_shipped(void);

static char *
diags(struct diaglist *dl)
{
	struct buf	b;

	buf_init(&b, 256);
	diag_format(&b, dl);
	return (buf_release(&b));
}

static void
test_frontmatter(void)
{
	struct frontmatter	 fm;
	struct diaglist		 dl;
	const char		*src;
	char			*d;

	src = "---\ntitle: \"Quoted: yes\"\nlist:\n  - a\n  - b c\n"
	    "long: one\n  two\n---\nBody\n";
	diag_init(&dl);
	CHECK(fm_parse("x.md", src, strlen(src), &fm, &dl) == 0);
	CHECK_STR(fm_str(&fm, "title"), "Quoted: yes");
	CHECK(fm_get(&fm, "list") != NULL && fm_get(&fm, "list")->nitems == 2);
	CHECK_STR(fm_get(&fm, "list")->items[1], "b c");
	CHECK(fm_get(&fm, "list")->item_lines[1] == 5);
	CHECK_STR(fm_str(&fm, "long"), "one two");
	CHECK(fm.body_line == 9);
	CHECK(strncmp(src + fm.body_off, "Body", 4) == 0);
	CHECK(fm_check_unknown(&fm, "x.md", "title list", &dl) == 1);
	d = diags(&dl);
	CHECK_HAS(d, "x.md:6: unknown key 'long'");
	free(d);
	fm_free(&fm);
	diag_free(&dl);

	src = "---\na: 1\na: 2\nnot a pair\n---\n";
	diag_init(&dl);
	CHECK(fm_parse("y.md", src, strlen(src), &fm, &dl) == 2);
	d = diags(&dl);
	CHECK_HAS(d, "y.md:3: duplicate key 'a' (first on line 2)");
	CHECK_HAS(d, "y.md:4: expected 'key: value'");
	free(d);
	fm_free(&fm);
	diag_free(&dl);

	src = "no front matter\n";
	diag_init(&dl);
	CHECK(fm_parse("z.md", src, strlen(src), &fm, &dl) == 1);
	d = diags(&dl);
	CHECK_HAS(d, "z.md:1: missing front matter");
	free(d);
	fm_free(&fm);
	diag_free(&dl);
}

static void
test_quiz_types(void)
{
	struct quiz	 q;
	struct diaglist	 dl;
	const char	*src;

	src =
	    "? Single\ncompetenza: AB.1 base\n( ) no\n  -> nope\n(x) yes\n\n"
	    "? Multi\n  on two lines\ncompetence: AB.2 avanzato\npunti: 3\n"
	    "[x] a\n[ ] b\n[X] c\n"
	    "? TF\ncompetenza: AB.1 base\n= falso\n"
	    "? Num\ncompetenza: AB.1 base\n= -2,5 +- 0,5\n"
	    "? Num2\ncompetenza: AB.1 base\n= 40 \xc2\xb1 2\n"
	    "? Short\ncompetenza: AB.1 base\n= Questura | la  Questura\n"
	    "giusto: bravo\nsbagliato: no\n"
	    "? Order\ncompetenza: AB.1 base\n1. x\n2. y\n3. z\n"
	    "// a comment\n";
	memset(&q, 0, sizeof(q));
	diag_init(&dl);
	CHECK(quiz_parse(&q, "q.md", src, strlen(src), 10, &dl) == 0);
	CHECK(diag_count(&dl) == 0);
	CHECK(q.nq == 7);
	if (q.nq != 7)
		goto out;
	CHECK(q.q[0].type == QUIZ_SINGLE && q.q[0].nopts == 2);
	CHECK(q.q[0].line == 10);
	CHECK(!q.q[0].opts[0].correct && q.q[0].opts[1].correct);
	CHECK_STR(q.q[0].opts[0].feedback, "nope");
	CHECK_STR(q.q[0].competence, "AB.1");
	CHECK_STR(q.q[0].level, "base");
	CHECK(q.q[1].type == QUIZ_MULTIPLE && q.q[1].points == 3);
	CHECK_STR(q.q[1].text, "Multi\non two lines");
	CHECK(q.q[1].opts[0].correct && !q.q[1].opts[1].correct &&
	    q.q[1].opts[2].correct);
	CHECK(q.q[2].type == QUIZ_TRUEFALSE && q.q[2].truth == 0);
	CHECK(q.q[3].type == QUIZ_NUMERIC && q.q[3].number == -2.5 &&
	    q.q[3].tolerance == 0.5);
	CHECK(q.q[4].type == QUIZ_NUMERIC && q.q[4].number == 40 &&
	    q.q[4].tolerance == 2);
	CHECK(q.q[5].type == QUIZ_SHORT && q.q[5].nopts == 2);
	CHECK_STR(q.q[5].opts[1].text, "la  Questura");
	CHECK_STR(q.q[5].fb_correct, "bravo");
	CHECK_STR(q.q[5].fb_wrong, "no");
	CHECK(q.q[6].type == QUIZ_ORDER && q.q[6].nopts == 3);
	CHECK_STR(q.q[6].opts[2].text, "z");
out:
	quiz_free(&q);
	diag_free(&dl);
}

static void
test_quiz_errors(void)
{
	static const struct {
		const char	*src;
		const char	*want;
	} cases[] = {
		{ "( ) orphan\n", "q.md:1: expected a question" },
		{ "? Q\ncompetenza: AB.1 base\n(x) a\n(x) b\n",
		    "q.md:1: single-choice question has 2 right answers" },
		{ "? Q\n( ) a\n(x) b\n", "q.md:1: question has no 'competenza" },
		{ "? Q\ncompetenza: AB.1 base\n[ ] a\n[ ] b\n",
		    "q.md:1: multiple-choice question has no right answer" },
		{ "? Q\ncompetenza: AB.1 base\n( ) a\n[x] b\n",
		    "q.md:4: cannot mix ( ) and [ ] answers" },
		{ "? Q\ncompetenza: AB.1 base\n= 1\n= 2\n",
		    "q.md:4: only one '=' answer" },
		{ "? Q\ncompetenza: AB.1 base\n1. a\n3. b\n",
		    "q.md:4: expected item number 2" },
		{ "? Q\ncompetenza: gov1 base\n(x) a\n( ) b\n",
		    "q.md:2: invalid competence code 'gov1'" },
		{ "? Q\ncompetenza: A.1\n(x) a\n( ) b\n",
		    "q.md:2: write the competence as" },
		{ "? Q\ncompetenza: AB.1 base\npunti: 0\n(x) a\n( ) b\n",
		    "q.md:3: points must be a whole number" },
		{ "? Q\ncompetenza: AB.1 base\n= 5 ± x\n",
		    "q.md:3: invalid tolerance" },
		{ "? Q\ncompetenza: AB.1 base\n-> early\n",
		    "q.md:3: feedback '->' must follow an answer" },
		{ "? Q\ncompetenza: AB.1 base\n(x) a\n( ) b\nstray text\n",
		    "q.md:5: unexpected line 'stray text'" },
		{ "? \n", "q.md:1: question without text" },
		{ "? Q\ncompetenza: AB.1 base\n", "q.md:1: question has no "
		    "answers" },
		{ "? Q\ncompetenza: AB.1 base\n= a || b\n",
		    "q.md:3: empty accepted answer" },
	};
	struct quiz	 q;
	struct diaglist	 dl;
	size_t		 i;
	char		*d;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		memset(&q, 0, sizeof(q));
		diag_init(&dl);
		CHECK(quiz_parse(&q, "q.md", cases[i].src,
		    strlen(cases[i].src), 1, &dl) > 0);
		d = diags(&dl);
		CHECK_HAS(d, cases[i].want);
		free(d);
		quiz_free(&q);
		diag_free(&dl);
	}
}

static void
test_module(void)
{
	struct diaglist	 dl;
	struct module	*m;
	char		*src, *d;
	size_t		 len;

	diag_init(&dl);
	CHECK(file_read("tests/data/good/modules/alpha.md", &src, &len,
	    SOURCE_MAX) == 0);
	m = module_parse("alpha.md", src, len, &dl);
	d = diags(&dl);
	CHECK_STR(d, "");
	free(d);
	CHECK(m != NULL);
	if (m == NULL) {
		free(src);
		diag_free(&dl);
		return;
	}
	CHECK_STR(m->slug, "alpha");
	CHECK_STR(m->title, "Alpha <module> & \"friends\"");
	CHECK(m->minutes == 20);
	CHECK(m->ncompetences == 2);
	CHECK_STR(m->version_note, "First edition");
	CHECK(m->quiz.nq == 6);
	CHECK(m->quiz.q[0].line == 23);
	CHECK(strlen(m->sha256) == 64);
	CHECK(m->words > 5);
	/* The quiz never reaches the reading page. */
	CHECK_LACKS(m->html, "Which is right");
	CHECK_LACKS(m->html, "competenza");
	/* The leading "# Alpha" is dropped, other h1 become h2. */
	CHECK_LACKS(m->html, "<h1>");
	CHECK_HAS(m->html, "<h2>A second top heading</h2>");
	CHECK_HAS(m->html, "<em>emphasis</em>");
	CHECK_HAS(m->html, "<h2>Fonti</h2>");
	module_free(m);
	free(src);
	diag_free(&dl);
}

static void
test_module_safety(void)
{
	struct diaglist	 dl;
	struct module	*m;
	const char	*src;

	src = "---\ntitle: t\nslug: s\nlang: it\nminutes: 1\nsummary: s\n"
	    "---\n<script>alert(1)</script>\n\n"
	    "[x](javascript:alert(1)) [y](JAVASCRIPT:alert(2)) "
	    "<img src=x onerror=alert(3)> [z](data:text/html;base64,PHNjcmlwdD4=)"
	    " <a href=\"javascript:alert(4)\">a</a>\n";
	diag_init(&dl);
	m = module_parse("s.md", src, strlen(src), &dl);
	CHECK(m != NULL);
	if (m != NULL) {
		CHECK_LACKS(m->html, "<script");
		CHECK_LACKS(m->html, "javascript:");
		CHECK_LACKS(m->html, "JAVASCRIPT:");
		CHECK_LACKS(m->html, "onerror");
		CHECK_LACKS(m->html, "data:text/html");
		CHECK_LACKS(m->html, "<img");
		CHECK_HAS(m->html, "raw HTML omitted");
		module_free(m);
	}
	diag_free(&dl);
}

static void
test_course(void)
{
	struct diaglist	 dl;
	struct course	*c;
	const char	*src;
	char		*d;

	src = "---\ntitle: C\nslug: c\nlang: it\nsummary: s\nhours: 2,5\n"
	    "modules:\n  - a\n  - b\ncompletion: quiz 80%\nattempts: 0\n"
	    "grading: ultimo\ncompetences:\n  - TST.1 base\n---\n*Hi*\n";
	diag_init(&dl);
	c = course_parse("c.md", src, strlen(src), &dl);
	CHECK(c != NULL);
	if (c != NULL) {
		CHECK(c->hours == 2.5);
		CHECK(c->nmodules == 2);
		CHECK(c->module_lines[1] == 9);
		CHECK(c->pass_percent == 80);
		CHECK(c->attempts == 0);
		CHECK(c->grading == GRADING_LAST);
		CHECK(c->ncompetences == 1);
		CHECK_STR(c->competences[0].level, "base");
		CHECK_STR(c->badge_name, "C");
		CHECK_HAS(c->html, "<em>Hi</em>");
		course_free(c);
	}
	diag_free(&dl);

	src = "---\ntitle: C\nslug: c\nlang: it\nsummary: s\nhours: -1\n"
	    "modules:\n  - a\n  - a\ncompletion: lots\ngrading: best\n---\n";
	diag_init(&dl);
	CHECK(course_parse("c.md", src, strlen(src), &dl) == NULL);
	d = diags(&dl);
	CHECK_HAS(d, "c.md:6: hours must be");
	CHECK_HAS(d, "c.md:9: module 'a' listed twice");
	CHECK_HAS(d, "c.md:10: completion must be");
	CHECK_HAS(d, "c.md:11: grading must be");
	free(d);
	diag_free(&dl);
}

static void
test_content_good(void)
{
	struct diaglist	 dl;
	struct content	 ct;

	diag_init(&dl);
	CHECK(content_load(&ct, "tests/data/good", &dl) == 0);
	CHECK(diag_count(&dl) == 0);
	CHECK(ct.nmodules == 2 && ct.ncourses == 1);
	CHECK(ct.framework != NULL && ct.framework->ncomps == 2);
	CHECK(ct.framework != NULL && ct.framework->nlevels == 3);
	CHECK(ct.framework != NULL &&
	    framework_level(ct.framework, "avanzato") == 3);
	CHECK(ct.framework != NULL &&
	    strcmp(ct.framework->areas[0].description,
	    "The area of tests.") == 0);
	content_free(&ct);
	diag_free(&dl);
}

static void
test_content_bad(void)
{
	struct diaglist	 dl;
	struct content	 ct;
	char		*d;
	int		 skipped;

	diag_init(&dl);
	skipped = content_load(&ct, "tests/data/bad", &dl);
	d = diags(&dl);
	CHECK(skipped == 8);
	/* The good files still load. */
	CHECK(ct.nmodules == 1 && strcmp(ct.modules[0]->slug, "beta") == 0);
	CHECK(ct.ncourses == 1 &&
	    strcmp(ct.courses[0]->slug, "good-course") == 0);
	CHECK_HAS(d, "tests/data/bad/modules/unterminated.md:1: front "
	    "matter is not closed");
	CHECK_HAS(d, "tests/data/bad/modules/unknown-key.md:4: unknown key "
	    "'autore'");
	CHECK_HAS(d, "tests/data/bad/modules/missing-title.md:1: missing "
	    "required key 'title'");
	CHECK_HAS(d, "tests/data/bad/modules/bad-utf8.md:9: invalid UTF-8");
	CHECK_HAS(d, "tests/data/bad/modules/dup-copy.md:3: duplicate slug "
	    "'beta'");
	CHECK_HAS(d, "tests/data/bad/modules/bad-quiz.md:11: single-choice");
	CHECK_HAS(d, "tests/data/bad/modules/bad-quiz.md:16: question has "
	    "no 'competenza");
	CHECK_HAS(d, "tests/data/bad/modules/bad-quiz.md:23: cannot mix");
	CHECK_HAS(d, "tests/data/bad/modules/quiz-unknown-comp.md:12: "
	    "competence 'XYZ.9' is not in the framework");
	CHECK_HAS(d, "tests/data/bad/modules/quiz-unknown-comp.md:17: "
	    "unknown level 'expert'");
	CHECK_HAS(d, "tests/data/bad/courses/missing-module.md:9: module "
	    "'does-not-exist' does not exist");
	free(d);
	content_free(&ct);
	diag_free(&dl);
}

/* Every shipped file passes, and the curriculum is what #4 promises. */
static void
test_shipped(void)
{
	struct diaglist	 dl;
	struct content	 ct;
	size_t		 i;
	char		*d;

	diag_init(&dl);
	CHECK(content_load(&ct, ".", &dl) == 0);
	d = diags(&dl);
	CHECK_STR(d, "");
	free(d);
	CHECK(ct.framework != NULL);
	CHECK(ct.nmodules >= 9);
	CHECK(ct.ncourses >= 3);
	for (i = 0; i < ct.nmodules; i++) {
		if (ct.modules[i]->quiz.nq < 8 || ct.modules[i]->quiz.nq > 12)
			fprintf(stderr, "%s: %zu questions\n",
			    ct.modules[i]->path, ct.modules[i]->quiz.nq);
		CHECK(ct.modules[i]->quiz.nq >= 8 &&
		    ct.modules[i]->quiz.nq <= 12);
		CHECK(strcmp(ct.modules[i]->lang, "it") == 0);
		if (ct.modules[i]->words < 1500 || ct.modules[i]->words > 3000)
			fprintf(stderr, "%s: %zu words\n", ct.modules[i]->path,
			    ct.modules[i]->words);
		CHECK(ct.modules[i]->words >= 1500 &&
		    ct.modules[i]->words <= 3000);
		CHECK_HAS(ct.modules[i]->source, "## Fonti");
	}
	content_free(&ct);
	diag_free(&dl);
}

int
main(void)
{
	if (sodium_init() < 0)
		return (1);
	test_frontmatter();
	test_quiz_types();
	test_quiz_errors();
	test_module();
	test_module_safety();
	test_course();
	test_content_good();
	test_content_bad();
	test_shipped();
	T_SUMMARY();
}
