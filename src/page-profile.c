/*
 * page-profile.c: a person's competence profile (required against
 * achieved, per competence, as a chart and a table), the explanation of
 * every level (the rule, level by level, and the evidence behind it),
 * trainers' ratings, and the public view of the framework.
 *
 * The same profile is shown to the person (/me/competences) and to the
 * HR office of their unit (/hr/people/N); the explanation likewise.
 */

#include <stdlib.h>
#include <string.h>

#include "web.h"

#define PROFILE_ANSWERS_MAX	200
#define RATINGS_MAX		50

static const char	*met_text(struct web *, int, struct pg_result *, int,
		    char *, size_t);
static const char	*basis_short(struct web *, const char *);
static const char	*basis_long(struct web *, const char *);
static int	explain(struct web *, long long, const char *, const char *,
		    const char *);
static int	ratings_page(struct web *, int, const char *, const char *,
		    const char *);
static void	level_options(struct web *, struct buf *, const char *);

/* Links to the courses listed as "slug\ttitle" lines. */
void
profile_courses_links(struct web *w, struct buf *out, const char *list)
{
	char	*copy, *line, *next, *tab;
	int	 first;

	if (*list == '\0') {
		buf_puts(out, "<span class=\"text-muted\">");
		html_puts(out, i18n_get(w->lang, "profile.no_course"));
		buf_puts(out, "</span>");
		return;
	}
	copy = xstrdup(list);
	first = 1;
	for (line = copy; line != NULL; line = next) {
		if ((next = strchr(line, '\n')) != NULL)
			*next++ = '\0';
		if ((tab = strchr(line, '\t')) == NULL)
			continue;
		*tab++ = '\0';
		if (!first)
			buf_puts(out, ", ");
		first = 0;
		buf_puts(out, "<a href=\"/courses/");
		html_puts(out, line);
		buf_puts(out, "\">");
		html_puts(out, tab);
		buf_puts(out, "</a>");
	}
	free(copy);
}

/*
 * The profile of one person: the roles they hold, and per competence
 * (required by a role or with evidence) the level required and reached,
 * with the courses that close each gap. link is the prefix of the
 * explanation links ("/me/competences/" or "/hr/people/N/competences/").
 */
int
profile_render(struct web *w, long long uid, const char *link,
    struct buf *out)
{
	struct pg_result	*res, *lv;
	struct buf		 rows, chart, roles, courses, desc;
	const char		**labels, **levels;
	int			*req, *got;
	char			 id[32], num[3][16];
	int			 i, n, nlv, nreq, nmet;

	(void)snprintf(id, sizeof(id), "%lld", uid);
	res = db_query(&w->db, "SELECT string_agg(j.name, ', ' ORDER BY "
	    "j.name) FROM user_job_roles uj JOIN job_roles j ON j.id = "
	    "uj.role_id WHERE uj.user_id = $1", 1, id);
	if (res == NULL)
		return (-1);
	buf_init(&roles, 128);
	buf_puts(&roles, db_isnull(res, 0, 0) ? "" : db_value(res, 0, 0));
	db_clear(res);

