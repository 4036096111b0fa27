/*
 * test-oidc.c: the ID token checks of oidc.c against tokens signed here
 * with cjose (RS256, ES256) and made wrong one way at a time; PKCE
 * (RFC 7636's own example), discovery, the token response, UserInfo
 * merged into the ID token's identity, claim mapping; and mime.c's
 * messages (encoded-words, quoted-printable, line lengths); and the
 * README's own examples of provider and relay settings, loaded as an
 * operator would paste them (trailing comments and all).
 */

#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cjose/cjose.h>
#include <jansson.h>
#include <sodium.h>

#include "capacita.h"
#include "harness.h"

#define ISSUER	"https://idp.example.it/realms/pa"
#define NOW	1750000000

static struct oidc_provider	prov;
static cjose_jwk_t		*rsa, *ec, *other;
static char			*jwks;

static char *
pub_json(cjose_jwk_t *k)
{
	cjose_err	err;

	return (cjose_jwk_to_json(k, false, &err));
}

static void
setup(void)
{
	static const uint8_t	e[] = { 1, 0, 1 };
	cjose_err		err;
	char			*a, *b;

	memset(&prov, 0, sizeof(prov));
	prov.name = "pa";
	prov.issuer = ISSUER;
	prov.client_id = "capacita";
	prov.redirect_uri = "https://capacita.example.it/oidc/callback";
	prov.scopes = "openid email profile";
	prov.claim_email = "email";
	prov.claim_email_verified = "email_verified";
	prov.claim_name = "name";
	prov.claim_fiscal = "fiscalNumber";
	prov.claim_unit = "ou";
	prov.claim_roles = "groups";
	rsa = cjose_jwk_create_RSA_random(2048, e, sizeof(e), &err);
	(void)cjose_jwk_set_kid(rsa, "k-rsa", 5, &err);
	ec = cjose_jwk_create_EC_random(CJOSE_JWK_EC_P_256, &err);
	(void)cjose_jwk_set_kid(ec, "k-ec", 4, &err);
	other = cjose_jwk_create_RSA_random(2048, e, sizeof(e), &err);
	(void)cjose_jwk_set_kid(other, "k-other", 7, &err);
	a = pub_json(rsa);
	b = pub_json(ec);
	(void)xasprintf(&jwks, "{\"keys\":[%s,%s]}", a, b);
	free(a);
	free(b);
}

/* A token of claims (JSON text) signed by key with alg and kid. */
static char *
sign(cjose_jwk_t *key, const char *alg, const char *kid, const char *claims)
{
	cjose_header_t	*h;
	cjose_jws_t	*jws;
	cjose_err	 err;
	const char	*ser;
	char		*out;

	h = cjose_header_new(&err);
	(void)cjose_header_set(h, CJOSE_HDR_ALG, alg, &err);
	if (kid != NULL)
		(void)cjose_header_set(h, CJOSE_HDR_KID, kid, &err);
	jws = cjose_jws_sign(key, h, (const uint8_t *)claims, strlen(claims),
	    &err);
	if (jws == NULL || !cjose_jws_export(jws, &ser, &err)) {
		fprintf(stderr, "sign: %s\n", err.message);
		abort();
	}
	out = xstrdup(ser);
	cjose_jws_release(jws);
	cjose_header_release(h);
	return (out);
}

static char *
claims(const char *more)
{
	char	*c;

	(void)xasprintf(&c, "{\"iss\":\"" ISSUER "\",\"aud\":\"capacita\","
	    "\"sub\":\"abc-123\",\"nonce\":\"n0nce\",\"iat\":%d,\"exp\":%d,"
	    "\"email\":\"Ada@Example.it\",\"email_verified\":true,\"name\":"
	    "\"Ada Lovelace\",\"fiscalNumber\":\"TINIT-lvlda815e50f839x\","
	    "\"ou\":\"Ufficio immigrazione\",\"groups\":[\"formatori\",\"x\"]%s}",
	    NOW - 5, NOW + 300, more);
	return (c);
}

