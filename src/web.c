/*
 * web.c: what every handler shares: the per-request context, the
 * database connection borrowed from Kore's pool, security headers, the
 * page layout and error pages.
 */

#include <sys/socket.h>
#include <sys/uio.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <libpq-fe.h>

#include "web.h"

static int	web_net_write(struct connection *, size_t, size_t *);
static void	web_here(struct web *, struct buf *);
static void	web_nav(struct web *, struct buf *, struct buf *);

/*
 * No inline script or style anywhere: every script and style sheet is a
 * file under /assets. Bootstrap Italia's CSS uses data: URIs for icons
 * and one icon font.
 */
#define WEB_CSP		"default-src 'self'; script-src 'self'; " \
			"style-src 'self'; img-src 'self' data:; " \
			"font-src 'self' data:; connect-src 'self'; " \
			"object-src 'none'; base-uri 'self'; " \
			"frame-ancestors 'none'; form-action 'self'"

static const char	*web_csp(void);

/*
 * The policy, with the origins of the identity providers added to
 * form-action: signing out (a form) redirects to the provider's
 * end-session endpoint, and Chromium holds a form's redirects to the
 * submitting page's form-action too.
 */
static const char *
web_csp(void)
{
	static char			*csp;
	const struct oidc_provider	*p;
	const char			*host;
	struct buf			 b;

	if (csp != NULL)
		return (csp);
	buf_init(&b, 512);
	buf_puts(&b, WEB_CSP);
	for (p = settings.providers; p != NULL; p = p->next) {
		if ((host = strstr(p->issuer, "://")) == NULL)
			continue;
		host += 3;
		buf_printf(&b, " %.*s", (int)(host - p->issuer +
		    strcspn(host, "/?#")), p->issuer);
	}
	csp = buf_release(&b);
	return (csp);
}

/*
 * This page's address, URL-encoded for a next= parameter: the path and,
 * for GET, its query string, so that switching language or signing in
 * comes back to the same filtered page (/hr/report?org=..).
 */
static void
web_here(struct web *w, struct buf *out)
{
	struct buf	here;

	buf_init(&here, 128);
	buf_puts(&here, w->req->path);
	if ((w->req->method == HTTP_METHOD_GET ||
	    w->req->method == HTTP_METHOD_HEAD) &&
	    w->req->query_string != NULL && w->req->query_string[0] != '\0') {
		buf_puts(&here, "?");
		buf_puts(&here, w->req->query_string);
	}
	url_encode(out, here.data);
	buf_free(&here);
}

/*
 * Is this request on TLS? Either Kore's own TLS listener, or, with
 * tls_proxy = yes, a TLS-terminating proxy (nginx, on this machine or at
 * one of proxy_addresses) that says so in X-Forwarded-Proto.
 */
int
web_is_tls(struct http_request *req)
{
	const char	*proto;
	char		 ip[INET_ADDRSTRLEN];

	if (req->owner->owner != NULL && req->owner->owner->server->tls)
		return (1);
	if (!settings.tls_proxy || req->owner->family != AF_INET ||
	    inet_ntop(AF_INET, &req->owner->addr.ipv4.sin_addr, ip,
	    sizeof(ip)) == NULL || !settings_proxy_trusted(ip))
		return (0);
	return (http_request_header(req, "x-forwarded-proto", &proto) &&
	    strcmp(proto, "https") == 0);
}

void
web_headers(struct http_request *req)
{
	http_response_header(req, "content-security-policy", web_csp());
	http_response_header(req, "x-content-type-options", "nosniff");
	http_response_header(req, "referrer-policy",
	    "strict-origin-when-cross-origin");
	http_response_header(req, "x-frame-options", "DENY");
	http_response_header(req, "permissions-policy",
	    "camera=(), microphone=(), geolocation=()");
	if (web_is_tls(req))
		http_response_header(req, "strict-transport-security",
		    "max-age=31536000; includeSubDomains");
}

/*
 * Start a request: language, client address, session, and the access
 * rule of the route (web-access.c). For POST, parse the form and check
 * its CSRF token. Returns 0 to go on, or -1 when a response (redirect to
 * the sign-in page, 401, 403, 503) was already sent.
 */
/*
 * Look the request up in the page cache (web-cache.c). On a hit the
 * response is sent and 1 returned; otherwise the key is kept in w for
 * web_page() to store what it renders.
 */
