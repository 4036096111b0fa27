/*
 * page-badge.c: Open Badges 3.0 on the web: the learner's badges, the
 * printable certificate with its QR code, the download, public
 * verification (/verify and POST /api/verify), the issuer's controller
 * document (/issuer) and revocation list (/status/1), and revocation by
 * the issuer role.
 */

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "web.h"

#define VERIFY_MAX	(256 * 1024)

static int	verify_page(struct web *, int, const char *, struct vc_result *,
		    const char *);
static void	reasons_list(struct web *, struct buf *, struct vc_result *);

int
page_badges(struct http_request *req)
{
	struct pg_result	*res;
	struct web		 w;
	struct buf		 main, rows;
	char			 uid[32];
	int			 i, n;

	if (web_begin(&w, req) == -1)
		return (KORE_RESULT_OK);
	(void)snprintf(uid, sizeof(uid), "%lld", w.user->id);
	res = db_query(&w.db, "SELECT b.id, c.badge_name, to_char(b.issued_at, "
	    "'YYYY-MM-DD'), b.revoked_at IS NOT NULL FROM badges b JOIN courses "
	    "c ON c.id = b.course_id WHERE b.user_id = $1 ORDER BY b.issued_at "
	    "DESC", 1, uid);
	if (res == NULL)
		return (web_db_error(&w));
	buf_init(&main, 4096);
	buf_init(&rows, 4096);
	n = db_rows(res);
	for (i = 0; i < n; i++) {
		struct tmpl_arg args[] = {
			T_TEXT("id", db_value(res, i, 0)),
			T_TEXT("name", db_value(res, i, 1)),
			T_TEXT("date", web_date(&w, db_value(res, i, 2))),
			T_TEXT("state", i18n_get(w.lang, strcmp(db_value(res,
			    i, 3), "t") == 0 ? "badge.revoked" :
			    "badge.valid")),
		};

		(void)web_render(&w, &rows, "badge-row", args, T_NARGS(args));
	}
	db_clear(res);
	{
		struct tmpl_arg args[] = {
			T_RAW("rows", rows.data),
			T_TEXT("empty", n == 0 ? i18n_get(w.lang,
			    "badge.none") : ""),
		};

		(void)web_render(&w, &main, "badges", args, T_NARGS(args));
	}
	(void)web_page(&w, 200, i18n_get(w.lang, "badge.title"), main.data);
	buf_free(&main);
	buf_free(&rows);
	return (KORE_RESULT_OK);
}

/*
 * The certificate, or (when the path ends in .json) the credential
 * itself. The owner sees their badges; issuers and administrators all.
 */
