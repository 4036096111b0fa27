/*
 * cli-content.c: bin/capacita migrate, import [--check], render and
 * framework: the schema and the content tree.
 */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "capacita.h"

int
cli_content_migrate(int argc, char **argv)
{
	struct diaglist	 dl;
	struct db	 db;
	char		*dir;
	int		 status, current, applied, rc, latest;

	status = argc == 2 && strcmp(argv[1], "--status") == 0;
	if (argc > 2 || (argc == 2 && !status))
		cli_usage();
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

int
cli_content_import(int argc, char **argv)
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
		cli_usage();
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

int
cli_content_render(int argc, char **argv)
{
	struct diaglist	 dl;
	struct module	*m;
	char		*src;
	size_t		 len;

	if (argc != 2)
		cli_usage();
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
int
cli_content_framework(int argc, char **argv)
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
		cli_usage();
	in = outpath = NULL;
	if (strcmp(argv[1], "export") == 0) {
		if (argc > 3)
			cli_usage();
		in = argc == 3 ? argv[2] : "courses/framework.md";
	} else if (strcmp(argv[1], "import") == 0) {
		for (i = 2; i < argc; i++) {
			if (strcmp(argv[i], "-o") == 0 && i + 1 < argc)
				outpath = argv[++i];
			else if (in == NULL && argv[i][0] != '-')
				in = argv[i];
			else
				cli_usage();
		}
		if (in == NULL)
			cli_usage();
	} else
		cli_usage();

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
