/*
 * idp.c: talking to identity providers: discovery, the JWKS and the
 * token endpoint (through httpc.c), with what they said kept in memory
 * per process: the discovery document for an hour, the keys until a
 * token names a key they do not have (the provider rotated its keys),
 * then fetched again, at most once every IDP_JWKS_MIN_S seconds so
 * that tokens with made-up key ids cannot make us hammer the provider.
 *
 * Called from Kore task threads: the cache is behind a mutex, and
 * nothing here touches Kore or the database.
 */

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "capacita.h"

#define IDP_DOC_MAX		(64 * 1024)
#define IDP_DISCOVERY_TTL	3600
#define IDP_JWKS_TTL		3600
#define IDP_JWKS_MIN_S		10
#define IDP_CACHE_MAX		16

struct idp_cache {
	char			 name[64];
	struct oidc_discovery	 disc;
	time_t			 disc_at;
	char			*jwks;
	time_t			 jwks_at;
};

static pthread_mutex_t	 idp_lock = PTHREAD_MUTEX_INITIALIZER;
static struct idp_cache	 idp_cache[IDP_CACHE_MAX];

static struct idp_cache	*idp_entry(const struct oidc_provider *);
static int		 idp_fetch(const char *, struct buf *, struct buf *);
static void		 idp_disc_copy(struct oidc_discovery *,
			    const struct oidc_discovery *);
static int		 idp_jwks(const struct oidc_provider *, int, char **,
			    struct buf *);

/* Under idp_lock. */
static struct idp_cache *
idp_entry(const struct oidc_provider *p)
{
	size_t	i;

	for (i = 0; i < IDP_CACHE_MAX; i++) {
		if (strcmp(idp_cache[i].name, p->name) == 0)
			return (&idp_cache[i]);
	}
	for (i = 0; i < IDP_CACHE_MAX; i++) {
		if (idp_cache[i].name[0] == '\0') {
			xstrlcpy(idp_cache[i].name, p->name,
			    sizeof(idp_cache[i].name));
			return (&idp_cache[i]);
		}
	}
	return (NULL);
}

/* GET a JSON document: 200 and at most IDP_DOC_MAX bytes, or -1. */
static int
idp_fetch(const char *url, struct buf *out, struct buf *err)
{
	long	status;

	if (httpc_get(url, IDP_DOC_MAX, out, &status, err) == -1)
		return (-1);
	if (status != 200) {
		buf_printf(err, "%s answered HTTP %ld", url, status);
		return (-1);
	}
	return (0);
}

static void
idp_disc_copy(struct oidc_discovery *to, const struct oidc_discovery *from)
{
	memset(to, 0, sizeof(*to));
	to->issuer = xstrdup(from->issuer);
	to->authorization_endpoint = xstrdup(from->authorization_endpoint);
	to->token_endpoint = xstrdup(from->token_endpoint);
	to->jwks_uri = xstrdup(from->jwks_uri);
	if (from->end_session_endpoint != NULL)
		to->end_session_endpoint =
		    xstrdup(from->end_session_endpoint);
}

/*
 * The provider's discovery document (a copy for the caller to free):
 * from the cache, or fetched. -1 when the provider cannot be reached or
 * its document is wrong (err says which).
 */
int
idp_discover(const struct oidc_provider *p, struct oidc_discovery *out,
    struct buf *err)
{
	struct idp_cache	*e;
	struct oidc_discovery	 d;
	struct buf		 doc, url;
	time_t			 now;
	int			 rc;

	now = time(NULL);
	pthread_mutex_lock(&idp_lock);
	if ((e = idp_entry(p)) != NULL && e->disc.issuer != NULL &&
	    now - e->disc_at < IDP_DISCOVERY_TTL) {
		idp_disc_copy(out, &e->disc);
		pthread_mutex_unlock(&idp_lock);
		return (0);
	}
	pthread_mutex_unlock(&idp_lock);

	buf_init(&doc, 4096);
	buf_init(&url, 256);
	buf_puts(&url, p->issuer);
	while (url.len > 0 && url.data[url.len - 1] == '/')
		url.data[--url.len] = '\0';
	buf_puts(&url, "/.well-known/openid-configuration");
	rc = idp_fetch(url.data, &doc, err);
	if (rc == 0)
		rc = oidc_discovery_parse(doc.data, doc.len, p->issuer, &d,
		    err);
	buf_free(&doc);
	buf_free(&url);
	if (rc == -1)
		return (-1);
	idp_disc_copy(out, &d);
	pthread_mutex_lock(&idp_lock);
	if ((e = idp_entry(p)) != NULL) {
		oidc_discovery_free(&e->disc);
		e->disc = d;
		e->disc_at = now;
	} else
		oidc_discovery_free(&d);
	pthread_mutex_unlock(&idp_lock);
	return (0);
}

