/*
 * fuzz-framework.c: framework_parse() over any bytes. A framework that
 * parses is written as Moodle CSV (framework_csv_write) and as Markdown
 * (framework_md_write); the CSV must read back (framework_csv_read), the
 * Markdown it gives must parse, and writing that as CSV again must give
 * the same bytes (framework-csv.c promises Markdown -> CSV -> Markdown
 * -> CSV is stable). The Markdown written directly must parse too.
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
	struct framework	*fw, *fw2, *fw3;
	struct buf		 csv1, csv2, md1, md2;
	size_t			 i;

	diag_init(&dl);
	fw = framework_parse("fuzz.md", (const char *)data, size, &dl);
	if (fw == NULL) {
		FUZZ_ASSERT(diag_count(&dl) > 0);
		diag_free(&dl);
		return (0);
	}
	FUZZ_ASSERT(diag_count(&dl) == 0);
	FUZZ_ASSERT(fw->nlevels > 0 && fw->ncomps > 0);
	for (i = 0; i < fw->ncomps; i++) {
		FUZZ_ASSERT(framework_find(fw, fw->comps[i].code) ==
		    &fw->comps[i]);
	}
	for (i = 0; i < fw->nlevels; i++)
		FUZZ_ASSERT(framework_level(fw, fw->levels[i].name) ==
		    (int)i + 1);

	/* The Markdown written from the framework parses again. */
	buf_init(&md1, 1024);
	framework_md_write(fw, &md1);
	fw3 = framework_parse("md1.md", md1.data, md1.len, &dl);
	if (fw3 == NULL) {
		diag_print(stderr, &dl);
		fprintf(stderr, "--- md1:\n%s\n", md1.data);
	}
	FUZZ_ASSERT(fw3 != NULL);
	FUZZ_ASSERT(fw3->nlevels == fw->nlevels &&
	    fw3->ncomps == fw->ncomps);
	framework_free(fw3);

	/* Markdown -> CSV -> Markdown -> CSV. */
	buf_init(&csv1, 1024);
	framework_csv_write(fw, &csv1);
	buf_init(&md2, 1024);
	if (framework_csv_read("csv1.csv", csv1.data, csv1.len, &md2,
	    &dl) != 0) {
		diag_print(stderr, &dl);
		fprintf(stderr, "--- csv1:\n%s\n", csv1.data);
		FUZZ_ASSERT(!"the CSV written reads back");
	}
	fw2 = framework_parse("md2.md", md2.data, md2.len, &dl);
	if (fw2 == NULL) {
		diag_print(stderr, &dl);
		fprintf(stderr, "--- md2:\n%s\n", md2.data);
		FUZZ_ASSERT(!"the Markdown read from CSV parses");
	}
	buf_init(&csv2, 1024);
	framework_csv_write(fw2, &csv2);
	if (csv1.len != csv2.len || memcmp(csv1.data, csv2.data,
	    csv1.len) != 0) {
		fprintf(stderr, "--- csv1:\n%s\n--- csv2:\n%s\n", csv1.data,
		    csv2.data);
		FUZZ_ASSERT(!"Markdown -> CSV -> Markdown -> CSV is stable");
	}
	framework_free(fw2);
	framework_free(fw);
	buf_free(&csv1);
	buf_free(&csv2);
	buf_free(&md1);
	buf_free(&md2);
	diag_free(&dl);
	return (0);
}
