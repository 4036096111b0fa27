/*
 * web.h: the web layer, the only part of Capacita that knows Kore.
 * Functions shared between web files are declared here, under the file
 * that defines them. The handlers Kore calls (by name, from
 * conf/app.conf) are declared once, by route group, in routes.h, which
 * the build writes from src/routes.def.
 */

#ifndef WEB_H
#define WEB_H

#include <kore/kore.h>
#include <kore/http.h>
#include <kore/pgsql.h>

#include "capacita.h"

#define WEB_DB			"db"
#define WEB_DB_READ		"db_read"	/* the replica, if any */
#define WEB_RETRY_AFTER		"5"
#define WEB_ID_MAX		INT64_MAX	/* ids are bigint */

#define ACCESS_PUBLIC		0x100	/* anyone, signed in or not */
#define ACCESS_USER		0x200	/* any signed-in user */
#define ACCESS_NOCSRF		0x400	/* POST of JSON, no form token */
#define ACCESS_CACHE		0x800	/* GET pages kept by web-cache.c */
#define ACCESS_READ		0x1000	/* anonymous GET may use the replica */

#define SESSION_COOKIE		"capacita_session"
#define SESSION_COOKIE_TLS	"__Host-capacita_session"
#define CSRF_COOKIE		"capacita_csrf"

struct web_rule {
	const char	*route;		/* as in src/routes.def */
	int		 allow;		/* ACCESS_* or ROLE_* bits */
};

/* The signed-in user, loaded from the session by web_begin(). */
struct web_user {
	long long	 id;
	char		*name;
	char		*email;
	long long	 org_id;
	char		*org_name;
	int		 roles;			/* ROLE_* bits */
	char		*scope[ROLE_COUNT];	/* subtree path per role */
	char		 csrf[AUTH_TOKEN_LEN + 1];
	char		 token_hash[SHA256_HEX_LEN + 1];
};

/* Per-request context built by web_begin(). */
struct web {
	struct http_request	*req;
	enum lang		 lang;
	struct kore_pgsql	 sql;
	struct db		 db;
	int			 have_db;
	int			 tls;
	char			 ip[64];
	struct web_user		*user;
	char			 anon_csrf[AUTH_TOKEN_LEN + 1];
	char			*cache_key;	/* set: store the page */
	int			 replica;	/* web_db() may use dsn_read */
};

/* web.c: request plumbing shared by every handler. */
int		 web_begin(struct web *, struct http_request *);
void		 web_end(struct web *);
int		 web_db(struct web *);
int		 web_db_open(struct web *, struct fail *);
void		 web_headers(struct http_request *);
int		 web_is_tls(struct http_request *);
int		 web_page(struct web *, int, const char *, const char *);
int		 web_show(struct web *, int, const char *, const char *,
		    const struct tmpl_arg *, size_t);
int		 web_error(struct web *, int, const char *);
int		 web_db_error(struct web *);
int		 web_fail(struct web *, const struct fail *);
int		 web_fail_json(struct web *, const struct fail *);
int		 web_json_error(struct web *, int, const char *);
int		 web_render(struct web *, struct buf *, const char *,
		    const struct tmpl_arg *, size_t);
int		 web_redirect(struct web *, const char *);
int		 web_json(struct http_request *, int, struct buf *);
int		 web_csv(struct http_request *, const char *, int, struct buf *);
enum lang	 web_csv_lang(struct web *);
int		 web_option(struct web *, struct buf *, const char *, const char *,
		    int);
const char	*web_path_tail(struct http_request *, const char *);
int		 web_path_id(struct http_request *, const char *, long long *);
int		 web_arg_num(struct web *, const char *, long long, long long,
		    long long *);
void		 web_fmt_hours(struct web *, char *, size_t, double);
const char	*web_num(struct web *, const char *);
const char	*web_date(struct web *, const char *);
const char	*web_roles(struct web *, const char *, char *, size_t);
const char	*web_datetime(struct web *, const char *);
const char	*web_arg(struct web *, const char *);
int		 web_read_form(struct http_request *, size_t, struct form *);
int		 web_has_role(struct web *, int);
const char	*web_scope(struct web *, int);
long long	 web_scope_org(struct web *, int);
void		 web_cookie(struct web *, const char *, const char *, int,
		    int);
