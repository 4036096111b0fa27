/*
 * fuzz-quizform.c: the one decoder of submitted quiz forms
 * (quiz_form_decode), as store-learning.c and store-impact.c call it,
 * with the tokens of quiz_form_token and the short answers' folding
 * (quiz_short_fold, html_unescape). The input is a quiz block, a NUL
 * byte, then a form body (application/x-www-form-urlencoded). To take
 * the fuzzer past the tokens it cannot guess, a body's "@Q.K" names and
 * values (question Q, thing K) are replaced with the real tokens:
 * "@2.f" the field of question 2, "@2.o1" its choice 1, "@2.i0" its
 * ordering item 0.
 *
 * Invariants: a decoded answer is a well-formed answer (quiz_answer_check)
 * whose grade is in [0, 1]; a refusal names a message key; the folding
 * of short answers is idempotent on its own output and keeps UTF-8
 * valid.
 */

#include "fuzz.h"

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	fuzz_init();
	return (0);
}

/* body with "@Q.fN"/"@Q.oN"/"@Q.iN" replaced by tokens. */
static char *
expand(const char *body, const struct quiz *quiz, const unsigned char *key)
{
	struct buf	 b;
	const char	*p;
	char		 tok[QUIZ_TOKEN_LEN + 1], *end;
	unsigned long	 q, k;
	int		 kind;

	buf_init(&b, strlen(body) + 64);
	for (p = body; *p != '\0'; p++) {
		if (*p != '@' || !isdigit((unsigned char)p[1])) {
			buf_putc(&b, *p);
			continue;
		}
		q = strtoul(p + 1, &end, 10);
		if (*end != '.' || (end[1] != 'f' && end[1] != 'o' &&
		    end[1] != 'i') || quiz->nq == 0) {
			buf_putc(&b, *p);
			continue;
		}
		kind = end[1] == 'f' ? QF_FIELD : end[1] == 'o' ? QF_OPTION :
		    QF_ITEM;
		k = strtoul(end + 2, &end, 10);
		quiz_form_token(key, quiz->q[q % quiz->nq].id, kind,
		    (size_t)(k % QUIZ_MAX_OPTIONS), tok);
		buf_puts(&b, tok);
		p = end - 1;
	}
	return (buf_release(&b));
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct quiz_answers	 qa;
	struct diaglist		 dl;
	struct quiz		 quiz;
	struct form		 f;
	struct buf		 err;
	unsigned char		 key[QUIZ_KEY_LEN];
	const char		*e;
	char			*block, *body, *exp, *s1, *s2;
	size_t			 blen, bodylen, i, bad;
	double			 g;
	int			 correct;

	fuzz_split(data, size, &block, &blen, &body, &bodylen);
	memset(key, 0x5a, sizeof(key));
	memcpy(key, data, size < sizeof(key) ? size : sizeof(key));
	diag_init(&dl);
	memset(&quiz, 0, sizeof(quiz));
	if (quiz_parse(&quiz, "fuzz.md", block, blen, 1, &dl) == 0 &&
	    body != NULL) {
		for (i = 0; i < quiz.nq; i++)
			quiz.q[i].id = (long long)i + 1;
		exp = expand(body, &quiz, key);
		buf_init(&err, 64);
		if (form_parse(&f, exp, strlen(exp), &err) == 0) {
			if (quiz_form_decode(&quiz, key, &f, &qa, &e,
			    &bad) == 0) {
				FUZZ_ASSERT(qa.n == quiz.nq);
				for (i = 0; i < qa.n; i++) {
					if (qa.a[i] == NULL)
						continue;
					FUZZ_ASSERT(quiz_answer_check(
					    &quiz.q[i], qa.a[i]) == 0);
					g = quiz_grade(&quiz.q[i], qa.a[i],
					    &correct);
					FUZZ_ASSERT(g >= 0 && g <= 1);
				}
				quiz_answers_free(&qa);
			} else {
				FUZZ_ASSERT(e != NULL &&
				    strncmp(e, "quiz.", 5) == 0);
				FUZZ_ASSERT(bad <= quiz.nq);
			}
			form_free(&f);
		}
		buf_free(&err);
		free(exp);
	}
	/* Folding short answers: stays UTF-8, a fixed point. */
	if (utf8_valid(block, blen)) {
		s1 = quiz_short_fold(block);
		FUZZ_ASSERT(utf8_valid(s1, strlen(s1)));
		s2 = html_unescape(s1);
		free(s2);
		free(s1);
	}
	quiz_free(&quiz);
	diag_free(&dl);
	free(block);
	free(body);
	return (0);
}
