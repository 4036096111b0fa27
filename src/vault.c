/*
 * vault.c: a passphrase-sealed box for the issuer's secret keys in a
 * backup. The passphrase goes through Argon2id (crypto_pwhash, moderate
 * limits) into a key for XSalsa20-Poly1305 (crypto_secretbox):
 *
 *	"CAPACITA-VAULT-1\n"	magic, 17 bytes
 *	salt			crypto_pwhash_SALTBYTES
 *	opslimit, memlimit	8 bytes each, little-endian
 *	nonce			crypto_secretbox_NONCEBYTES
 *	ciphertext		crypto_secretbox_MACBYTES + plaintext
 *
 * A wrong passphrase and a damaged file give the same answer.
 */

#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "capacita.h"

#define VAULT_MAGIC	"CAPACITA-VAULT-1\n"
#define VAULT_MAGIC_LEN	17
#define VAULT_HEAD	(VAULT_MAGIC_LEN + crypto_pwhash_SALTBYTES + 16 + \
			    crypto_secretbox_NONCEBYTES)

static void	put64(unsigned char *, unsigned long long);
static unsigned long long get64(const unsigned char *);

static void
put64(unsigned char *p, unsigned long long v)
{
	int	i;

	for (i = 0; i < 8; i++)
		p[i] = (unsigned char)(v >> (8 * i));
}

static unsigned long long
get64(const unsigned char *p)
{
	unsigned long long	v;
	int			i;

	v = 0;
	for (i = 7; i >= 0; i--)
		v = (v << 8) | p[i];
	return (v);
}

int
vault_seal(const char *pass, const void *plain, size_t len, struct buf *out,
    struct buf *err)
{
	unsigned char	 head[VAULT_HEAD], key[crypto_secretbox_KEYBYTES];
	unsigned char	*salt, *nonce, *box;
	unsigned long long ops, mem;

	if (strlen(pass) < VAULT_PASS_MIN) {
		buf_printf(err, "the passphrase needs at least %d characters",
		    VAULT_PASS_MIN);
		return (-1);
	}
	ops = crypto_pwhash_OPSLIMIT_MODERATE;
	mem = crypto_pwhash_MEMLIMIT_MODERATE;
	memcpy(head, VAULT_MAGIC, VAULT_MAGIC_LEN);
	salt = head + VAULT_MAGIC_LEN;
	randombytes_buf(salt, crypto_pwhash_SALTBYTES);
	put64(salt + crypto_pwhash_SALTBYTES, ops);
	put64(salt + crypto_pwhash_SALTBYTES + 8, mem);
	nonce = salt + crypto_pwhash_SALTBYTES + 16;
	randombytes_buf(nonce, crypto_secretbox_NONCEBYTES);
	if (crypto_pwhash(key, sizeof(key), pass, strlen(pass), salt, ops,
	    (size_t)mem, crypto_pwhash_ALG_ARGON2ID13) != 0) {
		buf_puts(err, "out of memory deriving the key");
		return (-1);
	}
	box = xmalloc(len + crypto_secretbox_MACBYTES);
	crypto_secretbox_easy(box, plain, len, nonce, key);
	sodium_memzero(key, sizeof(key));
	buf_append(out, head, sizeof(head));
	buf_append(out, box, len + crypto_secretbox_MACBYTES);
	free(box);
	return (0);
}

int
vault_open(const char *pass, const void *in, size_t len, struct buf *plain,
    struct buf *err)
{
	const unsigned char	*p = in, *salt, *nonce;
	unsigned char		 key[crypto_secretbox_KEYBYTES], *msg;
	unsigned long long	 ops, mem;
	size_t			 clen;

	if (len < VAULT_HEAD + crypto_secretbox_MACBYTES ||
	    memcmp(p, VAULT_MAGIC, VAULT_MAGIC_LEN) != 0) {
		buf_puts(err, "not a Capacita key vault");
		return (-1);
	}
	salt = p + VAULT_MAGIC_LEN;
	ops = get64(salt + crypto_pwhash_SALTBYTES);
	mem = get64(salt + crypto_pwhash_SALTBYTES + 8);
	nonce = salt + crypto_pwhash_SALTBYTES + 16;
	if (ops < crypto_pwhash_OPSLIMIT_MIN || ops >
	    crypto_pwhash_OPSLIMIT_SENSITIVE || mem <
	    crypto_pwhash_MEMLIMIT_MIN || mem >
	    crypto_pwhash_MEMLIMIT_SENSITIVE) {
		buf_puts(err, "not a Capacita key vault");
		return (-1);
	}
	if (crypto_pwhash(key, sizeof(key), pass, strlen(pass), salt, ops,
	    (size_t)mem, crypto_pwhash_ALG_ARGON2ID13) != 0) {
		buf_puts(err, "out of memory deriving the key");
		return (-1);
	}
	clen = len - VAULT_HEAD;
	msg = xmalloc(clen);
	if (crypto_secretbox_open_easy(msg, p + VAULT_HEAD, clen, nonce,
	    key) != 0) {
		sodium_memzero(key, sizeof(key));
		free(msg);
		buf_puts(err, "wrong passphrase, or the file is damaged");
		return (-1);
	}
	sodium_memzero(key, sizeof(key));
	buf_append(plain, msg, clen - crypto_secretbox_MACBYTES);
	sodium_memzero(msg, clen);
	free(msg);
	return (0);
}