static int
web_cache_hit(struct web *w)
{
	struct buf	 key;
	const char	*body, *ctype;
	size_t		 len;

	buf_init(&key, 256);
	buf_printf(&key, "%s|%s|%s", i18n_lang_code(w->lang),
	    w->user != NULL ? w->user->token_hash : "", w->req->path);
	if (w->req->query_string != NULL)
		buf_printf(&key, "?%s", w->req->query_string);
	body = cache_page_get(key.data, w->user != NULL ? w->user->id : 0,
	    &ctype, &len);
	if (body == NULL) {
		w->cache_key = buf_release(&key);
		return (0);
	}
	buf_free(&key);
	web_headers(w->req);
	http_response_header(w->req, "x-cache", "hit");
	http_response_header(w->req, "content-type", ctype);
	http_response_header(w->req, "cache-control", w->user != NULL ?
	    "no-store" : "no-cache");
	http_response(w->req, 200, body, len);
	web_end(w);
	return (1);
}

/*
 * Kore's net_send() hands its writer at most NETBUF_SEND_PAYLOAD_MAX
 * (8 KB) at a time, so a 20 KB page left in three send(2) calls and
 * woke the client three times. This writer, put on plain connections
 * in place of net_write(), sends what is left of the current buffer and
 * of the buffers queued behind it in one writev(2). What it sends of the
 * later buffers it marks as sent (s_off), so net_send() finds them done
 * and removes them, calling their callbacks as usual. A file sent with
 * sendfile(2) stops the gathering.
 *
 * It also restarts the connection's keep-alive timer. Kore starts it
 * when the request is read, so a response that took longer than
 * http_keepalive_time (a request queued behind others, a slow report)
 * had its connection closed just after it was sent, under the client's
 * next request: a reset (make faults saw it). Idle time counts from the
 * last byte sent.
 */
#define WEB_IOV_MAX	16

static int
web_net_write(struct connection *c, size_t len, size_t *written)
{
	struct iovec	 iov[WEB_IOV_MAX];
	struct netbuf	*nb;
	ssize_t		 r;
	size_t		 left, part;
	int		 n;

	(void)len;
	if (c->snb->s_off >= c->snb->b_len) {
		*written = 0;	/* already sent along with an earlier one */
		return (KORE_RESULT_OK);
	}
	n = 0;
	for (nb = c->snb; nb != NULL && n < WEB_IOV_MAX;
	    nb = TAILQ_NEXT(nb, list)) {
		if (nb->type != NETBUF_SEND || nb->buf == NULL ||
		    ((nb->flags & NETBUF_IS_FILEREF) &&
		    !(nb->flags & NETBUF_IS_STREAM)))
			break;
		if (nb->b_len <= nb->s_off)
			continue;
		iov[n].iov_base = nb->buf + nb->s_off;
		iov[n].iov_len = nb->b_len - nb->s_off;
		n++;
	}
	r = writev(c->fd, iov, n);
	if (r == -1) {
		switch (errno) {
		case EINTR:
			*written = 0;
			return (KORE_RESULT_OK);
		case EAGAIN:
			c->evt.flags &= ~KORE_EVENT_WRITE;
			return (KORE_RESULT_OK);
		default:
			return (KORE_RESULT_ERROR);
		}
	}
	kore_connection_start_idletimer(c);
	left = (size_t)r;
	*written = MIN(left, c->snb->b_len - c->snb->s_off);
	left -= *written;
	for (nb = TAILQ_NEXT(c->snb, list); nb != NULL && left > 0;
	    nb = TAILQ_NEXT(nb, list)) {
		if (nb->b_len <= nb->s_off)
			continue;
		part = MIN(left, nb->b_len - nb->s_off);
		nb->s_off += part;
		left -= part;
	}
	return (KORE_RESULT_OK);
}

