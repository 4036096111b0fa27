/*
 * fuzz-module.c: module_parse() over any bytes: front matter, the
 * CommonMark body and its ```quiz blocks. A module that parses must
 * render to safe HTML, and so must its question texts, answers and
 * feedback through md_render_inline() (as the editor and the store do).
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
	struct module		*m;
	struct quiz_question	*q;
	size_t			 i, j;
	char			*h;

	diag_init(&dl);
	m = module_parse("fuzz.md", (const char *)data, size, &dl);
	if (m != NULL) {
		FUZZ_ASSERT(diag_count(&dl) == 0);
		FUZZ_ASSERT(slug_valid(m->slug));
		FUZZ_ASSERT(m->minutes >= 1 && m->minutes <= 600);
		fuzz_check_html(m->html);
		for (i = 0; i < m->quiz.nq; i++) {
			q = &m->quiz.q[i];
			FUZZ_ASSERT(q->nopts > 0 &&
			    q->nopts <= QUIZ_MAX_OPTIONS);
			h = md_render_inline(q->text);
			fuzz_check_html(h);
			free(h);
			for (j = 0; j < q->nopts; j++) {
				h = md_render_inline(q->opts[j].text);
				fuzz_check_html(h);
				free(h);
				if (q->opts[j].feedback == NULL)
					continue;
				h = md_render_inline(q->opts[j].feedback);
				fuzz_check_html(h);
				free(h);
			}
		}
		module_free(m);
	} else
		FUZZ_ASSERT(diag_count(&dl) > 0);
	diag_free(&dl);
	return (0);
}
