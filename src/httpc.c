/*
 * httpc.c: the outgoing calls, through libcurl: HTTP to identity
 * providers (discovery, keys, the token endpoint) and SMTP to the mail
 * relay. Every call is bounded: a connect timeout, a total timeout, a
 * size limit on what is read, HTTP(S) or SMTP only, no redirects
 * followed, no signals (the callers run in Kore task threads).
 *
 * They block their thread for at most the total timeout: the server
 * calls them from Kore tasks (page-oidc.c) and from the mail runner's
 * thread (app.c), never from a worker's event loop.
 */

#include <stdlib.h>
#include <string.h>

#include <curl/curl.h>

#include "capacita.h"

#define HTTPC_CONNECT_S		3
#define HTTPC_TOTAL_S		8
#define SMTP_CONNECT_S		5
#define SMTP_TOTAL_S		30

struct httpc_sink {
	struct buf	*out;
	size_t		 max;
	int		 over;
};

struct smtp_source {
	const char	*data;
	size_t		 len;
	size_t		 off;
};

static CURL	*httpc_open(const char *, struct buf *);
static size_t	httpc_write(char *, size_t, size_t, void *);
static size_t	smtp_read(char *, size_t, size_t, void *);
static int	httpc_perform(CURL *, struct httpc_sink *, long *,
		    struct buf *);

/* Once per process, before any thread: curl_global_init is not safe. */
void
httpc_init(void)
{
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != 0)
		die("curl_global_init failed");
}

static size_t
httpc_write(char *ptr, size_t size, size_t n, void *arg)
{
	struct httpc_sink	*s = arg;

	if (s->out->len + n > s->max) {
		s->over = 1;
		return (0);	/* curl stops with CURLE_WRITE_ERROR */
	}
	buf_append(s->out, ptr, n);
	(void)size;
	return (n);
}

/* A handle for url, with the limits every request of ours has. */
static CURL *
httpc_open(const char *url, struct buf *err)
{
	CURL	*c;

	if ((c = curl_easy_init()) == NULL) {
		buf_puts(err, "curl_easy_init failed");
		return (NULL);
	}
	(void)curl_easy_setopt(c, CURLOPT_URL, url);
	(void)curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
	(void)curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
	(void)curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	(void)curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, (long)HTTPC_CONNECT_S);
	(void)curl_easy_setopt(c, CURLOPT_TIMEOUT, (long)HTTPC_TOTAL_S);
	(void)curl_easy_setopt(c, CURLOPT_USERAGENT, "Capacita/"
	    CAPACITA_VERSION);
	(void)curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 1L);
	(void)curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 2L);
	return (c);
}

static int
httpc_perform(CURL *c, struct httpc_sink *sink, long *status,
    struct buf *err)
{
	CURLcode	rc;

	(void)curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, httpc_write);
	(void)curl_easy_setopt(c, CURLOPT_WRITEDATA, sink);
	rc = curl_easy_perform(c);
	*status = 0;
	(void)curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, status);
	if (sink->over) {
		buf_printf(err, "the answer is larger than %zu bytes",
		    sink->max);
		return (-1);
	}
	if (rc != CURLE_OK) {
		buf_printf(err, "%s", curl_easy_strerror(rc));
		return (-1);
	}
	return (0);
}

/*
 * GET url into out (at most max bytes), with an access token as
 * "Authorization: Bearer" when bearer is not NULL (RFC 6750 2.1; the
 * caller checked its characters). Returns 0 with the HTTP status in
 * *status, or -1 with the reason in err (unreachable, timed out, too
 * large).
 */
int
httpc_get(const char *url, const char *bearer, size_t max, struct buf *out,
    long *status, struct buf *err)
{
	struct httpc_sink	 sink = { out, max, 0 };
	struct curl_slist	*hdrs;
	struct buf		 auth;
	CURL			*c;
	int			 rc;

	if ((c = httpc_open(url, err)) == NULL)
		return (-1);
	hdrs = curl_slist_append(NULL, "Accept: application/json");
	buf_init(&auth, 64);
	if (bearer != NULL) {
		buf_printf(&auth, "Authorization: Bearer %s", bearer);
		hdrs = curl_slist_append(hdrs, auth.data);
	}
	(void)curl_easy_setopt(c, CURLOPT_HTTPHEADER, hdrs);
	rc = httpc_perform(c, &sink, status, err);
	curl_slist_free_all(hdrs);
	curl_easy_cleanup(c);
	buf_free(&auth);
	return (rc);
}

/*
 * POST a form (application/x-www-form-urlencoded body) to url with HTTP
 * Basic authentication user:password (client_secret_basic; both are
 * form-urlencoded first, RFC 6749 2.3.1).
 */
