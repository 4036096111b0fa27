/*
 * examgen: the exam-day load generator of `make loadtest` (issue 20).
 * One process, one thread, epoll and non-blocking sockets: one
 * keep-alive HTTP/1.1 connection per learner, all opened first, then
 * every learner released at the same instant to start the exam, view
 * the attempt's page PAGES times with a think time of 30 to 90 s (times
 * THINK) before each view and before submitting, and submit the answers
 * of its variant, matched by label to the page's keyed fields.
 *
 *   examgen -a 127.0.0.1:PORT -l learners.tsv -p plan.tsv -o out.tsv
 *	[-C course_page] [-c course] [-m module] [-n pages] [-t think]
 *	[-T timeout_s] [-k idle_ms] [-w label:pid]...
 *
 * With -C, each learner first reads the course page (the page with the
 * start button, as a browser must before it can post the start), on
 * its connection, before the release: step "course".
 *
 * learners.tsv: "cookie TAB csrf TAB variant" a line (the cookie as sent:
 * name=value). plan.tsv: "variant TAB question TAB answer" a line, the
 * question by place (0-based), several lines for several answers (the
 * choices ticked, or the items in the order wanted). out.tsv: a line per
 * started attempt, "learner TAB variant TAB attempt TAB submitted".
 *
 * An expected answer is 303 to /attempt/ID for the start and the
 * submission and 200 with the form for a page; anything else is an
 * error of that step: another status, a reset, the peer's close in the
 * middle of an answer, no answer within the timeout, a response that is
 * not HTTP, a page whose form does not take the answers. An idle
 * connection the server closes is opened again when next needed (not an
 * error); one idle for longer than idle_ms (default 7 s: Kore's
 * keep-alive is 8) is closed and opened again before it is used, as a
 * browser does. With -w, the CPU of those processes and their
 * descendants (/proc) is read at the release, when the last start has
 * its answer, and at the end, beside the generator's own (getrusage).
 * The figures go to stdout as one JSON object.
 */

#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/time.h>

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <arpa/inet.h>

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "examgen.h"

#define IN_MAX		(4U << 20)	/* a response, at most */
#define MAXV		64		/* answer variants */
#define MAXW		4		/* watched processes */

enum step { ST_START, ST_PAGE, ST_SUBMIT, ST_COURSE, NSTEPS };
enum state { S_IDLE, S_CONNECTING, S_SENDING, S_READING, S_DONE };
enum err { E_RESET, E_EOF, E_TIMEOUT, E_CONNECT, E_PROTO, E_TOOLARGE,
	E_FORM, E_LOCATION, NERR };
static const char *const err_names[NERR] = { "reset", "eof", "timeout",
	"connect", "protocol", "toolarge", "form", "location" };
static const char *const step_names[NSTEPS] = { "start", "page", "submit",
	"course" };

struct learner {
	int		 fd;
	int		 state;
	int		 step;
	int		 page;		/* pages viewed */
	int		 variant;
	int		 submitted;
	int		 has_form;
	char		*cookie;
	char		*csrf;
	char		 attempt[48];
	char		*req;
	size_t		 reqlen, reqoff;
	char		*in;
	size_t		 inlen, incap;
	char		*body;		/* the answers, from the last page */
	int		 bodylen;
	double		 t_req;		/* when the request was wanted */
	double		 last_io;	/* the connection's last answer */
	unsigned	 gen;		/* of its timer */
};

struct timer {
	double		 at;
	int		 who;
	unsigned	 gen;
};

struct stepstat {
	double		*ms;
	size_t		 n, cap;
	long		 errors;
	long		 codes[600];
	long		 kinds[NERR];
};

struct watch {
	char		 label[16];
	int		 pid;
	long long	 ticks[3];
};

static struct learner	*L;
static int		 NL;
static struct eg_answer	 plan[MAXV][EG_MAXQ];
static int		 plan_nq[MAXV];
static struct stepstat	 S[NSTEPS];
static struct timer	*heap;
static size_t		 nheap, capheap;
static struct watch	 W[MAXW];
static int		 NW;
static struct eg_form	*form;
static struct sockaddr_in addr;
static char		 host[64], course[64] = "esame",
			 module[64] = "esame-finale";
static int		 epfd, pages = 8;
static double		 think = 1, timeout_ms = 60000, idle_ms = 7000;
static long		 reconnects, server_closed, unsolicited, open_failed;
static long		 opened;
static const char	*coursepage;
static long		 live, starts_pending, phase_done[2][NSTEPS];

static void	 issue(int);
static void	 step_done(int, int);
static void	 watch_snap(int);

