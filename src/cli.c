/*
 * cli.c: bin/capacita, the command-line tool. It shares the core and
 * store files with the server and talks to PostgreSQL directly.
 *
 *	capacita migrate [--status]
 *	capacita import [--check] DIR
 *	capacita render FILE
 *	capacita framework export [FILE.md]
 *	capacita framework import FILE.csv [-o OUT.md]
 *	capacita user add|disable|enable|reset-password|import ...
 *	capacita org add PARENT|- CODE NAME
 *	capacita audit verify [--checkpoint FILE] | checkpoint
 *	capacita bootstrap [--demo]
 *	capacita generate [--staff N] [--competences N] [--answers N]
 *	    [--seed N]
 *	capacita keys init|rotate|show
 *	capacita sign --key KEYFILE [--created TIME] [--vm URL] FILE
 *	capacita verify [--issuer DOC]... [--trust FILE] [--status FILE]
 *	    [--strict] [--at TIME] FILE.json|FILE.pdf
 *	capacita badges reissue
 *	capacita jcs FILE
 *	capacita jobs run
 *	capacita export-xapi [--since TIME] [--xapi-version 1.0.3|2.0.0]
 *	capacita push-xapi URL [--auth USER:PASS] [--xapi-version V]
 *	    [--batch N] [--retries N]
 *	capacita demo [--people N]
 */

#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>
#include <sodium.h>

#include "capacita.h"

struct cli_cmd {
	const char	*name;
	const char	*usage;
	int		(*run)(int, char **);
};

static int	cmd_migrate(int, char **);
static int	cmd_import(int, char **);
static int	cmd_render(int, char **);
static int	cmd_framework(int, char **);
static int	cmd_version(int, char **);
static int	cmd_user(int, char **);
static int	cmd_org(int, char **);
static int	cmd_audit(int, char **);
static int	cmd_bootstrap(int, char **);
static int	cmd_keys(int, char **);
static int	cmd_sign(int, char **);
static int	cmd_verify(int, char **);
static int	cmd_badges(int, char **);
static int	cmd_config(int, char **);
static int	cmd_jcs(int, char **);
static int	cmd_jobs(int, char **);
static int	cmd_generate(int, char **);
static int	cmd_demo(int, char **);
static int	cmd_export_xapi(int, char **);
static int	cmd_push_xapi(int, char **);
static void	cli_keystore(struct vc_trust *, const char *);
static const char *cli_our_issuer(const char *, size_t, char *, size_t);
static int	cli_read_credential(const char *, char **, size_t *);
static void	verify_bench(const char *, size_t, time_t, struct vc_trust *,
		    const char *,
		    size_t, long long);
static double	now_seconds(void);
static int	keys_export(const char *);
static int	keys_import(const char *, int);
static const char *backup_passphrase(void);
static int	cli_db(struct db *);
static const char *cli_actor(void);
static void	cli_link(struct db *, long long, const char *, int);
static void	cli_import_links(int, const char *,
		    const struct import_links *);
static void	usage(void) NORETURN;

static const struct cli_cmd	cmds[] = {
	{ "migrate", "migrate [--status]", cmd_migrate },
	{ "import", "import [--check] DIR", cmd_import },
	{ "render", "render FILE", cmd_render },
	{ "framework", "framework export [FILE.md]\n"
	    "  capacita framework import FILE.csv [-o OUT.md]",
	    cmd_framework },
	{ "version", "version", cmd_version },
	{ "user", "user add NAME EMAIL ORG-CODE ROLES\n"
	    "  capacita user disable|enable|reset-password EMAIL\n"
	    "  capacita user import FILE.csv", cmd_user },
	{ "org", "org add PARENT-CODE|- CODE NAME", cmd_org },
	{ "audit", "audit verify [--checkpoint FILE] | checkpoint", cmd_audit },
	{ "bootstrap", "bootstrap [--demo]", cmd_bootstrap },
	{ "keys", "keys init|rotate|show\n"
	    "  capacita keys export FILE | import [--force] FILE", cmd_keys },
	{ "sign", "sign --key KEYFILE [--created TIME] [--vm URL] FILE",
	    cmd_sign },
	{ "verify", "verify [--issuer DOC]... [--trust FILE] [--status "
	    "STATUSFILE] [--strict]\n    [--at TIME] [--bench N] FILE.json|"
	    "FILE.pdf",
	    cmd_verify },
	{ "badges", "badges reissue", cmd_badges },
	{ "config", "config base_url|issuer_id|keys_dir", cmd_config },
	{ "jcs", "jcs FILE", cmd_jcs },
	{ "jobs", "jobs run", cmd_jobs },
	{ "generate", "generate [--staff N] [--competences N] [--answers N] "
	    "[--seed N]",
	    cmd_generate },
	{ "export-xapi", "export-xapi [--since TIME] [--xapi-version "
	    "1.0.3|2.0.0] > FILE.json", cmd_export_xapi },
	{ "push-xapi", "push-xapi URL [--auth USER:PASS] [--xapi-version "
	    "1.0.3|2.0.0] [--batch N] [--retries N]", cmd_push_xapi },
	{ "demo", "demo [--people N]", cmd_demo },
};

