/*
 * test-quizform.c: the quiz as a form (quiz-form.c): field tokens that
 * give nothing away, the one decoder shared by quizzes and pre/post
 * tests, table-driven over every question type and every way a form
 * can be blank, partial or wrong; short answers compared after entity,
 * case and white-space folding; the review policy (issue 18).
 */

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "capacita.h"
#include "harness.h"

static const char quiz_src[] =
    "? Chi rilascia il permesso di soggiorno?\n"
    "competenza: ACC.1 base\n"
    "(x) La Questura\n"
    "( ) Il Comune\n"
    "( ) La Regione\n"
    "\n"
    "? Servizi del Comune?\n"
    "competenza: GOV.1 base\n"
    "[x] Anagrafe\n"
    "[x] Servizi sociali\n"
    "[ ] Permesso di soggiorno\n"
    "\n"
    "? Le cure urgenti sono garantite a tutti.\n"
    "competenza: ACC.2 base\n"
    "= vero\n"
    "\n"
    "? Entro quanti giorni?\n"
    "competenza: ACC.1 base\n"
    "= 8 \xc2\xb1 0,5\n"
    "\n"
    "? Chi decide?\n"
    "competenza: GOV.1 base\n"
    "= Stato &amp; Regioni | Stato e Regioni\n"
    "\n"
    "? Ordinate le fasi.\n"
    "competenza: INT.2 base\n"
    "1. Accoglienza\n"
    "2. Piano\n"
    "3. Chiusura\n";

enum { Q_SINGLE, Q_MULTI, Q_TF, Q_NUM, Q_SHORT, Q_ORDER, Q_N };

static struct quiz	 quiz;
static unsigned char	 key[QUIZ_KEY_LEN];

static void	test_tokens(void);
static void	test_decode(void);
static void	test_short(void);
static void	test_review(void);
static void	test_unescape(void);

/* The token of question qi's thing (kind, k), in a static buffer. */
static const char *
tok(int qi, int kind, size_t k)
{
	static char	bufs[8][QUIZ_TOKEN_LEN + 1];
	static int	next;
	char		*b = bufs[next++ % 8];

	quiz_form_token(key, quiz.q[qi].id, kind, k, b);
	return (b);
}

static void
url_add(struct buf *b, const char *name, const char *value)
{
	const unsigned char	*p;

	if (b->len > 0)
		buf_putc(b, '&');
	buf_puts(b, name);
	buf_putc(b, '=');
	for (p = (const unsigned char *)value; *p != '\0'; p++) {
		if (isalnum(*p) || *p == '-' || *p == '_' || *p == '.')
			buf_putc(b, *p);
		else
			buf_printf(b, "%%%02X", *p);
	}
}

static void
test_tokens(void)
{
	unsigned char	 other[QUIZ_KEY_LEN];
	char		 a[QUIZ_TOKEN_LEN + 1], b[QUIZ_TOKEN_LEN + 1];
	char		 all[64][QUIZ_TOKEN_LEN + 1], hex[QUIZ_KEY_HEX + 1];
	size_t		 i, j, n, k;
	int		 kind, ok;

	/* Deterministic for a key; another key, other tokens. */
	quiz_form_token(key, 86, QF_ITEM, 0, a);
	quiz_form_token(key, 86, QF_ITEM, 0, b);
	CHECK_STR(a, b);
	memcpy(other, key, sizeof(other));
	other[0] ^= 1;
	quiz_form_token(other, 86, QF_ITEM, 0, b);
	CHECK(strcmp(a, b) != 0);
	/*
	 * The defect of issue 18: ordering fields were q86_1, q86_3, q86_2,
	 * named after the items' right positions. A token says nothing: no
	 * question id, no position, and sorting the items' tokens gives no
	 * better than chance over many keys.
	 */
	CHECK(strstr(a, "86") == NULL);
	ok = 0;
	for (n = 0; n < 600; n++) {
		char	t0[QUIZ_TOKEN_LEN + 1], t1[QUIZ_TOKEN_LEN + 1];
		char	t2[QUIZ_TOKEN_LEN + 1];

		randombytes_buf(other, sizeof(other));
		quiz_form_token(other, 86, QF_ITEM, 0, t0);
		quiz_form_token(other, 86, QF_ITEM, 1, t1);
		quiz_form_token(other, 86, QF_ITEM, 2, t2);
		ok += strcmp(t0, t1) < 0 && strcmp(t1, t2) < 0;
	}
	/* 1 order in 6 by chance: 100 of 600, far from all of them. */
	CHECK(ok > 50 && ok < 160);
	/* The form of every token, and no two alike in a quiz. */
	for (i = 0, n = 0; i < quiz.nq; i++) {
		for (kind = QF_FIELD; kind <= QF_ITEM; kind++) {
			for (k = 0; k < (kind == QF_FIELD ? 1 :
			    quiz.q[i].nopts); k++) {
				quiz_form_token(key, quiz.q[i].id, kind, k,
				    all[n]);
				CHECK(strlen(all[n]) == QUIZ_TOKEN_LEN);
				CHECK(all[n][0] == 't');
				CHECK(strspn(all[n] + 1,
				    "abcdefghijklmnopqrstuvwxyz234567") ==
				    QUIZ_TOKEN_LEN - 1);
				n++;
			}
		}
	}
	for (i = 0; i < n; i++)
		for (j = i + 1; j < n; j++)
			CHECK(strcmp(all[i], all[j]) != 0);
	/* Keys: 64 hex digits both ways. */
	randombytes_buf(other, sizeof(other));
	sodium_bin2hex(hex, sizeof(hex), other, sizeof(other));
	CHECK(strlen(hex) == QUIZ_KEY_HEX);
	CHECK(quiz_form_key_parse(hex, other) == 0);
	CHECK(quiz_form_key_parse("abc", other) == -1);
	hex[5] = 'z';
	CHECK(quiz_form_key_parse(hex, other) == -1);
	CHECK(quiz_form_key_parse(NULL, other) == -1);
}