static int
verify(const char *token, const char *nonce, struct oidc_identity *id)
{
	struct buf	err;
	int		rc;

	buf_init(&err, 64);
	rc = oidc_verify(jwks, strlen(jwks), token, &prov, nonce, NOW, id,
	    &err);
	buf_free(&err);
	return (rc);
}

/* Claims with one member replaced: {"k":v} merged over the defaults. */
static int
verify_with(cjose_jwk_t *key, const char *alg, const char *kid,
    const char *override)
{
	struct oidc_identity	 id;
	json_t			*base, *o;
	char			*c, *s, *t;
	int			 rc;

	c = claims("");
	base = json_loads(c, 0, NULL);
	o = json_loads(override, 0, NULL);
	json_object_update(base, o);
	s = json_dumps(base, JSON_COMPACT);
	t = sign(key, alg, kid, s);
	rc = verify(t, "n0nce", &id);
	oidc_identity_free(&id);
	json_decref(base);
	json_decref(o);
	free(c);
	free(s);
	free(t);
	return (rc);
}

static void
test_good(void)
{
	struct oidc_identity	 id;
	char			*c, *t;

	c = claims("");
	t = sign(rsa, "RS256", "k-rsa", c);
	CHECK(verify(t, "n0nce", &id) == OIDC_OK);
	CHECK_STR(id.subject, "abc-123");
	CHECK_STR(id.email, "Ada@Example.it");
	CHECK(id.email_verified == 1);
	CHECK_STR(id.name, "Ada Lovelace");
	CHECK_STR(id.fiscal_code, "LVLDA815E50F839X");
	CHECK_STR(id.unit, "Ufficio immigrazione");
	CHECK(id.ngroups == 2);
	CHECK_STR(id.groups[0], "formatori");
	oidc_identity_free(&id);
	free(t);
	t = sign(ec, "ES256", "k-ec", c);
	CHECK(verify(t, "n0nce", &id) == OIDC_OK);
	oidc_identity_free(&id);
	free(t);
	/* No kid: the only key of the right type. */
	t = sign(ec, "ES256", NULL, c);
	CHECK(verify(t, "n0nce", &id) == OIDC_OK);
	oidc_identity_free(&id);
	free(t);
	free(c);
}

