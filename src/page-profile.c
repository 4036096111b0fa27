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

static int	explain(struct web *, long long, const char *, const char *,
		    const char *);
static void	explain_levels(struct web *, const struct explanation *,
		    struct buf *);
static void	explain_evidence(struct web *, const struct explanation *,
		    struct buf *, struct buf *);
static int	profile_pairs(struct web *, long long, struct buf *);
static void	profile_row(struct web *, const struct profile_row *,
		    const char *, struct buf *, struct buf *);
static int	ratings_page(struct web *, int, const char *, const char *,
		    const char *);
static void	options(struct web *, struct buf *, const struct choices *,
		    const char *);

/* Links to the courses listed as "slug\ttitle" lines. */
void
profile_courses_links(struct web *w, struct buf *out, const char *list)
{
	char	*copy, *line, *next, *tab;
	int	 first;

	if (*list == '\0') {
		(void)web_render(w, out, "course-none", NULL, 0);
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
		{
			struct tmpl_arg args[] = {
				T_TEXT("slug", line),
				T_TEXT("title", tab),
			};

			(void)web_render(w, out, "course-link", args,
			    T_NARGS(args));
		}
	}
	free(copy);
}

/* One competence of the profile as a table row. */
static void
profile_row(struct web *w, const struct profile_row *r, const char *link,
    struct buf *courses, struct buf *rows)
{
	struct buf	 desc;
	const char	*state, *basis;
	char		 href[128];

	buf_init(&desc, 128);
	state = r->required == 0 ? "profile.not_required" :
	    r->achieved >= r->required ? "profile.met" : "profile.gap";
	if (r->by_rating)
		basis = i18n_get(w->lang, "profile.by_rating");
	else if (r->by_placement)
		basis = i18n_get(w->lang, "explain.by_placement");
	else {
		buf_printf(&desc, "%s/%s %s", r->correct, r->items,
		    i18n_get(w->lang, "profile.right"));
		basis = desc.data;
	}
	buf_reset(courses);
	if (r->courses != NULL)
		profile_courses_links(w, courses, r->courses);
	(void)snprintf(href, sizeof(href), "%s%s", link, r->code);
	{
		struct tmpl_arg args[] = {
			T_TEXT("code", r->code),
			T_TEXT("name", r->name),
			T_TEXT("required", *r->required_name != '\0' ?
			    r->required_name : "-"),
			T_TEXT("achieved", *r->achieved_name != '\0' ?
			    r->achieved_name : i18n_get(w->lang,
			    "profile.none")),
			T_TEXT("state", i18n_get(w->lang, state)),
			T_TEXT("class", r->required > 0 &&
			    r->achieved < r->required ? "table-warning" : ""),
			T_TEXT("basis", basis),
			T_RAW("courses", courses->data),
			T_TEXT("href", href),
		};

		(void)web_render(w, rows, "profile-row", args, T_NARGS(args));
	}
	buf_free(&desc);
}

/* A level's name, or "none" for rank 0. */
static const char *
pair_level(struct web *w, const char *level)
{
	return (*level != '\0' ? level : i18n_get(w->lang, "profile.none"));
}

/*
 * The first placement test beside the latest final check, per
 * competence (nothing when the person took no test).
 */
