/*
 * oidc.c: the relying party's side of OpenID Connect, without the
 * network: PKCE, the authorization request, the provider's discovery
 * document, and the ID token's checks (signature against the provider's
 * JWKS with cjose, then iss, aud, azp, exp, iat, nonce, sub), the
 * UserInfo response merged in (its sub must be the ID token's), and the
 * claims turned into an identity by the provider's claim mapping.
 *
 * Only asymmetric signatures are taken (RS*, PS*, ES*): "none" and the
 * HMAC algorithms are refused before any key is looked at, so a token
 * "signed" with the provider's public key as an HMAC secret never gets
 * near a verifier. The key must be in the JWKS by its kid, of the type
 * the algorithm needs, and meant for signatures.
 */

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <cjose/cjose.h>
#include <jansson.h>
#include <sodium.h>

#include "capacita.h"

#define OIDC_ID_TOKEN_MAX	16384
#define OIDC_ACCESS_TOKEN_MAX	8192

static const struct {
	const char	*alg;
	int		 kty;	/* cjose_jwk_kty_t */
	int		 crv;	/* cjose_jwk_ec_curve, 0 for RSA */
} oidc_algs[] = {
	{ "RS256", CJOSE_JWK_KTY_RSA, 0 },
	{ "RS384", CJOSE_JWK_KTY_RSA, 0 },
	{ "RS512", CJOSE_JWK_KTY_RSA, 0 },
	{ "PS256", CJOSE_JWK_KTY_RSA, 0 },
	{ "PS384", CJOSE_JWK_KTY_RSA, 0 },
	{ "PS512", CJOSE_JWK_KTY_RSA, 0 },
	{ "ES256", CJOSE_JWK_KTY_EC, CJOSE_JWK_EC_P_256 },
	{ "ES384", CJOSE_JWK_KTY_EC, CJOSE_JWK_EC_P_384 },
	{ "ES512", CJOSE_JWK_KTY_EC, CJOSE_JWK_EC_P_521 },
};

static const char *const oidc_err_names[OIDC_ERR_MAX] = {
	"ok", "malformed", "algorithm", "unknown key", "signature",
	"issuer", "audience", "expired", "issued at", "nonce", "subject",
};

static int	 oidc_b64url_ok(const char *);
static int	 oidc_jwk_ok(json_t *);
static char	*oidc_claim_str(json_t *, const char *);
static int	 oidc_claim_true(json_t *, const char *);
static cjose_jwk_t *oidc_key(json_t *, const char *, int, int, int *);
static int	 oidc_check_claims(json_t *, const struct oidc_provider *,
		    const char *, time_t, struct buf *);
static void	 oidc_identity_fill(json_t *, const struct oidc_provider *,
		    struct oidc_identity *);

const char *
oidc_err_name(int e)
{
	if (e < 0 || e >= OIDC_ERR_MAX)
		return ("?");
	return (oidc_err_names[e]);
}

