/*
 * web-cache.c: rendered pages and signed-in users, kept in each worker's
 * memory so that a page view costs no database round trip.
 *
 * An entry is served only while nothing it depends on may have changed:
 *
 *  - a counter in memory shared by the workers of this node (mapped by
 *    the parent before it forks) is bumped after every request that may
 *    have written (any method but GET and HEAD): what one worker writes,
 *    the others see at once;
 *  - each worker LISTENs on the database channel capacita_cache, on a
 *    connection of its own polled every CACHE_POLL_MS; triggers
 *    (sql/0009-cache-notify.sql) send 'content' when a module, course or
 *    the framework changes, and 'user:N' when something of person N
 *    does: writes through other nodes, the command line and background
 *    jobs are seen within that time. The learner's hot paths (quiz
 *    start and submission, reading) do not NOTIFY from their
 *    transactions, whose commits the notification lock would
 *    serialise (sql/0020-hot-path.sql): the worker queues 'user:N'
 *    (cache_notify_user) and sends the queue on the next tick, after
 *    those commits, in one transaction that does not wait for the disk.
 *    A worker that dies in between loses at most one tick's
 *    notifications to the other nodes (this node's workers saw the
 *    counter below);
 *  - while that connection is down nothing is served from the cache.
 *
 * A cached user is also checked against the database at least every
 * CACHE_USER_MS, so that idle expiry keeps counting.
 *
 * Anonymous pages may be read from a streaming replica (dsn_read),
 * which can lag behind the notification that made us forget: a page
 * rendered less than CACHE_SETTLE_MS after a 'content' notification is
 * kept only that long, then rendered again from a replica that has
 * caught up.
 */

#include <sys/mman.h>

#include <stdlib.h>
#include <string.h>

#include "web.h"

#define CACHE_BUCKETS		512
/*
 * Bounds per worker. 6 MiB holds some 300 pages of 20 KB (the whole
 * public catalogue in two languages, and the hot pages of signed-in
 * people) and keeps a worker under the 32 MiB of resident memory
 * that issue 9 sets (make bench, g_worker_rss_max).
 */
#define CACHE_PAGES_MAX		384
#define CACHE_BYTES_MAX		(6 * 1024 * 1024)
#define CACHE_USERS_MAX		4096
#define CACHE_POLL_MS		100
#define CACHE_USER_MS		30000
#define CACHE_UGENS		1024
#define CACHE_SETTLE_MS		500

struct cache_page {
	char			*key;
	long long		 uid;		/* 0: anonymous */
	u_int64_t		 expires;	/* 0: with its generations */
	unsigned long long	 gen;
	unsigned long long	 dgen;
	unsigned long long	 ugen;
	char			*ctype;
	char			*body;
	size_t			 len;
	struct cache_page	*next;
};

struct cache_user {
	char			 hash[SHA256_HEX_LEN + 1];
	unsigned long long	 gen;
	unsigned long long	 dgen;
	unsigned long long	 ugen;
	u_int64_t		 checked;
	struct web_user		*user;
	struct cache_user	*next;
};

/* The node-wide counter, in memory shared by all workers. */
static volatile unsigned long long	*shared_gen;
/* Bumped by 'content' notifications and by reconnections. */
static unsigned long long		 db_gen = 1;
static struct db			 poll_db;
static int				 poll_open;
static u_int64_t			 content_at;	/* last notified */

/* Per-person generations, bumped by 'user:N' (a small open table). */
static struct {
	long long		uid;
	unsigned long long	gen;
} ugens[CACHE_UGENS];

static struct cache_page	*pages[CACHE_BUCKETS];
static size_t			 npages, nbytes;
static struct cache_user	*users[CACHE_BUCKETS];
static size_t			 nusers;

static unsigned int	cache_hash(const char *);
static unsigned long long cache_gen(void);
static unsigned long long cache_ugen(long long);
static void		cache_notified(const char *, void *);
static void		cache_pages_clear(void);
static void		cache_users_clear(void);
static struct web_user	*user_copy(const struct web_user *);

static unsigned int
cache_hash(const char *s)
{
	unsigned int	h = 2166136261u;

	while (*s != '\0')
		h = (h ^ (unsigned char)*s++) * 16777619u;
	return (h % CACHE_BUCKETS);
}

/* The node's generation: writes by any worker of this node. */
static unsigned long long
cache_gen(void)
{
	return (shared_gen != NULL ? __atomic_load_n(shared_gen,
	    __ATOMIC_ACQUIRE) : 0);
}

