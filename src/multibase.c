/*
 * multibase.c: base58btc ("z" multibase) and base64url ("u"), and the
 * multicodec-prefixed Ed25519 keys of the Multikey format:
 *
 *	public key	"z" + base58btc(0xed 0x01 + 32-byte key)  -> z6Mk...
 *	secret key	"z" + base58btc(0x80 0x26 + 32-byte seed)
 *	did:key		"did:key:" + public key
 */

#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "capacita.h"

static void	multikey_encode(struct buf *, unsigned char, unsigned char,
		    const unsigned char [32]);

static const char	b58[] =
    "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";

void
base58_encode(struct buf *out, const unsigned char *in, size_t len)
{
	unsigned char	*digits;
	size_t		 i, j, n, zeros;
	unsigned int	 carry;

	zeros = 0;
	while (zeros < len && in[zeros] == 0)
		zeros++;
	/* log(256) / log(58) < 1.37 */
	digits = xcalloc(len * 137 / 100 + 2, 1);
	n = 0;
	for (i = zeros; i < len; i++) {
		carry = in[i];
		for (j = 0; j < n; j++) {
			carry += (unsigned int)digits[j] << 8;
			digits[j] = carry % 58;
			carry /= 58;
		}
		while (carry > 0) {
			digits[n++] = carry % 58;
			carry /= 58;
		}
	}
	for (i = 0; i < zeros; i++)
		buf_putc(out, '1');
	for (i = n; i > 0; i--)
		buf_putc(out, b58[digits[i - 1]]);
	free(digits);
}

/* Decode into out (at most max bytes); -1 on a bad character or size. */
int
base58_decode(const char *in, unsigned char *out, size_t max, size_t *len)
{
	unsigned char	*bytes;
	const char	*p;
	size_t		 i, n, zeros, cap;
	unsigned int	 carry;

	zeros = 0;
	while (in[zeros] == '1')
		zeros++;
	cap = strlen(in) + 1;
	bytes = xcalloc(cap, 1);
	n = 0;
	for (p = in + zeros; *p != '\0'; p++) {
		const char	*d = strchr(b58, *p);

		if (d == NULL || *p == '\0') {
			free(bytes);
			return (-1);
		}
		carry = (unsigned int)(d - b58);
		for (i = 0; i < n; i++) {
			carry += (unsigned int)bytes[i] * 58;
			bytes[i] = carry & 0xff;
			carry >>= 8;
		}
		while (carry > 0) {
			bytes[n++] = carry & 0xff;
			carry >>= 8;
		}
	}
	if (zeros + n > max) {
		free(bytes);
		return (-1);
	}
	memset(out, 0, zeros);
	for (i = 0; i < n; i++)
		out[zeros + i] = bytes[n - 1 - i];
	*len = zeros + n;
	free(bytes);
	return (0);
}

/* A 32-byte key behind its two-byte multicodec prefix, base58btc. */
static void
multikey_encode(struct buf *out, unsigned char c0, unsigned char c1,
    const unsigned char key[32])
{
	unsigned char	raw[34];

	raw[0] = c0;
	raw[1] = c1;
	memcpy(raw + 2, key, 32);
	buf_putc(out, 'z');
	base58_encode(out, raw, sizeof(raw));
	sodium_memzero(raw, sizeof(raw));
}

void
multikey_public(struct buf *out, const unsigned char pk[32])
{
	multikey_encode(out, 0xed, 0x01, pk);
}

void
multikey_secret(struct buf *out, const unsigned char seed[32])
{
	multikey_encode(out, 0x80, 0x26, seed);
}

/* "z6Mk..." to the 32-byte key; -1 unless an Ed25519 Multikey. */
int
multikey_public_decode(const char *s, unsigned char pk[32])
{
	unsigned char	raw[64];
	size_t		len;

	if (s[0] != 'z' || base58_decode(s + 1, raw, sizeof(raw), &len) == -1 ||
	    len != 34 || raw[0] != 0xed || raw[1] != 0x01)
		return (-1);
	memcpy(pk, raw + 2, 32);
	return (0);
}

int
multikey_secret_decode(const char *s, unsigned char seed[32])
{
	unsigned char	raw[80], pk[32], sk[64];
	size_t		len;
	int		rc;

	/*
	 * 0x8026 then the 32-byte seed (the W3C vectors), or the 64-byte
	 * form seed || public key that @digitalbazaar/ed25519-multikey
	 * exports: there the public half must be the seed's.
	 */
	if (s[0] != 'z' || base58_decode(s + 1, raw, sizeof(raw), &len) == -1 ||
	    (len != 34 && len != 66) || raw[0] != 0x80 || raw[1] != 0x26) {
		sodium_memzero(raw, sizeof(raw));
		return (-1);
	}
	rc = 0;
	if (len == 66) {
		crypto_sign_seed_keypair(pk, sk, raw + 2);
		if (memcmp(pk, raw + 34, 32) != 0)
			rc = -1;
		sodium_memzero(sk, sizeof(sk));
	}
	if (rc == 0)
		memcpy(seed, raw + 2, 32);
	sodium_memzero(raw, sizeof(raw));
	return (rc);
}

/* base64url without padding, with the multibase prefix "u". */
void
multibase_base64url(struct buf *out, const unsigned char *in, size_t len)
{
	size_t	 n;
	char	*tmp;

	n = sodium_base64_ENCODED_LEN(len,
	    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	tmp = xmalloc(n);
	sodium_bin2base64(tmp, n, in, len,
	    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	buf_putc(out, 'u');
	buf_puts(out, tmp);
	free(tmp);
}

/*
 * Decode "u..." into a new buffer; NULL unless valid. The alphabet is
 * checked here: libsodium 1.0.18 takes any byte from 0x80 up as a
 * base64 digit, so "u" followed by such bytes would decode.
 */
unsigned char *
multibase_base64url_decode(const char *s, size_t *len)
{
	unsigned char	*out;
	size_t		 cap;

	if (s[0] != 'u' || s[1 + strspn(s + 1, "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	    "abcdefghijklmnopqrstuvwxyz0123456789-_")] != '\0')
		return (NULL);
	cap = strlen(s) * 3 / 4 + 3;
	out = xmalloc(cap);
	if (sodium_base642bin(out, cap, s + 1, strlen(s + 1), NULL, len, NULL,
	    sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0) {
		free(out);
		return (NULL);
	}
	return (out);
}
