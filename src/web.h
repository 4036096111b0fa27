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
#define WEB_RETRY_AFTER		"5"

/* Per-request context built by web_begin(). */
struct web {
	struct http_request	*req;
	enum lang		 lang;
	struct kore_pgsql	 sql;
	struct db		 db;
	int			 have_db;
};

/* app.c: Kore hooks (parent and worker start, seccomp). */
extern int	app_worker_ready;

/* web.c: request plumbing shared by every handler. */
void		 web_begin(struct web *, struct http_request *);
void		 web_end(struct web *);
int		 web_db(struct web *);
void		 web_headers(struct http_request *);
int		 web_page(struct web *, int, const char *, const char *);
int		 web_error(struct web *, int, const char *);
int		 web_db_error(struct web *);
int		 web_render(struct web *, struct buf *, const char *,
		    const struct tmpl_arg *, size_t);
int		 web_redirect(struct web *, const char *);
int		 web_json(struct http_request *, int, struct buf *);
const char	*web_path_tail(struct http_request *, const char *);
void		 web_fmt_hours(char *, size_t, double);

/* assets.c: static files served from memory. */
int		 assets_load(const char *, struct diaglist *);
int		 asset_get(struct http_request *);

/* page-catalogue.c: the catalogue and course pages. */
int		 page_catalogue(struct http_request *);
int		 page_course(struct http_request *);

/* page-module.c: a module's reading page. */
int		 page_module(struct http_request *);

/* page-health.c: /healthz, the language switch and the 404 page. */
int		 page_healthz(struct http_request *);
int		 page_lang(struct http_request *);
int		 page_not_found(struct http_request *);

#endif /* !WEB_H */
