/*
 * cli-badge.c: bin/capacita keys, badges, sign, verify, jcs and audit:
 * the issuer's keys, credentials and the signed audit checkpoints.
 */

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>
#include <sodium.h>

#include "capacita.h"

static const char *cli_our_issuer(const char *, size_t, char *, size_t);
static void	cli_keystore(struct vc_trust *, const char *);
static int	cli_read_credential(const char *, char **, size_t *);
static double	now_seconds(void);
static void	verify_bench(const char *, size_t, time_t, struct vc_trust *,
		    const char *, size_t, long long);

int
cli_badge_audit(int argc, char **argv)
{
	struct diaglist	 dl;
	struct vc_trust	 t;
	struct fail	 f;
	struct db	 db;
	long long	 rows;
	char		*cp, ours[1024];
	size_t		 len;
	int		 rc;

	if (argc == 2 && strcmp(argv[1], "checkpoint") == 0) {
		if (cli_db(&db) == -1)
			return (2);
		rc = audit_checkpoint(&db, 1, &f);
		if (rc == -1)
			(void)cli_fail(NULL, &f);
		else
			printf("audit checkpoint appended to %s\n",
			    settings.audit_file);
		db_close(&db);
		return (rc == 0 ? 0 : 1);
	}
	cp = NULL;
	if (argc == 4 && strcmp(argv[1], "verify") == 0 &&
	    strcmp(argv[2], "--checkpoint") == 0) {
		if (file_read(argv[3], &cp, &len, 1024 * 1024) == -1) {
			fprintf(stderr, "capacita: %s: %s\n", argv[3],
			    strerror(errno));
			return (2);
		}
	} else if (argc != 2 || strcmp(argv[1], "verify") != 0)
		cli_usage();
	if (cli_db(&db) == -1) {
		free(cp);
		return (2);
	}
	diag_init(&dl);
	rc = audit_verify(&db, &rows, &dl, &f);
	/* The latest signed checkpoint, from the file outside the database. */
	if (cp == NULL)
		(void)audit_checkpoint_last(&cp, NULL);
	if (rc == 0 && cp != NULL) {
		vc_trust_init(&t);
		cli_keystore(&t, cli_our_issuer(cp, strlen(cp), ours,
		    sizeof(ours)));
		rc = audit_checkpoint_verify(&db, cp, &t, &dl, &f);
		vc_trust_free(&t);
	}
	if (rc == -1)
		rc = cli_fail(NULL, &f);
	else if (diag_count(&dl) > 0) {
		diag_print(stdout, &dl);
		printf("audit log: %lld rows, TAMPERED\n", rows);
		rc = 1;
	} else {
		printf("audit log: %lld rows, intact%s\n", rows, cp != NULL ?
		    " (matches the latest signed checkpoint)" :
		    " (no signed checkpoint yet)");
		rc = 0;
	}
	free(cp);
	diag_free(&dl);
	db_close(&db);
	return (rc);
}

/* Issuer keys: make the first, rotate, or list them. */
int
cli_badge_keys(int argc, char **argv)
{
	struct pg_result	*res;
	struct fail		 f;
	struct db		 db;
	int			 id, created, i, rc;

	if (argc == 3 && strcmp(argv[1], "export") == 0)
		return (cli_backup_export(argv[2]));
	if (argc == 3 && strcmp(argv[1], "import") == 0)
		return (cli_backup_import(argv[2], 0));
	if (argc == 4 && strcmp(argv[1], "import") == 0 &&
	    strcmp(argv[2], "--force") == 0)
		return (cli_backup_import(argv[3], 1));
	if (argc != 2)
		cli_usage();
	if (cli_db(&db) == -1)
		return (1);
	fail_clear(&f);
	rc = 1;
	if (strcmp(argv[1], "init") == 0) {
		if (badge_init(&db, &created, &f) == -1)
			(void)cli_fail(NULL, &f);
		else {
			if (created)
				printf("issuer key created in %s\n",
				    settings.keys_dir);
			rc = 0;
		}
	} else if (strcmp(argv[1], "rotate") == 0) {
		if (badge_key_new(&db, &id, &f) == -1 ||
		    db_begin(&db) == -1 || badge_status_publish(&db,
		    &f) == -1 || db_commit(&db) == -1)
			(void)cli_rollback(&db, &f);
		else {
			printf("new issuer key %d signs from now on; the old "
			    "ones stay published\n", id);
			rc = 0;
		}
	} else if (strcmp(argv[1], "show") == 0) {
		if ((res = db_query(&db, "SELECT id, public_multibase, "
		    "retired_at IS NULL FROM issuer_keys ORDER BY id", 0)) !=
		    NULL) {
			for (i = 0; i < db_rows(res); i++)
				printf("%s did:key:%s%s\n", db_value(res, i, 0),
				    db_value(res, i, 1), strcmp(db_value(res,
				    i, 2), "t") == 0 ? " (active)" : "");
			db_clear(res);
			rc = 0;
		}
	} else
		cli_usage();
	db_close(&db);
	return (rc);
}