/*
 * A form: up to 12 fields, each given as the question, the kind of
 * token for the name (QF_FIELD, QF_ITEM with its item, 0 for a literal
 * name) and the value (a literal, or with vkind QF_OPTION a choice).
 */
struct field {
	int		 q;
	int		 kind;
	size_t		 item;
	const char	*name;		/* kind 0 */
	int		 vkind;		/* QF_OPTION, or 0 for value */
	size_t		 opt;
	const char	*value;
};

struct dcase {
	const char	*what;
	struct field	 f[12];
	size_t		 nf;
	int		 rc;
	const char	*err;
	int		 bad;		/* question at fault, -1: none */
	const char	*want[Q_N];	/* "-": unanswered */
};

#define F_FIELD(qi, v)		{ (qi), QF_FIELD, 0, NULL, 0, 0, (v) }
#define F_OPT(qi, o)		{ (qi), QF_FIELD, 0, NULL, QF_OPTION, (o), NULL }
#define F_ITEM(qi, it, v)	{ (qi), QF_ITEM, (it), NULL, 0, 0, (v) }
#define F_LIT(n, v)		{ 0, 0, 0, (n), 0, 0, (v) }

static const struct dcase dcases[] = {
	{ "an empty form: everything unanswered", { F_LIT("csrf", "x") }, 1,
	    0, NULL, -1, { "-", "-", "-", "-", "-", "-" } },
	{ "every question answered right",
	    { F_OPT(Q_SINGLE, 0), F_OPT(Q_MULTI, 1), F_OPT(Q_MULTI, 0),
	    F_FIELD(Q_TF, "true"), F_FIELD(Q_NUM, " 8,4 "),
	    F_FIELD(Q_SHORT, "  Stato & Regioni "), F_ITEM(Q_ORDER, 0, "1"),
	    F_ITEM(Q_ORDER, 2, "3"), F_ITEM(Q_ORDER, 1, "2") }, 9,
	    0, NULL, -1, { "1", "1,2", "true", "8,4", "Stato & Regioni",
	    "1,2,3" } },
	{ "ranks give the learner's order of the items",
	    { F_ITEM(Q_ORDER, 0, "3"), F_ITEM(Q_ORDER, 1, "1"),
	    F_ITEM(Q_ORDER, 2, "2") }, 3,
	    0, NULL, -1, { "-", "-", "-", "-", "-", "2,3,1" } },
	/* Issue 18: untouched rank lists were a 400 in /attempt. */
	{ "an ordering left untouched is unanswered",
	    { F_ITEM(Q_ORDER, 0, ""), F_ITEM(Q_ORDER, 1, ""),
	    F_ITEM(Q_ORDER, 2, ""), F_OPT(Q_SINGLE, 2) }, 4,
	    0, NULL, -1, { "3", "-", "-", "-", "-", "-" } },
	{ "blank text and white space are unanswered",
	    { F_FIELD(Q_NUM, "   "), F_FIELD(Q_SHORT, ""),
	    F_FIELD(Q_TF, "") }, 3,
	    0, NULL, -1, { "-", "-", "-", "-", "-", "-" } },
	{ "an ordering ranked in part", { F_ITEM(Q_ORDER, 0, "1"),
	    F_ITEM(Q_ORDER, 1, ""), F_ITEM(Q_ORDER, 2, "2") }, 3,
	    -1, "quiz.order_partial", Q_ORDER, { NULL } },
	{ "a rank used twice", { F_ITEM(Q_ORDER, 0, "1"),
	    F_ITEM(Q_ORDER, 1, "1"), F_ITEM(Q_ORDER, 2, "2") }, 3,
	    -1, "quiz.bad_order", Q_ORDER, { NULL } },
	{ "a rank out of range", { F_ITEM(Q_ORDER, 0, "4"),
	    F_ITEM(Q_ORDER, 1, "1"), F_ITEM(Q_ORDER, 2, "2") }, 3,
	    -1, "quiz.bad_answer", Q_ORDER, { NULL } },
	{ "the old field names are no field of the form",
	    { F_LIT("q1", "1") }, 1, -1, "quiz.bad_answer", -1, { NULL } },
	{ "a choice's value that is no token of it",
	    { F_FIELD(Q_SINGLE, "1") }, 1, -1, "quiz.bad_answer", Q_SINGLE,
	    { NULL } },
	{ "two choices in a single-choice question",
	    { F_OPT(Q_SINGLE, 0), F_OPT(Q_SINGLE, 1) }, 2,
	    -1, "quiz.bad_answer", Q_SINGLE, { NULL } },
	{ "the same box ticked twice", { F_OPT(Q_MULTI, 1),
	    F_OPT(Q_MULTI, 1) }, 2, -1, "quiz.bad_answer", Q_MULTI,
	    { NULL } },
	{ "true or false only", { F_FIELD(Q_TF, "forse") }, 1,
	    -1, "quiz.bad_answer", Q_TF, { NULL } },
	{ "a number that is not one", { F_FIELD(Q_NUM, "otto") }, 1,
	    -1, "quiz.bad_number", Q_NUM, { NULL } },
	{ "an ordering question has no field of its own",
	    { F_FIELD(Q_ORDER, "1") }, 1, -1, "quiz.bad_answer", Q_ORDER,
	    { NULL } },
	{ "a field of no question at all", { F_OPT(Q_SINGLE, 0),
	    F_LIT("tzzzzzzzzzzzzzzz", "1") }, 2,
	    -1, "quiz.bad_answer", -1, { NULL } },
};

