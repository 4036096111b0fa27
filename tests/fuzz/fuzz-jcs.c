/*
 * fuzz-jcs.c: jcs_parse() and jcs_canonicalize() (RFC 8785) over any
 * bytes. The canonical form of a document must parse again to an equal
 * value, and canonicalising that must give identical bytes
 * (idempotence). The first 8 bytes are also read as a double, which
 * jcs_number() must write as text that reads back as the same double.
 */

#include <math.h>

#include <jansson.h>

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
	struct buf	 c1, c2, err;
	json_t		*v, *v2;
	double		 x;

	if (size >= sizeof(x)) {
		memcpy(&x, data, sizeof(x));
		buf_init(&c1, 64);
		if (isfinite(x)) {
			FUZZ_ASSERT(jcs_number(&c1, x) == 0);
			FUZZ_ASSERT(strtod(c1.data, NULL) == x);
		} else
			FUZZ_ASSERT(jcs_number(&c1, x) == -1);
		buf_free(&c1);
	}

	buf_init(&err, 64);
	v = jcs_parse((const char *)data, size, &err);
	if (v == NULL) {
		FUZZ_ASSERT(err.len > 0);
		buf_free(&err);
		return (0);
	}
	buf_init(&c1, size + 64);
	FUZZ_ASSERT(jcs_canonicalize(&c1, v) == 0);
	buf_reset(&err);
	v2 = jcs_parse(c1.data, c1.len, &err);
	if (v2 == NULL) {
		fprintf(stderr, "%s\n--- canonical:\n%s\n", err.data,
		    c1.data);
		FUZZ_ASSERT(!"the canonical form parses");
	}
	FUZZ_ASSERT(json_equal(v, v2));
	buf_init(&c2, c1.len + 64);
	FUZZ_ASSERT(jcs_canonicalize(&c2, v2) == 0);
	if (c1.len != c2.len || memcmp(c1.data, c2.data, c1.len) != 0) {
		fprintf(stderr, "--- c1:\n%s\n--- c2:\n%s\n", c1.data,
		    c2.data);
		FUZZ_ASSERT(!"canonicalising twice gives the same bytes");
	}
	json_decref(v);
	json_decref(v2);
	buf_free(&c1);
	buf_free(&c2);
	buf_free(&err);
	return (0);
}
