/*
 * store-rows.c: the one way a store reads a list: run a parameterised
 * query, make room for a row struct per result row (the caller's
 * reader fills them from the result, by its column enum), and clear
 * both at the end. Strings in the rows point into the result.
 */

#include <stdarg.h>
#include <stdlib.h>

#include "capacita.h"

#define ROWS_PARAMS	8

/*
 * Runs q with the nparams string parameters that follow; *res gets the
 * result and *n its rows; returns n + 1 zeroed structs of size bytes,
 * or NULL with f filled on a database error.
 */
void *
store_rows(struct db *db, struct pg_result **res, size_t *n, size_t size,
    struct fail *f, const char *q, int nparams, ...)
{
	const char	*params[ROWS_PARAMS];
	va_list		 ap;
	int		 i;

	*n = 0;
	if (nparams > ROWS_PARAMS) {
		(void)fail_set(f, FAIL_UNAVAILABLE, "error.503.db",
		    "store_rows: %d parameters", nparams);
		return (NULL);
	}
	va_start(ap, nparams);
	for (i = 0; i < nparams; i++)
		params[i] = va_arg(ap, const char *);
	va_end(ap);
	if ((*res = db_queryv(db, q, nparams, params)) == NULL) {
		(void)db_fail(db, f);
		return (NULL);
	}
	*n = (size_t)db_rows(*res);
	return (xcalloc(*n + 1, size));
}

/* The result and the rows of store_rows(), both may be NULL. */
void
store_rows_free(struct pg_result *res, void *rows)
{
	if (res != NULL)
		db_clear(res);
	free(rows);
}