	lv = db_query(&w->db, "SELECT l.name FROM levels l WHERE "
	    "l.framework_id = (SELECT min(id) FROM frameworks WHERE kind = "
	    "'measured') ORDER BY l.rank", 0);
	if (lv == NULL) {
		buf_free(&roles);
		return (-1);
	}
	res = db_query(&w->db, "SELECT c.code, c.name, coalesce(req.rank, 0), "
	    "coalesce(cl.rank, 0), coalesce(lr.name, ''), coalesce(la.name, "
	    "''), coalesce(cl.basis, ''), coalesce(cl.items, 0), "
	    "coalesce(cl.correct, 0), CASE WHEN coalesce(cl.rank, 0) < "
	    "req.rank THEN coalesce((SELECT string_agg(co.slug || E'\\t' || "
	    "co.title, E'\\n' ORDER BY co.title) FROM course_claims cc JOIN "
	    "courses co ON co.id = cc.course_id WHERE cc.competence = c.code "
	    "AND cc.claimed_rank >= req.rank AND cc.certifiable_rank >= "
	    "req.rank), "
	    "'') ELSE NULL "
	    "END FROM competences c LEFT JOIN (SELECT r.competence, "
	    "max(r.rank) AS rank FROM user_job_roles uj JOIN "
	    "job_role_requirements r ON r.role_id = uj.role_id WHERE "
	    "uj.user_id = $1 GROUP BY r.competence) req ON req.competence = "
	    "c.code LEFT JOIN competence_levels cl ON cl.user_id = $1 AND "
	    "cl.competence = c.code LEFT JOIN levels lr ON lr.framework_id = "
	    "c.framework_id AND lr.rank = req.rank LEFT JOIN levels la ON "
	    "la.framework_id = c.framework_id AND la.rank = cl.rank WHERE NOT "
	    "c.retired AND (req.rank IS NOT NULL OR cl.user_id IS NOT NULL) "
	    "ORDER BY c.position", 1, id);
	if (res == NULL) {
		db_clear(lv);
		buf_free(&roles);
		return (-1);
	}
	n = db_rows(res);
	nlv = db_rows(lv);
	labels = xcalloc((size_t)n + 1, sizeof(*labels));
	levels = xcalloc((size_t)nlv + 1, sizeof(*levels));
	req = xcalloc((size_t)n + 1, sizeof(*req));
	got = xcalloc((size_t)n + 1, sizeof(*got));
	for (i = 0; i < nlv; i++)
		levels[i] = db_value(lv, i, 0);
	buf_init(&rows, 4096);
	buf_init(&chart, 4096);
	buf_init(&courses, 256);
	buf_init(&desc, 256);
	nreq = nmet = 0;
	for (i = 0; i < n; i++) {
		const char	*state, *basis;
		char		 href[128];

		labels[i] = db_value(res, i, 0);
		req[i] = atoi(db_value(res, i, 2));
		got[i] = atoi(db_value(res, i, 3));
		if (req[i] > 0) {
			nreq++;
			if (got[i] >= req[i])
				nmet++;
		}
		state = req[i] == 0 ? "profile.not_required" :
		    got[i] >= req[i] ? "profile.met" : "profile.gap";
		if ((basis = basis_short(w, db_value(res, i, 6))) == NULL) {
			buf_reset(&desc);
			buf_printf(&desc, "%s/%s %s", db_value(res, i, 8),
			    db_value(res, i, 7), i18n_get(w->lang,
			    "profile.right"));
			basis = desc.data;
		}
		buf_reset(&courses);
		if (!db_isnull(res, i, 9))
			profile_courses_links(w, &courses, db_value(res, i, 9));
		(void)snprintf(href, sizeof(href), "%s%s", link, labels[i]);
		{
			struct tmpl_arg args[] = {
				T_TEXT("code", labels[i]),
				T_TEXT("name", db_value(res, i, 1)),
				T_TEXT("required", *db_value(res, i, 4) !=
				    '\0' ? db_value(res, i, 4) : "-"),
				T_TEXT("achieved", *db_value(res, i, 5) !=
				    '\0' ? db_value(res, i, 5) :
				    i18n_get(w->lang, "profile.none")),
				T_TEXT("state", i18n_get(w->lang, state)),
				T_TEXT("class", req[i] > 0 && got[i] < req[i] ?
				    "table-warning" : ""),
				T_TEXT("basis", basis),
				T_RAW("courses", courses.data),
				T_TEXT("href", href),
			};

			(void)web_render(w, &rows, "profile-row", args,
			    T_NARGS(args));
		}
	}
	buf_reset(&desc);
	buf_printf(&desc, "%s: %d / %d", i18n_get(w->lang,
	    "profile.chart_desc"), nmet, nreq);
	if (n > 0)
		svg_levels(&chart, "profile-chart", i18n_get(w->lang,
		    "profile.chart"), desc.data, labels, req, got, (size_t)n,
		    levels, (size_t)nlv);
	(void)snprintf(num[0], sizeof(num[0]), "%d", nreq);
	(void)snprintf(num[1], sizeof(num[1]), "%d", nmet);
	(void)snprintf(num[2], sizeof(num[2]), "%d", nreq - nmet);
	{
		struct tmpl_arg args[] = {
			T_TEXT("roles", roles.len > 0 ? roles.data :
			    i18n_get(w->lang, "profile.no_role")),
			T_TEXT("required", num[0]),
			T_TEXT("met", num[1]),
			T_TEXT("gaps", num[2]),
			T_RAW("chart", chart.data),
			T_RAW("rows", rows.data),
			T_RAW("empty", n == 0 ? i18n_get(w->lang,
			    "profile.empty") : ""),
		};

		(void)web_render(w, out, "profile", args, T_NARGS(args));
	}
	db_clear(res);
	db_clear(lv);
	free(labels);
	free(levels);
	free(req);
	free(got);
	buf_free(&rows);
	buf_free(&chart);
	buf_free(&roles);
	buf_free(&courses);
	buf_free(&desc);
	return (0);
}

