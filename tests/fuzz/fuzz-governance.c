/*
 * fuzz-governance.c: gov_model_parse() and gov_practice_parse() over
 * any bytes. What parses is whole: every dimension has every level with
 * its texts in both languages, its codes are found again, its sources
 * are known; a card has its six sections and renders in both languages.
 * What does not parse says why (at least one message).
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
	struct gov_model	*m;
	struct gov_practice	*c;
	struct buf		 md;
	size_t			 i, j;
	int			 k;

	diag_init(&dl);
	m = gov_model_parse("fuzz.md", (const char *)data, size, &dl);
	if (m == NULL)
		FUZZ_ASSERT(diag_count(&dl) > 0);
	else {
		FUZZ_ASSERT(diag_count(&dl) == 0);
		FUZZ_ASSERT(m->ndims > 0 && m->nlevels >= GOV_LEVELS_MIN &&
		    m->nlevels <= GOV_LEVELS_MAX);
		for (i = 0; i < m->ndims; i++) {
			FUZZ_ASSERT(gov_model_find(m, m->dims[i].code) ==
			    &m->dims[i]);
			FUZZ_ASSERT(m->dims[i].nlevels == m->nlevels);
			FUZZ_ASSERT(m->dims[i].ncompetences > 0 &&
			    m->dims[i].nsources > 0);
			for (j = 0; j < m->dims[i].nlevels; j++)
				for (k = 0; k < LANG_MAX; k++)
					FUZZ_ASSERT(m->dims[i].levels[j].text[k]
					    != NULL && m->dims[i].levels[j].
					    evidence[k] != NULL);
		}
		gov_model_free(m);
	}
	diag_free(&dl);

	diag_init(&dl);
	c = gov_practice_parse("fuzz.md", (const char *)data, size, &dl);
	if (c == NULL)
		FUZZ_ASSERT(diag_count(&dl) > 0);
	else {
		FUZZ_ASSERT(diag_count(&dl) == 0);
		FUZZ_ASSERT(c->nsources > 0 && c->ndimensions > 0);
		for (k = 0; k < LANG_MAX; k++) {
			buf_init(&md, 1024);
			gov_practice_markdown(c, (enum lang)k, &md);
			FUZZ_ASSERT(md.len > 0);
			buf_free(&md);
		}
		gov_practice_free(c);
	}
	diag_free(&dl);
	return (0);
}
