/*
 * cli.c: bin/capacita, the command-line tool. It shares the core and
 * store files with the server and talks to PostgreSQL directly. This
 * file holds the command table and main(); each family of commands
 * lives in its own cli-*.c (content, account, badge, backup, setup,
 * xapi), as tmux keeps its commands in cmd-*.c.
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

#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sodium.h>

#include "capacita.h"

struct cli_cmd {
	const char	*name;
	const char	*usage;
	int		(*run)(int, char **);
};

static int	cmd_version(int, char **);
static int	cmd_config(int, char **);

static const struct cli_cmd	cmds[] = {
	{ "migrate", "migrate [--status]", cli_content_migrate },
	{ "import", "import [--check] DIR", cli_content_import },
	{ "render", "render FILE", cli_content_render },
	{ "framework", "framework export [FILE.md]\n"
	    "  capacita framework import FILE.csv [-o OUT.md]",
	    cli_content_framework },
	{ "version", "version", cmd_version },
	{ "user", "user add NAME EMAIL ORG-CODE ROLES\n"
	    "  capacita user disable|enable|reset-password EMAIL\n"
	    "  capacita user import FILE.csv", cli_account_user },
	{ "org", "org add PARENT-CODE|- CODE NAME", cli_account_org },
	{ "audit", "audit verify [--checkpoint FILE] | checkpoint",
	    cli_badge_audit },
	{ "bootstrap", "bootstrap [--demo]", cli_setup_bootstrap },
	{ "keys", "keys init|rotate|show\n"
	    "  capacita keys export FILE | import [--force] FILE",
	    cli_badge_keys },
	{ "sign", "sign --key KEYFILE [--created TIME] [--vm URL] FILE",
	    cli_badge_sign },
	{ "verify", "verify [--issuer DOC]... [--trust FILE] [--status "
	    "STATUSFILE] [--strict]\n    [--at TIME] [--bench N] FILE.json|"
	    "FILE.pdf",
	    cli_badge_verify },
	{ "badges", "badges reissue", cli_badge_reissue },
	{ "config", "config base_url|issuer_id|keys_dir", cmd_config },
	{ "jcs", "jcs FILE", cli_badge_jcs },
	{ "jobs", "jobs run", cli_setup_jobs },
	{ "generate", "generate [--staff N] [--competences N] [--answers N] "
	    "[--seed N]",
	    cli_setup_generate },
	{ "export-xapi", "export-xapi [--since TIME] [--xapi-version "
	    "1.0.3|2.0.0] > FILE.json", cli_xapi_export },
	{ "push-xapi", "push-xapi URL [--auth USER:PASS] [--xapi-version "
	    "1.0.3|2.0.0] [--batch N] [--retries N]", cli_xapi_push },
	{ "demo", "demo [--people N]", cli_setup_demo },
};

void
cli_usage(void)
{
	size_t	i;

	fprintf(stderr, "usage:\n");
	for (i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
		fprintf(stderr, "  capacita %s\n", cmds[i].usage);
	exit(2);
}

int
cli_db(struct db *db)
{
	if (db_open(db, settings.dsn) == -1) {
		fprintf(stderr, "capacita: cannot connect to the database "
		    "(%s): %s\n", settings.dsn, db_error(db));
		return (-1);
	}
	return (0);
}

/*
 * A failure on stderr, after "capacita: " and what (when not NULL): its
 * detail (the sentence or the database's error), else its message.
 * Returns 1, the exit status.
 */
int
cli_fail(const char *what, const struct fail *f)
{
	fprintf(stderr, "capacita: %s%s%s\n", what != NULL ? what : "",
	    what != NULL ? ": " : "", f->detail[0] != '\0' ? f->detail :
	    i18n_get(LANG_EN, f->key));
	return (1);
}

/*
 * A step of a transaction failed: the store's failure, else the
 * database's, on stderr; the transaction rolled back. Returns 1.
 */
int
cli_rollback(struct db *db, struct fail *f)
{
	if (f->kind == FAIL_NONE)
		(void)db_fail(db, f);
	db_rollback(db);
	return (cli_fail(NULL, f));
}

/* Who is acting, for the audit log. */
const char *
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

static int
cmd_version(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	printf("capacita %s (schema %d)\n", CAPACITA_VERSION, SCHEMA_VERSION);
	return (0);
}

/* Print one setting as the server and the CLI resolve it. */
static int
cmd_config(int argc, char **argv)
{
	if (argc != 2)
		cli_usage();
	if (strcmp(argv[1], "base_url") == 0)
		printf("%s\n", settings.base_url);
	else if (strcmp(argv[1], "issuer_id") == 0)
		printf("%s\n", settings.issuer_id);
	else if (strcmp(argv[1], "keys_dir") == 0)
		printf("%s\n", settings.keys_dir);
	else
		cli_usage();
	return (0);
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
		cli_usage();

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
	cli_usage();
}