static void
usage(void)
{
	size_t	i;

	fprintf(stderr, "usage:\n");
	for (i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
		fprintf(stderr, "  capacita %s\n", cmds[i].usage);
	exit(2);
}

static int
cli_db(struct db *db)
{
	if (db_open(db, settings.dsn) == -1) {
		fprintf(stderr, "capacita: cannot connect to the database "
		    "(%s): %s\n", settings.dsn, db_error(db));
		return (-1);
	}
	return (0);
}

/* Who is acting, for the audit log. */
static const char *
cli_actor(void)
{
	static char	 actor[128];
	struct passwd	*pw;
	const char	*who;

	if ((who = getenv("SUDO_USER")) == NULL) {
		pw = getpwuid(getuid());
		who = pw != NULL ? pw->pw_name : "?";
	}
	(void)snprintf(actor, sizeof(actor), "cli:%s", who);
	return (actor);
}

/*
 * The one-time link to set the password: sent by e-mail when a relay is
 * configured (the server's mail runner sends it; for a new account, in
 * a welcome message), else printed here. With local passwords off there
 * is no password to set: a new person is told how to sign in.
 */
static void
cli_link(struct db *db, long long id, const char *email, int new)
{
	char	token[AUTH_TOKEN_LEN + 1];

	if (!settings.local_passwords && !new) {
		printf("local passwords are off (local_passwords = no): %s "
		    "signs in through the identity provider\n", email);
		return;
	}
	if (mail_enabled()) {
		if (mail_queue_id(db, id, "password", new ? "new" : "") == -1)
			fprintf(stderr, "capacita: %s\n", db_error(db));
		else if (!settings.local_passwords)
			printf("a welcome message will be sent to %s by "
			    "e-mail\n", email);
		else
			printf("a link to set the password will be sent to %s "
			    "by e-mail\n", email);
		return;
	}
	if (!settings.local_passwords) {
		printf("%s signs in through the identity provider "
		    "(local_passwords = no)\n", email);
		return;
	}
	if (account_password_link(db, id, 72, token) == -1) {
		fprintf(stderr, "capacita: %s\n", db_error(db));
		return;
	}
	printf("one-time link for %s to set the password (valid 72 hours):\n"
	    "  %s/password?token=%s\n", email, settings.base_url, token);
}

/* After an import: who gets a mail, or the links to hand out. */
static void
cli_import_links(int n, const char *file, const struct import_links *links)
{
	size_t	i;

	if (mail_enabled()) {
		printf("imported %d users from %s; each will receive %s by "
		    "e-mail\n", n, file, settings.local_passwords ? "a link "
		    "to set the password" : "a welcome message");
		return;
	}
	if (!settings.local_passwords) {
		printf("imported %d users from %s; they sign in through the "
		    "identity provider (local_passwords = no)\n", n, file);
		return;
	}
	printf("imported %d users from %s; one-time links to set the "
	    "password (valid 72 hours):\n", n, file);
	for (i = 0; i < links->n; i++)
		printf("  %s  %s/password?token=%s\n", links->v[i].email,
		    settings.base_url, links->v[i].token);
}

static int
cmd_user(int argc, char **argv)
{
	struct import_links	 links;
	struct account_new	 a;
	struct diaglist		 dl;
	struct buf		 err;
	struct db		 db;
	char			*src, uid[32];
	long long		 id;
	size_t			 len;
	int			 rc, n, active;

	if (argc < 3)
		usage();
	if (cli_db(&db) == -1)
		return (1);
	buf_init(&err, 128);
	rc = 1;
	if (strcmp(argv[1], "add") == 0 && argc == 6) {
		memset(&a, 0, sizeof(a));
		a.name = argv[2];
		a.email = argv[3];
		a.org_code = argv[4];
		a.roles = argv[5];
		if (db_begin(&db) == -1 ||
		    account_create(&db, &a, &id, &err) == -1 ||
		    audit_append(&db, cli_actor(), "user.create", argv[3],
		    argv[5], "") == -1) {
			fprintf(stderr, "capacita: %s\n", err.len ? err.data :
			    db_error(&db));
			db_rollback(&db);
		} else {
			cli_link(&db, id, argv[3], 1);
			if (db_commit(&db) == 0) {
				printf("created user %lld (%s)\n", id, argv[3]);
				rc = 0;
			}
		}
	} else if ((strcmp(argv[1], "disable") == 0 ||
	    strcmp(argv[1], "enable") == 0) && argc == 3) {
		active = strcmp(argv[1], "enable") == 0;
		if ((id = account_by_email(&db, argv[2])) == 0)
			fprintf(stderr, "capacita: no user %s\n", argv[2]);
		else if (db_begin(&db) == -1 ||
		    account_set_active(&db, id, active) == -1 ||
		    audit_append(&db, cli_actor(), active ? "user.enable" :
		    "user.disable", argv[2], "", "") == -1 ||
		    db_commit(&db) == -1) {
			fprintf(stderr, "capacita: %s\n", db_error(&db));
			db_rollback(&db);
		} else {
			printf("%s %s\n", argv[2], active ? "enabled" :
			    "disabled; its sessions are closed");
			rc = 0;
		}
	} else if (strcmp(argv[1], "reset-password") == 0 && argc == 3) {
		if ((id = account_by_email(&db, argv[2])) == 0)
			fprintf(stderr, "capacita: no user %s\n", argv[2]);
		else if (db_begin(&db) == -1 ||
		    audit_append(&db, cli_actor(), "password.reset", argv[2],
		    "link issued", "") == -1) {
			fprintf(stderr, "capacita: %s\n", db_error(&db));
			db_rollback(&db);
		} else {
			cli_link(&db, id, argv[2], 0);
			rc = db_commit(&db) == 0 ? 0 : 1;
		}
	} else if (strcmp(argv[1], "import") == 0 && argc == 3) {
		if (file_read(argv[2], &src, &len, 16 * 1024 * 1024) == -1) {
			perror(argv[2]);
		} else {
			diag_init(&dl);
			memset(&links, 0, sizeof(links));
			if (account_import_csv(&db, src, len, cli_actor(), "",
			    &n, &links, &dl) == -1) {
				diag_print(stderr, &dl);
				fprintf(stderr, "capacita: nothing imported\n");
			} else {
				cli_import_links(n, argv[2], &links);
				rc = 0;
			}
			import_links_free(&links);
			diag_free(&dl);
			free(src);
		}
	} else
		usage();
	(void)uid;
	buf_free(&err);
	db_close(&db);
	return (rc);
}

static int
cmd_org(int argc, char **argv)
{
	struct buf	err;
	struct db	db;
	long long	id;
	int		rc;

	if (argc != 5 || strcmp(argv[1], "add") != 0)
		usage();
	if (cli_db(&db) == -1)
		return (1);
	buf_init(&err, 128);
	rc = 1;
	if (db_begin(&db) == -1 || org_create(&db, strcmp(argv[2], "-") == 0 ?
	    NULL : argv[2], argv[3], argv[4], 0, &id, &err) == -1 ||
	    audit_append(&db, cli_actor(), "org.create", argv[3], argv[4],
	    "") == -1 || db_commit(&db) == -1) {
		fprintf(stderr, "capacita: %s\n", err.len ? err.data :
		    db_error(&db));
		db_rollback(&db);
	} else {
		printf("created %s (%lld)\n", argv[3], id);
		rc = 0;
	}
	buf_free(&err);
	db_close(&db);
	return (rc);
}

static int
cmd_audit(int argc, char **argv)
{
	struct diaglist	 dl;
	struct vc_trust	 t;
	struct buf	 err;
	struct db	 db;
	long long	 rows;
	char		*cp, ours[1024];
	size_t		 len;
	int		 rc;

	if (argc == 2 && strcmp(argv[1], "checkpoint") == 0) {
		if (cli_db(&db) == -1)
			return (2);
		buf_init(&err, 128);
		rc = audit_checkpoint(&db, 1, &err);
		if (rc == -1)
			fprintf(stderr, "capacita: %s\n", err.data);
		else
			printf("audit checkpoint appended to %s\n",
			    settings.audit_file);
		buf_free(&err);
		db_close(&db);
		return (rc == 0 ? 0 : 1);
	}
	cp = NULL;
	if (argc == 4 && strcmp(argv[1], "verify") == 0 &&
	    strcmp(argv[2], "--checkpoint") == 0) {
		if (file_read(argv[3], &cp, &len, 1024 * 1024) == -1) {
			fprintf(stderr, "capacita: %s: %s\n", argv[3],
			    strerror(errno));
			return (2);
		}
	} else if (argc != 2 || strcmp(argv[1], "verify") != 0)
		usage();
	if (cli_db(&db) == -1) {
		free(cp);
		return (2);
	}
	diag_init(&dl);
	rc = audit_verify(&db, &rows, &dl);
	/* The latest signed checkpoint, from the file outside the database. */
	if (cp == NULL)
		(void)audit_checkpoint_last(&cp);
	if (cp != NULL) {
		vc_trust_init(&t);
		cli_keystore(&t, cli_our_issuer(cp, strlen(cp), ours,
		    sizeof(ours)));
		if (audit_checkpoint_verify(&db, cp, &t, &dl) == -1)
			rc = -1;
		vc_trust_free(&t);
	}
	if (rc == -1) {
		diag_print(stdout, &dl);
		printf("audit log: %lld rows, TAMPERED\n", rows);
		rc = 1;
	} else {
		printf("audit log: %lld rows, intact%s\n", rows, cp != NULL ?
		    " (matches the latest signed checkpoint)" :
		    " (no signed checkpoint yet)");
		rc = 0;
	}
	free(cp);
	diag_free(&dl);
	db_close(&db);
	return (rc);
}

/*
 * First start: create the administrator when there is none, and print
 * its random password once. --demo then runs the demo (demo.c), which
 * needs the content imported first; see cmd_demo.
 */
static int
cmd_bootstrap(int argc, char **argv)
{
	struct pg_result	*res;
	struct account_new	 a;
	struct buf		 err;
	struct db		 db;
	char			 pw[AUTH_PASSWORD_LEN + 1], hash[AUTH_HASH_MAX];
	char			 uid[32];
	long long		 id;
	int			 want_demo, rc, has_admin;

	want_demo = argc == 2 && strcmp(argv[1], "--demo") == 0;
	if (argc > 2 || (argc == 2 && !want_demo))
		usage();
	if (cli_db(&db) == -1)
		return (1);
	buf_init(&err, 128);
	rc = 1;
	if ((res = db_query(&db, "SELECT count(*) FROM user_roles r JOIN "
	    "users u ON u.id = r.user_id WHERE r.role = 'admin' AND "
	    "u.active", 0)) == NULL)
		goto out;
	has_admin = strcmp(db_value(res, 0, 0), "0") != 0;
	db_clear(res);

	if (!has_admin) {
		memset(&a, 0, sizeof(a));
		a.name = "Amministratore";
		a.email = "admin@capacita.local";
		a.org_code = "campania";
		a.roles = "admin";
		auth_random_password(pw);
		if (auth_hash_password(pw, hash) == -1 ||
		    db_begin(&db) == -1)
			goto out;
		if ((id = account_by_email(&db, a.email)) != 0) {
			/* The admin exists but lost the role or was disabled. */
			if (account_set_active(&db, id, 1) == -1 ||
			    account_set_roles(&db, id, "admin", &err) == -1)
				goto out;
		} else if (account_create(&db, &a, &id, &err) == -1)
			goto out;
		(void)snprintf(uid, sizeof(uid), "%lld", id);
		if (db_exec(&db, "UPDATE users SET password_hash = $2 WHERE "
		    "id = $1", 2, uid, hash) == -1 ||
		    audit_append(&db, cli_actor(), "admin.bootstrap", a.email,
		    "first administrator", "") == -1 || db_commit(&db) == -1)
			goto out;
		printf("\n  Administrator created: %s\n  password: %s\n"
		    "  (shown only now: keep it, or give a new one with\n"
		    "   bin/capacita user reset-password %s)\n\n", a.email, pw,
		    a.email);
	}

	if (want_demo && demo_run(&db, DEMO_PEOPLE, stdout, &err) == -1)
		goto out;
	rc = 0;
out:
	if (rc != 0) {
		fprintf(stderr, "capacita: bootstrap failed: %s\n",
		    err.len ? err.data : db_error(&db));
		db_rollback(&db);
	}
	buf_free(&err);
	db_close(&db);
	return (rc);
}

/* Issuer keys: make the first, rotate, or list them. */
static int
cmd_keys(int argc, char **argv)
{
	struct pg_result	*res;
	struct buf		 err;
	struct db		 db;
	int			 id, created, i, rc;

	if (argc == 3 && strcmp(argv[1], "export") == 0)
		return (keys_export(argv[2]));
	if (argc == 3 && strcmp(argv[1], "import") == 0)
		return (keys_import(argv[2], 0));
	if (argc == 4 && strcmp(argv[1], "import") == 0 &&
	    strcmp(argv[2], "--force") == 0)
		return (keys_import(argv[3], 1));
	if (argc != 2)
		usage();
	if (cli_db(&db) == -1)
		return (1);
	buf_init(&err, 128);
	rc = 1;
	if (strcmp(argv[1], "init") == 0) {
		if (badge_init(&db, &created, &err) == -1)
			fprintf(stderr, "capacita: %s\n", err.data);
		else {
			if (created)
				printf("issuer key created in %s\n",
				    settings.keys_dir);
			rc = 0;
		}
	} else if (strcmp(argv[1], "rotate") == 0) {
		if (badge_key_new(&db, &id, &err) == -1 ||
		    db_begin(&db) == -1 || badge_status_publish(&db,
		    &err) == -1 || db_commit(&db) == -1)
			fprintf(stderr, "capacita: %s\n", err.len ? err.data :
			    db_error(&db));
		else {
			printf("new issuer key %d signs from now on; the old "
			    "ones stay published\n", id);
			rc = 0;
		}
	} else if (strcmp(argv[1], "show") == 0) {
		if ((res = db_query(&db, "SELECT id, public_multibase, "
		    "retired_at IS NULL FROM issuer_keys ORDER BY id", 0)) !=
		    NULL) {
			for (i = 0; i < db_rows(res); i++)
				printf("%s did:key:%s%s\n", db_value(res, i, 0),
				    db_value(res, i, 1), strcmp(db_value(res,
				    i, 2), "t") == 0 ? " (active)" : "");
			db_clear(res);
			rc = 0;
		}
	} else
		usage();
	buf_free(&err);
	db_close(&db);
	return (rc);
}

/* Print one setting as the server and the CLI resolve it. */
static int
cmd_config(int argc, char **argv)
{
	if (argc != 2)
		usage();
	if (strcmp(argv[1], "base_url") == 0)
		printf("%s\n", settings.base_url);
	else if (strcmp(argv[1], "issuer_id") == 0)
		printf("%s\n", settings.issuer_id);
	else if (strcmp(argv[1], "keys_dir") == 0)
		printf("%s\n", settings.keys_dir);
	else
		usage();
	return (0);
}

/*
 * badges reissue: sign again with the active key, under an https
 * verification method, the badges signed with a did:key before key
 * provenance (the reference verifiers refuse those).
 */
static int
cmd_badges(int argc, char **argv)
{
	struct buf	err;
	struct db	db;
	int		n, rc;

	if (argc != 2 || strcmp(argv[1], "reissue") != 0)
		usage();
	if (cli_db(&db) == -1)
		return (2);
	buf_init(&err, 128);
	rc = 0;
	if (db_begin(&db) == -1 || badge_reissue(&db, &n, &err) == -1 ||
	    audit_append(&db, cli_actor(), "badge.reissue", "all", n > 0 ?
	    "did:key proofs replaced" : "none", "") == -1 ||
	    db_commit(&db) == -1) {
		fprintf(stderr, "capacita: %s\n", err.len ? err.data :
		    db_error(&db));
		db_rollback(&db);
		rc = 1;
	} else
		printf("%d badges signed again with %s#key-N\n", n,
		    settings.issuer_id);
	buf_free(&err);
	db_close(&db);
	return (rc);
}

/* Sign a JSON document with a key file (eddsa-jcs-2022). */
static int
cmd_sign(int argc, char **argv)
{
	struct vc_key	 k;
	struct buf	 err, vm;
	const char	*keyfile, *created, *vmarg, *file;
	char		*src, *text, now[32];
	size_t		 len;
	json_t		*doc;
	int		 i;

	keyfile = created = vmarg = file = NULL;
	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--key") == 0 && i + 1 < argc)
			keyfile = argv[++i];
		else if (strcmp(argv[i], "--created") == 0 && i + 1 < argc)
			created = argv[++i];
		else if (strcmp(argv[i], "--vm") == 0 && i + 1 < argc)
			vmarg = argv[++i];
		else if (file == NULL && argv[i][0] != '-')
			file = argv[i];
		else
			usage();
	}
	if (keyfile == NULL || file == NULL)
		usage();
	buf_init(&err, 128);
	if (file_read(keyfile, &src, &len, 65536) == -1) {
		fprintf(stderr, "capacita: %s: %s\n", keyfile, strerror(errno));
		return (2);
	}
	if (vc_key_parse(src, len, &k, &err) == -1 || !k.has_secret) {
		fprintf(stderr, "capacita: %s: %s\n", keyfile,
		    err.len ? err.data : "no secretKeyMultibase");
		sodium_memzero(src, len);
		free(src);
		return (2);
	}
	sodium_memzero(src, len);
	free(src);
	if (file_read(file, &src, &len, SOURCE_MAX) == -1) {
		fprintf(stderr, "capacita: %s: %s\n", file, strerror(errno));
		return (2);
	}
	doc = jcs_parse(src, len, &err);
	free(src);
	if (!json_is_object(doc)) {
		fprintf(stderr, "capacita: %s: %s\n", file, err.len ? err.data :
		    "not a JSON object");
		json_decref(doc);
		return (2);
	}
	if (created == NULL) {
		vc_datetime_format(time(NULL), now);
		created = now;
	}
	buf_init(&vm, 128);
	if (vmarg != NULL)
		buf_puts(&vm, vmarg);
	else
		vc_key_did(&k, &vm);
	if (json_object_get(doc, "proof") != NULL) {
		fprintf(stderr, "capacita: %s already has a proof\n", file);
		json_decref(doc);
		return (2);
	}
	if (vc_sign(doc, &k, created, vm.data, &err) == -1) {
		fprintf(stderr, "capacita: %s\n", err.data);
		json_decref(doc);
		return (2);
	}
	sodium_memzero(&k, sizeof(k));
	text = json_dumps(doc, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	printf("%s\n", text);
	free(text);
	json_decref(doc);
	buf_free(&vm);
	buf_free(&err);
	return (0);
}

/*
 * Which issuer id our key store answers for: settings.issuer_id; or,
 * when base_url is not configured (it follows the server's port), the
 * document's own issuer when it is http://127.0.0.1:<port>/issuer.
 */
static const char *
cli_our_issuer(const char *text, size_t len, char *out, size_t outlen)
{
	json_t		*doc, *iss;
	const char	*id, *p;

	xstrlcpy(out, settings.issuer_id, outlen);
	if (!settings.base_url_auto)
		return (out);
	doc = jcs_parse(text, len, NULL);
	iss = json_object_get(doc, "issuer");
	if (json_is_object(iss))
		iss = json_object_get(iss, "id");
	id = json_string_value(iss);
	if (id != NULL && strncmp(id, "http://127.0.0.1:", 17) == 0) {
		for (p = id + 17; *p >= '0' && *p <= '9'; p++)
			;
		if (p > id + 17 && p - id < 24 && strcmp(p, "/issuer") == 0)
			xstrlcpy(out, id, outlen);
	}
	json_decref(doc);
	return (out);
}

/*
 * Our own key store as the controller document of issuer, when keys_dir
 * is readable (on the server's host): the public halves of issuer-N.json.
 */
static void
cli_keystore(struct vc_trust *t, const char *issuer)
{
	struct vc_issuer_key	 keys[256];
	struct vc_key		 k;
	struct dirent		*d;
	struct buf		 err;
	DIR			*dir;
	char			*path, *src, *doc, *mbs[256];
	size_t			 len, n, i;
	int			 id;

	if ((dir = opendir(settings.keys_dir)) == NULL)
		return;
	n = 0;
	buf_init(&err, 64);
	while ((d = readdir(dir)) != NULL && n < 256) {
		if (sscanf(d->d_name, "issuer-%d.json", &id) != 1)
			continue;
		(void)xasprintf(&path, "%s/%s", settings.keys_dir, d->d_name);
		if (file_read(path, &src, &len, 4096) == 0) {
			if (vc_key_parse(src, len, &k, &err) == 0) {
				mbs[n] = xstrdup(k.public_mb);
				keys[n].id = id;
				keys[n].public_mb = mbs[n];
				keys[n].retired = NULL;
				n++;
			}
			sodium_memzero(src, len);
			sodium_memzero(&k, sizeof(k));
			free(src);
		}
		free(path);
	}
	closedir(dir);
	if (n > 0) {
		doc = vc_controller_doc(issuer, settings.issuer_name,
		    settings.issuer_url, keys, n);
		(void)vc_trust_add(t, doc, strlen(doc), &err);
		free(doc);
	}
	for (i = 0; i < n; i++)
		free(mbs[i]);
	buf_free(&err);
}

/* Read a credential file: JSON, or a PDF certificate carrying one. */
static int
cli_read_credential(const char *file, char **src, size_t *len)
{
	struct buf	 out, err;
	char		*raw;
	size_t		 rlen;

	if (file_read(file, &raw, &rlen, SOURCE_MAX) == -1) {
		fprintf(stderr, "capacita: %s: %s\n", file, strerror(errno));
		return (-1);
	}
	if (rlen < 5 || memcmp(raw, "%PDF-", 5) != 0) {
		*src = raw;
		*len = rlen;
		return (0);
	}
	buf_init(&out, 8192);
	buf_init(&err, 128);
	if (pdf_attachment(raw, rlen, &out, &err) == -1) {
		fprintf(stderr, "capacita: %s: %s\n", file, err.data);
		free(raw);
		buf_free(&out);
		buf_free(&err);
		return (-1);
	}
	free(raw);
	buf_free(&err);
	*len = out.len;
	*src = buf_release(&out);
	return (0);
}

/*
 * Verify a credential (a JSON file or a PDF certificate): 0 valid, 1
 * not (the reasons, one per line, on stdout), 2 usage or read errors.
 * Issuers are trusted from our key store (keys_dir, when readable),
 * --issuer and --trust files, and the trusted_issuers allow-list.
 */
static int
cmd_verify(int argc, char **argv)
{
	struct vc_result	 r;
	struct vc_trust		 t;
	struct buf		 err, fetched;
	const char		*statusfile, *at_s, *file;
	char			*src, *status, *doc, ours[1024];
	size_t			 len, slen, dlen;
	time_t			 at;
	long long		 bench;
	int			 i, strict, rc;

	statusfile = at_s = file = NULL;
	bench = 0;
	strict = 0;
	vc_trust_init(&t);
	buf_init(&err, 128);
	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--status") == 0 && i + 1 < argc)
			statusfile = argv[++i];
		else if (strcmp(argv[i], "--bench") == 0 && i + 1 < argc &&
		    parse_int(argv[i + 1], 1, 100000000, &bench) == 0)
			i++;
		else if (strcmp(argv[i], "--at") == 0 && i + 1 < argc)
			at_s = argv[++i];
		else if (strcmp(argv[i], "--strict") == 0)
			strict = 1;
		else if ((strcmp(argv[i], "--issuer") == 0 ||
		    strcmp(argv[i], "--trust") == 0) && i + 1 < argc) {
			if (file_read(argv[++i], &doc, &dlen, SOURCE_MAX) ==
			    -1) {
				fprintf(stderr, "capacita: %s: %s\n", argv[i],
				    strerror(errno));
				vc_trust_free(&t);
				return (2);
			}
			rc = vc_trust_add(&t, doc, dlen, &err);
			free(doc);
			if (rc == -1) {
				fprintf(stderr, "capacita: %s: %s\n", argv[i],
				    err.data);
				vc_trust_free(&t);
				return (2);
			}
		} else if (file == NULL && argv[i][0] != '-')
			file = argv[i];
		else
			usage();
	}
	if (file == NULL)
		usage();
	if (settings.trusted_issuers != NULL)
		t.fetch = issuer_fetch;
	at = time(NULL);
	if (at_s != NULL && vc_datetime(at_s, &at) == -1) {
		fprintf(stderr, "capacita: --at needs a dateTime such as "
		    "2027-01-31T10:00:00Z\n");
		vc_trust_free(&t);
		return (2);
	}
	if (cli_read_credential(file, &src, &len) == -1) {
		vc_trust_free(&t);
		return (2);
	}
	cli_keystore(&t, cli_our_issuer(src, len, ours, sizeof(ours)));
	status = NULL;
	slen = 0;
	if (statusfile != NULL && file_read(statusfile, &status, &slen,
	    SOURCE_MAX) == -1) {
		fprintf(stderr, "capacita: %s: %s\n", statusfile,
		    strerror(errno));
		free(src);
		vc_trust_free(&t);
		return (2);
	}
	if (bench > 0) {
		verify_bench(src, len, at, &t, status, slen, bench);
		free(src);
		free(status);
		vc_trust_free(&t);
		return (0);
	}
	vc_verify(src, len, at, &t, status, slen, &r);
	/* No list given: fetch it when its origin is allow-listed. */
	if (status == NULL && r.status_list != NULL && !r.status_checked &&
	    r.flags == 0 && issuer_allowed(settings.trusted_issuers,
	    r.status_list)) {
		buf_init(&fetched, 4096);
		buf_reset(&err);
		if (issuer_fetch(r.status_list, &fetched, &err, NULL) == 0) {
			vc_result_free(&r);
			vc_verify(src, len, at, &t, fetched.data, fetched.len,
			    &r);
		}
		buf_free(&fetched);
	}
	free(src);
	free(status);
	rc = r.flags == 0 ? 0 : 1;
	if (r.flags == 0) {
		printf("valid: issued by %s%s%s%s\n", r.issuer != NULL ?
		    r.issuer : "?", r.name != NULL ? " (" : "",
		    r.name != NULL ? r.name : "", r.name != NULL ? ")" : "");
		if (r.status_list != NULL && !r.status_checked) {
			printf("revocation not checked: the credential may "
			    "have been revoked; download %s and pass it with "
			    "--status\n", r.status_list);
			if (strict) {
				printf("not accepted with --strict: revocation "
				    "not checked\n");
				rc = 1;
			}
		}
	} else
		fputs(r.reasons.data, stdout);
	vc_result_free(&r);
	vc_trust_free(&t);
	buf_free(&err);
	return (rc);
}

