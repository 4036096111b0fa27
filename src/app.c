/*
 * app.c: Kore hooks. Kore (the Debian package's /usr/bin/kore) loads
 * bin/capacita.so from conf/app.conf and calls, by name:
 *
 *	kore_parent_configure()	in the parent, after the conf is parsed
 *				and the listeners are bound, before the
 *				workers fork: everything loaded here is
 *				shared by every worker, restarted or not.
 *	kore_worker_configure()	in each worker, after seccomp is on.
 *	kore_seccomp_hook()	defined by KORE_SECCOMP_FILTER() below.
 */

#include <sys/socket.h>
#include <netinet/in.h>

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <kore/seccomp.h>
#include <libpq-fe.h>
#include <sodium.h>

#include "web.h"

static u_int64_t	app_checkpoint_at;

void	kore_parent_configure(int, char **);
void	kore_worker_configure(void);

static void	app_check_schema(void);
static int	app_port(void);
static void	app_write_port(int);
static void	app_log_identity_mail(void);
static void	app_jobs(void *, u_int64_t);
static void	*app_mail(void *);
static void	 app_mail_start(void);

/*
 * glibc 2.36 (Debian 12) implements stat() and fstat() with newfstatat,
 * which Kore 4.1's filter does not allow: libpq's connect (it stats
 * ~/.pgpass) and stdio would get the worker killed with SIGSYS.
 */
KORE_SECCOMP_FILTER("capacita",
	KORE_SYSCALL_ALLOW(newfstatat),
	/*
	 * glibc's realloc() of a block above the mmap threshold (a CSV of
	 * a few hundred people: 300 KB) moves it with mremap(2); Kore's
	 * filter did not allow it and the worker was killed (the demo's
	 * /hr/report.csv?part=people).
	 */
	KORE_SYSCALL_ALLOW(mremap),
	/*
	 * Threads (Kore tasks for page-oidc.c, the mail runner): glibc
	 * 2.36 starts a thread with clone3, which Kore's task filter lacks
	 * (it has clone): ENOSYS makes glibc fall back to clone. A new thread
	 * registers rseq; libcurl asks its socket's peer (getpeername).
	 * Found with seccomp_tracing (tests/lib/stack.mjs, SECCOMP_TRACING).
	 */
	KORE_SYSCALL_DENY(clone3, ENOSYS),
	KORE_SYSCALL_ALLOW(rseq),
	/*
	 * The audit checkpoints are fsync'd to their file; a PDF
	 * certificate's credential goes through a private temporary
	 * directory (libharu attaches files by name) and libharu seeks in
	 * the font files it embeds.
	 */
	KORE_SYSCALL_ALLOW(fsync),
	KORE_SYSCALL_ALLOW(mkdir),
	KORE_SYSCALL_ALLOW(rmdir),
	KORE_SYSCALL_ALLOW(unlink),
	KORE_SYSCALL_ALLOW(lseek),
	KORE_SYSCALL_ALLOW(getpeername),
);

static void
app_check_schema(void)
{
	struct db	db;
	int		current;

	if (db_open(&db, settings.dsn) == -1)
		fatal("cannot connect to the database (%s): %s; start it "
		    "with 'make db-start'", settings.dsn, db_error(&db));
	if (migrate_current(&db, &current) == -1)
		fatal("cannot read the schema version: %s", db_error(&db));
	if (current == SCHEMA_VERSION) {
		struct fail	f;
		int		created;

		/* First start: the issuer's key and an empty revocation list. */
		if (badge_init(&db, &created, &f) == -1)
			fatal("issuer keys: %s", f.detail);
		if (created)
			kore_log(LOG_NOTICE, "issuer key created in %s",
			    settings.keys_dir);
	}
	db_close(&db);
	if (current < SCHEMA_VERSION)
		fatal("the database schema is at version %d but this build "
		    "needs version %d: run 'make migrate' (bin/capacita "
		    "migrate) first", current, SCHEMA_VERSION);
	if (current > SCHEMA_VERSION)
		fatal("the database schema is at version %d, newer than "
		    "the version %d this build knows: install the newer "
		    "Capacita that migrated it", current, SCHEMA_VERSION);
}

