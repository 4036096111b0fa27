/*
 * store-rows.c: the one way a store reads rows. A column table (struct
 * row_col, one entry per column of the SELECT) says where each column
 * goes in the row struct and as what. A list is a descriptor (struct
 * store_list: the SELECT, its column table, the row's size) read by
 * store_list(), which runs the query and either keeps the rows
 * pointing into the result until rows_release() or copies them and
 * clears the result (store_list_id() for a list by one number).
 * rows_held() and rows_copy() read a result a store ran itself
 * (struct choices, struct people), row_one() reads a query of one row
 * (none is FAIL_NOTFOUND). Also the select-list choices every page with
 * a form reads, and store_abort() for a write that failed.
 */

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "capacita.h"

#define NUMBUF		32

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

/* Column c of row i of res into row, as col says. */
static void
row_cell(struct pg_result *res, int i, int c, const struct row_col *col,
    char *row)
{
	char	*at = row + col->off;

	switch (col->kind) {
	case ROW_TEXT:
		*(const char **)(void *)at = db_value(res, i, c);
		break;
	case ROW_DUP:
		*(char **)(void *)at = db_text(res, i, c);
		break;
	case ROW_COPY:
		xstrlcpy(at, db_value(res, i, c), col->len);
		break;
	case ROW_LL:
		*(long long *)(void *)at = db_ll(res, i, c);
		break;
	case ROW_INT:
		*(int *)(void *)at = db_int(res, i, c);
		break;
	case ROW_BOOL:
		*(int *)(void *)at = *db_value(res, i, c) == 't';
		break;
	case ROW_DOUBLE:
		*(double *)(void *)at = strtod(db_value(res, i, c), NULL);
		break;
	case ROW_U64:
		*(uint64_t *)(void *)at = (uint64_t)strtoull(db_value(res, i,
		    c), NULL, 10);
		break;
	}
}

/*
 * Every row of res into v, an array of rows of size bytes, by a table
 * of columns (cols[c] is column c of the SELECT).
 */
void
rows_fill(struct pg_result *res, void *v, size_t size,
    const struct row_col *cols, size_t ncols)
{
	size_t	c;
	int	i;

	for (i = 0; i < db_rows(res); i++)
		for (c = 0; c < ncols; c++)
			row_cell(res, i, (int)c, &cols[c],
			    (char *)v + (size_t)i * size);
}

/* Free the n rows of v filled by rows_fill(): their ROW_DUP copies. */
void
rows_dup_free(void *v, size_t n, size_t size, const struct row_col *cols,
    size_t ncols)
{
	size_t	i, c;

	for (i = 0; i < n; i++)
		for (c = 0; c < ncols; c++)
			if (cols[c].kind == ROW_DUP)
				free(*(char **)(void *)((char *)v + i * size +
				    cols[c].off));
	free(v);
}

/*
 * The rows of res, held in *keep, read by a table of columns (cols[i]
 * is column i of the SELECT): the array of rows, *n their number.
 */
void *
rows_load(struct pg_result *res, struct pg_result **keep, size_t size,
    const struct row_col *cols, size_t ncols, size_t *n)
{
	void	*v;
	int	 rows;

	v = rows_hold(res, keep, size, &rows);
	rows_fill(res, v, size, cols, ncols);
	*n = (size_t)rows;
	return (v);
}

/*
 * Runs q with the nparams string parameters in ap: its result, or NULL
 * with f filled.
 */
#define ROWS_PARAMS	8

static struct pg_result *
rows_query(struct db *db, const char *q, int nparams, va_list ap,
    struct fail *f)
{
	const char		*params[ROWS_PARAMS];
	struct pg_result	*res;
	int			 i;

	if (nparams > ROWS_PARAMS) {
		(void)fail_set(f, FAIL_UNAVAILABLE, "error.503.db",
		    "store rows: %d parameters", nparams);
		return (NULL);
	}
	for (i = 0; i < nparams; i++)
		params[i] = va_arg(ap, const char *);
	if ((res = db_queryv(db, q, nparams, params)) == NULL)
		(void)db_fail(db, f);
	return (res);
}