static double
now_ms(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (ts.tv_sec * 1e3 + ts.tv_nsec / 1e6);
}

static void *
xmalloc(size_t n)
{
	void	*p;

	if ((p = malloc(n)) == NULL) {
		perror("examgen: malloc");
		exit(2);
	}
	return (p);
}

static void
timer_set(int who, double at)
{
	struct timer	t;
	size_t		i;

	L[who].gen++;
	t.at = at;
	t.who = who;
	t.gen = L[who].gen;
	if (nheap == capheap) {
		capheap = capheap ? capheap * 2 : 1024;
		if ((heap = realloc(heap, capheap * sizeof(*heap))) == NULL) {
			perror("examgen: realloc");
			exit(2);
		}
	}
	i = nheap++;
	while (i > 0 && heap[(i - 1) / 2].at > t.at) {
		heap[i] = heap[(i - 1) / 2];
		i = (i - 1) / 2;
	}
	heap[i] = t;
}

static struct timer
timer_pop(void)
{
	struct timer	top = heap[0], last = heap[--nheap];
	size_t		i = 0, c;

	for (;;) {
		c = 2 * i + 1;
		if (c >= nheap)
			break;
		if (c + 1 < nheap && heap[c + 1].at < heap[c].at)
			c++;
		if (heap[c].at >= last.at)
			break;
		heap[i] = heap[c];
		i = c;
	}
	if (nheap > 0)
		heap[i] = last;
	return (top);
}

static void
record(int step, double ms)
{
	struct stepstat	*s = &S[step];

	if (s->n == s->cap) {
		s->cap = s->cap ? s->cap * 2 : 4096;
		if ((s->ms = realloc(s->ms, s->cap * sizeof(double))) == NULL) {
			perror("examgen: realloc");
			exit(2);
		}
	}
	s->ms[s->n++] = ms;
}

static void
conn_close(struct learner *l)
{
	if (l->fd != -1) {
		(void)close(l->fd);
		l->fd = -1;
	}
	free(l->in);
	l->in = NULL;
	l->inlen = l->incap = 0;
}

static void
want(struct learner *l, uint32_t ev)
{
	struct epoll_event	e;

	e.events = ev;
	e.data.u32 = (uint32_t)(l - L);
	if (epoll_ctl(epfd, EPOLL_CTL_MOD, l->fd, &e) == -1) {
		perror("examgen: epoll_ctl");
		exit(2);
	}
}

