/*
 * fuzz-course.c: course_parse() over any bytes. A course that parses
 * must have the invariants the store relies on, and its description
 * must render to safe HTML.
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
	struct diaglist	 dl;
	struct course	*c;
	size_t		 i;

	diag_init(&dl);
	c = course_parse("fuzz.md", (const char *)data, size, &dl);
	if (c != NULL) {
		FUZZ_ASSERT(diag_count(&dl) == 0);
		FUZZ_ASSERT(slug_valid(c->slug));
		FUZZ_ASSERT(c->nmodules > 0);
		for (i = 0; i < c->nmodules; i++)
			FUZZ_ASSERT(slug_valid(c->modules[i]));
		FUZZ_ASSERT(c->hours > 0 && c->hours <= 1000);
		FUZZ_ASSERT(c->pass_percent >= 1 && c->pass_percent <= 100);
		fuzz_check_html(c->html);
		course_free(c);
	} else
		FUZZ_ASSERT(diag_count(&dl) > 0);
	diag_free(&dl);
	return (0);
}