int
web_begin(struct web *w, struct http_request *req)
{
	const struct web_rule	*rule;
	const char		*ctype, *token, *want, *fwd;
	char			*lang, *cookie;

	memset(w, 0, sizeof(*w));
	w->req = req;
	w->lang = LANG_IT;
	w->tls = web_is_tls(req);
	if (req->owner->write == net_write)
		req->owner->write = web_net_write;
	switch (req->owner->family) {
	case AF_INET:
		(void)inet_ntop(AF_INET, &req->owner->addr.ipv4.sin_addr, w->ip,
		    sizeof(w->ip));
		break;
	case AF_INET6:
		(void)inet_ntop(AF_INET6, &req->owner->addr.ipv6.sin6_addr,
		    w->ip, sizeof(w->ip));
		break;
	default:
		xstrlcpy(w->ip, "local", sizeof(w->ip));
		break;
	}
	/* Behind a trusted proxy, the client is the last X-Forwarded-For. */
	if (settings.tls_proxy && settings_proxy_trusted(w->ip) &&
	    http_request_header(req, "x-forwarded-for", &fwd)) {
		const char	*last = strrchr(fwd, ',');

		last = last != NULL ? last + 1 : fwd;
		while (*last == ' ')
			last++;
		if (strlen(last) > 0 && strlen(last) < sizeof(w->ip) &&
		    strspn(last, "0123456789abcdefABCDEF.:") == strlen(last))
			xstrlcpy(w->ip, last, sizeof(w->ip));
	}
	http_populate_cookies(req);
	if (req->method == HTTP_METHOD_GET || req->method == HTTP_METHOD_HEAD)
		http_populate_qs(req);
	if (http_request_cookie(req, "lang", &lang))
		w->lang = i18n_lang_from(lang);

	if ((rule = web_access_find(req->hdlr->path)) == NULL) {
		kore_log(LOG_ERR, "no access rule for %s", req->hdlr->path);
		(void)web_error(w, 500, "error.500.text");
		return (-1);
	}
	if (http_request_cookie(req, w->tls ? SESSION_COOKIE_TLS :
	    SESSION_COOKIE, &cookie) && web_session_load(w, cookie) == -1) {
		(void)web_db_error(w);
		return (-1);
	}

	if (!(rule->allow & ACCESS_PUBLIC)) {
		if (w->user == NULL) {
			struct buf	loc;

			if (strncmp(req->path, "/api/", 5) == 0) {
				struct buf	b;

				buf_init(&b, 64);
				buf_puts(&b, "{\"error\":\"sign in first\"}\n");
				(void)web_json(req, 401, &b);
				buf_free(&b);
				web_end(w);
				return (-1);
			}
			if (req->method != HTTP_METHOD_GET &&
			    req->method != HTTP_METHOD_HEAD) {
				(void)web_error(w, 401, "error.401.text");
				return (-1);
			}
			buf_init(&loc, 128);
			buf_puts(&loc, "/login?next=");
			web_here(w, &loc);
			(void)web_redirect(w, loc.data);
			buf_free(&loc);
			return (-1);
		}
		if (!(rule->allow & ACCESS_USER) &&
		    (w->user->roles & rule->allow) == 0) {
			(void)web_error(w, 403, "error.403.text");
			return (-1);
		}
	}

	/* A page this worker rendered before, still fresh: sent as is. */
	if ((rule->allow & ACCESS_CACHE) && (req->method == HTTP_METHOD_GET ||
	    req->method == HTTP_METHOD_HEAD) && web_cache_hit(w))
		return (-1);
	/*
	 * Anonymous reads of public pages may come from the replica; a
	 * signed-in user always reads the primary, and so their own writes.
	 */
	w->replica = w->user == NULL && (rule->allow & ACCESS_READ) &&
	    (req->method == HTTP_METHOD_GET || req->method == HTTP_METHOD_HEAD);
	/* Handlers query through w->db; a cached user did not connect. */
	if (w->user != NULL && web_db(w) == -1) {
		(void)web_db_error(w);
		return (-1);
	}

	if (req->method == HTTP_METHOD_POST && !(rule->allow & ACCESS_NOCSRF)) {
		if (!http_request_header(req, "content-type", &ctype))
			ctype = "";
		if (strncmp(ctype, "multipart/form-data", 19) == 0)
			http_populate_multipart_form(req);
		else
			http_populate_post(req);
		token = web_arg(w, "csrf");
		if (w->user != NULL)
			want = w->user->csrf;
		else if (http_request_cookie(req, CSRF_COOKIE, &cookie))
			want = cookie;
		else
			want = "";
		if (token == NULL || !auth_equal(token, want)) {
			(void)web_error(w, 403, "error.403.csrf");
			return (-1);
		}
	}
	return (0);
}

/* The string argument name (validated by conf/app.conf), or NULL. */
const char *
web_arg(struct web *w, const char *name)
{
	char	*v;

	if (!http_argument_get_string(w->req, name, &v))
		return (NULL);
	return (v);
}

int
web_has_role(struct web *w, int role)
{
	return (w->user != NULL && (w->user->roles & role) != 0);
}

/* The id of the unit a role acts on (its subtree's root), 0 if global. */
long long
web_scope_org(struct web *w, int role)
{
	const char	*path, *p;
	size_t		 len;

	if ((path = web_scope(w, role)) == NULL || strcmp(path, "/") == 0)
		return (0);
	len = strlen(path);
	p = path + len - 1;
	while (p > path && p[-1] != '/')
		p--;
	return (strtoll(p, NULL, 10));
}

/* The subtree path a role acts on ("/3/17/"), "/" for global roles. */
const char *
web_scope(struct web *w, int role)
{
	int	i;

	if (w->user == NULL || !(w->user->roles & role))
		return (NULL);
	for (i = 0; i < ROLE_COUNT; i++) {
		if (role == (1 << i))
			return (w->user->scope[i] != NULL ?
			    w->user->scope[i] : "/");
	}
	return (NULL);
}

