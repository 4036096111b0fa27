/*
 * vc.c: Verifiable Credentials with Data Integrity proofs, cryptosuite
 * eddsa-jcs-2022 (W3C "Data Integrity EdDSA Cryptosuites v1.0"), on
 * Ed25519 from libsodium. The same code signs badges in the server,
 * signs and verifies files in bin/capacita, and verifies on /verify.
 *
 *	proofConfig = proof options (proof without proofValue), with the
 *		      document's @context
 *	hashData    = SHA-256(JCS(proofConfig)) || SHA-256(JCS(document))
 *	proofValue  = "z" + base58btc(Ed25519-sign(hashData))
 */

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>
#include <sodium.h>
#include <zlib.h>

#include "capacita.h"

#define VC_CONTEXT_V2	"https://www.w3.org/ns/credentials/v2"
#define OB_CONTEXT	"https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"

static int	hash_data(json_t *, json_t *, unsigned char [64],
		    struct buf *);
static void	check_one(json_t *, json_t *, const char *, const char *,
		    struct vc_trust *, struct vc_result *);
static const char *doc_issuer(json_t *);
static void	vc_check_proof(json_t *, struct vc_trust *,
		    struct vc_result *);
static void	vc_reason(struct vc_result *, int, const char *, ...)
		    PRINTFLIKE(3, 4);

/* Generate a key pair (a random seed). */
void
vc_key_generate(struct vc_key *k)
{
	unsigned char	seed[32];

	randombytes_buf(seed, sizeof(seed));
	vc_key_from_seed(k, seed);
	sodium_memzero(seed, sizeof(seed));
}

void
vc_key_from_seed(struct vc_key *k, const unsigned char seed[32])
{
	struct buf	b;

	memset(k, 0, sizeof(*k));
	crypto_sign_seed_keypair(k->pk, k->sk, seed);
	memcpy(k->seed, seed, 32);
	k->has_secret = 1;
	buf_init(&b, 64);
	multikey_public(&b, k->pk);
	xstrlcpy(k->public_mb, b.data, sizeof(k->public_mb));
	buf_free(&b);
}

/* did:key:z6Mk...#z6Mk... */
void
vc_key_did(const struct vc_key *k, struct buf *out)
{
	buf_printf(out, "did:key:%s#%s", k->public_mb, k->public_mb);
}

/* The key file, in the W3C test-vector format. */
char *
vc_key_json(const struct vc_key *k)
{
	struct buf	b, s;

	buf_init(&s, 64);
	multikey_secret(&s, k->seed);
	buf_init(&b, 256);
	buf_printf(&b, "{\n  \"publicKeyMultibase\": \"%s\",\n"
	    "  \"secretKeyMultibase\": \"%s\"\n}\n", k->public_mb, s.data);
	sodium_memzero(s.data, s.len);
	buf_free(&s);
	return (buf_release(&b));
}

/* Read a key from its JSON (the secret part optional). */
int
vc_key_parse(const char *text, size_t len, struct vc_key *k,
    struct buf *err)
{
	json_t		*root;
	const char	*pub, *sec;
	unsigned char	 seed[32], pk[32];

	memset(k, 0, sizeof(*k));
	if ((root = jcs_parse(text, len, err)) == NULL)
		return (-1);
	pub = json_string_value(json_object_get(root, "publicKeyMultibase"));
	sec = json_string_value(json_object_get(root, "secretKeyMultibase"));
	if (pub == NULL || multikey_public_decode(pub, pk) == -1) {
		buf_puts(err, "no valid publicKeyMultibase (z6Mk...)");
		json_decref(root);
		return (-1);
	}
	if (sec != NULL) {
		if (multikey_secret_decode(sec, seed) == -1) {
			buf_puts(err, "secretKeyMultibase is not an Ed25519 "
			    "seed (0x8026 multikey)");
			json_decref(root);
			return (-1);
		}
		vc_key_from_seed(k, seed);
		sodium_memzero(seed, sizeof(seed));
		if (memcmp(k->pk, pk, 32) != 0) {
			buf_puts(err, "the public key does not match the "
			    "secret key");
			json_decref(root);
			return (-1);
		}
	} else {
		memcpy(k->pk, pk, 32);
		xstrlcpy(k->public_mb, pub, sizeof(k->public_mb));
	}
	json_decref(root);
	return (0);
}