/*
 * badges reissue: sign again with the active key, under an https
 * verification method, the badges signed with a did:key before key
 * provenance (the reference verifiers refuse those).
 */
int
cli_badge_reissue(int argc, char **argv)
{
	struct fail	f;
	struct db	db;
	int		n, rc;

	if (argc != 2 || strcmp(argv[1], "reissue") != 0)
		cli_usage();
	if (cli_db(&db) == -1)
		return (2);
	fail_clear(&f);
	rc = 0;
	if (db_begin(&db) == -1 || badge_reissue(&db, &n, &f) == -1 ||
	    audit_append(&db, cli_actor(), "badge.reissue", "all", n > 0 ?
	    "did:key proofs replaced" : "none", "") == -1 ||
	    db_commit(&db) == -1)
		rc = cli_rollback(&db, &f);
	else
		printf("%d badges signed again with %s#key-N\n", n,
		    settings.issuer_id);
	db_close(&db);
	return (rc);
}

/* Sign a JSON document with a key file (eddsa-jcs-2022). */
int
cli_badge_sign(int argc, char **argv)
{
	struct vc_key	 k;
	struct buf	 err, vm;
	const char	*keyfile, *created, *vmarg, *file;
	char		*src, *text, now[32];
	size_t		 len;
	json_t		*doc;
	int		 i;

	keyfile = created = vmarg = file = NULL;
	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--key") == 0 && i + 1 < argc)
			keyfile = argv[++i];
		else if (strcmp(argv[i], "--created") == 0 && i + 1 < argc)
			created = argv[++i];
		else if (strcmp(argv[i], "--vm") == 0 && i + 1 < argc)
			vmarg = argv[++i];
		else if (file == NULL && argv[i][0] != '-')
			file = argv[i];
		else
			cli_usage();
	}
	if (keyfile == NULL || file == NULL)
		cli_usage();
	buf_init(&err, 128);
	if (file_read(keyfile, &src, &len, 65536) == -1) {
		fprintf(stderr, "capacita: %s: %s\n", keyfile, strerror(errno));
		return (2);
	}
	if (vc_key_parse(src, len, &k, &err) == -1 || !k.has_secret) {
		fprintf(stderr, "capacita: %s: %s\n", keyfile,
		    err.len ? err.data : "no secretKeyMultibase");
		sodium_memzero(src, len);
		free(src);
		return (2);
	}
	sodium_memzero(src, len);
	free(src);
	if (file_read(file, &src, &len, SOURCE_MAX) == -1) {
		fprintf(stderr, "capacita: %s: %s\n", file, strerror(errno));
		return (2);
	}
	doc = jcs_parse(src, len, &err);
	free(src);
	if (!json_is_object(doc)) {
		fprintf(stderr, "capacita: %s: %s\n", file, err.len ? err.data :
		    "not a JSON object");
		json_decref(doc);
		return (2);
	}
	if (created == NULL) {
		vc_datetime_format(time(NULL), now);
		created = now;
	}
	buf_init(&vm, 128);
	if (vmarg != NULL)
		buf_puts(&vm, vmarg);
	else
		vc_key_did(&k, &vm);
	if (json_object_get(doc, "proof") != NULL) {
		fprintf(stderr, "capacita: %s already has a proof\n", file);
		json_decref(doc);
		return (2);
	}
	if (vc_sign(doc, &k, created, vm.data, &err) == -1) {
		fprintf(stderr, "capacita: %s\n", err.data);
		json_decref(doc);
		return (2);
	}
	sodium_memzero(&k, sizeof(k));
	text = json_dumps(doc, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	printf("%s\n", text);
	free(text);
	json_decref(doc);
	buf_free(&vm);
	buf_free(&err);
	return (0);
}