int
page_me_competences(struct http_request *req)
{
	struct web	w;
	struct buf	main;

	if (web_begin(&w, req) == -1)
		return (KORE_RESULT_OK);
	buf_init(&main, 8192);
	buf_puts(&main, "<h1>");
	html_puts(&main, i18n_get(w.lang, "profile.title"));
	buf_puts(&main, "</h1>");
	(void)web_render(&w, &main, "placement-links", NULL, 0);
	if (profile_render(&w, w.user->id, "/me/competences/", &main) == -1) {
		buf_free(&main);
		return (web_db_error(&w));
	}
	(void)web_page(&w, 200, i18n_get(w.lang, "profile.title"), main.data);
	buf_free(&main);
	return (KORE_RESULT_OK);
}

/*
 * A level's verdict in words, and where it comes from: the rule's row
 * (columns 3, met, and 5, its source).
 */
static const char *
met_text(struct web *w, int items, struct pg_result *r, int i, char *out,
    size_t len)
{
	const char	*met;
	int		 m, placed;

	m = *db_value(r, i, 3) == 't', placed = *db_value(r, i, 5) == 'p';
	met = m ? "explain.met" : "explain.not_met";
	if (placed)
		(void)snprintf(out, len, "%s (%s)", i18n_get(w->lang, met),
		    i18n_get(w->lang, "explain.by_placement"));
	else
		xstrlcpy(out, i18n_get(w->lang, items == 0 ?
		    "explain.no_items" : met), len);
	return (out);
}

/* What a level stands on, short (NULL: answers) and long. */
static const char *
basis_short(struct web *w, const char *basis)
{
	if (strcmp(basis, "rating") == 0)
		return (i18n_get(w->lang, "profile.by_rating"));
	if (strcmp(basis, "placement") == 0)
		return (i18n_get(w->lang, "explain.by_placement"));
	return (NULL);
}

static const char *
basis_long(struct web *w, const char *basis)
{
	return (i18n_get(w->lang, strcmp(basis, "rating") == 0 ?
	    "explain.basis_rating" : strcmp(basis, "placement") == 0 ?
	    "explain.basis_placement" : "explain.basis_answers"));
}

/*
 * Why a person has the level they have in a competence: the rule, how
 * each level fares under it, the trainers' ratings, and every answer,
 * marked as counting or superseded by a later answer to the question.
 */