/* The 32-byte key named by a did:key verification method. */
int
vc_did_key(const char *vm, unsigned char pk[32])
{
	char		 mb[128];
	const char	*hash;
	size_t		 n;

	if (strncmp(vm, "did:key:", 8) != 0)
		return (-1);
	hash = strchr(vm, '#');
	n = hash != NULL ? (size_t)(hash - vm - 8) : strlen(vm + 8);
	if (n == 0 || n >= sizeof(mb))
		return (-1);
	memcpy(mb, vm + 8, n);
	mb[n] = '\0';
	/* The fragment, when present, must repeat the key. */
	if (hash != NULL && strcmp(hash + 1, mb) != 0)
		return (-1);
	return (multikey_public_decode(mb, pk));
}

/* SHA-256(JCS(proof config)) || SHA-256(JCS(document)). */
static int
hash_data(json_t *config, json_t *doc, unsigned char out[64], struct buf *err)
{
	struct buf	c;

	buf_init(&c, 8192);
	if (jcs_canonicalize(&c, config) == -1) {
		buf_puts(err, "the proof cannot be canonicalized");
		buf_free(&c);
		return (-1);
	}
	crypto_hash_sha256(out, (const unsigned char *)c.data, c.len);
	buf_reset(&c);
	if (jcs_canonicalize(&c, doc) == -1) {
		buf_puts(err, "the document cannot be canonicalized");
		buf_free(&c);
		return (-1);
	}
	crypto_hash_sha256(out + 32, (const unsigned char *)c.data, c.len);
	buf_free(&c);
	return (0);
}

/* Add an eddsa-jcs-2022 proof to doc (an object without one). */
int
vc_sign(json_t *doc, const struct vc_key *k, const char *created,
    const char *vm, struct buf *err)
{
	unsigned char	 hash[64], sig[64];
	json_t		*proof, *ctx;
	struct buf	 pv;

	if (!k->has_secret) {
		buf_puts(err, "the key has no secret part");
		return (-1);
	}
	if (!json_is_object(doc) || json_object_get(doc, "proof") != NULL) {
		buf_puts(err, "the document must be an object without a proof");
		return (-1);
	}
	if (!vc_datetime_valid(created)) {
		buf_puts(err, "created must be an XML Schema dateTime such as "
		    "2026-01-31T10:00:00Z");
		return (-1);
	}
	proof = json_pack("{s:s, s:s, s:s, s:s, s:s}", "type",
	    "DataIntegrityProof", "cryptosuite", "eddsa-jcs-2022", "created",
	    created, "verificationMethod", vm, "proofPurpose",
	    "assertionMethod");
	if ((ctx = json_object_get(doc, "@context")) != NULL)
		json_object_set(proof, "@context", ctx);
	if (hash_data(proof, doc, hash, err) == -1) {
		json_decref(proof);
		return (-1);
	}
	crypto_sign_detached(sig, NULL, hash, sizeof(hash), k->sk);
	buf_init(&pv, 128);
	buf_putc(&pv, 'z');
	base58_encode(&pv, sig, sizeof(sig));
	json_object_set_new(proof, "proofValue", json_string(pv.data));
	/* An array: 1EdTech's OB 3.0 schema requires one. */
	json_object_set_new(doc, "proof", json_pack("[o]", proof));
	buf_free(&pv);
	return (0);
}

/*
 * XML Schema dateTime with a time zone, as VC 2.0 requires:
 * YYYY-MM-DDThh:mm:ss[.fff](Z|+hh:mm|-hh:mm).
 */
