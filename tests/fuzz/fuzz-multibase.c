/*
 * fuzz-multibase.c: the decoders of keys, signatures and status lists:
 * base58_decode(), multikey_public_decode(), multikey_secret_decode(),
 * vc_did_key(), multibase_base64url_decode() and status_gunzip(). Each
 * encoding is a bijection, so what decodes must encode back to the same
 * text, and what is encoded must decode back to the same bytes.
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
	struct buf	 b;
	unsigned char	*out, *raw, key[32], *bits;
	unsigned long	 n;
	size_t		 len, max;
	char		*s;

	s = fuzz_str(data, size);
	buf_init(&b, size * 2 + 64);

	/* base58btc, both ways. */
	max = size + 1;
	out = xmalloc(max);
	if (base58_decode(s, out, max, &len) == 0) {
		FUZZ_ASSERT(len <= max);
		base58_encode(&b, out, len);
		FUZZ_ASSERT(strcmp(b.data, s) == 0);
		buf_reset(&b);
	}
	base58_encode(&b, data, size);
	FUZZ_ASSERT(base58_decode(b.data, out, max, &len) == 0);
	FUZZ_ASSERT(len == size && memcmp(out, data, size) == 0);
	buf_reset(&b);
	free(out);

	/* Multikeys and did:key. */
	if (multikey_public_decode(s, key) == 0) {
		multikey_public(&b, key);
		FUZZ_ASSERT(strcmp(b.data, s) == 0);
		buf_reset(&b);
	}
	if (multikey_secret_decode(s, key) == 0) {
		unsigned char	raw66[80], again[32];
		size_t		n66;

		/*
		 * The 32-byte form encodes back to the same text; the 64-byte
		 * form (seed || public key) to the 32-byte form of the seed.
		 */
		multikey_secret(&b, key);
		FUZZ_ASSERT(base58_decode(s + 1, raw66, sizeof(raw66),
		    &n66) == 0 && (n66 == 34 || n66 == 66));
		if (n66 == 34)
			FUZZ_ASSERT(strcmp(b.data, s) == 0);
		FUZZ_ASSERT(multikey_secret_decode(b.data, again) == 0 &&
		    memcmp(again, key, 32) == 0);
		buf_reset(&b);
	}
	(void)vc_did_key(s, key);

	/* base64url ("u" multibase), both ways. */
	if ((raw = multibase_base64url_decode(s, &len)) != NULL) {
		multibase_base64url(&b, raw, len);
		FUZZ_ASSERT(strcmp(b.data, s) == 0);
		buf_reset(&b);
		free(raw);
	}
	multibase_base64url(&b, data, size);
	raw = multibase_base64url_decode(b.data, &len);
	FUZZ_ASSERT(raw != NULL && len == size && memcmp(raw, data,
	    size) == 0);
	free(raw);
	buf_reset(&b);

	/* gzip: any bytes into a status list buffer, and a round trip. */
	bits = xmalloc(STATUS_LIST_BYTES);
	n = STATUS_LIST_BYTES;
	(void)status_gunzip(data, size, bits, &n);
	FUZZ_ASSERT(n <= STATUS_LIST_BYTES);
	if (size <= STATUS_LIST_BYTES) {
		raw = status_gzip(data, size, &len);
		FUZZ_ASSERT(raw != NULL);
		n = STATUS_LIST_BYTES;
		FUZZ_ASSERT(status_gunzip(raw, len, bits, &n) == 0);
		FUZZ_ASSERT(n == size && memcmp(bits, data, size) == 0);
		free(raw);
	}
	free(bits);

	buf_free(&b);
	free(s);
	return (0);
}
