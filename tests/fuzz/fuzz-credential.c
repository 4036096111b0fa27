/*
 * fuzz-credential.c: credential verification as /verify, the verify API
 * and bin/capacita verify do it. The input is a credential, then after
 * a NUL byte (optional) a status list credential.
 *
 *  1. vc_verify() of the bytes as given, with and without the status
 *     list, vc_verify_proof(), vc_key_parse() and vc_datetime();
 *  2. both documents signed with a fixed key (vc_sign(), proof removed
 *     first), written out and verified again: the fuzzer cannot forge
 *     signatures, so this is how it reaches the checks behind a valid
 *     proof (validity period, types, the status list and its bit).
 *     A document we signed must never fail as a bad signature.
 */

#include <jansson.h>

#include "fuzz.h"

#define AT		1767225600	/* 2026-01-01T00:00:00Z */
#define CREATED		"2025-06-01T10:00:00Z"

#define ISSUER		"https://fuzz.example/issuer"

static struct vc_key	key;
static char		vm[160];
static struct vc_trust	trust;

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	unsigned char	seed[32];
	struct buf	b;
	size_t		i;

	fuzz_init();
	for (i = 0; i < sizeof(seed); i++)
		seed[i] = (unsigned char)(i * 7 + 1);
	vc_key_from_seed(&key, seed);
	xstrlcpy(vm, ISSUER "#key-1", sizeof(vm));
	{
		struct vc_issuer_key	ik = { 1, key.public_mb, NULL };
		char			*doc;

		doc = vc_controller_doc(ISSUER, "Fuzz", "https://fuzz.example",
		    &ik, 1);
		buf_init(&b, 128);
		vc_trust_init(&trust);
		(void)vc_trust_add(&trust, doc, strlen(doc), &b);
		/* A trusted did:key issuer too, for that path. */
		buf_reset(&b);
		vc_key_did(&key, &b);
		b.data[strcspn(b.data, "#")] = '\0';
		{
			char	*arr;

			(void)xasprintf(&arr, "[\"%s\"]", b.data);
			(void)vc_trust_add(&trust, arr, strlen(arr), &b);
			free(arr);
		}
		buf_free(&b);
		free(doc);
	}
	return (0);
}

/* The document signed by our key, as text; NULL unless an object. */
static char *
sign(const char *text, size_t len)
{
	struct buf	 err;
	json_t		*doc;
	char		*out;

	buf_init(&err, 64);
	doc = jcs_parse(text, len, &err);
	out = NULL;
	if (json_is_object(doc)) {
		json_object_del(doc, "proof");
		json_object_set_new(doc, "issuer", json_string(ISSUER));
		if (vc_sign(doc, &key, CREATED, vm, &err) == 0)
			out = json_dumps(doc, JSON_COMPACT);
	}
	json_decref(doc);
	buf_free(&err);
	return (out);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct vc_result	 r;
	struct vc_key		 k;
	struct buf		 err;
	time_t			 t;
	size_t			 clen, slen;
	char			*cred, *status, *scred, *sstatus;

	fuzz_split(data, size, &cred, &clen, &status, &slen);

	vc_verify(cred, clen, AT, &trust, NULL, 0, &r);
	FUZZ_ASSERT(r.flags != 0 || r.reasons.len == 0);
	vc_result_free(&r);
	if (status != NULL) {
		vc_verify(cred, clen, AT, &trust, status,
		    slen, &r);
		vc_result_free(&r);
		vc_verify_proof(status, slen, &trust, &r);
		vc_result_free(&r);
	}
	vc_verify_proof(cred, clen, &trust, &r);
	vc_result_free(&r);
	buf_init(&err, 64);
	(void)vc_key_parse(cred, clen, &k, &err);
	sodium_memzero(&k, sizeof(k));
	buf_free(&err);
	(void)vc_datetime(cred, &t);

	scred = sign(cred, clen);
	sstatus = status != NULL ? sign(status, slen) : NULL;
	if (scred != NULL) {
		vc_verify(scred, strlen(scred), AT, &trust,
		    sstatus, sstatus != NULL ? strlen(sstatus) : 0, &r);
		if (r.flags & (VC_BAD_SIGNATURE | VC_UNKNOWN_KEY |
		    VC_UNKNOWN_ISSUER | VC_CONTROLLER)) {
			fprintf(stderr, "%s--- signed:\n%s\n", r.reasons.data,
			    scred);
			FUZZ_ASSERT(!"a document we signed verifies");
		}
		FUZZ_ASSERT(r.vm != NULL && strcmp(r.vm, vm) == 0);
		vc_result_free(&r);
	}
	if (sstatus != NULL) {
		vc_verify_proof(sstatus, strlen(sstatus), &trust,
		    &r);
		FUZZ_ASSERT((r.flags & (VC_BAD_SIGNATURE | VC_UNKNOWN_KEY |
		    VC_UNKNOWN_ISSUER | VC_CONTROLLER)) ==
		    0);
		vc_result_free(&r);
	}
	free(scred);
	free(sstatus);
	free(cred);
	free(status);
	return (0);
}
