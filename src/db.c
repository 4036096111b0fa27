/*
 * db.c: a thin wrapper over libpq. Every query goes through
 * PQexecParams with its parameters apart from the SQL text.
 *
 * A broken connection (the server restarted, the socket died) is reset
 * once before the query is given up, so that a database restart costs
 * the requests made during the outage and nothing after it.
 */

#include <stdarg.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <libpq-fe.h>

#include "capacita.h"

#define DB_MAX_PARAMS	64

static void	db_set_error(struct db *, const char *);
static int	db_ensure(struct db *);
static int	db_failed(struct db *, PGresult *);
static struct pg_result *db_queryap(struct db *, const char *, int, va_list);

static void
db_set_error(struct db *db, const char *msg)
{
	size_t	len;

	xstrlcpy(db->error, msg != NULL ? msg : "unknown error",
	    sizeof(db->error));
	len = strlen(db->error);
	while (len > 0 && (db->error[len - 1] == '\n' ||
	    db->error[len - 1] == ' '))
		db->error[--len] = '\0';
}

int
db_open(struct db *db, const char *dsn)
{
	memset(db, 0, sizeof(*db));
	db->owned = 1;
	db->conn = PQconnectdb(dsn);
	if (db->conn == NULL || PQstatus(db->conn) != CONNECTION_OK) {
		db_set_error(db, db->conn != NULL ?
		    PQerrorMessage(db->conn) : "out of memory");
		db->broken = 1;
		return (-1);
	}
	return (0);
}

/* Use a connection owned by someone else (Kore's pool). */
void
db_attach(struct db *db, struct pg_conn *conn)
{
	memset(db, 0, sizeof(*db));
	db->conn = conn;
	db->owned = 0;
}

void
db_close(struct db *db)
{
	if (db->owned && db->conn != NULL)
		PQfinish(db->conn);
	db->conn = NULL;
}

/* Reconnect a connection that went bad; 0 when it is usable. */
static int
db_ensure(struct db *db)
{
	if (db->conn == NULL) {
		db_set_error(db, "no connection");
		db->broken = 1;
		return (-1);
	}
	if (PQstatus(db->conn) == CONNECTION_OK)
		return (0);
	PQreset(db->conn);
	if (PQstatus(db->conn) != CONNECTION_OK) {
		db_set_error(db, PQerrorMessage(db->conn));
		db->broken = 1;
		return (-1);
	}
	return (0);
}

int
db_ok(struct db *db)
{
	return (db_ensure(db) == 0);
}

/*
 * Statements are prepared once per connection and then executed by
 * name, so that PostgreSQL plans them once (and after five runs keeps a
 * generic plan) instead of on every request: planning the larger joins
 * cost more than running them. A connection is known by its address and
 * its server process, so a reconnected one starts afresh.
 */
#define DB_PREPARED	8192

static struct {
	const void	*conn;
	int		 pid;
	uint64_t	 hash;
} prepared[DB_PREPARED];
static size_t	nprepared;

static pthread_mutex_t	prepared_lock = PTHREAD_MUTEX_INITIALIZER;

static uint64_t	 sql_hash(const char *);
static int	 sql_preparable(const char *);
static int	 db_prepared(PGconn *, uint64_t, int);
static int	 db_prepared_locked(PGconn *, uint64_t, int);

static uint64_t
sql_hash(const char *s)
{
	uint64_t	h = 14695981039346656037ULL;

	while (*s != '\0')
		h = (h ^ (unsigned char)*s++) * 1099511628211ULL;
	return (h);
}

/* Only plannable statements gain anything from a name. */
static int
sql_preparable(const char *sql)
{
	return (strncmp(sql, "SELECT", 6) == 0 || strncmp(sql, "WITH", 4) ==
	    0 || strncmp(sql, "INSERT", 6) == 0 || strncmp(sql, "UPDATE", 6) ==
	    0 || strncmp(sql, "DELETE", 6) == 0);
}

/*
 * Is (conn, hash) prepared? With add, remember that it now is. The table
 * is shared by the threads of a process (the mail runner has its own
 * connection), hence the lock.
 */
static int
db_prepared(PGconn *conn, uint64_t hash, int add)
{
	int	rc;

	pthread_mutex_lock(&prepared_lock);
	rc = db_prepared_locked(conn, hash, add);
	pthread_mutex_unlock(&prepared_lock);
	return (rc);
}

static int
db_prepared_locked(PGconn *conn, uint64_t hash, int add)
{
	size_t	i, slot;
	int	pid;

	pid = PQbackendPID(conn);
	slot = (size_t)((hash ^ (uintptr_t)conn ^ (uint64_t)pid) %
	    DB_PREPARED);
	for (i = 0; i < DB_PREPARED; i++) {
		size_t	j = (slot + i) % DB_PREPARED;

		if (prepared[j].conn == NULL) {
			if (!add)
				return (0);
			if (nprepared >= DB_PREPARED / 2) {
				/* Full enough: forget all, prepare anew. */
				memset(prepared, 0, sizeof(prepared));
				nprepared = 0;
				j = slot;
			}
			prepared[j].conn = conn;
			prepared[j].pid = pid;
			prepared[j].hash = hash;
			nprepared++;
			return (1);
		}
		if (prepared[j].conn == conn && prepared[j].pid == pid &&
		    prepared[j].hash == hash)
			return (1);
	}
	return (0);
}