static int
explain(struct web *w, long long uid, const char *code, const char *back,
    const char *backlabel)
{
	struct pg_result	*comp, *res;
	struct buf		 main, levels, answers, ratings;
	char			 id[32], pct[16], met[128];
	int			 i, n;

	(void)snprintf(id, sizeof(id), "%lld", uid);
	comp = db_query(&w->db, "SELECT c.name, c.description, a.name, "
	    "coalesce(cl.level, ''), coalesce(cl.basis, ''), "
	    "coalesce(to_char(cl.computed_at, 'YYYY-MM-DD HH24:MI'), ''), "
	    "(SELECT name FROM users WHERE id = $2) FROM competences c JOIN "
	    "areas a ON a.framework_id = c.framework_id AND a.code = c.area "
	    "LEFT JOIN competence_levels cl ON cl.competence = c.code AND "
	    "cl.user_id = $2 WHERE c.code = $1", 2, code, id);
	if (comp == NULL)
		return (web_db_error(w));
	if (db_rows(comp) != 1) {
		db_clear(comp);
		return (web_error(w, 404, "error.404.competence"));
	}
	buf_init(&main, 8192);
	buf_init(&levels, 1024);
	buf_init(&answers, 4096);
	buf_init(&ratings, 1024);

	res = db_query(&w->db, "SELECT lv.name, coalesce(r.items, 0), "
	    "coalesce(r.ok, 0), coalesce(r.met, false), coalesce(r.reached, "
	    "false), coalesce(r.source, '') FROM competences c JOIN levels lv "
	    "ON lv.framework_id = c.framework_id LEFT JOIN competence_rule("
	    "ARRAY[$2::bigint]) r ON "
	    "r.competence = c.code AND r.rank = lv.rank WHERE c.code = $1 "
	    "ORDER BY lv.rank", 2, code, id);
	if (res == NULL)
		goto fail;
	n = db_rows(res);
	for (i = 0; i < n; i++) {
		int	items, ok;

		items = atoi(db_value(res, i, 1));
		ok = atoi(db_value(res, i, 2));
		if (items > 0)
			(void)snprintf(pct, sizeof(pct), "%d%%",
			    (ok * 100 + items / 2) / items);
		else
			xstrlcpy(pct, "-", sizeof(pct));
		{
			struct tmpl_arg args[] = {
				T_TEXT("level", db_value(res, i, 0)),
				T_TEXT("items", db_value(res, i, 1)),
				T_TEXT("ok", db_value(res, i, 2)),
				T_TEXT("pct", pct),
				T_TEXT("met", met_text(w, items, res, i, met,
				    sizeof(met))),
				T_TEXT("reached", i18n_get(w->lang,
				    *db_value(res, i, 4) == 't' ? "common.yes" :
				    "common.no")),
			};

			(void)web_render(w, &levels, "explain-level", args,
			    T_NARGS(args));
		}
	}
	db_clear(res);

	res = db_query(&w->db, "SELECT to_char(e.at, 'YYYY-MM-DD HH24:MI'), "
	    "e.rating_level, coalesce(e.note, ''), coalesce(u.name, '') FROM "
	    "evidence e LEFT JOIN users u ON u.id = e.rated_by WHERE "
	    "e.user_id = $1 AND e.competence = $2 AND e.source = 'rating' "
	    "ORDER BY e.at DESC, e.id DESC", 2, id, code);
	if (res == NULL)
		goto fail;
	n = db_rows(res);
	for (i = 0; i < n; i++) {
		struct tmpl_arg args[] = {
			T_TEXT("at", web_datetime(w, db_value(res, i, 0))),
			T_TEXT("level", db_value(res, i, 1)),
			T_TEXT("note", db_value(res, i, 2)),
			T_TEXT("by", db_value(res, i, 3)),
			T_TEXT("counts", i18n_get(w->lang, i == 0 ?
			    "explain.counts" : "explain.superseded")),
		};

		(void)web_render(w, &ratings, "explain-rating", args,
		    T_NARGS(args));
	}
	db_clear(res);

	res = db_query(&w->db, "SELECT to_char(e.at, 'YYYY-MM-DD HH24:MI'), "
	    "coalesce(mv.title, ''), coalesce(q.text, ''), e.level, "
	    "e.correct, row_number() OVER (PARTITION BY e.question_id ORDER "
	    "BY e.at DESC, e.id DESC) = 1, coalesce(m.slug, '') FROM "
	    "evidence e LEFT JOIN questions q ON q.id = e.question_id LEFT "
	    "JOIN module_versions mv ON mv.id = q.version_id LEFT JOIN "
	    "modules m ON m.id = mv.module_id WHERE e.user_id = $1 AND "
	    "e.competence = $2 AND e.source = 'answer' ORDER BY e.at DESC, "
	    "e.id DESC LIMIT " STRINGIFY(PROFILE_ANSWERS_MAX), 2, id, code);
	if (res == NULL)
		goto fail;
	n = db_rows(res);
	for (i = 0; i < n; i++) {
		struct tmpl_arg args[] = {
			T_TEXT("at", web_datetime(w, db_value(res, i, 0))),
			T_TEXT("module", db_value(res, i, 1)),
			T_TEXT("slug", db_value(res, i, 6)),
			T_TEXT("question", db_value(res, i, 2)),
			T_TEXT("level", db_value(res, i, 3)),
			T_TEXT("correct", i18n_get(w->lang,
			    *db_value(res, i, 4) == 't' ? "explain.right" :
			    "explain.wrong")),
			T_TEXT("counts", i18n_get(w->lang,
			    *db_value(res, i, 5) == 't' ? "explain.counts" :
			    "explain.superseded")),
		};

		(void)web_render(w, &answers, "explain-answer", args,
		    T_NARGS(args));
	}
	db_clear(res);
	{
		const char	*basis = db_value(comp, 0, 4);
		struct tmpl_arg args[] = {
			T_TEXT("back", back),
			T_TEXT("backlabel", backlabel),
			T_TEXT("person", db_value(comp, 0, 6)),
			T_TEXT("code", code),
			T_TEXT("name", db_value(comp, 0, 0)),
			T_TEXT("description", db_value(comp, 0, 1)),
			T_TEXT("area", db_value(comp, 0, 2)),
			T_TEXT("level", *db_value(comp, 0, 3) != '\0' ?
			    db_value(comp, 0, 3) : i18n_get(w->lang,
			    "profile.none")),
			T_TEXT("basis", basis_long(w, basis)),
			T_TEXT("computed", web_datetime(w, db_value(comp, 0, 5))),
			T_RAW("levels", levels.data),
			T_RAW("ratings", ratings.len > 0 ? ratings.data : ""),
			T_RAW("answers", answers.data),
			T_RAW("no_answers", n == 0 ? i18n_get(w->lang,
			    "explain.no_answers") : ""),
		};

		(void)web_render(w, &main, "explain", args, T_NARGS(args));
	}
	if (placement_explain_render(w, uid, code, &main) == -1)
		goto fail;
	db_clear(comp);
	(void)web_page(w, 200, code, main.data);
	buf_free(&main);
	buf_free(&levels);
	buf_free(&answers);
	buf_free(&ratings);
	return (KORE_RESULT_OK);
fail:
	db_clear(comp);
	buf_free(&main);
	buf_free(&levels);
	buf_free(&answers);
	buf_free(&ratings);
	return (web_db_error(w));
}

