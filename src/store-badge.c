/*
 * store-badge.c: issuing, revoking and verifying Open Badges 3.0
 * credentials (OpenBadgeCredential, VC Data Model 2.0) signed with
 * eddsa-jcs-2022.
 *
 * The issuer's keys: the public halves in issuer_keys, the secret seeds
 * in files <keys_dir>/issuer-<id>.json (mode 0600) in the W3C test-vector
 * format. One key is active; rotation retires it and makes a new one,
 * and retired keys stay published so that old badges keep verifying.
 */

#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>
#include <sodium.h>

#include "capacita.h"

#define OB_CONTEXT	"https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
#define VC_CONTEXT	"https://www.w3.org/ns/credentials/v2"

static int	key_path(char *, size_t, int);
static int	key_write(const char *, const struct vc_key *, struct fail *);
static void	badge_recipient(const char *, char [33],
		    char [SHA256_HEX_LEN + 1]);
static void	badge_uuid(char [40]);
static int	badge_alignments(struct db *, const char *, json_t *,
		    struct fail *);
static json_t	*badge_evidence(struct db *, const char *, const char *,
		    struct fail *);
static int	badge_status_index(struct db *, uint32_t *, char [16],
		    struct fail *);
static json_t	*badge_document(const char *, const char *, const char *,
		    json_t *, json_t *, uint32_t, const char *);

static int
key_path(char *out, size_t len, int id)
{
	int	n;

	n = snprintf(out, len, "%s/issuer-%d.json", settings.keys_dir, id);
	return (n < 0 || (size_t)n >= len ? -1 : 0);
}

/* Write a key file with mode 0600 (created new, never overwritten). */
static int
key_write(const char *path, const struct vc_key *k, struct fail *f)
{
	char	*json;
	size_t	 len;
	int	 fd;
	ssize_t	 w;

	if (mkdir(settings.keys_dir, 0700) == -1 && errno != EEXIST)
		return (fail_set(f, FAIL_UNAVAILABLE, "error.500.text",
		    "%s: %s", settings.keys_dir, strerror(errno)));
	(void)chmod(settings.keys_dir, 0700);
	if ((fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC,
	    0600)) == -1)
		return (fail_set(f, FAIL_UNAVAILABLE, "error.500.text",
		    "%s: %s", path, strerror(errno)));
	json = vc_key_json(k);
	len = strlen(json);
	w = write(fd, json, len);
	sodium_memzero(json, len);
	if (w != (ssize_t)len || fsync(fd) == -1) {
		(void)fail_set(f, FAIL_UNAVAILABLE, "error.500.text", "%s: %s",
		    path, strerror(errno));
		free(json);
		close(fd);
		(void)unlink(path);
		return (-1);
	}
	free(json);
	close(fd);
	return (0);
}

/*
 * Make a new active key, retiring the current one (if any): first start
 * and rotation. *id gets the new key's id.
 */
int
badge_key_new(struct db *db, int *id, struct fail *f)
{
	struct pg_result	*res;
	struct vc_key		 k;
	char			 path[1024];

	vc_key_generate(&k);
	if (db_begin(db) == -1 || db_exec(db, "UPDATE issuer_keys SET "
	    "retired_at = now() WHERE retired_at IS NULL", 0) == -1 ||
	    (res = db_query(db, "INSERT INTO issuer_keys (public_multibase) "
	    "VALUES ($1) RETURNING id", 1, k.public_mb)) == NULL) {
		(void)db_fail(db, f);
		db_rollback(db);
		return (-1);
	}
	*id = atoi(db_value(res, 0, 0));
	db_clear(res);
	if (key_path(path, sizeof(path), *id) == -1 ||
	    key_write(path, &k, f) == -1) {
		db_rollback(db);
		sodium_memzero(&k, sizeof(k));
		return (-1);
	}
	sodium_memzero(&k, sizeof(k));
	if (audit_append(db, "system", "issuer.key", k.public_mb[0] ? "new key" :
	    "", "", "") == -1 || db_commit(db) == -1) {
		(void)db_fail(db, f);
		db_rollback(db);
		return (-1);
	}
	return (0);
}

/* Load the active key with its secret. */
int
badge_key_active(struct db *db, struct vc_key *k, int *id, struct fail *f)
{
	struct pg_result	*res;
	struct buf		 err;
	char			 path[1024], *src;
	size_t			 len;
	int			 rc;

	res = db_query(db, "SELECT id, public_multibase FROM issuer_keys "
	    "WHERE retired_at IS NULL", 0);
	if (res == NULL)
		return (db_fail(db, f));
	if (db_rows(res) != 1) {
		db_clear(res);
		return (fail_set(f, FAIL_UNAVAILABLE, "error.500.text", "no "
		    "active issuer key: run 'bin/capacita keys init'"));
	}
	*id = atoi(db_value(res, 0, 0));
	db_clear(res);
	if (key_path(path, sizeof(path), *id) == -1 ||
	    file_read(path, &src, &len, 4096) == -1)
		return (fail_set(f, FAIL_UNAVAILABLE, "error.500.text",
		    "%s: %s", path, strerror(errno)));
	buf_init(&err, 64);
	if ((rc = vc_key_parse(src, len, k, &err)) == -1)
		(void)fail_set(f, FAIL_UNAVAILABLE, "error.500.text", "%s: %s",
		    path, err.data);
	else if (!k->has_secret)
		rc = fail_set(f, FAIL_UNAVAILABLE, "error.500.text", "%s has no "
		    "secret key", path);
	sodium_memzero(src, len);
	free(src);
	buf_free(&err);
	return (rc);
}

