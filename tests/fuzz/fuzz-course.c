/*
 * fuzz-course.c: course_parse() over any bytes. A course that parses
 * must have the invariants the store relies on, and its description
 * must render to safe HTML. Written out again with course_write() (what
 * the web course editor publishes), it parses to the same course.
 */

#include "fuzz.h"

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	fuzz_init();
	return (0);
}

/* course_write() then course_parse(): the same fields. */
static void
round_trip(const struct course *c)
{
	struct diaglist	 dl;
	struct course	*d;
	struct buf	 b;
	size_t		 i;

	buf_init(&b, 1024);
	course_write(c, "", &b);
	diag_init(&dl);
	d = course_parse("again.md", b.data, b.len, &dl);
	if (d == NULL) {
		fprintf(stderr, "%s\n", b.data);
		diag_print(stderr, &dl);
	}
	FUZZ_ASSERT(d != NULL);
	FUZZ_ASSERT(strcmp(d->slug, c->slug) == 0);
	FUZZ_ASSERT(strcmp(d->title, c->title) == 0);
	FUZZ_ASSERT(strcmp(d->summary, c->summary) == 0);
	FUZZ_ASSERT(strcmp(d->lang, c->lang) == 0);
	FUZZ_ASSERT(d->nmodules == c->nmodules);
	for (i = 0; i < c->nmodules; i++)
		FUZZ_ASSERT(strcmp(d->modules[i], c->modules[i]) == 0);
	FUZZ_ASSERT(d->hours == c->hours || (d->hours - c->hours) /
	    c->hours < 1e-12);
	FUZZ_ASSERT(d->pass_percent == c->pass_percent);
	FUZZ_ASSERT(d->attempts == c->attempts);
	FUZZ_ASSERT(d->grading == c->grading);
	FUZZ_ASSERT(d->review == c->review);
	FUZZ_ASSERT(strcmp(d->badge_name, c->badge_name) == 0);
	FUZZ_ASSERT(strcmp(d->badge_description, c->badge_description) == 0);
	FUZZ_ASSERT(strcmp(d->badge_criteria, c->badge_criteria) == 0);
	FUZZ_ASSERT(d->ncompetences == c->ncompetences);
	for (i = 0; i < c->ncompetences; i++) {
		FUZZ_ASSERT(strcmp(d->competences[i].code,
		    c->competences[i].code) == 0);
		FUZZ_ASSERT(strcmp(d->competences[i].level,
		    c->competences[i].level) == 0);
	}
	FUZZ_ASSERT((d->assessment == NULL) == (c->assessment == NULL));
	FUZZ_ASSERT(d->assessment == NULL ||
	    strcmp(d->assessment, c->assessment) == 0);
	course_free(d);
	diag_free(&dl);
	buf_free(&b);
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
		round_trip(c);
		course_free(c);
	} else
		FUZZ_ASSERT(diag_count(&dl) > 0);
	diag_free(&dl);
	return (0);
}
