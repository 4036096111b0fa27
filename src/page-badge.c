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
static void	revoked_note(struct web *, struct buf *, const char *,
		    const char *, const char *);
static void	badge_row_render(struct web *, struct buf *, struct badge_row *);
static int	badge_visible(struct web *, const struct badge_view *);
static int	badge_send_json(struct web *, const char *,
		    const struct badge_view *);
static int	badge_send_pdf(struct web *, const char *,
		    const struct badge_view *);
static int	badge_send_page(struct web *, const char *,
		    const struct badge_view *);
static void	badge_competences(struct web *, struct buf *,
		    const struct badge_view *);
static int	send_doc(struct web *, char *, const char *, int, int);

enum public_doc { DOC_ISSUER, DOC_CHECKPOINT, DOC_STATUS };
static int	public_doc(struct http_request *, enum public_doc);
static void	issuer_rows(struct web *, struct buf *,
		    const struct issuer_badges *);
static int	issuer_revoke(struct web *, const char *, const char **,
		    int *, struct fail *);

/*
 * /badges: the learner's badges, with the reason of a revocation, and
 * (POST) the switch of each certificate's public page.
 */
int
page_badges(struct http_request *req)
{
	struct badge_row	*rows;
	struct fail		 f;
	struct web		 w;
	struct buf		 main, list;
	const char		*badge, *pub;
	int			 i, n;

	if (web_begin(&w, req) == -1)
		return (KORE_RESULT_OK);
	if (req->method == HTTP_METHOD_POST) {
		badge = web_arg(&w, "badge");
		pub = web_arg(&w, "public");
		if (badge == NULL || pub == NULL)
			return (web_error(&w, 400, "error.400.text"));
		if (badge_set_public(&w.db, badge, w.user->id,
		    strcmp(pub, "1") == 0, &f) == -1)
			return (web_fail(&w, &f));
		return (web_redirect(&w, "/badges"));
	}
	if (badge_list_user(&w.db, w.user->id, &rows, &n, &f) == -1)
		return (web_fail(&w, &f));
	buf_init(&main, 4096);
	buf_init(&list, 4096);
	for (i = 0; i < n; i++)
		badge_row_render(&w, &list, &rows[i]);
	{
		struct tmpl_arg args[] = {
			T_RAW("rows", list.data),
			T_TEXT("empty", n == 0 ? i18n_get(w.lang,
			    "badge.none") : ""),
		};

		(void)web_render(&w, &main, "badges", args, T_NARGS(args));
	}
	(void)web_page(&w, 200, i18n_get(w.lang, "badge.title"), main.data);
	badge_rows_free(rows, n);
	buf_free(&main);
	buf_free(&list);
	return (KORE_RESULT_OK);
}

/* When and why a badge was revoked, with the template tmpl. */
static void
revoked_note(struct web *w, struct buf *out, const char *tmpl,
    const char *date, const char *reason)
{
	struct tmpl_arg args[] = {
		T_TEXT("date", web_date(w, date)),
		T_TEXT("reason", reason),
	};

	(void)web_render(w, out, tmpl, args, T_NARGS(args));
}

/* One row of /badges: the state with its reason, the public switch. */
static void
badge_row_render(struct web *w, struct buf *out, struct badge_row *r)
{
	struct buf	state;

	buf_init(&state, 256);
	if (r->revoked)
		revoked_note(w, &state, "badge-row-revoked", r->revoked_date,
		    r->reason);
	else
		html_puts(&state, i18n_get(w->lang, "badge.valid"));
	{
		struct tmpl_arg args[] = {
			T_TEXT("id", r->id),
			T_TEXT("name", r->name),
			T_TEXT("date", web_date(w, r->date)),
			T_RAW("state", state.data),
			T_TEXT("csrf", web_csrf(w)),
			T_TEXT("public_state", i18n_get(w->lang, r->public ?
			    "badge.public_on" : "badge.public_off")),
			T_TEXT("public_next", r->public ? "0" : "1"),
			T_TEXT("public_action", i18n_get(w->lang, r->public ?
			    "badge.public_turn_off" : "badge.public_turn_on")),
		};

		(void)web_render(w, out, "badge-row", args, T_NARGS(args));
	}
	buf_free(&state);
}

/*
 * May the visitor see badge v? Its page is public by its unguessable id
 * unless the learner turned it off; the learner, administrators and the
 * issuers of the learner's subtree always see it.
 */
static int
badge_visible(struct web *w, const struct badge_view *v)
{
	const char	*scope;

	if (v->public)
		return (1);
	if (w->user == NULL)
		return (0);
	if (w->user->id == v->user_id || web_has_role(w, ROLE_ADMIN))
		return (1);
	scope = web_scope(w, ROLE_ISSUER);
	return (scope != NULL && strncmp(v->org_path, scope,
	    strlen(scope)) == 0);
}