/*
 * Sign doc with k, the issuer's key number kid, at now (eddsa-jcs-2022,
 * the verification method <issuer_id>#key-<kid>).
 */
int
badge_sign(json_t *doc, const struct vc_key *k, const char *now, int kid,
    struct fail *f)
{
	struct buf	vm, err;
	int		rc;

	buf_init(&vm, 128);
	buf_init(&err, 64);
	buf_printf(&vm, "%s#key-%d", settings.issuer_id, kid);
	if ((rc = vc_sign(doc, k, now, vm.data, &err)) == -1)
		(void)fail_set(f, FAIL_UNAVAILABLE, "error.500.text", "sign: "
		    "%s", err.data);
	buf_free(&vm);
	buf_free(&err);
	return (rc);
}

/* First start: make the first key, and publish an empty status list. */
int
badge_init(struct db *db, int *created, struct fail *f)
{
	struct pg_result	*res;
	int			 id, n;

	*created = 0;
	if ((res = db_query(db, "SELECT count(*) FROM issuer_keys WHERE "
	    "retired_at IS NULL", 0)) == NULL)
		return (db_fail(db, f));
	n = atoi(db_value(res, 0, 0));
	db_clear(res);
	if (n == 0) {
		if (badge_key_new(db, &id, f) == -1)
			return (-1);
		*created = 1;
	}
	if ((res = db_query(db, "SELECT count(*) FROM status_lists", 0)) ==
	    NULL)
		return (db_fail(db, f));
	n = atoi(db_value(res, 0, 0));
	db_clear(res);
	/*
	 * Published again when it names another address (base_url follows
	 * the port) or another key than the active one.
	 */
	if (n == 1) {
		struct buf	want;

		buf_init(&want, 128);
		buf_printf(&want, "%s/status/1", settings.base_url);
		res = db_query(db, "SELECT 1 FROM status_lists s, issuer_keys "
		    "k WHERE s.id = 1 AND k.retired_at IS NULL AND "
		    "s.credential::jsonb->>'id' = $1 AND "
		    "s.credential::jsonb->'proof'->0->>'verificationMethod' = "
		    "$2 || '#key-' || k.id", 2, want.data, settings.issuer_id);
		buf_free(&want);
		if (res == NULL)
			return (db_fail(db, f));
		n = db_rows(res);
		db_clear(res);
	}
	if (n > 0)
		return (0);
	if (db_begin(db) == -1)
		return (db_fail(db, f));
	if (badge_status_publish(db, f) == -1 || (db_commit(db) == -1 &&
	    db_fail(db, f) == -1)) {
		db_rollback(db);
		return (-1);
	}
	return (0);
}

/*
 * Rebuild and sign the revocation list (inside the caller's
 * transaction, so that a revocation and its list commit together).
 */
