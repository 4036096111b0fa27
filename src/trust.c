/*
 * trust.c: whose keys a verifier believes (key provenance).
 *
 * A proof counts only when its verification method is controlled by the
 * credential's issuer: the issuer's controller document (W3C Controlled
 * Identifiers v1.0) lists the method under assertionMethod, with
 * controller equal to the issuer's id. A did:key is acceptable only when
 * it *is* the issuer (then the key is its own controller document), and
 * even then only when the verifier trusts that issuer.
 *
 * The controller documents come from the caller: our own key store (the
 * server, and the CLI where keys_dir is readable), --issuer FILE and a
 * trust file (the CLI), and an optional fetcher for allow-listed origins
 * (fetch.c). An issuer for which no document can be had is unknown: its
 * credentials do not verify, whatever name they carry.
 *
 * Badges signed before key provenance name a did:key of one of our keys
 * with our https issuer. They verify here when that key is listed in the
 * issuer's controller document (same public key, controller = issuer);
 * the reference stack refuses them, so `bin/capacita badges reissue`
 * signs them again with an https method (README, "Key provenance").
 */

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "capacita.h"

static json_t	*trust_find(struct vc_trust *, const char *);
static json_t	*trust_method(json_t *, const char *);
static int	 trust_listed(json_t *, const char *);

void
vc_trust_init(struct vc_trust *t)
{
	memset(t, 0, sizeof(*t));
	t->docs = json_array();
}

void
vc_trust_free(struct vc_trust *t)
{
	json_decref(t->docs);
	memset(t, 0, sizeof(*t));
}

/*
 * Add a controller document, or (a trust file) an array of controller
 * documents and did:key strings naming trusted did:key issuers.
 */
int
vc_trust_add(struct vc_trust *t, const char *text, size_t len,
    struct buf *err)
{
	json_t	*root, *x;
	size_t	 i;
	int	 rc;

	if ((root = jcs_parse(text, len, err)) == NULL)
		return (-1);
	rc = 0;
	if (json_is_object(root)) {
		if (!json_is_string(json_object_get(root, "id"))) {
			buf_puts(err, "a controller document needs an id");
			rc = -1;
		} else
			json_array_append(t->docs, root);
	} else if (json_is_array(root)) {
		json_array_foreach(root, i, x) {
			if (json_is_string(x) && strncmp(json_string_value(x),
			    "did:key:", 8) == 0)
				json_array_append_new(t->docs, json_pack(
				    "{s:O}", "id", x));
			else if (json_is_object(x) && json_is_string(
			    json_object_get(x, "id")))
				json_array_append(t->docs, x);
			else {
				buf_printf(err, "entry %zu is neither a "
				    "controller document nor a did:key", i + 1);
				rc = -1;
				break;
			}
		}
	} else {
		buf_puts(err, "not a controller document");
		rc = -1;
	}
	json_decref(root);
	return (rc);
}

static json_t *
trust_find(struct vc_trust *t, const char *issuer)
{
	json_t	*d;
	size_t	 i;

	json_array_foreach(t->docs, i, d) {
		if (json_is_string(json_object_get(d, "id")) &&
		    strcmp(json_string_value(json_object_get(d, "id")),
		    issuer) == 0)
			return (d);
	}
	return (NULL);
}

/* Is vm listed under assertionMethod (by id or embedded)? */
static int
trust_listed(json_t *doc, const char *vm)
{
	json_t		*am, *x;
	const char	*id;
	size_t		 i;

	am = json_object_get(doc, "assertionMethod");
	if (json_is_string(am))
		return (strcmp(json_string_value(am), vm) == 0);
	json_array_foreach(am, i, x) {
		id = json_is_string(x) ? json_string_value(x) :
		    json_string_value(json_object_get(x, "id"));
		if (id != NULL && strcmp(id, vm) == 0)
			return (1);
	}
	return (0);
}

/* The verification method object vm of doc (listed or embedded). */
static json_t *
trust_method(json_t *doc, const char *vm)
{
	const char	*keys[] = { "verificationMethod", "assertionMethod" };
	json_t		*a, *x;
	size_t		 i, k;

	for (k = 0; k < 2; k++) {
		a = json_object_get(doc, keys[k]);
		json_array_foreach(a, i, x) {
			if (json_is_object(x) && json_is_string(
			    json_object_get(x, "id")) && strcmp(
			    json_string_value(json_object_get(x, "id")),
			    vm) == 0)
				return (x);
		}
	}
	return (NULL);
}

/*
 * The public key of vm for a proof on a document issued by issuer: 0,
 * or a VC_* flag with the reason in why.
 */
