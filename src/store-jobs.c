/*
 * store-jobs.c: the job queue. Jobs are rows written in the same
 * transaction as the event that causes them (a course completion); a
 * runner takes one at a time with FOR UPDATE SKIP LOCKED, runs its
 * handler inside that transaction and marks it done, so a job's effects
 * and its "done" commit together. A failed job is retried later, with a
 * delay doubling from 2 seconds to an hour.
 *
 * Mail jobs (kind "mail") are drained on their own (jobs_drain_mail),
 * by the server's mail runner, a thread of its own: sending waits on the
 * relay, which must not hold up the badge and competence jobs, nor a
 * worker's event loop.
 */

#include <stdlib.h>
#include <string.h>

#include "capacita.h"

static int	job_competence(struct db *, const char *, struct fail *);

static const struct job_handler	handlers[] = {
	{ "competence", job_competence },
	{ "badge", job_badge },
	{ "mail", job_mail },
};

static int	jobs_run(struct db *, int, int *, struct fail *);

/* Completion: recompute the learner's competence levels. */
static int
job_competence(struct db *db, const char *ref, struct fail *f)
{
	struct pg_result	*res;
	int			 n;

	res = db_query(db, "SELECT competence_recompute(user_id) FROM "
	    "enrolments WHERE id = $1::bigint", 1, ref);
	if (res == NULL)
		return (db_fail(db, f));
	n = db_rows(res);
	db_clear(res);
	if (n != 1)
		return (fail_set(f, FAIL_NOTFOUND, NULL, "no such enrolment"));
	return (0);
}

/*
 * Run at most one due job: a mail job when mail is set, any other kind
 * otherwise. *ran is 1 when one was taken (done or failed): a job's own
 * failure is kept on the job (last_error: the detail, else the key).
 * Returns -1 with f filled only when the database failed.
 */
static int
jobs_run(struct db *db, int mail, int *ran, struct fail *f)
{
	struct pg_result	*res;
	struct fail		 jf;
	const char		*fault;
	char			 id[32], kind[32], ref[128];
	size_t			 i;
	int			 rc;

	*ran = 0;
	if (db_begin(db) == -1)
		return (db_fail(db, f));
	res = db_query(db, "SELECT id, kind, ref FROM jobs WHERE done_at IS "
	    "NULL AND run_after <= now() AND (kind = 'mail') = $1::boolean "
	    "ORDER BY run_after, id FOR UPDATE SKIP LOCKED LIMIT 1", 1,
	    mail ? "t" : "f");
	if ((rc = db_found(db, res)) != 1)
		return (rc == -1 ? db_fail(db, f) : 0);
	xstrlcpy(id, db_value(res, 0, 0), sizeof(id));
	xstrlcpy(kind, db_value(res, 0, 1), sizeof(kind));
	xstrlcpy(ref, db_value(res, 0, 2), sizeof(ref));
	db_clear(res);
	*ran = 1;

	fail_clear(&jf);
	for (i = 0; i < sizeof(handlers) / sizeof(handlers[0]); i++) {
		if (strcmp(handlers[i].kind, kind) == 0)
			break;
	}
	if (i == sizeof(handlers) / sizeof(handlers[0]))
		rc = fail_set(&jf, FAIL_INPUT, NULL, "no handler for jobs of "
		    "kind '%s'", kind);
	else
		rc = handlers[i].run(db, ref, &jf);

	/* Fault injection for the tests: hold the job open before commit. */
	if (rc == 0 && (fault = getenv("CAPACITA_FAULT_JOB_SLEEP")) != NULL)
		(void)db_exec(db, "SELECT pg_sleep($1::float8)", 1, fault);
	if (rc == 0) {
		if (db_exec(db, "UPDATE jobs SET done_at = now(), tries = tries "
		    "+ 1, last_error = NULL WHERE id = $1", 1, id) == -1 ||
		    db_commit(db) == -1) {
			db_fail(db, f);
			db_rollback(db);
			return (-1);
		}
		return (0);
	}

	/* Undo the handler's work, then record the failure on its own. */
	db_rollback(db);
	if (db_exec(db, "UPDATE jobs SET tries = tries + 1, last_error = $2, "
	    "run_after = now() + least(make_interval(secs => power(2, tries + "
	    "1)), interval '1 hour') WHERE id = $1", 2, id, jf.detail[0] !=
	    '\0' ? jf.detail : jf.key) == -1)
		return (db_fail(db, f));
	return (0);
}

int
jobs_run_one(struct db *db, int *ran, struct fail *f)
{
	return (jobs_run(db, 0, ran, f));
}

/* Run due jobs of one side (mail or not) until none is left or max. */
static int
jobs_drain_of(struct db *db, int mail, int max, int *ran, struct fail *f)
{
	int	one;

	*ran = 0;
	while (*ran < max) {
		if (jobs_run(db, mail, &one, f) == -1)
			return (-1);
		if (!one)
			break;
		(*ran)++;
	}
	return (0);
}

/* Run due jobs (not mail) until none is left or max have run. */
int
jobs_drain(struct db *db, int max, int *ran, struct fail *f)
{
	return (jobs_drain_of(db, 0, max, ran, f));
}

/* Run due mail jobs until none is left or max have run. */
int
jobs_drain_mail(struct db *db, int max, int *ran, struct fail *f)
{
	return (jobs_drain_of(db, 1, max, ran, f));
}