int
page_badge(struct http_request *req)
{
	struct pg_result	*res;
	struct web		 w;
	struct buf		 main, qr, url, comps;
	json_t			*doc, *al;
	const char		*tail;
	char			 id[40], uid[32], disp[96];
	int			 json, staff;
	size_t			 i;

	if (web_begin(&w, req) == -1)
		return (KORE_RESULT_OK);
	tail = web_path_tail(req, "/badges/");
	json = str_has_suffix(tail, ".json");
	xstrlcpy(id, tail, sizeof(id));
	if (json)
		id[36] = '\0';
	(void)snprintf(uid, sizeof(uid), "%lld", w.user->id);
	staff = web_has_role(&w, ROLE_ISSUER | ROLE_ADMIN);
	res = db_query(&w.db, "SELECT b.credential, u.name, c.badge_name, "
	    "to_char(b.issued_at, 'YYYY-MM-DD'), c.hours, c.title, "
	    "b.revoked_at IS NOT NULL, coalesce(b.revoke_reason, ''), "
	    "to_char(b.revoked_at, 'YYYY-MM-DD') FROM badges b JOIN users u ON "
	    "u.id = b.user_id JOIN courses c ON c.id = b.course_id WHERE b.id = "
	    "$1 AND (b.user_id = $2 OR $3)", 3, id, uid, staff ? "t" : "f");
	if (res == NULL)
		return (web_db_error(&w));
	if (db_rows(res) != 1) {
		db_clear(res);
		return (web_error(&w, 404, "badge.not_found"));
	}
	if (json) {
		(void)snprintf(disp, sizeof(disp),
		    "attachment; filename=\"badge-%s.json\"", id);
		web_headers(req);
		http_response_header(req, "content-type",
		    "application/vc+ld+json; charset=utf-8");
		http_response_header(req, "content-disposition", disp);
		http_response_header(req, "cache-control", "no-store");
		http_response(req, 200, db_value(res, 0, 0),
		    strlen(db_value(res, 0, 0)));
		db_clear(res);
		web_end(&w);
		return (KORE_RESULT_OK);
	}

	buf_init(&main, 8192);
	buf_init(&qr, 8192);
	buf_init(&url, 128);
	buf_init(&comps, 1024);
	buf_printf(&url, "%s/verify?id=%s", settings.base_url, id);
	(void)qr_svg(&qr, url.data, i18n_get(w.lang, "badge.qr"));
	doc = jcs_parse(db_value(res, 0, 0), strlen(db_value(res, 0, 0)),
	    NULL);
	al = json_object_get(json_object_get(json_object_get(doc,
	    "credentialSubject"), "achievement"), "alignment");
	for (i = 0; i < json_array_size(al); i++) {
		json_t	*a = json_array_get(al, i);
		struct tmpl_arg args[] = {
			T_TEXT("code", json_string_value(json_object_get(a,
			    "targetCode")) ? json_string_value(json_object_get(
			    a, "targetCode")) : ""),
			T_TEXT("name", json_string_value(json_object_get(a,
			    "targetName")) ? json_string_value(json_object_get(
			    a, "targetName")) : ""),
			T_TEXT("level", json_string_value(json_object_get(a,
			    "targetDescription")) ? json_string_value(
			    json_object_get(a, "targetDescription")) : ""),
		};

		(void)web_render(&w, &comps, "badge-competence", args,
		    T_NARGS(args));
	}
	{
		char	hours[32];

		web_fmt_hours(&w, hours, sizeof(hours),
		    strtod(db_value(res, 0, 4), NULL));
		{
			struct tmpl_arg args[] = {
				T_TEXT("id", id),
				T_TEXT("learner", db_value(res, 0, 1)),
				T_TEXT("name", db_value(res, 0, 2)),
				T_TEXT("date", web_date(&w, db_value(res, 0,
				    3))),
				T_TEXT("hours", hours),
				T_TEXT("course", db_value(res, 0, 5)),
				T_TEXT("issuer", settings.issuer_name),
				T_TEXT("url", url.data),
				T_TEXT("state", i18n_get(w.lang,
				    strcmp(db_value(res, 0, 6), "t") == 0 ?
				    "badge.revoked" : "badge.valid")),
				T_RAW("qr", qr.data),
				T_RAW("competences", comps.data),
			};

			(void)web_render(&w, &main, "badge", args,
			    T_NARGS(args));
		}
	}
	json_decref(doc);
	db_clear(res);
	(void)web_page(&w, 200, i18n_get(w.lang, "badge.certificate"),
	    main.data);
	buf_free(&main);
	buf_free(&qr);
	buf_free(&url);
	buf_free(&comps);
	return (KORE_RESULT_OK);
}