/* For backups: the passphrase that seals the issuer's keys. */
static const char *
backup_passphrase(void)
{
	const char	*p;

	if ((p = getenv("CAPACITA_BACKUP_PASSPHRASE")) == NULL || *p == '\0') {
		fprintf(stderr, "capacita: set CAPACITA_BACKUP_PASSPHRASE to "
		    "the passphrase of the key vault\n");
		return (NULL);
	}
	return (p);
}

/*
 * Seal every issuer key file of keys_dir into one vault file: a JSON
 * object of file name to content, encrypted with the passphrase.
 */
static int
keys_export(const char *out)
{
	struct dirent	*d;
	struct buf	 sealed, err;
	const char	*pass;
	DIR		*dir;
	json_t		*all;
	char		*path, *src, *text;
	size_t		 len, n;
	int		 fd, rc;

	if ((pass = backup_passphrase()) == NULL)
		return (2);
	if ((dir = opendir(settings.keys_dir)) == NULL) {
		fprintf(stderr, "capacita: %s: %s\n", settings.keys_dir,
		    strerror(errno));
		return (1);
	}
	all = json_object();
	n = 0;
	while ((d = readdir(dir)) != NULL) {
		if (strncmp(d->d_name, "issuer-", 7) != 0 ||
		    !str_has_suffix(d->d_name, ".json"))
			continue;
		(void)xasprintf(&path, "%s/%s", settings.keys_dir, d->d_name);
		if (file_read(path, &src, &len, 65536) == -1) {
			fprintf(stderr, "capacita: %s: %s\n", path,
			    strerror(errno));
			free(path);
			closedir(dir);
			json_decref(all);
			return (1);
		}
		(void)json_object_set_new(all, d->d_name,
		    json_stringn(src, len));
		sodium_memzero(src, len);
		free(src);
		free(path);
		n++;
	}
	closedir(dir);
	if (n == 0) {
		fprintf(stderr, "capacita: no issuer key in %s\n",
		    settings.keys_dir);
		json_decref(all);
		return (1);
	}
	text = json_dumps(all, JSON_SORT_KEYS);
	json_decref(all);
	buf_init(&sealed, 4096);
	buf_init(&err, 128);
	rc = vault_seal(pass, text, strlen(text), &sealed, &err);
	sodium_memzero(text, strlen(text));
	free(text);
	if (rc == -1) {
		fprintf(stderr, "capacita: %s\n", err.data);
		buf_free(&sealed);
		buf_free(&err);
		return (1);
	}
	rc = 0;
	if ((fd = open(out, O_WRONLY | O_CREAT | O_TRUNC, 0600)) == -1 ||
	    write(fd, sealed.data, sealed.len) != (ssize_t)sealed.len ||
	    fsync(fd) == -1) {
		fprintf(stderr, "capacita: %s: %s\n", out, strerror(errno));
		rc = 1;
	} else
		printf("%zu issuer keys sealed in %s\n", n, out);
	if (fd != -1)
		close(fd);
	buf_free(&sealed);
	buf_free(&err);
	return (rc);
}

