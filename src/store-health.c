/*
 * store-health.c: what /healthz asks the database: the schema version
 * it is at.
 */

#include <stdlib.h>

#include "capacita.h"

/* The newest migration applied (0 before any). 0 or -1. */
int
store_health(struct db *db, int *schema, struct fail *f)
{
	struct pg_result	*res;

	*schema = -1;
	if ((res = db_query(db, "SELECT coalesce(max(version), 0) FROM "
	    "schema_migrations", 0)) == NULL)
		return (db_fail(db, f));
	*schema = atoi(db_value(res, 0, 0));
	db_clear(res);
	return (0);
}