/* The signed credential as a download. */
static int
badge_send_json(struct web *w, const char *id, const struct badge_view *v)
{
	char	disp[96];

	(void)snprintf(disp, sizeof(disp),
	    "attachment; filename=\"badge-%s.json\"", id);
	web_headers(w->req);
	http_response_header(w->req, "content-type",
	    "application/vc+ld+json; charset=utf-8");
	http_response_header(w->req, "content-disposition", disp);
	http_response_header(w->req, "cache-control", "no-store");
	http_response_header(w->req, "x-robots-tag", "noindex, nofollow");
	http_response(w->req, 200, v->credential, strlen(v->credential));
	web_end(w);
	return (KORE_RESULT_OK);
}

/* The PDF certificate, with the signed credential embedded. */
static int
badge_send_pdf(struct web *w, const char *id, const struct badge_view *v)
{
	struct pdf_cert	 c;
	struct buf	 pdf, err, url;
	char		 hours[32], disp[96], tmp[1024];
	int		 rc;

	web_fmt_hours(w, hours, sizeof(hours), v->hours);
	buf_init(&url, 128);
	buf_printf(&url, "%s/verify?id=%s", settings.base_url, id);
	(void)snprintf(tmp, sizeof(tmp), "%s/tmp", settings.var_dir);
	memset(&c, 0, sizeof(c));
	c.id = id;
	c.learner = v->learner;
	c.title = v->name;
	c.course = v->course;
	c.date = web_date(w, v->date);
	c.hours = hours;
	c.issuer = settings.issuer_name;
	c.url = url.data;
	c.revoked_date = v->revoked ? web_date(w, v->revoked_date) : NULL;
	c.revoked_reason = v->reason;
	c.credential = v->credential;
	c.root = settings.root;
	c.tmp_dir = tmp;
	buf_init(&pdf, 65536);
	buf_init(&err, 128);
	if (pdf_certificate(&c, &pdf, &err) == -1) {
		kore_log(LOG_NOTICE, "pdf certificate %s: %s", id, err.data);
		rc = web_error(w, 500, "error.500.text");
		goto out;
	}
	(void)snprintf(disp, sizeof(disp),
	    "attachment; filename=\"attestato-%s.pdf\"", id);
	web_headers(w->req);
	http_response_header(w->req, "content-type", "application/pdf");
	http_response_header(w->req, "content-disposition", disp);
	http_response_header(w->req, "cache-control", "no-store");
	http_response_header(w->req, "x-robots-tag", "noindex, nofollow");
	http_response(w->req, 200, pdf.data, pdf.len);
	web_end(w);
	rc = KORE_RESULT_OK;
out:
	buf_free(&pdf);
	buf_free(&err);
	buf_free(&url);
	return (rc);
}

/* The competences the credential aligns to, one row each. */
static void
badge_competences(struct web *w, struct buf *comps,
    const struct badge_view *v)
{
	json_t		*doc, *al, *a;
	const char	*code, *name, *level;
	size_t		 i;

	doc = jcs_parse(v->credential, strlen(v->credential), NULL);
	al = json_object_get(json_object_get(json_object_get(doc,
	    "credentialSubject"), "achievement"), "alignment");
	json_array_foreach(al, i, a) {
		code = json_string_value(json_object_get(a, "targetCode"));
		name = json_string_value(json_object_get(a, "targetName"));
		level = json_string_value(json_object_get(a,
		    "targetDescription"));
		{
			struct tmpl_arg args[] = {
				T_TEXT("code", code != NULL ? code : ""),
				T_TEXT("name", name != NULL ? name : ""),
				T_TEXT("level", level != NULL ? level : ""),
			};

			(void)web_render(w, comps, "badge-competence", args,
			    T_NARGS(args));
		}
	}
	json_decref(doc);
}