/* A new connection for l: 0, or -1 (connect error). */
static int
conn_open(struct learner *l)
{
	struct epoll_event	e;
	int			one = 1;

	l->fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (l->fd == -1)
		return (-1);
	(void)setsockopt(l->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	if (connect(l->fd, (struct sockaddr *)&addr, sizeof(addr)) == -1 &&
	    errno != EINPROGRESS) {
		conn_close(l);
		return (-1);
	}
	l->state = S_CONNECTING;
	e.events = EPOLLOUT;
	e.data.u32 = (uint32_t)(l - L);
	if (epoll_ctl(epfd, EPOLL_CTL_ADD, l->fd, &e) == -1) {
		perror("examgen: epoll_ctl");
		exit(2);
	}
	return (0);
}

/* The error kind k (or HTTP status code) of l's current step. */
static void
fail(int who, int kind, int code)
{
	struct learner	*l = &L[who];
	struct stepstat	*s = &S[l->step];

	s->errors++;
	if (code > 0 && code < 600)
		s->codes[code]++;
	else
		s->kinds[kind]++;
	conn_close(l);
	l->state = S_IDLE;
	if (l->step == ST_COURSE) {	/* the opening: started afresh */
		l->step = ST_START;
		opened++;
		return;
	}
	step_done(who, 0);
}

static void
build_request(struct learner *l)
{
	char	body[512];
	int	n, blen = 0;

	free(l->req);
	switch (l->step) {
	case ST_START:
		blen = snprintf(body, sizeof(body),
		    "csrf=%s&course=%s&module=%s", l->csrf, course, module);
		n = snprintf(NULL, 0, "POST /quiz/start HTTP/1.1\r\nHost: %s\r\n"
		    "Cookie: %s\r\nContent-Type: "
		    "application/x-www-form-urlencoded\r\nContent-Length: %d\r\n"
		    "\r\n%s", host, l->cookie, blen, body);
		l->req = xmalloc((size_t)n + 1);
		(void)snprintf(l->req, (size_t)n + 1, "POST /quiz/start "
		    "HTTP/1.1\r\nHost: %s\r\nCookie: %s\r\nContent-Type: "
		    "application/x-www-form-urlencoded\r\nContent-Length: %d\r\n"
		    "\r\n%s", host, l->cookie, blen, body);
		break;
	case ST_COURSE:
		n = snprintf(NULL, 0, "GET %s HTTP/1.1\r\nHost: %s\r\n"
		    "Cookie: %s\r\n\r\n", coursepage, host, l->cookie);
		l->req = xmalloc((size_t)n + 1);
		(void)snprintf(l->req, (size_t)n + 1, "GET %s HTTP/1.1\r\n"
		    "Host: %s\r\nCookie: %s\r\n\r\n", coursepage, host,
		    l->cookie);
		break;
	case ST_PAGE:
		n = snprintf(NULL, 0, "GET /attempt/%s HTTP/1.1\r\nHost: %s\r\n"
		    "Cookie: %s\r\n\r\n", l->attempt, host, l->cookie);
		l->req = xmalloc((size_t)n + 1);
		(void)snprintf(l->req, (size_t)n + 1, "GET /attempt/%s "
		    "HTTP/1.1\r\nHost: %s\r\nCookie: %s\r\n\r\n", l->attempt,
		    host, l->cookie);
		break;
	default:
		n = snprintf(NULL, 0, "POST /attempt/%s HTTP/1.1\r\nHost: %s\r\n"
		    "Cookie: %s\r\nContent-Type: "
		    "application/x-www-form-urlencoded\r\nContent-Length: %d\r\n"
		    "\r\n", l->attempt, host, l->cookie, l->bodylen);
		l->req = xmalloc((size_t)n + (size_t)l->bodylen + 1);
		(void)snprintf(l->req, (size_t)n + 1, "POST /attempt/%s "
		    "HTTP/1.1\r\nHost: %s\r\nCookie: %s\r\nContent-Type: "
		    "application/x-www-form-urlencoded\r\nContent-Length: %d\r\n"
		    "\r\n", l->attempt, host, l->cookie, l->bodylen);
		memcpy(l->req + n, l->body, (size_t)l->bodylen);
		n += l->bodylen;
		break;
	}
	l->reqlen = (size_t)n;
	l->reqoff = 0;
}

static void
do_send(int who)
{
	struct learner	*l = &L[who];
	ssize_t		 n;

	while (l->reqoff < l->reqlen) {
		n = send(l->fd, l->req + l->reqoff, l->reqlen - l->reqoff,
		    MSG_NOSIGNAL);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1 && errno == EAGAIN) {
			want(l, EPOLLOUT);
			return;
		}
		if (n == -1) {
			fail(who, errno == ECONNRESET || errno == EPIPE ?
			    E_RESET : E_CONNECT, 0);
			return;
		}
		l->reqoff += (size_t)n;
	}
	l->state = S_READING;
	want(l, EPOLLIN | EPOLLRDHUP);
}

/* l's next request (the think time over): now. */
static void
issue(int who)
{
	struct learner	*l = &L[who];
	double		 t = now_ms();

	l->t_req = t;
	timer_set(who, t + timeout_ms);
	build_request(l);
	if (l->fd != -1 && t - l->last_io > idle_ms) {
		conn_close(l);
		reconnects++;
	} else if (l->fd == -1 && l->step != ST_START)
		reconnects++;
	if (l->fd == -1) {
		if (conn_open(l) == -1)
			fail(who, E_CONNECT, 0);
		return;
	}
	l->state = S_SENDING;
	do_send(who);
}

static double
think_ms(void)
{
	return ((30 + 60 * drand48()) * 1000 * think);
}

/* l's step is over (ok or not): what it does next. */
static void
step_done(int who, int ok)
{
	struct learner	*l = &L[who];
	int		 phase = starts_pending > 0 ? 0 : 1;

	phase_done[phase][l->step]++;
	if (l->step == ST_START) {
		if (--starts_pending == 0)
			watch_snap(1);
	}
	if (l->step == ST_START && ok && pages > 0) {
		l->step = ST_PAGE;
	} else if (l->step == ST_START && ok) {
		l->step = ST_SUBMIT;
	} else if (l->step == ST_PAGE && ++l->page < pages) {
		/* another page */
	} else if (l->step == ST_PAGE && l->has_form) {
		l->step = ST_SUBMIT;
	} else {
		l->state = S_DONE;
		conn_close(l);
		live--;
		l->gen++;	/* no timer */
		return;
	}
	l->state = S_IDLE;
	timer_set(who, now_ms() + think_ms());
}