int
vc_trust_key(struct vc_trust *t, const char *issuer, const char *vm,
    unsigned char pk[32], struct buf *why)
{
	json_t		*doc, *m, *x;
	struct buf	 text, err;
	const char	*ctl, *mb, *hash;
	unsigned char	 k2[32];
	size_t		 i, n;

	doc = trust_find(t, issuer);
	if (doc == NULL && t->fetch != NULL &&
	    strncmp(issuer, "did:", 4) != 0) {
		buf_init(&text, 4096);
		buf_init(&err, 128);
		if (t->fetch(issuer, &text, &err, t->fetch_arg) == -1)
			buf_printf(why, "unknown issuer: %s (%s)", issuer,
			    err.data);
		else if (vc_trust_add(t, text.data, text.len, &err) == -1)
			buf_printf(why, "unknown issuer: %s (its controller "
			    "document: %s)", issuer, err.data);
		else if ((doc = trust_find(t, issuer)) == NULL)
			buf_printf(why, "unknown issuer: the document at %s "
			    "is not its controller document", issuer);
		buf_free(&text);
		buf_free(&err);
		if (doc == NULL)
			return (VC_UNKNOWN_ISSUER);
	}
	if (doc == NULL) {
		buf_printf(why, "unknown issuer: %s is not a trusted issuer "
		    "(give its controller document with --issuer)", issuer);
		return (VC_UNKNOWN_ISSUER);
	}

	if (strncmp(vm, "did:key:", 8) == 0) {
		if (vc_did_key(vm, pk) == -1) {
			buf_printf(why, "malformed: %s is not a did:key", vm);
			return (VC_MALFORMED);
		}
		hash = strchr(vm, '#');
		n = hash != NULL ? (size_t)(hash - vm) : strlen(vm);
		if (strlen(issuer) == n && strncmp(issuer, vm, n) == 0)
			return (0);
		/* Our badges of before key provenance: the same key. */
		json_array_foreach(json_object_get(doc, "verificationMethod"),
		    i, x) {
			mb = json_string_value(json_object_get(x,
			    "publicKeyMultibase"));
			ctl = json_string_value(json_object_get(x,
			    "controller"));
			if (mb != NULL && ctl != NULL && strcmp(ctl, issuer) ==
			    0 && json_is_string(json_object_get(x, "id")) &&
			    trust_listed(doc, json_string_value(
			    json_object_get(x, "id"))) &&
			    json_object_get(x, "revoked") == NULL &&
			    multikey_public_decode(mb, k2) == 0 &&
			    memcmp(k2, pk, 32) == 0)
				return (0);
		}
		buf_printf(why, "key not controlled by the issuer: %s is its "
		    "own controller, not %s", vm, issuer);
		return (VC_CONTROLLER);
	}

	if (!trust_listed(doc, vm) || (m = trust_method(doc, vm)) == NULL) {
		buf_printf(why, "unknown key: %s is not an assertionMethod of "
		    "%s", vm, issuer);
		return (VC_UNKNOWN_KEY);
	}
	ctl = json_string_value(json_object_get(m, "controller"));
	if (ctl == NULL || strcmp(ctl, issuer) != 0) {
		buf_printf(why, "key not controlled by the issuer: %s has "
		    "controller %s, not %s", vm, ctl != NULL ? ctl : "(none)",
		    issuer);
		return (VC_CONTROLLER);
	}
	if (json_object_get(m, "revoked") != NULL) {
		buf_printf(why, "unknown key: %s is revoked", vm);
		return (VC_UNKNOWN_KEY);
	}
	mb = json_string_value(json_object_get(m, "publicKeyMultibase"));
	if (!json_is_string(json_object_get(m, "type")) || strcmp(
	    json_string_value(json_object_get(m, "type")), "Multikey") != 0 ||
	    mb == NULL || multikey_public_decode(mb, pk) == -1) {
		buf_printf(why, "unknown key: %s is not an Ed25519 Multikey",
		    vm);
		return (VC_UNKNOWN_KEY);
	}
	return (0);
}

/*
 * The issuer's Profile and controller document: every key that ever
 * signed, as <issuer>#key-N, the retired ones described as such (they
 * stay listed so that every badge they signed still verifies).
 */
char *
vc_controller_doc(const char *issuer, const char *name, const char *url,
    const struct vc_issuer_key *keys, size_t n)
{
	json_t		*doc, *vms, *am, *m;
	struct buf	 id;
	char		*text;
	size_t		 i;

	vms = json_array();
	am = json_array();
	buf_init(&id, 128);
	for (i = 0; i < n; i++) {
		buf_reset(&id);
		buf_printf(&id, "%s#key-%d", issuer, keys[i].id);
		m = json_pack("{s:s, s:s, s:s, s:s}", "id", id.data, "type",
		    "Multikey", "controller", issuer, "publicKeyMultibase",
		    keys[i].public_mb);
		if (keys[i].retired != NULL && *keys[i].retired != '\0') {
			buf_reset(&id);
			buf_printf(&id, "Chiave ritirata il %s: verifica gli "
			    "attestati già emessi, non ne firma di nuovi "
			    "(retired: no longer signs new badges).",
			    keys[i].retired);
			json_object_set_new(m, "description",
			    json_string(id.data));
		}
		json_array_append_new(vms, m);
		json_array_append_new(am, json_string(json_string_value(
		    json_object_get(m, "id"))));
	}
	buf_free(&id);
	doc = json_pack("{s:[s,s,s,s], s:s, s:[s], s:s, s:s, s:o, s:o}",
	    "@context", "https://www.w3.org/ns/cid/v1",
	    "https://www.w3.org/ns/credentials/v2",
	    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
	    "https://w3id.org/security/multikey/v1", "id", issuer, "type",
	    "Profile", "name", name, "url", url, "verificationMethod", vms,
	    "assertionMethod", am);
	text = json_dumps(doc, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	json_decref(doc);
	return (text);
}