int
page_me_competence(struct http_request *req)
{
	struct web	w;

	if (web_begin(&w, req) == -1)
		return (KORE_RESULT_OK);
	if (!competence_code_valid(web_path_tail(req, "/me/competences/")))
		return (web_error(&w, 404, "error.404.competence"));
	return (explain(&w, w.user->id, web_path_tail(req,
	    "/me/competences/"), "/me/competences", i18n_get(w.lang,
	    "profile.title")));
}

/* /hr/people/N/competences/CODE, for people of the HR subtree only. */
int
page_hr_competence(struct http_request *req)
{
	struct pg_result	*res;
	struct web		 w;
	char			 id[32], back[64];
	const char		*p, *code;
	long long		 num;
	size_t			 len;

	if (web_begin(&w, req) == -1)
		return (KORE_RESULT_OK);
	p = web_path_tail(req, "/hr/people/");
	len = strcspn(p, "/");
	if (web_path_id(req, "/hr/people/", &num) == -1)
		return (web_error(&w, 400, "error.400.number"));
	if (len >= sizeof(id) || (code = strrchr(p, '/')) == NULL)
		return (web_error(&w, 404, "error.404.text"));
	memcpy(id, p, len);
	id[len] = '\0';
	code++;
	if (!competence_code_valid(code))
		return (web_error(&w, 404, "error.404.competence"));
	res = db_query(&w.db, "SELECT 1 FROM users u JOIN orgs o ON o.id = "
	    "u.org_id WHERE u.id = $1 AND o.path LIKE $2 || '%'", 2, id,
	    web_scope(&w, ROLE_HR));
	if (res == NULL)
		return (web_db_error(&w));
	len = (size_t)db_rows(res);
	db_clear(res);
	if (len != 1)
		return (web_error(&w, 404, "error.404.person"));
	(void)snprintf(back, sizeof(back), "/hr/people/%s", id);
	return (explain(&w, strtoll(id, NULL, 10), code, back,
	    i18n_get(w.lang, "hr.people")));
}