/* The reasons of a failed verification, each in plain words. */
static void
reasons_list(struct web *w, struct buf *out, struct vc_result *r)
{
	static const struct {
		int		 flag;
		const char	*key;
	} words[] = {
		{ VC_BAD_SIGNATURE, "verify.bad_signature" },
		{ VC_CONTEXT_BAD, "verify.context" },
		{ VC_UNKNOWN_KEY, "verify.unknown_key" },
		{ VC_NOT_YET_VALID, "verify.not_yet" },
		{ VC_EXPIRED, "verify.expired" },
		{ VC_REVOKED, "verify.revoked" },
		{ VC_MALFORMED, "verify.malformed" },
		{ VC_STATUS, "verify.status" },
	};
	size_t	i;

	for (i = 0; i < sizeof(words) / sizeof(words[0]); i++) {
		if (!(r->flags & words[i].flag))
			continue;
		{
			struct tmpl_arg args[] = {
				T_TEXT("text", i18n_get(w->lang, words[i].key)),
			};

			(void)web_render(w, out, "li", args, T_NARGS(args));
		}
	}
}

static int
verify_page(struct web *w, int status, const char *pasted, struct vc_result *r,
    const char *error)
{
	struct buf	 main, result, reasons;
	json_t		*ach;
	const char	*name;

	buf_init(&main, 8192);
	buf_init(&result, 2048);
	buf_init(&reasons, 1024);
	if (r != NULL) {
		ach = json_object_get(json_object_get(r->doc,
		    "credentialSubject"), "achievement");
		name = json_string_value(json_object_get(ach, "name"));
		reasons_list(w, &reasons, r);
		{
			struct tmpl_arg args[] = {
				T_TEXT("kind", r->flags == 0 ? "success" :
				    "danger"),
				T_TEXT("verdict", i18n_get(w->lang, r->flags ==
				    0 ? "verify.valid" : "verify.invalid")),
				T_TEXT("name", name != NULL ? name : "-"),
				T_TEXT("issuer", r->name != NULL ? r->name :
				    (r->issuer != NULL ? r->issuer : "-")),
				T_TEXT("valid_from", json_string_value(
				    json_object_get(r->doc, "validFrom")) ?
				    json_string_value(json_object_get(r->doc,
				    "validFrom")) : "-"),
				T_RAW("reasons", reasons.data),
			};

			(void)web_render(w, &result, "verify-result", args,
			    T_NARGS(args));
		}
	} else if (error != NULL) {
		struct tmpl_arg args[] = {
			T_TEXT("kind", "danger"),
			T_TEXT("text", i18n_get(w->lang, error)),
		};

		(void)web_render(w, &result, "alert", args, T_NARGS(args));
	}
	{
		struct tmpl_arg args[] = {
			T_RAW("result", result.data),
			T_TEXT("pasted", pasted != NULL ? pasted : ""),
			T_TEXT("csrf", web_csrf(w)),
		};

		(void)web_render(w, &main, "verify", args, T_NARGS(args));
	}
	(void)web_page(w, status, i18n_get(w->lang, "verify.title"),
	    main.data);
	buf_free(&main);
	buf_free(&result);
	buf_free(&reasons);
	return (KORE_RESULT_OK);
}

/*
 * /verify: anyone pastes or uploads a credential (or follows a QR code
 * with ?id=) and reads the result in plain words.
 */