int
badge_status_publish(struct db *db, struct fail *f)
{
	struct pg_result	*res;
	struct vc_key		 k;
	struct buf		 url, subj;
	json_t			*doc;
	char			*enc, *text, now[32];
	long			*set;
	int			 i, n, kid;

	if ((res = db_query(db, "SELECT status_index FROM badges WHERE "
	    "revoked_at IS NOT NULL", 0)) == NULL)
		return (db_fail(db, f));
	n = db_rows(res);
	set = xcalloc((size_t)n + 1, sizeof(*set));
	for (i = 0; i < n; i++)
		set[i] = atol(db_value(res, i, 0));
	db_clear(res);
	enc = status_encode(set, (size_t)n);
	free(set);
	if (enc == NULL)
		return (fail_set(f, FAIL_UNAVAILABLE, "error.500.text",
		    "cannot compress the status list"));
	if (badge_key_active(db, &k, &kid, f) == -1) {
		free(enc);
		return (-1);
	}
	buf_init(&url, 128);
	buf_init(&subj, 128);
	buf_printf(&url, "%s/status/1", settings.base_url);
	buf_printf(&subj, "%s#list", url.data);
	vc_datetime_format(time(NULL), now);
	doc = json_pack("{s:[s], s:s, s:[s,s], s:s, s:s, s:{s:s, s:s, s:s, "
	    "s:s}}", "@context", VC_CONTEXT, "id", url.data, "type",
	    "VerifiableCredential", "BitstringStatusListCredential", "issuer",
	    settings.issuer_id, "validFrom", now, "credentialSubject", "id",
	    subj.data, "type", "BitstringStatusList", "statusPurpose",
	    "revocation", "encodedList", enc);
	free(enc);
	buf_free(&url);
	buf_free(&subj);
	if (badge_sign(doc, &k, now, kid, f) == -1) {
		json_decref(doc);
		sodium_memzero(&k, sizeof(k));
		return (-1);
	}
	sodium_memzero(&k, sizeof(k));
	text = json_dumps(doc, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	json_decref(doc);
	if (db_exec(db, "INSERT INTO status_lists (id, credential) VALUES (1, "
	    "$1) ON CONFLICT (id) DO UPDATE SET credential = "
	    "EXCLUDED.credential, updated_at = now()", 1, text) == -1) {
		free(text);
		return (db_fail(db, f));
	}
	free(text);
	return (0);
}

/* The recipient: a salted SHA-256 of the e-mail, nothing in clear. */
static void
badge_recipient(const char *email, char salt[33],
    char hash[SHA256_HEX_LEN + 1])
{
	unsigned char	salt_raw[16];
	struct buf	email_salt;

	randombytes_buf(salt_raw, sizeof(salt_raw));
	sodium_bin2hex(salt, 33, salt_raw, sizeof(salt_raw));
	buf_init(&email_salt, 128);
	buf_printf(&email_salt, "%s%s", email, salt);
	sha256_hex(email_salt.data, email_salt.len, hash);
	buf_free(&email_salt);
}

/* A random (version 4) UUID, the badge's id. */
static void
badge_uuid(char id[40])
{
	unsigned char	uuid[16];

	randombytes_buf(uuid, sizeof(uuid));
	uuid[6] = (uuid[6] & 0x0f) | 0x40;
	uuid[8] = (uuid[8] & 0x3f) | 0x80;
	(void)snprintf(id, 40, "%02x%02x%02x%02x-%02x%02x-%02x%02x-"
	    "%02x%02x-%02x%02x%02x%02x%02x%02x", uuid[0], uuid[1], uuid[2],
	    uuid[3], uuid[4], uuid[5], uuid[6], uuid[7], uuid[8], uuid[9],
	    uuid[10], uuid[11], uuid[12], uuid[13], uuid[14], uuid[15]);
}

/*
 * Alignments: the course's competences, each with the level its
 * quizzes can certify under the competence rule (course_claims of
 * 0013: the claimed one, or the highest below it, or no level), then
 * its alignments to reference frameworks (Syllabus, DigComp), each with
 * its framework's title and the public address of the competence on
 * Capacita's page of that framework; set on the achievement ach.
 */
static int
badge_alignments(struct db *db, const char *course, json_t *ach,
    struct fail *f)
{
	enum { C_CODE, C_NAME, C_CERTIFIED, C_FRAMEWORK, C_PATH };
	struct pg_result	*comps;
	struct buf		 url;
	json_t			*align, *al;
	int			 i;

	comps = db_query(db, "SELECT cc.competence, co.name, cc.certified, "
	    "f.title, CASE WHEN f.id = (SELECT min(id) FROM frameworks WHERE "
	    "kind = 'measured') THEN '/competences' ELSE '/frameworks/' || "
	    "f.slug END || '#c-' || cc.competence, 0 AS k, "
	    "cc.competence AS o FROM course_claims cc JOIN competences co "
	    "ON co.code = cc.competence JOIN frameworks f ON f.id = "
	    "co.framework_id WHERE cc.course_id = $1 UNION ALL SELECT a.code, "
	    "n.name, nullif(a.level, ''), f.title, '/frameworks/' || f.slug || "
	    "'#c-' || a.code, 1, lpad(a.position::text, 6, '0') FROM "
	    "course_alignments a JOIN framework_nodes n ON n.framework_id = "
	    "a.framework_id AND n.code = a.code JOIN frameworks f ON f.id = "
	    "a.framework_id WHERE a.course_id = $1 ORDER BY 6, 7", 1, course);
	if (comps == NULL)
		return (db_fail(db, f));
	buf_init(&url, 256);
	align = json_array();
	for (i = 0; i < db_rows(comps); i++) {
		buf_reset(&url);
		buf_printf(&url, "%s%s", settings.base_url,
		    db_value(comps, i, C_PATH));
		al = json_pack("{s:[s], s:s, s:s, s:s, s:s, s:s}", "type",
		    "Alignment", "targetName", db_value(comps, i, C_NAME),
		    "targetUrl", url.data, "targetCode",
		    db_value(comps, i, C_CODE), "targetFramework",
		    db_value(comps, i, C_FRAMEWORK), "targetType",
		    "ceasn:Competency");
		if (!db_isnull(comps, i, C_CERTIFIED))
			json_object_set_new(al, "targetDescription",
			    json_string(db_value(comps, i, C_CERTIFIED)));
		json_array_append_new(align, al);
	}
	db_clear(comps);
	buf_free(&url);
	if (json_array_size(align) > 0)
		json_object_set_new(ach, "alignment", align);
	else
		json_decref(align);
	return (0);
}

/*
 * Evidence: the module versions the learner (user) studied in course,
 * by their SHA-256; NULL with f filled on a database error.
 */
static json_t *
badge_evidence(struct db *db, const char *course, const char *user,
    struct fail *f)
{
	enum { M_SLUG, M_TITLE, M_VERSION, M_SHA256 };
	struct pg_result	*mods;
	struct buf		 url, d;
	json_t			*ev;
	int			 i;

	mods = db_query(db, "SELECT m.slug, v.title, v.version_no, v.sha256 "
	    "FROM course_modules cm JOIN modules m ON m.id = cm.module_id JOIN "
	    "LATERAL (SELECT v.* FROM module_versions v WHERE v.module_id = "
	    "m.id AND (EXISTS (SELECT 1 FROM attempts a WHERE a.version_id = "
	    "v.id AND a.user_id = $2 AND a.passed) OR EXISTS (SELECT 1 FROM "
	    "module_reads r WHERE r.version_id = v.id AND r.user_id = $2 AND "
	    "r.finished_at IS NOT NULL)) ORDER BY v.version_no DESC LIMIT 1) v "
	    "ON true WHERE cm.course_id = $1 ORDER BY cm.position", 2, course,
	    user);
	if (mods == NULL) {
		(void)db_fail(db, f);
		return (NULL);
	}
	buf_init(&url, 256);
	buf_init(&d, 128);
	ev = json_array();
	for (i = 0; i < db_rows(mods); i++) {
		buf_reset(&url);
		buf_printf(&url, "%s/modules/%s?version=%s", settings.base_url,
		    db_value(mods, i, M_SLUG), db_value(mods, i, M_VERSION));
		buf_reset(&d);
		buf_printf(&d, "Versione %s, SHA-256 %s",
		    db_value(mods, i, M_VERSION), db_value(mods, i, M_SHA256));
		json_array_append_new(ev, json_pack("{s:s, s:[s], s:s, s:s, "
		    "s:s}", "id", url.data, "type", "Evidence", "name",
		    db_value(mods, i, M_TITLE), "description", d.data, "genre",
		    "Modulo formativo"));
	}
	db_clear(mods);
	buf_free(&url);
	buf_free(&d);
	return (ev);
}

/* A random free bit in the revocation list: *index, and idx in text. */
static int
badge_status_index(struct db *db, uint32_t *index, char idx[16],
    struct fail *f)
{
	struct pg_result	*used;
	int			 n;

	for (;;) {
		*index = randombytes_uniform(STATUS_LIST_BITS);
		(void)snprintf(idx, 16, "%u", *index);
		if ((used = db_query(db, "SELECT 1 FROM badges WHERE "
		    "status_index = $1::int", 1, idx)) == NULL)
			return (db_fail(db, f));
		n = db_rows(used);
		db_clear(used);
		if (n == 0)
			return (0);
	}
}

/*
 * The unsigned credential: id, the issuer, the dates (now), its name,
 * the subject and evidence (both taken), its bit index in the status
 * list.
 */
static json_t *
badge_document(const char *id, const char *now, const char *name,
    json_t *subject, json_t *ev, uint32_t index, const char *idx)
{
	struct buf	 list, sid, cid;
	json_t		*doc;

	buf_init(&list, 128);
	buf_init(&sid, 128);
	buf_init(&cid, 64);
	buf_printf(&list, "%s/status/1", settings.base_url);
	buf_printf(&sid, "%s#%u", list.data, index);
	buf_printf(&cid, "urn:uuid:%s", id);
	doc = json_pack("{s:[s,s], s:s, s:[s,s], s:{s:s, s:[s], s:s, "
	    "s:s}, s:s, s:s, s:s, s:o, s:o, s:{s:s, s:s, s:s, s:s, "
	    "s:s}}", "@context", VC_CONTEXT, OB_CONTEXT, "id", cid.data,
	    "type", "VerifiableCredential", "OpenBadgeCredential",
	    "issuer", "id", settings.issuer_id, "type", "Profile",
	    "name", settings.issuer_name, "url", settings.issuer_url,
	    "validFrom", now, "awardedDate", now, "name", name,
	    "credentialSubject", subject, "evidence", ev, "credentialStatus",
	    "id", sid.data, "type", "BitstringStatusListEntry",
	    "statusPurpose", "revocation", "statusListIndex", idx,
	    "statusListCredential", list.data);
	buf_free(&list);
	buf_free(&sid);
	buf_free(&cid);
	return (doc);
}

/*
 * The job queued at course completion: issue the learner's badge for
 * the enrolment ref. Idempotent: a badge already issued is kept.
 */
int
job_badge(struct db *db, const char *ref, struct fail *f)
{
	enum { E_ID, E_USER, E_EMAIL, E_COURSE, E_SLUG, E_TITLE, E_LANG,
	    E_HOURS, E_BADGE_NAME, E_BADGE_DESC, E_BADGE_CRITERIA,
	    E_COMPLETED, E_BADGE };
	struct pg_result	*res;
	struct vc_key		 k;
	char			 salt[33], hash[SHA256_HEX_LEN + 1];
	char			 now[32], id[40], idx[16], kid_s[16];
	struct buf		 b;
	json_t			*doc, *subject, *ach, *ev;
	char			*text;
	double			 hours;
	int			 kid;
	uint32_t		 index;

	res = db_query(db, "SELECT e.id, u.id, lower(u.email), c.id, c.slug, "
	    "c.title, c.lang, c.hours, c.badge_name, c.badge_description, "
	    "c.badge_criteria, e.completed_at IS NOT NULL, (SELECT id FROM "
	    "badges WHERE enrolment_id = e.id) FROM enrolments e JOIN users u "
	    "ON u.id = e.user_id JOIN courses c ON c.id = e.course_id WHERE "
	    "e.id = $1::bigint", 1, ref);
	if (res == NULL)
		return (db_fail(db, f));
	if (db_rows(res) != 1 || strcmp(db_value(res, 0, E_COMPLETED),
	    "t") != 0) {
		db_clear(res);
		return (fail_set(f, FAIL_NOTFOUND, NULL, "no completed "
		    "enrolment"));
	}
	if (!db_isnull(res, 0, E_BADGE)) {
		db_clear(res);
		return (0);
	}
	if (badge_key_active(db, &k, &kid, f) == -1) {
		db_clear(res);
		return (-1);
	}

	badge_recipient(db_value(res, 0, E_EMAIL), salt, hash);
	badge_uuid(id);
	vc_datetime_format(time(NULL), now);
	hours = strtod(db_value(res, 0, E_HOURS), NULL);

	buf_init(&b, 256);
	buf_printf(&b, "%s/courses/%s#achievement", settings.base_url,
	    db_value(res, 0, E_SLUG));
	ach = json_pack("{s:s, s:[s], s:s, s:s, s:s, s:{s:s}, s:s, s:f, s:s}",
	    "id", b.data, "type", "Achievement", "achievementType",
	    "CertificateOfCompletion", "name", db_value(res, 0, E_BADGE_NAME),
	    "description", db_value(res, 0, E_BADGE_DESC), "criteria",
	    "narrative", *db_value(res, 0, E_BADGE_CRITERIA) != '\0' ?
	    db_value(res, 0, E_BADGE_CRITERIA) : db_value(res, 0, E_BADGE_DESC),
	    "inLanguage", db_value(res, 0, E_LANG), "creditsAvailable", hours,
	    "fieldOfStudy", "Governance delle migrazioni");
	if (badge_alignments(db, db_value(res, 0, E_COURSE), ach, f) == -1 ||
	    (ev = badge_evidence(db, db_value(res, 0, E_COURSE),
	    db_value(res, 0, E_USER), f)) == NULL) {
		json_decref(ach);
		goto fail;
	}

	subject = json_pack("{s:[s], s:[{s:s, s:b, s:s, s:s, s:s}], s:o, "
	    "s:f}", "type", "AchievementSubject", "identifier", "type",
	    "IdentityObject", "hashed", 1, "identityHash", "", "identityType",
	    "emailAddress", "salt", salt, "achievement", ach, "creditsEarned",
	    hours);
	buf_reset(&b);
	buf_printf(&b, "sha256$%s", hash);
	json_object_set_new(json_array_get(json_object_get(subject,
	    "identifier"), 0), "identityHash", json_string(b.data));

	if (badge_status_index(db, &index, idx, f) == -1) {
		json_decref(subject);
		json_decref(ev);
		goto fail;
	}
	doc = badge_document(id, now, db_value(res, 0, E_BADGE_NAME), subject,
	    ev, index, idx);
	if (badge_sign(doc, &k, now, kid, f) == -1) {
		json_decref(doc);
		goto fail;
	}
	text = json_dumps(doc, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	json_decref(doc);
	(void)snprintf(kid_s, sizeof(kid_s), "%d", kid);
	if (db_exec(db, "INSERT INTO badges (id, enrolment_id, user_id, "
	    "course_id, key_id, status_index, credential) VALUES ($1, $2, $3, "
	    "$4, $5, $6, $7)", 7, id, db_value(res, 0, E_ID),
	    db_value(res, 0, E_USER), db_value(res, 0, E_COURSE), kid_s, idx,
	    text) == -1) {
		(void)db_fail(db, f);
		free(text);
		goto fail;
	}
	free(text);
	if (mail_queue(db, db_value(res, 0, E_USER), "badge", id, f) == -1)
		goto fail;
	sodium_memzero(&k, sizeof(k));
	db_clear(res);
	buf_free(&b);
	return (0);
fail:
	sodium_memzero(&k, sizeof(k));
	db_clear(res);
	buf_free(&b);
	return (-1);
}

/*
 * Revoke a badge with a reason: the flag, the list and the audit row,
 * all or nothing. FAIL_CONFLICT (badge.not_revocable) when there is no
 * such badge or it is revoked already.
 */
int
badge_revoke(struct db *db, const char *badge, long long by,
    const char *actor, const char *reason, const char *ip, struct fail *f)
{
	struct pg_result	*res;
	char			 uid[32];
	int			 rc;

	(void)snprintf(uid, sizeof(uid), "%lld", by);
	if (db_begin(db) == -1)
		return (db_fail(db, f));
	res = db_query(db, "UPDATE badges SET revoked_at = now(), revoked_by = "
	    "$2, revoke_reason = $3 WHERE id = $1 AND revoked_at IS NULL "
	    "RETURNING user_id", 3, badge, by != 0 ? uid : NULL, reason);
	if (res == NULL)
		rc = db_fail(db, f);
	else if (db_rows(res) != 1)
		rc = fail_set(f, FAIL_CONFLICT, "badge.not_revocable",
		    "badge %s", badge);
	else
		rc = mail_queue(db, db_value(res, 0, 0), "revoked", badge, f);
	if (res != NULL)
		db_clear(res);
	if (rc == 0 && badge_status_publish(db, f) == -1)
		rc = -1;
	if (rc == 0 && (audit_append(db, actor, "badge.revoke", badge, reason,
	    ip) == -1 || db_commit(db) == -1))
		rc = db_fail(db, f);
	if (rc == -1)
		db_rollback(db);
	return (rc);
}

/*
 * Our controller document (the issuer's Profile with every key that
 * ever signed), as /issuer serves it: *doc, a new string.
 */
int
badge_issuer_doc(struct db *db, char **doc, struct fail *f)
{
	struct pg_result	*res;
	struct vc_issuer_key	*keys;
	int			 i, n;

	*doc = NULL;
	res = db_query(db, "SELECT id, public_multibase, coalesce(to_char("
	    "retired_at AT TIME ZONE 'UTC', 'YYYY-MM-DD'), '') FROM "
	    "issuer_keys ORDER BY id", 0);
	if (res == NULL)
		return (db_fail(db, f));
	n = db_rows(res);
	keys = xcalloc((size_t)n + 1, sizeof(*keys));
	for (i = 0; i < n; i++) {
		keys[i].id = atoi(db_value(res, i, 0));
		keys[i].public_mb = db_value(res, i, 1);
		keys[i].retired = db_value(res, i, 2);
	}
	*doc = vc_controller_doc(settings.issuer_id, settings.issuer_name,
	    settings.issuer_url, keys, (size_t)n);
	free(keys);
	db_clear(res);
	return (0);
}

/*
 * The server's trust: our own key store for our badges, and the
 * allow-listed origins (trusted_issuers) for other issuers.
 */
int
badge_trust(struct db *db, struct vc_trust *t, struct fail *f)
{
	struct buf	 err;
	char		*doc;
	int		 rc;

	vc_trust_init(t);
	if (badge_issuer_doc(db, &doc, f) == -1)
		return (-1);
	buf_init(&err, 64);
	if ((rc = vc_trust_add(t, doc, strlen(doc), &err)) == -1)
		(void)fail_set(f, FAIL_UNAVAILABLE, "error.500.text", "our "
		    "controller document: %s", err.data);
	buf_free(&err);
	free(doc);
	if (settings.trusted_issuers != NULL) {
		t->fetch = issuer_fetch;
		t->fetch_arg = NULL;
	}
	return (rc);
}

/*
 * Verify a credential (or the one a PDF certificate carries) as the
 * server does: its proofs against our key store (and allow-listed
 * issuers), and its revocation against our own status list.
 */
void
badge_verify(struct db *db, const char *text, size_t len, time_t at,
    struct vc_result *r)
{
	struct pg_result	*res;
	struct vc_trust		 t;
	struct buf		 pdf, err;
	const char		*list;
	size_t			 llen;

	if (badge_trust(db, &t, NULL) == -1) {
		vc_trust_free(&t);
		vc_trust_init(&t);
	}
	res = db_query(db, "SELECT credential FROM status_lists WHERE id = 1",
	    0);
	list = res != NULL && db_rows(res) == 1 ? db_value(res, 0, 0) : NULL;
	llen = list != NULL ? strlen(list) : 0;
	/* A PDF certificate: the credential embedded in it. */
	buf_init(&pdf, 64);
	buf_init(&err, 64);
	if (len >= 5 && memcmp(text, "%PDF-", 5) == 0 &&
	    pdf_attachment(text, len, &pdf, &err) == 0) {
		text = pdf.data;
		len = pdf.len;
	}
	vc_verify(text, len, at, &t, list, llen, r);
	buf_free(&pdf);
	buf_free(&err);
	if (res != NULL)
		db_clear(res);
	vc_trust_free(&t);
}

/*
 * Sign again, with the active key and an https verification method, the
 * badges signed before key provenance (a did:key method): the same
 * credential, a new proof. *n gets how many.
 */
int
badge_reissue(struct db *db, int *n, struct fail *f)
{
	struct pg_result	*res;
	struct vc_key		 k;
	struct buf		 jerr;
	json_t			*doc;
	char			*text, now[32], kid_s[16];
	int			 i, kid, rc;

	*n = 0;
	res = db_query(db, "SELECT id, credential FROM badges WHERE "
	    "credential LIKE '%\"did:key:%' ORDER BY issued_at", 0);
	if (res == NULL)
		return (db_fail(db, f));
	if (db_rows(res) == 0) {
		db_clear(res);
		return (0);
	}
	if (badge_key_active(db, &k, &kid, f) == -1) {
		db_clear(res);
		return (-1);
	}
	buf_init(&jerr, 64);
	vc_datetime_format(time(NULL), now);
	(void)snprintf(kid_s, sizeof(kid_s), "%d", kid);
	rc = 0;
	for (i = 0; i < db_rows(res); i++) {
		doc = jcs_parse(db_value(res, i, 1), strlen(db_value(res, i,
		    1)), &jerr);
		if (!json_is_object(doc)) {
			json_decref(doc);
			continue;
		}
		json_object_del(doc, "proof");
		if ((rc = badge_sign(doc, &k, now, kid, f)) == -1) {
			json_decref(doc);
			break;
		}
		text = json_dumps(doc, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
		json_decref(doc);
		if (db_exec(db, "UPDATE badges SET credential = $2, key_id = "
		    "$3::int WHERE id = $1", 3, db_value(res, i, 0), text,
		    kid_s) == -1) {
			rc = db_fail(db, f);
			free(text);
			break;
		}
		free(text);
		(*n)++;
	}
	sodium_memzero(&k, sizeof(k));
	db_clear(res);
	buf_free(&jerr);
	return (rc);
}

/*
 * One badge as its certificate shows it; FAIL_NOTFOUND
 * (badge.not_found) when there is none. Free with badge_view_free().
 */
int
badge_get(struct db *db, const char *id, struct badge_view *v,
    struct fail *f)
{
	enum { C_CRED, C_LEARNER, C_NAME, C_DATE, C_HOURS, C_COURSE,
	    C_REVOKED, C_REASON, C_RDATE, C_PUBLIC, C_USER, C_PATH };
	struct pg_result	*res;

	memset(v, 0, sizeof(*v));
	res = db_query(db, "SELECT b.credential, u.name, c.badge_name, "
	    "to_char(b.issued_at, 'YYYY-MM-DD'), c.hours, c.title, "
	    "b.revoked_at IS NOT NULL, coalesce(b.revoke_reason, ''), "
	    "coalesce(to_char(b.revoked_at, 'YYYY-MM-DD'), ''), b.public, "
	    "u.id, o.path FROM badges b JOIN users u ON u.id = b.user_id "
	    "JOIN orgs o ON o.id = u.org_id JOIN courses c ON c.id = "
	    "b.course_id WHERE b.id = $1", 1, id);
	if (res == NULL)
		return (db_fail(db, f));
	if (db_rows(res) != 1) {
		db_clear(res);
		return (fail_set(f, FAIL_NOTFOUND, "badge.not_found", NULL));
	}
	v->credential = xstrdup(db_value(res, 0, C_CRED));
	v->learner = xstrdup(db_value(res, 0, C_LEARNER));
	v->name = xstrdup(db_value(res, 0, C_NAME));
	v->date = xstrdup(db_value(res, 0, C_DATE));
	v->hours = strtod(db_value(res, 0, C_HOURS), NULL);
	v->course = xstrdup(db_value(res, 0, C_COURSE));
	v->revoked = strcmp(db_value(res, 0, C_REVOKED), "t") == 0;
	v->reason = xstrdup(db_value(res, 0, C_REASON));
	v->revoked_date = xstrdup(db_value(res, 0, C_RDATE));
	v->public = strcmp(db_value(res, 0, C_PUBLIC), "t") == 0;
	v->user_id = strtoll(db_value(res, 0, C_USER), NULL, 10);
	v->org_path = xstrdup(db_value(res, 0, C_PATH));
	db_clear(res);
	return (0);
}

void
badge_view_free(struct badge_view *v)
{
	free(v->credential);
	free(v->learner);
	free(v->name);
	free(v->date);
	free(v->course);
	free(v->reason);
	free(v->revoked_date);
	free(v->org_path);
	memset(v, 0, sizeof(*v));
}

/*
 * The learner turns the public page of their own badge on or off;
 * FAIL_NOTFOUND (badge.not_found) for a badge that is not theirs.
 */
int
badge_set_public(struct db *db, const char *id, long long uid, int on,
    struct fail *f)
{
	struct pg_result	*res;
	char			 u[32];
	int			 n;

	(void)snprintf(u, sizeof(u), "%lld", uid);
	res = db_query(db, "UPDATE badges SET public = $3 WHERE id = $1 AND "
	    "user_id = $2 RETURNING id", 3, id, u, on ? "t" : "f");
	if (res == NULL)
		return (db_fail(db, f));
	n = db_rows(res);
	db_clear(res);
	if (n != 1)
		return (fail_set(f, FAIL_NOTFOUND, "badge.not_found", NULL));
	return (0);
}

/* The learner's badges, newest first. */
int
badge_list_user(struct db *db, long long uid, struct badge_row **rows,
    int *n, struct fail *f)
{
	enum { C_ID, C_NAME, C_DATE, C_REVOKED, C_REASON, C_RDATE,
	    C_PUBLIC };
	struct pg_result	*res;
	struct badge_row	*r;
	char			 u[32];
	int			 i;

	(void)snprintf(u, sizeof(u), "%lld", uid);
	res = db_query(db, "SELECT b.id, c.badge_name, to_char(b.issued_at, "
	    "'YYYY-MM-DD'), b.revoked_at IS NOT NULL, coalesce("
	    "b.revoke_reason, ''), coalesce(to_char(b.revoked_at, "
	    "'YYYY-MM-DD'), ''), b.public FROM badges b JOIN courses c ON "
	    "c.id = b.course_id WHERE b.user_id = $1 ORDER BY b.issued_at "
	    "DESC", 1, u);
	if (res == NULL)
		return (db_fail(db, f));
	*n = db_rows(res);
	*rows = r = xcalloc((size_t)*n + 1, sizeof(*r));
	for (i = 0; i < *n; i++) {
		xstrlcpy(r[i].id, db_value(res, i, C_ID), sizeof(r[i].id));
		r[i].name = xstrdup(db_value(res, i, C_NAME));
		xstrlcpy(r[i].date, db_value(res, i, C_DATE),
		    sizeof(r[i].date));
		r[i].revoked = strcmp(db_value(res, i, C_REVOKED), "t") == 0;
		r[i].reason = xstrdup(db_value(res, i, C_REASON));
		xstrlcpy(r[i].revoked_date, db_value(res, i, C_RDATE),
		    sizeof(r[i].revoked_date));
		r[i].public = strcmp(db_value(res, i, C_PUBLIC), "t") == 0;
	}
	db_clear(res);
	return (0);
}

void
badge_rows_free(struct badge_row *rows, int n)
{
	int	i;

	for (i = 0; i < n; i++) {
		free(rows[i].name);
		free(rows[i].reason);
	}
	free(rows);
}

/* /status/1's signed revocation list (*cred to free). 0 or -1. */
int
badge_status_credential(struct db *db, char **cred, struct fail *f)
{
	struct pg_result	*res;

	*cred = NULL;
	if ((res = db_query(db, "SELECT credential FROM status_lists WHERE "
	    "id = 1", 0)) == NULL)
		return (db_fail(db, f));
	if (db_rows(res) == 1)
		*cred = xstrdup(db_value(res, 0, 0));
	db_clear(res);
	if (*cred == NULL)
		return (fail_set(f, FAIL_NOTFOUND, "error.404.text",
		    "no status list"));
	return (0);
}

/*
 * The issuer's list: the newest 500 badges of people under scope (an
 * org path). Rows point into res; badge_issuer_list_free() clears it.
 */
enum { IB_ID, IB_LEARNER, IB_NAME, IB_DATE, IB_REVOKED, IB_REASON };

int
badge_issuer_list(struct db *db, const char *scope, struct issuer_badges *out,
    struct fail *f)
{
	struct issuer_badge	*b;
	struct pg_result	*res;
	size_t			 i;

	memset(out, 0, sizeof(*out));
	if ((out->rows = store_rows(db, &out->res, &out->n,
	    sizeof(*out->rows), f, "SELECT b.id, u.name, "
	    "c.badge_name, to_char(b.issued_at, 'YYYY-MM-DD'), b.revoked_at "
	    "IS NOT NULL, coalesce(b.revoke_reason, '') FROM badges b JOIN "
	    "users u ON u.id = b.user_id JOIN orgs o ON o.id = u.org_id JOIN "
	    "courses c ON c.id = b.course_id WHERE o.path LIKE $1 || '%' "
	    "ORDER BY b.issued_at DESC LIMIT 500", 1, scope)) == NULL)
		return (-1);
	res = out->res;
	for (i = 0; i < out->n; i++) {
		b = &out->rows[i];
		b->id = db_value(res, (int)i, IB_ID);
		b->learner = db_value(res, (int)i, IB_LEARNER);
		b->name = db_value(res, (int)i, IB_NAME);
		b->date = db_value(res, (int)i, IB_DATE);
		b->revoked = strcmp(db_value(res, (int)i, IB_REVOKED), "t") == 0;
		b->reason = db_value(res, (int)i, IB_REASON);
	}
	return (0);
}

void
badge_issuer_list_free(struct issuer_badges *l)
{
	rows_release(l->res, l->rows);
	memset(l, 0, sizeof(*l));
}

/*
 * An issuer revokes a badge of someone under scope: FAIL_NOTFOUND
 * (badge.not_found) outside it, FAIL_CONFLICT when it cannot be revoked
 * (badge.not_revocable: already revoked) or the revocation did not go
 * through (rolled back whole by badge_revoke()).
 */
int
badge_revoke_in(struct db *db, const char *badge, const char *scope,
    long long actor_id, const char *actor, const char *reason,
    const char *ip, struct fail *f)
{
	struct pg_result	*res;
	int			 n;

	if ((res = db_query(db, "SELECT 1 FROM badges b JOIN users u ON u.id "
	    "= b.user_id JOIN orgs o ON o.id = u.org_id WHERE b.id = $1 AND "
	    "o.path LIKE $2 || '%'", 2, badge, scope)) == NULL)
		return (db_fail(db, f));
	n = db_rows(res);
	db_clear(res);
	if (n != 1)
		return (fail_set(f, FAIL_NOTFOUND, "badge.not_found",
		    "badge %s not under %s", badge, scope));
	return (badge_revoke(db, badge, actor_id, actor, reason, ip, f));
}
