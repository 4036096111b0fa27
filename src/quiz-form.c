/*
 * quiz-form.c: the quiz as an HTML form, both ways. Every field name
 * and every choice's value is a token drawn from the attempt's (or the
 * pre/post-test's) secret form key, so nothing in the page says which
 * question a field belongs to, in which order the items of an ordering
 * question go, or where a choice stood in the author's list: ranking the
 * fields by name, or picking the first value, earns nothing.
 *
 * quiz_form_decode() is the one decoder of a submitted form, shared by
 * quizzes (store-learning.c) and pre/post-tests (store-impact.c). It
 * turns the fields into the answers attempt_answers keeps (quiz.c):
 *
 *	single		"2"		the option's position (1-based)
 *	multiple	"1,3"		positions, ascending
 *	truefalse	"true" / "false"
 *	numeric		"40,5"		the number as typed, trimmed
 *	short		text		as typed, trimmed
 *	order		"3,1,2"		item positions in the learner's order
 *
 * One rule for blank answers: a question none of whose fields carries a
 * value (no choice ticked, empty text, every rank left on "-") is
 * unanswered, NULL, and earns nothing. Anything else that is not a
 * well-formed answer to this very quiz rejects the whole form.
 */

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "capacita.h"

static const char	b32[] = "abcdefghijklmnopqrstuvwxyz234567";

static int	decode_one(const struct quiz_question *, const unsigned char *,
		    const struct form *, unsigned char *, struct buf *,
		    const char **);
static int	field_count(const struct form *, const char *,
		    const char **);
static int	is_blank(const char *);

/*
 * The key from its hex text (attempts.form_key, made by the database's
 * form_key_new(): 0013): 0, or -1 when it is not 64 hex digits.
 */
int
quiz_form_key_parse(const char *hex, unsigned char key[QUIZ_KEY_LEN])
{
	size_t	len;

	if (hex == NULL || strlen(hex) != QUIZ_KEY_HEX)
		return (-1);
	if (sodium_hex2bin(key, QUIZ_KEY_LEN, hex, QUIZ_KEY_HEX, NULL, &len,
	    NULL) != 0 || len != QUIZ_KEY_LEN)
		return (-1);
	return (0);
}

/*
 * The token of one thing of a question: its field (QF_FIELD), the value
 * of its choice k (QF_OPTION) or the field of its ordering item k
 * (QF_ITEM). "t" and 16 base32 letters of a keyed BLAKE2b hash: 80 bits,
 * unpredictable without the key, the same for the same key every time
 * (a resumed attempt, a form shown again after an error).
 */
void
quiz_form_token(const unsigned char key[QUIZ_KEY_LEN], long long qid,
    int kind, size_t k, char out[QUIZ_TOKEN_LEN + 1])
{
	unsigned char	msg[32], h[16];
	uint64_t	v;
	size_t		i, bit;

	memset(msg, 0, sizeof(msg));
	memcpy(msg, "capacita-quiz-1", 15);
	msg[15] = (unsigned char)kind;
	v = (uint64_t)qid;
	for (i = 0; i < 8; i++)
		msg[16 + i] = (unsigned char)(v >> (8 * i));
	v = (uint64_t)k;
	for (i = 0; i < 8; i++)
		msg[24 + i] = (unsigned char)(v >> (8 * i));
	crypto_generichash(h, sizeof(h), msg, sizeof(msg), key,
	    QUIZ_KEY_LEN);
	out[0] = 't';
	for (i = 0, bit = 0; i < QUIZ_TOKEN_LEN - 1; i++, bit += 5) {
		v = ((uint64_t)h[bit / 8] << 8 | h[bit / 8 + 1]) >>
		    (11 - bit % 8);
		out[i + 1] = b32[v & 31];
	}
	out[QUIZ_TOKEN_LEN] = '\0';
}

/* Only white space (or nothing). */
static int
is_blank(const char *s)
{
	for (; *s != '\0'; s++) {
		if (!isspace((unsigned char)*s))
			return (0);
	}
	return (1);
}

/* How many fields are called name; *first gets the first one's value. */
static int
field_count(const struct form *f, const char *name, const char **first)
{
	size_t	i;
	int	n;

	*first = NULL;
	for (i = 0, n = 0; i < f->n; i++) {
		if (strcmp(f->f[i].name, name) != 0)
			continue;
		if (n++ == 0)
			*first = f->f[i].value;
	}
	return (n);
}

/*
 * One question's answer into ans (*v = ans->data, or NULL when blank).
 * seen marks the form's fields that belong to a question. -1 with a
 * message key in *err.
 */