int
page_verify(struct http_request *req)
{
	struct pg_result	*res;
	struct http_file	*file;
	struct vc_result	 r;
	struct web		 w;
	struct buf		 text;
	const char		*id, *pasted;
	char			 chunk[8192];
	ssize_t			 n;
	int			 rc;

	if (web_begin(&w, req) == -1)
		return (KORE_RESULT_OK);
	if (req->method != HTTP_METHOD_POST) {
		if ((id = web_arg(&w, "id")) == NULL)
			return (verify_page(&w, 200, NULL, NULL, NULL));
		if (web_db(&w) == -1)
			return (web_db_error(&w));
		res = db_query(&w.db, "SELECT credential FROM badges WHERE id "
		    "= $1", 1, id);
		if (res == NULL)
			return (web_db_error(&w));
		if (db_rows(res) != 1) {
			db_clear(res);
			return (verify_page(&w, 404, NULL, NULL,
			    "badge.not_found"));
		}
		badge_verify(&w.db, db_value(res, 0, 0),
		    strlen(db_value(res, 0, 0)), time(NULL), &r);
		db_clear(res);
		rc = verify_page(&w, 200, NULL, &r, NULL);
		vc_result_free(&r);
		return (rc);
	}

	buf_init(&text, 4096);
	if ((file = http_file_lookup(req, "file")) != NULL) {
		while ((n = http_file_read(file, chunk, sizeof(chunk))) > 0 &&
		    text.len <= VERIFY_MAX)
			buf_append(&text, chunk, (size_t)n);
	}
	if (text.len == 0 && (pasted = web_arg(&w, "credential")) != NULL)
		buf_puts(&text, pasted);
	if (text.len == 0 || text.len > VERIFY_MAX) {
		buf_free(&text);
		return (verify_page(&w, 400, NULL, NULL, "verify.empty"));
	}
	if (web_db(&w) == -1) {
		buf_free(&text);
		return (web_db_error(&w));
	}
	badge_verify(&w.db, text.data, text.len, time(NULL), &r);
	rc = verify_page(&w, 200, utf8_valid(text.data, text.len) ?
	    text.data : "", &r, NULL);
	vc_result_free(&r);
	buf_free(&text);
	return (rc);
}

/* POST /api/verify: the credential as the body, the result as JSON. */
int
page_api_verify(struct http_request *req)
{
	struct vc_result	 r;
	struct web		 w;
	struct buf		 body, out;
	const char		*p, *nl;
	char			 chunk[8192];
	ssize_t			 n;
	int			 first;

	if (web_begin(&w, req) == -1)
		return (KORE_RESULT_OK);
	buf_init(&body, 4096);
	while ((n = http_body_read(req, chunk, sizeof(chunk))) > 0 &&
	    body.len <= VERIFY_MAX)
		buf_append(&body, chunk, (size_t)n);
	buf_init(&out, 512);
	if (body.len == 0 || body.len > VERIFY_MAX) {
		buf_puts(&out, "{\"valid\":false,\"reasons\":[\"malformed: "
		    "empty or larger than 256 KB\"]}\n");
		(void)web_json(req, 400, &out);
		buf_free(&out);
		buf_free(&body);
		web_end(&w);
		return (KORE_RESULT_OK);
	}
	if (web_db(&w) == -1) {
		buf_free(&out);
		buf_free(&body);
		return (web_db_error(&w));
	}
	badge_verify(&w.db, body.data, body.len, time(NULL), &r);
	buf_printf(&out, "{\"valid\":%s,\"revoked\":%s,\"reasons\":[",
	    r.flags == 0 ? "true" : "false", (r.flags & VC_REVOKED) ? "true" :
	    "false");
	first = 1;
	for (p = r.reasons.data; p != NULL && *p != '\0'; p = nl + 1) {
		char	*line;

		nl = strchr(p, '\n');
		if (nl == NULL)
			nl = p + strlen(p);
		line = xstrndup(p, (size_t)(nl - p));
		if (!first)
			buf_putc(&out, ',');
		json_quote(&out, line);
		free(line);
		first = 0;
		if (*nl == '\0')
			break;
	}
	buf_puts(&out, "],\"issuer\":");
	if (r.issuer != NULL)
		json_quote(&out, r.issuer);
	else
		buf_puts(&out, "null");
	buf_puts(&out, ",\"verificationMethod\":");
	if (r.vm != NULL)
		json_quote(&out, r.vm);
	else
		buf_puts(&out, "null");
	buf_printf(&out, ",\"statusChecked\":%s}\n", r.status_checked ?
	    "true" : "false");
	(void)web_json(req, 200, &out);
	vc_result_free(&r);
	buf_free(&out);
	buf_free(&body);
	web_end(&w);
	return (KORE_RESULT_OK);
}

/*
 * /issuer: the issuer's Profile and controller document: every key that
 * ever signed, as a Multikey under assertionMethod.
 */
