/*
 * xapi.c: learning records as xAPI statements, in the form of xAPI 2.0
 * (IEEE 9274.1.1) or of xAPI 1.0.3, which most stores in use speak.
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
 *    grouping activities), timestamp in UTC with milliseconds, version:
 *    "2.0.0" in the 2.0 form; in the 1.0.3 form "1.0.0", as xAPI 1.0.3
 *    requires of a Learning Record Provider that sets it (Data, 2.4.10:
 *    "If Learning Record Providers set the Statement version, they MUST
 *    set it to 1.0.0");
 *  - a question's activity definition has its interaction components
 *    (xAPI Data, 2.4.4.1): the choices of a choice or sequencing
 *    question and, where the policy of the caller allows it, the
 *    correctResponsesPattern. A choice's id is the option's position;
 *    a sequencing item's id is keyed (xapi_choice_id()), and the items
 *    are listed in the order of their ids, since positions 1..n are the
 *    right order and would give the answer away;
 *  - id: a UUID derived from the row's key with the same secret, so that
 *    the same record always gets the same statement id (an LRS sees a
 *    second export as the same statements), formatted as a version 4
 *    UUID of variant RFC 4122 (an HMAC output is indistinguishable from
 *    random bits without the key).
 */

#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

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
		    const char *, const char *, const char *, const char *,
		    const struct xapi_row *, const char *);
static const char *activity_type(const char *);
static void	put_components(struct buf *, const struct xapi_row *,
		    const char *, const char *);
static int	choice_cmp(const void *, const void *);

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
 * A time given to "since" (ISO 8601, or a date for its midnight UTC) as
 * UTC with milliseconds, the form of a statement's timestamp, so that
 * "since the last timestamp seen" compares with what was seen: digits
 * beyond the milliseconds are cut, as xapi_rows() cuts its times. -1
 * when it is not a time.
 */
int
xapi_time(const char *in, char out[32])
{
	struct tm	 tm;
	char		 full[40], ms[4], ymd[40];
	const char	*p;
	time_t		 t;
	size_t		 i;

	if (strlen(in) == 10) {
		(void)snprintf(full, sizeof(full), "%sT00:00:00Z", in);
		in = full;
	}
	if (vc_datetime(in, &t) == -1)
		return (-1);
	memcpy(ms, "000", 4);
	p = in + 19;
	if (*p == '.') {
		for (i = 0; i < 3 && isdigit((unsigned char)p[1 + i]); i++)
			ms[i] = p[1 + i];
	}
	if (gmtime_r(&t, &tm) == NULL || tm.tm_year + 1900 > 9999 ||
	    tm.tm_year + 1900 < 0)
		return (-1);
	(void)strftime(ymd, sizeof(ymd), "%Y-%m-%dT%H:%M:%S", &tm);
	(void)snprintf(out, 32, "%.19s.%sZ", ymd, ms);
	return (0);
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
    const char *interaction, const struct xapi_row *r, const char *secret)
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
		if (r != NULL && r->question != NULL)
			put_components(b, r, lang, secret);
	}
	buf_puts(b, "}}");
	buf_free(&iri);
}

/*
 * The id of item pos (1-based) of sequencing question qid: "s" and 8
 * hex digits of HMAC-SHA256(secret, "choice:<qid>:<pos>"), stable, and
 * telling nothing of the item's place in the right order.
 */
void
xapi_choice_id(const char *secret, long long qid, size_t pos, char out[16])
{
	unsigned char	mac[32];
	char		msg[64], hex[9];

	(void)snprintf(msg, sizeof(msg), "choice:%lld:%zu", qid, pos);
	hmac(secret, msg, mac);
	sodium_bin2hex(hex, sizeof(hex), mac, 4);
	(void)snprintf(out, 16, "s%s", hex);
}

struct choice {
	char		 id[24];
	const char	*text;
};

static int
choice_cmp(const void *a, const void *b)
{
	return (strcmp(((const struct choice *)a)->id,
	    ((const struct choice *)b)->id));
}

/*
 * The interaction components of a question (xAPI Data 2.4.4.1): choices
 * for choice and sequencing questions; correctResponsesPattern when the
 * row allows it (r->answers).
 */