/* "/attempt/ID": ID into out, or -1. */
static int
attempt_of(const char *loc, char *out, size_t outsz)
{
	const char	*p;
	size_t		 n;

	if (strncmp(loc, "/attempt/", 9) != 0)
		return (-1);
	loc += 9;
	for (p = loc; *p != '\0'; p++) {
		if (!isalnum((unsigned char)*p) && *p != '-' && *p != '_')
			return (-1);
	}
	n = (size_t)(p - loc);
	if (n == 0 || n >= outsz)
		return (-1);
	memcpy(out, loc, n + 1);
	return (0);
}

static void
response(int who, struct eg_resp *r)
{
	struct learner	*l = &L[who];
	char		 id[48];
	double		 ms = now_ms() - l->t_req;
	int		 ok = 0, n;

	l->last_io = now_ms();
	switch (l->step) {
	case ST_COURSE:
		ok = r->status == 200;
		break;
	case ST_START:
		if (r->status != 303)
			break;
		if (attempt_of(r->location, l->attempt,
		    sizeof(l->attempt)) == -1) {
			r->status = 0;
			break;
		}
		ok = 1;
		break;
	case ST_PAGE:
		if (r->status != 200)
			break;
		if (eg_form_parse(l->in + r->body_off, r->body_len, form) < 1 ||
		    plan_nq[l->variant] > form->nq) {
			r->status = -1;
			break;
		}
		if (l->body == NULL)
			l->body = xmalloc(16384);
		n = eg_form_body(form, plan[l->variant], plan_nq[l->variant],
		    l->csrf, l->body, 16384);
		if (n < 0) {
			r->status = -1;
			break;
		}
		l->bodylen = n;
		l->has_form = 1;
		ok = 1;
		break;
	default:
		if (r->status != 303)
			break;
		if (attempt_of(r->location, id, sizeof(id)) == -1 ||
		    strcmp(id, l->attempt) != 0) {
			r->status = 0;
			break;
		}
		l->submitted = 1;
		ok = 1;
		break;
	}
	if (r->close || l->inlen != r->used)
		conn_close(l);
	else {
		free(l->in);
		l->in = NULL;
		l->inlen = l->incap = 0;
		want(l, EPOLLIN | EPOLLRDHUP);
	}
	if (!ok) {
		struct stepstat	*s = &S[l->step];

		s->errors++;
		if (r->status > 0)
			s->codes[r->status < 600 ? r->status : 599]++;
		else
			s->kinds[r->status == 0 ? E_LOCATION : E_FORM]++;
	} else
		record(l->step, ms);
	l->state = S_IDLE;
	if (l->step == ST_COURSE) {	/* opened: waits for the release */
		l->step = ST_START;
		opened++;
		return;
	}
	step_done(who, ok);
}

static void
do_read(int who)
{
	struct learner	*l = &L[who];
	struct eg_resp	 r;
	ssize_t		 n;
	int		 eof = 0, rc;

	for (;;) {
		if (l->inlen == l->incap) {
			if (l->incap >= IN_MAX) {
				fail(who, E_TOOLARGE, 0);
				return;
			}
			l->incap = l->incap ? l->incap * 2 : 16384;
			if ((l->in = realloc(l->in, l->incap + 1)) == NULL) {
				perror("examgen: realloc");
				exit(2);
			}
		}
		n = recv(l->fd, l->in + l->inlen, l->incap - l->inlen, 0);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1 && errno == EAGAIN)
			break;
		if (n == -1) {
			if (l->state != S_READING) {
				server_closed++;
				conn_close(l);
				return;
			}
			fail(who, E_RESET, 0);
			return;
		}
		if (n == 0) {
			eof = 1;
			break;
		}
		l->inlen += (size_t)n;
	}
	if (l->state != S_READING) {
		/* Idle: the server closed it, or said something unasked. */
		if (l->inlen > 0)
			unsolicited++;
		else if (eof)
			server_closed++;
		else
			return;
		conn_close(l);
		return;
	}
	if (l->inlen == 0 && eof) {
		fail(who, E_EOF, 0);
		return;
	}
	l->in[l->inlen] = '\0';
	rc = eg_http_parse(l->in, l->inlen, eof, &r);
	if (rc == -1)
		fail(who, E_PROTO, 0);
	else if (rc == 1)
		response(who, &r);
	else if (eof)
		fail(who, E_EOF, 0);
}