/*
 * A statement failed: its error kept, res cleared. 1 when the
 * connection still works (an SQL error), 0 when it died.
 */
static int
db_failed(struct db *db, PGresult *res)
{
	db_set_error(db, PQerrorMessage(db->conn));
	PQclear(res);
	return (PQstatus(db->conn) == CONNECTION_OK);
}

struct pg_result *
db_queryv(struct db *db, const char *sql, int n, const char *const *params)
{
	PGresult	*res;
	uint64_t	 h;
	char		 name[32];
	int		 st, tries, intx, named;

	named = sql_preparable(sql);
	h = named ? sql_hash(sql) : 0;
	(void)snprintf(name, sizeof(name), "c%016llx", (unsigned long long)h);
	for (tries = 0; tries < 2; tries++) {
		if (db_ensure(db) == -1)
			return (NULL);
		intx = db_in_transaction(db);
		if (named && !db_prepared(db->conn, h, 0)) {
			res = PQprepare(db->conn, name, sql, n, NULL);
			st = PQresultStatus(res);
			if (st == PGRES_COMMAND_OK) {
				PQclear(res);
				(void)db_prepared(db->conn, h, 1);
			} else {
				if (db_failed(db, res))
					return (NULL);	/* an SQL error */
				if (intx)
					break;
				continue;
			}
		}
		if (named)
			res = PQexecPrepared(db->conn, name, n, params, NULL, NULL,
			    0);
		else
			res = PQexecParams(db->conn, sql, n, NULL, params, NULL,
			    NULL, 0);
		st = PQresultStatus(res);
		if (st == PGRES_TUPLES_OK || st == PGRES_COMMAND_OK)
			return (res);
		if (db_failed(db, res))
			return (NULL);		/* an SQL error */
		/*
		 * The connection died, typically because the database
		 * restarted while it sat idle in the pool. Outside a
		 * transaction the statement is sent again on a fresh
		 * connection; inside one, the work done so far is lost and
		 * the caller must start over.
		 */
		if (intx)
			break;
	}
	db->broken = 1;
	return (NULL);
}

/* The n parameters of db_query() and db_exec(), from their ap. */
static struct pg_result *
db_queryap(struct db *db, const char *sql, int n, va_list ap)
{
	const char	*params[DB_MAX_PARAMS];
	int		 i;

	if (n > DB_MAX_PARAMS)
		die("db_query: too many parameters");
	for (i = 0; i < n; i++)
		params[i] = va_arg(ap, const char *);
	return (db_queryv(db, sql, n, params));
}

struct pg_result *
db_query(struct db *db, const char *sql, int n, ...)
{
	struct pg_result	*res;
	va_list			 ap;

	va_start(ap, n);
	res = db_queryap(db, sql, n, ap);
	va_end(ap);
	return (res);
}

int
db_exec(struct db *db, const char *sql, int n, ...)
{
	struct pg_result	*res;
	va_list			 ap;

	va_start(ap, n);
	if ((res = db_queryap(db, sql, n, ap)) != NULL)
		PQclear(res);
	va_end(ap);
	return (res != NULL ? 0 : -1);
}

/* Run a script of several statements (migrations) with no parameters. */
int
db_exec_script(struct db *db, const char *sql)
{
	PGresult	*res;
	int		 st;

	if (db_ensure(db) == -1)
		return (-1);
	res = PQexec(db->conn, sql);
	st = PQresultStatus(res);
	if (st != PGRES_TUPLES_OK && st != PGRES_COMMAND_OK) {
		db_set_error(db, PQerrorMessage(db->conn));
		PQclear(res);
		return (-1);
	}
	PQclear(res);
	return (0);
}

int
db_in_transaction(struct db *db)
{
	return (db->conn != NULL &&
	    PQtransactionStatus(db->conn) != PQTRANS_IDLE &&
	    PQtransactionStatus(db->conn) != PQTRANS_UNKNOWN);
}

int
db_begin(struct db *db)
{
	return (db_exec(db, "BEGIN", 0));
}

/*
 * A transaction whose commit need not wait for the disk (a crash may
 * lose it, never corrupt anything): begun in one round trip.
 */
int
db_begin_nowait(struct db *db)
{
	return (db_exec_script(db, "BEGIN; SET LOCAL synchronous_commit = "
	    "off"));
}

/*
 * A transaction whose writes leave the cache notifications to the
 * caller (db->defer_notify, sql/0020-hot-path.sql), begun in one round
 * trip; a plain one on other connections.
 */
