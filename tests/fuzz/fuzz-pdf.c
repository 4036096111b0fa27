/*
 * fuzz-pdf.c: pdf_attachment(), the reader of the credential embedded in
 * a PDF certificate, on untrusted bytes (bin/capacita verify FILE.pdf).
 * Invariants: no read outside the input (ASan), an answer of at most
 * PDF_ATTACH_MAX bytes, and a reason whenever it refuses.
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
	struct buf	 out, err;
	char		*copy;
	int		 rc;

	/* An exact-size copy, so that ASan sees any read past the end. */
	copy = malloc(size > 0 ? size : 1);
	memcpy(copy, data, size);
	buf_init(&out, 64);
	buf_init(&err, 64);
	rc = pdf_attachment(copy, size, &out, &err);
	FUZZ_ASSERT(rc == 0 || err.len > 0);
	FUZZ_ASSERT(rc == -1 || out.len <= PDF_ATTACH_MAX);
	buf_free(&out);
	buf_free(&err);
	free(copy);
	return (0);
}
