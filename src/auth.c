/*
 * auth.c: passwords, tokens, roles and e-mail addresses, in plain C.
 *
 * Passwords are hashed with Argon2id through libsodium's crypto_pwhash_str
 * at OWASP's recommended minimum (19 MiB, 2 passes), which keeps a login
 * at a few tens of milliseconds on a worker. Tokens (sessions, CSRF,
 * password links) are 256-bit random values, base64url without padding;
 * the database only ever sees their SHA-256.
 */

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "capacita.h"

#define PWHASH_OPS	2
#define PWHASH_MEM	(19 * 1024 * 1024)

static const char *role_names[] = {
	"learner", "trainer", "hr", "issuer", "admin", "assessor", "reviewer"
};

int
auth_hash_password(const char *pw, char out[AUTH_HASH_MAX])
{
	if (crypto_pwhash_str(out, pw, strlen(pw), PWHASH_OPS,
	    PWHASH_MEM) != 0)
		return (-1);
	return (0);
}

/*
 * Verify pw against a stored hash. When hash is NULL (unknown user or no
 * password set yet) a dummy hash is checked anyway, so that the answer
 * takes the same time either way.
 */
int
auth_verify_password(const char *hash, const char *pw)
{
	static char	dummy[AUTH_HASH_MAX];
	int		ok;

	if (dummy[0] == '\0' && auth_hash_password("capacita-dummy",
	    dummy) == -1)
		return (0);
	ok = crypto_pwhash_str_verify(hash != NULL ? hash : dummy, pw,
	    strlen(pw)) == 0;
	return (hash != NULL && ok);
}

/* Passwords: 12 to 200 characters (NIST SP 800-63B style, no rules). */
const char *
auth_password_problem(const char *pw)
{
	size_t	n;

	n = utf8_strlen(pw);
	if (n < 12)
		return ("password.too_short");
	if (n > 200)
		return ("password.too_long");
	return (NULL);
}

void
auth_token(char out[AUTH_TOKEN_LEN + 1])
{
	unsigned char	raw[32];

	randombytes_buf(raw, sizeof(raw));
	sodium_bin2base64(out, AUTH_TOKEN_LEN + 1, raw, sizeof(raw),
	    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	sodium_memzero(raw, sizeof(raw));
}

/* A token as it arrives from a client: 43 base64url characters. */
int
auth_token_valid(const char *t)
{
	size_t	i;

	if (strlen(t) != AUTH_TOKEN_LEN)
		return (0);
	for (i = 0; i < AUTH_TOKEN_LEN; i++) {
		if (!(isalnum((unsigned char)t[i]) || t[i] == '-' ||
		    t[i] == '_'))
			return (0);
	}
	return (1);
}

void
auth_token_hash(const char *token, char out[SHA256_HEX_LEN + 1])
{
	sha256_hex(token, strlen(token), out);
}

/* Constant-time comparison of two strings of the same length. */
int
auth_equal(const char *a, const char *b)
{
	size_t	la, lb;

	la = strlen(a);
	lb = strlen(b);
	if (la != lb || la == 0)
		return (0);
	return (sodium_memcmp(a, b, la) == 0);
}

/* A random readable password for first start: xxxx-xxxx-xxxx-xxxx. */
void
auth_random_password(char out[AUTH_PASSWORD_LEN + 1])
{
	static const char	alphabet[] =
	    "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
	size_t			i, j;

	for (i = 0, j = 0; i < 16; i++) {
		if (i > 0 && i % 4 == 0)
			out[j++] = '-';
		out[j++] = alphabet[randombytes_uniform(
		    (uint32_t)(sizeof(alphabet) - 1))];
	}
	out[j] = '\0';
}

const char *
auth_role_name(int role)
{
	int	i;

	for (i = 0; i < ROLE_COUNT; i++) {
		if (role == (1 << i))
			return (role_names[i]);
	}
	return ("?");
}

int
auth_role_from(const char *s)
{
	int	i;

	for (i = 0; i < ROLE_COUNT; i++) {
		if (strcmp(s, role_names[i]) == 0)
			return (1 << i);
	}
	return (0);
}

/*
 * A pragmatic e-mail check: one '@', a non-empty local part, a domain
 * with a dot, no spaces or control characters, at most 254 bytes.
 * Returns a lower-cased copy, or NULL.
 */
char *
auth_email_normalise(const char *in)
{
	const char	*at, *p;
	char		*out, *q;
	size_t		 len;

	while (*in == ' ' || *in == '\t')
		in++;
	len = strlen(in);
	while (len > 0 && (in[len - 1] == ' ' || in[len - 1] == '\t'))
		len--;
	if (len == 0 || len > 254)
		return (NULL);
	at = memchr(in, '@', len);
	if (at == NULL || at == in || memchr(at + 1, '@', len - (size_t)(at +
	    1 - in)) != NULL)
		return (NULL);
	if (memchr(at + 1, '.', len - (size_t)(at + 1 - in)) == NULL ||
	    in[len - 1] == '.' || at[1] == '.')
		return (NULL);
	for (p = in; p < in + len; p++) {
		if ((unsigned char)*p <= ' ' || *p == '<' || *p == '>' ||
		    *p == '"' || *p == ',' || *p == ';' || *p == '\\' ||
		    (unsigned char)*p == 0x7f)
			return (NULL);
	}
	out = xstrndup(in, len);
	for (q = out; *q != '\0'; q++)
		*q = (char)tolower((unsigned char)*q);
	return (out);
}