/*
 * Open a vault into keys_dir. A key file that exists with other content
 * is not overwritten without --force: a restore must not silently
 * replace the keys badges were signed with.
 */
static int
keys_import(const char *in, int force)
{
	struct buf	 plain, err;
	const char	*pass, *name;
	json_t		*all, *v;
	char		*src, *path, *old;
	size_t		 len, olen;
	int		 fd, rc, n;

	if ((pass = backup_passphrase()) == NULL)
		return (2);
	if (file_read(in, &src, &len, SOURCE_MAX) == -1) {
		fprintf(stderr, "capacita: %s: %s\n", in, strerror(errno));
		return (1);
	}
	buf_init(&plain, 4096);
	buf_init(&err, 128);
	rc = vault_open(pass, src, len, &plain, &err);
	free(src);
	if (rc == -1) {
		fprintf(stderr, "capacita: %s: %s\n", in, err.data);
		buf_free(&plain);
		buf_free(&err);
		return (1);
	}
	all = json_loadb(plain.data, plain.len, 0, NULL);
	sodium_memzero(plain.data, plain.len);
	buf_free(&plain);
	buf_free(&err);
	if (!json_is_object(all)) {
		fprintf(stderr, "capacita: %s: not a key vault\n", in);
		json_decref(all);
		return (1);
	}
	if (mkdir(settings.keys_dir, 0700) == -1 && errno != EEXIST) {
		fprintf(stderr, "capacita: %s: %s\n", settings.keys_dir,
		    strerror(errno));
		json_decref(all);
		return (1);
	}
	/* First pass: refuse before writing anything. */
	rc = 0;
	json_object_foreach(all, name, v) {
		if (strncmp(name, "issuer-", 7) != 0 || strchr(name, '/') !=
		    NULL || !str_has_suffix(name, ".json") ||
		    !json_is_string(v)) {
			fprintf(stderr, "capacita: %s: bad entry '%s'\n", in,
			    name);
			rc = 1;
			continue;
		}
		(void)xasprintf(&path, "%s/%s", settings.keys_dir, name);
		if (file_read(path, &old, &olen, 65536) == 0) {
			if (!force && (olen != json_string_length(v) ||
			    memcmp(old, json_string_value(v), olen) != 0)) {
				fprintf(stderr, "capacita: %s exists with "
				    "another key; keep it, or use --force\n",
				    path);
				rc = 1;
			}
			sodium_memzero(old, olen);
			free(old);
		}
		free(path);
	}
	n = 0;
	json_object_foreach(all, name, v) {
		if (rc != 0)
			break;
		(void)xasprintf(&path, "%s/%s", settings.keys_dir, name);
		if ((fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600)) ==
		    -1 || write(fd, json_string_value(v),
		    json_string_length(v)) != (ssize_t)json_string_length(v) ||
		    fsync(fd) == -1) {
			fprintf(stderr, "capacita: %s: %s\n", path,
			    strerror(errno));
			rc = 1;
		} else
			n++;
		if (fd != -1)
			close(fd);
		free(path);
	}
	json_decref(all);
	if (rc == 0)
		printf("%d issuer keys restored in %s\n", n,
		    settings.keys_dir);
	return (rc);
}