static void
on_event(int who, uint32_t ev)
{
	struct learner	*l = &L[who];
	socklen_t	 sl;
	int		 err = 0;

	if (l->fd == -1)
		return;
	switch (l->state) {
	case S_CONNECTING:
		sl = sizeof(err);
		if (getsockopt(l->fd, SOL_SOCKET, SO_ERROR, &err, &sl) == -1 ||
		    err != 0) {
			if (starts_pending < 0) {	/* the opening */
				open_failed++;
				opened++;
				conn_close(l);
				l->state = S_IDLE;
				return;
			}
			fail(who, err == ECONNRESET ? E_RESET : E_CONNECT, 0);
			return;
		}
		if (starts_pending < 0 && coursepage != NULL) {
			/* The course page, with its start button. */
			l->step = ST_COURSE;
			l->t_req = now_ms();
			build_request(l);
			l->state = S_SENDING;
			do_send(who);
			return;
		}
		if (starts_pending < 0) {		/* opened, idle */
			l->state = S_IDLE;
			l->last_io = now_ms();
			opened++;
			want(l, EPOLLIN | EPOLLRDHUP);
			return;
		}
		l->state = S_SENDING;
		do_send(who);
		return;
	case S_SENDING:
		do_send(who);
		return;
	default:
		do_read(who);
		return;
	}
}

/* Clock ticks of pid and its descendants, from /proc. */
static long long
tree_ticks(int root)
{
	static int	*pid, *ppid;
	static long long *t;
	static size_t	 cap;
	DIR		*d;
	struct dirent	*de;
	FILE		*f;
	char		 path[300], buf[1024], *p;
	size_t		 n = 0, i;
	long long	 sum = 0;
	int		 changed, *in;

	if ((d = opendir("/proc")) == NULL)
		return (0);
	while ((de = readdir(d)) != NULL) {
		if (!isdigit((unsigned char)de->d_name[0]))
			continue;
		(void)snprintf(path, sizeof(path), "/proc/%s/stat", de->d_name);
		if ((f = fopen(path, "r")) == NULL)
			continue;
		if (fgets(buf, sizeof(buf), f) == NULL ||
		    (p = strrchr(buf, ')')) == NULL) {
			fclose(f);
			continue;
		}
		fclose(f);
		if (n == cap) {
			cap = cap ? cap * 2 : 1024;
			pid = realloc(pid, cap * sizeof(*pid));
			ppid = realloc(ppid, cap * sizeof(*ppid));
			t = realloc(t, cap * sizeof(*t));
			if (pid == NULL || ppid == NULL || t == NULL)
				exit(2);
		}
		{
			long long	ut = 0, st = 0;
			int		pp = 0;

			/* ") S ppid pgrp sess tty tpgid flags minflt cminflt
			 * majflt cmajflt utime stime" */
			if (sscanf(p + 2, "%*c %d %*d %*d %*d %*d %*u %*u %*u %*u "
			    "%*u %lld %lld", &pp, &ut, &st) != 3)
				continue;
			pid[n] = atoi(de->d_name);
			ppid[n] = pp;
			t[n] = ut + st;
			n++;
		}
	}
	closedir(d);
	in = calloc(n + 1, sizeof(int));
	if (in == NULL)
		exit(2);
	for (i = 0; i < n; i++)
		in[i] = pid[i] == root;
	do {
		changed = 0;
		for (i = 0; i < n; i++) {
			size_t	j;

			if (in[i])
				continue;
			for (j = 0; j < n; j++) {
				if (in[j] && pid[j] == ppid[i]) {
					in[i] = changed = 1;
					break;
				}
			}
		}
	} while (changed);
	for (i = 0; i < n; i++)
		if (in[i])
			sum += t[i];
	free(in);
	return (sum);
}

static struct rusage	ru[3];
static double		wall[3];
static long long	machine[3];	/* busy ticks of all the cores */

/* Clock ticks all the machine's cores spent busy (/proc/stat). */
static long long
machine_ticks(void)
{
	FILE		*f;
	long long	 v[8] = { 0 };

	if ((f = fopen("/proc/stat", "r")) == NULL)
		return (0);
	if (fscanf(f, "cpu %lld %lld %lld %lld %lld %lld %lld %lld", &v[0],
	    &v[1], &v[2], &v[3], &v[4], &v[5], &v[6], &v[7]) != 8)
		v[0] = v[1] = v[2] = v[5] = v[6] = v[7] = 0;
	fclose(f);
	/* user nice system (idle iowait) irq softirq steal */
	return (v[0] + v[1] + v[2] + v[5] + v[6] + v[7]);
}

static void
watch_snap(int k)
{
	int	i;

	wall[k] = now_ms();
	machine[k] = machine_ticks();
	(void)getrusage(RUSAGE_SELF, &ru[k]);
	for (i = 0; i < NW; i++)
		W[i].ticks[k] = tree_ticks(W[i].pid);
}

