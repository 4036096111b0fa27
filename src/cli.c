/*
 * cli.c: bin/capacita, the command-line tool. It shares the core and
 * store files with the server and talks to PostgreSQL directly.
 *
 *	capacita migrate [--status]
 *	capacita import [--check] DIR
 *	capacita render FILE
 */

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
static int	cmd_version(int, char **);
static int	cli_db(struct db *);
static void	usage(void) NORETURN;

static const struct cli_cmd	cmds[] = {
	{ "migrate", "migrate [--status]", cmd_migrate },
	{ "import", "import [--check] DIR", cmd_import },
	{ "render", "render FILE", cmd_render },
	{ "version", "version", cmd_version },
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
		printf("%zu files checked: %zu modules, %zu courses%s, %d with "
		    "errors\n", ct.nfiles, ct.nmodules, ct.ncourses,
		    ct.framework != NULL ? ", 1 framework" : "", skipped);
		content_free(&ct);
		return (skipped > 0);
	}

	if (cli_db(&db) == -1) {
		content_free(&ct);
		return (1);
	}
	diag_init(&dl);
	failed = store_content(&db, &ct, &st, &dl);
	diag_print(stderr, &dl);
	diag_free(&dl);
	printf("imported from %s: %zu modules (%d new versions, %d "
	    "unchanged), %zu courses (%d changed, %d unchanged), framework "
	    "%s; %d files skipped\n", dir, ct.nmodules, st.modules_new,
	    st.modules_unchanged, ct.ncourses, st.courses_changed,
	    st.courses_unchanged, ct.framework == NULL ? "absent" :
	    (st.framework_changed ? "updated" : "unchanged"),
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
