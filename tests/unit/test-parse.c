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
static void	 fw_same(const struct framework *, const struct framework *);
static int	 fc_read(const char *, const char *, struct buf *, char **);
static void	 test_framework_csv(void);
static void	 test_levels(void);
static void	 test_course_write(void);

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
		{ "? Q\ncompetenza: gov/1 base\n(x) a\n( ) b\n",
		    "q.md:2: invalid competence code 'gov/1'" },
		{ "? Q\ncompetenza: GOV.1\n(x) a\n( ) b\n",
		    "q.md:2: write the competence as 'competenza: CODE level'" },
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
		CHECK(c->review == REVIEW_AFTER_PASS);
		CHECK(c->ncompetences == 1);
		CHECK_STR(c->competences[0].level, "base");
		CHECK_STR(c->badge_name, "C");
		CHECK_HAS(c->html, "<em>Hi</em>");
		course_free(c);
	}
	diag_free(&dl);

	src = "---\ntitle: C\nslug: c\nlang: it\nsummary: s\nhours: -1\n"
	    "modules:\n  - a\n  - a\ncompletion: lots\ngrading: best\n"
	    "review: sometimes\ncompetences:\n  - TST.1 base\n"
	    "  - TST.1 avanzato\n---\n";
	diag_init(&dl);
	CHECK(course_parse("c.md", src, strlen(src), &dl) == NULL);
	d = diags(&dl);
	CHECK_HAS(d, "c.md:6: hours must be");
	CHECK_HAS(d, "c.md:9: module 'a' listed twice");
	CHECK_HAS(d, "c.md:10: completion must be");
	CHECK_HAS(d, "c.md:11: grading must be");
	CHECK_HAS(d, "c.md:12: review must be after-pass, after-last-attempt, "
	    "always or never, not 'sometimes'");
	/* Before: a database error at import (one row per competence). */
	CHECK_HAS(d, "c.md:15: competence 'TST.1' listed twice");
	free(d);
	diag_free(&dl);
}