/*
 * Runs q with the nparams string parameters that follow and holds its
 * result in *res (rows_hold()): returns *n + 1 zeroed structs of size
 * bytes for the rows, or NULL with f filled on a database error.
 */
void *
store_rows(struct db *db, struct pg_result **res, size_t *n, size_t size,
    struct fail *f, const char *q, int nparams, ...)
{
	struct pg_result	*r;
	va_list			 ap;
	void			*v;
	int			 rows;

	*n = 0;
	*res = NULL;
	va_start(ap, nparams);
	r = rows_query(db, q, nparams, ap, f);
	va_end(ap);
	if (r == NULL)
		return (NULL);
	v = rows_hold(r, res, size, &rows);
	*n = (size_t)rows;
	return (v);
}

/*
 * The rows of res, held in *keep until rows_release(), read by a table
 * of columns into a new array (*(void **)out, *n rows of size bytes).
 * res NULL is the query's failure: -1 with f filled, *out NULL.
 */
int
rows_held(struct db *db, struct pg_result *res, struct pg_result **keep,
    size_t size, const struct row_col *cols, size_t ncols, void *out,
    size_t *n, struct fail *f)
{
	*(void **)out = NULL;
	*keep = NULL;
	*n = 0;
	if (res == NULL)
		return (db_fail(db, f));
	*(void **)out = rows_load(res, keep, size, cols, ncols, n);
	return (0);
}

/*
 * As rows_held() with a table that keeps nothing in the result (no
 * ROW_TEXT): the rows are copies, res is cleared here.
 */
int
rows_copy(struct db *db, struct pg_result *res, size_t size,
    const struct row_col *cols, size_t ncols, void *out, size_t *n,
    struct fail *f)
{
	struct pg_result	*keep;

	if (rows_held(db, res, &keep, size, cols, ncols, out, n, f) == -1)
		return (-1);
	db_clear(keep);
	return (0);
}

/*
 * Runs the list's query with the nparams string parameters that follow
 * and reads its rows by the list's column table into a new array
 * (*(void **)out, *n rows). With keep the rows stay in the result, held
 * in *keep until rows_release(); without, the table must copy every
 * column (no ROW_TEXT) and the result is cleared here. -1 with f filled
 * on a database error.
 */
int
store_list(struct db *db, const struct store_list *l,
    struct pg_result **keep, void *out, size_t *n, struct fail *f,
    int nparams, ...)
{
	struct pg_result	*res, *held;
	va_list			 ap;

	*(void **)out = NULL;
	*n = 0;
	if (keep != NULL)
		*keep = NULL;
	va_start(ap, nparams);
	res = rows_query(db, l->sql, nparams, ap, f);
	va_end(ap);
	if (res == NULL)
		return (-1);
	*(void **)out = rows_load(res, &held, l->size, l->cols, l->ncols, n);
	if (keep != NULL)
		*keep = held;
	else
		db_clear(held);
	return (0);
}

/* store_list() with one parameter, the number id ($1). */
int
store_list_id(struct db *db, const struct store_list *l,
    struct pg_result **keep, void *out, size_t *n, struct fail *f,
    long long id)
{
	char	num[NUMBUF];

	(void)snprintf(num, sizeof(num), "%lld", id);
	return (store_list(db, l, keep, out, n, f, 1, num));
}

/*
 * The one row of res copied into row by a table of columns (no
 * ROW_TEXT: res is cleared here). No row, or more than one, is
 * FAIL_NOTFOUND with key; res NULL is the query's failure.
 */
int
row_one(struct db *db, struct pg_result *res, void *row,
    const struct row_col *cols, size_t ncols, const char *key,
    struct fail *f)
{
	int	n;

	if (res == NULL)
		return (db_fail(db, f));
	if ((n = db_rows(res)) == 1)
		rows_fill(res, row, 0, cols, ncols);
	db_clear(res);
	return (n == 1 ? 0 : fail_set(f, FAIL_NOTFOUND, key, NULL));
}

/*
 * A write that failed half way: f filled from the database's error and
 * the transaction rolled back. Returns -1.
 */
int
store_abort(struct db *db, struct fail *f)
{
	(void)db_fail(db, f);
	db_rollback(db);
	return (-1);
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