/* RFC 7636: the S256 challenge of a verifier, base64url, no padding. */
void
oidc_pkce_challenge(const char *verifier, char out[AUTH_TOKEN_LEN + 1])
{
	unsigned char	h[crypto_hash_sha256_BYTES];

	crypto_hash_sha256(h, (const unsigned char *)verifier,
	    strlen(verifier));
	sodium_bin2base64(out, AUTH_TOKEN_LEN + 1, h, sizeof(h),
	    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
}

/* The authorization request: code flow, PKCE S256, state and nonce. */
void
oidc_auth_url(struct buf *out, const struct oidc_provider *p,
    const char *endpoint, const char *state, const char *nonce,
    const char *challenge)
{
	buf_puts(out, endpoint);
	buf_putc(out, strchr(endpoint, '?') != NULL ? '&' : '?');
	buf_puts(out, "response_type=code&client_id=");
	url_encode(out, p->client_id);
	buf_puts(out, "&redirect_uri=");
	url_encode(out, p->redirect_uri);
	buf_puts(out, "&scope=");
	url_encode(out, p->scopes);
	buf_puts(out, "&state=");
	url_encode(out, state);
	buf_puts(out, "&nonce=");
	url_encode(out, nonce);
	buf_puts(out, "&code_challenge=");
	url_encode(out, challenge);
	buf_puts(out, "&code_challenge_method=S256");
}

/* RP-initiated logout: where to send the browser when it signs out. */
void
oidc_logout_url(struct buf *out, const struct oidc_provider *p,
    const char *endpoint, const char *id_token, const char *after)
{
	buf_puts(out, endpoint);
	buf_putc(out, strchr(endpoint, '?') != NULL ? '&' : '?');
	buf_puts(out, "client_id=");
	url_encode(out, p->client_id);
	buf_puts(out, "&id_token_hint=");
	url_encode(out, id_token);
	buf_puts(out, "&post_logout_redirect_uri=");
	url_encode(out, after);
}

static char *
oidc_claim_str(json_t *o, const char *name)
{
	json_t	*v;

	if (name == NULL || *name == '\0' ||
	    (v = json_object_get(o, name)) == NULL || !json_is_string(v) ||
	    json_string_length(v) == 0)
		return (NULL);
	return (xstrdup(json_string_value(v)));
}

/* A boolean claim; some providers send "true" as a string. */
static int
oidc_claim_true(json_t *o, const char *name)
{
	json_t	*v;

	if (name == NULL || (v = json_object_get(o, name)) == NULL)
		return (0);
	if (json_is_true(v))
		return (1);
	return (json_is_string(v) && strcmp(json_string_value(v), "true") == 0);
}

static int
oidc_https_or_local(const char *url)
{
	return (str_has_prefix(url, "https://") ||
	    str_has_prefix(url, "http://127.0.0.1") ||
	    str_has_prefix(url, "http://localhost") ||
	    str_has_prefix(url, "http://[::1]"));
}

/*
 * The provider's /.well-known/openid-configuration. Its issuer must be
 * the configured one, character for character (OpenID Connect
 * Discovery 1.0, 4.3), and every endpoint HTTPS (or loopback).
 */
int
oidc_discovery_parse(const char *src, size_t len, const char *issuer,
    struct oidc_discovery *d, struct buf *err)
{
	json_t		*o;
	json_error_t	 je;
	char		**f[] = { &d->authorization_endpoint,
			    &d->token_endpoint, &d->jwks_uri };
	const char	*names[] = { "authorization_endpoint",
			    "token_endpoint", "jwks_uri" };
	size_t		 i;

	memset(d, 0, sizeof(*d));
	if ((o = json_loadb(src, len, JSON_REJECT_DUPLICATES, &je)) == NULL ||
	    !json_is_object(o)) {
		buf_printf(err, "discovery: not a JSON object (%s)", je.text);
		json_decref(o);
		return (-1);
	}
	d->issuer = oidc_claim_str(o, "issuer");
	if (d->issuer == NULL || strcmp(d->issuer, issuer) != 0) {
		buf_printf(err, "discovery: issuer is '%s', not '%s'",
		    d->issuer != NULL ? d->issuer : "", issuer);
		goto fail;
	}
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		*f[i] = oidc_claim_str(o, names[i]);
		if (*f[i] == NULL || !oidc_https_or_local(*f[i])) {
			buf_printf(err, "discovery: %s missing or not HTTPS",
			    names[i]);
			goto fail;
		}
	}
	/* Optional: dropped unless HTTPS (or loopback). */
	d->end_session_endpoint = oidc_claim_str(o, "end_session_endpoint");
	if (d->end_session_endpoint != NULL &&
	    !oidc_https_or_local(d->end_session_endpoint)) {
		free(d->end_session_endpoint);
		d->end_session_endpoint = NULL;
	}
	d->userinfo_endpoint = oidc_claim_str(o, "userinfo_endpoint");
	if (d->userinfo_endpoint != NULL &&
	    !oidc_https_or_local(d->userinfo_endpoint)) {
		free(d->userinfo_endpoint);
		d->userinfo_endpoint = NULL;
	}
	json_decref(o);
	return (0);
fail:
	json_decref(o);
	oidc_discovery_free(d);
	return (-1);
}

void
oidc_discovery_free(struct oidc_discovery *d)
{
	free(d->issuer);
	free(d->authorization_endpoint);
	free(d->token_endpoint);
	free(d->jwks_uri);
	free(d->end_session_endpoint);
	free(d->userinfo_endpoint);
	memset(d, 0, sizeof(*d));
}

/*
 * The token endpoint's answer: its id_token (a copy), or -1. When
 * access_token is not NULL, it gets a copy of the access token if
 * there is a usable one (a bearer token of RFC 6750's b64token
 * characters, for the UserInfo call), else NULL.
 */