static void
test_content_good(void)
{
	struct diaglist	 dl;
	struct content	 ct;

	char		*d;

	diag_init(&dl);
	CHECK(content_load(&ct, "tests/data/good", &dl) == 0);
	/*
	 * Nothing is left out; the warnings are the competence rule's
	 * (issue 18): a level with one question, and a claim (TST.1
	 * intermedio) that no question of the course assesses.
	 */
	CHECK(ct.nwarnings == 4 && diag_count(&dl) == 4);
	d = diags(&dl);
	CHECK_HAS(d, "tests/data/good/modules/alpha.md:32: warning: TST.2 "
	    "intermedio has only this question in the quizzes of course "
	    "'course-one'");
	CHECK_HAS(d, "tests/data/good/courses/course-one.md:14: warning: "
	    "TST.1 intermedio cannot be certified by this course: its quizzes "
	    "have 0 questions at that level");
	free(d);
	CHECK(ct.nmodules == 2 && ct.ncourses == 1);
	CHECK(ct.framework != NULL && ct.framework->ncomps == 3);
	CHECK(ct.framework != NULL && ct.framework->nlevels == 3);
	CHECK(ct.framework != NULL &&
	    framework_level(ct.framework, "avanzato") == 3);
	CHECK(ct.framework != NULL &&
	    strcmp(ct.framework->comps[0].description,
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

/*
 * The competence rule against a course (issue 18): levels with one
 * question, claims a perfect learner would not reach, a pool too small
 * for two parallel forms.
 */
static void
test_levels(void)
{
	static const char	 course_src[] =
	    "---\ntitle: C\nslug: c\nlang: it\nsummary: s\nhours: 1\n"
	    "modules:\n  - a\n  - b\nassessment: p\ncompetences:\n"
	    "  - GOV.1 intermedio\n  - ACC.2 base\n  - ACC.3 base\n"
	    "  - CAM.2 intermedio\n---\nC.\n";
	static const char	 a_src[] =
	    "? a1\ncompetenza: GOV.1 base\n= vero\n"
	    "? a2\ncompetenza: GOV.1 intermedio\n= vero\n"
	    "? a3\ncompetenza: ACC.2 base\n= vero\n"
	    "? a4\ncompetenza: ACC.3 intermedio\n= vero\n"
	    "? a5\ncompetenza: CAM.2 base\n= vero\n";
	static const char	 b_src[] =
	    "? b1\ncompetenza: GOV.1 base\n= vero\n"
	    "? b2\ncompetenza: GOV.1 intermedio\n= vero\n"
	    "? b3\ncompetenza: ACC.3 intermedio\n= vero\n"
	    "? b4\ncompetenza: CAM.2 intermedio\n= vero\n"
	    "? b5\ncompetenza: CAM.2 intermedio\n= vero\n";
	static const char	 p_src[] =
	    "? p1\ncompetenza: GOV.1 intermedio\n= vero\n"
	    "? p2\ncompetenza: GOV.1 intermedio\n= vero\n"
	    "? p3\ncompetenza: ACC.3 base\n= vero\n";
	static const char *const levels[] = { "base", "intermedio",
	    "avanzato" };
	struct level_source	 mods[2], pool;
	struct quiz		 qa, qb, qp;
	struct diaglist		 dl;
	struct course		*c;
	char			*d;

	diag_init(&dl);
	memset(&qa, 0, sizeof(qa));
	memset(&qb, 0, sizeof(qb));
	memset(&qp, 0, sizeof(qp));
	c = course_parse("c.md", course_src, strlen(course_src), &dl);
	CHECK(c != NULL);
	CHECK(quiz_parse(&qa, "a.md", a_src, strlen(a_src), 1, &dl) == 0);
	CHECK(quiz_parse(&qb, "b.md", b_src, strlen(b_src), 1, &dl) == 0);
	CHECK(quiz_parse(&qp, "p.md", p_src, strlen(p_src), 1, &dl) == 0);
	if (c == NULL)
		return;
	mods[0].quiz = &qa;
	mods[0].path = "a.md";
	mods[1].quiz = &qb;
	mods[1].path = "b.md";
	pool.quiz = &qp;
	pool.path = "p.md";
	CHECK(course_check_levels(c, mods, 2, &pool, levels, 3, &dl) == 7);
	d = diags(&dl);
	/* One question: at the question's own line. */
	CHECK_HAS(d, "a.md:8: warning: ACC.2 base has only this question");
	CHECK_HAS(d, "a.md:14: warning: CAM.2 base has only this question");
	/* GOV.1 intermedio: 2 + 2, fine; ACC.3 base: only intermedio
	 * questions, which a perfect learner reaches: fine. */
	CHECK_LACKS(d, "GOV.1 intermedio cannot");
	CHECK_LACKS(d, "ACC.3 base cannot");
	CHECK_HAS(d, "c.md:13: warning: ACC.2 base cannot be certified by "
	    "this course: its quizzes have 1 question at that level");
	CHECK_HAS(d, "c.md:15: warning: CAM.2 intermedio cannot be certified "
	    "by this course: its quizzes have 1 question at the lower level "
	    "base");
	CHECK_HAS(d, "c.md:10: warning: assessment pool 'p' has 1 question "
	    "for ACC.3 base");
	CHECK_HAS(d, "c.md:10: warning: assessment pool 'p' has 0 questions "
	    "for ACC.2 base");
	CHECK_HAS(d, "c.md:10: warning: assessment pool 'p' has 0 questions "
	    "for CAM.2 intermedio");
	CHECK_LACKS(d, "for GOV.1 intermedio");
	free(d);
	course_free(c);
	quiz_free(&qa);
	quiz_free(&qb);
	quiz_free(&qp);
	diag_free(&dl);
}

/* course_write(): what the web course editor publishes parses back. */
static void
test_course_write(void)
{
	static const char	 src[] =
	    "---\ntitle: \"  Corso: \"virgolette\" e spazi \"\nslug: c\nlang: en\n"
	    "summary: '\"Sintesi'\nhours: 2,5\nmodules:\n  - b\n  - a\n"
	    "completion: quiz 80%\nattempts: 0\ngrading: last\n"
	    "review: never\ncompetences:\n  - GOV.1 intermedio\n"
	    "assessment: pool\n---\nTesto.\n";
	struct diaglist	 dl;
	struct course	*c, *d;
	struct buf	 b;

	diag_init(&dl);
	c = course_parse("c.md", src, strlen(src), &dl);
	CHECK(c != NULL);
	if (c == NULL)
		return;
	CHECK_STR(c->title, "  Corso: \"virgolette\" e spazi ");
	CHECK_STR(c->summary, "\"Sintesi");
	buf_init(&b, 512);
	course_write(c, "Testo.", &b);
	CHECK_HAS(b.data, "hours: 2.5\n");
	CHECK_HAS(b.data, "review: never\n");
	d = course_parse("d.md", b.data, b.len, &dl);
	CHECK(d != NULL && diag_count(&dl) == 0);
	if (d != NULL) {
		CHECK_STR(d->title, c->title);
		CHECK_STR(d->summary, c->summary);
		CHECK_STR(d->lang, "en");
		CHECK(d->hours == 2.5 && d->pass_percent == 80);
		CHECK(d->attempts == 0 && d->grading == GRADING_LAST);
		CHECK(d->review == REVIEW_NEVER);
		CHECK(d->nmodules == 2 && strcmp(d->modules[0], "b") == 0);
		CHECK(d->ncompetences == 1);
		CHECK_STR(d->assessment, "pool");
		CHECK_HAS(d->html, "Testo.");
		course_free(d);
	}
	course_free(c);
	buf_free(&b);
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
		const struct module	*m = ct.modules[i];
		size_t			 j, k, pool, used;

		/* A course's pre/post question bank is not studied. */
		for (j = 0, pool = 0; j < ct.ncourses; j++)
			pool += ct.courses[j]->assessment != NULL &&
			    strcmp(ct.courses[j]->assessment, m->slug) == 0;
		CHECK(strcmp(m->lang, "it") == 0);
		CHECK_HAS(m->source, "## Fonti");
		if (pool) {
			CHECK(m->quiz.nq >= 10);
			continue;
		}
		/* A module no course holds is a placement bank (issue 23):
		 * questions, a short note and its sources. */
		for (j = 0, used = 0; j < ct.ncourses; j++)
			for (k = 0; k < ct.courses[j]->nmodules; k++)
				used += strcmp(ct.courses[j]->modules[k],
				    m->slug) == 0;
		if (!used) {
			CHECK(strncmp(m->slug, "ingresso-", 9) == 0);
			CHECK(m->quiz.nq >= 6);
			continue;
		}
		if (m->quiz.nq < 8 || m->quiz.nq > 20)
			fprintf(stderr, "%s: %zu questions\n", m->path,
			    m->quiz.nq);
		CHECK(m->quiz.nq >= 8 && m->quiz.nq <= 20);
		if (m->words < 1500 || m->words > 3000)
			fprintf(stderr, "%s: %zu words\n", m->path, m->words);
		CHECK(m->words >= 1500 && m->words <= 3000);
	}
	/* Every shipped course has a pre/post question bank (issue 18). */
	for (i = 0; i < ct.ncourses; i++)
		CHECK(ct.courses[i]->assessment != NULL);
	content_free(&ct);
	diag_free(&dl);
}

/* Two frameworks hold the same levels and the same tree. */
static void
fw_same(const struct framework *a, const struct framework *b)
{
	size_t	i;

	CHECK(a != NULL && b != NULL);
	if (a == NULL || b == NULL)
		return;
	CHECK_STR(b->slug, a->slug);
	CHECK_STR(b->title, a->title);
	CHECK_STR(b->summary, a->summary);
	CHECK_STR(b->introduction, a->introduction);
	CHECK(b->nlevels == a->nlevels);
	CHECK(b->ncomps == a->ncomps);
	CHECK(b->default_level == a->default_level);
	if (b->nlevels != a->nlevels || b->ncomps != a->ncomps)
		return;
	for (i = 0; i < a->nlevels; i++) {
		CHECK_STR(b->levels[i].name, a->levels[i].name);
		CHECK_STR(b->levels[i].description, a->levels[i].description);
		CHECK(b->levels[i].proficient == a->levels[i].proficient);
	}
	for (i = 0; i < a->ncomps; i++) {
		CHECK_STR(b->comps[i].code, a->comps[i].code);
		CHECK_STR(b->comps[i].area, a->comps[i].area);
		CHECK_STR(b->comps[i].parent ? b->comps[i].parent : "",
		    a->comps[i].parent ? a->comps[i].parent : "");
		CHECK(b->comps[i].depth == a->comps[i].depth);
		CHECK_STR(b->comps[i].name, a->comps[i].name);
		CHECK_STR(b->comps[i].description, a->comps[i].description);
	}
}

/*
 * framework_csv_read() over a string: the number of errors, the
 * Markdown in md (left empty on errors) and the diagnostics in *d.
 */
static int
fc_read(const char *path, const char *csv, struct buf *md, char **d)
{
	struct diaglist	dl;
	int		n;

	diag_init(&dl);
	buf_reset(md);
	n = framework_csv_read(path, csv, strlen(csv), md, &dl);
	*d = diags(&dl);
	diag_free(&dl);
	return (n);
}

#define FC_HDR	"Parent id number,Id number,Shortname,Description," \
		"Description format,Scale values,Scale configuration," \
		"Rule type (optional),Rule outcome (optional)," \
		"Rule config (optional),Cross referenced competency id " \
		"numbers,Exported id (optional),Is framework,Taxonomy"
#define FC_FW	",prova,Prova,Sommario.,2,\"base,intermedio,avanzato\"," \
		",,,,,,1,\n"
#define FC_AREA	",TST,Test,,2,,,,,,,1,0,\n"
#define FC_COMP	"TST,TST.1,Primo,Descrizione.,2,,,,,,,2,0,\n"
#define FC_CONF	"\"[{\"\"scaleid\"\":\"\"0\"\"}," \
		"{\"\"id\"\":1,\"\"scaledefault\"\":1,\"\"proficient\"\":1}," \
		"{\"\"id\"\":2,\"\"scaledefault\"\":0,\"\"proficient\"\":1}," \
		"{\"\"id\"\":3,\"\"scaledefault\"\":0,\"\"proficient\"\":1}]\""

/*
 * The framework as Moodle competency framework CSV: the round trips
 * Markdown -> CSV -> Markdown, Moodle's own export, and every error.
 */
static void
test_framework_csv(void)
{
	static const struct {
		const char	*csv;
		const char	*want;
	} bad[] = {
		{ "", "x.csv:1: empty file" },
		{ "Parent id number,Id number,Shortname\n" FC_FW FC_AREA
		    FC_COMP, "x.csv:1: the header has no column "
		    "'Description': the first line" },
		{ FC_FW FC_AREA FC_COMP, "x.csv:1: the header has no column "
		    "'Parent id number'" },
		{ FC_HDR "\n" FC_AREA FC_COMP, "x.csv:1: no framework row" },
		{ FC_HDR "\n,prova,Prova,,2,,,,,,,,1,\n" FC_AREA FC_COMP,
		    "x.csv:2: the framework row has no scale values" },
		{ FC_HDR "\n,prova,Prova,,2,\"base,,avanzato\",,,,,,,1,\n"
		    FC_AREA FC_COMP, "x.csv:2: empty level name in the scale "
		    "values \"base,,avanzato\"" },
		{ FC_HDR "\n,prova,Prova,,2,\"base,molto\tbravo\",,,,,,,1,\n"
		    FC_AREA FC_COMP, "x.csv:2: level 'molto\tbravo' of the "
		    "scale values has a control character" },
		{ FC_HDR "\n,prova,Prova,,2,\"base,a:b\",,,,,,,1,\n"
		    FC_AREA FC_COMP, "x.csv:2: level 'a:b' of the scale "
		    "values has a colon" },
		{ FC_HDR "\n,prova,Prova,,2,\"base,base\",,,,,,,1,\n"
		    FC_AREA FC_COMP, "x.csv:2: level 'base' appears twice" },
		{ FC_HDR "\n,Pro va,Prova,,2,base,,,,,,,1,\n" FC_AREA FC_COMP,
		    "x.csv:2: id number 'Pro va': Capacita codes are up to 100 "
		    "letters, digits, '.', '-' and '_'" },
		{ FC_HDR "\n" FC_FW FC_AREA "TST,\"T,1\",Primo,,2,,,,,,,2,0,\n",
		    "x.csv:4: id number 'T,1': Capacita codes" },
		{ FC_HDR "\n" FC_FW FC_AREA "B,A,Primo,,2,,,,,,,2,0,\n"
		    "A,B,Secondo,,2,,,,,,,3,0,\n", "x.csv:4: 'A' is among its "
		    "own parents" },
		{ FC_HDR "\n" FC_FW FC_AREA
		    "TST,TST.1,Primo,,2,\"no,si\",,,,,,2,0,\n", "x.csv:4: "
		    "competence 'TST.1' has a scale of its own (\"no,si\")" },
		{ FC_HDR "\n,prova,Prova,,2,\"a,b\",\"[{\"\"id\"\":3}\","
		    ",,,,,1,\n" FC_AREA FC_COMP, "x.csv:2: the scale "
		    "configuration is not Moodle's" },
		{ FC_HDR "\n,prova,Prova,,2,\"a,b\",\"[{\"\"scaleid\"\":1},"
		    "{\"\"id\"\":3,\"\"proficient\"\":1}]\",,,,,,1,\n" FC_AREA
		    FC_COMP, "x.csv:2: the scale configuration names a value "
		    "the scale values do not have (ids go from 1 to 2)" },
		{ FC_HDR "\n,prova,Prova,,2,\"a,b\",\"[{\"\"scaleid\"\":1},"
		    "{\"\"id\"\":1,\"\"scaledefault\"\":1}]\",,,,,,1,\n"
		    FC_AREA FC_COMP, "x.csv:2: the scale configuration marks "
		    "no value as proficient" },
		{ FC_HDR "\n" FC_FW ",TST,T\xff,,2,,,,,,,1,0,\n" FC_COMP,
		    "x.csv:3: invalid UTF-8" },
		{ FC_HDR "\n" FC_FW FC_AREA "TST,TST.1,\"Primo,2\n",
		    "x.csv:4: unterminated quoted field" },
		{ FC_HDR "\n" FC_FW "prova,TST,Test,,2,,,,,,,1,0,\n" FC_COMP,
		    "x.csv:3: parent id number 'prova' is the framework" },
		{ FC_HDR "\n" FC_FW FC_AREA ",,Senza codice,,2,,,,,,,2,0,\n"
		    FC_COMP, "x.csv:4: empty id number" },
		{ FC_HDR "\n" FC_FW, "x.csv:1: the file defines no "
		    "competence" },
		{ FC_HDR "\n" FC_FW FC_AREA
		    "TST,TST.1,Primo,<p>x</p>,html,,,,,,,2,0,\n",
		    "x.csv:4: description format 'html' is not one of 0" },
	};
	/*
	 * Canonical CSV with names and descriptions that mean something
	 * in Markdown or in front matter; it must come back byte for byte.
	 */
	static const char tricky[] = FC_HDR "\r\n"
	    ",quadro-prova,\"\"\"Quadro\"\" di \"\"prova\"\"\",\"'Sommario' "
	    "con *stelle* e _trattini_\n\n- **base**: conosce \"\"le "
	    "basi\"\": poco\n- **medio**:\n- **'alto'**: 'molto'\",4,"
	    "\"base,medio,'alto'\"," FC_CONF ",,,,,,1,\"domain,competency\""
	    "\r\n"
	    ",TRK,C# & <b>Strumenti</b> [uno](x) ##,1. elenco? no: "
	    "*enfasi* e `codice` \\ fine #,2,,,,,,,1,0,\r\n"
	    "TRK,TRK.1,\"Uso di *stelle*, _trattini_ e `apici`\",a: b: c "
	    "<b>non html</b> &copy; [link](http://x) ![img](y) \\ fine,2,"
	    ",,,,,,2,0,\r\n"
	    "TRK,TRK.2,# Non un titolo [x],**doppio** __doppio__ ~~barrato~~ "
	    "2. due,2,,,,,,,3,0,\r\n"
	    ",ALT,Altro,- non un elenco & &amp; <http://example.org>,2,,,,,,,"
	    "4,0,\r\n"
	    "ALT,ALT.1,Semplice,\"uno, \"\"due\"\", tre\",2,,,,,,,5,0,\r\n"
	    ",VUO,Vuota,+ più > meno,2,,,,,,,6,0,\r\n"
	    ",RIG,Righe,---,2,,,,,,,7,0,\r\n"
	    "RIG,RIG.1,Citazione,> non una citazione,2,,,,,,,8,0,\r\n";
	static const char sample_md[] =
	    "---\n"
	    "title: Quadro accoglienza\n"
	    "slug: quadro-accoglienza\n"
	    "lang: it\n"
	    "summary: Competenze per l'accoglienza & l'integrazione degli "
	    "stranieri.\n"
	    "levels:\n"
	    "  - base\n"
	    "  - intermedio\n"
	    "  - avanzato\n"
	    "proficient: intermedio, avanzato\n"
	    "---\n"
	    "\n"
	    "# Quadro accoglienza\n"
	    "\n"
	    "## ACC Accoglienza e orientamento\n"
	    "\n"
	    "Primo contatto con i servizi.\n"
	    "\n"
	    "- **ACC.1** Colloquio iniziale: Condurre il primo colloquio con "
	    "l'aiuto di un mediatore.\n"
	    "- **ACC.2** Orientamento ai servizi: Indirizzare la persona al "
	    "servizio giusto: testo semplice, non \\*Markdown\\* n\xc3\xa9 "
	    "\\&lt;HTML\\&gt;.\n";
	struct framework	*fw1, *fw2;
	struct diaglist		 dl;
	struct buf		 c1, c2, md1, md2, t;
	const char		*p;
	char			*src, *d;
	size_t			 len, i;

	buf_init(&c1, 4096);
	buf_init(&c2, 4096);
	buf_init(&md1, 4096);
	buf_init(&md2, 4096);
	buf_init(&t, 4096);

	/* The shipped framework: Markdown -> CSV -> Markdown -> CSV. */
	diag_init(&dl);
	CHECK(file_read("courses/framework.md", &src, &len, SOURCE_MAX) == 0);
	fw1 = framework_parse("courses/framework.md", src, len, &dl);
	free(src);
	CHECK(fw1 != NULL);
	if (fw1 == NULL)
		goto out;
	framework_csv_write(fw1, &c1);
	CHECK(str_has_prefix(c1.data, FC_HDR "\r\n,governance-migrazioni,"
	    "Quadro delle competenze per la governance delle migrazioni,\"Le "
	    "competenze che il personale delle amministrazioni regionali e "
	    "locali mette in campo nel governo integrato dei fenomeni "
	    "migratori.\n\n- **base**: Conosce i concetti, le norme e gli "
	    "attori essenziali e li riconosce in casi semplici.\n- "
	    "**intermedio**: "));
	/* The introduction follows the levels; base is not proficient. */
	CHECK_HAS(c1.data, "ad altri.\n\nIl quadro raccoglie, per aree, le "
	    "competenze che i moduli di Capacita\nsviluppano e che le domande "
	    "dei quiz verificano. Ogni competenza ha un codice\nstabile (per "
	    "esempio `GOV.1`) e si misura su tre livelli: base, intermedio,\n"
	    "avanzato.\",4,\"base,intermedio,avanzato\","
	    "\"[{\"\"scaleid\"\":\"\"0\"\"},"
	    "{\"\"id\"\":1,\"\"scaledefault\"\":1,\"\"proficient\"\":0},"
	    "{\"\"id\"\":2,\"\"scaledefault\"\":0,\"\"proficient\"\":1},"
	    "{\"\"id\"\":3,\"\"scaledefault\"\":0,\"\"proficient\"\":1}]\""
	    ",,,,,,1,\"domain,competency\"\r\n"
	    ",GOV,Governance multilivello delle migrazioni,,2,,,,,,,1,0,\r\n"
	    "GOV,GOV.1,Riparto delle competenze,\"conoscere le funzioni di "
	    "Stato, Regioni,");
	CHECK_HAS(c1.data, "\r\nGOV,GOV.2,Sistema di accoglienza,");
	CHECK_HAS(c1.data, ",2,,,,,,,3,0,\r\nGOV,GOV.3,");
	CHECK_HAS(c1.data, "\r\n,ACC,Accesso ai servizi per cittadini di "
	    "paesi terzi,,2,,,,,,,5,0,\r\n");
	CHECK(str_has_suffix(c1.data, ",2,,,,,,,36,0,\r\n"));

	CHECK(fc_read("c1.csv", c1.data, &md1, &d) == 0);
	CHECK_STR(d, "");
	free(d);
	CHECK(str_has_prefix(md1.data, "---\ntitle: Quadro delle competenze "
	    "per la governance delle migrazioni\nslug: governance-migrazioni\n"
	    "lang: it\nsummary: Le competenze che il personale"));
	CHECK_HAS(md1.data, "\n  - base: Conosce i concetti, le norme e gli "
	    "attori essenziali e li riconosce in casi semplici.\n");
	CHECK_HAS(md1.data, "\nproficient: intermedio, avanzato\n---\n\n# "
	    "Quadro delle competenze per la governance delle migrazioni\n\n"
	    "Il quadro raccoglie, per aree, le competenze che i moduli di "
	    "Capacita\nsviluppano");
	CHECK_HAS(md1.data, "verificano. Ogni competenza ha un codice\n"
	    "stabile (per esempio `GOV.1`) e si misura su tre livelli: base, "
	    "intermedio,\navanzato.\n\n## GOV Governance multilivello "
	    "delle migrazioni\n\n- **GOV.1** Riparto delle competenze: "
	    "conoscere le funzioni");
	fw2 = framework_parse("md1.md", md1.data, md1.len, &dl);
	d = diags(&dl);
	CHECK_STR(d, "");
	free(d);
	fw_same(fw1, fw2);
	if (fw2 != NULL) {
		framework_csv_write(fw2, &c2);
		CHECK_STR(c2.data, c1.data);
		framework_md_write(fw2, &md2);
		CHECK_STR(md2.data, md1.data);
		framework_free(fw2);
	}

	/* LF line ends, and CRLF also inside the quoted fields. */
	for (p = c1.data; *p != '\0'; p++) {
		if (*p != '\r')
			buf_putc(&t, *p);
	}
	CHECK(fc_read("lf.csv", t.data, &md2, &d) == 0);
	free(d);
	CHECK_STR(md2.data, md1.data);
	buf_reset(&c2);
	for (p = t.data; *p != '\0'; p++) {
		if (*p == '\n')
			buf_putc(&c2, '\r');
		buf_putc(&c2, *p);
	}
	CHECK(strstr(c2.data, "migratori.\r\n\r\n- **base**") != NULL);
	CHECK(fc_read("crlf.csv", c2.data, &md2, &d) == 0);
	free(d);
	CHECK_STR(md2.data, md1.data);
	framework_free(fw1);
	fw1 = NULL;

	/* Markdown-special text comes back unchanged, both ways. */
	CHECK(fc_read("tricky.csv", tricky, &md1, &d) == 0);
	CHECK_STR(d, "");
	free(d);
	CHECK(str_has_prefix(md1.data, "---\ntitle: \"\"Quadro\" di "
	    "\"prova\"\"\nslug: quadro-prova\nlang: it\nsummary: 'Sommario' "
	    "con *stelle* e _trattini_\nlevels:\n  - base: conosce \"le "
	    "basi\": poco\n  - medio\n  - \"'alto': 'molto'\"\n"
	    "proficient: base, medio, 'alto'\n---\n"));
	CHECK_HAS(md1.data, "\n## TRK C\\# \\& \\<b>Strumenti\\</b> "
	    "\\[uno\\](x) \\#\\#\n\n1\\. elenco? no: \\*enfasi\\* e "
	    "\\`codice\\` \\\\ fine \\#\n\n- **TRK.1** Uso di \\*stelle\\*, "
	    "\\_trattini\\_ e \\`apici\\`: a: b: c \\<b>non html\\</b> "
	    "\\&copy; \\[link\\](http://x) !\\[img\\](y) \\\\ fine\n");
	CHECK_HAS(md1.data, "\n- **TRK.2** \\# Non un titolo \\[x\\]: "
	    "\\*\\*doppio\\*\\* \\_\\_doppio\\_\\_ ~~barrato~~ 2. due\n");
	CHECK_HAS(md1.data, "\n## VUO Vuota\n\n\\+ più > meno\n\n## RIG");
	CHECK_HAS(md1.data, "\n\\---\n\n- **RIG.1** Citazione: > non una "
	    "citazione\n");
	diag_init(&dl);
	fw2 = framework_parse("tricky.md", md1.data, md1.len, &dl);
	d = diags(&dl);
	CHECK_STR(d, "");
	free(d);
	CHECK(fw2 != NULL);
	if (fw2 != NULL) {
		CHECK_STR(fw2->title, "\"Quadro\" di \"prova\"");
		CHECK_STR(fw2->summary, "'Sommario' con *stelle* e _trattini_");
		CHECK(fw2->nlevels == 3 && fw2->ncomps == 8);
		if (fw2->nlevels == 3 && fw2->ncomps == 8) {
			CHECK_STR(fw2->levels[0].description,
			    "conosce \"le basi\": poco");
			CHECK_STR(fw2->levels[1].description, "");
			CHECK_STR(fw2->levels[2].name, "'alto'");
			CHECK_STR(fw2->levels[2].description, "'molto'");
			CHECK_STR(fw2->comps[0].name, "C# & <b>Strumenti</b> "
			    "[uno](x) ##");
			CHECK_STR(fw2->comps[0].description, "1. elenco? no: "
			    "*enfasi* e `codice` \\ fine #");
			CHECK_STR(fw2->comps[3].description, "- non un elenco "
			    "& &amp; <http://example.org>");
			CHECK_STR(fw2->comps[5].description, "+ più > meno");
			CHECK_STR(fw2->comps[6].description, "---");
			CHECK_STR(fw2->comps[1].name, "Uso di *stelle*, "
			    "_trattini_ e `apici`");
			CHECK_STR(fw2->comps[1].description, "a: b: c <b>non "
			    "html</b> &copy; [link](http://x) ![img](y) \\ "
			    "fine");
			CHECK_STR(fw2->comps[2].name, "# Non un titolo [x]");
			CHECK_STR(fw2->comps[2].description, "**doppio** "
			    "__doppio__ ~~barrato~~ 2. due");
			CHECK_STR(fw2->comps[4].description,
			    "uno, \"due\", tre");
			CHECK_STR(fw2->comps[7].description,
			    "> non una citazione");
			CHECK(fw2->comps[7].depth == 1 &&
			    strcmp(fw2->comps[7].parent, "RIG") == 0 &&
			    strcmp(fw2->comps[7].area, "RIG") == 0);
		}
		buf_reset(&c2);
		framework_csv_write(fw2, &c2);
		CHECK_STR(c2.data, tricky);
		buf_reset(&md2);
		framework_md_write(fw2, &md2);
		CHECK_STR(md2.data, md1.data);
		framework_free(fw2);
	}
	diag_free(&dl);

	/* Quoted fields with commas, quotes and line breaks are folded. */
	CHECK(fc_read("q.csv", FC_HDR "\n"
	    ",prova,Prova,\"Riga uno,\nriga \"\"due\"\"\n\n- **base**: x\","
	    "4,\"base,intermedio,avanzato\",,,,,,,1,\n"
	    ",TST,Test,\"Area\r\nsu due righe\",2,,,,,,,1,0,\n"
	    "TST,TST.1,Primo,\"uno, \"\"due\"\"\ntre\",2,,,,,,,2,0,\n",
	    &md1, &d) == 0);
	CHECK_STR(d, "");
	free(d);
	CHECK_HAS(md1.data, "\nsummary: Riga uno, riga \"due\"\nlevels:\n"
	    "  - base\n  - intermedio\n  - avanzato\nproficient: intermedio, "
	    "avanzato\n---\n\n# Prova\n\nbase: x\n");
	CHECK_HAS(md1.data, "\n## TST Test\n\nArea su due righe\n\n"
	    "- **TST.1** Primo: uno, \"due\" tre\n");

	/* Formats 0 and 1 are HTML: tags go, entities are decoded. */
	CHECK(fc_read("h.csv", FC_HDR "\n" FC_FW FC_AREA
	    "TST,TST.1,Primo,\"<p>a &lt;b&gt; &quot;c&quot; &#39;d&#39; "
	    "&amp;amp;</p><ul><li>uno</li><li>due</li></ul>x < y\",0,,,,,,,"
	    "2,0,\n", &md1, &d) == 0);
	CHECK_STR(d, "");
	free(d);
	CHECK_HAS(md1.data, "\n- **TST.1** Primo: a \\<b> \"c\" 'd' "
	    "\\&amp; uno due x \\< y\n");

	/* A framework exported by Moodle itself (HTML descriptions). */
	CHECK(file_read("tests/data/framework/moodle-sample.csv", &src, &len,
	    SOURCE_MAX) == 0);
	diag_init(&dl);
	buf_reset(&md1);
	CHECK(framework_csv_read("moodle-sample.csv", src, len, &md1,
	    &dl) == 0);
	free(src);
	d = diags(&dl);
	CHECK_STR(d, "");
	free(d);
	CHECK_STR(md1.data, sample_md);
	fw2 = framework_parse("sample.md", md1.data, md1.len, &dl);
	CHECK(fw2 != NULL && fw2->nlevels == 3 && fw2->ncomps == 3);
	framework_free(fw2);
	diag_free(&dl);

	/* Every bad row of a file is reported, at its line. */
	CHECK(file_read("tests/data/framework/bad.csv", &src, &len,
	    SOURCE_MAX) == 0);
	diag_init(&dl);
	buf_reset(&md1);
	CHECK(framework_csv_read("bad.csv", src, len, &md1, &dl) == 6);
	free(src);
	CHECK(md1.len == 0);
	d = diags(&dl);
	/* What Moodle allows is no error: colons, no description, any id. */
	CHECK(strstr(d, "bad.csv:4:") == NULL);
	CHECK(strstr(d, "bad.csv:5:") == NULL);
	CHECK(strstr(d, "bad.csv:6:") == NULL);
	CHECK(strstr(d, "bad.csv:10:") == NULL);
	CHECK(strstr(d, "bad.csv:11:") == NULL);
	CHECK_HAS(d, "bad.csv:7: duplicate id number 'GOV.1' (first on "
	    "line 4)\n");
	CHECK_HAS(d, "bad.csv:8: unknown parent id number 'XYZ'");
	CHECK_HAS(d, "bad.csv:12: empty shortname");
	CHECK_HAS(d, "bad.csv:13: the shortname 'Nome su due righe' has a "
	    "line break");
	CHECK_HAS(d, "bad.csv:15: description format '3' is not one of 0 "
	    "(Moodle auto-format), 1 (HTML), 2 (plain text), 4 (Markdown)\n");
	CHECK_HAS(d, "bad.csv:16: a second framework row (the first is on "
	    "line 2)");
	free(d);
	diag_free(&dl);

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		CHECK(fc_read("x.csv", bad[i].csv, &md1, &d) > 0);
		CHECK_HAS(d, bad[i].want);
		CHECK(md1.len == 0);
		free(d);
	}
out:
	framework_free(fw1);
	buf_free(&c1);
	buf_free(&c2);
	buf_free(&md1);
	buf_free(&md2);
	buf_free(&t);
}

int
main(void)
{
	if (sodium_init() < 0)
		return (1);
	test_frontmatter();
	test_quiz_types();
	test_quiz_errors();
	test_levels();
	test_course_write();
	test_module();
	test_module_safety();
	test_course();
	test_content_good();
	test_content_bad();
	test_shipped();
	test_framework_csv();
	T_SUMMARY();
}