int
page_issuer(struct http_request *req)
{
	struct pg_result	*res;
	struct web		 w;
	struct buf		 b;
	int			 i, n;

	if (web_begin(&w, req) == -1)
		return (KORE_RESULT_OK);
	if (web_db(&w) == -1)
		return (web_db_error(&w));
	res = db_query(&w.db, "SELECT public_multibase FROM issuer_keys "
	    "ORDER BY id", 0);
	if (res == NULL)
		return (web_db_error(&w));
	buf_init(&b, 2048);
	buf_puts(&b, "{\n  \"@context\": [\"https://www.w3.org/ns/cid/v1\", "
	    "\"https://www.w3.org/ns/credentials/v2\", \"https://purl."
	    "imsglobal.org/spec/ob/v3p0/context-3.0.3.json\"],\n  \"id\": ");
	json_quote(&b, settings.issuer_id);
	buf_puts(&b, ",\n  \"type\": [\"Profile\"],\n  \"name\": ");
	json_quote(&b, settings.issuer_name);
	buf_puts(&b, ",\n  \"url\": ");
	json_quote(&b, settings.issuer_url);
	buf_puts(&b, ",\n  \"verificationMethod\": [");
	n = db_rows(res);
	for (i = 0; i < n; i++) {
		buf_printf(&b, "%s\n    {\"id\": \"did:key:%s#%s\", \"type\": "
		    "\"Multikey\", \"controller\": ", i > 0 ? "," : "",
		    db_value(res, i, 0), db_value(res, i, 0));
		json_quote(&b, settings.issuer_id);
		buf_printf(&b, ", \"publicKeyMultibase\": \"%s\"}",
		    db_value(res, i, 0));
	}
	buf_puts(&b, "\n  ],\n  \"assertionMethod\": [");
	for (i = 0; i < n; i++)
		buf_printf(&b, "%s\"did:key:%s#%s\"", i > 0 ? ", " : "",
		    db_value(res, i, 0), db_value(res, i, 0));
	buf_puts(&b, "]\n}\n");
	db_clear(res);
	web_headers(req);
	http_response_header(req, "content-type",
	    "application/json; charset=utf-8");
	http_response_header(req, "cache-control", "public, max-age=300");
	http_response_header(req, "access-control-allow-origin", "*");
	http_response(req, 200, b.data, b.len);
	buf_free(&b);
	web_end(&w);
	return (KORE_RESULT_OK);
}

/* /status/1: the signed revocation list. */
int
page_status(struct http_request *req)
{
	struct pg_result	*res;
	struct web		 w;

	if (web_begin(&w, req) == -1)
		return (KORE_RESULT_OK);
	if (web_db(&w) == -1)
		return (web_db_error(&w));
	res = db_query(&w.db, "SELECT credential FROM status_lists WHERE id = "
	    "1", 0);
	if (res == NULL)
		return (web_db_error(&w));
	if (db_rows(res) != 1) {
		db_clear(res);
		return (web_error(&w, 404, "error.404.text"));
	}
	web_headers(req);
	http_response_header(req, "content-type",
	    "application/vc+ld+json; charset=utf-8");
	http_response_header(req, "cache-control", "public, max-age=60");
	http_response_header(req, "access-control-allow-origin", "*");
	http_response(req, 200, db_value(res, 0, 0),
	    strlen(db_value(res, 0, 0)));
	db_clear(res);
	web_end(&w);
	return (KORE_RESULT_OK);
}