int
db_begin_deferred(struct db *db)
{
	if (!db->defer_notify)
		return (db_begin(db));
	return (db_exec_script(db, "BEGIN; SELECT set_config("
	    "'capacita.notify', 'after', true)"));
}

int
db_commit(struct db *db)
{
	return (db_exec(db, "COMMIT", 0));
}

void
db_rollback(struct db *db)
{
	PGresult	*res;

	if (db->conn == NULL || PQstatus(db->conn) != CONNECTION_OK)
		return;
	if (PQtransactionStatus(db->conn) == PQTRANS_IDLE)
		return;
	res = PQexec(db->conn, "ROLLBACK");
	PQclear(res);
}

const char *
db_error(struct db *db)
{
	return (db->error);
}

/* The database's failure as the one error type (503, detail logged). */
int
db_fail(struct db *db, struct fail *f)
{
	return (fail_set(f, FAIL_UNAVAILABLE, "error.503.db", "database: %s",
	    db->error));
}

void
db_clear(struct pg_result *res)
{
	PQclear(res);
}

const char *
db_value(struct pg_result *res, int row, int col)
{
	return (PQgetvalue(res, row, col));
}

int
db_isnull(struct pg_result *res, int row, int col)
{
	return (PQgetisnull(res, row, col));
}

/*
 * Whether a query returned exactly one row, res cleared: 1 or 0; -1
 * when it failed (res NULL).
 */
int
db_one(struct pg_result *res)
{
	int	n;

	if (res == NULL)
		return (-1);
	n = PQntuples(res);
	PQclear(res);
	return (n == 1);
}

/*
 * A query's answer inside a transaction: 1 when it has rows (res kept
 * for the caller); 0 when it has none (res cleared) or -1 when it
 * failed, the transaction rolled back in both cases.
 */
int
db_found(struct db *db, struct pg_result *res)
{
	if (res != NULL && PQntuples(res) > 0)
		return (1);
	if (res != NULL)
		PQclear(res);
	db_rollback(db);
	return (res != NULL ? 0 : -1);
}

/*
 * A zeroed array for the rows of res, one element more than *n, its
 * number of rows: the store functions fill it from their column enum.
 */
void *
db_rows_new(struct pg_result *res, size_t size, size_t *n)
{
	*n = (size_t)PQntuples(res);
	return (xcalloc(*n + 1, size));
}

/*
 * A two-column answer as "first\tsecond\n" lines appended to out, res
 * cleared: 0, or -1 when the query failed (res NULL).
 */
int
db_lines(struct pg_result *res, struct buf *out)
{
	int	i;

	if (res == NULL)
		return (-1);
	for (i = 0; i < PQntuples(res); i++)
		buf_printf(out, "%s\t%s\n", PQgetvalue(res, i, 0),
		    PQgetvalue(res, i, 1));
	PQclear(res);
	return (0);
}

/* A column as a new string, "" for NULL. */
char *
db_text(struct pg_result *res, int row, int col)
{
	return (xstrdup(PQgetisnull(res, row, col) ? "" :
	    PQgetvalue(res, row, col)));
}

/* A column as a number, 0 for NULL. */
long long
db_ll(struct pg_result *res, int row, int col)
{
	return (PQgetisnull(res, row, col) ? 0 :
	    strtoll(PQgetvalue(res, row, col), NULL, 10));
}

int
db_int(struct pg_result *res, int row, int col)
{
	return ((int)db_ll(res, row, col));
}

int
db_rows(struct pg_result *res)
{
	return (PQntuples(res));
}

/*
 * Build a PostgreSQL array literal one element at a time ("{"a","b"}"),
 * for a single statement over many rows (unnest($1::text[])): an
 * element is always quoted, '"' and '\\' escaped; NULL is SQL NULL.
 */
void
pg_array_add(struct buf *b, const char *v)
{
	const char	*p;

	buf_putc(b, b->len == 0 ? '{' : ',');
	if (v == NULL) {
		buf_puts(b, "NULL");
		return;
	}
	buf_putc(b, '"');
	for (p = v; *p != '\0'; p++) {
		if (*p == '"' || *p == '\\')
			buf_putc(b, '\\');
		buf_putc(b, *p);
	}
	buf_putc(b, '"');
}

void
pg_array_end(struct buf *b)
{
	if (b->len == 0)
		buf_puts(b, "{}");
	else
		buf_putc(b, '}');
}

/*
 * Deliver the notifications that arrived on a LISTENing connection,
 * without blocking. -1 when the connection is gone.
 */
int
db_notifies(struct db *db, void (*cb)(const char *, void *), void *arg)
{
	PGnotify	*n;

	if (db->conn == NULL || PQstatus(db->conn) != CONNECTION_OK ||
	    PQconsumeInput(db->conn) == 0) {
		db_set_error(db, db->conn != NULL ?
		    PQerrorMessage(db->conn) : "no connection");
		return (-1);
	}
	while ((n = PQnotifies(db->conn)) != NULL) {
		cb(n->extra, arg);
		PQfreemem(n);
	}
	return (0);
}