static int
profile_pairs(struct web *w, long long uid, struct buf *out)
{
	struct placement_pair	*p;
	struct buf		 rows;
	char			 change[16];
	size_t			 i, n;
	int			 final;

	if (placement_pairs(&w->db, uid, &p, &n, NULL) == -1)
		return (-1);
	buf_init(&rows, 1024);
	for (i = 0; i < n; i++) {
		final = p[i].final_rank >= 0;
		if (!final)
			xstrlcpy(change, "-", sizeof(change));
		else if (p[i].final_rank == p[i].first_rank)
			xstrlcpy(change, "0", sizeof(change));
		else
			(void)snprintf(change, sizeof(change), "%+d",
			    p[i].final_rank - p[i].first_rank);
		{
			struct tmpl_arg args[] = {
				T_TEXT("code", p[i].code),
				T_TEXT("name", p[i].name),
				T_TEXT("first", pair_level(w,
				    p[i].first_level)),
				T_TEXT("first_at", web_date(w, p[i].first_at)),
				T_TEXT("final", final ? pair_level(w,
				    p[i].final_level) : i18n_get(w->lang,
				    "placement.no_final")),
				T_TEXT("final_at", web_date(w, p[i].final_at)),
				T_TEXT("change", change),
			};

			(void)web_render(w, &rows, "profile-placement-row",
			    args, T_NARGS(args));
		}
	}
	if (n > 0) {
		struct tmpl_arg args[] = {
			T_RAW("rows", rows.data),
		};

		(void)web_render(w, out, "profile-placement", args,
		    T_NARGS(args));
	}
	free(p);
	buf_free(&rows);
	return (0);
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
	struct profile	  p;
	struct buf	  rows, chart, courses, desc, pairs;
	const char	**labels, **levels;
	int		 *req, *got;
	char		  num[3][16];
	size_t		  i;
	int		  nreq, nmet, rc;

	if (profile_get(&w->db, uid, &p, NULL) == -1)
		return (-1);
	labels = xcalloc(p.n + 1, sizeof(*labels));
	levels = xcalloc(p.levels.n + 1, sizeof(*levels));
	req = xcalloc(p.n + 1, sizeof(*req));
	got = xcalloc(p.n + 1, sizeof(*got));
	for (i = 0; i < p.levels.n; i++)
		levels[i] = p.levels.v[i].value;
	buf_init(&rows, 4096);
	buf_init(&chart, 4096);
	buf_init(&courses, 256);
	buf_init(&desc, 256);
	buf_init(&pairs, 1024);
	nreq = nmet = 0;
	for (i = 0; i < p.n; i++) {
		labels[i] = p.v[i].code;
		req[i] = p.v[i].required;
		got[i] = p.v[i].achieved;
		if (req[i] > 0) {
			nreq++;
			if (got[i] >= req[i])
				nmet++;
		}
		profile_row(w, &p.v[i], link, &courses, &rows);
	}
	buf_printf(&desc, "%s: %d / %d", i18n_get(w->lang,
	    "profile.chart_desc"), nmet, nreq);
	if (p.n > 0)
		svg_levels(&chart, "profile-chart", i18n_get(w->lang,
		    "profile.chart"), desc.data, labels, req, got, p.n,
		    levels, p.levels.n);
	(void)snprintf(num[0], sizeof(num[0]), "%d", nreq);
	(void)snprintf(num[1], sizeof(num[1]), "%d", nmet);
	(void)snprintf(num[2], sizeof(num[2]), "%d", nreq - nmet);
	rc = profile_pairs(w, uid, &pairs);
	{
		struct tmpl_arg args[] = {
			T_TEXT("roles", *p.roles != '\0' ? p.roles :
			    i18n_get(w->lang, "profile.no_role")),
			T_TEXT("required", num[0]),
			T_TEXT("met", num[1]),
			T_TEXT("gaps", num[2]),
			T_RAW("chart", chart.data),
			T_RAW("rows", rows.data),
			T_RAW("empty", p.n == 0 ? i18n_get(w->lang,
			    "profile.empty") : ""),
			T_RAW("pairs", pairs.data),
		};

		(void)web_render(w, out, "profile", args, T_NARGS(args));
	}
	profile_free(&p);
	free(labels);
	free(levels);
	free(req);
	free(got);
	buf_free(&rows);
	buf_free(&chart);
	buf_free(&courses);
	buf_free(&desc);
	buf_free(&pairs);
	return (rc);
}

int
page_me_competences(struct http_request *req)
{
	struct fail	f;
	struct web	w;
	struct buf	main, profile;

	if (web_begin(&w, req) == -1)
		return (KORE_RESULT_OK);
	buf_init(&main, 8192);
	buf_init(&profile, 8192);
	if (profile_render(&w, w.user->id, "/me/competences/",
	    &profile) == -1) {
		(void)db_fail(&w.db, &f);
		(void)web_fail(&w, &f);
		goto out;
	}
	{
		struct tmpl_arg args[] = {
			T_RAW("profile", profile.data),
		};

		(void)web_render(&w, &main, "me-competences", args,
		    T_NARGS(args));
	}
	(void)web_page(&w, 200, i18n_get(w.lang, "profile.title"), main.data);
out:
	buf_free(&main);
	buf_free(&profile);
	return (KORE_RESULT_OK);
}