/* The certificate page: REVOCATO across it when revoked. */
static int
badge_send_page(struct web *w, const char *id, const struct badge_view *v)
{
	struct buf	 main, qr, url, comps, revoked;
	char		 hours[32];

	buf_init(&url, 128);
	buf_printf(&url, "%s/verify?id=%s", settings.base_url, id);
	buf_init(&qr, 8192);
	(void)qr_svg(&qr, url.data, i18n_get(w->lang, "badge.qr"));
	buf_init(&comps, 1024);
	badge_competences(w, &comps, v);
	buf_init(&revoked, 512);
	if (v->revoked)
		revoked_note(w, &revoked, "badge-revoked", v->revoked_date,
		    v->reason);
	buf_init(&main, 8192);
	web_fmt_hours(w, hours, sizeof(hours), v->hours);
	{
		struct tmpl_arg args[] = {
			T_TEXT("id", id),
			T_TEXT("learner", v->learner),
			T_TEXT("name", v->name),
			T_TEXT("date", web_date(w, v->date)),
			T_TEXT("hours", hours),
			T_TEXT("course", v->course),
			T_TEXT("issuer", settings.issuer_name),
			T_TEXT("url", url.data),
			T_TEXT("class", v->revoked ? "certificate "
			    "certificate-revoked" : "certificate"),
			T_TEXT("state", i18n_get(w->lang, v->revoked ?
			    "badge.revoked" : "badge.valid")),
			T_RAW("revoked", revoked.data),
			T_RAW("qr", qr.data),
			T_RAW("competences", comps.data),
		};

		(void)web_render(w, &main, "badge", args, T_NARGS(args));
	}
	http_response_header(w->req, "x-robots-tag", "noindex, nofollow");
	(void)web_page(w, 200, i18n_get(w->lang, "badge.certificate"),
	    main.data);
	buf_free(&main);
	buf_free(&qr);
	buf_free(&url);
	buf_free(&comps);
	buf_free(&revoked);
	return (KORE_RESULT_OK);
}

/*
 * /badges/<id>[.json|.pdf]: the certificate, the credential, or the PDF
 * certificate, for whoever may see it (badge_visible()).
 */