int
vc_datetime(const char *s, time_t *out)
{
	struct tm	 tm;
	const char	*p;
	int		 off, sign, oh, om;
	long		 days;
	int		 y, mo;

	memset(&tm, 0, sizeof(tm));
	if (strlen(s) < 20 || !isdigit((unsigned char)s[0]) ||
	    sscanf(s, "%4d-%2d-%2dT%2d:%2d:%2d", &tm.tm_year, &tm.tm_mon,
	    &tm.tm_mday, &tm.tm_hour, &tm.tm_min, &tm.tm_sec) != 6)
		return (-1);
	if (s[4] != '-' || s[7] != '-' || s[10] != 'T' || s[13] != ':' ||
	    s[16] != ':')
		return (-1);
	if (tm.tm_mon < 1 || tm.tm_mon > 12 || tm.tm_mday < 1 ||
	    tm.tm_mday > 31 || tm.tm_hour > 23 || tm.tm_min > 59 ||
	    tm.tm_sec > 60)
		return (-1);
	p = s + 19;
	if (*p == '.') {
		p++;
		if (!isdigit((unsigned char)*p))
			return (-1);
		while (isdigit((unsigned char)*p))
			p++;
	}
	off = 0;
	if (*p == 'Z' && p[1] == '\0')
		off = 0;
	else if ((*p == '+' || *p == '-') && strlen(p) == 6 && p[3] == ':' &&
	    sscanf(p + 1, "%2d:%2d", &oh, &om) == 2 && oh <= 23 && om <= 59) {
		sign = *p == '-' ? -1 : 1;
		off = sign * (oh * 3600 + om * 60);
	} else
		return (-1);
	/* Days since 1970-01-01, proleptic Gregorian (no timegm needed). */
	y = tm.tm_year;
	mo = tm.tm_mon;
	if (mo <= 2) {
		y--;
		mo += 12;
	}
	days = 365L * y + y / 4 - y / 100 + y / 400 + (153 * (mo - 3) + 2) / 5 +
	    tm.tm_mday - 719469;
	*out = (time_t)(days * 86400 + tm.tm_hour * 3600 + tm.tm_min * 60 +
	    tm.tm_sec - off);
	return (0);
}

int
vc_datetime_valid(const char *s)
{
	time_t	t;

	return (s != NULL && vc_datetime(s, &t) == 0);
}

