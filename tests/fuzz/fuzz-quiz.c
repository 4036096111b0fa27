/*
 * fuzz-quiz.c: a ```quiz block (quiz_parse) and the answers a learner
 * submits (quiz_answer_check, quiz_grade), as the quiz page and the
 * store use them. The input is the block, then, after each NUL byte,
 * one answer given to every question. Only a quiz that parsed without
 * errors is graded: nothing else ever reaches the database.
 */

#include "fuzz.h"

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	fuzz_init();
	return (0);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct diaglist		 dl;
	struct quiz		 quiz;
	struct quiz_question	*q;
	const uint8_t		*p, *end, *nul;
	size_t			 i, k, len, perm[QUIZ_MAX_OPTIONS];
	unsigned char		 seen[QUIZ_MAX_OPTIONS];
	uint64_t		 seed;
	double			 g;
	char			*answer;
	int			 errors, correct;

	end = data + size;
	nul = memchr(data, '\0', size);
	len = nul != NULL ? (size_t)(nul - data) : size;

	diag_init(&dl);
	memset(&quiz, 0, sizeof(quiz));
	errors = quiz_parse(&quiz, "fuzz.md", (const char *)data, len, 1, &dl);
	FUZZ_ASSERT((size_t)errors == diag_count(&dl));
	if (errors == 0) {
		for (i = 0; i < quiz.nq; i++) {
			q = &quiz.q[i];
			FUZZ_ASSERT(q->nopts >= 1 &&
			    q->nopts <= QUIZ_MAX_OPTIONS);
			FUZZ_ASSERT(q->competence != NULL && q->level != NULL);
			seed = 0;
			memcpy(&seed, data, size < sizeof(seed) ? size :
			    sizeof(seed));
			quiz_shuffle(seed, (long long)i, q->nopts, perm);
			memset(seen, 0, sizeof(seen));
			for (k = 0; k < q->nopts; k++) {
				FUZZ_ASSERT(perm[k] < q->nopts &&
				    !seen[perm[k]]);
				seen[perm[k]] = 1;
			}
			g = quiz_grade(q, NULL, &correct);
			FUZZ_ASSERT(g == 0 && !correct);
		}
		for (p = nul != NULL ? nul + 1 : end; p < end; ) {
			nul = memchr(p, '\0', (size_t)(end - p));
			len = nul != NULL ? (size_t)(nul - p) :
			    (size_t)(end - p);
			answer = xstrndup((const char *)p, len);
			for (i = 0; i < quiz.nq; i++) {
				q = &quiz.q[i];
				(void)quiz_answer_check(q, answer);
				g = quiz_grade(q, answer, &correct);
				FUZZ_ASSERT(g >= 0 && g <= 1);
				FUZZ_ASSERT(!correct || g == 1);
			}
			free(answer);
			p += len + 1;
		}
	}
	quiz_free(&quiz);
	diag_free(&dl);
	return (0);
}
