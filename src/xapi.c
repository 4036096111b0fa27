/*
 * xapi.c: learning records as xAPI 2.0 statements (IEEE 9274.1.1).
 *
 * One row of the store (store-impact.c: a module opened or read, a quiz
 * attempt started or submitted, an answer, a course completed, a pre- or
 * post-test) becomes one statement:
 *
 *  - actor: an Agent identified by an account on this platform whose
 *    name is a pseudonym, HMAC-SHA256(secret, "user:" id) in hex: stable,
 *    not the e-mail, not reversible without the server's secret;
 *  - verb: an ADL verb IRI (launched, completed, passed, failed,
 *    answered) with its display in English and Italian;
 *  - object: an Activity whose IRI is under base_url (courses/SLUG,
 *    modules/SLUG, modules/SLUG/quiz, questions/ID,
 *    courses/SLUG/assessment/FORM);
 *  - result, context (registration, platform, language, parent and
 *    grouping activities), timestamp in UTC with milliseconds, version;
 *  - id: a UUID derived from the row's key with the same secret, so that
 *    the same record always gets the same statement id (an LRS sees a
 *    second export as the same statements), formatted as a version 4
 *    UUID of variant RFC 4122 (an HMAC output is indistinguishable from
 *    random bits without the key).
 */

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "capacita.h"

static const struct {
	const char	*verb;
	const char	*en;
	const char	*it;
} verbs[] = {
	{ "launched", "launched", "avviato" },
	{ "completed", "completed", "completato" },
	{ "passed", "passed", "superato" },
	{ "failed", "failed", "non superato" },
	{ "answered", "answered", "risposto" },
};

static const struct {
	const char	*kind;
	const char	*iri;
} activity_types[] = {
	{ "course", "http://adlnet.gov/expapi/activities/course" },
	{ "module", "http://adlnet.gov/expapi/activities/module" },
	{ "quiz", "http://adlnet.gov/expapi/activities/assessment" },
	{ "assessment", "http://adlnet.gov/expapi/activities/assessment" },
	{ "question", "http://adlnet.gov/expapi/activities/cmi.interaction" },
};

static void	hmac(const char *, const char *, unsigned char [32]);
static void	put_number(struct buf *, double);
static void	put_base(struct buf *, const char *);
static void	put_activity(struct buf *, const char *, const char *,
		    const char *, const char *, const char *, const char *);
static const char *activity_type(const char *);

static void
hmac(const char *secret, const char *msg, unsigned char out[32])
{
	crypto_auth_hmacsha256_state	st;

	crypto_auth_hmacsha256_init(&st, (const unsigned char *)secret,
	    strlen(secret));
	crypto_auth_hmacsha256_update(&st, (const unsigned char *)msg,
	    strlen(msg));
	crypto_auth_hmacsha256_final(&st, out);
}

/* The actor's account name: HMAC-SHA256(secret, "user:<id>"), hex. */
void
xapi_pseudonym(const char *secret, long long user, char out[65])
{
	unsigned char	mac[32];
	char		msg[64];

	(void)snprintf(msg, sizeof(msg), "user:%lld", user);
	hmac(secret, msg, mac);
	sodium_bin2hex(out, 65, mac, sizeof(mac));
}

/*
 * A UUID named by a string: the first 16 bytes of
 * HMAC-SHA256(secret, "uuid:" name), with the version (4) and variant
 * (10xx) bits set, in the standard 8-4-4-4-12 form.
 */
void
xapi_uuid(const char *secret, const char *name, char out[37])
{
	unsigned char	 mac[32];
	char		 hex[33];
	char		*msg;

	(void)xasprintf(&msg, "uuid:%s", name);
	hmac(secret, msg, mac);
	free(msg);
	mac[6] = (mac[6] & 0x0f) | 0x40;
	mac[8] = (mac[8] & 0x3f) | 0x80;
	sodium_bin2hex(hex, sizeof(hex), mac, 16);
	(void)snprintf(out, 37, "%.8s-%.4s-%.4s-%.4s-%.12s", hex, hex + 8,
	    hex + 12, hex + 16, hex + 20);
}

/*
 * The verb percent-encoded: the IRI is ASCII, so cut to fit out it is
 * still valid UTF-8 (snprintf cut a multibyte character in two, and the
 * statement was no longer JSON: fuzz-xapi, crash-f4db8c88).
 */
const char *
xapi_verb_iri(const char *verb, char *out, size_t len)
{
	struct buf	b;

	buf_init(&b, 64);
	buf_puts(&b, "http://adlnet.gov/expapi/verbs/");
	url_encode(&b, verb);
	xstrlcpy(out, b.data, len);
	buf_free(&b);
	return (out);
}

int
xapi_verb_known(const char *verb)
{
	size_t	i;

	for (i = 0; i < sizeof(verbs) / sizeof(verbs[0]); i++) {
		if (strcmp(verbs[i].verb, verb) == 0)
			return (1);
	}
	return (0);
}

