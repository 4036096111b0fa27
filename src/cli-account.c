/*
 * cli-account.c: bin/capacita user and org: accounts and organisations
 * from the command line, with the one-time links to set a password.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "capacita.h"

static void	cli_link(struct db *, long long, const char *, int);
static void	cli_import_links(int, const char *,
		    const struct import_links *);

/*
 * The one-time link to set the password: sent by e-mail when a relay is
 * configured (the server's mail runner sends it; for a new account, in
 * a welcome message), else printed here. With local passwords off there
 * is no password to set: a new person is told how to sign in.
 */
static void
cli_link(struct db *db, long long id, const char *email, int new)
{
	struct fail	f;
	char		token[AUTH_TOKEN_LEN + 1];

	if (!settings.local_passwords && !new) {
		printf("local passwords are off (local_passwords = no): %s "
		    "signs in through the identity provider\n", email);
		return;
	}
	if (mail_enabled()) {
		if (mail_queue_id(db, id, "password", new ? "new" : "",
		    &f) == -1)
			(void)cli_fail(NULL, &f);
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
	if (account_password_link(db, id, 72, token, &f) == -1) {
		(void)cli_fail(NULL, &f);
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

int
cli_account_user(int argc, char **argv)
{
	struct import_links	 links;
	struct account_new	 a;
	struct diaglist		 dl;
	struct fail		 f;
	struct db		 db;
	char			*src, uid[32];
	long long		 id;
	size_t			 len;
	int			 rc, n, active;

	if (argc < 3)
		cli_usage();
	if (cli_db(&db) == -1)
		return (1);
	fail_clear(&f);
	rc = 1;
	if (strcmp(argv[1], "add") == 0 && argc == 6) {
		memset(&a, 0, sizeof(a));
		a.name = argv[2];
		a.email = argv[3];
		a.org_code = argv[4];
		a.roles = argv[5];
		if (db_begin(&db) == -1 ||
		    account_create(&db, &a, &id, &f) == -1 ||
		    audit_append(&db, cli_actor(), "user.create", argv[3],
		    argv[5], "") == -1)
			cli_rollback(&db, &f);
		else {
			cli_link(&db, id, argv[3], 1);
			if (db_commit(&db) == 0) {
				printf("created user %lld (%s)\n", id, argv[3]);
				rc = 0;
			}
		}
	} else if ((strcmp(argv[1], "disable") == 0 ||
	    strcmp(argv[1], "enable") == 0) && argc == 3) {
		active = strcmp(argv[1], "enable") == 0;
		if (account_by_email(&db, argv[2], &id, &f) == -1)
			(void)cli_fail(NULL, &f);
		else if (id == 0)
			fprintf(stderr, "capacita: no user %s\n", argv[2]);
		else if (db_begin(&db) == -1 ||
		    account_set_active(&db, id, active, &f) == -1 ||
		    audit_append(&db, cli_actor(), active ? "user.enable" :
		    "user.disable", argv[2], "", "") == -1 ||
		    db_commit(&db) == -1)
			cli_rollback(&db, &f);
		else {
			printf("%s %s\n", argv[2], active ? "enabled" :
			    "disabled; its sessions are closed");
			rc = 0;
		}
	} else if (strcmp(argv[1], "reset-password") == 0 && argc == 3) {
		if (account_by_email(&db, argv[2], &id, &f) == -1)
			(void)cli_fail(NULL, &f);
		else if (id == 0)
			fprintf(stderr, "capacita: no user %s\n", argv[2]);
		else if (db_begin(&db) == -1 ||
		    audit_append(&db, cli_actor(), "password.reset", argv[2],
		    "link issued", "") == -1)
			cli_rollback(&db, &f);
		else {
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
			    &n, &links, &dl, &f) == -1) {
				diag_print(stderr, &dl);
				if (f.kind == FAIL_UNAVAILABLE)
					(void)cli_fail(NULL, &f);
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
		cli_usage();
	(void)uid;
	db_close(&db);
	return (rc);
}

int
cli_account_org(int argc, char **argv)
{
	struct fail	f;
	struct db	db;
	long long	id;
	int		rc;

	if (argc != 5 || strcmp(argv[1], "add") != 0)
		cli_usage();
	if (cli_db(&db) == -1)
		return (1);
	fail_clear(&f);
	rc = 1;
	if (db_begin(&db) == -1 || org_create(&db, strcmp(argv[2], "-") == 0 ?
	    NULL : argv[2], argv[3], argv[4], 0, &id, &f) == -1 ||
	    audit_append(&db, cli_actor(), "org.create", argv[3], argv[4],
	    "") == -1 || db_commit(&db) == -1)
		cli_rollback(&db, &f);
	else {
		printf("created %s (%lld)\n", argv[3], id);
		rc = 0;
	}
	db_close(&db);
	return (rc);
}