static double
cpu_s(const struct rusage *a, const struct rusage *b)
{
	return ((b->ru_utime.tv_sec - a->ru_utime.tv_sec) +
	    (b->ru_utime.tv_usec - a->ru_utime.tv_usec) / 1e6 +
	    (b->ru_stime.tv_sec - a->ru_stime.tv_sec) +
	    (b->ru_stime.tv_usec - a->ru_stime.tv_usec) / 1e6);
}

static int
cmp_ms(const void *a, const void *b)
{
	double	x = *(const double *)a, y = *(const double *)b;

	return (x < y ? -1 : x > y);
}

static double
pct(const struct stepstat *s, double p)
{
	size_t	i;

	if (s->n == 0)
		return (0);
	i = (size_t)(p / 100 * s->n + 0.999999);
	if (i < 1)
		i = 1;
	if (i > s->n)
		i = s->n;
	return (s->ms[i - 1]);
}

static char *
trim_line(char *s)
{
	s[strcspn(s, "\r\n")] = '\0';
	return (s);
}

static void
load_learners(const char *path)
{
	FILE	*f;
	char	 line[1024], *cookie, *csrf, *var;
	int	 cap = 0;

	if ((f = fopen(path, "r")) == NULL) {
		perror(path);
		exit(2);
	}
	while (fgets(line, sizeof(line), f) != NULL) {
		trim_line(line);
		if (line[0] == '\0')
			continue;
		cookie = line;
		if ((csrf = strchr(cookie, '\t')) == NULL ||
		    (var = strchr(csrf + 1, '\t')) == NULL) {
			fprintf(stderr, "%s:%d: cookie, csrf, variant\n", path,
			    NL + 1);
			exit(2);
		}
		*csrf++ = '\0';
		*var++ = '\0';
		if (NL == cap) {
			cap = cap ? cap * 2 : 1024;
			if ((L = realloc(L, (size_t)cap * sizeof(*L))) == NULL)
				exit(2);
		}
		memset(&L[NL], 0, sizeof(L[NL]));
		L[NL].fd = -1;
		L[NL].cookie = strdup(cookie);
		L[NL].csrf = strdup(csrf);
		L[NL].variant = atoi(var);
		if (L[NL].variant < 0 || L[NL].variant >= MAXV) {
			fprintf(stderr, "%s:%d: variant out of range\n", path,
			    NL + 1);
			exit(2);
		}
		NL++;
	}
	fclose(f);
}

static void
load_plan(const char *path)
{
	FILE		 *f;
	char		  line[1024], *q, *a;
	int		  v, qi, ln = 0;
	struct eg_answer *x;

	if ((f = fopen(path, "r")) == NULL) {
		perror(path);
		exit(2);
	}
	while (fgets(line, sizeof(line), f) != NULL) {
		ln++;
		trim_line(line);
		if (line[0] == '\0')
			continue;
		if ((q = strchr(line, '\t')) == NULL ||
		    (a = strchr(q + 1, '\t')) == NULL) {
			fprintf(stderr, "%s:%d: variant, question, answer\n",
			    path, ln);
			exit(2);
		}
		*a++ = '\0';
		v = atoi(line);
		qi = atoi(q + 1);
		if (v < 0 || v >= MAXV || qi < 0 || qi >= EG_MAXQ ||
		    strlen(a) >= EG_LABEL) {
			fprintf(stderr, "%s:%d: out of range\n", path, ln);
			exit(2);
		}
		x = &plan[v][qi];
		if (x->n == EG_MAXA) {
			fprintf(stderr, "%s:%d: too many answers\n", path, ln);
			exit(2);
		}
		(void)snprintf(x->a[x->n++], EG_LABEL, "%s", a);
		if (qi + 1 > plan_nq[v])
			plan_nq[v] = qi + 1;
	}
	fclose(f);
}

