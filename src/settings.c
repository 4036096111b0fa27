/*
 * settings.c: Capacita's own settings (Kore's conf/app.conf has no room
 * for them). conf/capacita.conf holds "key = value" lines; the
 * environment variable CAPACITA_<KEY> overrides each of them.
 */

#include <sys/stat.h>

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "capacita.h"

struct settings	settings;

static void	settings_set(const char *, const char *);
static int	settings_provider(const char *, const char *, const char *,
		    int, struct diaglist *);
static int	settings_check(const char *, struct diaglist *);
static int	settings_timezone(const char *, struct diaglist *);

static void
settings_set(const char *key, const char *val)
{
	char		**dst;
	long long	  n;

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
	else if (strcmp(key, "smtp_host") == 0)
		dst = &settings.smtp_host;
	else if (strcmp(key, "smtp_security") == 0)
		dst = &settings.smtp_security;
	else if (strcmp(key, "smtp_user") == 0)
		dst = &settings.smtp_user;
	else if (strcmp(key, "smtp_password_file") == 0)
		dst = &settings.smtp_password_file;
	else if (strcmp(key, "mail_from") == 0)
		dst = &settings.mail_from;
	else if (strcmp(key, "timezone") == 0)
		dst = &settings.timezone;
	else if (strcmp(key, "smtp_port") == 0) {
		settings.smtp_port = atoi(val);
		return;
	} else if (strcmp(key, "reminder_days") == 0) {
		settings.reminder_days = atoi(val);
		return;
	} else if (strcmp(key, "local_passwords") == 0) {
		settings.local_passwords = !(strcmp(val, "no") == 0 ||
		    strcmp(val, "0") == 0);
		return;
	}
	else if (strcmp(key, "import_at_start") == 0) {
		settings.import_at_start = strcmp(val, "yes") == 0 ||
		    strcmp(val, "1") == 0;
		return;
	} else if (strcmp(key, "read_min_percent") == 0) {
		/* Checked in settings_load; -1 marks a bad value. */
		if (parse_int(val, 0, 100, &n) == 0)
			settings.read_min_percent = (int)n;
		else
			settings.read_min_percent = -1;
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
 * The next "key = value" line of the text at *pp, cut in place, its
 * number counted in *lineno: 1 with k and v trimmed, 0 at the end.
 * Blank lines and # comments are skipped; a line without '=' is
 * reported ("expected 'key = what'") and counted in *errors. The
 * settings file and the message catalogues (i18n.c) alike.
 */
int
settings_kv_next(char **pp, int *lineno, const char *path, const char *what,
    char **k, char **v, int *errors, struct diaglist *dl)
{
	char	*line, *eq;

	while ((line = *pp) != NULL) {
		(*lineno)++;
		if ((*pp = strchr(line, '\n')) != NULL)
			*(*pp)++ = '\0';
		*k = str_trim(line);
		if (**k == '\0' || **k == '#')
			continue;
		if ((eq = strchr(*k, '=')) == NULL) {
			diag_add(dl, path, *lineno, "expected 'key = %s'",
			    what);
			(*errors)++;
			continue;
		}
		*eq = '\0';
		*k = str_trim(*k);
		*v = str_trim(eq + 1);
		return (1);
	}
	return (0);
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
	    "local_passwords", "smtp_host",
	    "smtp_port", "smtp_security", "smtp_user", "smtp_password_file",
	    "mail_from", "reminder_days", "read_min_percent", "timezone",
	    NULL };
	char		*src, *line, *k, *v, *c, env[64], cwd[PATH_MAX];
	const char	*e;
	size_t		 len, i;
	int		 lineno, errors;

	errors = 0;
	settings.read_min_percent = READ_MIN_PERCENT;
	settings.local_passwords = 1;
	settings.smtp_port = 587;
	settings.reminder_days = 3;
	if ((e = getenv("CAPACITA_ROOT")) != NULL)
		settings.root = xstrdup(e);
	else if (getcwd(cwd, sizeof(cwd)) != NULL)
		settings.root = xstrdup(cwd);
	else
		settings.root = xstrdup(".");

	if (path != NULL && file_read(path, &src, &len, SOURCE_MAX) == 0) {
		lineno = 0;
		line = src;
		while (settings_kv_next(&line, &lineno, path, "value", &k, &v,
		    &errors, dl)) {
			/* "value   # a comment", as the README's examples. */
			for (c = v; (c = strchr(c, '#')) != NULL; c++) {
				if (c > v && (c[-1] == ' ' || c[-1] == '\t')) {
					*c = '\0';
					v = str_trim(v);
					break;
				}
			}
			if (strncmp(k, "oidc.", 5) == 0) {
				errors += settings_provider(path, k + 5, v,
				    lineno, dl);
				continue;
			}
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

	if (settings.read_min_percent < 0) {
		diag_add(dl, path, 0, "read_min_percent must be a whole "
		    "number from 0 to 100");
		settings.read_min_percent = READ_MIN_PERCENT;
		errors++;
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
		long long	 port = 8080;
		char		*pf, *text;
		size_t		 n;

		/*
		 * Else the port a running make run wrote (settings_port()),
		 * so that bin/capacita in another terminal agrees with it.
		 */
		(void)xasprintf(&pf, "%s/run/port", settings.var_dir);
		if ((e = getenv("CAPACITA_PORT")) != NULL) {
			if (parse_int(e, 1, 65535, &port) == -1)
				port = 8080;
		} else if (file_read(pf, &text, &n, 64) == 0) {
			text[strcspn(text, "\n")] = '\0';
			if (parse_int(text, 1, 65535, &port) == -1)
				port = 8080;
			free(text);
		}
		free(pf);
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
	errors += settings_check(path != NULL ? path : "settings", dl);
	errors += settings_timezone(path != NULL ? path : "settings", dl);
	return (errors);
}

/* One "oidc.NAME.KEY = value" line: a setting of provider NAME. */
static int
settings_provider(const char *path, const char *rest, const char *val,
    int line, struct diaglist *dl)
{
	static const char *const pkeys[] = { "label", "issuer", "client_id",
	    "client_secret_file", "scopes", "redirect_uri", "claim_email",
	    "claim_email_verified", "claim_name", "claim_fiscal_code",
	    "claim_unit", "claim_roles", "link", "unit_map", "role_map",
	    "userinfo", NULL };
	struct oidc_provider	 *p, **tail;
	const char		 *dot;
	char			**dst, name[64];
	size_t			  i;

	if ((dot = strchr(rest, '.')) == NULL || dot == rest ||
	    (size_t)(dot - rest) >= sizeof(name)) {
		diag_add(dl, path, line, "expected oidc.NAME.KEY");
		return (1);
	}
	memcpy(name, rest, (size_t)(dot - rest));
	name[dot - rest] = '\0';
	if (!slug_valid(name)) {
		diag_add(dl, path, line, "provider name '%s': use a-z, 0-9 "
		    "and -", name);
		return (1);
	}
	for (i = 0; pkeys[i] != NULL; i++) {
		if (strcmp(pkeys[i], dot + 1) == 0)
			break;
	}
	if (pkeys[i] == NULL) {
		diag_add(dl, path, line, "unknown provider setting '%s'",
		    dot + 1);
		return (1);
	}
	for (tail = &settings.providers; (p = *tail) != NULL;
	    tail = &p->next) {
		if (strcmp(p->name, name) == 0)
			break;
	}
	if (p == NULL) {
		p = xcalloc(1, sizeof(*p));
		p->name = xstrdup(name);
		*tail = p;
	}
	{
		char	**fields[] = { &p->label, &p->issuer, &p->client_id,
			    &p->secret_file, &p->scopes, &p->redirect_uri,
			    &p->claim_email, &p->claim_email_verified,
			    &p->claim_name, &p->claim_fiscal, &p->claim_unit,
			    &p->claim_roles, &p->link, &p->unit_map,
			    &p->role_map, &p->userinfo };

		dst = fields[i];
	}
	free(*dst);
	*dst = xstrdup(val);
	return (0);
}

static char *
settings_secret(const char *file, struct diaglist *dl, const char *path,
    const char *what)
{
	char	*src;
	size_t	 len;

	if (file_read(file, &src, &len, 4096) == -1) {
		diag_add(dl, path, 0, "%s: cannot read %s: %s", what, file,
		    strerror(errno));
		return (NULL);
	}
	while (len > 0 && (src[len - 1] == '\n' || src[len - 1] == '\r'))
		src[--len] = '\0';
	return (src);
}

/*
 * Defaults and checks of the providers and the relay, once every line
 * and variable is in: secrets are read from their files here.
 */
static int
settings_check(const char *path, struct diaglist *dl)
{
	struct oidc_provider	*p;
	char			 out[64];
	const char		*e, *v;
	int			 errors;

	errors = 0;
	for (p = settings.providers; p != NULL; p = p->next) {
		if (p->issuer == NULL || p->client_id == NULL ||
		    p->secret_file == NULL) {
			diag_add(dl, path, 0, "provider '%s' needs issuer, "
			    "client_id and client_secret_file", p->name);
			errors++;
			continue;
		}
		if ((!str_has_prefix(p->issuer, "https://") &&
		    !str_has_prefix(p->issuer, "http://127.0.0.1") &&
		    !str_has_prefix(p->issuer, "http://localhost")) ||
		    strpbrk(p->issuer, " \t;,'\"") != NULL) {
			diag_add(dl, path, 0, "provider '%s': the issuer must "
			    "be an https:// URL", p->name);
			errors++;
		}
		if (p->client_secret == NULL &&
		    (p->client_secret = settings_secret(p->secret_file, dl,
		    path, p->name)) == NULL)
			errors++;
		if (p->label == NULL)
			p->label = xstrdup(p->name);
		if (p->scopes == NULL)
			p->scopes = xstrdup("openid email profile");
		if (p->redirect_uri == NULL)
			(void)xasprintf(&p->redirect_uri, "%s/oidc/callback",
			    settings.base_url);
		if (p->claim_email == NULL)
			p->claim_email = xstrdup("email");
		if (p->claim_email_verified == NULL)
			p->claim_email_verified = xstrdup("email_verified");
		if (p->claim_name == NULL)
			p->claim_name = xstrdup("name");
		if (p->claim_fiscal == NULL)
			p->claim_fiscal = xstrdup("fiscalNumber");
		if (p->link == NULL)
			p->link = xstrdup("fiscal_code email");
		if (p->userinfo != NULL && strcmp(p->userinfo, "yes") != 0 &&
		    strcmp(p->userinfo, "no") != 0) {
			diag_add(dl, path, 0, "provider '%s': userinfo is yes "
			    "or no, not '%s'", p->name, p->userinfo);
			errors++;
		}
		/* A provider never makes anyone an administrator. */
		for (e = p->role_map; e != NULL && *e != '\0'; ) {
			if ((v = strchr(e, '=')) == NULL)
				break;
			xstrlcpy(out, v + 1, sizeof(out));
			out[strcspn(out, "; \t")] = '\0';
			if (auth_role_from(out) == 0 ||
			    auth_role_from(out) == ROLE_ADMIN) {
				diag_add(dl, path, 0, "provider '%s': role_map "
				    "may grant learner, trainer, hr or issuer, "
				    "not '%s'", p->name, out);
				errors++;
			}
			if ((e = strchr(v, ';')) == NULL)
				break;
			e++;
		}
	}
	if (settings.smtp_host != NULL && *settings.smtp_host == '\0') {
		free(settings.smtp_host);
		settings.smtp_host = NULL;
	}
	if (settings.smtp_host != NULL) {
		if (settings.smtp_security == NULL)
			settings.smtp_security = xstrdup("starttls");
		if (strcmp(settings.smtp_security, "starttls") != 0 &&
		    strcmp(settings.smtp_security, "tls") != 0 &&
		    strcmp(settings.smtp_security, "none") != 0) {
			diag_add(dl, path, 0, "smtp_security: starttls, tls "
			    "or none");
			errors++;
		}
		if (settings.mail_from == NULL) {
			diag_add(dl, path, 0, "smtp_host needs mail_from");
			errors++;
		}
		if (settings.smtp_user != NULL &&
		    settings.smtp_password_file != NULL &&
		    settings.smtp_password == NULL &&
		    (settings.smtp_password = settings_secret(
		    settings.smtp_password_file, dl, path, "smtp")) == NULL)
			errors++;
		if (settings.smtp_port <= 0 || settings.smtp_port > 65535) {
			diag_add(dl, path, 0, "smtp_port: 1 to 65535");
			errors++;
		}
	}
	if (settings.reminder_days < 0 || settings.reminder_days > 60) {
		diag_add(dl, path, 0, "reminder_days: 0 to 60");
		errors++;
	}
	return (errors);
}

/* The provider called name, or NULL. */
const struct oidc_provider *
settings_provider_find(const char *name)
{
	const struct oidc_provider	*p;

	for (p = settings.providers; p != NULL; p = p->next) {
		if (strcmp(p->name, name) == 0)
			return (p);
	}
	return (NULL);
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

/*
 * The time zone of the times people read (README.md, "Settings"): an
 * IANA name of the system's tz database, given to every PostgreSQL
 * session through libpq's PGTZ, so that dates and times formatted in
 * SQL (to_char without AT TIME ZONE), "today" and the year of the
 * hours' ledger are Italy's, not the server's UTC. Machine formats
 * (credentials, xAPI, the audit chain) say AT TIME ZONE 'UTC' and do
 * not change. TZ too, for times that carry their zone (fmt.c).
 */
static int
settings_timezone(const char *path, struct diaglist *dl)
{
	struct stat	 st;
	const char	*tz;
	char		*file;
	int		 ok;

	if (settings.timezone == NULL)
		settings.timezone = xstrdup(TIMEZONE_DEFAULT);
	tz = settings.timezone;
	ok = tz[0] != '\0' && tz[0] != '/' && strstr(tz, "..") == NULL &&
	    strspn(tz, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
	    "0123456789/_+-") == strlen(tz);
	if (ok) {
		(void)xasprintf(&file, "%s/%s", TIMEZONE_DIR, tz);
		ok = stat(file, &st) == 0 && S_ISREG(st.st_mode);
		free(file);
	}
	if (!ok) {
		diag_add(dl, path, 0, "timezone '%s': not a time zone of %s "
		    "(e.g. Europe/Rome, UTC)", tz, TIMEZONE_DIR);
		free(settings.timezone);
		settings.timezone = xstrdup(TIMEZONE_DEFAULT);
		tz = settings.timezone;
	}
	(void)setenv("PGTZ", tz, 1);
	(void)setenv("TZ", tz, 1);
	tzset();
	return (ok ? 0 : 1);
}
