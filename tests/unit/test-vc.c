/*
 * test-vc.c: the verification policy (trust.c, vc.c): key provenance,
 * proof sets, contexts, did:key issuers, our pre-provenance badges; the
 * 64-byte secretKeyMultibase; the allow-list of origins (fetch.c); the
 * PDF certificate written by pdf.c and read back by pdfattach.c.
 */

#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <sodium.h>

#include "capacita.h"
#include "harness.h"

#define ISSUER	"https://issuer.example/issuer"
#define AT	1767225600	/* 2026-01-01T00:00:00Z */

static struct vc_key	ours, theirs;

#define CRED_TMPL							\
    "{\"@context\": [\"https://www.w3.org/ns/credentials/v2\", "	\
    "\"https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json\"], "	\
    "\"id\": \"urn:uuid:1b671a64-40d5-491e-99b0-da01ff1f3341\", "	\
    "\"type\": [\"VerifiableCredential\", \"OpenBadgeCredential\"], "	\
    "\"issuer\": {\"id\": \"%s\", \"type\": [\"Profile\"], \"name\": \"E\"}, "	\
    "\"validFrom\": \"2025-01-01T00:00:00Z\", \"credentialSubject\": "	\
    "{\"type\": [\"AchievementSubject\"], \"identifier\": [], "	\
    "\"achievement\": {\"id\": \"https://x.example/a\", \"type\": "	\
    "[\"Achievement\"], \"name\": \"A\"}}}"

static void	trust_ours(struct vc_trust *, const char *, int);
static char	*signed_by(const char *, struct vc_key *, const char *);
static int	verify_flags(const char *, struct vc_trust *, char **);
static void	test_provenance(void);
static void	test_proof_sets(void);
static void	test_secret64(void);
static void	test_allowed(void);
static void	test_pdf(void);

/* Our controller document: key-1 is ours (retired when asked). */
static void
trust_ours(struct vc_trust *t, const char *issuer, int retired)
{
	struct vc_issuer_key	 k = { 1, ours.public_mb,
				    retired ? "2026-01-01" : NULL };
	struct buf		 err;
	char			*doc;

	vc_trust_init(t);
	doc = vc_controller_doc(issuer, "E", "https://issuer.example", &k, 1);
	buf_init(&err, 64);
	CHECK(vc_trust_add(t, doc, strlen(doc), &err) == 0);
	buf_free(&err);
	free(doc);
}

/* The template credential of issuer, signed by k under method vm. */
static char *
signed_by(const char *issuer, struct vc_key *k, const char *vm)
{
	struct buf	 err;
	json_t		*doc;
	char		*text, *out;

	(void)xasprintf(&text, CRED_TMPL, issuer);
	buf_init(&err, 64);
	doc = jcs_parse(text, strlen(text), &err);
	free(text);
	CHECK(vc_sign(doc, k, "2025-06-01T00:00:00Z", vm, &err) == 0);
	out = json_dumps(doc, JSON_COMPACT);
	json_decref(doc);
	buf_free(&err);
	return (out);
}

static int
verify_flags(const char *text, struct vc_trust *t, char **reasons)
{
	struct vc_result	r;
	int			flags;

	vc_verify(text, strlen(text), AT, t, NULL, 0, &r);
	flags = r.flags;
	if (reasons != NULL)
		*reasons = xstrdup(r.reasons.data != NULL ? r.reasons.data :
		    "");
	vc_result_free(&r);
	return (flags);
}