static double
now_seconds(void)
{
	struct timespec	ts;

	(void)clock_gettime(CLOCK_MONOTONIC, &ts);
	return ((double)ts.tv_sec + (double)ts.tv_nsec / 1e9);
}

/*
 * make bench: whole verifications of a credential per second (parse,
 * canonicalise, hash, Ed25519, dates, status), against libsodium alone
 * verifying the 64 bytes eddsa-jcs-2022 signs, in the same process.
 */
static void
verify_bench(const char *src, size_t len, time_t at, struct vc_trust *t,
    const char *status, size_t slen, long long n)
{
	struct vc_result	r;
	unsigned char		pk[crypto_sign_PUBLICKEYBYTES];
	unsigned char		sk[crypto_sign_SECRETKEYBYTES];
	unsigned char		msg[64], sig[crypto_sign_BYTES];
	double			t0, t1, t2;
	long long		i, bad;

	bad = 0;
	t0 = now_seconds();
	for (i = 0; i < n; i++) {
		vc_verify(src, len, at, t, status, slen, &r);
		if (r.flags != 0)
			bad++;
		vc_result_free(&r);
	}
	t1 = now_seconds();
	crypto_sign_keypair(pk, sk);
	randombytes_buf(msg, sizeof(msg));
	crypto_sign_detached(sig, NULL, msg, sizeof(msg), sk);
	for (i = 0; i < n; i++) {
		if (crypto_sign_verify_detached(sig, msg, sizeof(msg),
		    pk) != 0)
			bad++;
	}
	t2 = now_seconds();
	printf("verify_per_s %.1f\nsodium_per_s %.1f\ninvalid %lld\n",
	    (double)n / (t1 - t0), (double)n / (t2 - t1), bad);
}