/*
 * Set a cookie. Kore's own helper knows no SameSite, so the header is
 * written here: HttpOnly (unless readable is asked), SameSite=Lax,
 * Secure under TLS. max_age -1 is a browser-session cookie, 0 deletes.
 */
void
web_cookie(struct web *w, const char *name, const char *value, int max_age,
    int httponly)
{
	struct buf	c;

	buf_init(&c, 128);
	buf_printf(&c, "%s=%s; Path=/; SameSite=Lax", name, value);
	if (max_age >= 0)
		buf_printf(&c, "; Max-Age=%d", max_age);
	if (httponly)
		buf_puts(&c, "; HttpOnly");
	if (w->tls)
		buf_puts(&c, "; Secure");
	http_response_header(w->req, "set-cookie", c.data);
	buf_free(&c);
}

/*
 * The CSRF token to put in a form: the session's when signed in, else a
 * random value also set as a cookie (double submit) for the sign-in and
 * password forms.
 */
const char *
web_csrf(struct web *w)
{
	char	*cookie;

	if (w->user != NULL)
		return (w->user->csrf);
	if (w->anon_csrf[0] != '\0')
		return (w->anon_csrf);
	if (http_request_cookie(w->req, CSRF_COOKIE, &cookie) &&
	    auth_token_valid(cookie)) {
		xstrlcpy(w->anon_csrf, cookie, sizeof(w->anon_csrf));
		return (w->anon_csrf);
	}
	auth_token(w->anon_csrf);
	web_cookie(w, CSRF_COOKIE, w->anon_csrf, -1, 1);
	return (w->anon_csrf);
}

/* A redirect target from a form: a local path, never another site. */
const char *
web_next(const char *next)
{
	if (next == NULL || next[0] != '/' || next[1] == '/' ||
	    next[1] == '\\' || strchr(next, ':') != NULL)
		return ("/");
	return (next);
}

/*
 * Where a sign-in goes on to: next, or, when it names no page but the
 * home page, /home, which sends each person to the page of their work
 * (auth_home).
 */
const char *
web_landing(const char *next)
{
	const char	*to;

	to = web_next(next);
	return (strcmp(to, "/") == 0 ? "/home" : to);
}

/*
 * A form field with its label and, when error_key is set, its error
 * message next to it (aria-describedby, aria-invalid).
 */
void
web_field(struct web *w, struct buf *out, const char *type, const char *name,
    const char *label_key, const char *value, const char *error_key,
    const char *extra_attrs)
{
	struct buf	 err;
	char		 id[64], aria[160];

	/* name is one of ours ([a-z0-9_]), safe in an attribute as is. */
	(void)snprintf(id, sizeof(id), "f-%s", name);
	aria[0] = '\0';
	if (error_key != NULL)
		(void)snprintf(aria, sizeof(aria), " aria-invalid=\"true\" "
		    "aria-describedby=\"%s-err\"", id);
	buf_init(&err, 128);
	if (error_key != NULL) {
		struct tmpl_arg args[] = {
			T_TEXT("id", id),
			T_TEXT("message", i18n_get(w->lang, error_key)),
		};

		(void)web_render(w, &err, "field-error", args, T_NARGS(args));
	}
	{
		struct tmpl_arg args[] = {
			T_TEXT("id", id),
			T_TEXT("type", type),
			T_TEXT("name", name),
			T_TEXT("label", i18n_get(w->lang, label_key)),
			T_TEXT("value", value != NULL ? value : ""),
			T_TEXT("invalid", error_key != NULL ? " is-invalid" :
			    ""),
			T_RAW("aria", aria),
			T_RAW("extra", extra_attrs != NULL ? extra_attrs : ""),
			T_RAW("error", err.data),
		};

		(void)web_render(w, out, "field", args, T_NARGS(args));
	}
	buf_free(&err);
}

/*
 * Borrow a connection from Kore's pool (synchronous mode: the queries
 * here are short and indexed; measured faster than async on this
 * hardware, see the Kore guide). Returns 0, or -1 when the database
 * cannot be reached.
 */
int
web_db(struct web *w)
{
	if (w->have_db)
		return (0);
	kore_pgsql_init(&w->sql);
	if (!kore_pgsql_setup(&w->sql, w->replica && settings.dsn_read !=
	    NULL ? WEB_DB_READ : WEB_DB, KORE_PGSQL_SYNC)) {
		kore_log(LOG_NOTICE, "database unavailable: %s",
		    w->sql.error != NULL ? w->sql.error : "?");
		kore_pgsql_cleanup(&w->sql);
		return (-1);
	}
	db_attach(&w->db, w->sql.conn->db);
	/* Hot paths' cache notifications go after the commit (web-cache.c). */
	w->db.defer_notify = 1;
	w->have_db = 1;
	if (!db_ok(&w->db)) {
		kore_log(LOG_NOTICE, "database unavailable: %s",
		    db_error(&w->db));
		return (-1);
	}
	return (0);
}