/* The port of the first IPv4 listener (the kernel's for "bind ... 0"). */
static int
app_port(void)
{
	struct kore_server	*srv;
	struct listener		*l;
	struct sockaddr_in	 sin;
	socklen_t		 slen;

	LIST_FOREACH(srv, &kore_servers, list) {
		LIST_FOREACH(l, &srv->listeners, list) {
			if (l->family != AF_INET)
				continue;
			slen = sizeof(sin);
			if (getsockname(l->fd, (struct sockaddr *)&sin,
			    &slen) == -1)
				fatal("getsockname: %s", errno_s);
			return (ntohs(sin.sin_port));
		}
	}
	return (0);
}

/*
 * Tell a test harness which port the kernel chose (port_file); or, when
 * base_url follows the port, tell bin/capacita in other terminals
 * (var/run/port, read by settings_load()).
 */
static void
app_write_port(int port)
{
	FILE		*fp;
	const char	*file;
	char		 tmp[1100], run[1024];

	if (port == 0)
		return;
	if ((file = settings.port_file) == NULL) {
		if (!settings.base_url_auto)
			return;
		(void)snprintf(run, sizeof(run), "%s/run/port",
		    settings.var_dir);
		file = run;
	}
	(void)snprintf(tmp, sizeof(tmp), "%s.tmp", file);
	if ((fp = fopen(tmp, "w")) == NULL)
		fatal("%s: %s", tmp, errno_s);
	fprintf(fp, "%d\n", port);
	if (fclose(fp) != 0 || rename(tmp, file) == -1)
		fatal("%s: %s", file, errno_s);
}

/*
 * What an operator registers at each provider, and where mail goes:
 * said once at the start (README.md, "Signing in with an identity
 * provider", "E-mail").
 */
static void
app_log_identity_mail(void)
{
	const struct oidc_provider	*p;

	kore_log(LOG_NOTICE, "site address (base_url): %s", settings.base_url);
	for (p = settings.providers; p != NULL; p = p->next)
		kore_log(LOG_NOTICE, "oidc %s: issuer %s, client %s, redirect "
		    "URI %s, UserInfo %s", p->name, p->issuer, p->client_id,
		    p->redirect_uri, p->userinfo != NULL ? p->userinfo :
		    "if offered");
	if (mail_enabled())
		kore_log(LOG_NOTICE, "mail: relay %s:%d (%s), from %s",
		    settings.smtp_host, settings.smtp_port,
		    settings.smtp_security, settings.mail_from);
	else
		kore_log(LOG_NOTICE, "mail: no relay (smtp_host): nothing is "
		    "sent, set-password links are printed or shown");
}

void
kore_parent_configure(int argc, char **argv)
{
	struct diaglist	 dl;
	const char	*conf;
	char		*dir;
	int		 errors, port;

	if (sodium_init() < 0)
		fatal("sodium_init failed");
	httpc_init();
	cache_init();

	diag_init(&dl);
	if ((conf = getenv("CAPACITA_CONF")) == NULL)
		conf = "conf/capacita.conf";
	errors = settings_load(conf, &dl);

	(void)xasprintf(&dir, "%s/assets/tmpl", settings.root);
	errors += tmpl_load_dir(dir, &dl);
	free(dir);
	(void)xasprintf(&dir, "%s/assets/i18n", settings.root);
	errors += i18n_load(dir, &dl);
	free(dir);
	errors += assets_load(settings.root, &dl);

	if (errors > 0) {
		diag_print(stderr, &dl);
		fatal("%d configuration errors", errors);
	}
	diag_free(&dl);

	if (web_access_check() > 0)
		fatal("routes without an access rule: see src/routes.def");
	port = app_port();
	if (port != 0)
		settings_port(port);
	app_check_schema();
	app_write_port(port);
	kore_log(LOG_NOTICE, "capacita %s, schema %d, database '%s'",
	    CAPACITA_VERSION, SCHEMA_VERSION, settings.dsn);
	app_log_identity_mail();
}

