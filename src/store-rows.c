/*
 * store-rows.c: lists whose rows point into the query's result, kept
 * until the list is freed (struct choices, struct people, the lists of
 * store-roles.c, store-admin.c and store-profile.c): the array of rows
 * for a result, its release, and the select-list choices every page
 * with a form reads.
 */

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "capacita.h"

/* The columns of a choices query, in choices_load(). */
enum choice_col {
	CH_VALUE = 0,
	CH_LABEL,
	CH_ON
};

/*
 * An array for the rows of res (zeroed, one spare), each size bytes;
 * *keep holds res until rows_release(), *n gets the number of rows.
 */
void *
rows_hold(struct pg_result *res, struct pg_result **keep, size_t size,
    int *n)
{
	*keep = res;
	*n = db_rows(res);
	return (xcalloc((size_t)*n + 1, size));
}

/*
 * Runs q with the nparams string parameters that follow and holds its
 * result in *res (rows_hold()): returns *n + 1 zeroed structs of size
 * bytes for the rows, or NULL with f filled on a database error.
 */
#define ROWS_PARAMS	8

void *
store_rows(struct db *db, struct pg_result **res, size_t *n, size_t size,
    struct fail *f, const char *q, int nparams, ...)
{
	const char		*params[ROWS_PARAMS];
	struct pg_result	*r;
	va_list			 ap;
	void			*v;
	int			 i, rows;

	*n = 0;
	*res = NULL;
	if (nparams > ROWS_PARAMS) {
		(void)fail_set(f, FAIL_UNAVAILABLE, "error.503.db",
		    "store_rows: %d parameters", nparams);
		return (NULL);
	}
	va_start(ap, nparams);
	for (i = 0; i < nparams; i++)
		params[i] = va_arg(ap, const char *);
	va_end(ap);
	if ((r = db_queryv(db, q, nparams, params)) == NULL) {
		(void)db_fail(db, f);
		return (NULL);
	}
	v = rows_hold(r, res, size, &rows);
	*n = (size_t)rows;
	return (v);
}

/* Release a list's result and rows (either may be NULL). */
void
rows_release(struct pg_result *res, void *v)
{
	if (res != NULL)
		db_clear(res);
	free(v);
}

/*
 * The rows of a choices query (value, label, and with flagged an "on"
 * boolean) into out; res NULL is the query's failure.
 */
int
choices_load(struct db *db, struct pg_result *res, int flagged,
    struct choices *out, struct fail *f)
{
	struct choice_row	*c;
	int			 i, n;

	memset(out, 0, sizeof(*out));
	if (res == NULL)
		return (db_fail(db, f));
	out->v = rows_hold(res, &out->res, sizeof(*out->v), &n);
	for (i = 0; i < n; i++) {
		c = &out->v[out->n++];
		c->value = db_value(res, i, CH_VALUE);
		c->label = db_value(res, i, CH_LABEL);
		c->on = flagged && *db_value(res, i, CH_ON) == 't';
	}
	return (0);
}

void
choices_free(struct choices *c)
{
	rows_release(c->res, c->v);
	memset(c, 0, sizeof(*c));
}