static const char *
activity_type(const char *kind)
{
	size_t	i;

	for (i = 0; i < sizeof(activity_types) / sizeof(activity_types[0]);
	    i++) {
		if (strcmp(activity_types[i].kind, kind) == 0)
			return (activity_types[i].iri);
	}
	return (NULL);
}

/*
 * An ISO 8601 duration (PnDTnHnMnS without the empty parts), the form
 * xAPI requires; "PT0S" for zero.
 */
void
xapi_duration(long long seconds, char *out, size_t len)
{
	struct buf	b;
	long long	h, m, s;

	if (seconds < 0)
		seconds = 0;
	h = seconds / 3600;
	m = seconds % 3600 / 60;
	s = seconds % 60;
	buf_init(&b, 32);
	buf_puts(&b, "PT");
	if (h > 0)
		buf_printf(&b, "%lldH", h);
	if (m > 0)
		buf_printf(&b, "%lldM", m);
	if (s > 0 || (h == 0 && m == 0))
		buf_printf(&b, "%lldS", s);
	xstrlcpy(out, b.data, len);
	buf_free(&b);
}

/* A JSON number: integers as such, others with up to 6 decimals. */
static void
put_number(struct buf *b, double v)
{
	char	tmp[64];
	size_t	n;

	if (!isfinite(v))
		v = 0;
	if (v == floor(v) && fabs(v) < 1e15) {
		buf_printf(b, "%.0f", v);
		return;
	}
	(void)snprintf(tmp, sizeof(tmp), "%.6f", v);
	n = strlen(tmp);
	while (n > 0 && tmp[n - 1] == '0')
		tmp[--n] = '\0';
	if (n > 0 && tmp[n - 1] == '.')
		tmp[--n] = '\0';
	buf_puts(b, tmp);
}

/* base_url without a trailing slash. */
static void
put_base(struct buf *b, const char *base)
{
	size_t	n;

	n = strlen(base);
	while (n > 0 && base[n - 1] == '/')
		n--;
	buf_append(b, base, n);
}

/* An Activity object: id, definition with name, type and interaction. */
static void
put_activity(struct buf *b, const char *base, const char *kind,
    const char *path, const char *name, const char *lang,
    const char *interaction)
{
	struct buf	iri;
	const char	*type;

	buf_init(&iri, 128);
	put_base(&iri, base);
	buf_putc(&iri, '/');
	buf_puts(&iri, path);
	buf_puts(b, "{\"objectType\":\"Activity\",\"id\":");
	json_quote(b, iri.data);
	buf_puts(b, ",\"definition\":{");
	if (name != NULL && *name != '\0') {
		buf_puts(b, "\"name\":{");
		json_quote(b, lang != NULL && *lang != '\0' ? lang : "it");
		buf_putc(b, ':');
		json_quote(b, name);
		buf_puts(b, "},");
	}
	type = activity_type(kind);
	buf_puts(b, "\"type\":");
	json_quote(b, type != NULL ? type :
	    "http://adlnet.gov/expapi/activities/objective");
	if (interaction != NULL && *interaction != '\0') {
		buf_puts(b, ",\"interactionType\":");
		json_quote(b, interaction);
	}
	buf_puts(b, "}}");
	buf_free(&iri);
}

/* The xAPI interaction type of a quiz question type. */
const char *
xapi_interaction(const char *quiz_type)
{
	if (strcmp(quiz_type, "single") == 0 ||
	    strcmp(quiz_type, "multiple") == 0)
		return ("choice");
	if (strcmp(quiz_type, "truefalse") == 0)
		return ("true-false");
	if (strcmp(quiz_type, "numeric") == 0)
		return ("numeric");
	if (strcmp(quiz_type, "short") == 0)
		return ("fill-in");
	if (strcmp(quiz_type, "order") == 0)
		return ("sequencing");
	return ("other");
}

/*
 * One statement as JSON. The caller separates statements (an array, or
 * the "statements" member of a StatementResult).
 */