/*
 * Which issuer id our key store answers for: settings.issuer_id; or,
 * when base_url is not configured (it follows the server's port), the
 * document's own issuer when it is http://127.0.0.1:<port>/issuer.
 */
static const char *
cli_our_issuer(const char *text, size_t len, char *out, size_t outlen)
{
	json_t		*doc, *iss;
	const char	*id, *p;

	xstrlcpy(out, settings.issuer_id, outlen);
	if (!settings.base_url_auto)
		return (out);
	doc = jcs_parse(text, len, NULL);
	iss = json_object_get(doc, "issuer");
	if (json_is_object(iss))
		iss = json_object_get(iss, "id");
	id = json_string_value(iss);
	if (id != NULL && strncmp(id, "http://127.0.0.1:", 17) == 0) {
		for (p = id + 17; *p >= '0' && *p <= '9'; p++)
			;
		if (p > id + 17 && p - id < 24 && strcmp(p, "/issuer") == 0)
			xstrlcpy(out, id, outlen);
	}
	json_decref(doc);
	return (out);
}

/*
 * Our own key store as the controller document of issuer, when keys_dir
 * is readable (on the server's host): the public halves of issuer-N.json.
 */
static void
cli_keystore(struct vc_trust *t, const char *issuer)
{
	struct vc_issuer_key	 keys[256];
	struct vc_key		 k;
	struct dirent		*d;
	struct buf		 err;
	DIR			*dir;
	char			*path, *src, *doc, *mbs[256];
	size_t			 len, n, i;
	int			 id;

	if ((dir = opendir(settings.keys_dir)) == NULL)
		return;
	n = 0;
	buf_init(&err, 64);
	while ((d = readdir(dir)) != NULL && n < 256) {
		if (sscanf(d->d_name, "issuer-%d.json", &id) != 1)
			continue;
		(void)xasprintf(&path, "%s/%s", settings.keys_dir, d->d_name);
		if (file_read(path, &src, &len, 4096) == 0) {
			if (vc_key_parse(src, len, &k, &err) == 0) {
				mbs[n] = xstrdup(k.public_mb);
				keys[n].id = id;
				keys[n].public_mb = mbs[n];
				keys[n].retired = NULL;
				n++;
			}
			sodium_memzero(src, len);
			sodium_memzero(&k, sizeof(k));
			free(src);
		}
		free(path);
	}
	closedir(dir);
	if (n > 0) {
		doc = vc_controller_doc(issuer, settings.issuer_name,
		    settings.issuer_url, keys, n);
		(void)vc_trust_add(t, doc, strlen(doc), &err);
		free(doc);
	}
	for (i = 0; i < n; i++)
		free(mbs[i]);
	buf_free(&err);
}