void
web_end(struct web *w)
{
	web_user_free(w->user);
	w->user = NULL;
	free(w->cache_key);
	w->cache_key = NULL;
	/* After anything but a read, every worker's cache starts over. */
	if (w->req != NULL && w->req->method != HTTP_METHOD_GET &&
	    w->req->method != HTTP_METHOD_HEAD)
		cache_bump();
	if (!w->have_db)
		return;
	if (w->db.notify_user != 0)
		cache_notify_user(w->db.notify_user);
	/* Never hand a connection back to the pool mid-transaction. */
	db_rollback(&w->db);
	kore_pgsql_cleanup(&w->sql);
	w->have_db = 0;
}

/*
 * A number argument in [min, max]. conf/app.conf lets any run of digits
 * through its numeric validators, so that a number out of range is told
 * apart from a missing one: 1 with *out, 0 when absent or empty, -1 when
 * out of range (the caller answers 400).
 */
int
web_arg_num(struct web *w, const char *name, long long min, long long max,
    long long *out)
{
	const char	*v;

	if ((v = web_arg(w, name)) == NULL || *v == '\0')
		return (0);
	return (parse_int(v, min, max, out) == 0 ? 1 : -1);
}

/*
 * The id after prefix in the path (/admin/users/<id>, up to the next
 * '/'), in [1, WEB_ID_MAX]: 0 and *out, or -1 when out of range.
 */
int
web_path_id(struct http_request *req, const char *prefix, long long *out)
{
	const char	*p;
	char		 num[32];
	size_t		 len;

	p = web_path_tail(req, prefix);
	len = strcspn(p, "/");
	if (len == 0 || len >= sizeof(num))
		return (-1);
	memcpy(num, p, len);
	num[len] = '\0';
	return (parse_int(num, 1, WEB_ID_MAX, out));
}

/* The path after prefix, e.g. the slug of /modules/<slug>. */
const char *
web_path_tail(struct http_request *req, const char *prefix)
{
	size_t	len;

	len = strlen(prefix);
	if (strncmp(req->path, prefix, len) != 0)
		return ("");
	return (req->path + len);
}

/* Hours as the page's language writes them: 3, 2,5 (it), 2.5 (en). */
void
web_fmt_hours(struct web *w, char *out, size_t len, double h)
{
	(void)fmt_num(out, len, w->lang, h, h == floor(h) ? 0 : 1, 0);
}

/*
 * Numbers and dates from the database in the page's language (fmt.c),
 * for a template's arguments: the result lives in one of WEB_RING
 * buffers, reused in turn, so that a handler can put a few of them in
 * one argument list (workers are single-threaded).
 */
#define WEB_RING	32
static char	web_ring[WEB_RING][96];
static int	web_ring_at;

static char *
web_ring_next(void)
{
	web_ring_at = (web_ring_at + 1) % WEB_RING;
	return (web_ring[web_ring_at]);
}

/* A number as the database writes it ("6.0", "12"): "6,0", "12". */
const char *
web_num(struct web *w, const char *s)
{
	return (fmt_numstr(web_ring_next(), sizeof(web_ring[0]), w->lang, s,
	    0));
}

/*
 * Role codes as the database lists them ("hr,learner") in words of the
 * page's language ("Ufficio del personale, Corsista"), into out.
 */
const char *
web_roles(struct web *w, const char *codes, char *out, size_t len)
{
	char	*copy, *p, *code, key[64];
	size_t	 n;

	if (len == 0)
		return (out);
	out[0] = '\0';
	copy = xstrdup(codes);
	for (p = copy; (code = strsep(&p, ",")) != NULL;) {
		code = str_trim(code);
		if (*code == '\0')
			continue;
		(void)snprintf(key, sizeof(key), "role.%s", code);
		n = strlen(out);
		(void)snprintf(out + n, len - n, "%s%s", n > 0 ? ", " : "",
		    i18n_get(w->lang, key));
	}
	free(copy);
	return (out);
}

/* An ISO 8601 date (or timestamp): "2 gennaio 2027"; "" when none. */
const char *
web_date(struct web *w, const char *iso)
{
	return (fmt_date(web_ring_next(), sizeof(web_ring[0]), w->lang, iso));
}

/* An ISO 8601 timestamp: "12 marzo 2026, 08:38"; "" when none. */
const char *
web_datetime(struct web *w, const char *iso)
{
	return (fmt_datetime(web_ring_next(), sizeof(web_ring[0]), w->lang,
	    iso));
}