static void
put_components(struct buf *b, const struct xapi_row *r, const char *lang,
    const char *secret)
{
	const struct xapi_question	*q = r->question;
	struct choice			*cs;
	size_t				 i, n;
	const char			*sep;

	if (q->type == QUIZ_SINGLE || q->type == QUIZ_MULTIPLE ||
	    q->type == QUIZ_ORDER) {
		cs = xcalloc(q->nopts + 1, sizeof(*cs));
		for (i = 0; i < q->nopts; i++) {
			if (q->type == QUIZ_ORDER)
				xapi_choice_id(secret, q->id, i + 1, cs[i].id);
			else
				(void)snprintf(cs[i].id, sizeof(cs[i].id),
				    "%zu", i + 1);
			cs[i].text = q->texts[i];
		}
		if (q->type == QUIZ_ORDER)
			qsort(cs, q->nopts, sizeof(*cs), choice_cmp);
		buf_puts(b, ",\"choices\":[");
		for (i = 0; i < q->nopts; i++) {
			buf_printf(b, "%s{\"id\":\"%s\",\"description\":{",
			    i > 0 ? "," : "", cs[i].id);
			json_quote(b, lang != NULL && *lang != '\0' ? lang :
			    "it");
			buf_putc(b, ':');
			json_quote(b, cs[i].text);
			buf_puts(b, "}}");
		}
		buf_putc(b, ']');
		free(cs);
	}
	if (!r->answers)
		return;
	buf_puts(b, ",\"correctResponsesPattern\":[");
	switch (q->type) {
	case QUIZ_SINGLE:
	case QUIZ_MULTIPLE:
		buf_putc(b, '"');
		sep = "";
		for (i = 0; i < q->nopts; i++) {
			if (!q->correct[i])
				continue;
			buf_printf(b, "%s%zu", sep, i + 1);
			sep = "[,]";
		}
		buf_putc(b, '"');
		break;
	case QUIZ_ORDER:
		buf_putc(b, '"');
		for (i = 0; i < q->nopts; i++) {
			char	id[16];

			xapi_choice_id(secret, q->id, i + 1, id);
			buf_printf(b, "%s%s", i > 0 ? "[,]" : "", id);
		}
		buf_putc(b, '"');
		break;
	case QUIZ_TRUEFALSE:
		buf_printf(b, "\"%s\"", q->truth ? "true" : "false");
		break;
	case QUIZ_NUMERIC:
		buf_putc(b, '"');
		if (q->tolerance > 0) {
			put_number(b, q->number - q->tolerance);
			buf_puts(b, "[:]");
			put_number(b, q->number + q->tolerance);
		} else
			put_number(b, q->number);
		buf_putc(b, '"');
		break;
	case QUIZ_SHORT:
		/* Each accepted answer is a right response, in any case. */
		for (i = n = 0; i < q->nopts; i++) {
			struct buf	t;

			buf_init(&t, 64);
			buf_printf(&t, "{case_matters=false}%s", q->texts[i]);
			if (n++ > 0)
				buf_putc(b, ',');
			json_quote(b, t.data);
			buf_free(&t);
		}
		break;
	default:
		break;
	}
	buf_putc(b, ']');
}

/*
 * A learner's answer as an xAPI response (xAPI Data 2.4.4.1, the
 * response formats): the ids of the choices picked, "[,]" apart; the
 * items of a sequencing question in the order given; true or false; a
 * number. 0 and the response in out, -1 when there is none to give (a
 * short answer is free text, and may say more than it should).
 */
int
xapi_response(const struct xapi_question *q, const char *answer,
    const char *secret, struct buf *out)
{
	char		*copy, *tok, *save, id[24];
	double		 d;
	long long	 pos;
	int		 n;

	if (answer == NULL)
		return (-1);
	switch (q != NULL ? q->type : -1) {
	case QUIZ_SINGLE:
	case QUIZ_MULTIPLE:
	case QUIZ_ORDER:
		copy = xstrdup(answer);
		n = 0;
		for (tok = strtok_r(copy, ",", &save); tok != NULL;
		    tok = strtok_r(NULL, ",", &save)) {
			if (parse_int(tok, 1, (long long)q->nopts, &pos) != 0)
				continue;
			if (q->type == QUIZ_ORDER)
				xapi_choice_id(secret, q->id, (size_t)pos, id);
			else
				(void)snprintf(id, sizeof(id), "%lld", pos);
			buf_printf(out, "%s%s", n++ > 0 ? "[,]" : "", id);
		}
		free(copy);
		return (0);
	case QUIZ_TRUEFALSE:
		buf_puts(out, strcmp(answer, "true") == 0 ? "true" : "false");
		return (0);
	case QUIZ_NUMERIC:
		if (quiz_parse_number(answer, &d) != 0)
			return (-1);
		put_number(out, d);
		return (0);
	default:
		return (-1);
	}
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
    const char *secret, const char *version)
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
	    r->lang, r->interaction, r, secret);

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
			    r->parent_name, r->lang, NULL, NULL, secret);
			buf_putc(b, ']');
			sep = ",";
		}
		if (r->grouping_path != NULL) {
			buf_printf(b, "%s\"grouping\":[", sep);
			put_activity(b, base, "course", r->grouping_path,
			    r->grouping_name, r->lang, NULL, NULL, secret);
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
	buf_printf(b, ",\"version\":\"%s\"}", version != NULL &&
	    strcmp(version, XAPI_VERSION_1) == 0 ? "1.0.0" : XAPI_VERSION);
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
