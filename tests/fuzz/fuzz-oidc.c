/*
 * fuzz-oidc.c: what Capacita reads from an identity provider, over any
 * bytes: an ID token (oidc_verify against a fixed JWKS: whatever the
 * bytes, a forged token is never OIDC_OK, since nobody here holds the
 * private keys), a JWKS (the keys cjose imports from the provider, with
 * a fixed token), a discovery document (oidc_discovery_parse), a token
 * response (oidc_token_parse), the claim helpers (oidc_fiscal_code,
 * oidc_map); and mime.c's message writer with the input as subject,
 * name and body: every line short, ASCII, CRLF.
 *
 * Input: token, then after a NUL byte the rest for the other parsers.
 */

#include "fuzz.h"

static const char	jwks[] =
    "{\"keys\":[{\"kty\":\"RSA\",\"n\":\"si2w7SbmesE_R91ShkWRVbwW"
    "maYuc25wPw_YJb9xxoyt1Y466_cbYe7vjCSJzaWtwS6QuGikskRBmd8JwkBe"
    "6arnsY3AzShiimjB_qNyiASYhh_L9nzX5oAlf6hpObhI490I7dINDGOyRJX5"
    "-zmHn-sO3PBT4vnDTyeRAdEyj5OSMnTuK8w9p-8m-IAvO67rh3AaXfUrNJVg"
    "fJvmnwslYKxeGX6NnCIncjfL11qAB2W8XBe44gFrNXaFtMeMKroZMUi-FKMR"
    "vYN6_SUvvJF9En3K8I0gP7dVB07OOz4U9VCwA85WmuWmz9F7ZSVYgSKG-iCE"
    "HYzjR_vDFeHlbufXww\",\"e\":\"AQAB\",\"kid\":\"r\",\"use\":\""
    "sig\"},{\"kty\":\"EC\",\"x\":\"mROqpZn3Tesu6TiKNkUQ6Q5KthqWT"
    "YRPtjCuWYi32jA\",\"y\":\"JDHQbPox3bcyvpGrVIo7uHvaaaCh_gTX3-f"
    "2AcDaChc\",\"crv\":\"P-256\",\"kid\":\"e\"}]}";

static struct oidc_provider	prov = {
	.name = "f", .issuer = "https://idp.example.it", .client_id = "capacita",
	.redirect_uri = "https://c.example.it/oidc/callback",
	.scopes = "openid", .claim_email = "email",
	.claim_email_verified = "email_verified", .claim_name = "name",
	.claim_fiscal = "fiscalNumber", .claim_unit = "ou",
	.claim_roles = "groups",
};

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	fuzz_init();
	return (0);
}

static void
fuzz_mime(const char *s)
{
	struct mime_msg	 m;
	struct buf	 b;
	const char	*p, *e;

	memset(&m, 0, sizeof(m));
	m.from = "noreply@c.example.it";
	m.from_name = s;
	m.to = "a@example.it";
	m.subject = s;
	m.message_id = "0123456789abcdef.1@c.example.it";
	m.text = s;
	m.html = s;
	buf_init(&b, 1024);
	FUZZ_ASSERT(mime_message(&b, &m) == 0);
	for (p = b.data; *p != '\0'; p = e + 2) {
		FUZZ_ASSERT((e = strstr(p, "\r\n")) != NULL);
		FUZZ_ASSERT(e - p <= 78);
		for (; p < e; p++)
			FUZZ_ASSERT(*p >= 0x20 && *p <= 0x7e);
	}
	buf_free(&b);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct oidc_identity	 id;
	struct oidc_discovery	 d;
	struct buf		 err;
	char			*token, *rest, *fc, *tok, out[64];
	size_t			 tlen, rlen;

	fuzz_split(data, size, &token, &tlen, &rest, &rlen);
	if (rest == NULL)
		rest = xstrdup("");
	buf_init(&err, 64);
	FUZZ_ASSERT(oidc_verify(jwks, sizeof(jwks) - 1, token, &prov, "n",
	    1750000000, &id, &err) != OIDC_OK);
	FUZZ_ASSERT(id.subject == NULL);
	oidc_identity_free(&id);
	buf_reset(&err);
	FUZZ_ASSERT(oidc_verify(rest, rlen, "eyJhbGciOiJSUzI1NiIsImtpZCI6InIif"
	    "Q.eyJzdWIiOiJ4In0.c2lnbmF0dXJl", &prov, "n", 1750000000, &id,
	    &err) != OIDC_OK);
	oidc_identity_free(&id);
	FUZZ_ASSERT(oidc_verify(rest, rlen, "eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJ4"
	    "In0.c2lnbmF0dXJl", &prov, "n", 1750000000, &id, &err) != OIDC_OK);
	oidc_identity_free(&id);
	buf_reset(&err);
	if (oidc_discovery_parse(rest, rlen, "https://idp.example.it", &d,
	    &err) == 0) {
		FUZZ_ASSERT(strcmp(d.issuer, "https://idp.example.it") == 0);
		FUZZ_ASSERT(d.token_endpoint != NULL && d.jwks_uri != NULL);
		oidc_discovery_free(&d);
	}
	buf_reset(&err);
	if (oidc_token_parse(rest, rlen, &tok, &err) == 0) {
		FUZZ_ASSERT(tok != NULL && *tok != '\0');
		free(tok);
	}
	if ((fc = oidc_fiscal_code(rest)) != NULL) {
		FUZZ_ASSERT(strlen(fc) == 16 || strlen(fc) == 11);
		free(fc);
	}
	if (oidc_map(rest, token, out, sizeof(out)) != NULL)
		FUZZ_ASSERT(strlen(out) < sizeof(out));
	if (utf8_valid(rest, rlen) && strlen(rest) == rlen)
		fuzz_mime(rest);
	buf_free(&err);
	free(token);
	free(rest);
	return (0);
}
