/*
 * cli-xapi.c: bin/capacita export-xapi and push-xapi: the learning
 * records as xAPI statements, to a file or to a learning record store.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "capacita.h"

/*
 * Every learning record as xAPI statements (xapi.c), a JSON array on
 * stdout in time order, read a page at a time: what an LRS accepts in a
 * POST to its statements resource. --since keeps the records after that
 * time (exclusive, to the millisecond; ISO 8601, or a date);
 * --xapi-version the form: 2.0.0 (the default) or 1.0.3. The operator's
 * export: quiz answers carry their right answers (README.md).
 */
int
cli_xapi_export(int argc, char **argv)
{
	struct xapi_query	 q;
	struct buf		 out;
	struct fail		 f;
	struct db		 db;
	const char		*since, *version;
	char			 iso[32], next[256], after[256];
	long long		 total;
	int			 count, rc, i;

	since = NULL;
	version = XAPI_VERSION;
	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--since") == 0 && i + 1 < argc)
			since = argv[++i];
		else if (strcmp(argv[i], "--xapi-version") == 0 &&
		    i + 1 < argc)
			version = argv[++i];
		else
			cli_usage();
	}
	if (strcmp(version, XAPI_VERSION) != 0 &&
	    strcmp(version, XAPI_VERSION_1) != 0) {
		fprintf(stderr, "capacita: --xapi-version: %s or %s\n",
		    XAPI_VERSION_1, XAPI_VERSION);
		return (2);
	}
	iso[0] = '\0';
	if (since != NULL && xapi_time(since, iso) == -1) {
		fprintf(stderr, "capacita: --since: an ISO 8601 time, "
		    "e.g. 2025-01-31T00:00:00.000Z\n");
		return (2);
	}
	if (cli_db(&db) == -1)
		return (1);
	memset(&q, 0, sizeof(q));
	q.scope = "/";
	q.org = "";
	q.user = "";
	q.since = iso;
	q.version = version;
	q.answers = 1;
	q.limit = XAPI_PAGE_MAX;
	after[0] = '\0';
	total = 0;
	rc = 0;
	buf_init(&out, 65536);
	fputs("[", stdout);
	for (;;) {
		q.after = after;
		buf_reset(&out);
		if (store_xapi_page(&db, &q, settings.base_url, &out, &count,
		    next, sizeof(next), &f) == -1) {
			rc = cli_fail(NULL, &f);
			break;
		}
		if (count > 0) {
			if (total > 0)
				fputs(",", stdout);
			fputs("\n", stdout);
			fwrite(out.data, 1, out.len, stdout);
		}
		total += count;
		if (next[0] == '\0')
			break;
		xstrlcpy(after, next, sizeof(after));
	}
	fputs("\n]\n", stdout);
	buf_free(&out);
	db_close(&db);
	if (rc == 0)
		fprintf(stderr, "%lld statements\n", total);
	return (rc);
}

/*
 * push-xapi URL: the statements a store has not had yet, in batches,
 * to its statements resource (xapi-push.c).
 */
int
cli_xapi_push(int argc, char **argv)
{
	struct xapi_push	 p;
	struct db		 db;
	const char		*v;
	long long		 n;
	int			 i, rc;

	memset(&p, 0, sizeof(p));
	p.version = XAPI_VERSION;
	p.batch = 100;
	p.retries = 8;
	p.auth = getenv("CAPACITA_XAPI_AUTH");
	for (i = 1; i < argc; i++) {
		v = i + 1 < argc ? argv[i + 1] : NULL;
		if (strcmp(argv[i], "--auth") == 0 && v != NULL)
			p.auth = argv[++i];
		else if (strcmp(argv[i], "--xapi-version") == 0 && v != NULL)
			p.version = argv[++i];
		else if (strcmp(argv[i], "--batch") == 0 && v != NULL &&
		    parse_int(v, 1, XAPI_PAGE_MAX, &n) == 0) {
			p.batch = (int)n;
			i++;
		} else if (strcmp(argv[i], "--retries") == 0 && v != NULL &&
		    parse_int(v, 0, 1000, &n) == 0) {
			p.retries = (int)n;
			i++;
		} else if (argv[i][0] != '-' && p.url == NULL)
			p.url = argv[i];
		else
			cli_usage();
	}
	if (p.url == NULL || !(str_has_prefix(p.url, "http://") ||
	    str_has_prefix(p.url, "https://")))
		cli_usage();
	if (strcmp(p.version, XAPI_VERSION) != 0 &&
	    strcmp(p.version, XAPI_VERSION_1) != 0) {
		fprintf(stderr, "capacita: --xapi-version: %s or %s\n",
		    XAPI_VERSION_1, XAPI_VERSION);
		return (2);
	}
	if (cli_db(&db) == -1)
		return (1);
	rc = xapi_push(&db, &p, settings.base_url);
	db_close(&db);
	return (rc);
}