static void
test_provenance(void)
{
	struct vc_trust	 t;
	struct buf	 did, err;
	char		*c, *why, *arr;

	trust_ours(&t, ISSUER, 0);
	c = signed_by(ISSUER, &ours, ISSUER "#key-1");
	CHECK(verify_flags(c, &t, NULL) == 0);
	CHECK_HAS(c, "\"proof\":[{");
	free(c);

	/* Someone else's key under our method id: a bad signature. */
	c = signed_by(ISSUER, &theirs, ISSUER "#key-1");
	CHECK(verify_flags(c, &t, NULL) == VC_BAD_SIGNATURE);
	free(c);
	/* A method the document does not list. */
	c = signed_by(ISSUER, &theirs, ISSUER "#key-2");
	CHECK(verify_flags(c, &t, &why) == VC_UNKNOWN_KEY);
	CHECK_HAS(why, "is not an assertionMethod of " ISSUER);
	free(why);
	free(c);

	/* Their did:key naming our issuer: not the issuer's key. */
	buf_init(&did, 128);
	vc_key_did(&theirs, &did);
	c = signed_by(ISSUER, &theirs, did.data);
	CHECK(verify_flags(c, &t, &why) == VC_CONTROLLER);
	CHECK_HAS(why, "key not controlled by the issuer");
	free(why);
	free(c);

	/* Our key as a did:key (badges of before): accepted, listed key. */
	buf_reset(&did);
	vc_key_did(&ours, &did);
	c = signed_by(ISSUER, &ours, did.data);
	CHECK(verify_flags(c, &t, NULL) == 0);
	free(c);

	/* An unknown issuer, whatever it signs with. */
	c = signed_by("https://other.example/i", &theirs,
	    "https://other.example/i#key-1");
	CHECK(verify_flags(c, &t, &why) == VC_UNKNOWN_ISSUER);
	CHECK_HAS(why, "unknown issuer: https://other.example/i");
	free(why);
	free(c);

	/* A did:key issuer: only when trusted, and only its own key. */
	buf_reset(&did);
	vc_key_did(&theirs, &did);
	c = signed_by(did.data, &theirs, did.data);	/* issuer has "#..." */
	CHECK(verify_flags(c, &t, NULL) != 0);
	free(c);
	did.data[strcspn(did.data, "#")] = '\0';
	{
		struct buf	vm;

		buf_init(&vm, 128);
		vc_key_did(&theirs, &vm);
		c = signed_by(did.data, &theirs, vm.data);
		CHECK(verify_flags(c, &t, NULL) == VC_UNKNOWN_ISSUER);
		(void)xasprintf(&arr, "[\"%s\"]", did.data);
		buf_init(&err, 64);
		CHECK(vc_trust_add(&t, arr, strlen(arr), &err) == 0);
		CHECK(verify_flags(c, &t, NULL) == 0);
		free(c);
		/* Another did:key cannot sign for it. */
		buf_reset(&vm);
		vc_key_did(&ours, &vm);
		c = signed_by(did.data, &ours, vm.data);
		CHECK(verify_flags(c, &t, NULL) == VC_CONTROLLER);
		free(c);
		free(arr);
		buf_free(&vm);
		buf_free(&err);
	}
	buf_free(&did);
	vc_trust_free(&t);

	/* A retired key still verifies what it signed. */
	trust_ours(&t, ISSUER, 1);
	c = signed_by(ISSUER, &ours, ISSUER "#key-1");
	CHECK(verify_flags(c, &t, NULL) == 0);
	free(c);
	vc_trust_free(&t);

	/* A method whose controller is someone else. */
	vc_trust_init(&t);
	(void)xasprintf(&arr, "{\"id\": \"%s\", \"verificationMethod\": "
	    "[{\"id\": \"%s#k\", \"type\": \"Multikey\", \"controller\": "
	    "\"https://x.example/\", \"publicKeyMultibase\": \"%s\"}], "
	    "\"assertionMethod\": [\"%s#k\"]}", ISSUER, ISSUER, ours.public_mb,
	    ISSUER);
	buf_init(&err, 64);
	CHECK(vc_trust_add(&t, arr, strlen(arr), &err) == 0);
	c = signed_by(ISSUER, &ours, ISSUER "#k");
	CHECK(verify_flags(c, &t, &why) == VC_CONTROLLER);
	CHECK_HAS(why, "has controller https://x.example/");
	free(why);
	free(c);
	free(arr);
	buf_free(&err);
	vc_trust_free(&t);
}

