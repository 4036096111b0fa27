/*
 * cli-setup.c: bin/capacita bootstrap, demo, generate and jobs: a
 * database's first administrator, the demo, synthetic staff for
 * benchmarks, and the job queue drained by hand.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "capacita.h"

/*
 * First start: create the administrator when there is none, and print
 * its random password once. --demo then runs the demo (demo.c), which
 * needs the content imported first; see cli_setup_demo.
 */
int
cli_setup_bootstrap(int argc, char **argv)
{
	struct pg_result	*res;
	struct account_new	 a;
	struct fail		 f;
	struct buf		 err;
	struct db		 db;
	char			 pw[AUTH_PASSWORD_LEN + 1], hash[AUTH_HASH_MAX];
	char			 uid[32];
	long long		 id;
	int			 want_demo, rc, has_admin;

	want_demo = argc == 2 && strcmp(argv[1], "--demo") == 0;
	if (argc > 2 || (argc == 2 && !want_demo))
		cli_usage();
	if (cli_db(&db) == -1)
		return (1);
	buf_init(&err, 128);
	fail_clear(&f);
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
		if (account_by_email(&db, a.email, &id, &f) == -1)
			goto out;
		if (id != 0) {
			/* The admin exists but lost the role or was disabled. */
			if (account_set_active(&db, id, 1, &f) == -1 ||
			    account_set_roles(&db, id, "admin", &f) == -1)
				goto out;
		} else if (account_create(&db, &a, &id, &f) == -1)
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
		    err.len ? err.data : f.kind != FAIL_NONE ? f.detail :
		    db_error(&db));
		db_rollback(&db);
	}
	buf_free(&err);
	db_close(&db);
	return (rc);
}

/* Drain the job queue once (the server does it continuously). */
int
cli_setup_jobs(int argc, char **argv)
{
	struct db	db;
	struct fail	f;
	int		ran;

	if (argc != 2 || strcmp(argv[1], "run") != 0)
		cli_usage();
	if (cli_db(&db) == -1)
		return (1);
	if (jobs_drain(&db, 1000, &ran, &f) == -1) {
		db_close(&db);
		return (cli_fail(NULL, &f));
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
int
cli_setup_demo(int argc, char **argv)
{
	struct db	db;
	struct buf	err;
	long long	people;
	int		rc;

	people = DEMO_PEOPLE;
	if (argc == 3 && strcmp(argv[1], "--people") == 0) {
		if (parse_int(argv[2], 1, 100000, &people) == -1)
			cli_usage();
	} else if (argc != 1)
		cli_usage();
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
int
cli_setup_generate(int argc, char **argv)
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
			cli_usage();
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
			cli_usage();
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