/*
 * The provider's keys (a copy): cached, or fetched when there are none,
 * when they are old, or when again is set (a token named a key we do
 * not have) and the last fetch is more than IDP_JWKS_MIN_S ago.
 */
static int
idp_jwks(const struct oidc_provider *p, int again, char **out,
    struct buf *err)
{
	struct idp_cache	*e;
	struct oidc_discovery	 d;
	struct buf		 doc;
	time_t			 now;

	*out = NULL;
	now = time(NULL);
	pthread_mutex_lock(&idp_lock);
	e = idp_entry(p);
	if (e != NULL && e->jwks != NULL) {
		if ((!again && now - e->jwks_at < IDP_JWKS_TTL) ||
		    (again && now - e->jwks_at < IDP_JWKS_MIN_S)) {
			*out = xstrdup(e->jwks);
			pthread_mutex_unlock(&idp_lock);
			return (0);
		}
	}
	pthread_mutex_unlock(&idp_lock);

	if (idp_discover(p, &d, err) == -1)
		return (-1);
	buf_init(&doc, 4096);
	if (idp_fetch(d.jwks_uri, &doc, err) == -1) {
		buf_free(&doc);
		oidc_discovery_free(&d);
		return (-1);
	}
	oidc_discovery_free(&d);
	pthread_mutex_lock(&idp_lock);
	if ((e = idp_entry(p)) != NULL) {
		free(e->jwks);
		e->jwks = xstrdup(doc.data);
		e->jwks_at = now;
	}
	pthread_mutex_unlock(&idp_lock);
	*out = buf_release(&doc);
	return (0);
}

/*
 * The second half of a sign-in: exchange the code (with the PKCE
 * verifier) at the token endpoint, and check the ID token against the
 * provider's keys and this sign-in's nonce. On IDP_OK, id is filled and
 * *id_token and *end_session (or NULL) are for the caller to free.
 */
int
idp_sign_in(const struct oidc_provider *p, const char *code,
    const char *verifier, const char *nonce, struct oidc_identity *id,
    char **id_token, char **end_session, struct buf *err)
{
	struct oidc_discovery	 d;
	struct buf		 body, answer;
	char			*jwks;
	long			 status;
	int			 rc, v;

	*id_token = NULL;
	*end_session = NULL;
	memset(id, 0, sizeof(*id));
	if (idp_discover(p, &d, err) == -1)
		return (IDP_UNREACHABLE);
	buf_init(&body, 512);
	buf_init(&answer, 4096);
	buf_puts(&body, "grant_type=authorization_code&code=");
	url_encode(&body, code);
	buf_puts(&body, "&redirect_uri=");
	url_encode(&body, p->redirect_uri);
	buf_puts(&body, "&code_verifier=");
	url_encode(&body, verifier);
	rc = IDP_OK;
	if (httpc_post_form(d.token_endpoint, p->client_id, p->client_secret,
	    body.data, IDP_DOC_MAX, &answer, &status, err) == -1)
		rc = IDP_UNREACHABLE;
	else if (status >= 500) {
		buf_printf(err, "the token endpoint answered HTTP %ld",
		    status);
		rc = IDP_UNREACHABLE;
	} else if (status != 200 || oidc_token_parse(answer.data,
	    answer.len, id_token, err) == -1)
		rc = IDP_REFUSED;
	buf_free(&body);
	buf_free(&answer);
	if (rc != IDP_OK)
		goto out;

	if ((v = idp_jwks(p, 0, &jwks, err)) == -1) {
		rc = IDP_UNREACHABLE;
		goto out;
	}
	v = oidc_verify(jwks, strlen(jwks), *id_token, p, nonce, time(NULL),
	    id, err);
	free(jwks);
	if (v == OIDC_KID) {
		/* Perhaps rotated: the keys again, if not fetched just now. */
		buf_reset(err);
		if (idp_jwks(p, 1, &jwks, err) == -1) {
			rc = IDP_UNREACHABLE;
			goto out;
		}
		v = oidc_verify(jwks, strlen(jwks), *id_token, p, nonce,
		    time(NULL), id, err);
		free(jwks);
	}
	if (v != OIDC_OK) {
		rc = IDP_REFUSED;
		goto out;
	}
	if (d.end_session_endpoint != NULL)
		*end_session = xstrdup(d.end_session_endpoint);
out:
	if (rc != IDP_OK) {
		free(*id_token);
		*id_token = NULL;
		oidc_identity_free(id);
	}
	oidc_discovery_free(&d);
	return (rc);
}