static void
test_proof_sets(void)
{
	struct vc_trust	 t;
	struct buf	 did;
	json_t		*a, *b, *set;
	char		*ca, *cb, *text, *why;

	trust_ours(&t, ISSUER, 0);
	buf_init(&did, 128);
	vc_key_did(&theirs, &did);
	ca = signed_by(ISSUER, &ours, ISSUER "#key-1");
	cb = signed_by(ISSUER, &theirs, did.data);
	a = jcs_parse(ca, strlen(ca), NULL);
	b = jcs_parse(cb, strlen(cb), NULL);

	/* [real, real]: fine. */
	set = json_array();
	json_array_append(set, json_array_get(json_object_get(a, "proof"), 0));
	json_array_append(set, json_array_get(json_object_get(a, "proof"), 0));
	json_object_set_new(a, "proof", set);
	text = json_dumps(a, JSON_COMPACT);
	CHECK(verify_flags(text, &t, NULL) == 0);
	free(text);
	/* [foreign, real]: the foreign one fails the set. */
	json_array_insert(set, 0, json_array_get(json_object_get(b, "proof"),
	    0));
	json_array_remove(set, 2);
	text = json_dumps(a, JSON_COMPACT);
	CHECK(verify_flags(text, &t, &why) == VC_CONTROLLER);
	CHECK_HAS(why, "proof 1 of 2: key not controlled by the issuer");
	free(why);
	free(text);
	/* A single proof object is read too. */
	json_object_set(a, "proof", json_array_get(set, 1));
	text = json_dumps(a, JSON_COMPACT);
	CHECK(verify_flags(text, &t, NULL) == 0);
	free(text);
	/* An appended context: refused though the hash would not see it. */
	json_array_append_new(json_object_get(a, "@context"),
	    json_string("https://evil.example/ctx"));
	text = json_dumps(a, JSON_COMPACT);
	CHECK(verify_flags(text, &t, &why) & VC_CONTEXT_BAD);
	CHECK_HAS(why, "context mismatch");
	free(why);
	free(text);
	/* An empty set. */
	json_object_set_new(a, "proof", json_array());
	text = json_dumps(a, JSON_COMPACT);
	CHECK(verify_flags(text, &t, NULL) & VC_MALFORMED);
	free(text);

	json_decref(a);
	json_decref(b);
	free(ca);
	free(cb);
	buf_free(&did);
	vc_trust_free(&t);
}

/* secretKeyMultibase: 32-byte seed or 64-byte seed || public key. */
static void
test_secret64(void)
{
	unsigned char	raw[66], seed[32];
	struct buf	b, err;
	struct vc_key	k;
	char		*json;

	raw[0] = 0x80;
	raw[1] = 0x26;
	memcpy(raw + 2, ours.seed, 32);
	memcpy(raw + 34, ours.pk, 32);
	buf_init(&b, 128);
	buf_putc(&b, 'z');
	base58_encode(&b, raw, 66);
	CHECK(multikey_secret_decode(b.data, seed) == 0);
	CHECK(memcmp(seed, ours.seed, 32) == 0);
	(void)xasprintf(&json, "{\"publicKeyMultibase\": \"%s\", "
	    "\"secretKeyMultibase\": \"%s\"}", ours.public_mb, b.data);
	buf_init(&err, 64);
	CHECK(vc_key_parse(json, strlen(json), &k, &err) == 0 && k.has_secret);
	free(json);
	/* The public half must be the seed's. */
	memcpy(raw + 34, theirs.pk, 32);
	buf_reset(&b);
	buf_putc(&b, 'z');
	base58_encode(&b, raw, 66);
	CHECK(multikey_secret_decode(b.data, seed) == -1);
	/* Other lengths. */
	buf_reset(&b);
	buf_putc(&b, 'z');
	base58_encode(&b, raw, 50);
	CHECK(multikey_secret_decode(b.data, seed) == -1);
	buf_free(&b);
	buf_free(&err);
	sodium_memzero(&k, sizeof(k));
}