void
vc_datetime_format(time_t t, char out[32])
{
	struct tm	tm;

	(void)gmtime_r(&t, &tm);
	(void)strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static void
vc_reason(struct vc_result *r, int flag, const char *fmt, ...)
{
	va_list	ap;

	r->flags |= flag;
	if (r->reasons.data == NULL)
		buf_init(&r->reasons, 128);
	va_start(ap, fmt);
	buf_vprintf(&r->reasons, fmt, ap);
	va_end(ap);
	buf_putc(&r->reasons, '\n');
}

void
vc_result_free(struct vc_result *r)
{
	buf_free(&r->reasons);
	free(r->issuer);
	free(r->name);
	free(r->vm);
	free(r->status_list);
	json_decref(r->doc);
	memset(r, 0, sizeof(*r));
}

/*
 * Check one proof of a proof set: its form, its @context (exactly the
 * document's: contexts appended after signing would change the meaning
 * without touching the signature), its key's provenance, its signature.
 */
static void
check_one(json_t *unsecured, json_t *proof, const char *pfx,
    const char *issuer, struct vc_trust *t, struct vc_result *r)
{
	json_t		*options, *pctx, *dctx;
	const char	*vm, *pv, *cs;
	unsigned char	 sig[64], hash[64], pk[32];
	struct buf	 err;
	size_t		 siglen;
	int		 flag;

	cs = json_string_value(json_object_get(proof, "cryptosuite"));
	if (!json_is_object(proof) || !json_is_string(json_object_get(proof,
	    "type")) || strcmp(json_string_value(json_object_get(proof,
	    "type")), "DataIntegrityProof") != 0 || cs == NULL ||
	    strcmp(cs, "eddsa-jcs-2022") != 0) {
		vc_reason(r, VC_MALFORMED, "malformed: %sthe proof is not a "
		    "DataIntegrityProof with cryptosuite eddsa-jcs-2022", pfx);
		return;
	}
	if (!json_is_string(json_object_get(proof, "proofPurpose")) ||
	    strcmp(json_string_value(json_object_get(proof, "proofPurpose")),
	    "assertionMethod") != 0) {
		vc_reason(r, VC_MALFORMED, "malformed: %sproofPurpose is not "
		    "assertionMethod", pfx);
		return;
	}
	if (json_object_get(proof, "created") != NULL &&
	    !vc_datetime_valid(json_string_value(json_object_get(proof,
	    "created")))) {
		vc_reason(r, VC_MALFORMED, "malformed: %sthe proof's created "
		    "is not a dateTime", pfx);
		return;
	}
	if (json_object_get(proof, "previousProof") != NULL) {
		vc_reason(r, VC_MALFORMED, "malformed: %sproof chains "
		    "(previousProof) are not supported", pfx);
		return;
	}
	vm = json_string_value(json_object_get(proof, "verificationMethod"));
	pv = json_string_value(json_object_get(proof, "proofValue"));
	if (vm != NULL && json_string_length(json_object_get(proof,
	    "verificationMethod")) != strlen(vm))
		vm = NULL;
	if (vm == NULL || pv == NULL || pv[0] != 'z' ||
	    base58_decode(pv + 1, sig, sizeof(sig), &siglen) == -1 ||
	    siglen != 64) {
		vc_reason(r, VC_MALFORMED, "malformed: %sthe proof needs a "
		    "verificationMethod and a base58btc proofValue of 64 bytes",
		    pfx);
		return;
	}
	if (r->vm == NULL)
		r->vm = xstrdup(vm);

	options = json_copy(proof);
	json_object_del(options, "proofValue");
	pctx = json_object_get(options, "@context");
	dctx = json_object_get(unsecured, "@context");
	if (pctx != NULL && !json_equal(pctx, dctx))
		vc_reason(r, VC_CONTEXT_BAD, "context mismatch: %sthe "
		    "document's @context is not the one the proof signed", pfx);

	buf_init(&err, 128);
	if (hash_data(options, unsecured, hash, &err) == -1)
		vc_reason(r, VC_MALFORMED, "malformed: %s%s", pfx, err.data);
	else if (issuer == NULL)
		vc_reason(r, VC_MALFORMED, "malformed: no issuer id");
	else if ((flag = vc_trust_key(t, issuer, vm, pk, &err)) != 0)
		vc_reason(r, flag, "%s%s", pfx, err.data);
	else if (crypto_sign_verify_detached(sig, hash, sizeof(hash),
	    pk) != 0) {
		if (*pfx != '\0')
			vc_reason(r, VC_BAD_SIGNATURE, "bad signature (%.*s)",
			    (int)strlen(pfx) - 2, pfx);
		else
			vc_reason(r, VC_BAD_SIGNATURE, "bad signature");
	}
	buf_free(&err);
	json_decref(options);
}

/* The issuer's id: a string, or an object's "id". */
static const char *
doc_issuer(json_t *doc)
{
	json_t	*iss;

	iss = json_object_get(doc, "issuer");
	if (json_is_object(iss))
		iss = json_object_get(iss, "id");
	/* A NUL inside would make it compare equal to a shorter id. */
	if (!json_is_string(iss) || json_string_length(iss) !=
	    strlen(json_string_value(iss)))
		return (NULL);
	return (json_string_value(iss));
}

/*
 * Verify every eddsa-jcs-2022 proof of a document (a proof or a proof
 * set: each must verify, and each key must be the issuer's).
 */
static void
vc_check_proof(json_t *doc, struct vc_trust *t, struct vc_result *r)
{
	json_t		*proof, *unsecured;
	const char	*issuer;
	char		 pfx[32];
	size_t		 i, n;

	proof = json_object_get(doc, "proof");
	n = json_is_array(proof) ? json_array_size(proof) :
	    proof != NULL ? 1 : 0;
	if (n == 0) {
		vc_reason(r, VC_MALFORMED, "malformed: no eddsa-jcs-2022 proof");
		return;
	}
	if (n > 16) {
		vc_reason(r, VC_MALFORMED, "malformed: more than 16 proofs");
		return;
	}
	issuer = doc_issuer(doc);
	unsecured = json_copy(doc);
	json_object_del(unsecured, "proof");
	for (i = 0; i < n; i++) {
		pfx[0] = '\0';
		if (n > 1)
			(void)snprintf(pfx, sizeof(pfx), "proof %zu of %zu: ",
			    i + 1, n);
		check_one(unsecured, json_is_array(proof) ?
		    json_array_get(proof, i) : proof, pfx, issuer, t, r);
	}
	json_decref(unsecured);
}

/*
 * Read a bit of a signed BitstringStatusListCredential: 0 or 1 in *bit,
 * or -1 with a reason in r when the list is not valid.
 */
int
vc_status_bit(const char *list, size_t len, const char *url, long index,
    const char *purpose, const char *issuer, struct vc_trust *t, int *bit,
    struct vc_result *r)
{
	struct vc_result	 lr;
	json_t			*subject;
	const char		*enc, *lp, *id;
	unsigned char		*gz, *bits;
	struct buf		 err;
	uLongf			 n;
	size_t			 gzlen;
	int			 zrc;

	memset(&lr, 0, sizeof(lr));
	buf_init(&err, 64);
	lr.doc = jcs_parse(list, len, &err);
	buf_free(&err);
	if (!json_is_object(lr.doc)) {
		vc_reason(r, VC_STATUS, "status list: not JSON");
		vc_result_free(&lr);
		return (-1);
	}
	vc_check_proof(lr.doc, t, &lr);
	if (lr.flags == 0 && (doc_issuer(lr.doc) == NULL || issuer == NULL ||
	    strcmp(doc_issuer(lr.doc), issuer) != 0))
		vc_reason(&lr, VC_STATUS, "its issuer is not the credential's");
	if (lr.flags != 0) {
		vc_reason(r, VC_STATUS, "status list: %s", lr.reasons.data);
		vc_result_free(&lr);
		return (-1);
	}
	id = json_string_value(json_object_get(lr.doc, "id"));
	subject = json_object_get(lr.doc, "credentialSubject");
	enc = json_string_value(json_object_get(subject, "encodedList"));
	lp = json_string_value(json_object_get(subject, "statusPurpose"));
	if (id == NULL || (url != NULL && strcmp(id, url) != 0)) {
		vc_reason(r, VC_STATUS, "status list: it is not %s", url);
		vc_result_free(&lr);
		return (-1);
	}
	if (enc == NULL || lp == NULL || strcmp(lp, purpose) != 0) {
		vc_reason(r, VC_STATUS, "status list: no %s list", purpose);
		vc_result_free(&lr);
		return (-1);
	}
	if ((gz = multibase_base64url_decode(enc, &gzlen)) == NULL) {
		vc_reason(r, VC_STATUS, "status list: encodedList is not "
		    "base64url");
		vc_result_free(&lr);
		return (-1);
	}
	n = STATUS_LIST_BYTES;
	bits = xmalloc(n);
	zrc = status_gunzip(gz, gzlen, bits, &n);
	free(gz);
	if (zrc != 0 || n < STATUS_LIST_BYTES || index < 0 ||
	    (size_t)index / 8 >= n) {
		vc_reason(r, VC_STATUS, "status list: cannot read bit %ld",
		    index);
		free(bits);
		vc_result_free(&lr);
		return (-1);
	}
	*bit = (bits[index / 8] >> (7 - index % 8)) & 1;
	free(bits);
	vc_result_free(&lr);
	return (0);
}

/*
 * Verify a credential: its proof, its @context and types, its validity
 * period at time at, and, when status is given (the list credential's
 * text), its revocation. Reasons go to r->reasons, one per line.
 */
void
vc_verify(const char *text, size_t len, time_t at, struct vc_trust *trust,
    const char *status, size_t status_len, struct vc_result *r)
{
	json_t		*ctx, *types, *cs, *st, *iss;
	const char	*vf, *vu, *c0, *c1, *idx;
	struct buf	 err;
	time_t		 t;
	size_t		 i;
	int		 has_vc, has_ob, bit;
	long		 index;
	char		*end;

	memset(r, 0, sizeof(*r));
	buf_init(&r->reasons, 128);
	buf_init(&err, 64);
	r->doc = jcs_parse(text, len, &err);
	if (!json_is_object(r->doc)) {
		vc_reason(r, VC_MALFORMED, "malformed: %s", err.len > 0 ?
		    err.data : "not a JSON object");
		buf_free(&err);
		return;
	}
	buf_free(&err);

	vc_check_proof(r->doc, trust, r);

	ctx = json_object_get(r->doc, "@context");
	c0 = json_string_value(json_array_get(ctx, 0));
	c1 = json_string_value(json_array_get(ctx, 1));
	if (!json_is_array(ctx) || c0 == NULL || strcmp(c0,
	    VC_CONTEXT_V2) != 0 || c1 == NULL || strncmp(c1,
	    "https://purl.imsglobal.org/spec/ob/v3p0/context", 47) != 0) {
		if (!(r->flags & VC_CONTEXT_BAD))
			vc_reason(r, VC_CONTEXT_BAD, "context mismatch");
	}

	types = json_object_get(r->doc, "type");
	has_vc = has_ob = 0;
	for (i = 0; i < json_array_size(types); i++) {
		const char	*t1 = json_string_value(json_array_get(types,
				    i));

		if (t1 == NULL)
			continue;
		has_vc |= strcmp(t1, "VerifiableCredential") == 0;
		has_ob |= strcmp(t1, "OpenBadgeCredential") == 0 ||
		    strcmp(t1, "AchievementCredential") == 0;
	}
	if (!has_vc || !has_ob)
		vc_reason(r, VC_MALFORMED, "malformed: type must include "
		    "VerifiableCredential and OpenBadgeCredential");
	iss = json_object_get(r->doc, "issuer");
	if (json_is_object(iss)) {
		iss = json_object_get(iss, "id");
		r->name = json_is_string(json_object_get(json_object_get(
		    r->doc, "issuer"), "name")) ? xstrdup(json_string_value(
		    json_object_get(json_object_get(r->doc, "issuer"),
		    "name"))) : NULL;
	}
	if (doc_issuer(r->doc) == NULL) {
		if (!(r->flags & VC_MALFORMED))
			vc_reason(r, VC_MALFORMED, "malformed: no issuer id");
	} else
		r->issuer = xstrdup(doc_issuer(r->doc));
	cs = json_object_get(r->doc, "credentialSubject");
	if (!json_is_object(cs) || !json_is_object(json_object_get(cs,
	    "achievement")) || (json_object_get(cs, "id") == NULL &&
	    json_object_get(cs, "identifier") == NULL))
		vc_reason(r, VC_MALFORMED, "malformed: credentialSubject needs "
		    "an achievement and an id or identifier");

	vf = json_string_value(json_object_get(r->doc, "validFrom"));
	vu = json_string_value(json_object_get(r->doc, "validUntil"));
	if (vf == NULL || vc_datetime(vf, &t) == -1)
		vc_reason(r, VC_MALFORMED, "malformed: validFrom missing or "
		    "not a dateTime");
	else if (at < t)
		vc_reason(r, VC_NOT_YET_VALID, "not yet valid (valid from %s)",
		    vf);
	if (json_object_get(r->doc, "validUntil") != NULL) {
		if (vu == NULL || vc_datetime(vu, &t) == -1)
			vc_reason(r, VC_MALFORMED, "malformed: validUntil is not "
			    "a dateTime");
		else if (at > t)
			vc_reason(r, VC_EXPIRED, "expired (valid until %s)",
			    vu);
	}

	st = json_object_get(r->doc, "credentialStatus");
	if (st != NULL) {
		const char	*type = json_string_value(json_object_get(st,
				    "type"));
		const char	*purpose = json_string_value(json_object_get(st,
				    "statusPurpose"));
		const char	*list = json_string_value(json_object_get(st,
				    "statusListCredential"));

		idx = json_string_value(json_object_get(st,
		    "statusListIndex"));
		index = idx != NULL ? strtol(idx, &end, 10) : -1;
		if (type == NULL || strcmp(type, "BitstringStatusListEntry") !=
		    0 || purpose == NULL || list == NULL || idx == NULL ||
		    *idx == '\0' || *end != '\0' || index < 0) {
			vc_reason(r, VC_MALFORMED, "malformed: credentialStatus "
			    "is not a BitstringStatusListEntry");
		} else {
			r->status_list = xstrdup(list);
			r->status_index = index;
			if (status != NULL && vc_status_bit(status, status_len,
			    list, index, purpose, r->issuer, trust, &bit, r) == 0) {
				r->status_checked = 1;
				if (bit)
					vc_reason(r, VC_REVOKED, "%s",
					    strcmp(purpose, "revocation") == 0 ?
					    "revoked" : "suspended");
			}
		}
	}
}

/*
 * Verify only the proof of any signed JSON document (no credential
 * rules): for status lists, controller documents and the W3C vectors.
 */
void
vc_verify_proof(const char *text, size_t len, struct vc_trust *t,
    struct vc_result *r)
{
	struct buf	err;

	memset(r, 0, sizeof(*r));
	buf_init(&r->reasons, 128);
	buf_init(&err, 64);
	r->doc = jcs_parse(text, len, &err);
	if (!json_is_object(r->doc))
		vc_reason(r, VC_MALFORMED, "malformed: %s", err.len > 0 ?
		    err.data : "not a JSON object");
	else
		vc_check_proof(r->doc, t, r);
	buf_free(&err);
}
