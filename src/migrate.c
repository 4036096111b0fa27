/*
 * migrate.c: schema migrations. sql/NNNN-name.sql files are applied in
 * order, each in one transaction that also records it in
 * schema_migrations; they are forward-only and never edited once
 * released. An advisory lock keeps two migrators from racing.
 */

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "capacita.h"

#define MIGRATE_LOCK	"7261736361"	/* any constant shared by all */

struct mfile {
	int	 version;
	char	*name;
};

static int	mig_filter(const struct dirent *);
static int	mig_list(const char *, struct mfile **, size_t *,
		    struct diaglist *);

static int
mig_filter(const struct dirent *d)
{
	return (d->d_name[0] >= '0' && d->d_name[0] <= '9' &&
	    str_has_suffix(d->d_name, ".sql"));
}

/*
 * The migration files, checked to be numbered in increasing order, each
 * number once. Numbers may skip: they are reserved per branch of work,
 * so a branch can land before the one holding the number below it.
 */
static int
mig_list(const char *dir, struct mfile **out, size_t *n,
    struct diaglist *dl)
{
	struct dirent	**list;
	long long	  v;
	char		  num[5];
	int		  i, cnt, errors;

	*out = NULL;
	*n = 0;
	if ((cnt = scandir(dir, &list, mig_filter, alphasort)) == -1) {
		diag_add(dl, dir, 0, "cannot read: %s", strerror(errno));
		return (-1);
	}
	errors = 0;
	*out = xcalloc((size_t)cnt + 1, sizeof(**out));
	for (i = 0; i < cnt; i++) {
		memcpy(num, list[i]->d_name, 4);
		num[4] = '\0';
		if (strlen(list[i]->d_name) < 6 || list[i]->d_name[4] != '-' ||
		    parse_int(num, 1, 9999, &v) != 0) {
			diag_add(dl, list[i]->d_name, 0, "migration files are "
			    "named NNNN-name.sql");
			errors++;
		} else if (i > 0 && v <= (*out)[i - 1].version) {
			diag_add(dl, list[i]->d_name, 0, "migration number "
			    "%04lld used twice", v);
			errors++;
		}
		(*out)[i].version = (int)v;
		(*out)[i].name = xstrdup(list[i]->d_name);
		free(list[i]);
	}
	free(list);
	*n = (size_t)cnt;
	return (errors > 0 ? -1 : 0);
}

int
migrate_latest_file(const char *dir, int *latest)
{
	struct diaglist	 dl;
	struct mfile	*files;
	size_t		 n, i;
	int		 rc;

	diag_init(&dl);
	rc = mig_list(dir, &files, &n, &dl);
	*latest = n > 0 ? files[n - 1].version : 0;
	for (i = 0; i < n; i++)
		free(files[i].name);
	free(files);
	diag_free(&dl);
	return (rc);
}

/* Whether migration v is recorded (0 before the first migration). */
static int
mig_recorded(struct db *db, int v, int *recorded)
{
	struct pg_result	*res;
	char			 vbuf[16];

	res = db_query(db, "SELECT to_regclass('public.schema_migrations') "
	    "IS NOT NULL", 0);
	if (res == NULL)
		return (-1);
	*recorded = strcmp(db_value(res, 0, 0), "t") == 0;
	db_clear(res);
	if (!*recorded)
		return (0);
	(void)snprintf(vbuf, sizeof(vbuf), "%d", v);
	res = db_query(db, "SELECT count(*) FROM schema_migrations "
	    "WHERE version = $1", 1, vbuf);
	if (res == NULL)
		return (-1);
	*recorded = atoi(db_value(res, 0, 0)) > 0;
	db_clear(res);
	return (0);
}

int
migrate_current(struct db *db, int *version)
{
	struct pg_result	*res;

	res = db_query(db, "SELECT CASE WHEN to_regclass("
	    "'public.schema_migrations') IS NULL THEN 0 ELSE -1 END", 0);
	if (res == NULL)
		return (-1);
	*version = atoi(db_value(res, 0, 0));
	db_clear(res);
	if (*version == 0)
		return (0);
	res = db_query(db, "SELECT coalesce(max(version), 0) "
	    "FROM schema_migrations", 0);
	if (res == NULL)
		return (-1);
	*version = atoi(db_value(res, 0, 0));
	db_clear(res);
	return (0);
}

/*
 * Apply, in order, every migration the database has not recorded (a
 * number below the newest can arrive late; see mig_list). Sets *applied
 * to the number applied. On failure the failing file is rolled back
 * whole.
 */
int
migrate_apply(struct db *db, const char *dir, int *applied,
    struct diaglist *dl)
{
	struct mfile	*files;
	size_t		 n, i, len;
	char		*path, *sql, vbuf[16];
	int		 current, rc;

	*applied = 0;
	if (mig_list(dir, &files, &n, dl) == -1)
		return (-1);
	rc = 0;
	for (i = 0; i < n; i++) {
		if (db_begin(db) == -1 ||
		    db_exec(db, "SELECT pg_advisory_xact_lock(" MIGRATE_LOCK
		    ")", 0) == -1 || mig_recorded(db, files[i].version,
		    &current) == -1) {
			diag_add(dl, files[i].name, 0, "%s", db_error(db));
			db_rollback(db);
			rc = -1;
			break;
		}
		if (current) {
			db_rollback(db);
			continue;
		}
		(void)xasprintf(&path, "%s/%s", dir, files[i].name);
		if (file_read(path, &sql, &len, SOURCE_MAX) == -1) {
			diag_add(dl, path, 0, "cannot read: %s",
			    strerror(errno));
			free(path);
			db_rollback(db);
			rc = -1;
			break;
		}
		(void)snprintf(vbuf, sizeof(vbuf), "%d", files[i].version);
		if (db_exec_script(db, sql) == -1 ||
		    db_exec(db, "INSERT INTO schema_migrations (version, name) "
		    "VALUES ($1, $2)", 2, vbuf, files[i].name) == -1 ||
		    db_commit(db) == -1) {
			diag_add(dl, path, 0, "%s", db_error(db));
			db_rollback(db);
			free(sql);
			free(path);
			rc = -1;
			break;
		}
		free(sql);
		free(path);
		(*applied)++;
	}
	for (i = 0; i < n; i++)
		free(files[i].name);
	free(files);
	return (rc);
}