static int
decode_one(const struct quiz_question *q, const unsigned char *key,
    const struct form *f, unsigned char *seen, struct buf *ans,
    const char **v)
{
	char		 name[QUIZ_TOKEN_LEN + 1], tok[QUIZ_TOKEN_LEN + 1];
	int		 ranks[QUIZ_MAX_OPTIONS], picked[QUIZ_MAX_OPTIONS];
	const char	*val, *p, *e;
	size_t		 i, k, got;
	long long	 r;
	double		 d;

	*v = NULL;
	buf_reset(ans);
	quiz_form_token(key, q->id, QF_FIELD, 0, name);
	for (i = 0; i < f->n; i++) {
		if (strcmp(f->f[i].name, name) == 0)
			seen[i] = 1;
	}
	switch (q->type) {
	case QUIZ_SINGLE:
	case QUIZ_TRUEFALSE:
	case QUIZ_NUMERIC:
	case QUIZ_SHORT:
		if (field_count(f, name, &val) > 1)
			return (-1);
		if (val == NULL || is_blank(val))
			return (0);
		if (q->type == QUIZ_SINGLE) {
			for (k = 0; k < q->nopts; k++) {
				quiz_form_token(key, q->id, QF_OPTION, k, tok);
				if (strcmp(val, tok) == 0)
					break;
			}
			if (k == q->nopts)
				return (-1);
			buf_printf(ans, "%zu", k + 1);
		} else {
			/* Typed text: trimmed, then checked as an answer. */
			for (p = val; isspace((unsigned char)*p); p++)
				;
			for (e = p + strlen(p); e > p &&
			    isspace((unsigned char)e[-1]); e--)
				;
			buf_append(ans, p, (size_t)(e - p));
			if (q->type == QUIZ_NUMERIC &&
			    quiz_parse_number(ans->data, &d) == -1)
				return (-2);
			if (quiz_answer_check(q, ans->data) == -1)
				return (-1);
		}
		*v = ans->data;
		return (0);
	case QUIZ_MULTIPLE:
		memset(picked, 0, sizeof(picked));
		for (i = 0; i < f->n; i++) {
			if (strcmp(f->f[i].name, name) != 0 ||
			    is_blank(f->f[i].value))
				continue;
			for (k = 0; k < q->nopts; k++) {
				quiz_form_token(key, q->id, QF_OPTION, k, tok);
				if (strcmp(f->f[i].value, tok) == 0)
					break;
			}
			if (k == q->nopts || picked[k]++)
				return (-1);
		}
		for (k = 0; k < q->nopts; k++) {
			if (picked[k])
				buf_printf(ans, "%s%zu", ans->len > 0 ? "," :
				    "", k + 1);
		}
		*v = ans->len > 0 ? ans->data : NULL;
		return (0);
	case QUIZ_ORDER:
		/* The question's own field is not one of an ordering. */
		if (field_count(f, name, &val) > 0)
			return (-1);
		memset(ranks, 0, sizeof(ranks));
		for (k = 0, got = 0; k < q->nopts; k++) {
			quiz_form_token(key, q->id, QF_ITEM, k, tok);
			for (i = 0; i < f->n; i++) {
				if (strcmp(f->f[i].name, tok) == 0)
					seen[i] = 1;
			}
			if (field_count(f, tok, &val) > 1)
				return (-1);
			if (val == NULL || is_blank(val))
				continue;
			if (parse_int(val, 1, (long long)q->nopts, &r) == -1)
				return (-1);
			if (ranks[r - 1] != 0)
				return (-3);
			ranks[r - 1] = (int)k + 1;
			got++;
		}
		if (got == 0)
			return (0);
		if (got != q->nopts)
			return (-4);
		for (k = 0; k < got; k++)
			buf_printf(ans, "%s%d", k > 0 ? "," : "", ranks[k]);
		*v = ans->data;
		return (0);
	default:
		return (-1);
	}
}

/*
 * Decode a submitted form against a quiz and its key. out->a[i] is the
 * answer to question i, NULL when blank. Returns 0, or -1 with a
 * message key in *err and the 0-based question at fault in *bad (the
 * number of questions when the fault is a field of no question).
 */
int
quiz_form_decode(const struct quiz *quiz, const unsigned char
    key[QUIZ_KEY_LEN], const struct form *f, struct quiz_answers *out,
    const char **err, size_t *bad)
{
	unsigned char	*seen;
	struct buf	 ans;
	const char	*v;
	size_t		 i;
	int		 rc;

	out->n = quiz->nq;
	out->a = xcalloc(quiz->nq + 1, sizeof(*out->a));
	*err = NULL;
	*bad = quiz->nq;
	seen = xcalloc(f->n + 1, 1);
	buf_init(&ans, 64);
	rc = 0;
	for (i = 0; i < quiz->nq; i++) {
		if (quiz->q[i].nopts > QUIZ_MAX_OPTIONS)
			rc = -1;
		else
			rc = decode_one(&quiz->q[i], key, f, seen, &ans, &v);
		if (rc != 0) {
			*bad = i;
			*err = rc == -2 ? "quiz.bad_number" : rc == -3 ?
			    "quiz.bad_order" : rc == -4 ? "quiz.order_partial" :
			    "quiz.bad_answer";
			break;
		}
		out->a[i] = v != NULL ? xstrdup(v) : NULL;
	}
	/* Every other field must be the CSRF token. */
	for (i = 0; rc == 0 && i < f->n; i++) {
		if (!seen[i] && strcmp(f->f[i].name, "csrf") != 0) {
			*err = "quiz.bad_answer";
			rc = -1;
		}
	}
	buf_free(&ans);
	free(seen);
	if (rc != 0) {
		quiz_answers_free(out);
		return (-1);
	}
	return (0);
}

void
quiz_answers_free(struct quiz_answers *qa)
{
	size_t	i;

	for (i = 0; i < qa->n; i++)
		free(qa->a[i]);
	free(qa->a);
	qa->a = NULL;
	qa->n = 0;
}