/* Read a credential file: JSON, or a PDF certificate carrying one. */
static int
cli_read_credential(const char *file, char **src, size_t *len)
{
	struct buf	 out, err;
	char		*raw;
	size_t		 rlen;

	if (file_read(file, &raw, &rlen, SOURCE_MAX) == -1) {
		fprintf(stderr, "capacita: %s: %s\n", file, strerror(errno));
		return (-1);
	}
	if (rlen < 5 || memcmp(raw, "%PDF-", 5) != 0) {
		*src = raw;
		*len = rlen;
		return (0);
	}
	buf_init(&out, 8192);
	buf_init(&err, 128);
	if (pdf_attachment(raw, rlen, &out, &err) == -1) {
		fprintf(stderr, "capacita: %s: %s\n", file, err.data);
		free(raw);
		buf_free(&out);
		buf_free(&err);
		return (-1);
	}
	free(raw);
	buf_free(&err);
	*len = out.len;
	*src = buf_release(&out);
	return (0);
}

/*
 * Verify a credential (a JSON file or a PDF certificate): 0 valid, 1
 * not (the reasons, one per line, on stdout), 2 cli_usage or read errors.
 * Issuers are trusted from our key store (keys_dir, when readable),
 * --issuer and --trust files, and the trusted_issuers allow-list.
 */
int
cli_badge_verify(int argc, char **argv)
{
	struct vc_result	 r;
	struct vc_trust		 t;
	struct buf		 err, fetched;
	const char		*statusfile, *at_s, *file;
	char			*src, *status, *doc, ours[1024];
	size_t			 len, slen, dlen;
	time_t			 at;
	long long		 bench;
	int			 i, strict, rc;

	statusfile = at_s = file = NULL;
	bench = 0;
	strict = 0;
	vc_trust_init(&t);
	buf_init(&err, 128);
	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--status") == 0 && i + 1 < argc)
			statusfile = argv[++i];
		else if (strcmp(argv[i], "--bench") == 0 && i + 1 < argc &&
		    parse_int(argv[i + 1], 1, 100000000, &bench) == 0)
			i++;
		else if (strcmp(argv[i], "--at") == 0 && i + 1 < argc)
			at_s = argv[++i];
		else if (strcmp(argv[i], "--strict") == 0)
			strict = 1;
		else if ((strcmp(argv[i], "--issuer") == 0 ||
		    strcmp(argv[i], "--trust") == 0) && i + 1 < argc) {
			if (file_read(argv[++i], &doc, &dlen, SOURCE_MAX) ==
			    -1) {
				fprintf(stderr, "capacita: %s: %s\n", argv[i],
				    strerror(errno));
				vc_trust_free(&t);
				return (2);
			}
			rc = vc_trust_add(&t, doc, dlen, &err);
			free(doc);
			if (rc == -1) {
				fprintf(stderr, "capacita: %s: %s\n", argv[i],
				    err.data);
				vc_trust_free(&t);
				return (2);
			}
		} else if (file == NULL && argv[i][0] != '-')
			file = argv[i];
		else
			cli_usage();
	}
	if (file == NULL)
		cli_usage();
	if (settings.trusted_issuers != NULL)
		t.fetch = issuer_fetch;
	at = time(NULL);
	if (at_s != NULL && vc_datetime(at_s, &at) == -1) {
		fprintf(stderr, "capacita: --at needs a dateTime such as "
		    "2027-01-31T10:00:00Z\n");
		vc_trust_free(&t);
		return (2);
	}
	if (cli_read_credential(file, &src, &len) == -1) {
		vc_trust_free(&t);
		return (2);
	}
	cli_keystore(&t, cli_our_issuer(src, len, ours, sizeof(ours)));
	status = NULL;
	slen = 0;
	if (statusfile != NULL && file_read(statusfile, &status, &slen,
	    SOURCE_MAX) == -1) {
		fprintf(stderr, "capacita: %s: %s\n", statusfile,
		    strerror(errno));
		free(src);
		vc_trust_free(&t);
		return (2);
	}
	if (bench > 0) {
		verify_bench(src, len, at, &t, status, slen, bench);
		free(src);
		free(status);
		vc_trust_free(&t);
		return (0);
	}
	vc_verify(src, len, at, &t, status, slen, &r);
	/* No list given: fetch it when its origin is allow-listed. */
	if (status == NULL && r.status_list != NULL && !r.status_checked &&
	    r.flags == 0 && issuer_allowed(settings.trusted_issuers,
	    r.status_list)) {
		buf_init(&fetched, 4096);
		buf_reset(&err);
		if (issuer_fetch(r.status_list, &fetched, &err, NULL) == 0) {
			vc_result_free(&r);
			vc_verify(src, len, at, &t, fetched.data, fetched.len,
			    &r);
		}
		buf_free(&fetched);
	}
	free(src);
	free(status);
	rc = r.flags == 0 ? 0 : 1;
	if (r.flags == 0) {
		printf("valid: issued by %s%s%s%s\n", r.issuer != NULL ?
		    r.issuer : "?", r.name != NULL ? " (" : "",
		    r.name != NULL ? r.name : "", r.name != NULL ? ")" : "");
		if (r.status_list != NULL && !r.status_checked) {
			printf("revocation not checked: the credential may "
			    "have been revoked; download %s and pass it with "
			    "--status\n", r.status_list);
			if (strict) {
				printf("not accepted with --strict: revocation "
				    "not checked\n");
				rc = 1;
			}
		}
	} else
		fputs(r.reasons.data, stdout);
	vc_result_free(&r);
	vc_trust_free(&t);
	buf_free(&err);
	return (rc);
}