/* In the parent, before the workers are forked. */
void
cache_init(void)
{
	void	*p;

	p = mmap(NULL, sizeof(*shared_gen), PROT_READ | PROT_WRITE,
	    MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		fatal("cache: mmap: %s", errno_s);
	shared_gen = p;
	*shared_gen = 1;
}

/* Something may have changed: every worker of the node forgets. */
void
cache_bump(void)
{
	if (shared_gen != NULL)
		(void)__atomic_add_fetch(shared_gen, 1, __ATOMIC_RELEASE);
}

/* A person's generation (0 for anonymous pages). */
static unsigned long long
cache_ugen(long long uid)
{
	size_t	i;

	if (uid == 0)
		return (0);
	i = (size_t)uid % CACHE_UGENS;
	return (ugens[i].uid == uid ? ugens[i].gen : 0);
}

static void
cache_notified(const char *payload, void *arg)
{
	long long	uid;
	size_t		i;

	(void)arg;
	if (strncmp(payload, "user:", 5) == 0 &&
	    (uid = strtoll(payload + 5, NULL, 10)) > 0) {
		i = (size_t)uid % CACHE_UGENS;
		if (ugens[i].uid != uid) {
			/* Slot taken by someone else: forget them too. */
			if (ugens[i].uid != 0)
				db_gen++;
			ugens[i].uid = uid;
			ugens[i].gen = 0;
		}
		ugens[i].gen++;
	} else {
		db_gen++;
		content_at = kore_time_ms();
	}
}

/* Person ids whose 'user:N' this worker owes to the other nodes. */
#define CACHE_OWED		256
static long long	owed[CACHE_OWED];
static size_t		nowed;
static int		owed_all;	/* more than CACHE_OWED: 'content' */

void
cache_notify_user(long long uid)
{
	size_t	i;

	for (i = 0; i < nowed; i++)
		if (owed[i] == uid)
			return;
	if (nowed < CACHE_OWED)
		owed[nowed++] = uid;
	else
		owed_all = 1;
}

/*
 * Send what this worker owes, on its LISTEN connection, in one
 * transaction that does not wait for the disk (a crash of the database
 * takes every cache down with the LISTEN connections anyway).
 */
static void
cache_send_owed(void)
{
	struct buf	ids;
	char		num[32];
	size_t		i;
	int		rc;

	if (nowed == 0 && !owed_all)
		return;
	buf_init(&ids, 256);
	for (i = 0; i < nowed; i++) {
		(void)snprintf(num, sizeof(num), "%lld", owed[i]);
		pg_array_add(&ids, num);
	}
	pg_array_end(&ids);
	rc = db_exec_script(&poll_db, "BEGIN; SET LOCAL synchronous_commit "
	    "= off");
	if (rc == 0 && owed_all)
		rc = db_exec(&poll_db, "SELECT pg_notify('capacita_cache', "
		    "'content')", 0);
	if (rc == 0 && nowed > 0)
		rc = db_exec(&poll_db, "SELECT pg_notify('capacita_cache', "
		    "'user:' || u) FROM unnest($1::bigint[]) u", 1, ids.data);
	if (rc == 0)
		rc = db_commit(&poll_db);
	if (rc == 0) {
		nowed = 0;
		owed_all = 0;
	} else
		db_rollback(&poll_db);
	buf_free(&ids);
}

/*
 * Worker timer: send what this worker owes, deliver the notifications
 * that arrived. Until the LISTEN connection works, the cache stays off
 * (poll_open is 0).
 */
void
cache_poll(void *arg, u_int64_t now)
{
	(void)arg;
	(void)now;
	if (!poll_open) {
		if (db_open(&poll_db, settings.dsn) == -1 ||
		    db_exec(&poll_db, "LISTEN capacita_cache", 0) == -1) {
			db_close(&poll_db);
			return;
		}
		/* What changed while we were not listening is unknown. */
		db_gen++;
		poll_open = 1;
		return;
	}
	cache_send_owed();
	if (db_notifies(&poll_db, cache_notified, NULL) == -1) {
		db_close(&poll_db);
		poll_open = 0;
		db_gen++;
	}
}

u_int64_t
cache_poll_ms(void)
{
	return (CACHE_POLL_MS);
}

static void
cache_pages_clear(void)
{
	struct cache_page	*p, *next;
	size_t			 i;

	for (i = 0; i < CACHE_BUCKETS; i++) {
		for (p = pages[i]; p != NULL; p = next) {
			next = p->next;
			free(p->key);
			free(p->ctype);
			free(p->body);
			free(p);
		}
		pages[i] = NULL;
	}
	npages = nbytes = 0;
}

/* A page for key, rendered under the current generations, or NULL. */
const char *
cache_page_get(const char *key, long long uid, const char **ctype,
    size_t *len)
{
	struct cache_page	*p;
	unsigned long long	 gen;

	if (!poll_open)
		return (NULL);
	gen = cache_gen();
	for (p = pages[cache_hash(key)]; p != NULL; p = p->next) {
		if (strcmp(p->key, key) != 0)
			continue;
		if (p->gen != gen || p->dgen != db_gen || p->uid != uid ||
		    p->ugen != cache_ugen(uid) || (p->expires != 0 &&
		    kore_time_ms() > p->expires))
			return (NULL);
		*ctype = p->ctype;
		*len = p->len;
		return (p->body);
	}
	return (NULL);
}

void
cache_page_put(const char *key, long long uid, const char *ctype,
    const char *body, size_t len)
{
	struct cache_page	*p, **pp;
	unsigned int		 h;

	if (!poll_open || len > CACHE_BYTES_MAX / 8)
		return;
	if (npages >= CACHE_PAGES_MAX || nbytes + len > CACHE_BYTES_MAX)
		cache_pages_clear();
	h = cache_hash(key);
	for (pp = &pages[h]; *pp != NULL; pp = &(*pp)->next) {
		if (strcmp((*pp)->key, key) == 0) {
			p = *pp;
			*pp = p->next;
			nbytes -= p->len;
			npages--;
			free(p->key);
			free(p->ctype);
			free(p->body);
			free(p);
			break;
		}
	}
	p = xcalloc(1, sizeof(*p));
	p->key = xstrdup(key);
	p->uid = uid;
	if (kore_time_ms() - content_at < CACHE_SETTLE_MS)
		p->expires = kore_time_ms() + CACHE_SETTLE_MS;
	p->gen = cache_gen();
	p->dgen = db_gen;
	p->ugen = cache_ugen(uid);
	p->ctype = xstrdup(ctype);
	p->body = xmalloc(len + 1);
	memcpy(p->body, body, len);
	p->len = len;
	p->next = pages[h];
	pages[h] = p;
	npages++;
	nbytes += len;
}

static struct web_user *
user_copy(const struct web_user *u)
{
	struct web_user	*c;
	int		 i;

	c = xcalloc(1, sizeof(*c));
	*c = *u;
	c->name = xstrdup(u->name);
	c->email = xstrdup(u->email);
	c->org_name = xstrdup(u->org_name);
	for (i = 0; i < ROLE_COUNT; i++)
		c->scope[i] = u->scope[i] != NULL ? xstrdup(u->scope[i]) :
		    NULL;
	return (c);
}

static void
cache_users_clear(void)
{
	struct cache_user	*u, *next;
	size_t			 i;

	for (i = 0; i < CACHE_BUCKETS; i++) {
		for (u = users[i]; u != NULL; u = next) {
			next = u->next;
			web_user_free(u->user);
			free(u);
		}
		users[i] = NULL;
	}
	nusers = 0;
}

/*
 * The signed-in user for a session token hash, as a copy the caller
 * frees, when it was checked against the database under the current
 * generations and less than CACHE_USER_MS ago.
 */
struct web_user *
cache_user_get(const char *hash)
{
	struct cache_user	*u;

	if (!poll_open)
		return (NULL);
	for (u = users[cache_hash(hash)]; u != NULL; u = u->next) {
		if (strcmp(u->hash, hash) != 0)
			continue;
		if (u->gen != cache_gen() || u->dgen != db_gen ||
		    u->ugen != cache_ugen(u->user->id) ||
		    kore_time_ms() - u->checked > CACHE_USER_MS)
			return (NULL);
		return (user_copy(u->user));
	}
	return (NULL);
}

void
cache_user_put(const char *hash, const struct web_user *user)
{
	struct cache_user	*u, **up;
	unsigned int		 h;

	if (!poll_open)
		return;
	if (nusers >= CACHE_USERS_MAX)
		cache_users_clear();
	h = cache_hash(hash);
	for (up = &users[h]; *up != NULL; up = &(*up)->next) {
		if (strcmp((*up)->hash, hash) == 0) {
			u = *up;
			*up = u->next;
			web_user_free(u->user);
			free(u);
			nusers--;
			break;
		}
	}
	u = xcalloc(1, sizeof(*u));
	xstrlcpy(u->hash, hash, sizeof(u->hash));
	u->gen = cache_gen();
	u->dgen = db_gen;
	u->ugen = cache_ugen(user->id);
	u->checked = kore_time_ms();
	u->user = user_copy(user);
	u->next = users[h];
	users[h] = u;
	nusers++;
}