static void
report(double open_ms)
{
	double	gen = cpu_s(&ru[0], &ru[2]), run_s = (wall[2] - wall[0]) / 1e3;
	long	reqs = 0;
	int	i, k, c, first;

	for (i = 0; i < NSTEPS; i++)
		if (i != ST_COURSE)
			reqs += (long)S[i].n + S[i].errors;
	printf("{\"users\":%d,\"open_ms\":%.0f,\"open_failed\":%ld,"
	    "\"run_s\":%.2f,\"start_phase_s\":%.2f,\n\"steps\":[", NL, open_ms,
	    open_failed, run_s, (wall[1] - wall[0]) / 1e3);
	for (i = 0; i < NSTEPS; i++) {
		if (S[i].n > 0)
			qsort(S[i].ms, S[i].n, sizeof(double), cmp_ms);
		printf("%s\n {\"step\":\"%s\",\"requests\":%ld,\"errors\":%ld,"
		    "\"p50\":%.1f,\"p95\":%.1f,\"p99\":%.1f,\"max\":%.1f,"
		    "\"codes\":{", i ? "," : "", step_names[i],
		    (long)S[i].n + S[i].errors, S[i].errors, pct(&S[i], 50),
		    pct(&S[i], 95), pct(&S[i], 99),
		    S[i].n ? S[i].ms[S[i].n - 1] : 0);
		first = 1;
		for (c = 0; c < 600; c++) {
			if (S[i].codes[c]) {
				printf("%s\"%d\":%ld", first ? "" : ",", c,
				    S[i].codes[c]);
				first = 0;
			}
		}
		for (k = 0; k < NERR; k++) {
			if (S[i].kinds[k]) {
				printf("%s\"%s\":%ld", first ? "" : ",",
				    err_names[k], S[i].kinds[k]);
				first = 0;
			}
		}
		printf("}}");
	}
	printf("],\n\"generator\":{\"cpu_s\":%.3f,\"user_s\":%.3f,"
	    "\"sys_s\":%.3f,\"cores\":%.3f,\"ms_per_request\":%.3f,"
	    "\"open_cpu_s\":%.3f,\"maxrss_kb\":%ld},\n", gen,
	    (ru[2].ru_utime.tv_sec - ru[0].ru_utime.tv_sec) +
	    (ru[2].ru_utime.tv_usec - ru[0].ru_utime.tv_usec) / 1e6,
	    (ru[2].ru_stime.tv_sec - ru[0].ru_stime.tv_sec) +
	    (ru[2].ru_stime.tv_usec - ru[0].ru_stime.tv_usec) / 1e6,
	    run_s > 0 ? gen / run_s : 0, reqs ? gen * 1e3 / reqs : 0,
	    ru[0].ru_utime.tv_sec + ru[0].ru_utime.tv_usec / 1e6 +
	    ru[0].ru_stime.tv_sec + ru[0].ru_stime.tv_usec / 1e6,
	    ru[2].ru_maxrss);
	printf("\"phases\":[");
	for (k = 0; k < 2; k++) {
		double	s = (wall[k + 1] - wall[k]) / 1e3;

		printf("%s\n {\"phase\":\"%s\",\"s\":%.2f,\"starts\":%ld,"
		    "\"pages\":%ld,\"submits\":%ld,\"generator_cpu_s\":%.3f",
		    k ? "," : "", k ? "rest" : "start", s,
		    phase_done[k][ST_START], phase_done[k][ST_PAGE],
		    phase_done[k][ST_SUBMIT], cpu_s(&ru[k], &ru[k + 1]));
		printf(",\"machine_cpu_s\":%.3f", (double)(machine[k + 1] -
		    machine[k]) / sysconf(_SC_CLK_TCK));
		for (i = 0; i < NW; i++)
			printf(",\"%s_cpu_s\":%.3f", W[i].label,
			    (double)(W[i].ticks[k + 1] - W[i].ticks[k]) /
			    sysconf(_SC_CLK_TCK));
		printf("}");
	}
	printf("],\n\"reconnects\":%ld,\"server_closed_idle\":%ld,"
	    "\"unsolicited\":%ld}\n", reconnects, server_closed, unsolicited);
}

static void
usage(void)
{
	fprintf(stderr, "usage: examgen -a host:port -l learners.tsv -p "
	    "plan.tsv -o out.tsv [-C course_page] [-c course] [-m module] "
	    "[-n pages] [-t think] [-T timeout_s] [-k idle_ms] "
	    "[-w label:pid]...\n");
	exit(2);
}