/* Render a template into out; on a template bug answer 500 and log it. */
int
web_render(struct web *w, struct buf *out, const char *name,
    const struct tmpl_arg *args, size_t nargs)
{
	struct tmpl	*t;
	struct buf	 err;

	if ((t = tmpl_find(name)) == NULL) {
		kore_log(LOG_ERR, "template '%s' not found", name);
		return (-1);
	}
	buf_init(&err, 128);
	if (tmpl_render(out, t, w->lang, args, nargs, &err) == -1) {
		kore_log(LOG_ERR, "template error: %s", err.data);
		buf_free(&err);
		return (-1);
	}
	buf_free(&err);
	return (0);
}

/*
 * Send a whole page: main_html (trusted, from templates) inside the
 * layout. title is plain text.
 */
/*
 * The navigation: the catalogue for everyone, then what the user's
 * roles open, and the sign-in link or the user's name and sign-out.
 * Items of one group (group: a message key) that the user may open
 * make one menu of the header (nav-group, a <details> that opens
 * without JavaScript), or a plain item when only one is left: so that
 * the header holds on one line at 1280 px for every role.
 */
static const struct web_nav_item {
	const char	*href;
	const char	*key;
	int		 roles;
	const char	*group;
} web_nav_items[] = {
	{ "/", "nav.catalogue", 0, NULL },
	{ "/learn", "nav.learn", ACCESS_USER, NULL },
	{ "/me/competences", "nav.competences", ACCESS_USER, NULL },
	{ "/assessments", "nav.assessments", ACCESS_USER, NULL },
	{ "/badges", "nav.badges", ACCESS_USER, "nav.g_badges" },
	{ "/verify", "nav.verify", 0, "nav.g_badges" },
	{ "/issuer/badges", "nav.issuer", ROLE_ISSUER, "nav.g_badges" },
	{ "/author", "nav.author", ROLE_TRAINER | ROLE_ADMIN, "nav.g_training" },
	{ "/ratings", "nav.ratings", ROLE_TRAINER, "nav.g_training" },
	{ "/hr/people", "nav.hr", ROLE_HR, "nav.g_hr" },
	{ "/hr/report", "nav.report", ROLE_HR, "nav.g_hr" },
	{ "/hr/roles", "nav.roles", ROLE_HR, "nav.g_hr" },
	{ "/hr/editions", "nav.editions", ROLE_HR, "nav.g_hr" },
	{ "/hr/impact", "nav.impact", ROLE_HR, "nav.g_hr" },
	{ "/hr/funder", "nav.funder", ROLE_HR, "nav.g_hr" },
	{ "/gov", "nav.gov", ROLE_ASSESSOR | ROLE_REVIEWER | ROLE_HR |
	    ROLE_ADMIN, NULL },
	{ "/admin", "nav.admin", ROLE_ADMIN, "nav.g_admin" },
	{ "/admin/users", "nav.users", ROLE_ADMIN, "nav.g_admin" },
	{ "/admin/orgs", "nav.orgs", ROLE_ADMIN, "nav.g_admin" },
	{ "/admin/audit", "nav.audit", ROLE_ADMIN, "nav.g_admin" },
};

static int
web_nav_visible(struct web *w, const struct web_nav_item *it)
{
	if (it->roles == 0)
		return (1);
	if (it->roles == ACCESS_USER)
		return (w->user != NULL);
	return (web_has_role(w, it->roles));
}

/* One item of the header, or a group of them; returns the next index. */
static size_t
web_nav_one(struct web *w, struct buf *nav, size_t i)
{
	const struct web_nav_item	*it = &web_nav_items[i];
	const size_t			 n = sizeof(web_nav_items) /
					    sizeof(web_nav_items[0]);
	struct buf			 items;
	size_t				 j, end, shown, only;
	int				 cur, any;

	end = i + 1;
	while (it->group != NULL && end < n && web_nav_items[end].group !=
	    NULL && strcmp(web_nav_items[end].group, it->group) == 0)
		end++;
	shown = any = 0;
	only = i;
	buf_init(&items, 512);
	for (j = i; j < end; j++) {
		if (!web_nav_visible(w, &web_nav_items[j]))
			continue;
		shown++;
		only = j;
		cur = strcmp(web_nav_items[j].href, w->req->path) == 0;
		any |= cur;
		{
			struct tmpl_arg args[] = {
				T_TEXT("href", web_nav_items[j].href),
				T_TEXT("label", i18n_get(w->lang,
				    web_nav_items[j].key)),
				T_TEXT("current", cur ? "page" : "false"),
				T_TEXT("active", cur ? " active" : ""),
			};

			(void)web_render(w, &items, "nav-group-item", args,
			    T_NARGS(args));
		}
	}
	if (shown == 1 || (shown > 0 && it->group == NULL)) {
		cur = strcmp(web_nav_items[only].href, w->req->path) == 0;
		{
			struct tmpl_arg args[] = {
				T_TEXT("href", web_nav_items[only].href),
				T_TEXT("label", i18n_get(w->lang,
				    web_nav_items[only].key)),
				T_TEXT("current", cur ? "page" : "false"),
				T_TEXT("active", cur ? " active" : ""),
			};

			(void)web_render(w, nav, "nav-item", args,
			    T_NARGS(args));
		}
	} else if (shown > 1) {
		struct tmpl_arg args[] = {
			T_TEXT("label", i18n_get(w->lang, it->group)),
			T_TEXT("active", any ? " active" : ""),
			T_RAW("items", items.data),
		};

		(void)web_render(w, nav, "nav-group", args, T_NARGS(args));
	}
	buf_free(&items);
	return (end);
}