int
oidc_token_parse(const char *src, size_t len, char **id_token,
    char **access_token, struct buf *err)
{
	json_t		*o;
	json_error_t	 je;
	const char	*tt;
	char		*e, *at;
	size_t		 n;

	*id_token = NULL;
	if (access_token != NULL)
		*access_token = NULL;
	if ((o = json_loadb(src, len, 0, &je)) == NULL || !json_is_object(o)) {
		buf_printf(err, "token response: not a JSON object");
		json_decref(o);
		return (-1);
	}
	if ((e = oidc_claim_str(o, "error")) != NULL) {
		buf_printf(err, "token response: error %.80s", e);
		free(e);
		json_decref(o);
		return (-1);
	}
	*id_token = oidc_claim_str(o, "id_token");
	at = oidc_claim_str(o, "access_token");
	tt = json_string_value(json_object_get(o, "token_type"));
	if (at != NULL) {
		n = strspn(at, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuv"
		    "wxyz0123456789-._~+/");
		n += strspn(at + n, "=");
		if (at[n] != '\0' || n == 0 || n > OIDC_ACCESS_TOKEN_MAX ||
		    (tt != NULL && strcasecmp(tt, "Bearer") != 0)) {
			free(at);
			at = NULL;
		}
	}
	json_decref(o);
	if (*id_token == NULL || strlen(*id_token) > OIDC_ID_TOKEN_MAX) {
		free(*id_token);
		free(at);
		*id_token = NULL;
		buf_puts(err, "token response: no id_token");
		return (-1);
	}
	if (access_token != NULL)
		*access_token = at;
	else
		free(at);
	return (0);
}

/* Only the base64url alphabet, no padding, a length that can be. */
static int
oidc_b64url_ok(const char *v)
{
	size_t	n;

	n = strspn(v, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
	    "0123456789-_");
	return (v[n] == '\0' && n > 0 && n % 4 != 1);
}

/*
 * A JWK's key material, checked before cjose sees it: cjose 0.6
 * asserts (aborts) on some malformed base64url in "n" or "x"
 * (fuzz-oidc found "=" inside a value).
 */
static int
oidc_jwk_ok(json_t *k)
{
	static const char *const b64[] = { "n", "e", "x", "y", "d", "p", "q",
	    "dp", "dq", "qi", "k" };
	json_t	*v;
	size_t	 i;

	for (i = 0; i < sizeof(b64) / sizeof(b64[0]); i++) {
		if ((v = json_object_get(k, b64[i])) == NULL)
			continue;
		if (!json_is_string(v) || !oidc_b64url_ok(json_string_value(v)))
			return (0);
	}
	return (1);
}

/*
 * The key of the JWKS that may check this token: by kid, or the only
 * signing key of the right type when the token names none. *found is
 * set when a key had the kid but the wrong type.
 */
static cjose_jwk_t *
oidc_key(json_t *jwks, const char *kid, int kty, int crv, int *found)
{
	json_t		*keys, *k, *v;
	cjose_jwk_t	*jwk, *only;
	cjose_err	 cerr;
	char		*s;
	size_t		 i;
	int		 n;

	*found = 0;
	only = NULL;
	n = 0;
	keys = json_object_get(jwks, "keys");
	if (!json_is_array(keys))
		return (NULL);
	json_array_foreach(keys, i, k) {
		if (!json_is_object(k))
			continue;
		v = json_object_get(k, "use");
		if (v != NULL && (!json_is_string(v) ||
		    strcmp(json_string_value(v), "sig") != 0))
			continue;
		v = json_object_get(k, "kid");
		if (kid != NULL && (!json_is_string(v) ||
		    strcmp(json_string_value(v), kid) != 0))
			continue;
		if (!oidc_jwk_ok(k) || (s = json_dumps(k, JSON_COMPACT)) == NULL)
			continue;
		jwk = cjose_jwk_import(s, strlen(s), &cerr);
		free(s);
		if (jwk == NULL)
			continue;
		if (cjose_jwk_get_kty(jwk, &cerr) != (cjose_jwk_kty_t)kty ||
		    (kty == CJOSE_JWK_KTY_EC &&
		    cjose_jwk_EC_get_curve(jwk, &cerr) !=
		    (cjose_jwk_ec_curve)crv) ||
		    (kty == CJOSE_JWK_KTY_RSA &&
		    cjose_jwk_get_keysize(jwk, &cerr) < 2048)) {
			*found = 1;
			cjose_jwk_release(jwk);
			continue;
		}
		if (kid != NULL)
			return (jwk);
		n++;
		cjose_jwk_release(only);
		only = jwk;
	}
	if (n == 1)
		return (only);
	cjose_jwk_release(only);
	return (NULL);
}