int
httpc_post_form(const char *url, const char *user, const char *password,
    const char *body, size_t max, struct buf *out, long *status,
    struct buf *err)
{
	struct httpc_sink	 sink = { out, max, 0 };
	struct curl_slist	*hdrs;
	struct buf		 u, p;
	CURL			*c;
	int			 rc;

	if ((c = httpc_open(url, err)) == NULL)
		return (-1);
	buf_init(&u, 64);
	buf_init(&p, 64);
	url_encode(&u, user);
	url_encode(&p, password);
	(void)curl_easy_setopt(c, CURLOPT_HTTPAUTH, (long)CURLAUTH_BASIC);
	(void)curl_easy_setopt(c, CURLOPT_USERNAME, u.data);
	(void)curl_easy_setopt(c, CURLOPT_PASSWORD, p.data);
	(void)curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
	hdrs = curl_slist_append(NULL, "Accept: application/json");
	(void)curl_easy_setopt(c, CURLOPT_HTTPHEADER, hdrs);
	rc = httpc_perform(c, &sink, status, err);
	curl_slist_free_all(hdrs);
	curl_easy_cleanup(c);
	buf_free(&u);
	buf_free(&p);
	return (rc);
}

static size_t
smtp_read(char *ptr, size_t size, size_t n, void *arg)
{
	struct smtp_source	*s = arg;
	size_t			 len;

	len = size * n;
	if (len > s->len - s->off)
		len = s->len - s->off;
	memcpy(ptr, s->data + s->off, len);
	s->off += len;
	return (len);
}

/*
 * Send one message (RFC 5322 text, CRLF lines) from from to to through
 * the relay of the settings: STARTTLS required unless smtp_security is
 * "tls" (implicit TLS) or "none" (a relay on this host). 0 when the
 * relay accepted it; -1 with the relay's or the network's reason.
 */
int
smtp_send(const char *from, const char *to, const char *msg, size_t len,
    struct buf *err)
{
	struct smtp_source	 src = { msg, len, 0 };
	struct curl_slist	*rcpt;
	struct buf		 url, addr;
	CURL			*c;
	CURLcode		 rc;
	int			 tls;

	if (settings.smtp_host == NULL) {
		buf_puts(err, "no relay configured (smtp_host)");
		return (-1);
	}
	if ((c = curl_easy_init()) == NULL) {
		buf_puts(err, "curl_easy_init failed");
		return (-1);
	}
	tls = strcmp(settings.smtp_security, "tls") == 0;
	buf_init(&url, 128);
	buf_printf(&url, "%s://%s:%d/capacita", tls ? "smtps" : "smtp",
	    settings.smtp_host, settings.smtp_port);
	(void)curl_easy_setopt(c, CURLOPT_URL, url.data);
	(void)curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
	(void)curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	(void)curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, (long)SMTP_CONNECT_S);
	(void)curl_easy_setopt(c, CURLOPT_TIMEOUT, (long)SMTP_TOTAL_S);
	if (strcmp(settings.smtp_security, "starttls") == 0)
		(void)curl_easy_setopt(c, CURLOPT_USE_SSL, (long)CURLUSESSL_ALL);
	if (settings.smtp_user != NULL) {
		(void)curl_easy_setopt(c, CURLOPT_USERNAME, settings.smtp_user);
		(void)curl_easy_setopt(c, CURLOPT_PASSWORD,
		    settings.smtp_password != NULL ? settings.smtp_password :
		    "");
	}
	buf_init(&addr, 128);
	buf_printf(&addr, "<%s>", from);
	(void)curl_easy_setopt(c, CURLOPT_MAIL_FROM, addr.data);
	buf_reset(&addr);
	buf_printf(&addr, "<%s>", to);
	rcpt = curl_slist_append(NULL, addr.data);
	(void)curl_easy_setopt(c, CURLOPT_MAIL_RCPT, rcpt);
	(void)curl_easy_setopt(c, CURLOPT_READFUNCTION, smtp_read);
	(void)curl_easy_setopt(c, CURLOPT_READDATA, &src);
	(void)curl_easy_setopt(c, CURLOPT_UPLOAD, 1L);
	rc = curl_easy_perform(c);
	if (rc != CURLE_OK)
		buf_printf(err, "smtp %s:%d: %s", settings.smtp_host,
		    settings.smtp_port, curl_easy_strerror(rc));
	curl_slist_free_all(rcpt);
	curl_easy_cleanup(c);
	buf_free(&url);
	buf_free(&addr);
	return (rc == CURLE_OK ? 0 : -1);
}