/* Print a JSON file in its RFC 8785 canonical form. */
static int
cmd_jcs(int argc, char **argv)
{
	struct buf	 out, err;
	char		*src;
	size_t		 len;
	json_t		*v;

	if (argc != 2)
		usage();
	if (file_read(argv[1], &src, &len, SOURCE_MAX) == -1) {
		fprintf(stderr, "capacita: %s: %s\n", argv[1],
		    strerror(errno));
		return (2);
	}
	buf_init(&err, 64);
	v = jcs_parse(src, len, &err);
	free(src);
	if (v == NULL) {
		fprintf(stderr, "capacita: %s: %s\n", argv[1], err.data);
		return (1);
	}
	buf_init(&out, len + 16);
	if (jcs_canonicalize(&out, v) == -1) {
		fprintf(stderr, "capacita: %s: cannot be canonicalized\n",
		    argv[1]);
		json_decref(v);
		return (1);
	}
	fwrite(out.data, 1, out.len, stdout);
	json_decref(v);
	buf_free(&out);
	buf_free(&err);
	return (0);
}

/* Drain the job queue once (the server does it continuously). */
static int
cmd_jobs(int argc, char **argv)
{
	struct db	db;
	int		ran;

	if (argc != 2 || strcmp(argv[1], "run") != 0)
		usage();
	if (cli_db(&db) == -1)
		return (1);
	if (jobs_drain(&db, 1000, &ran) == -1) {
		fprintf(stderr, "capacita: %s\n", db_error(&db));
		db_close(&db);
		return (1);
	}
	printf("%d jobs run\n", ran);
	db_close(&db);
	return (0);
}

/*
 * The demo of make run DEMO=1 (demo.c), after the content is imported:
 * one user per role with new passwords at every run, and once the
 * histories of N people (300 by default).
 */
static int
cmd_demo(int argc, char **argv)
{
	struct db	db;
	struct buf	err;
	long long	people;
	int		rc;

	people = DEMO_PEOPLE;
	if (argc == 3 && strcmp(argv[1], "--people") == 0) {
		if (parse_int(argv[2], 1, 100000, &people) == -1)
			usage();
	} else if (argc != 1)
		usage();
	if (cli_db(&db) == -1)
		return (1);
	buf_init(&err, 128);
	rc = 0;
	if (demo_run(&db, (int)people, stdout, &err) == -1) {
		fprintf(stderr, "capacita: demo: %s\n", err.data);
		rc = 1;
	}
	buf_free(&err);
	db_close(&db);
	return (rc);
}

/*
 * Synthetic staff for benchmarks (generate.c): 100,000 people, 30
 * competences and about 20 graded answers each (2 million evidence
 * rows) by default, into an otherwise empty database.
 */
