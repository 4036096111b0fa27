/*
 * assets.c: static files (our CSS and images, Bootstrap Italia from
 * node_modules) read once by the parent before the workers fork and
 * served from memory with an ETag and, for text, a gzip copy made at
 * load time. Only files found at start can be served: a request path is
 * looked up as a whole string, so "../" can never reach the disk.
 */

#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>


#include "web.h"

struct asset {
	char		*url;
	const char	*ctype;
	char		*data;
	size_t		 len;
	char		*gz;
	size_t		 gzlen;
	char		 etag[20];
};

struct asset_root {
	const char	*dir;		/* under the project root */
	const char	*url;		/* URL prefix */
	const char	*only;		/* if set, the one suffix served */
};

static const struct asset_root	roots[] = {
	{ "assets/css", "/assets/css", NULL },
	{ "assets/js", "/assets/js", NULL },
	{ "assets/img", "/assets/img", NULL },
	{ "node_modules/bootstrap-italia/dist/css", "/assets/bi/css", NULL },
	{ "node_modules/bootstrap-italia/dist/svg", "/assets/bi/svg", NULL },
	/*
	 * Bootstrap Italia's components as ES modules (the header's
	 * collapsible menu imports a dozen of them, 47 KB), not its 1 MB
	 * bundle; the source maps are not served.
	 */
	{ "node_modules/bootstrap-italia/dist/plugins", "/assets/bi/js",
	    ".js" },
	/*
	 * Every worker holds the assets in memory, so only what pages use:
	 * no bundle of Bootstrap Italia's JavaScript (1.3 MB), the fonts as
	 * WOFF2, the one format capacita.css declares (not 2.4 MB of EOT,
	 * TTF, SVG and WOFF copies).
	 */
	{ "node_modules/bootstrap-italia/dist/fonts", "/assets/bi/fonts",
	    ".woff2" },
};

static const struct {
	const char	*ext;
	const char	*ctype;
	int		 compress;
} types[] = {
	{ ".css", "text/css; charset=utf-8", 1 },
	{ ".js", "text/javascript; charset=utf-8", 1 },
	{ ".svg", "image/svg+xml", 1 },
	{ ".png", "image/png", 0 },
	{ ".ico", "image/x-icon", 0 },
	{ ".woff2", "font/woff2", 0 },
};

static struct asset	*assets;
static size_t		 nassets;

static int	asset_cmp(const void *, const void *);
static int	asset_walk(const char *, const char *, const char *,
		    struct diaglist *);
static void	asset_add(const char *, const char *, struct diaglist *);

static int
asset_cmp(const void *a, const void *b)
{
	return (strcmp(((const struct asset *)a)->url,
	    ((const struct asset *)b)->url));
}

static void
asset_add(const char *path, const char *url, struct diaglist *dl)
{
	struct asset	*a;
	char		 hex[SHA256_HEX_LEN + 1];
	size_t		 i;

	for (i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
		if (str_has_suffix(path, types[i].ext))
			break;
	}
	if (i == sizeof(types) / sizeof(types[0]))
		return;
	assets = xreallocarray(assets, nassets + 1, sizeof(*assets));
	a = &assets[nassets];
	memset(a, 0, sizeof(*a));
	if (file_read(path, &a->data, &a->len, 16 * 1024 * 1024) == -1) {
		diag_add(dl, path, 0, "cannot read asset: %s",
		    strerror(errno));
		return;
	}
	a->url = xstrdup(url);
	a->ctype = types[i].ctype;
	sha256_hex(a->data, a->len, hex);
	(void)snprintf(a->etag, sizeof(a->etag), "\"%.16s\"", hex);
	if (types[i].compress && a->len > 512) {
		a->gz = (char *)status_gzip((const unsigned char *)a->data,
		    a->len, &a->gzlen);
		if (a->gz != NULL && a->gzlen >= a->len) {
			free(a->gz);
			a->gz = NULL;
		}
	}
	nassets++;
}

static int
asset_walk(const char *dir, const char *url, const char *only,
    struct diaglist *dl)
{
	struct dirent	*de;
	struct stat	 st;
	DIR		*d;
	char		*path, *sub;

	if ((d = opendir(dir)) == NULL)
		return (errno == ENOENT ? 0 : -1);
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		(void)xasprintf(&path, "%s/%s", dir, de->d_name);
		(void)xasprintf(&sub, "%s/%s", url, de->d_name);
		if (stat(path, &st) == 0) {
			if (S_ISDIR(st.st_mode))
				(void)asset_walk(path, sub, only, dl);
			else if (S_ISREG(st.st_mode) && (only == NULL ||
			    str_has_suffix(path, only)))
				asset_add(path, sub, dl);
		}
		free(path);
		free(sub);
	}
	closedir(d);
	return (0);
}

int
assets_load(const char *root, struct diaglist *dl)
{
	size_t	i;
	char	*dir;
	int	errors;

	errors = 0;
	for (i = 0; i < sizeof(roots) / sizeof(roots[0]); i++) {
		(void)xasprintf(&dir, "%s/%s", root, roots[i].dir);
		if (asset_walk(dir, roots[i].url, roots[i].only, dl) == -1) {
			diag_add(dl, dir, 0, "cannot read: %s",
			    strerror(errno));
			errors++;
		}
		free(dir);
	}
	qsort(assets, nassets, sizeof(*assets), asset_cmp);
	if (nassets == 0 || bsearch(&(struct asset){ .url =
	    "/assets/bi/css/bootstrap-italia.min.css" }, assets, nassets,
	    sizeof(*assets), asset_cmp) == NULL) {
		diag_add(dl, root, 0, "Bootstrap Italia not found under "
		    "node_modules: run 'make deps'");
		errors++;
	}
	return (errors);
}

int
asset_get(struct http_request *req)
{
	struct asset	 key, *a;
	struct web	 w;
	const char	*inm, *ae;

	key.url = (char *)(uintptr_t)req->path;
	a = bsearch(&key, assets, nassets, sizeof(*assets), asset_cmp);
	if (a == NULL) {
		if (web_begin(&w, req) == -1)
			return (KORE_RESULT_OK);
		return (web_error(&w, 404, "error.404.text"));
	}
	web_headers(req);
	http_response_header(req, "etag", a->etag);
	http_response_header(req, "cache-control", "public, max-age=86400");
	if (a->gz != NULL)
		http_response_header(req, "vary", "accept-encoding");
	if (http_request_header(req, "if-none-match", &inm) &&
	    strcmp(inm, a->etag) == 0) {
		http_response(req, 304, NULL, 0);
		return (KORE_RESULT_OK);
	}
	http_response_header(req, "content-type", a->ctype);
	if (a->gz != NULL && http_request_header(req, "accept-encoding",
	    &ae) && strstr(ae, "gzip") != NULL) {
		http_response_header(req, "content-encoding", "gzip");
		http_response(req, 200, a->gz, a->gzlen);
	} else
		http_response(req, 200, a->data, a->len);
	return (KORE_RESULT_OK);
}
