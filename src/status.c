/*
 * status.c: W3C Bitstring Status List v1.0. The list is STATUS_LIST_BITS
 * bits (16 KB, the minimum the recommendation sets for group privacy),
 * bit 0 being the most significant bit of byte 0, GZIP-compressed and
 * written as multibase base64url ("u...").
 */

#include <stdlib.h>
#include <string.h>

#include <zlib.h>

#include "capacita.h"

/*
 * Compress len bytes with gzip (RFC 1952) into a new buffer: the status
 * lists, and the .gz forms assets.c serves.
 */
unsigned char *
status_gzip(const unsigned char *bits, size_t len, size_t *outlen)
{
	z_stream	 zs;
	unsigned char	*out;
	size_t		 cap;

	memset(&zs, 0, sizeof(zs));
	if (deflateInit2(&zs, 9, Z_DEFLATED, 15 + 16, 8,
	    Z_DEFAULT_STRATEGY) != Z_OK)
		return (NULL);
	cap = deflateBound(&zs, len) + 32;
	out = xmalloc(cap);
	zs.next_in = (Bytef *)(uintptr_t)bits;
	zs.avail_in = (uInt)len;
	zs.next_out = out;
	zs.avail_out = (uInt)cap;
	if (deflate(&zs, Z_FINISH) != Z_STREAM_END) {
		deflateEnd(&zs);
		free(out);
		return (NULL);
	}
	*outlen = zs.total_out;
	deflateEnd(&zs);
	return (out);
}

/* Decompress into out (capacity *len on entry, size on return). */
int
status_gunzip(const unsigned char *in, size_t inlen, unsigned char *out,
    unsigned long *len)
{
	z_stream	zs;
	int		rc;

	memset(&zs, 0, sizeof(zs));
	if (inflateInit2(&zs, 15 + 16) != Z_OK)
		return (-1);
	zs.next_in = (Bytef *)(uintptr_t)in;
	zs.avail_in = (uInt)inlen;
	zs.next_out = out;
	zs.avail_out = (uInt)*len;
	rc = inflate(&zs, Z_FINISH);
	*len = zs.total_out;
	inflateEnd(&zs);
	return (rc == Z_STREAM_END ? 0 : -1);
}

/* The encodedList for a list where the given indexes are set. */
char *
status_encode(const long *set, size_t nset)
{
	unsigned char	*bits, *gz;
	struct buf	 b;
	size_t		 i, gzlen;

	bits = xcalloc(STATUS_LIST_BYTES, 1);
	for (i = 0; i < nset; i++) {
		if (set[i] >= 0 && set[i] < STATUS_LIST_BITS)
			bits[set[i] / 8] |= (unsigned char)(0x80 >>
			    (set[i] % 8));
	}
	gz = status_gzip(bits, STATUS_LIST_BYTES, &gzlen);
	free(bits);
	if (gz == NULL)
		return (NULL);
	buf_init(&b, gzlen * 4 / 3 + 8);
	multibase_base64url(&b, gz, gzlen);
	free(gz);
	return (buf_release(&b));
}