int
main(int argc, char *argv[])
{
	struct epoll_event	*evs;
	struct rlimit		 rl;
	struct timer		 t;
	const char		*lpath = NULL, *ppath = NULL, *opath = NULL;
	char			*a = NULL, *colon;
	double			 t0, open_ms, wait;
	FILE			*out;
	int			 ch, i, n;

	while ((ch = getopt(argc, argv, "a:C:c:k:l:m:n:o:p:t:T:w:")) != -1) {
		switch (ch) {
		case 'a': a = optarg; break;
		case 'C': coursepage = optarg; break;
		case 'c': (void)snprintf(course, sizeof(course), "%s", optarg);
			break;
		case 'k': idle_ms = atof(optarg); break;
		case 'l': lpath = optarg; break;
		case 'm': (void)snprintf(module, sizeof(module), "%s", optarg);
			break;
		case 'n': pages = atoi(optarg); break;
		case 'o': opath = optarg; break;
		case 'p': ppath = optarg; break;
		case 't': think = atof(optarg); break;
		case 'T': timeout_ms = atof(optarg) * 1000; break;
		case 'w':
			if (NW == MAXW || (colon = strchr(optarg, ':')) == NULL)
				usage();
			(void)snprintf(W[NW].label, sizeof(W[NW].label), "%.*s",
			    (int)(colon - optarg), optarg);
			W[NW++].pid = atoi(colon + 1);
			break;
		default: usage();
		}
	}
	if (a == NULL || lpath == NULL || ppath == NULL || opath == NULL ||
	    (colon = strrchr(a, ':')) == NULL || pages < 0 || think < 0)
		usage();
	*colon = '\0';
	memset(&addr, 0, sizeof(addr));
	addr.sin_family = AF_INET;
	addr.sin_port = htons((uint16_t)atoi(colon + 1));
	if (inet_pton(AF_INET, a, &addr.sin_addr) != 1)
		usage();
	(void)snprintf(host, sizeof(host), "%s:%s", a, colon + 1);
	load_learners(lpath);
	load_plan(ppath);
	form = xmalloc(sizeof(*form));
	srand48((long)getpid());
	signal(SIGPIPE, SIG_IGN);
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		(void)setrlimit(RLIMIT_NOFILE, &rl);
	}
	if ((epfd = epoll_create1(EPOLL_CLOEXEC)) == -1) {
		perror("examgen: epoll_create1");
		return (2);
	}
	evs = xmalloc(1024 * sizeof(*evs));

	/* Open every connection; then release every learner at once. */
	starts_pending = -1;
	t0 = now_ms();
	for (i = 0; i < NL; i++) {
		if (conn_open(&L[i]) == -1) {
			open_failed++;
			opened++;
			L[i].state = S_IDLE;
		}
	}
	while (opened < NL && now_ms() - t0 < timeout_ms) {
		n = epoll_wait(epfd, evs, 1024, 100);
		for (i = 0; i < n; i++)
			on_event((int)evs[i].data.u32, evs[i].events);
	}
	open_ms = now_ms() - t0;
	n = 0;
	for (i = 0; i < NL; i++) {
		if (L[i].state != S_IDLE) {	/* not opened in time */
			if (L[i].step == ST_COURSE) {
				S[ST_COURSE].errors++;
				S[ST_COURSE].kinds[E_TIMEOUT]++;
			}
			conn_close(&L[i]);
			L[i].state = S_IDLE;
			L[i].step = ST_START;
			open_failed++;
		}
		n += L[i].fd != -1;
	}
	fprintf(stderr, "examgen: %d connections open in %.0f ms, releasing "
	    "%d learners\n", n, open_ms, NL);
	starts_pending = NL;
	live = NL;
	watch_snap(0);
	for (i = 0; i < NL; i++)
		issue(i);
	while (live > 0) {
		wait = 1000;
		while (nheap > 0 && (heap[0].gen != L[heap[0].who].gen))
			(void)timer_pop();
		if (nheap > 0) {
			wait = heap[0].at - now_ms();
			if (wait < 0)
				wait = 0;
		}
		n = epoll_wait(epfd, evs, 1024, (int)(wait + 0.999));
		if (n == -1 && errno != EINTR) {
			perror("examgen: epoll_wait");
			return (2);
		}
		for (i = 0; i < n; i++)
			on_event((int)evs[i].data.u32, evs[i].events);
		while (nheap > 0 && heap[0].at <= now_ms()) {
			t = timer_pop();
			if (t.gen != L[t.who].gen)
				continue;
			if (L[t.who].state == S_IDLE)
				issue(t.who);			/* thought */
			else if (L[t.who].state != S_DONE)
				fail(t.who, E_TIMEOUT, 0);	/* no answer */
		}
	}
	watch_snap(2);
	if ((out = fopen(opath, "w")) == NULL) {
		perror(opath);
		return (2);
	}
	for (i = 0; i < NL; i++) {
		if (L[i].attempt[0] != '\0')
			fprintf(out, "%d\t%d\t%s\t%d\n", i, L[i].variant,
			    L[i].attempt, L[i].submitted);
	}
	fclose(out);
	report(open_ms);
	for (i = 0; i < NSTEPS; i++)
		if (S[i].errors)
			return (1);
	return (0);
}