/* iss, aud, azp, exp, iat, nonce and sub of a verified payload. */
static int
oidc_check_claims(json_t *c, const struct oidc_provider *p,
    const char *nonce, time_t now, struct buf *err)
{
	json_t		*aud, *v;
	const char	*s;
	size_t		 i;
	int		 ok;

	s = json_string_value(json_object_get(c, "iss"));
	if (s == NULL || strcmp(s, p->issuer) != 0) {
		buf_printf(err, "iss '%.100s' is not the provider's",
		    s != NULL ? s : "");
		return (OIDC_ISSUER);
	}
	aud = json_object_get(c, "aud");
	ok = 0;
	if (json_is_string(aud))
		ok = strcmp(json_string_value(aud), p->client_id) == 0;
	else if (json_is_array(aud)) {
		json_array_foreach(aud, i, v) {
			if (json_is_string(v) &&
			    strcmp(json_string_value(v), p->client_id) == 0)
				ok = 1;
		}
		/* Several audiences: azp must name us (Core 3.1.3.7). */
		if (ok && json_array_size(aud) > 1) {
			s = json_string_value(json_object_get(c, "azp"));
			ok = s != NULL && strcmp(s, p->client_id) == 0;
		}
	}
	if ((s = json_string_value(json_object_get(c, "azp"))) != NULL &&
	    strcmp(s, p->client_id) != 0)
		ok = 0;
	if (!ok) {
		buf_puts(err, "the token is not meant for this site (aud)");
		return (OIDC_AUDIENCE);
	}
	v = json_object_get(c, "exp");
	if (!json_is_integer(v) && !json_is_real(v)) {
		buf_puts(err, "no exp");
		return (OIDC_EXPIRED);
	}
	if (json_number_value(v) + OIDC_LEEWAY < (double)now) {
		buf_puts(err, "the token has expired");
		return (OIDC_EXPIRED);
	}
	v = json_object_get(c, "iat");
	if ((!json_is_integer(v) && !json_is_real(v)) ||
	    json_number_value(v) > (double)now + OIDC_LEEWAY ||
	    json_number_value(v) + OIDC_IAT_MAX < (double)now) {
		buf_puts(err, "iat missing, in the future or too old");
		return (OIDC_IAT);
	}
	s = json_string_value(json_object_get(c, "nonce"));
	if (s == NULL || nonce == NULL || !auth_equal(s, nonce)) {
		buf_puts(err, "the nonce is not the one of this sign-in");
		return (OIDC_NONCE);
	}
	s = json_string_value(json_object_get(c, "sub"));
	if (s == NULL || *s == '\0' || strlen(s) > 255 ||
	    !utf8_valid(s, strlen(s))) {
		buf_puts(err, "sub missing or too long");
		return (OIDC_SUBJECT);
	}
	return (OIDC_OK);
}

/*
 * Codice fiscale as SPID and CIE brokers release it ("TINIT-" and the
 * code) or bare: upper case, 16 characters (people) or 11 digits.
 */
char *
oidc_fiscal_code(const char *v)
{
	char	*out, *p;
	size_t	 len;

	if (v == NULL)
		return (NULL);
	if (strncasecmp(v, "TINIT-", 6) == 0)
		v += 6;
	len = strlen(v);
	if (len != 16 && len != 11)
		return (NULL);
	out = xstrdup(v);
	for (p = out; *p != '\0'; p++) {
		if (!isascii((unsigned char)*p) ||
		    !isalnum((unsigned char)*p)) {
			free(out);
			return (NULL);
		}
		*p = (char)toupper((unsigned char)*p);
	}
	if (len == 11 && strspn(out, "0123456789") != 11) {
		free(out);
		return (NULL);
	}
	return (out);
}

/*
 * The mapped claims of c that id does not have yet: the ID token's
 * first, then the UserInfo response's, so that the ID token's values
 * win. The e-mail address and its email_verified go together: an
 * address is verified only by the claims that carried it.
 */
static void
oidc_identity_fill(json_t *c, const struct oidc_provider *p,
    struct oidc_identity *id)
{
	json_t	*g, *v;
	char	*fc;
	size_t	 i;