static void
web_nav(struct web *w, struct buf *nav, struct buf *account)
{
	size_t	i;

	for (i = 0; i < sizeof(web_nav_items) / sizeof(web_nav_items[0]);)
		i = web_nav_one(w, nav, i);
	if (w->user != NULL) {
		struct tmpl_arg args[] = {
			T_TEXT("name", w->user->name),
			T_TEXT("csrf", w->user->csrf),
		};

		(void)web_render(w, account, "nav-user", args, T_NARGS(args));
	} else {
		struct buf	next;

		buf_init(&next, 64);
		web_here(w, &next);
		{
			struct tmpl_arg args[] = {
				T_TEXT("next", next.data),
			};

			(void)web_render(w, account, "nav-anon", args,
			    T_NARGS(args));
		}
		buf_free(&next);
	}
}

/*
 * Send a whole page: main_html (trusted, from templates) inside the
 * layout. title is plain text.
 */
int
web_page(struct web *w, int status, const char *title, const char *main_html)
{
	struct buf	 page, here, nav, account;
	const char	*lang;

	lang = i18n_lang_code(w->lang);
	buf_init(&here, 128);
	buf_init(&nav, 512);
	buf_init(&account, 512);
	web_here(w, &here);
	web_nav(w, &nav, &account);
	buf_init(&page, 8192 + strlen(main_html));
	{
		struct tmpl_arg args[] = {
			T_TEXT("lang", lang),
			T_TEXT("title", title),
			T_TEXT("site_name", settings.site_name),
			T_TEXT("other_lang", w->lang == LANG_IT ? "en" : "it"),
			T_TEXT("other_lang_name", w->lang == LANG_IT ?
			    "English" : "Italiano"),
			T_TEXT("here", here.data),
			T_RAW("nav", nav.data),
			T_RAW("account", account.data),
			T_RAW("main", main_html),
		};

		if (web_render(w, &page, "layout", args,
		    T_NARGS(args)) == -1) {
			buf_free(&here);
			buf_free(&nav);
			buf_free(&account);
			buf_free(&page);
			web_headers(w->req);
			http_response(w->req, 500, NULL, 0);
			web_end(w);
			return (KORE_RESULT_OK);
		}
	}
	if (w->cache_key != NULL && status == 200)
		cache_page_put(w->cache_key, w->user != NULL ? w->user->id : 0,
		    "text/html; charset=utf-8", page.data, page.len);
	web_headers(w->req);
	http_response_header(w->req, "content-type",
	    "text/html; charset=utf-8");
	http_response_header(w->req, "cache-control", w->user != NULL ?
	    "no-store" : "no-cache");
	http_response(w->req, status, page.data, page.len);
	buf_free(&here);
	buf_free(&nav);
	buf_free(&account);
	buf_free(&page);
	web_end(w);
	return (KORE_RESULT_OK);
}

/* An error page in the page language; msgkey names its explanation. */
int
web_error(struct web *w, int status, const char *msgkey)
{
	struct buf	 main;
	char		 code[16], key[32];

	(void)snprintf(code, sizeof(code), "%d", status);
	(void)snprintf(key, sizeof(key), "error.%d", status);
	buf_init(&main, 1024);
	{
		struct tmpl_arg args[] = {
			T_TEXT("status", code),
			T_TEXT("heading", i18n_get(w->lang, key)),
			T_TEXT("message", i18n_get(w->lang, msgkey)),
		};

		if (web_render(w, &main, "error", args, T_NARGS(args)) == -1) {
			buf_free(&main);
			web_headers(w->req);
			http_response(w->req, status, NULL, 0);
			web_end(w);
			return (KORE_RESULT_OK);
		}
	}
	if (status == 503)
		http_response_header(w->req, "retry-after", WEB_RETRY_AFTER);
	(void)web_page(w, status, i18n_get(w->lang, key), main.data);
	buf_free(&main);
	return (KORE_RESULT_OK);
}