static int
cmd_generate(int argc, char **argv)
{
	struct db	db;
	struct buf	err;
	long long	staff, comps, seed, answers;
	int		i, rc;

	staff = 100000;
	comps = 30;
	answers = 20;
	seed = 1;
	for (i = 1; i < argc; i++) {
		if (i + 1 >= argc)
			usage();
		if (strcmp(argv[i], "--staff") == 0 &&
		    parse_int(argv[i + 1], 1, 10000000, &staff) == 0)
			i++;
		else if (strcmp(argv[i], "--competences") == 0 &&
		    parse_int(argv[i + 1], 1, 99, &comps) == 0)
			i++;
		else if (strcmp(argv[i], "--answers") == 0 &&
		    parse_int(argv[i + 1], 0, 1000, &answers) == 0)
			i++;
		else if (strcmp(argv[i], "--seed") == 0 &&
		    parse_int(argv[i + 1], 0, 1000000, &seed) == 0)
			i++;
		else
			usage();
	}
	if (cli_db(&db) == -1)
		return (1);
	buf_init(&err, 256);
	rc = generate(&db, (int)staff, (int)comps, (int)answers, (int)seed,
	    &err);
	if (rc == -1)
		fprintf(stderr, "capacita: generate: %s\n", err.data);
	else
		printf("generated %lld staff, %lld competences\n", staff,
		    comps);
	buf_free(&err);
	db_close(&db);
	return (rc == -1 ? 1 : 0);
}

/*
 * Every learning record as xAPI statements (xapi.c), a JSON array on
 * stdout in time order, read a page at a time: what an LRS accepts in a
 * POST to its statements resource. --since keeps the records after that
 * time (exclusive, to the millisecond; ISO 8601, or a date);
 * --xapi-version the form: 2.0.0 (the default) or 1.0.3. The operator's
 * export: quiz answers carry their right answers (README.md).
 */
static int
cmd_export_xapi(int argc, char **argv)
{
	struct xapi_query	 q;
	struct buf		 out;
	struct db		 db;
	const char		*since, *version;
	char			 iso[32], next[256], after[256];
	long long		 total;
	int			 count, rc, i;

	since = NULL;
	version = XAPI_VERSION;
	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--since") == 0 && i + 1 < argc)
			since = argv[++i];
		else if (strcmp(argv[i], "--xapi-version") == 0 &&
		    i + 1 < argc)
			version = argv[++i];
		else
			usage();
	}
	if (strcmp(version, XAPI_VERSION) != 0 &&
	    strcmp(version, XAPI_VERSION_1) != 0) {
		fprintf(stderr, "capacita: --xapi-version: %s or %s\n",
		    XAPI_VERSION_1, XAPI_VERSION);
		return (2);
	}
	iso[0] = '\0';
	if (since != NULL && xapi_time(since, iso) == -1) {
		fprintf(stderr, "capacita: --since: an ISO 8601 time, "
		    "e.g. 2025-01-31T00:00:00.000Z\n");
		return (2);
	}
	if (cli_db(&db) == -1)
		return (1);
	memset(&q, 0, sizeof(q));
	q.scope = "/";
	q.org = "";
	q.user = "";
	q.since = iso;
	q.version = version;
	q.answers = 1;
	q.limit = XAPI_PAGE_MAX;
	after[0] = '\0';
	total = 0;
	rc = 0;
	buf_init(&out, 65536);
	fputs("[", stdout);
	for (;;) {
		q.after = after;
		buf_reset(&out);
		if (store_xapi_page(&db, &q, settings.base_url, &out, &count,
		    next, sizeof(next)) == -1) {
			fprintf(stderr, "capacita: %s\n", db_error(&db));
			rc = 1;
			break;
		}
		if (count > 0) {
			if (total > 0)
				fputs(",", stdout);
			fputs("\n", stdout);
			fwrite(out.data, 1, out.len, stdout);
		}
		total += count;
		if (next[0] == '\0')
			break;
		xstrlcpy(after, next, sizeof(after));
	}
	fputs("\n]\n", stdout);
	buf_free(&out);
	db_close(&db);
	if (rc == 0)
		fprintf(stderr, "%lld statements\n", total);
	return (rc);
}

/*
 * push-xapi URL: the statements a store has not had yet, in batches,
 * to its statements resource (xapi-push.c).
 */
static int
cmd_push_xapi(int argc, char **argv)
{
	struct xapi_push	 p;
	struct db		 db;
	const char		*v;
	long long		 n;
	int			 i, rc;

	memset(&p, 0, sizeof(p));
	p.version = XAPI_VERSION;
	p.batch = 100;
	p.retries = 8;
	p.auth = getenv("CAPACITA_XAPI_AUTH");
	for (i = 1; i < argc; i++) {
		v = i + 1 < argc ? argv[i + 1] : NULL;
		if (strcmp(argv[i], "--auth") == 0 && v != NULL)
			p.auth = argv[++i];
		else if (strcmp(argv[i], "--xapi-version") == 0 && v != NULL)
			p.version = argv[++i];
		else if (strcmp(argv[i], "--batch") == 0 && v != NULL &&
		    parse_int(v, 1, XAPI_PAGE_MAX, &n) == 0) {
			p.batch = (int)n;
			i++;
		} else if (strcmp(argv[i], "--retries") == 0 && v != NULL &&
		    parse_int(v, 0, 1000, &n) == 0) {
			p.retries = (int)n;
			i++;
		} else if (argv[i][0] != '-' && p.url == NULL)
			p.url = argv[i];
		else
			usage();
	}
	if (p.url == NULL || !(str_has_prefix(p.url, "http://") ||
	    str_has_prefix(p.url, "https://")))
		usage();
	if (strcmp(p.version, XAPI_VERSION) != 0 &&
	    strcmp(p.version, XAPI_VERSION_1) != 0) {
		fprintf(stderr, "capacita: --xapi-version: %s or %s\n",
		    XAPI_VERSION_1, XAPI_VERSION);
		return (2);
	}
	if (cli_db(&db) == -1)
		return (1);
	rc = xapi_push(&db, &p, settings.base_url);
	db_close(&db);
	return (rc);
}

static int
cmd_version(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	printf("capacita %s (schema %d)\n", CAPACITA_VERSION, SCHEMA_VERSION);
	return (0);
}

static int
cmd_migrate(int argc, char **argv)
{
	struct diaglist	 dl;
	struct db	 db;
	char		*dir;
	int		 status, current, applied, rc, latest;

	status = argc == 2 && strcmp(argv[1], "--status") == 0;
	if (argc > 2 || (argc == 2 && !status))
		usage();
	if (cli_db(&db) == -1)
		return (1);
	(void)xasprintf(&dir, "%s/sql", settings.root);
	diag_init(&dl);
	rc = 0;
	if (status) {
		if (migrate_current(&db, &current) == -1) {
			fprintf(stderr, "capacita: %s\n", db_error(&db));
			rc = 1;
		} else {
			(void)migrate_latest_file(dir, &latest);
			printf("database schema %d, this build %d, files up "
			    "to %d\n", current, SCHEMA_VERSION, latest);
			rc = current == SCHEMA_VERSION ? 0 : 1;
		}
	} else if (migrate_apply(&db, dir, &applied, &dl) == -1) {
		diag_print(stderr, &dl);
		rc = 1;
	} else {
		(void)migrate_current(&db, &current);
		printf("migrations: %d applied, schema at version %d\n",
		    applied, current);
	}
	diag_free(&dl);
	free(dir);
	db_close(&db);
	return (rc);
}