int
page_badge(struct http_request *req)
{
	struct badge_view	 v;
	struct fail		 f;
	struct web		 w;
	const char		*tail;
	char			 id[40];
	int			 rc;

	if (web_begin(&w, req) == -1)
		return (KORE_RESULT_OK);
	tail = web_path_tail(req, "/badges/");
	xstrlcpy(id, tail, sizeof(id));
	id[36] = '\0';
	if (web_db(&w) == -1)
		return (web_db_error(&w));
	if (badge_get(&w.db, id, &v, &f) == -1)
		return (web_fail(&w, &f));
	if (!badge_visible(&w, &v)) {
		badge_view_free(&v);
		return (web_error(&w, 404, "badge.not_found"));
	}
	if (str_has_suffix(tail, ".json"))
		rc = badge_send_json(&w, id, &v);
	else if (str_has_suffix(tail, ".pdf"))
		rc = badge_send_pdf(&w, id, &v);
	else
		rc = badge_send_page(&w, id, &v);
	badge_view_free(&v);
	return (rc);
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
		{ VC_UNKNOWN_ISSUER, "verify.unknown_issuer" },
		{ VC_CONTROLLER, "verify.controller" },
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
	struct badge_view	 v;
	struct http_file	*file;
	struct vc_result	 r;
	struct fail		 f;
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
		if ((rc = badge_get(&w.db, id, &v, &f)) == -1 &&
		    f.kind != FAIL_NOTFOUND)
			return (web_fail(&w, &f));
		if (rc == -1 || !badge_visible(&w, &v)) {
			badge_view_free(&v);
			return (verify_page(&w, 404, NULL, NULL,
			    "badge.not_found"));
		}
		badge_verify(&w.db, v.credential, strlen(v.credential),
		    time(NULL), &r);
		badge_view_free(&v);
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
 * A public JSON document: doc (freed here) with its content type, for
 * maxage seconds (-1: no-cache), to any origin when cors.
 */
static int
send_doc(struct web *w, char *doc, const char *type, int maxage, int cors)
{
	char	cache[64];

	if (maxage < 0)
		(void)snprintf(cache, sizeof(cache), "no-cache");
	else
		(void)snprintf(cache, sizeof(cache), "public, max-age=%d",
		    maxage);
	web_headers(w->req);
	http_response_header(w->req, "content-type", type);
	http_response_header(w->req, "cache-control", cache);
	if (cors)
		http_response_header(w->req, "access-control-allow-origin",
		    "*");
	http_response(w->req, 200, doc, strlen(doc));
	free(doc);
	web_end(w);
	return (KORE_RESULT_OK);
}

/*
 * The public documents: /issuer, the issuer's Profile and controller
 * document (every key that ever signed, as a Multikey under
 * assertionMethod); /audit/checkpoint, the latest signed checkpoint of
 * the audit chain as written to audit_file (outside the database), for
 * anyone to keep; /status/1, the signed revocation list.
 */
static int
public_doc(struct http_request *req, enum public_doc which)
{
	struct fail	 f;
	struct web	 w;
	char		*doc;

	if (web_begin(&w, req) == -1)
		return (KORE_RESULT_OK);
	if (which == DOC_CHECKPOINT) {
		if (audit_checkpoint_last(&doc, &f) == -1)
			return (web_fail(&w, &f));
		return (send_doc(&w, doc, "application/json; charset=utf-8",
		    -1, 0));
	}
	if (web_db(&w) == -1)
		return (web_db_error(&w));
	if (which == DOC_ISSUER) {
		if (badge_issuer_doc(&w.db, &doc, &f) == -1)
			return (web_fail(&w, &f));
		return (send_doc(&w, doc, "application/json; charset=utf-8",
		    300, 1));
	}
	if (badge_status_credential(&w.db, &doc, &f) == -1)
		return (web_fail(&w, &f));
	return (send_doc(&w, doc, "application/vc+ld+json; charset=utf-8",
	    60, 1));
}

int
page_issuer(struct http_request *req)
{
	return (public_doc(req, DOC_ISSUER));
}

int
page_audit_checkpoint(struct http_request *req)
{
	return (public_doc(req, DOC_CHECKPOINT));
}

int
page_status(struct http_request *req)
{
	return (public_doc(req, DOC_STATUS));
}

/* The issuer's rows: a revoke form, or the reason when revoked. */
static void
issuer_rows(struct web *w, struct buf *rows, const struct issuer_badges *l)
{
	const struct issuer_badge	*b;
	struct buf			 action;
	size_t				 i;

	buf_init(&action, 512);
	for (i = 0; i < l->n; i++) {
		b = &l->rows[i];
		buf_reset(&action);
		if (!b->revoked) {
			struct tmpl_arg args[] = {
				T_TEXT("id", b->id),
				T_TEXT("csrf", web_csrf(w)),
			};

			(void)web_render(w, &action, "issuer-revoke", args,
			    T_NARGS(args));
		} else
			html_puts(&action, b->reason);
		{
			struct tmpl_arg args[] = {
				T_TEXT("id", b->id),
				T_TEXT("learner", b->learner),
				T_TEXT("name", b->name),
				T_TEXT("date", web_date(w, b->date)),
				T_TEXT("state", i18n_get(w->lang, b->revoked ?
				    "badge.revoked" : "badge.valid")),
				T_RAW("action", action.data),
			};

			(void)web_render(w, rows, "issuer-badge-row", args,
			    T_NARGS(args));
		}
	}
	buf_free(&action);
}

/*
 * POST /issuer/badges: revoke one. 200 with what happened, 400 or 409
 * shown above the list; -1 with f filled (404, 503) for an error page.
 */
static int
issuer_revoke(struct web *w, const char *scope, const char **notice,
    int *status, struct fail *f)
{
	const char	*badge, *reason;

	badge = web_arg(w, "badge");
	reason = web_arg(w, "reason");
	if (badge == NULL || reason == NULL || *reason == '\0') {
		*status = 400;
		*notice = "badge.err_reason";
		return (0);
	}
	if (badge_revoke_in(&w->db, badge, scope, w->user->id,
	    w->user->email, reason, w->ip, f) == 0) {
		*notice = "badge.revoked_now";
		return (0);
	}
	if (f->kind != FAIL_CONFLICT)
		return (-1);
	*status = 409;
	*notice = f->key;
	return (0);
}

/* The issuer's list of badges in their subtree, with revocation. */
int
page_issuer_badges(struct http_request *req)
{
	struct issuer_badges	 list;
	struct fail		 f;
	struct web		 w;
	struct buf		 main, rows, alert;
	const char		*scope, *notice;
	int			 status, rc;

	if (web_begin(&w, req) == -1)
		return (KORE_RESULT_OK);
	scope = web_scope(&w, ROLE_ISSUER);
	status = 200;
	notice = NULL;
	memset(&list, 0, sizeof(list));
	buf_init(&alert, 256);
	buf_init(&main, 8192);
	buf_init(&rows, 8192);
	if (req->method == HTTP_METHOD_POST) {
		if (issuer_revoke(&w, scope, &notice, &status, &f) == -1) {
			rc = web_fail(&w, &f);
			goto out;
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
	if (badge_issuer_list(&w.db, scope, &list, &f) == -1) {
		rc = web_fail(&w, &f);
		goto out;
	}
	issuer_rows(&w, &rows, &list);
	{
		struct tmpl_arg args[] = {
			T_RAW("alert", alert.data),
			T_RAW("rows", rows.data),
		};

		(void)web_render(&w, &main, "issuer-badges", args,
		    T_NARGS(args));
	}
	rc = web_page(&w, status, i18n_get(w.lang, "badge.issuer_title"),
	    main.data);
out:
	badge_issuer_list_free(&list);
	buf_free(&main);
	buf_free(&rows);
	buf_free(&alert);
	return (rc);
}