	if (id->subject == NULL)
		id->subject = oidc_claim_str(c, "sub");
	if (id->email == NULL &&
	    (id->email = oidc_claim_str(c, p->claim_email)) != NULL)
		id->email_verified = oidc_claim_true(c,
		    p->claim_email_verified);
	if (id->name == NULL)
		id->name = oidc_claim_str(c, p->claim_name);
	if (id->fiscal_code == NULL) {
		fc = oidc_claim_str(c, p->claim_fiscal);
		id->fiscal_code = oidc_fiscal_code(fc);
		free(fc);
	}
	if (id->unit == NULL)
		id->unit = oidc_claim_str(c, p->claim_unit);
	if (id->groups != NULL || p->claim_roles == NULL ||
	    (g = json_object_get(c, p->claim_roles)) == NULL)
		return;
	if (json_is_string(g)) {
		id->groups = xcalloc(1, sizeof(char *));
		id->groups[id->ngroups++] = xstrdup(json_string_value(g));
	} else if (json_is_array(g)) {
		id->groups = xcalloc(json_array_size(g) + 1, sizeof(char *));
		json_array_foreach(g, i, v) {
			if (json_is_string(v))
				id->groups[id->ngroups++] =
				    xstrdup(json_string_value(v));
		}
	}
}

/*
 * Verify an ID token against the provider's JWKS (a JSON text) and the
 * nonce of this sign-in, at time now. Fills id on OIDC_OK; otherwise
 * returns the OIDC_* reason, with a sentence in err. OIDC_KID means the
 * key is not in this JWKS: the caller may fetch it again (rotation).
 */
int
oidc_verify(const char *jwks_src, size_t jwks_len, const char *token,
    const struct oidc_provider *p, const char *nonce, time_t now,
    struct oidc_identity *id, struct buf *err)
{
	cjose_jws_t	*jws;
	cjose_jwk_t	*jwk;
	cjose_header_t	*hdr;
	cjose_err	 cerr;
	json_t		*jwks, *claims;
	json_error_t	 je;
	const char	*alg, *kid;
	uint8_t		*plain;
	size_t		 plain_len, i, dots, part;
	int		 rc, found;

	memset(id, 0, sizeof(*id));
	jws = NULL;
	jwk = NULL;
	jwks = NULL;
	claims = NULL;
	/*
	 * The compact form, checked before cjose sees it: cjose 0.6
	 * asserts (aborts) on some malformed base64url (fuzz-oidc found
	 * "=" inside a part). Three parts of the base64url alphabet, no
	 * padding, none of an impossible length; an empty signature is an
	 * unsigned token.
	 */
	for (dots = 0, i = 0, part = 0; token[i] != '\0'; i++) {
		if (token[i] == '.') {
			if (part == 0 || part % 4 == 1)
				break;
			dots++;
			part = 0;
		} else if (isascii((unsigned char)token[i]) &&
		    (isalnum((unsigned char)token[i]) || token[i] == '-' ||
		    token[i] == '_'))
			part++;
		else
			break;
	}
	if (token[i] != '\0' || dots != 2 || part % 4 == 1 ||
	    i > OIDC_ID_TOKEN_MAX) {
		buf_puts(err, "the ID token is not a signed JWT");
		return (OIDC_MALFORMED);
	}
	if (part == 0) {
		buf_puts(err, "the ID token is not signed");
		return (OIDC_ALG);
	}
	if ((jws = cjose_jws_import(token, i, &cerr)) == NULL) {
		buf_puts(err, "the ID token is not a signed JWT");
		return (OIDC_MALFORMED);
	}
	hdr = cjose_jws_get_protected(jws);
	alg = hdr != NULL ? cjose_header_get(hdr, CJOSE_HDR_ALG, &cerr) : NULL;
	kid = hdr != NULL ? cjose_header_get(hdr, CJOSE_HDR_KID, &cerr) : NULL;
	for (i = 0; alg != NULL && i < sizeof(oidc_algs) / sizeof(oidc_algs[0]);
	    i++) {
		if (strcmp(oidc_algs[i].alg, alg) == 0)
			break;
	}
	if (alg == NULL || i == sizeof(oidc_algs) / sizeof(oidc_algs[0])) {
		buf_printf(err, "algorithm '%.20s' refused",
		    alg != NULL ? alg : "");
		rc = OIDC_ALG;
		goto out;
	}
	if ((jwks = json_loadb(jwks_src, jwks_len, 0, &je)) == NULL) {
		buf_puts(err, "the provider's JWKS is not JSON");
		rc = OIDC_KID;
		goto out;
	}
	if ((jwk = oidc_key(jwks, kid, oidc_algs[i].kty, oidc_algs[i].crv,
	    &found)) == NULL) {
		buf_printf(err, "no %s key '%.60s' in the provider's JWKS",
		    found ? "usable" : "such", kid != NULL ? kid : "");
		rc = found ? OIDC_ALG : OIDC_KID;
		goto out;
	}
	if (!cjose_jws_verify(jws, jwk, &cerr)) {
		buf_puts(err, "bad signature");
		rc = OIDC_SIGNATURE;
		goto out;
	}
	if (!cjose_jws_get_plaintext(jws, &plain, &plain_len, &cerr) ||
	    (claims = json_loadb((const char *)plain, plain_len,
	    JSON_REJECT_DUPLICATES, &je)) == NULL || !json_is_object(claims)) {
		buf_puts(err, "the ID token's claims are not a JSON object");
		rc = OIDC_MALFORMED;
		goto out;
	}
	if ((rc = oidc_check_claims(claims, p, nonce, now, err)) != OIDC_OK)
		goto out;
	oidc_identity_fill(claims, p, id);
out:
	json_decref(claims);
	json_decref(jwks);
	if (jwk != NULL)
		cjose_jwk_release(jwk);
	cjose_jws_release(jws);
	return (rc);
}