static void
level_options(struct web *w, struct buf *out, const char *selected)
{
	struct pg_result	*res;
	int			 i, n;

	res = db_query(&w->db, "SELECT l.name FROM levels l WHERE "
	    "l.framework_id = (SELECT min(id) FROM frameworks WHERE kind = "
	    "'measured') ORDER BY l.rank", 0);
	if (res == NULL)
		return;
	n = db_rows(res);
	for (i = 0; i < n; i++) {
		(void)web_option(w, out, db_value(res, i, 0),
		    db_value(res, i, 0),
		    selected != NULL &&
		    strcmp(selected, db_value(res, i, 0)) == 0);
	}
	db_clear(res);
}

/* The trainer's rating form and the last ratings they gave. */
static int
ratings_page(struct web *w, int status, const char *field, const char *error,
    const char *notice)
{
	struct pg_result	*res;
	struct buf		 main, rows, comps, levels, alert, email;
	const char		*v;
	int			 i, n;

	{
		char	by[32];

		(void)snprintf(by, sizeof(by), "%lld", w->user->id);
		res = db_query(&w->db, "SELECT to_char(e.at, 'YYYY-MM-DD "
		    "HH24:MI'), u.name, e.competence, e.rating_level, "
		    "coalesce(e.note, '') FROM evidence e JOIN users u ON u.id "
		    "= e.user_id WHERE e.source = 'rating' AND e.rated_by = $1 "
		    "ORDER BY e.at DESC, e.id DESC LIMIT "
		    STRINGIFY(RATINGS_MAX), 1, by);
	}
	if (res == NULL)
		return (web_db_error(w));
	buf_init(&main, 8192);
	buf_init(&rows, 2048);
	buf_init(&comps, 4096);
	buf_init(&levels, 256);
	buf_init(&alert, 256);
	buf_init(&email, 512);
	n = db_rows(res);
	for (i = 0; i < n; i++) {
		struct tmpl_arg args[] = {
			T_TEXT("at", web_datetime(w, db_value(res, i, 0))),
			T_TEXT("person", db_value(res, i, 1)),
			T_TEXT("code", db_value(res, i, 2)),
			T_TEXT("level", db_value(res, i, 3)),
			T_TEXT("note", db_value(res, i, 4)),
		};

		(void)web_render(w, &rows, "rating-row", args, T_NARGS(args));
	}
	db_clear(res);
	res = db_query(&w->db, "SELECT code, code || ' ' || name FROM "
	    "competences WHERE NOT retired ORDER BY position", 0);
	if (res != NULL) {
		v = web_arg(w, "competence");
		n = db_rows(res);
		for (i = 0; i < n; i++) {
			(void)web_option(w, &comps, db_value(res, i, 0),
			    db_value(res, i, 1),
			    v != NULL && strcmp(v, db_value(res, i, 0)) == 0);
		}
		db_clear(res);
	}
	level_options(w, &levels, web_arg(w, "level"));
	if (notice != NULL) {
		struct tmpl_arg args[] = {
			T_TEXT("kind", "success"),
			T_TEXT("text", i18n_get(w->lang, notice)),
		};

		(void)web_render(w, &alert, "alert", args, T_NARGS(args));
	}
	web_field(w, &email, "email", "email", "ratings.email",
	    web_arg(w, "email"), field != NULL && strcmp(field, "email") ==
	    0 ? error : NULL, " required");
	{
		struct tmpl_arg args[] = {
			T_TEXT("csrf", web_csrf(w)),
			T_RAW("alert", alert.data),
			T_RAW("email", email.data),
			T_RAW("competences", comps.data),
			T_RAW("levels", levels.data),
			T_TEXT("note", web_arg(w, "note") != NULL &&
			    status != 200 ? web_arg(w, "note") : ""),
			T_TEXT("note_error", field != NULL &&
			    strcmp(field, "note") == 0 ? i18n_get(w->lang,
			    error) : ""),
			T_RAW("note_invalid", field != NULL &&
			    strcmp(field, "note") == 0 ? " is-invalid" : ""),
			T_TEXT("error", field != NULL &&
			    strcmp(field, "other") == 0 ? i18n_get(w->lang,
			    error) : ""),
			T_RAW("rows", rows.data),
		};

		(void)web_render(w, &main, "ratings", args, T_NARGS(args));
	}
	(void)web_page(w, status, i18n_get(w->lang, "ratings.title"),
	    main.data);
	buf_free(&main);
	buf_free(&rows);
	buf_free(&comps);
	buf_free(&levels);
	buf_free(&alert);
	buf_free(&email);
	return (KORE_RESULT_OK);
}