/* Choice tokens must belong to their own question: one check apart. */
static void
test_cross(void)
{
	struct quiz_answers	 qa;
	struct form		 f;
	struct buf		 body, err;
	const char		*e;
	size_t			 bad;

	buf_init(&body, 256);
	buf_init(&err, 64);
	/* The multiple-choice field given a single-choice question's value. */
	url_add(&body, tok(Q_MULTI, QF_FIELD, 0), tok(Q_SINGLE, QF_OPTION, 0));
	CHECK(form_parse(&f, body.data, body.len, &err) == 0);
	CHECK(quiz_form_decode(&quiz, key, &f, &qa, &e, &bad) == -1);
	CHECK_STR(e, "quiz.bad_answer");
	CHECK(bad == Q_MULTI);
	form_free(&f);
	buf_free(&body);
	buf_free(&err);
}

static void
test_decode(void)
{
	const struct dcase	*c;
	struct quiz_answers	 qa;
	struct form		 f;
	struct buf		 body, err;
	const char		*e, *name, *value;
	size_t			 i, j, bad;
	int			 rc;

	for (i = 0; i < sizeof(dcases) / sizeof(dcases[0]); i++) {
		c = &dcases[i];
		buf_init(&body, 512);
		buf_init(&err, 64);
		for (j = 0; j < c->nf; j++) {
			const struct field	*fl = &c->f[j];

			name = fl->kind == 0 ? fl->name : tok(fl->q, fl->kind,
			    fl->item);
			value = fl->vkind == QF_OPTION ? tok(fl->q, QF_OPTION,
			    fl->opt) : fl->value;
			url_add(&body, name, value);
		}
		if (form_parse(&f, body.data, body.len, &err) == -1) {
			fprintf(stderr, "case '%s': %s\n", c->what, err.data);
			CHECK(0);
			goto next;
		}
		rc = quiz_form_decode(&quiz, key, &f, &qa, &e, &bad);
		if (rc != c->rc)
			fprintf(stderr, "case '%s': rc %d (%s)\n", c->what, rc,
			    e != NULL ? e : "");
		CHECK(rc == c->rc);
		if (rc == -1) {
			CHECK(e != NULL && c->err != NULL &&
			    strcmp(e, c->err) == 0);
			CHECK(bad == (c->bad < 0 ? quiz.nq : (size_t)c->bad));
		} else if (rc == 0) {
			CHECK(qa.n == quiz.nq);
			for (j = 0; j < Q_N; j++) {
				if (strcmp(c->want[j], "-") == 0)
					CHECK(qa.a[j] == NULL);
				else
					CHECK_STR(qa.a[j], c->want[j]);
			}
			quiz_answers_free(&qa);
		}
		form_free(&f);
next:
		buf_free(&body);
		buf_free(&err);
	}
	test_cross();
}