static int
cmd_import(int argc, char **argv)
{
	struct import_stats	 st;
	struct diaglist		 dl;
	struct content		 ct;
	struct db		 db;
	const char		*dir;
	int			 check, skipped, failed, rc;

	check = 0;
	if (argc >= 2 && strcmp(argv[1], "--check") == 0) {
		check = 1;
		argc--;
		argv++;
	}
	if (argc != 2)
		usage();
	dir = argv[1];

	diag_init(&dl);
	skipped = content_load(&ct, dir, &dl);
	diag_print(stderr, &dl);
	diag_free(&dl);
	if (skipped == -1) {
		content_free(&ct);
		return (1);
	}
	if (check) {
		printf("%zu files checked: %zu modules, %zu courses%s%s, %zu "
		    "reference frameworks, %zu practice cards, %d with "
		    "errors, %d warnings\n", ct.nfiles, ct.nmodules,
		    ct.ncourses, ct.framework != NULL ? ", 1 framework" : "",
		    ct.gov.model != NULL ? ", 1 governance model" : "",
		    ct.nrefs, ct.gov.npractices, skipped, ct.nwarnings);
		rc = skipped > 0 || ct.nwarnings > 0;
		content_free(&ct);
		return (rc);
	}

	if (cli_db(&db) == -1) {
		content_free(&ct);
		return (1);
	}
	/*
	 * One transaction per file, without waiting for each commit to
	 * reach the disk: an import is idempotent, so what a crash might
	 * lose is imported again by the next run.
	 */
	(void)db_exec(&db, "SET synchronous_commit = off", 0);
	diag_init(&dl);
	failed = store_content(&db, &ct, &st, &dl);
	diag_print(stderr, &dl);
	diag_free(&dl);
	printf("imported from %s: %zu modules (%d new versions, %d "
	    "unchanged), %zu courses (%d changed, %d unchanged), framework "
	    "%s, %zu reference frameworks (%d updated); %d files skipped\n",
	    dir, ct.nmodules, st.modules_new, st.modules_unchanged,
	    ct.ncourses, st.courses_changed, st.courses_unchanged,
	    ct.framework == NULL ? "absent" : (st.framework_changed ?
	    "updated" : "unchanged"), ct.nrefs, st.refs_changed,
	    skipped + failed);
	rc = (skipped + failed) > 0;
	content_free(&ct);
	db_close(&db);
	return (rc);
}

static int
cmd_render(int argc, char **argv)
{
	struct diaglist	 dl;
	struct module	*m;
	char		*src;
	size_t		 len;

	if (argc != 2)
		usage();
	if (file_read(argv[1], &src, &len, SOURCE_MAX) == -1) {
		perror(argv[1]);
		return (2);
	}
	diag_init(&dl);
	m = module_parse(argv[1], src, len, &dl);
	free(src);
	diag_print(stderr, &dl);
	diag_free(&dl);
	if (m == NULL)
		return (1);
	fputs(m->html, stdout);
	module_free(m);
	return (0);
}

/*
 * The framework as a Moodle competency framework CSV: export prints the
 * CSV of a framework file; import turns such a CSV into a framework
 * file, checked by framework_parse() before anything is written.
 */
static int
cmd_framework(int argc, char **argv)
{
	struct framework	*fw;
	struct diaglist		 dl;
	struct buf		 out;
	const char		*in, *outpath, *why;
	char			*src;
	size_t			 len;
	FILE			*fp;
	int			 i, rc;

	if (argc < 2)
		usage();
	in = outpath = NULL;
	if (strcmp(argv[1], "export") == 0) {
		if (argc > 3)
			usage();
		in = argc == 3 ? argv[2] : "courses/framework.md";
	} else if (strcmp(argv[1], "import") == 0) {
		for (i = 2; i < argc; i++) {
			if (strcmp(argv[i], "-o") == 0 && i + 1 < argc)
				outpath = argv[++i];
			else if (in == NULL && argv[i][0] != '-')
				in = argv[i];
			else
				usage();
		}
		if (in == NULL)
			usage();
	} else
		usage();

	if (file_read(in, &src, &len, SOURCE_MAX) == -1) {
		fprintf(stderr, "capacita: %s: %s\n", in, strerror(errno));
		return (1);
	}
	diag_init(&dl);
	buf_init(&out, len + 1024);
	why = NULL;
	rc = 1;
	if (strcmp(argv[1], "export") == 0) {
		if ((fw = framework_parse(in, src, len, &dl)) == NULL)
			goto out;
		framework_csv_write(fw, &out);
		framework_free(fw);
	} else {
		if (framework_csv_read(in, src, len, &out, &dl) > 0)
			goto out;
		fw = framework_parse(outpath != NULL ? outpath : "(output)",
		    out.data, out.len, &dl);
		if (fw == NULL) {
			why = "the Markdown made from the CSV does not parse "
			    "as a framework";
			goto out;
		}
		framework_free(fw);
	}

	if (outpath == NULL) {
		if (fwrite(out.data, 1, out.len, stdout) != out.len ||
		    fflush(stdout) == EOF) {
			fprintf(stderr, "capacita: writing: %s\n",
			    strerror(errno));
			goto out;
		}
	} else {
		if ((fp = fopen(outpath, "w")) == NULL) {
			fprintf(stderr, "capacita: %s: %s\n", outpath,
			    strerror(errno));
			goto out;
		}
		if (fwrite(out.data, 1, out.len, fp) != out.len ||
		    fclose(fp) == EOF) {
			fprintf(stderr, "capacita: %s: %s\n", outpath,
			    strerror(errno));
			(void)unlink(outpath);
			goto out;
		}
	}
	rc = 0;
out:
	diag_print(stderr, &dl);
	if (why != NULL)
		fprintf(stderr, "capacita: %s: %s\n", in, why);
	diag_free(&dl);
	buf_free(&out);
	free(src);
	return (rc);
}

int
main(int argc, char **argv)
{
	struct diaglist	 dl;
	char		*conf;
	const char	*e;
	size_t		 i;
	int		 rc;

	if (sodium_init() < 0)
		die("sodium_init failed");
	if (argc < 2)
		usage();

	diag_init(&dl);
	if ((e = getenv("CAPACITA_CONF")) != NULL)
		conf = xstrdup(e);
	else
		conf = xstrdup("conf/capacita.conf");
	if (settings_load(conf, &dl) > 0) {
		diag_print(stderr, &dl);
		diag_free(&dl);
		free(conf);
		return (2);
	}
	free(conf);

	for (i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++) {
		if (strcmp(argv[1], cmds[i].name) == 0) {
			rc = cmds[i].run(argc - 1, argv + 1);
			return (rc);
		}
	}
	usage();
}
