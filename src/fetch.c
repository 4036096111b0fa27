/*
 * fetch.c: other issuers' controller documents, fetched from the origins
 * of the allow-list trusted_issuers (conf/capacita.conf) only, with
 * libcurl: a 5 s timeout, 64 KB at most, redirects followed only on the
 * same origin (at most 3), no cookies, no other protocol than the
 * origin's. Answers are cached for 5 minutes in the process (a worker,
 * or one run of bin/capacita).
 */

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <curl/curl.h>

#include "capacita.h"

#define FETCH_MAX	(64 * 1024)
#define FETCH_TTL	300
#define FETCH_CACHE	16

struct cached {
	char	*url;
	char	*body;
	time_t	 at;
};

static struct cached	cache[FETCH_CACHE];

static size_t	fetch_write(char *, size_t, size_t, void *);
static int	same_origin(const char *, const char *);
static size_t	origin_len(const char *);

/* The length of "scheme://host[:port]" at the start of url, or 0. */
static size_t
origin_len(const char *url)
{
	const char	*p;

	if (strncmp(url, "https://", 8) == 0)
		p = url + 8;
	else if (strncmp(url, "http://", 7) == 0)
		p = url + 7;
	else
		return (0);
	p += strcspn(p, "/?#");
	return ((size_t)(p - url));
}

static int
same_origin(const char *a, const char *b)
{
	size_t	n;

	n = origin_len(a);
	return (n > 0 && n == origin_len(b) && strncasecmp(a, b, n) == 0);
}

/*
 * Is url under one of the origins of list (separated by commas or
 * spaces)? An origin matches exactly: scheme, host and port.
 */
int
issuer_allowed(const char *list, const char *url)
{
	const char	*p;
	size_t		 n, ol;

	if (list == NULL || (ol = origin_len(url)) == 0)
		return (0);
	for (p = list; *p != '\0'; p += n) {
		p += strspn(p, ", ");
		n = strcspn(p, ", ");
		while (n > 0 && p[n - 1] == '/')
			n--;
		if (n > 0 && n == ol && strncasecmp(p, url, n) == 0)
			return (1);
		n += strcspn(p + n, ", ");
	}
	return (0);
}

static size_t
fetch_write(char *data, size_t size, size_t nmemb, void *arg)
{
	struct buf	*b = arg;
	size_t		 n = size * nmemb;

	if (b->len + n > FETCH_MAX)
		return (0);	/* libcurl stops with CURLE_WRITE_ERROR */
	buf_append(b, data, n);
	return (n);
}

/* A vc_trust fetcher: the document at issuer (an https URL). */
int
issuer_fetch(const char *issuer, struct buf *out, struct buf *err, void *arg)
{
	CURL		*c;
	CURLcode	 rc;
	struct buf	 body;
	char		*url, *loc;
	long		 code;
	time_t		 now;
	int		 hops, i, slot;

	(void)arg;
	if (!issuer_allowed(settings.trusted_issuers, issuer)) {
		buf_puts(err, "its origin is not in trusted_issuers");
		return (-1);
	}
	now = time(NULL);
	slot = 0;
	for (i = 0; i < FETCH_CACHE; i++) {
		if (cache[i].url != NULL && strcmp(cache[i].url, issuer) == 0 &&
		    now - cache[i].at < FETCH_TTL) {
			buf_puts(out, cache[i].body);
			return (0);
		}
		if (cache[i].at < cache[slot].at)
			slot = i;
	}

	if ((c = curl_easy_init()) == NULL) {
		buf_puts(err, "cannot start libcurl");
		return (-1);
	}
	url = xstrdup(issuer);
	url[strcspn(url, "#")] = '\0';
	buf_init(&body, 4096);
	code = 0;
	rc = CURLE_OK;
	for (hops = 0; hops <= 3; hops++) {
		buf_reset(&body);
		curl_easy_reset(c);
		(void)curl_easy_setopt(c, CURLOPT_URL, url);
		(void)curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
		(void)curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
		(void)curl_easy_setopt(c, CURLOPT_TIMEOUT, 5L);
		(void)curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, 3L);
		(void)curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
		(void)curl_easy_setopt(c, CURLOPT_MAXFILESIZE, (long)FETCH_MAX);
		(void)curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, fetch_write);
		(void)curl_easy_setopt(c, CURLOPT_WRITEDATA, &body);
		(void)curl_easy_setopt(c, CURLOPT_USERAGENT, "Capacita/"
		    CAPACITA_VERSION);
		(void)curl_easy_setopt(c, CURLOPT_HTTPHEADER, NULL);
		if ((rc = curl_easy_perform(c)) != CURLE_OK)
			break;
		(void)curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &code);
		if (code < 300 || code > 399)
			break;
		loc = NULL;
		(void)curl_easy_getinfo(c, CURLINFO_REDIRECT_URL, &loc);
		if (loc == NULL || !same_origin(loc, issuer)) {
			buf_printf(err, "%s redirects to another host", url);
			goto fail;
		}
		free(url);
		url = xstrdup(loc);
	}
	if (rc == CURLE_WRITE_ERROR || rc == CURLE_FILESIZE_EXCEEDED) {
		buf_printf(err, "%s is larger than %d KB", url, FETCH_MAX / 1024);
		goto fail;
	}
	if (rc != CURLE_OK) {
		buf_printf(err, "%s: %s", url, curl_easy_strerror(rc));
		goto fail;
	}
	if (code != 200) {
		buf_printf(err, "%s answers %ld", url, code);
		goto fail;
	}
	buf_append(out, body.data, body.len);
	free(cache[slot].url);
	free(cache[slot].body);
	cache[slot].url = xstrdup(issuer);
	cache[slot].body = xstrndup(body.data, body.len);
	cache[slot].at = now;
	free(url);
	buf_free(&body);
	curl_easy_cleanup(c);
	return (0);
fail:
	free(url);
	buf_free(&body);
	curl_easy_cleanup(c);
	return (-1);
}