/* Issue 18: "Stato & Regioni" typed exactly was graded wrong. */
static void
test_short(void)
{
	const struct quiz_question	*q = &quiz.q[Q_SHORT];
	static const char *const	 right[] = {
		"Stato & Regioni", "stato &amp; regioni",
		"  STATO   &   REGIONI ", "Stato e Regioni",
		"stato &#38; regioni", "Stato &#x26; Regioni",
	};
	static const char *const	 wrong[] = {
		"Stato", "Regioni & Stato", "Stato &amp Regioni x", "",
	};
	struct buf			 b;
	const char			*items[3] = { "a", "b", "c" };
	size_t				 i;
	int				 correct;

	for (i = 0; i < sizeof(right) / sizeof(right[0]); i++) {
		CHECK(quiz_grade(q, right[i], &correct) == 1.0);
		CHECK(correct);
	}
	for (i = 0; i < sizeof(wrong) / sizeof(wrong[0]); i++) {
		CHECK(quiz_grade(q, wrong[i], &correct) == 0);
		CHECK(!correct);
	}
	/* The accepted answers as a list for people, not "a | b". */
	buf_init(&b, 64);
	quiz_join(&b, items, 3, " o ");
	CHECK_STR(b.data, "a, b o c");
	buf_reset(&b);
	quiz_join(&b, items, 2, " o ");
	CHECK_STR(b.data, "a o b");
	buf_reset(&b);
	quiz_join(&b, items, 1, " o ");
	CHECK_STR(b.data, "a");
	buf_free(&b);
}

static void
test_unescape(void)
{
	static const struct {
		const char	*in;
		const char	*out;
	} cases[] = {
		{ "a &amp; b", "a & b" },
		{ "&lt;b&gt; &quot;x&quot; &#39;y&#39; &apos;", "<b> \"x\" 'y' '" },
		{ "caff&#232; &#xE8;", "caff\xc3\xa8 \xc3\xa8" },
		{ "&#x1F600;", "\xf0\x9f\x98\x80" },
		{ "&amp", "&amp" },
		{ "&unknown; & &#; &#x;", "&unknown; & &#; &#x;" },
		{ "&#0; &#xD800; &#1114112;", "\xef\xbf\xbd \xef\xbf\xbd "
		    "\xef\xbf\xbd" },
		{ "&#999999999999;", "&#999999999999;" },
		{ "&#99999999;", "\xef\xbf\xbd" },
		{ "", "" },
	};
	size_t	i;
	char	*s;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		s = html_unescape(cases[i].in);
		CHECK_STR(s, cases[i].out);
		free(s);
	}
}

/* When the right answers show: the policies of issue 18. */
static void
test_review(void)
{
	static const struct {
		const char	*policy;
		int		 passed, used, max, show;
	} cases[] = {
		{ "after-pass", 0, 1, 3, 0 },	/* failed, attempts left */
		{ "after-pass", 1, 1, 3, 1 },	/* passed */
		{ "after-pass", 0, 3, 3, 1 },	/* out of attempts */
		{ "after-pass", 0, 9, 0, 0 },	/* no limit, never passed */
		{ "after-last-attempt", 1, 1, 3, 0 },
		{ "after-last-attempt", 0, 3, 3, 1 },
		{ "after-last-attempt", 1, 5, 0, 0 },
		{ "always", 0, 1, 3, 1 },
		{ "never", 1, 3, 3, 0 },
	};
	size_t	i;
	int	r;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		r = course_review_from(cases[i].policy);
		CHECK(r >= 0);
		CHECK_STR(course_review_name((enum review)r), cases[i].policy);
		CHECK(course_review_shows((enum review)r, cases[i].passed,
		    cases[i].used, cases[i].max) == cases[i].show);
	}
	CHECK(course_review_from("sometimes") == -1);
	CHECK_STR(course_review_name(REVIEW_AFTER_PASS), "after-pass");
}

int
main(void)
{
	struct diaglist	dl;
	size_t		i;

	if (sodium_init() < 0)
		return (1);
	for (i = 0; i < sizeof(key); i++)
		key[i] = (unsigned char)(i * 7 + 3);
	diag_init(&dl);
	memset(&quiz, 0, sizeof(quiz));
	CHECK(quiz_parse(&quiz, "q.md", quiz_src, strlen(quiz_src), 1,
	    &dl) == 0);
	CHECK(quiz.nq == Q_N);
	if (quiz.nq != Q_N)
		return (1);
	for (i = 0; i < quiz.nq; i++)
		quiz.q[i].id = 86 + (long long)i;
	test_tokens();
	test_decode();
	test_short();
	test_unescape();
	test_review();
	quiz_free(&quiz);
	diag_free(&dl);
	T_SUMMARY();
}