void
xapi_statement(struct buf *b, const struct xapi_row *r, const char *base,
    const char *secret)
{
	struct buf	 name, ext;
	const char	*en = r->verb, *it = r->verb;
	char		 id[37], reg[37], pseud[65], verb[96], dur[48];
	size_t		 i;

	for (i = 0; i < sizeof(verbs) / sizeof(verbs[0]); i++) {
		if (strcmp(verbs[i].verb, r->verb) == 0) {
			en = verbs[i].en;
			it = verbs[i].it;
		}
	}
	buf_init(&name, 64);
	buf_printf(&name, "statement:%s", r->key);
	xapi_uuid(secret, name.data, id);
	xapi_pseudonym(secret, r->user_id, pseud);

	buf_puts(b, "{\"id\":\"");
	buf_puts(b, id);
	buf_puts(b, "\",\"actor\":{\"objectType\":\"Agent\",\"account\":"
	    "{\"homePage\":");
	buf_reset(&name);
	put_base(&name, base);
	json_quote(b, name.data);
	buf_puts(b, ",\"name\":\"");
	buf_puts(b, pseud);
	buf_puts(b, "\"}},\"verb\":{\"id\":");
	json_quote(b, xapi_verb_iri(r->verb, verb, sizeof(verb)));
	buf_puts(b, ",\"display\":{\"en-US\":");
	json_quote(b, en);
	buf_puts(b, ",\"it\":");
	json_quote(b, it);
	buf_puts(b, "}},\"object\":");
	put_activity(b, base, r->object_type, r->object_path, r->object_name,
	    r->lang, r->interaction);

	/* The result, when there is something to say. */
	if (r->has_score || r->success >= 0 || r->completion >= 0 ||
	    r->response != NULL || r->duration >= 0) {
		const char	*sep = "";

		buf_puts(b, ",\"result\":{");
		if (r->has_score) {
			buf_puts(b, "\"score\":{\"scaled\":");
			put_number(b, r->max > 0 ? r->raw / r->max : 0);
			buf_puts(b, ",\"raw\":");
			put_number(b, r->raw);
			buf_puts(b, ",\"min\":0,\"max\":");
			put_number(b, r->max > 0 ? r->max : 1);
			buf_putc(b, '}');
			sep = ",";
		}
		if (r->success >= 0) {
			buf_printf(b, "%s\"success\":%s", sep, r->success ?
			    "true" : "false");
			sep = ",";
		}
		if (r->completion >= 0) {
			buf_printf(b, "%s\"completion\":%s", sep,
			    r->completion ? "true" : "false");
			sep = ",";
		}
		if (r->response != NULL) {
			buf_printf(b, "%s\"response\":", sep);
			json_quote(b, r->response);
			sep = ",";
		}
		if (r->duration >= 0) {
			xapi_duration(r->duration, dur, sizeof(dur));
			buf_printf(b, "%s\"duration\":\"%s\"", sep, dur);
		}
		buf_putc(b, '}');
	}

	/* The context: registration, platform, parent and grouping. */
	buf_puts(b, ",\"context\":{");
	if (r->registration != NULL && *r->registration != '\0') {
		buf_reset(&name);
		buf_printf(&name, "registration:%s", r->registration);
		xapi_uuid(secret, name.data, reg);
		buf_printf(b, "\"registration\":\"%s\",", reg);
	}
	buf_puts(b, "\"platform\":\"Capacita\"");
	if (r->lang != NULL && *r->lang != '\0') {
		buf_puts(b, ",\"language\":");
		json_quote(b, r->lang);
	}
	if (r->revision != NULL && *r->revision != '\0') {
		buf_puts(b, ",\"revision\":");
		json_quote(b, r->revision);
	}
	if (r->parent_path != NULL || r->grouping_path != NULL) {
		const char	*sep = "";

		buf_puts(b, ",\"contextActivities\":{");
		if (r->parent_path != NULL) {
			buf_puts(b, "\"parent\":[");
			put_activity(b, base, r->parent_type, r->parent_path,
			    r->parent_name, r->lang, NULL);
			buf_putc(b, ']');
			sep = ",";
		}
		if (r->grouping_path != NULL) {
			buf_printf(b, "%s\"grouping\":[", sep);
			put_activity(b, base, "course", r->grouping_path,
			    r->grouping_name, r->lang, NULL);
			buf_putc(b, ']');
		}
		buf_putc(b, '}');
	}
	if (r->phase != NULL && *r->phase != '\0') {
		buf_init(&ext, 128);
		put_base(&ext, base);
		buf_puts(&ext, "/xapi/extensions/assessment-phase");
		buf_puts(b, ",\"extensions\":{");
		json_quote(b, ext.data);
		buf_putc(b, ':');
		json_quote(b, r->phase);
		buf_putc(b, '}');
		buf_free(&ext);
	}
	buf_puts(b, "},\"timestamp\":");
	json_quote(b, r->timestamp);
	buf_puts(b, ",\"version\":\"" XAPI_VERSION "\"}");
	buf_free(&name);
}

/*
 * A paging cursor of /api/xapi/statements as the previous page gave it:
 * the time in microseconds (a bigint) and the record's key.
 */
int
xapi_cursor_valid(const char *cursor)
{
	const char	*dot;
	char		 us[24];
	long long	 v;
	size_t		 len;

	if ((dot = strchr(cursor, '.')) == NULL)
		return (0);
	len = (size_t)(dot - cursor);
	if (len == 0 || len >= sizeof(us) || dot[1] == '\0' ||
	    strlen(dot + 1) > 120 || strspn(dot + 1, "abcdefghijklmnopqrstuvwxyz"
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-") != strlen(dot + 1))
		return (0);
	memcpy(us, cursor, len);
	us[len] = '\0';
	return (strspn(us, "0123456789") == len &&
	    parse_int(us, 0, INT64_MAX, &v) == 0);
}