/* How each level fares under the rule, as rows. */
static void
explain_levels(struct web *w, const struct explanation *e, struct buf *out)
{
	const struct explain_level	*l;
	char				 pct[16], items[16], ok[16], met[128];
	size_t				 i;

	for (i = 0; i < e->nlevels; i++) {
		l = &e->levels[i];
		if (l->items > 0)
			(void)snprintf(pct, sizeof(pct), "%d%%",
			    (l->ok * 100 + l->items / 2) / l->items);
		else
			xstrlcpy(pct, "-", sizeof(pct));
		(void)snprintf(items, sizeof(items), "%d", l->items);
		(void)snprintf(ok, sizeof(ok), "%d", l->ok);
		if (l->placed)
			(void)snprintf(met, sizeof(met), "%s (%s)",
			    i18n_get(w->lang, l->met ? "explain.met" :
			    "explain.not_met"), i18n_get(w->lang,
			    "explain.by_placement"));
		else
			xstrlcpy(met, i18n_get(w->lang, l->items == 0 ?
			    "explain.no_items" : l->met ? "explain.met" :
			    "explain.not_met"), sizeof(met));
		{
			struct tmpl_arg args[] = {
				T_TEXT("level", l->level),
				T_TEXT("items", items),
				T_TEXT("ok", ok),
				T_TEXT("pct", pct),
				T_TEXT("met", met),
				T_TEXT("reached", i18n_get(w->lang,
				    l->reached ? "common.yes" : "common.no")),
			};

			(void)web_render(w, out, "explain-level", args,
			    T_NARGS(args));
		}
	}
}

/* The ratings (the newest counts) and the answers, as rows. */
static void
explain_evidence(struct web *w, const struct explanation *e,
    struct buf *ratings, struct buf *answers)
{
	const struct explain_answer	*a;
	size_t				 i;

	for (i = 0; i < e->nratings; i++) {
		struct tmpl_arg args[] = {
			T_TEXT("at", web_datetime(w, e->ratings[i].at)),
			T_TEXT("level", e->ratings[i].level),
			T_TEXT("note", e->ratings[i].note),
			T_TEXT("by", e->ratings[i].who),
			T_TEXT("counts", i18n_get(w->lang, i == 0 ?
			    "explain.counts" : "explain.superseded")),
		};

		(void)web_render(w, ratings, "explain-rating", args,
		    T_NARGS(args));
	}
	for (i = 0; i < e->nanswers; i++) {
		a = &e->answers[i];
		{
			struct tmpl_arg args[] = {
				T_TEXT("at", web_datetime(w, a->at)),
				T_TEXT("module", a->module),
				T_TEXT("slug", a->slug),
				T_TEXT("question", a->question),
				T_TEXT("level", a->level),
				T_TEXT("correct", i18n_get(w->lang,
				    a->correct ? "explain.right" :
				    "explain.wrong")),
				T_TEXT("counts", i18n_get(w->lang, a->counts ?
				    "explain.counts" : "explain.superseded")),
			};

			(void)web_render(w, answers, "explain-answer", args,
			    T_NARGS(args));
		}
	}
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
	struct explanation	 e;
	struct fail		 f;
	struct buf		 main, levels, answers, ratings;

	buf_init(&main, 8192);
	buf_init(&levels, 1024);
	buf_init(&answers, 4096);
	buf_init(&ratings, 1024);
	if (profile_explain(&w->db, uid, code, &e, &f) == -1) {
		(void)web_fail(w, &f);
		goto out;
	}
	explain_levels(w, &e, &levels);
	explain_evidence(w, &e, &ratings, &answers);
	{
		struct tmpl_arg args[] = {
			T_TEXT("back", back),
			T_TEXT("backlabel", backlabel),
			T_TEXT("person", e.person),
			T_TEXT("code", code),
			T_TEXT("name", e.name),
			T_TEXT("description", e.description),
			T_TEXT("area", e.area),
			T_TEXT("level", *e.level != '\0' ? e.level :
			    i18n_get(w->lang, "profile.none")),
			T_TEXT("basis", i18n_get(w->lang, e.by_rating ?
			    "explain.basis_rating" : e.by_placement ?
			    "explain.basis_placement" :
			    "explain.basis_answers")),
			T_TEXT("computed", web_datetime(w, e.computed)),
			T_RAW("levels", levels.data),
			T_RAW("ratings", ratings.data),
			T_RAW("answers", answers.data),
			T_RAW("no_answers", e.nanswers == 0 ? i18n_get(w->lang,
			    "explain.no_answers") : ""),
		};

		(void)web_render(w, &main, "explain", args, T_NARGS(args));
	}
	if (placement_explain_render(w, uid, code, &main, &f) == -1) {
		(void)web_fail(w, &f);
		goto out;
	}
	(void)web_page(w, 200, code, main.data);
out:
	explanation_free(&e);
	buf_free(&main);
	buf_free(&levels);
	buf_free(&answers);
	buf_free(&ratings);
	return (KORE_RESULT_OK);
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
	struct fail	 f;
	struct web	 w;
	char		 back[64];
	const char	*p, *code = NULL;
	long long	 num;

