/*
 * harness.h: a page of test macros in the style of cmark's api_test and
 * Redis's testhelp.h. Each test binary ends with "N passed, N failed".
 */

#ifndef HARNESS_H
#define HARNESS_H

#include <stdio.h>
#include <string.h>

static int	t_passed, t_failed;

#define CHECK(cond) do {						\
	if (cond)							\
		t_passed++;						\
	else {								\
		t_failed++;						\
		fprintf(stderr, "FAIL %s:%d: %s\n", __FILE__, __LINE__,	\
		    #cond);						\
	}								\
} while (0)

#define CHECK_STR(got, want) do {					\
	const char *g_ = (got), *w_ = (want);				\
	if (g_ != NULL && w_ != NULL && strcmp(g_, w_) == 0)		\
		t_passed++;						\
	else {								\
		t_failed++;						\
		fprintf(stderr, "FAIL %s:%d: %s\n  got:  %s\n  want: %s\n",\
		    __FILE__, __LINE__, #got, g_ ? g_ : "(null)",	\
		    w_ ? w_ : "(null)");				\
	}								\
} while (0)

#define CHECK_HAS(hay, needle) do {					\
	const char *h_ = (hay), *n_ = (needle);				\
	if (h_ != NULL && strstr(h_, n_) != NULL)			\
		t_passed++;						\
	else {								\
		t_failed++;						\
		fprintf(stderr, "FAIL %s:%d: %s lacks \"%s\"\n  in: %.400s\n",\
		    __FILE__, __LINE__, #hay, n_, h_ ? h_ : "(null)");	\
	}								\
} while (0)

#define CHECK_LACKS(hay, needle) do {					\
	const char *h_ = (hay), *n_ = (needle);				\
	if (h_ != NULL && strstr(h_, n_) == NULL)			\
		t_passed++;						\
	else {								\
		t_failed++;						\
		fprintf(stderr, "FAIL %s:%d: %s has \"%s\"\n",		\
		    __FILE__, __LINE__, #hay, n_);			\
	}								\
} while (0)

#define T_SUMMARY() do {						\
	printf("%d passed, %d failed\n", t_passed, t_failed);		\
	return (t_failed != 0);						\
} while (0)

#endif /* !HARNESS_H */