/*
 * The UserInfo response (a JSON object; signed or encrypted responses
 * are not taken) merged into the identity of a verified ID token: its
 * sub must be the token's (OpenID Connect Core 5.3.2: otherwise the
 * response must not be used), then it only fills claims the token did
 * not carry. OIDC_OK, OIDC_MALFORMED or OIDC_SUBJECT, with a sentence
 * in err.
 */
int
oidc_userinfo_merge(const char *src, size_t len,
    const struct oidc_provider *p, struct oidc_identity *id,
    struct buf *err)
{
	json_t		*o;
	json_error_t	 je;
	const char	*sub;

	o = json_loadb(src, len, JSON_REJECT_DUPLICATES, &je);
	if (o == NULL || !json_is_object(o)) {
		buf_puts(err, "the UserInfo response is not a JSON object "
		    "(signed or encrypted responses are not supported)");
		json_decref(o);
		return (OIDC_MALFORMED);
	}
	sub = json_string_value(json_object_get(o, "sub"));
	if (sub == NULL || id->subject == NULL ||
	    strcmp(sub, id->subject) != 0) {
		buf_printf(err, "the UserInfo sub '%.60s' is not the ID "
		    "token's", sub != NULL ? sub : "");
		json_decref(o);
		return (OIDC_SUBJECT);
	}
	oidc_identity_fill(o, p, id);
	json_decref(o);
	return (OIDC_OK);
}

void
oidc_identity_free(struct oidc_identity *id)
{
	free(id->subject);
	free(id->email);
	free(id->name);
	free(id->fiscal_code);
	free(id->unit);
	str_array_free(id->groups, id->ngroups);
	memset(id, 0, sizeof(*id));
}

/*
 * Look value up in a map "value=target; value=target" (a unit or role
 * map of the configuration); "*=" alone maps every value to itself.
 * Returns the target in out, or NULL when the map has no entry.
 */
const char *
oidc_map(const char *map, const char *value, char *out, size_t outlen)
{
	const char	*p, *eq, *end;
	size_t		 klen, vlen;

	if (map == NULL || value == NULL || *value == '\0')
		return (NULL);
	vlen = strlen(value);
	for (p = map; *p != '\0'; p = *end != '\0' ? end + 1 : end) {
		while (*p == ' ' || *p == '\t')
			p++;
		if ((end = strchr(p, ';')) == NULL)
			end = p + strlen(p);
		if ((eq = memchr(p, '=', (size_t)(end - p))) == NULL)
			continue;
		klen = (size_t)(eq - p);
		while (klen > 0 && (p[klen - 1] == ' ' || p[klen - 1] == '\t'))
			klen--;
		eq++;
		while (eq < end && (*eq == ' ' || *eq == '\t'))
			eq++;
		if (klen == 1 && *p == '*' && eq == end) {
			xstrlcpy(out, value, outlen);
			return (out);
		}
		if (klen == vlen && memcmp(p, value, vlen) == 0 && eq < end) {
			klen = (size_t)(end - eq);
			while (klen > 0 && (eq[klen - 1] == ' ' ||
			    eq[klen - 1] == '\t'))
				klen--;
			if (klen + 1 > outlen)
				return (NULL);
			memcpy(out, eq, klen);
			out[klen] = '\0';
			return (out);
		}
	}
	return (NULL);
}
