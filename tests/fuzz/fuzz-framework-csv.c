/*
 * fuzz-framework-csv.c: framework_csv_read() over any bytes (a Moodle
 * competency framework CSV as an administrator uploads it). When it
 * reads, the Markdown it gives must parse (framework_parse), and that
 * framework written back as CSV (framework_csv_write) and read again
 * must give the same Markdown: one import is a fixed point.
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
	struct framework	*fw;
	struct buf		 md1, md2, csv1, md3;
	int			 n;

	diag_init(&dl);
	buf_init(&md1, 1024);
	n = framework_csv_read("fuzz.csv", (const char *)data, size, &md1,
	    &dl);
	FUZZ_ASSERT(n >= 0);
	FUZZ_ASSERT((n == 0) == (diag_count(&dl) == 0));
	if (n != 0) {
		FUZZ_ASSERT(md1.len == 0);
		buf_free(&md1);
		diag_free(&dl);
		return (0);
	}
	fw = framework_parse("md1.md", md1.data, md1.len, &dl);
	if (fw == NULL) {
		diag_print(stderr, &dl);
		fprintf(stderr, "--- md1:\n%s\n", md1.data);
		FUZZ_ASSERT(!"the Markdown of an import parses");
	}
	buf_init(&md2, 1024);
	framework_md_write(fw, &md2);
	buf_init(&csv1, 1024);
	framework_csv_write(fw, &csv1);
	buf_init(&md3, 1024);
	if (framework_csv_read("csv1.csv", csv1.data, csv1.len, &md3,
	    &dl) != 0) {
		diag_print(stderr, &dl);
		fprintf(stderr, "--- csv1:\n%s\n", csv1.data);
		FUZZ_ASSERT(!"the CSV written reads back");
	}
	if (md1.len != md3.len || memcmp(md1.data, md3.data, md1.len) != 0 ||
	    md1.len != md2.len || memcmp(md1.data, md2.data, md1.len) != 0) {
		fprintf(stderr, "--- md1:\n%s\n--- md2:\n%s\n--- md3:\n%s\n",
		    md1.data, md2.data, md3.data);
		FUZZ_ASSERT(!"CSV -> Markdown -> CSV -> Markdown is stable");
	}
	framework_free(fw);
	buf_free(&md1);
	buf_free(&md2);
	buf_free(&md3);
	buf_free(&csv1);
	diag_free(&dl);
	return (0);
}
