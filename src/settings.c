/*
 * settings.c: Capacita's own settings (Kore's conf/app.conf has no room
 * for them). conf/capacita.conf holds "key = value" lines; the
 * environment variable CAPACITA_<KEY> overrides each of them.
 */

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "capacita.h"

struct settings	settings;

static void	settings_set(const char *, const char *);

static void
settings_set(const char *key, const char *val)
{
	char	**dst;

	if (strcmp(key, "dsn") == 0)
		dst = &settings.dsn;
	else if (strcmp(key, "dsn_read") == 0)
		dst = &settings.dsn_read;
	else if (strcmp(key, "proxy_addresses") == 0)
		dst = &settings.proxy_addresses;
	else if (strcmp(key, "base_url") == 0)
		dst = &settings.base_url;
	else if (strcmp(key, "site_name") == 0)
		dst = &settings.site_name;
	else if (strcmp(key, "var_dir") == 0)
		dst = &settings.var_dir;
	else if (strcmp(key, "port_file") == 0)
		dst = &settings.port_file;
	else if (strcmp(key, "keys_dir") == 0)
		dst = &settings.keys_dir;
	else if (strcmp(key, "issuer_name") == 0)
		dst = &settings.issuer_name;
	else if (strcmp(key, "issuer_url") == 0)
		dst = &settings.issuer_url;
	else if (strcmp(key, "trusted_issuers") == 0)
		dst = &settings.trusted_issuers;
	else if (strcmp(key, "audit_file") == 0)
		dst = &settings.audit_file;
	else if (strcmp(key, "import_at_start") == 0) {
		settings.import_at_start = strcmp(val, "yes") == 0 ||
		    strcmp(val, "1") == 0;
		return;
	} else if (strcmp(key, "tls_proxy") == 0) {
		settings.tls_proxy = strcmp(val, "yes") == 0 ||
		    strcmp(val, "1") == 0;
		return;
	} else
		return;
	free(*dst);
	*dst = xstrdup(val);
}

/*
 * Load settings from path (missing file: defaults only). Unknown keys
 * are errors so that a misspelt setting does not go unnoticed.
 */
int
settings_load(const char *path, struct diaglist *dl)
{
	static const char *const keys[] = { "dsn", "dsn_read", "base_url",
	    "site_name", "proxy_addresses",
	    "var_dir", "port_file", "import_at_start", "tls_proxy", "keys_dir",
	    "issuer_name", "issuer_url", "trusted_issuers", "audit_file",
	    NULL };
	char		*src, *line, *next, *eq, *k, *v, env[64], cwd[PATH_MAX];
	const char	*e;
	size_t		 len, i;
	int		 lineno, errors;

	errors = 0;
	if ((e = getenv("CAPACITA_ROOT")) != NULL)
		settings.root = xstrdup(e);
	else if (getcwd(cwd, sizeof(cwd)) != NULL)
		settings.root = xstrdup(cwd);
	else
		settings.root = xstrdup(".");

	if (path != NULL && file_read(path, &src, &len, SOURCE_MAX) == 0) {
		lineno = 0;
		for (line = src; line != NULL; line = next) {
			lineno++;
			if ((next = strchr(line, '\n')) != NULL)
				*next++ = '\0';
			k = str_trim(line);
			if (*k == '\0' || *k == '#')
				continue;
			if ((eq = strchr(k, '=')) == NULL) {
				diag_add(dl, path, lineno, "expected 'key = "
				    "value'");
				errors++;
				continue;
			}
			*eq = '\0';
			k = str_trim(k);
			v = str_trim(eq + 1);
			for (i = 0; keys[i] != NULL; i++) {
				if (strcmp(keys[i], k) == 0)
					break;
			}
			if (keys[i] == NULL) {
				diag_add(dl, path, lineno, "unknown setting "
				    "'%s'", k);
				errors++;
				continue;
			}
			settings_set(k, v);
		}
		free(src);
	} else if (path != NULL && errno != ENOENT) {
		diag_add(dl, path, 0, "cannot read: %s", strerror(errno));
		errors++;
	}

	for (i = 0; keys[i] != NULL; i++) {
		(void)snprintf(env, sizeof(env), "CAPACITA_%s", keys[i]);
		for (k = env; *k != '\0'; k++) {
			if (*k >= 'a' && *k <= 'z')
				*k = (char)(*k - 'a' + 'A');
		}
		if ((e = getenv(env)) != NULL)
			settings_set(keys[i], e);
	}

	if (settings.var_dir == NULL)
		(void)xasprintf(&settings.var_dir, "%s/var", settings.root);
	if (settings.dsn == NULL)
		(void)xasprintf(&settings.dsn, "host=%s/run dbname=capacita "
		    "user=postgres", settings.var_dir);
	if (settings.site_name == NULL)
		settings.site_name = xstrdup("Capacita");
	/*
	 * Not configured: the address make run serves (CAPACITA_PORT, set
	 * by scripts/run.sh from PORT); the server corrects it to the port
	 * it really bound (settings_port()).
	 */
	if (settings.base_url == NULL) {
		long long	port = 8080;

		if ((e = getenv("CAPACITA_PORT")) != NULL &&
		    parse_int(e, 1, 65535, &port) == -1)
			port = 8080;
		(void)xasprintf(&settings.base_url, "http://127.0.0.1:%lld",
		    port);
		settings.base_url_auto = 1;
	}
	len = strlen(settings.base_url);
	while (len > 0 && settings.base_url[len - 1] == '/')
		settings.base_url[--len] = '\0';
	if (settings.keys_dir == NULL)
		(void)xasprintf(&settings.keys_dir, "%s/keys",
		    settings.var_dir);
	if (settings.audit_file == NULL)
		(void)xasprintf(&settings.audit_file,
		    "%s/audit-checkpoints.jsonl", settings.var_dir);
	free(settings.issuer_id);
	(void)xasprintf(&settings.issuer_id, "%s/issuer", settings.base_url);
	if (settings.issuer_name == NULL)
		settings.issuer_name = xstrdup("Programma interregionale per la "
		    "governance delle migrazioni");
	if (settings.issuer_url == NULL) {
		settings.issuer_url = xstrdup(settings.base_url);
		settings.issuer_url_auto = 1;
	}
	return (errors);
}

/* The server's real port, when base_url was not configured. */
void
settings_port(int port)
{
	if (!settings.base_url_auto)
		return;
	free(settings.base_url);
	(void)xasprintf(&settings.base_url, "http://127.0.0.1:%d", port);
	free(settings.issuer_id);
	(void)xasprintf(&settings.issuer_id, "%s/issuer", settings.base_url);
	if (settings.issuer_url_auto) {
		free(settings.issuer_url);
		settings.issuer_url = xstrdup(settings.base_url);
	}
}

/*
 * Is addr one of the proxies whose X-Forwarded-* headers we believe
 * (tls_proxy)? proxy_addresses lists them, separated by commas or
 * spaces; by default only 127.0.0.1.
 */
int
settings_proxy_trusted(const char *addr)
{
	const char	*p, *list;
	size_t		 len;

	list = settings.proxy_addresses != NULL ? settings.proxy_addresses :
	    "127.0.0.1";
	len = strlen(addr);
	for (p = list; *p != '\0'; ) {
		p += strspn(p, ", ");
		if (strncmp(p, addr, len) == 0 && (p[len] == '\0' ||
		    p[len] == ',' || p[len] == ' '))
			return (1);
		p += strcspn(p, ", ");
	}
	return (0);
}