/*
 * The job runner, in worker 1: every second, run the due jobs (badges,
 * competence levels) on a connection from the pool. A job that fails is
 * retried later by the queue itself (store-jobs.c).
 */
static void
app_jobs(void *arg, u_int64_t now)
{
	struct kore_pgsql	sql;
	struct db		db;
	struct fail		f;
	int			ran;

	kore_pgsql_init(&sql);
	if (!kore_pgsql_setup(&sql, WEB_DB, KORE_PGSQL_SYNC)) {
		kore_pgsql_cleanup(&sql);
		return;
	}
	db_attach(&db, sql.conn->db);
	if (db_ok(&db) && jobs_drain(&db, 50, &ran, &f) == -1)
		kore_log(LOG_NOTICE, "jobs: %s", f.detail);
	db_rollback(&db);
	/* A signed checkpoint of the audit chain, a minute apart at most. */
	if (db_ok(&db) && now - app_checkpoint_at >= 60000) {
		app_checkpoint_at = now;
		if (audit_checkpoint(&db, 0, &f) == -1)
			kore_log(LOG_NOTICE, "audit checkpoint: %s", f.detail);
		db_rollback(&db);
	}
	kore_pgsql_cleanup(&sql);
}

/*
 * The mail runner: a thread of its own in worker 1 (not one of Kore's
 * task threads, which the sign-ins share: a slow relay must not queue a
 * sign-in behind a message), with a database connection of its own.
 * Every second it queues the reminders that are due (once a minute)
 * and sends the queued messages (store-mail.c, store-jobs.c). A relay
 * that is slow or down holds up this thread only, each message at most
 * SMTP's timeouts (httpc.c); failures are kept on the jobs.
 */
static void *
app_mail(void *arg)
{
	struct db	db;
	struct fail	f;
	time_t		last_reminders, now;
	int		open, ran;

	open = 0;
	last_reminders = 0;
	for (;; sleep(1)) {
		if (!open) {
			if (db_open(&db, settings.dsn) == -1) {
				db_close(&db);
				continue;
			}
			open = 1;
		}
		now = time(NULL);
		if (now - last_reminders >= 60) {
			last_reminders = now;
			(void)mail_reminders_due(&db, NULL);
		}
		if (jobs_drain_mail(&db, 100, &ran, &f) == -1) {
			fprintf(stderr, "capacita: mail runner: %s\n",
			    f.detail);
			db_close(&db);
			open = 0;
		}
	}
	return (NULL);
}

/* Started with every signal blocked: they are the event loop's. */
static void
app_mail_start(void)
{
	pthread_t	tid;
	sigset_t	all, old;
	int		rc;

	(void)sigfillset(&all);
	(void)pthread_sigmask(SIG_SETMASK, &all, &old);
	rc = pthread_create(&tid, NULL, app_mail, NULL);
	(void)pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (rc != 0)
		fatal("mail runner: pthread_create: %s", strerror(rc));
	(void)pthread_detach(tid);
}

void
kore_worker_configure(void)
{
	if (sodium_init() < 0)
		fatal("sodium_init failed");
	if (!kore_pgsql_register(WEB_DB, settings.dsn))
		fatal("kore_pgsql_register failed");
	if (settings.dsn_read != NULL &&
	    !kore_pgsql_register(WEB_DB_READ, settings.dsn_read))
		fatal("kore_pgsql_register (replica) failed");
	if (worker->id == 1)
		kore_timer_add(app_jobs, 1000, NULL, 0);
	if (worker->id == 1 && mail_enabled())
		app_mail_start();
	kore_timer_add(cache_poll, cache_poll_ms(), NULL, 0);
	cache_poll(NULL, 0);
}