/*
 * The one answer to a failure: the kind's status and its message page;
 * the detail goes to the log only. 503 carries Retry-After.
 */
int
web_fail(struct web *w, const struct fail *f)
{
	int	status;

	status = fail_status(f);
	if (f->detail[0] != '\0')
		kore_log(status >= 500 ? LOG_ERR : LOG_INFO, "%s: %s",
		    w->req->path, f->detail);
	return (web_error(w, status, f->key[0] != '\0' ? f->key :
	    fail_key(f->kind)));
}

/* The one JSON error body, {"error": message}; 503 with Retry-After. */
int
web_json_error(struct web *w, int status, const char *message)
{
	struct buf	b;

	buf_init(&b, 128);
	buf_puts(&b, "{\"error\":");
	json_quote(&b, message);
	buf_puts(&b, "}\n");
	if (status == 503)
		http_response_header(w->req, "retry-after", WEB_RETRY_AFTER);
	(void)web_json(w->req, status, &b);
	buf_free(&b);
	web_end(w);
	return (KORE_RESULT_OK);
}

/* A failure answered in JSON, its message in the request's language. */
int
web_fail_json(struct web *w, const struct fail *f)
{
	int	status;

	status = fail_status(f);
	if (f->detail[0] != '\0')
		kore_log(status >= 500 ? LOG_ERR : LOG_INFO, "%s: %s",
		    w->req->path, f->detail);
	return (web_json_error(w, status, i18n_get(w->lang,
	    f->key[0] != '\0' ? f->key : fail_key(f->kind))));
}

int
web_db_error(struct web *w)
{
	if (w->have_db && db_error(&w->db)[0] != '\0')
		kore_log(LOG_ERR, "%s: database: %s", w->req->path,
		    db_error(&w->db));
	return (web_error(w, 503, "error.503.db"));
}

int
web_redirect(struct web *w, const char *location)
{
	web_headers(w->req);
	http_response_header(w->req, "location", location);
	http_response(w->req, 303, NULL, 0);
	web_end(w);
	return (KORE_RESULT_OK);
}

int
web_json(struct http_request *req, int status, struct buf *b)
{
	web_headers(req);
	http_response_header(req, "content-type",
	    "application/json; charset=utf-8");
	http_response_header(req, "cache-control", "no-store");
	http_response(req, status, b->data, b->len);
	return (KORE_RESULT_OK);
}

/* One <option> of a select list (template "option"), escaped. */
int
web_option(struct web *w, struct buf *out, const char *value,
    const char *label, int selected)
{
	struct tmpl_arg args[] = {
		T_TEXT("value", value),
		T_TEXT("label", label),
		T_RAW("selected", selected ? " selected" : ""),
	};

	return (web_render(w, out, "option", args, T_NARGS(args)));
}

/*
 * The form of a CSV download (csv_out_init): Italian for an Italian
 * page, the international one for an English page or ?format=intl.
 */
enum lang
web_csv_lang(struct web *w)
{
	const char	*f;

	if (w->lang != LANG_IT || ((f = web_arg(w, "format")) != NULL &&
	    strcmp(f, "intl") == 0))
		return (LANG_EN);
	return (LANG_IT);
}

/*
 * A CSV download named filename (a plain name: no quote, no path);
 * private ones (people's data) are not stored by any cache.
 */
int
web_csv(struct http_request *req, const char *filename, int private,
    struct buf *b)
{
	char	disp[160];

	(void)snprintf(disp, sizeof(disp), "attachment; filename=\"%s\"",
	    filename);
	web_headers(req);
	http_response_header(req, "content-type", "text/csv; charset=utf-8");
	http_response_header(req, "content-disposition", disp);
	if (private)
		http_response_header(req, "cache-control", "no-store");
	http_response(req, 200, b->data, b->len);
	return (KORE_RESULT_OK);
}

/*
 * A url-encoded POST body parsed by form.c, for forms whose field
 * names cannot be declared in conf/app.conf (the quiz, the course
 * editor's modules). -1 when larger than max or malformed.
 */
int
web_read_form(struct http_request *req, size_t max, struct form *f)
{
	struct buf	body, err;
	char		chunk[4096];
	ssize_t		n;
	int		rc;

	buf_init(&body, 4096);
	for (;;) {
		if ((n = http_body_read(req, chunk, sizeof(chunk))) <= 0)
			break;
		buf_append(&body, chunk, (size_t)n);
		if (body.len > max)
			break;
	}
	buf_init(&err, 64);
	rc = n < 0 || body.len > max ||
	    form_parse(f, body.data, body.len, &err) == -1 ? -1 : 0;
	buf_free(&body);
	buf_free(&err);
	return (rc);
}