static void
test_allowed(void)
{
	CHECK(issuer_allowed("https://a.example, http://127.0.0.1:9000",
	    "https://a.example/issuer"));
	CHECK(issuer_allowed("https://a.example/", "https://a.example/x#k"));
	CHECK(issuer_allowed("https://a.example http://127.0.0.1:9000",
	    "http://127.0.0.1:9000/issuer"));
	CHECK(!issuer_allowed("https://a.example", "https://a.example.evil/i"));
	CHECK(!issuer_allowed("https://a.example", "https://a.example:444/i"));
	CHECK(!issuer_allowed("https://a.example", "http://a.example/i"));
	CHECK(!issuer_allowed("https://a.example", "ftp://a.example/i"));
	CHECK(!issuer_allowed(NULL, "https://a.example/i"));
	CHECK(!issuer_allowed("", "https://a.example/i"));
}

/* A certificate written by pdf.c gives its credential back. */
static void
test_pdf(void)
{
	struct pdf_cert	 c;
	struct buf	 pdf, out, err;
	char		*cred;

	cred = signed_by(ISSUER, &ours, ISSUER "#key-1");
	memset(&c, 0, sizeof(c));
	c.id = "1b671a64-40d5-491e-99b0-da01ff1f3341";
	c.learner = "Maria Rossi";
	c.title = "Attestato di prova: è già «ok»";
	c.course = "Corso";
	c.date = "01/06/2025";
	c.hours = "2,5";
	c.issuer = "Ente";
	c.url = "http://127.0.0.1:9090/verify?id=x";
	c.credential = cred;
	c.root = ".";
	c.tmp_dir = "tests/obj/tmp";
	buf_init(&pdf, 65536);
	buf_init(&out, 4096);
	buf_init(&err, 128);
	CHECK(pdf_certificate(&c, &pdf, &err) == 0);
	CHECK(pdf.len > 1000 && memcmp(pdf.data, "%PDF-", 5) == 0);
	CHECK(pdf_attachment(pdf.data, pdf.len, &out, &err) == 0);
	CHECK(out.len == strlen(cred) && memcmp(out.data, cred, out.len) == 0);
	/* Revoked: still a PDF, still the same credential. */
	c.revoked_date = "02/06/2025";
	c.revoked_reason = "Errore";
	buf_reset(&pdf);
	buf_reset(&out);
	CHECK(pdf_certificate(&c, &pdf, &err) == 0);
	CHECK(pdf_attachment(pdf.data, pdf.len, &out, &err) == 0);
	CHECK(out.len == strlen(cred));
	/*
	 * Cut anywhere: the credential whole, or a refusal with a reason,
	 * never part of it.
	 */
	{
		size_t	cut, whole = 0, refused = 0, wrong = 0;

		for (cut = 0; cut < pdf.len; cut += 61) {
			buf_reset(&out);
			buf_reset(&err);
			if (pdf_attachment(pdf.data, cut, &out, &err) == 0) {
				whole++;
				if (out.len != strlen(cred) || memcmp(out.data,
				    cred, out.len) != 0)
					wrong++;
			} else if (err.len > 0)
				refused++;
			else
				wrong++;
		}
		CHECK(wrong == 0);
		CHECK(refused > 0);
		CHECK(whole > 0);
	}
	CHECK(pdf_attachment("{\"a\": 1}", 8, &out, &err) == -1);
	buf_free(&pdf);
	buf_free(&out);
	buf_free(&err);
	free(cred);
}

int
main(void)
{
	unsigned char	s1[32], s2[32];

	if (sodium_init() < 0)
		return (1);
	memset(s1, 1, sizeof(s1));
	memset(s2, 2, sizeof(s2));
	vc_key_from_seed(&ours, s1);
	vc_key_from_seed(&theirs, s2);
	test_provenance();
	test_proof_sets();
	test_secret64();
	test_allowed();
	test_pdf();
	T_SUMMARY();
}