static double
now_seconds(void)
{
	struct timespec	ts;

	(void)clock_gettime(CLOCK_MONOTONIC, &ts);
	return ((double)ts.tv_sec + (double)ts.tv_nsec / 1e9);
}

/*
 * make bench: whole verifications of a credential per second (parse,
 * canonicalise, hash, Ed25519, dates, status), against libsodium alone
 * verifying the 64 bytes eddsa-jcs-2022 signs, in the same process.
 */
static void
verify_bench(const char *src, size_t len, time_t at, struct vc_trust *t,
    const char *status, size_t slen, long long n)
{
	struct vc_result	r;
	unsigned char		pk[crypto_sign_PUBLICKEYBYTES];
	unsigned char		sk[crypto_sign_SECRETKEYBYTES];
	unsigned char		msg[64], sig[crypto_sign_BYTES];
	double			t0, t1, t2;
	long long		i, bad;

	bad = 0;
	t0 = now_seconds();
	for (i = 0; i < n; i++) {
		vc_verify(src, len, at, t, status, slen, &r);
		if (r.flags != 0)
			bad++;
		vc_result_free(&r);
	}
	t1 = now_seconds();
	crypto_sign_keypair(pk, sk);
	randombytes_buf(msg, sizeof(msg));
	crypto_sign_detached(sig, NULL, msg, sizeof(msg), sk);
	for (i = 0; i < n; i++) {
		if (crypto_sign_verify_detached(sig, msg, sizeof(msg),
		    pk) != 0)
			bad++;
	}
	t2 = now_seconds();
	printf("verify_per_s %.1f\nsodium_per_s %.1f\ninvalid %lld\n",
	    (double)n / (t1 - t0), (double)n / (t2 - t1), bad);
}

/* Print a JSON file in its RFC 8785 canonical form. */
int
cli_badge_jcs(int argc, char **argv)
{
	struct buf	 out, err;
	char		*src;
	size_t		 len;
	json_t		*v;

	if (argc != 2)
		cli_usage();
	if (file_read(argv[1], &src, &len, SOURCE_MAX) == -1) {
		fprintf(stderr, "capacita: %s: %s\n", argv[1],
		    strerror(errno));
		return (2);
	}
	buf_init(&err, 64);
	v = jcs_parse(src, len, &err);
	free(src);
	if (v == NULL) {
		fprintf(stderr, "capacita: %s: %s\n", argv[1], err.data);
		return (1);
	}
	buf_init(&out, len + 16);
	if (jcs_canonicalize(&out, v) == -1) {
		fprintf(stderr, "capacita: %s: cannot be canonicalized\n",
		    argv[1]);
		json_decref(v);
		return (1);
	}
	fwrite(out.data, 1, out.len, stdout);
	json_decref(v);
	buf_free(&out);
	buf_free(&err);
	return (0);
}
