/*
 * web.h: the web layer, the only part of Capacita that knows Kore.
 * Handlers are looked up by name from conf/app.conf, so every one of
 * them is declared here, grouped by the file that defines it.
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
	const char	*route;		/* as in conf/app.conf */
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

/* app.c: Kore hooks (parent and worker start, seccomp). */
extern int	app_worker_ready;

/* web.c: request plumbing shared by every handler. */
int		 web_begin(struct web *, struct http_request *);
void		 web_end(struct web *);
int		 web_db(struct web *);
void		 web_headers(struct http_request *);
int		 web_is_tls(struct http_request *);
int		 web_page(struct web *, int, const char *, const char *);
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
void		 web_field(struct web *, struct buf *, const char *,
		    const char *, const char *, const char *, const char *,
		    const char *);

/* web-access.c: who may use each route. */
const struct web_rule	*web_access_find(const char *);
int			 web_access_check(void);

/* web-cache.c: pages and users cached per worker, LISTEN/NOTIFY fresh. */
void		 cache_init(void);
void		 cache_bump(void);
void		 cache_poll(void *, u_int64_t);
u_int64_t	 cache_poll_ms(void);
const char	*cache_page_get(const char *, long long, const char **,
		    size_t *);
void		 cache_page_put(const char *, long long, const char *,
		    const char *, size_t);
struct web_user	*cache_user_get(const char *);
void		 cache_user_put(const char *, const struct web_user *);

/* web-session.c: server-side sessions behind a random cookie. */
int		 web_session_load(struct web *, const char *);
void		 web_session_cookie(struct web *, const char *);
void		 web_session_end(struct web *);
void		 web_user_free(struct web_user *);

/* assets.c: static files served from memory. */
int		 assets_load(const char *, struct diaglist *);
int		 asset_get(struct http_request *);

/* page-catalogue.c: the catalogue and course pages. */
int		 page_catalogue(struct http_request *);
int		 page_course(struct http_request *);

/* page-module.c: a module's reading page. */
int		 page_module(struct http_request *);

/* page-auth.c: sign in and out, password links, the user's own page. */
int		 page_login(struct http_request *);
int		 page_logout(struct http_request *);
int		 page_password(struct http_request *);
int		 page_me(struct http_request *);

/* page-oidc.c: signing in through an OpenID provider. */
int		 page_oidc_login(struct http_request *);
int		 page_oidc_callback(struct http_request *);

/* page-mail.c: reminders off, by one click or on the user's page. */
int		 page_unsubscribe(struct http_request *);
int		 page_me_mail(struct http_request *);

/* page-admin.c: users, organisations, CSV import, the audit log. */
int		 page_admin(struct http_request *);
int		 page_admin_users(struct http_request *);
int		 page_admin_user(struct http_request *);
int		 page_admin_import(struct http_request *);
int		 page_admin_orgs(struct http_request *);
int		 page_admin_audit(struct http_request *);

/* page-author.c: the trainers' web editor. */
int		 v_markdown(struct http_request *, const void *);
void		 author_notice(struct web *, struct buf *, int, int,
		    const char *);
int		 page_author(struct http_request *);
int		 page_author_edit(struct http_request *);
int		 page_author_diff(struct http_request *);
int		 page_author_source(struct http_request *);

/* page-author-course.c: the trainers' course editor. */
int		 page_author_courses(struct http_request *);
int		 page_author_course(struct http_request *);

/* page-learn.c: the learner's dashboard, courses, reading, history. */
int		 page_learn(struct http_request *);
int		 page_learn_enrol(struct http_request *);
int		 page_learn_course(struct http_request *);
int		 page_learn_read(struct http_request *);
int		 page_learn_history(struct http_request *);

/* page-quiz.c: starting, taking and reviewing quiz attempts. */
int		 page_quiz_start(struct http_request *);
int		 page_attempt(struct http_request *);
void		 quiz_question_render(struct web *, struct buf *, uint64_t,
		    const unsigned char *, const struct quiz_question *, size_t,
		    const struct form *);

/* page-api.c: the JSON API. */
int		 page_api_me(struct http_request *);
int		 page_api_enrolments(struct http_request *);
int		 page_api_attempts(struct http_request *);
int		 page_api_hours(struct http_request *);

/* page-badge.c: badges, certificates, verification, issuer, revocation. */
int		 page_badges(struct http_request *);
int		 page_badge(struct http_request *);
int		 page_verify(struct http_request *);
int		 page_api_verify(struct http_request *);
int		 page_issuer(struct http_request *);
int		 page_status(struct http_request *);
int		 page_audit_checkpoint(struct http_request *);
int		 page_issuer_badges(struct http_request *);

/* page-hr.c: the HR office's view of its staff. */
int		 page_hr_people(struct http_request *);
int		 page_hr_person(struct http_request *);
int		 page_hr_hours_csv(struct http_request *);
int		 page_hr_assign(struct http_request *);

/* page-profile.c: competence profiles, level explanations, ratings. */
int		 profile_render(struct web *, long long, const char *,
		    struct buf *);
void		 profile_courses_links(struct web *, struct buf *,
		    const char *);
int		 page_me_competences(struct http_request *);
int		 page_me_competence(struct http_request *);
int		 page_hr_competence(struct http_request *);
int		 page_ratings(struct http_request *);

/* page-xapi.c: learning records as xAPI statements. */
int		 page_api_xapi(struct http_request *);

/* page-framework.c: the frameworks, public. */
int		 page_competences(struct http_request *);
int		 page_competences_csv(struct http_request *);
int		 page_framework(struct http_request *);

/* page-report.c: the HR gap report and its CSV exports. */
int		 page_hr_report(struct http_request *);
int		 page_hr_report_csv(struct http_request *);

/* page-roles.c: role profiles and their assignment to people. */
int		 page_hr_roles(struct http_request *);
int		 page_hr_roles_csv(struct http_request *);
int		 page_hr_roles_assign(struct http_request *);
int		 page_hr_roles_import(struct http_request *);

/* page-impact.c: pre/post tests, editions, the impact and funder's
 * reports, xAPI statements. */
int		 page_assessments(struct http_request *);
int		 page_assessment(struct http_request *);
int		 page_hr_editions(struct http_request *);
int		 page_hr_impact(struct http_request *);
int		 page_hr_impact_csv(struct http_request *);
int		 page_hr_funder(struct http_request *);
int		 page_hr_funder_csv(struct http_request *);

/* page-assess.c: governance self-assessment, peer review, actions. */
int		 page_gov(struct http_request *);
int		 page_gov_assessment(struct http_request *);
int		 page_gov_actions(struct http_request *);

/* page-bench.c: the governance benchmark and its CSV. */
int		 page_gov_bench(struct http_request *);
int		 page_gov_bench_csv(struct http_request *);

/* page-practice.c: the maturity model and the good-practice library. */
int		 page_gov_model(struct http_request *);
int		 page_gov_practices(struct http_request *);
int		 page_gov_practice(struct http_request *);

/* page-health.c: /healthz, the language switch, the accessibility
 * statement and the 404 page. */
int		 page_healthz(struct http_request *);
int		 page_lang(struct http_request *);
int		 page_accessibility(struct http_request *);
int		 page_not_found(struct http_request *);

#endif /* !WEB_H */