/*
 * A trainer rates a person of their subtree in a competence, with a
 * note that says why; the rating replaces the rule for that competence
 * until a later rating.
 */
int
page_ratings(struct http_request *req)
{
	struct pg_result	*res;
	struct web		 w;
	const char		*email, *comp, *level, *note;
	char			 uid[32], by[32], details[256];

	if (web_begin(&w, req) == -1)
		return (KORE_RESULT_OK);
	if (req->method != HTTP_METHOD_POST)
		return (ratings_page(&w, 200, NULL, NULL, NULL));
	email = web_arg(&w, "email");
	comp = web_arg(&w, "competence");
	level = web_arg(&w, "level");
	note = web_arg(&w, "note");
	if (email == NULL || *email == '\0')
		return (ratings_page(&w, 400, "email", "ratings.err_email",
		    NULL));
	if (note == NULL || strspn(note, " \t\r\n") == strlen(note))
		return (ratings_page(&w, 400, "note", "ratings.err_note",
		    NULL));
	if (comp == NULL || level == NULL)
		return (ratings_page(&w, 400, "other", "ratings.err_level",
		    NULL));
	res = db_query(&w.db, "SELECT u.id FROM users u JOIN orgs o ON o.id = "
	    "u.org_id WHERE lower(u.email) = lower($1) AND u.active AND "
	    "o.path LIKE $2 || '%'", 2, email, web_scope(&w, ROLE_TRAINER));
	if (res == NULL)
		return (web_db_error(&w));
	if (db_rows(res) != 1) {
		db_clear(res);
		return (ratings_page(&w, 404, "email", "ratings.err_nobody",
		    NULL));
	}
	xstrlcpy(uid, db_value(res, 0, 0), sizeof(uid));
	db_clear(res);
	/* A rating is a trainer's judgement of somebody else (issue 18). */
	if (strtoll(uid, NULL, 10) == w.user->id)
		return (ratings_page(&w, 403, "email", "ratings.err_self",
		    NULL));
	res = db_query(&w.db, "SELECT 1 FROM competences c JOIN levels l ON "
	    "l.framework_id = c.framework_id WHERE c.code = $1 AND l.name = $2 "
	    "AND NOT c.retired", 2, comp, level);
	if (res == NULL)
		return (web_db_error(&w));
	if (db_rows(res) != 1) {
		db_clear(res);
		return (ratings_page(&w, 400, "other", "ratings.err_level",
		    NULL));
	}
	db_clear(res);
	(void)snprintf(by, sizeof(by), "%lld", w.user->id);
	(void)snprintf(details, sizeof(details), "%s %s", comp, level);
	if (db_begin(&w.db) == -1)
		return (web_db_error(&w));
	if (db_exec(&w.db, "INSERT INTO evidence (user_id, competence, level, "
	    "source, rating_level, note, rated_by) VALUES ($1, $2, $3, "
	    "'rating', $3, $4, $5)", 5, uid, comp, level, note, by) == -1 ||
	    db_exec(&w.db, "SELECT competence_recompute($1)", 1, uid) == -1 ||
	    audit_append(&w.db, w.user->email, "competence.rate", email,
	    details, w.ip) == -1 || db_commit(&w.db) == -1) {
		db_rollback(&w.db);
		return (web_db_error(&w));
	}
	return (ratings_page(&w, 200, NULL, NULL, "ratings.done"));
}
