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

#include <pwquality.h>
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

/*
 * Passwords (NIST SP 800-63B): 12 to 200 characters, no composition
 * rules, but not guessable: libpwquality's checks (cracklib's
 * dictionary, repeated and sequential characters, palindromes, the
 * account's own name) on the whole password, and the dictionary check
 * again on what is left with digits and punctuation taken off both
 * ends, since cracklib accepts a dictionary word with digits added
 * ("password1234"). who is the account's e-mail address (its local
 * part must not be in the password), or NULL. Returns a message key.
 */
const char *
auth_password_problem(const char *pw, const char *who)
{
	pwquality_settings_t	*pwq;
	const char		*problem, *b, *e;
	char			 user[128], *core;
	void			*aux;
	size_t			 n;
	int			 r;

	n = utf8_strlen(pw);
	if (n < 12)
		return ("password.too_short");
	if (n > 200)
		return ("password.too_long");
	if ((pwq = pwquality_default_settings()) == NULL)
		return ("password.weak");
	/* Our length rule above; libpwquality only for guessability. */
	(void)pwquality_set_int_value(pwq, PWQ_SETTING_MIN_LENGTH, 6);
	(void)pwquality_set_str_value(pwq, PWQ_SETTING_BAD_WORDS, "capacita");
	user[0] = '\0';
	if (who != NULL) {
		xstrlcpy(user, who, sizeof(user));
		user[strcspn(user, "@")] = '\0';
	}
	problem = NULL;
	aux = NULL;
	r = pwquality_check(pwq, pw, NULL, user[0] != '\0' ? user : NULL,
	    &aux);
	if (r == PWQ_ERROR_USER_CHECK || r == PWQ_ERROR_GECOS_CHECK)
		problem = "password.personal";
	else if (r < 0)
		problem = "password.weak";
	if (problem == NULL) {
		for (b = pw; *b != '\0' && !isalpha((unsigned char)*b) &&
		    !((unsigned char)*b & 0x80); b++)
			;
		for (e = pw + strlen(pw); e > b && !isalpha((unsigned char)
		    e[-1]) && !((unsigned char)e[-1] & 0x80); e--)
			;
		if (b != pw || *e != '\0') {
			core = xstrndup(b, (size_t)(e - b));
			aux = NULL;
			if (strlen(core) >= 4 && pwquality_check(pwq, core,
			    NULL, NULL, &aux) == PWQ_ERROR_CRACKLIB_CHECK &&
			    aux != NULL && strstr(aux, "dictionary word") !=
			    NULL)
				problem = "password.weak";
			free(core);
		}
	}
	pwquality_free_settings(pwq);
	return (problem);
}

/*
 * How long a sign-in must wait (OWASP, Authentication and Credential
 * Stuffing cheat sheets): seconds, 0 to go on. Failures are counted per
 * account and address together, per address and per account:
 *
 *  - an address over AUTH_ADDRESS_MAX failures on any accounts waits
 *    until the oldest of them leaves the window (a password spray);
 *  - an account and address pair gets AUTH_PAIR_FREE failures, then
 *    waits AUTH_DELAY_BASE seconds after the last one, doubling with
 *    each further failure up to AUTH_DELAY_MAX;
 *  - an account with AUTH_ACCOUNT_SOFT failures from all addresses is
 *    under attack: every pair gets one free failure only. This slows a
 *    guessing attack spread over many addresses, and never blocks the
 *    owner: from an address with no failures the first try always goes
 *    through, and their own mistakes cost seconds, not a lockout.
 */
int
auth_login_wait(const struct login_counts *c)
{
	int	wait, free_tries, shift, d;

	wait = 0;
	if (c->address >= AUTH_ADDRESS_MAX)
		wait = c->address_left > 0 ? c->address_left : 1;
	free_tries = c->account >= AUTH_ACCOUNT_SOFT ? 1 : AUTH_PAIR_FREE;
	if (c->pair >= free_tries) {
		shift = c->pair - free_tries;
		d = AUTH_DELAY_MAX;
		if (shift < 16 && (AUTH_DELAY_BASE << shift) < AUTH_DELAY_MAX)
			d = AUTH_DELAY_BASE << shift;
		d -= c->pair_age;
		if (d > wait)
			wait = d;
	}
	return (wait);
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
 * Where a sign-in with no page to return to lands: the page of the work
 * a person's role gives them (an administrator's, HR's, a trainer's, an
 * issuer's, an assessor's or a partner's reviewer's, in that order; most
 * also learn, and the catalogue is in their header); the catalogue for
 * one who only learns.
 */
const char *
auth_home(int roles)
{
	static const struct {
		int		 role;
		const char	*path;
	} homes[] = {
		{ ROLE_ADMIN,		"/admin" },
		{ ROLE_HR,		"/hr/people" },
		{ ROLE_TRAINER,		"/author" },
		{ ROLE_ISSUER,		"/issuer/badges" },
		{ ROLE_ASSESSOR,	"/gov" },
		{ ROLE_REVIEWER,	"/gov" },
	};
	size_t	i;

	for (i = 0; i < sizeof(homes) / sizeof(homes[0]); i++) {
		if (roles & homes[i].role)
			return (homes[i].path);
	}
	return ("/");
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