	if (web_begin(&w, req) == -1)
		return (KORE_RESULT_OK);
	p = web_path_tail(req, "/hr/people/");
	fail_clear(&f);
	if (web_path_id(req, "/hr/people/", &num) == -1)
		(void)fail_set(&f, FAIL_INPUT, "error.400.number", NULL);
	else if (strcspn(p, "/") >= 32 || (code = strrchr(p, '/')) == NULL)
		(void)fail_set(&f, FAIL_NOTFOUND, "error.404.text", NULL);
	else if (!competence_code_valid(++code))
		(void)fail_set(&f, FAIL_NOTFOUND, "error.404.competence",
		    NULL);
	else
		(void)account_in_scope(&w.db, num, web_scope(&w, ROLE_HR), &f);
	if (f.kind != FAIL_NONE)
		return (web_fail(&w, &f));
	(void)snprintf(back, sizeof(back), "/hr/people/%lld", num);
	return (explain(&w, num, code, back, i18n_get(w.lang, "hr.people")));
}

/* The options of a list, the one whose value is selected chosen. */
static void
options(struct web *w, struct buf *out, const struct choices *c,
    const char *selected)
{
	size_t	i;

	for (i = 0; i < c->n; i++)
		(void)web_option(w, out, c->v[i].value, c->v[i].label,
		    selected != NULL && strcmp(selected, c->v[i].value) == 0);
}

/* The trainer's rating form and the last ratings they gave. */
static int
ratings_page(struct web *w, int status, const char *field, const char *error,
    const char *notice)
{
	struct ratings	 r;
	struct choices	 comps, levels;
	struct fail	 f;
	struct buf	 main, rows, copts, lopts, alert, email;
	size_t		 i;

	memset(&comps, 0, sizeof(comps));
	memset(&levels, 0, sizeof(levels));
	buf_init(&main, 8192);
	buf_init(&rows, 2048);
	buf_init(&copts, 4096);
	buf_init(&lopts, 256);
	buf_init(&alert, 256);
	buf_init(&email, 512);
	if (ratings_given(&w->db, w->user->id, &r, &f) == -1 ||
	    profile_competences(&w->db, &comps, &f) == -1 ||
	    profile_levels(&w->db, &levels, &f) == -1) {
		(void)web_fail(w, &f);
		goto out;
	}
	for (i = 0; i < r.n; i++) {
		struct tmpl_arg args[] = {
			T_TEXT("at", web_datetime(w, r.v[i].at)),
			T_TEXT("person", r.v[i].who),
			T_TEXT("code", r.v[i].code),
			T_TEXT("level", r.v[i].level),
			T_TEXT("note", r.v[i].note),
		};

		(void)web_render(w, &rows, "rating-row", args, T_NARGS(args));
	}
	options(w, &copts, &comps, web_arg(w, "competence"));
	options(w, &lopts, &levels, web_arg(w, "level"));
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
			T_RAW("competences", copts.data),
			T_RAW("levels", lopts.data),
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
out:
	rows_release(r.res, r.v);
	choices_free(&comps);
	choices_free(&levels);
	buf_free(&main);
	buf_free(&rows);
	buf_free(&copts);
	buf_free(&lopts);
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
	struct rating_new	 r;
	struct fail		 f;
	struct web		 w;

	if (web_begin(&w, req) == -1)
		return (KORE_RESULT_OK);
	if (req->method != HTTP_METHOD_POST)
		return (ratings_page(&w, 200, NULL, NULL, NULL));
	memset(&r, 0, sizeof(r));
	r.scope = web_scope(&w, ROLE_TRAINER);
	r.email = web_arg(&w, "email");
	r.competence = web_arg(&w, "competence");
	r.level = web_arg(&w, "level");
	r.note = web_arg(&w, "note");
	r.by = w.user->id;
	r.actor = w.user->email;
	r.ip = w.ip;
	if (r.email == NULL || *r.email == '\0')
		return (ratings_page(&w, 400, "email", "ratings.err_email",
		    NULL));
	if (r.note == NULL || strspn(r.note, " \t\r\n") == strlen(r.note))
		return (ratings_page(&w, 400, "note", "ratings.err_note",
		    NULL));
	if (r.competence == NULL || r.level == NULL)
		return (ratings_page(&w, 400, "other", "ratings.err_level",
		    NULL));
	if (rating_add(&w.db, &r, &f) == 0)
		return (ratings_page(&w, 200, NULL, NULL, "ratings.done"));
	if (f.kind == FAIL_INPUT)
		return (ratings_page(&w, 400, "other", f.key, NULL));
	if (f.kind == FAIL_NOTFOUND || f.kind == FAIL_DENIED)
		return (ratings_page(&w, fail_status(&f), "email", f.key,
		    NULL));
	return (web_fail(&w, &f));
}