/* The issuer's list of badges in their subtree, with revocation. */
int
page_issuer_badges(struct http_request *req)
{
	struct pg_result	*res;
	struct web		 w;
	struct buf		 main, rows, err, alert;
	const char		*scope, *badge, *reason, *notice;
	int			 i, n, status;

	if (web_begin(&w, req) == -1)
		return (KORE_RESULT_OK);
	scope = web_scope(&w, ROLE_ISSUER);
	status = 200;
	notice = NULL;
	buf_init(&err, 128);
	buf_init(&alert, 256);
	if (req->method == HTTP_METHOD_POST) {
		badge = web_arg(&w, "badge");
		reason = web_arg(&w, "reason");
		if (badge == NULL || reason == NULL || *reason == '\0') {
			status = 400;
			notice = "badge.err_reason";
		} else {
			/* Only badges of people in the issuer's subtree. */
			res = db_query(&w.db, "SELECT 1 FROM badges b JOIN users "
			    "u ON u.id = b.user_id JOIN orgs o ON o.id = "
			    "u.org_id WHERE b.id = $1 AND o.path LIKE $2 || '%'",
			    2, badge, scope);
			if (res == NULL)
				return (web_db_error(&w));
			n = db_rows(res);
			db_clear(res);
			if (n != 1) {
				buf_free(&err);
				buf_free(&alert);
				return (web_error(&w, 404, "badge.not_found"));
			}
			if (badge_revoke(&w.db, badge, w.user->id,
			    w.user->email, reason, w.ip, &err) == -1) {
				status = 409;
				notice = strcmp(err.data,
				    "badge.not_revocable") == 0 ?
				    "badge.not_revocable" : "error.500.text";
			} else
				notice = "badge.revoked_now";
		}
		{
			struct tmpl_arg args[] = {
				T_TEXT("kind", status == 200 ? "success" :
				    "danger"),
				T_TEXT("text", i18n_get(w.lang, notice)),
			};

			(void)web_render(&w, &alert, "alert", args,
			    T_NARGS(args));
		}
	}
	res = db_query(&w.db, "SELECT b.id, u.name, c.badge_name, to_char("
	    "b.issued_at, 'YYYY-MM-DD'), b.revoked_at IS NOT NULL, coalesce("
	    "b.revoke_reason, '') FROM badges b JOIN users u ON u.id = "
	    "b.user_id JOIN orgs o ON o.id = u.org_id JOIN courses c ON c.id = "
	    "b.course_id WHERE o.path LIKE $1 || '%' ORDER BY b.issued_at DESC "
	    "LIMIT 500", 1, scope);
	if (res == NULL) {
		buf_free(&err);
		buf_free(&alert);
		return (web_db_error(&w));
	}
	buf_init(&main, 8192);
	buf_init(&rows, 8192);
	n = db_rows(res);
	for (i = 0; i < n; i++) {
		int	revoked = strcmp(db_value(res, i, 4), "t") == 0;
		struct buf	action;

		buf_init(&action, 512);
		if (!revoked) {
			struct tmpl_arg args[] = {
				T_TEXT("id", db_value(res, i, 0)),
				T_TEXT("csrf", web_csrf(&w)),
			};

			(void)web_render(&w, &action, "issuer-revoke", args,
			    T_NARGS(args));
		} else
			html_puts(&action, db_value(res, i, 5));
		{
			struct tmpl_arg args[] = {
				T_TEXT("id", db_value(res, i, 0)),
				T_TEXT("learner", db_value(res, i, 1)),
				T_TEXT("name", db_value(res, i, 2)),
				T_TEXT("date", web_date(&w, db_value(res, i,
				    3))),
				T_TEXT("state", i18n_get(w.lang, revoked ?
				    "badge.revoked" : "badge.valid")),
				T_RAW("action", action.data),
			};

			(void)web_render(&w, &rows, "issuer-badge-row", args,
			    T_NARGS(args));
		}
		buf_free(&action);
	}
	db_clear(res);
	{
		struct tmpl_arg args[] = {
			T_RAW("alert", alert.data),
			T_RAW("rows", rows.data),
		};

		(void)web_render(&w, &main, "issuer-badges", args,
		    T_NARGS(args));
	}
	(void)web_page(&w, status, i18n_get(w.lang, "badge.issuer_title"),
	    main.data);
	buf_free(&main);
	buf_free(&rows);
	buf_free(&err);
	buf_free(&alert);
	return (KORE_RESULT_OK);
}
