/*
 * fuzz-governance.c: gov_model_parse() and gov_practice_parse() over
 * any bytes. What parses is whole: every dimension has every level with
 * its texts in both languages, its codes are found again, its sources
 * are known; a card has its six sections and renders in both languages.
 * What does not parse says why (at least one message). The same bytes
 * as a deadline (gov_date_valid(): a date it accepts formats to ten
 * characters in Italian) and as a card's title cut for the tab
 * (gov_short_title(): never longer than asked, always terminated).
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
	char			*text, out[64];
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

	text = xstrndup((const char *)data, size);
	if (gov_date_valid(text) == 0) {
		gov_date_format(out, sizeof(out), text, LANG_IT);
		FUZZ_ASSERT(strlen(out) == 10 && out[2] == '/' && out[5] == '/');
		gov_date_format(out, sizeof(out), text, LANG_EN);
		FUZZ_ASSERT(strlen(out) >= 10);
	}
	for (i = 2; i < 40; i += 7) {
		gov_short_title(out, sizeof(out), text, i);
		FUZZ_ASSERT(strlen(out) < sizeof(out));
		if (utf8_strlen(text) <= i && strlen(text) < sizeof(out))
			FUZZ_ASSERT(strcmp(out, text) == 0);
	}
	free(text);
	return (0);
}