const char	*web_csrf(struct web *);
const char	*web_next(const char *);
const char	*web_landing(const char *);
void		 web_field(struct web *, struct buf *, const char *,
		    const char *, const char *, const char *, const char *,
		    const char *);

/* web-access.c: who may use each route. */
const struct web_rule	*web_access_find(const char *);
int			 web_access_check(void);

/* web-cache.c: pages and users cached per worker, LISTEN/NOTIFY fresh. */
void		 cache_init(void);
void		 cache_bump(void);
void		 cache_notify_user(long long);
void		 cache_poll(void *, u_int64_t);
u_int64_t	 cache_poll_ms(void);
const char	*cache_page_get(const char *, long long, const char **,
		    size_t *);
void		 cache_page_put(const char *, long long, const char *,
		    const char *, size_t);
struct web_user	*cache_user_get(const char *);
void		 cache_user_put(const char *, const struct web_user *);

/* web-valid.c: validators of bounded text (conf/app.conf.in). */
int	v_email(struct http_request *, const void *);
int	v_email_opt(struct http_request *, const void *);
int	v_password(struct http_request *, const void *);
int	v_text(struct http_request *, const void *);
int	v_search(struct http_request *, const void *);
int	v_reason(struct http_request *, const void *);
int	v_note_opt(struct http_request *, const void *);
int	v_code_opt(struct http_request *, const void *);
int	v_oidc_code(struct http_request *, const void *);
int	v_oidc_error(struct http_request *, const void *);

/* web-session.c: server-side sessions behind a random cookie. */
int		 web_session_load(struct web *, const char *);
void		 web_session_cookie(struct web *, const char *);
void		 web_session_end(struct web *);
void		 web_user_free(struct web_user *);

/* assets.c: static files served from memory. */
int		 assets_load(const char *, struct diaglist *);

/* page-quiz.c: starting, taking and reviewing quiz attempts. */
void		 quiz_question_render(struct web *, struct buf *, uint64_t,
		    const unsigned char *, const struct quiz_question *, size_t,
		    const struct form *);

/* page-author.c: the trainers' web editor; the validator of its text. */
int		 v_markdown(struct http_request *, const void *);
void		 author_notice(struct web *, struct buf *, int, int,
		    const char *);

/* page-framework.c: the frameworks, public; the validators of
 * competence codes and level names (conf/app.conf.in). */
int		 v_comp(struct http_request *, const void *);
int		 v_level(struct http_request *, const void *);

/* page-hr.c: the HR office's view of its staff. */
void		 hr_people_rows(struct web *, struct buf *, const struct people *,
		    const char *, int);

/* page-bench.c: the governance benchmark; course links for weak ratings. */
void		 gov_course_links(struct web *, const struct gov_dimension *,
		    struct buf *);

/* page-profile.c: competence profiles, level explanations, ratings. */
int		 profile_render(struct web *, long long, const char *,
		    struct buf *);
void		 profile_courses_links(struct web *, struct buf *,
		    const char *);

/* page-placement.c: the placement test and the personal plan. */
int		 placement_explain_render(struct web *, long long, const char *,
		    struct buf *, struct fail *);

/* page-impact.c: the impact pages' scope, small templates and unit
 * options (shared by page-edition.c, page-funder.c, page-report.c). */
const char	*page_impact_scope(struct web *);
void		 page_impact_put(struct web *, struct buf *, const char *,
		    const char *, const char *, const char *, const char *);
void		 page_impact_raw(struct web *, struct buf *, const char *,
		    const char *, const char *);
void		 page_impact_options(struct web *, const struct edition_opts *,
		    const char *, int, struct buf *);

#include "routes.h"

#endif /* !WEB_H */