static void
test_tampered(void)
{
	struct oidc_identity	 id;
	char			*c, *t, *u, *dot;
	char			 b64[4096];

	c = claims("");
	t = sign(rsa, "RS256", "k-rsa", c);
	/* A signature byte changed. */
	u = xstrdup(t);
	dot = strrchr(u, '.');
	dot[5] = dot[5] == 'A' ? 'B' : 'A';
	CHECK(verify(u, "n0nce", &id) == OIDC_SIGNATURE);
	free(u);
	/* The claims swapped for others under the same signature. */
	{
		const char	*evil = "{\"iss\":\"" ISSUER "\",\"aud\":\"capacita\","
		    "\"sub\":\"admin\",\"nonce\":\"n0nce\",\"iat\":1749999999,"
		    "\"exp\":1750000300}";
		char		*p1, *p3;

		p1 = xstrndup(t, (size_t)(strchr(t, '.') - t));
		p3 = strrchr(t, '.');
		sodium_bin2base64(b64, sizeof(b64), (const unsigned char *)evil,
		    strlen(evil), sodium_base64_VARIANT_URLSAFE_NO_PADDING);
		(void)xasprintf(&u, "%s.%s%s", p1, b64, p3);
		CHECK(verify(u, "n0nce", &id) == OIDC_SIGNATURE);
		free(u);
		free(p1);
	}
	CHECK(verify(t, "another", &id) == OIDC_NONCE);
	CHECK(verify(t, NULL, &id) == OIDC_NONCE);
	free(t);
	/* A key that is not in the JWKS, under a kid that is, or not. */
	t = sign(other, "RS256", "k-other", c);
	CHECK(verify(t, "n0nce", &id) == OIDC_KID);
	free(t);
	t = sign(other, "RS256", "k-rsa", c);
	CHECK(verify(t, "n0nce", &id) == OIDC_SIGNATURE);
	free(t);
	/* An EC signature claimed under the RSA key's kid. */
	t = sign(ec, "ES256", "k-rsa", c);
	CHECK(verify(t, "n0nce", &id) == OIDC_ALG);
	free(t);
	/* alg none. */
	{
		char	h[256], p[2048];

		sodium_bin2base64(h, sizeof(h),
		    (const unsigned char *)"{\"alg\":\"none\"}", 14,
		    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
		sodium_bin2base64(p, sizeof(p), (const unsigned char *)c,
		    strlen(c), sodium_base64_VARIANT_URLSAFE_NO_PADDING);
		(void)xasprintf(&u, "%s.%s.", h, p);
		CHECK(verify(u, "n0nce", &id) == OIDC_ALG ||
		    verify(u, "n0nce", &id) == OIDC_MALFORMED);
		free(u);
	}
	/* HS256 keyed with the RSA public key's JSON: refused by alg. */
	{
		cjose_jwk_t	*oct;
		cjose_err	 err;
		char		*pub;

		pub = pub_json(rsa);
		oct = cjose_jwk_create_oct_spec((const uint8_t *)pub,
		    strlen(pub), &err);
		t = sign(oct, "HS256", "k-rsa", c);
		CHECK(verify(t, "n0nce", &id) == OIDC_ALG);
		free(t);
		cjose_jwk_release(oct);
		free(pub);
	}
	CHECK(verify("a.b", "n0nce", &id) == OIDC_MALFORMED);
	CHECK(verify("", "n0nce", &id) == OIDC_MALFORMED);
	CHECK(verify("x.y.z", "n0nce", &id) == OIDC_MALFORMED);
	free(c);

	CHECK(verify_with(rsa, "RS256", "k-rsa", "{\"aud\":\"other\"}") ==
	    OIDC_AUDIENCE);
	CHECK(verify_with(rsa, "RS256", "k-rsa",
	    "{\"aud\":[\"capacita\",\"other\"]}") == OIDC_AUDIENCE);
	CHECK(verify_with(rsa, "RS256", "k-rsa",
	    "{\"aud\":[\"capacita\",\"other\"],\"azp\":\"capacita\"}") ==
	    OIDC_OK);
	CHECK(verify_with(rsa, "RS256", "k-rsa",
	    "{\"aud\":[\"capacita\"]}") == OIDC_OK);
	CHECK(verify_with(rsa, "RS256", "k-rsa", "{\"azp\":\"other\"}") ==
	    OIDC_AUDIENCE);
	CHECK(verify_with(rsa, "RS256", "k-rsa",
	    "{\"iss\":\"https://idp.example.it/realms/pa/\"}") == OIDC_ISSUER);
	CHECK(verify_with(rsa, "RS256", "k-rsa", "{\"exp\":1749990000}") ==
	    OIDC_EXPIRED);
	CHECK(verify_with(rsa, "RS256", "k-rsa", "{\"exp\":1749999950}") ==
	    OIDC_OK);			/* within the leeway */
	CHECK(verify_with(rsa, "RS256", "k-rsa", "{\"exp\":\"soon\"}") ==
	    OIDC_EXPIRED);
	CHECK(verify_with(rsa, "RS256", "k-rsa", "{\"iat\":1750003600}") ==
	    OIDC_IAT);
	CHECK(verify_with(rsa, "RS256", "k-rsa", "{\"iat\":1749990000}") ==
	    OIDC_IAT);			/* older than OIDC_IAT_MAX */
	CHECK(verify_with(rsa, "RS256", "k-rsa", "{\"sub\":\"\"}") ==
	    OIDC_SUBJECT);
	CHECK(verify_with(rsa, "RS256", "k-rsa", "{\"nonce\":null}") ==
	    OIDC_NONCE);
	CHECK(verify_with(rsa, "RS512", "k-rsa", "{}") == OIDC_OK);
	CHECK(verify_with(rsa, "PS256", "k-rsa", "{}") == OIDC_OK);
}

static void
test_claims(void)
{
	char	*fc, out[64];

	CHECK_STR(fc = oidc_fiscal_code("TINIT-rssmra80a01h501u"),
	    "RSSMRA80A01H501U");
	free(fc);
	CHECK_STR(fc = oidc_fiscal_code("RSSMRA80A01H501U"), "RSSMRA80A01H501U");
	free(fc);
	CHECK_STR(fc = oidc_fiscal_code("tinit-01234567890"), "01234567890");
	free(fc);
	CHECK(oidc_fiscal_code("TINIT-RSSMRA80A01H501") == NULL);
	CHECK(oidc_fiscal_code("RSSMRA80A01H50'U") == NULL);
	CHECK(oidc_fiscal_code("0123456789A") == NULL);
	CHECK(oidc_fiscal_code(NULL) == NULL);

	CHECK_STR(oidc_map("Ufficio immigrazione=cam-immig; Ufficio casa = "
	    "cam-casa", "Ufficio casa", out, sizeof(out)), "cam-casa");
	CHECK_STR(oidc_map("Ufficio immigrazione=cam-immig; Ufficio casa = "
	    "cam-casa", "Ufficio immigrazione", out, sizeof(out)),
	    "cam-immig");
	CHECK(oidc_map("a=b", "Ufficio", out, sizeof(out)) == NULL);
	CHECK(oidc_map("a=b", "", out, sizeof(out)) == NULL);
	CHECK(oidc_map(NULL, "a", out, sizeof(out)) == NULL);
	CHECK(oidc_map("a=", "a", out, sizeof(out)) == NULL);
	CHECK_STR(oidc_map("*=", "cam-immig", out, sizeof(out)), "cam-immig");
	CHECK(oidc_map("ab=c", "a", out, sizeof(out)) == NULL);
}

/* An identity from a token of claims "{...}" (no defaults), signed. */
static int
verify_only(const char *json, struct oidc_identity *id)
{
	char	*t, *c;
	int	 rc;

	(void)xasprintf(&c, "{\"iss\":\"" ISSUER "\",\"aud\":\"capacita\","
	    "\"nonce\":\"n0nce\",\"iat\":%d,\"exp\":%d,%s}", NOW - 5,
	    NOW + 300, json);
	t = sign(rsa, "RS256", "k-rsa", c);
	rc = verify(t, "n0nce", id);
	free(t);
	free(c);
	return (rc);
}

static int
merge(const char *ui, struct oidc_identity *id)
{
	struct buf	err;
	int		rc;

	buf_init(&err, 64);
	rc = oidc_userinfo_merge(ui, strlen(ui), &prov, id, &err);
	buf_free(&err);
	return (rc);
}

static void
test_userinfo(void)
{
	struct oidc_identity	 id;

	/* Claims released only at UserInfo fill the identity. */
	CHECK(verify_only("\"sub\":\"abc-123\"", &id) == OIDC_OK);
	CHECK(id.email == NULL && id.fiscal_code == NULL && id.unit == NULL);
	CHECK(merge("{\"sub\":\"abc-123\",\"email\":\"ada@example.it\","
	    "\"email_verified\":true,\"name\":\"Ada\",\"fiscalNumber\":"
	    "\"TINIT-LVLDA815E50F839X\",\"ou\":\"Ufficio casa\",\"groups\":"
	    "[\"formatori\"]}", &id) == OIDC_OK);
	CHECK_STR(id.subject, "abc-123");
	CHECK_STR(id.email, "ada@example.it");
	CHECK(id.email_verified == 1);
	CHECK_STR(id.name, "Ada");
	CHECK_STR(id.fiscal_code, "LVLDA815E50F839X");
	CHECK_STR(id.unit, "Ufficio casa");
	CHECK(id.ngroups == 1);
	CHECK_STR(id.groups[0], "formatori");
	oidc_identity_free(&id);

	/* Another sub: the response is not about this person. */
	CHECK(verify_only("\"sub\":\"abc-123\"", &id) == OIDC_OK);
	CHECK(merge("{\"sub\":\"someone-else\",\"email\":\"x@example.it\","
	    "\"email_verified\":true}", &id) == OIDC_SUBJECT);
	CHECK(merge("{\"email\":\"x@example.it\"}", &id) == OIDC_SUBJECT);
	CHECK(merge("{\"sub\":42}", &id) == OIDC_SUBJECT);
	CHECK(merge("{\"sub\":\"abc-1234\"}", &id) == OIDC_SUBJECT);
	CHECK(merge("[\"abc-123\"]", &id) == OIDC_MALFORMED);
	CHECK(merge("eyJhbGciOiJSUzI1NiJ9.e30.c2ln", &id) == OIDC_MALFORMED);
	CHECK(merge("{\"sub\":\"abc-123\",\"sub\":\"x\"}", &id) ==
	    OIDC_MALFORMED);
	CHECK(id.email == NULL);
	oidc_identity_free(&id);

	/* An address from UserInfo is verified only by its own flag. */
	CHECK(verify_only("\"sub\":\"abc-123\",\"email_verified\":true",
	    &id) == OIDC_OK);
	CHECK(merge("{\"sub\":\"abc-123\",\"email\":\"ada@example.it\"}",
	    &id) == OIDC_OK);
	CHECK_STR(id.email, "ada@example.it");
	CHECK(id.email_verified == 0);
	oidc_identity_free(&id);
	CHECK(verify_only("\"sub\":\"abc-123\"", &id) == OIDC_OK);
	CHECK(merge("{\"sub\":\"abc-123\",\"email\":\"ada@example.it\","
	    "\"email_verified\":false}", &id) == OIDC_OK);
	CHECK(id.email_verified == 0);
	oidc_identity_free(&id);

	/* The ID token's claims win; UserInfo cannot verify its address. */
	CHECK(verify_only("\"sub\":\"abc-123\",\"email\":\"ada@example.it\","
	    "\"name\":\"Ada L.\",\"ou\":\"Ufficio immigrazione\"", &id) ==
	    OIDC_OK);
	CHECK(merge("{\"sub\":\"abc-123\",\"email\":\"boss@example.it\","
	    "\"email_verified\":true,\"name\":\"Someone\",\"ou\":\"Giunta\","
	    "\"fiscalNumber\":\"TINIT-LVLDA815E50F839X\"}", &id) == OIDC_OK);
	CHECK_STR(id.email, "ada@example.it");
	CHECK(id.email_verified == 0);
	CHECK_STR(id.name, "Ada L.");
	CHECK_STR(id.unit, "Ufficio immigrazione");
	CHECK_STR(id.fiscal_code, "LVLDA815E50F839X");
	oidc_identity_free(&id);
}

static void
test_token_response(void)
{
	struct buf	 err;
	char		*it, *at;
	const char	*r;

	buf_init(&err, 64);
	r = "{\"access_token\":\"SlAV32hkKG.x-_~+/==\",\"token_type\":"
	    "\"bearer\",\"id_token\":\"a.b.c\"}";
	CHECK(oidc_token_parse(r, strlen(r), &it, &at, &err) == 0);
	CHECK_STR(it, "a.b.c");
	CHECK_STR(at, "SlAV32hkKG.x-_~+/==");
	free(it);
	free(at);
	/* Not a bearer token, or not of its characters: no access token. */
	r = "{\"access_token\":\"abc\",\"token_type\":\"DPoP\","
	    "\"id_token\":\"a.b.c\"}";
	CHECK(oidc_token_parse(r, strlen(r), &it, &at, &err) == 0);
	CHECK(at == NULL);
	free(it);
	r = "{\"access_token\":\"ab\\r\\nX-Evil: 1\",\"id_token\":\"a.b.c\"}";
	CHECK(oidc_token_parse(r, strlen(r), &it, &at, &err) == 0);
	CHECK(at == NULL);
	free(it);
	r = "{\"access_token\":\"a=b\",\"id_token\":\"a.b.c\"}";
	CHECK(oidc_token_parse(r, strlen(r), &it, &at, &err) == 0);
	CHECK(at == NULL);
	free(it);
	r = "{\"access_token\":\"abc\"}";
	CHECK(oidc_token_parse(r, strlen(r), &it, &at, &err) == -1);
	CHECK(it == NULL && at == NULL);
	r = "{\"error\":\"invalid_grant\"}";
	CHECK(oidc_token_parse(r, strlen(r), &it, NULL, &err) == -1);
	buf_free(&err);
}

static void
test_pkce_and_urls(void)
{
	struct oidc_discovery	 d;
	struct buf		 b, err;
	char			 ch[AUTH_TOKEN_LEN + 1];
	const char		*doc;

	/* RFC 7636, appendix B. */
	oidc_pkce_challenge("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk", ch);
	CHECK_STR(ch, "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");

	buf_init(&b, 256);
	oidc_auth_url(&b, &prov, "https://idp.example.it/auth?x=1", "ST", "NO",
	    ch);
	CHECK_STR(b.data, "https://idp.example.it/auth?x=1&response_type=code"
	    "&client_id=capacita&redirect_uri=https%3A%2F%2Fcapacita.example.it"
	    "%2Foidc%2Fcallback&scope=openid%20email%20profile&state=ST&nonce=NO"
	    "&code_challenge=E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
	    "&code_challenge_method=S256");
	buf_free(&b);

	buf_init(&err, 64);
	doc = "{\"issuer\":\"" ISSUER "\",\"authorization_endpoint\":"
	    "\"https://idp.example.it/auth\",\"token_endpoint\":"
	    "\"https://idp.example.it/token\",\"jwks_uri\":"
	    "\"https://idp.example.it/certs\",\"end_session_endpoint\":"
	    "\"https://idp.example.it/logout\",\"userinfo_endpoint\":"
	    "\"https://idp.example.it/me\"}";
	CHECK(oidc_discovery_parse(doc, strlen(doc), ISSUER, &d, &err) == 0);
	CHECK_STR(d.end_session_endpoint, "https://idp.example.it/logout");
	CHECK_STR(d.userinfo_endpoint, "https://idp.example.it/me");
	oidc_discovery_free(&d);
	doc = "{\"issuer\":\"" ISSUER "\",\"authorization_endpoint\":"
	    "\"https://idp.example.it/auth\",\"token_endpoint\":"
	    "\"https://idp.example.it/token\",\"jwks_uri\":"
	    "\"https://idp.example.it/certs\",\"userinfo_endpoint\":"
	    "\"http://idp.example.it/me\"}";
	CHECK(oidc_discovery_parse(doc, strlen(doc), ISSUER, &d, &err) == 0);
	CHECK(d.userinfo_endpoint == NULL);	/* not over plain HTTP */
	CHECK(d.end_session_endpoint == NULL);
	oidc_discovery_free(&d);
	CHECK(oidc_discovery_parse(doc, strlen(doc), ISSUER "/", &d,
	    &err) == -1);			/* issuer must match exactly */
	doc = "{\"issuer\":\"" ISSUER "\",\"authorization_endpoint\":"
	    "\"http://idp.example.it/auth\",\"token_endpoint\":"
	    "\"https://idp.example.it/token\",\"jwks_uri\":"
	    "\"https://idp.example.it/certs\"}";
	CHECK(oidc_discovery_parse(doc, strlen(doc), ISSUER, &d, &err) == -1);
	CHECK(oidc_discovery_parse("[", 1, ISSUER, &d, &err) == -1);
	buf_free(&err);
}

static void
test_mime(void)
{
	struct mime_msg	 m;
	struct buf	 b;
	const char	*p, *e;
	char		 date[40];

	mime_date(0, date);
	CHECK_STR(date, "Thu, 01 Jan 1970 00:00:00 +0000");
	mime_date_long(LANG_IT, "2031-06-30", date, sizeof(date));
	CHECK_STR(date, "lunedì 30 giugno 2031");
	mime_date_long(LANG_EN, "2031-01-05", date, sizeof(date));
	CHECK_STR(date, "Sunday 5 January 2031");
	mime_date_long(LANG_IT, "2028-02-29", date, sizeof(date));
	CHECK_STR(date, "martedì 29 febbraio 2028");
	mime_date_long(LANG_IT, "2027-02-29", date, sizeof(date));
	CHECK_STR(date, "2027-02-29");		/* no such day: as it is */
	mime_date_long(LANG_IT, "", date, sizeof(date));
	CHECK_STR(date, "");
	mime_date_long(LANG_IT, "2031-6-30x", date, sizeof(date));
	CHECK_STR(date, "2031-6-30x");

	memset(&m, 0, sizeof(m));
	m.from = "noreply@capacita.example.it";
	m.from_name = "Capacità, Regione";
	m.to = "ada@example.it";
	m.subject = "Attestato revocato: Governance dell'accoglienza e "
	    "dell'integrazione — modulo avanzato";
	m.date = 86400;
	m.message_id = "0123456789abcdef0123456789abcdef.42@capacita.example.it";
	m.text = "Gentile Ada,\n\nriga con = uguale e accenti: è à ù\n"
	    ".punto a inizio riga\nspazio finale \n"
	    "una riga molto lunga una riga molto lunga una riga molto lunga "
	    "una riga molto lunga una riga molto lunga\n";
	m.html = "<p>Gentile Ada</p>";
	m.unsubscribe = "https://capacita.example.it/unsubscribe?t=abc";
	buf_init(&b, 4096);
	CHECK(mime_message(&b, &m) == 0);
	for (p = b.data; *p != '\0'; p = e + 2) {
		if ((e = strstr(p, "\r\n")) == NULL)
			break;
		CHECK(e - p <= 78);
	}
	for (p = b.data; *p != '\0'; p++)
		CHECK((*p >= 0x20 && *p <= 0x7e) || *p == '\r' || *p == '\n');
	CHECK(strstr(b.data, "\r\nSubject: =?UTF-8?B?") != NULL);
	CHECK(strstr(b.data, "From: =?UTF-8?B?") != NULL);
	CHECK_HAS(b.data, "?= <noreply@capacita.example.it>\r\n");
	CHECK_HAS(b.data, "Date: Fri, 02 Jan 1970 00:00:00 +0000\r\n");
	CHECK_HAS(b.data, "Message-ID: <0123456789abcdef0123456789abcdef.42@"
	    "capacita.example.it>\r\n");
	CHECK_HAS(b.data, "List-Unsubscribe: <https://capacita.example.it/"
	    "unsubscribe?t=abc>\r\nList-Unsubscribe-Post: List-Unsubscribe="
	    "One-Click\r\n");
	CHECK_HAS(b.data, "riga con =3D uguale e accenti: =C3=A8 =C3=A0 =C3=B9");
	CHECK_HAS(b.data, "\r\n=2Epunto a inizio riga\r\n");
	CHECK_HAS(b.data, "spazio finale=20\r\n");
	CHECK_HAS(b.data, "=\r\n");		/* a soft break */
	CHECK_HAS(b.data, "--=_0123456789abcdef0123456789abcdef.42--\r\n");
	buf_free(&b);

	/* Plain ASCII subjects stay readable; CR/LF never reach headers. */
	m.subject = "Nuovo attestato";
	m.from_name = "Capacita";
	buf_init(&b, 4096);
	CHECK(mime_message(&b, &m) == 0);
	CHECK_HAS(b.data, "\r\nSubject: Nuovo attestato\r\n");
	CHECK_HAS(b.data, "From: Capacita <noreply@capacita.example.it>\r\n");
	buf_free(&b);
	m.subject = "a\r\nBcc: evil@example.org";
	buf_init(&b, 4096);
	CHECK(mime_message(&b, &m) == 0);
	CHECK(strstr(b.data, "\r\nBcc:") == NULL);
	buf_free(&b);
	m.to = "ada@example.it\r\nBcc: x@y.z";
	buf_init(&b, 4096);
	CHECK(mime_message(&b, &m) == -1);
	buf_free(&b);
}

/*
 * The lines of README.md from the one starting with first to the one
 * starting with last, the secret files replaced by secret.
 */
static void
readme_lines(struct buf *out, const char *first, const char *last,
    const char *secret)
{
	char	*src, *line, *next, *p;
	size_t	 len;
	int	 in;

	if (file_read("README.md", &src, &len, 1 << 20) == -1) {
		CHECK(!"README.md readable");
		return;
	}
	in = 0;
	for (line = src; line != NULL; line = next) {
		if ((next = strchr(line, '\n')) != NULL)
			*next++ = '\0';
		if (str_has_prefix(line, first))
			in = 1;
		if (!in)
			continue;
		if ((p = strstr(line, "/etc/capacita/")) != NULL) {
			*p = '\0';
			buf_printf(out, "%s%s%s\n", line, secret,
			    p + strcspn(p, " \t"));
		} else
			buf_printf(out, "%s\n", line);
		if (str_has_prefix(line, last))
			break;
	}
	CHECK(in == 1);
	free(src);
}

static void
test_readme_settings(void)
{
	const struct oidc_provider	*p;
	struct diaglist			 dl;
	struct buf			 conf;
	char				 dir[] = "/tmp/capacita-unit-XXXXXX";
	char				 path[64], secret[64];
	FILE				*fp;

	if (mkdtemp(dir) == NULL) {
		CHECK(!"mkdtemp");
		return;
	}
	(void)snprintf(secret, sizeof(secret), "%s/secret", dir);
	(void)snprintf(path, sizeof(path), "%s/capacita.conf", dir);
	fp = fopen(secret, "w");
	fputs("s3cret\n", fp);
	fclose(fp);
	buf_init(&conf, 2048);
	readme_lines(&conf, "oidc.regione.label =", "local_passwords =",
	    secret);
	readme_lines(&conf, "smtp_host =", "reminder_days =", secret);
	fp = fopen(path, "w");
	fputs(conf.data, fp);
	fclose(fp);
	diag_init(&dl);
	CHECK(settings_load(path, &dl) == 0);
	if (diag_count(&dl) > 0)
		diag_print(stderr, &dl);
	CHECK((p = settings_provider_find("regione")) != NULL);
	if (p != NULL) {
		CHECK_STR(p->claim_fiscal, "fiscalNumber");
		CHECK_STR(p->claim_unit, "ou");
		CHECK_STR(p->role_map, "formatori=trainer");
		CHECK_STR(p->link, "fiscal_code email");
		CHECK_STR(p->userinfo, "yes");
		CHECK_STR(p->client_secret, "s3cret");
		CHECK_STR(p->unit_map,
		    "Ufficio immigrazione=na-immig; Ufficio casa=na-casa");
	}
	CHECK(settings.local_passwords == 0);
	CHECK_STR(settings.smtp_security, "starttls");
	CHECK(settings.smtp_port == 587);
	CHECK(settings.reminder_days == 3);
	CHECK_STR(settings.smtp_password, "s3cret");
	/* Times people read are Italy's: every session gets PGTZ. */
	CHECK_STR(settings.timezone, "Europe/Rome");
	CHECK(getenv("PGTZ") != NULL &&
	    strcmp(getenv("PGTZ"), "Europe/Rome") == 0);
	diag_free(&dl);
	buf_free(&conf);
	(void)unlink(secret);
	(void)unlink(path);
	(void)rmdir(dir);
}

int
main(void)
{
	if (sodium_init() < 0)
		return (1);
	setup();
	test_good();
	test_tampered();
	test_claims();
	test_userinfo();
	test_token_response();
	test_pkce_and_urls();
	test_mime();
	test_readme_settings();
	cjose_jwk_release(rsa);
	cjose_jwk_release(ec);
	cjose_jwk_release(other);
	free(jwks);
	T_SUMMARY();
}
