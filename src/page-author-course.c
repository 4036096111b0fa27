/*
 * page-author-course.c: the trainers' course editor. A course is made
 * of published modules, the programme's or any unit's, in an order,
 * with its hours, pass mark, attempts, grading, review policy, pre/post
 * question bank and the competence levels its badge claims. The form
 * is written out as a course file (course_write) and goes through the
 * same parser and checks as a course from the repository (course_parse,
 * and the competence rule against the stored quizzes), so a course made
 * here is taught, graded and counted like a shipped one.
 *
 * A trainer edits the courses of units in the subtree of their trainer
 * role, an administrator any unit's; the programme's courses (imported
 * from courses/) are read here and changed in the repository.
 */

#include <stdlib.h>
#include <string.h>

#include "web.h"

#define COURSE_PATH	"editor"
#define COURSE_FORM_MAX	(256 * 1024)

/* What the form holds, field by field, as it came (for showing again). */
struct cform {
	const char	*slug;
	const char	*title;
	const char	*lang;
	const char	*summary;
	const char	*body;
	const char	*hours;
	const char	*pass;
	const char	*attempts;
	const char	*grading;
	const char	*review;
	const char	*assessment;
	const char	*badge_name;
	const char	*badge_description;
	const char	*badge_criteria;
	const char	*competences;
	const struct form *f;		/* m-<slug> = position */
};

static void	cform_from_course(struct cform *, const struct course *,
		    const char *, struct form *);
static char	*cform_source(const struct cform *,
		    const struct author_module *, size_t);
static int	cform_page(struct web *, int, const struct cform *,
		    const char *, struct diaglist *, const char *, int);
static void	cform_modules(struct web *, struct buf *,
		    const struct cform *, const struct author_module *,
		    size_t);
static void	cform_problems(struct web *, struct buf *, const char *,
		    struct diaglist *);
static const char *field_of_line(const char *, int);
static int	may_edit(struct web *, const struct owner *);
static const char *fv(const struct form *, const char *);
static const char *str_trim_const(const char *);

/* The first non-blank character of s (to tell an empty field). */
static const char *
str_trim_const(const char *s)
{
	while (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n')
		s++;
	return (s);
}

/* A field's value, "" when absent. */
static const char *
fv(const struct form *f, const char *name)
{
	const char	*v;

	return (f != NULL && (v = form_get(f, name)) != NULL ? v : "");
}

/* May the user edit a course its owner describes (exists or not)? */
static int
may_edit(struct web *w, const struct owner *o)
{
	const char	*scope;

	if (!o->exists)
		return (1);
	if (o->programme)
		return (0);
	if (web_has_role(w, ROLE_ADMIN))
		return (1);
	scope = web_scope(w, ROLE_TRAINER);
	return (scope != NULL && str_has_prefix(o->path, scope));
}

/*
 * A stored course as the form's values: text fields point into c and
 * body; numbers, claims and module positions are fields of mf, which
 * cf->f then points to (form_free() it).
 */
static void
cform_from_course(struct cform *cf, const struct course *c, const char *body,
    struct form *mf)
{
	struct buf	b;
	size_t		i;

	memset(cf, 0, sizeof(*cf));
	mf->f = xcalloc(c->nmodules + 5, sizeof(*mf->f));
	mf->n = 0;
#define MF_ADD(k_, v_) do {						\
	mf->f[mf->n].name = (k_);					\
	mf->f[mf->n].value = (v_);					\
	mf->n++;							\
} while (0)
	buf_init(&b, 64);
	buf_printf(&b, "%g", c->hours);
	MF_ADD(xstrdup("hours"), buf_release(&b));
	buf_init(&b, 16);
	buf_printf(&b, "%d", c->pass_percent);
	MF_ADD(xstrdup("pass"), buf_release(&b));
	buf_init(&b, 16);
	buf_printf(&b, "%d", c->attempts);
	MF_ADD(xstrdup("attempts"), buf_release(&b));
	buf_init(&b, 256);
	for (i = 0; i < c->ncompetences; i++)
		buf_printf(&b, "%s %s\n", c->competences[i].code,
		    c->competences[i].level);
	MF_ADD(xstrdup("competences"), buf_release(&b));
	for (i = 0; i < c->nmodules; i++) {
		buf_init(&b, 16);
		buf_printf(&b, "%zu", i + 1);
		{
			char	*name;

			(void)xasprintf(&name, "m-%s", c->modules[i]);
			MF_ADD(name, buf_release(&b));
		}
	}
#undef MF_ADD
	cf->f = mf;
	cf->slug = c->slug;
	cf->title = c->title;
	cf->lang = c->lang;
	cf->summary = c->summary;
	cf->body = body;
	cf->hours = fv(mf, "hours");
	cf->pass = fv(mf, "pass");
	cf->attempts = fv(mf, "attempts");
	cf->competences = fv(mf, "competences");
	cf->grading = c->grading == GRADING_LAST ? "last" : "highest";
	cf->review = course_review_name(c->review);
	cf->assessment = c->assessment != NULL ? c->assessment : "";
	cf->badge_name = c->badge_name;
	cf->badge_description = c->badge_description;
	cf->badge_criteria = c->badge_criteria;
}

/*
 * The course file the form stands for: its fields, the modules with a
 * position in the order of their positions (then by title), the
 * competence claims one per line.
 */
static char *
cform_source(const struct cform *cf, const struct author_module *mods,
    size_t nmods)
{
	struct course	 c;
	struct buf	 out;
	char		 name[SLUG_MAX + 8], *comps, *line, *next, *lvl;
	long long	*pos, p;
	size_t		 i, j, k, n;
	double		 hours;

	memset(&c, 0, sizeof(c));
	c.slug = (char *)(uintptr_t)cf->slug;
	c.title = (char *)(uintptr_t)cf->title;
	c.lang = (char *)(uintptr_t)(*cf->lang != '\0' ? cf->lang : "it");
	c.summary = (char *)(uintptr_t)cf->summary;
	c.hours = quiz_parse_number(cf->hours, &hours) == 0 ? hours : -1;
	c.pass_percent = parse_int(cf->pass, 0, 1000, &p) == 0 ? (int)p : -1;
	c.attempts = parse_int(cf->attempts, 0, 1000, &p) == 0 ? (int)p : -1;
	c.grading = strcmp(cf->grading, "last") == 0 ? GRADING_LAST :
	    GRADING_HIGHEST;
	c.review = course_review_from(cf->review) < 0 ? REVIEW_AFTER_PASS :
	    (enum review)course_review_from(cf->review);
	c.badge_name = (char *)(uintptr_t)cf->badge_name;
	c.badge_description = (char *)(uintptr_t)cf->badge_description;
	c.badge_criteria = (char *)(uintptr_t)cf->badge_criteria;
	c.assessment = (char *)(uintptr_t)cf->assessment;

	/* Modules by position. */
	pos = xcalloc(nmods + 1, sizeof(*pos));
	c.modules = xcalloc(nmods + 1, sizeof(*c.modules));
	for (i = 0, n = 0; i < nmods; i++) {
		(void)snprintf(name, sizeof(name), "m-%s", mods[i].slug);
		if (parse_int(str_trim((char *)(uintptr_t)fv(cf->f, name)), 1,
		    9999, &p) != 0)
			continue;
		for (j = n; j > 0 && pos[j - 1] > p; j--) {
			pos[j] = pos[j - 1];
			c.modules[j] = c.modules[j - 1];
		}
		pos[j] = p;
		c.modules[j] = mods[i].slug;
		n++;
	}
	c.nmodules = n;

	/* Claims: "CODE level" per line. */
	comps = xstrdup(cf->competences);
	c.competences = xcalloc(strlen(comps) / 2 + 2,
	    sizeof(*c.competences));
	for (line = comps, k = 0; line != NULL; line = next) {
		if ((next = strchr(line, '\n')) != NULL)
			*next++ = '\0';
		line = str_trim(line);
		if (*line == '\0')
			continue;
		if ((lvl = strchr(line, ' ')) != NULL)
			*lvl++ = '\0';
		c.competences[k].code = line;
		c.competences[k].level = lvl != NULL ? str_trim(lvl) : (char *)
		    (uintptr_t)"";
		k++;
	}
	c.ncompetences = k;

	buf_init(&out, 2048);
	course_write(&c, cf->body, &out);
	free(pos);
	free(c.modules);
	free(c.competences);
	free(comps);
	return (buf_release(&out));
}

/* The front matter key a line of a course file belongs to, or NULL. */
static const char *
field_of_line(const char *src, int line)
{
	static char	 key[32];
	const char	*p, *nl;
	size_t		 n;
	int		 l;

	key[0] = '\0';
	for (p = src, l = 1; *p != '\0' && l <= line; l++) {
		nl = strchr(p, '\n');
		if (l > 1 && strncmp(p, "---", 3) == 0)
			break;
		if (*p >= 'a' && *p <= 'z') {
			n = strcspn(p, ":\n");
			if (n < sizeof(key)) {
				memcpy(key, p, n);
				key[n] = '\0';
			}
		}
		if (nl == NULL)
			break;
		p = nl + 1;
	}
	return (key[0] != '\0' ? key : NULL);
}

/* The problems, each next to the name of the field it is about. */
static void
cform_problems(struct web *w, struct buf *out, const char *src,
    struct diaglist *dl)
{
	struct diag	*d;
	const char	*key;
	char		 label[64], where[128];

	TAILQ_FOREACH(d, dl, entry) {
		where[0] = '\0';
		if (d->path != NULL && str_has_prefix(d->path, "field:")) {
			/* A field left empty (course_edit_post). */
			(void)snprintf(label, sizeof(label), "cedit.f.%s",
			    d->path + 6);
			xstrlcpy(where, i18n_get(w->lang, label),
			    sizeof(where));
		} else if (d->path != NULL &&
		    strcmp(d->path, COURSE_PATH) == 0) {
			if ((key = field_of_line(src, d->line)) != NULL) {
				(void)snprintf(label, sizeof(label),
				    "cedit.f.%s", key);
				xstrlcpy(where, i18n_get(w->lang, label),
				    sizeof(where));
			}
		} else if (d->path != NULL)
			(void)snprintf(where, sizeof(where), "%s %s, %s %d",
			    i18n_get(w->lang, "author.module"), d->path,
			    i18n_get(w->lang, "author.line"), d->line);
		{
			/* On this page every problem stops publication. */
			struct tmpl_arg args[] = {
				T_TEXT("where", where),
				T_TEXT("text", str_has_prefix(d->msg, "warning: ") ?
				    d->msg + 9 : d->msg),
			};

			(void)web_render(w, out, "cedit-problem", args,
			    T_NARGS(args));
		}
	}
}

/* The table of modules, each with its position in the course (or none). */
static void
cform_modules(struct web *w, struct buf *out, const struct cform *cf,
    const struct author_module *mods, size_t n)
{
	char	name[SLUG_MAX + 8], minutes[16], nq[16];
	size_t	i;

	for (i = 0; i < n; i++) {
		if (mods[i].pool)
			continue;	/* question banks are not studied */
		(void)snprintf(name, sizeof(name), "m-%s", mods[i].slug);
		(void)snprintf(minutes, sizeof(minutes), "%d", mods[i].minutes);
		(void)snprintf(nq, sizeof(nq), "%d", mods[i].questions);
		{
			struct tmpl_arg args[] = {
				T_TEXT("name", name),
				T_TEXT("value", fv(cf->f, name)),
				T_TEXT("title", mods[i].title),
				T_TEXT("slug", mods[i].slug),
				T_TEXT("minutes", minutes),
				T_TEXT("questions", nq),
				T_TEXT("owner", mods[i].programme ? i18n_get(
				    w->lang, "author.programme") :
				    mods[i].owner),
			};

			(void)web_render(w, out, "cedit-module", args,
			    T_NARGS(args));
		}
	}
}

/*
 * The editor page: the form with what was given, the problems found
 * (dl), a notice; editable 0 shows it without any action.
 */
static int
cform_page(struct web *w, int status, const struct cform *cf, const char *src,
    struct diaglist *dl, const char *notice, int editable)
{
	struct author_module	*mods;
	struct buf		 rows, pools, problems, alert, actions;
	struct fail		 f;
	size_t			 n, i;

	if (author_modules(&w->db, &mods, &n, &f) == -1)
		return (web_fail(w, &f));
	buf_init(&rows, 8192);
	buf_init(&pools, 2048);
	buf_init(&problems, 1024);
	buf_init(&alert, 256);
	buf_init(&actions, 256);
	cform_modules(w, &rows, cf, mods, n);
	(void)web_option(w, &pools, "", i18n_get(w->lang, "cedit.no_pool"),
	    *cf->assessment == '\0');
	for (i = 0; i < n; i++) {
		if (mods[i].questions > 0)
			(void)web_option(w, &pools, mods[i].slug,
			    mods[i].title, strcmp(cf->assessment,
			    mods[i].slug) == 0);
	}
	if (dl != NULL && diag_count(dl) > 0) {
		struct buf	items;
		char		count[16];

		buf_init(&items, 1024);
		cform_problems(w, &items, src, dl);
		(void)snprintf(count, sizeof(count), "%zu", diag_count(dl));
		{
			struct tmpl_arg args[] = {
				T_TEXT("count", count),
				T_RAW("items", items.data),
			};

			(void)web_render(w, &problems, "cedit-problems", args,
			    T_NARGS(args));
		}
		buf_free(&items);
	}
	author_notice(w, &alert, status, editable, notice);
	if (editable)
		(void)web_render(w, &actions, "cedit-actions", NULL, 0);
	{
		struct buf	 gr, rv;
		const char	*rnames[] = { "after-pass",
				    "after-last-attempt", "always", "never" };

		buf_init(&gr, 256);
		buf_init(&rv, 512);
		(void)web_option(w, &gr, "highest", i18n_get(w->lang,
		    "learn.grading_highest"), strcmp(cf->grading, "last") != 0);
		(void)web_option(w, &gr, "last", i18n_get(w->lang,
		    "learn.grading_last"), strcmp(cf->grading, "last") == 0);
		for (i = 0; i < 4; i++) {
			char	key[48];

			(void)snprintf(key, sizeof(key), "cedit.review.%s",
			    rnames[i]);
			(void)web_option(w, &rv, rnames[i], i18n_get(w->lang,
			    key), strcmp(cf->review, rnames[i]) == 0);
		}
		{
			struct tmpl_arg args[] = {
				T_TEXT("heading", *cf->slug != '\0' ? cf->title :
				    i18n_get(w->lang, "cedit.new")),
				T_TEXT("csrf", web_csrf(w)),
				T_RAW("alert", alert.data),
				T_RAW("problems", problems.data),
				T_RAW("disabled", editable ? "" :
				    " disabled"),
				T_TEXT("slug", cf->slug),
				T_TEXT("title", cf->title),
				T_RAW("lang_it", strcmp(cf->lang, "en") != 0 ?
				    " selected" : ""),
				T_RAW("lang_en", strcmp(cf->lang, "en") == 0 ?
				    " selected" : ""),
				T_TEXT("summary", cf->summary),
				T_TEXT("body", cf->body),
				T_RAW("modules", rows.data),
				T_TEXT("hours", cf->hours),
				T_TEXT("pass", cf->pass),
				T_TEXT("attempts", cf->attempts),
				T_RAW("grading", gr.data),
				T_RAW("review", rv.data),
				T_RAW("pools", pools.data),
				T_TEXT("badge_name", cf->badge_name),
				T_TEXT("badge_description",
				    cf->badge_description),
				T_TEXT("badge_criteria", cf->badge_criteria),
				T_TEXT("competences", cf->competences),
				T_RAW("actions", actions.data),
			};

			http_response_header(w->req, "cache-control",
			    "no-store");
			(void)web_show(w, status, "cedit.title", "cedit", args,
			    T_NARGS(args));
		}
		buf_free(&gr);
		buf_free(&rv);
	}
	author_modules_free(mods, n);
	buf_free(&rows);
	buf_free(&pools);
	buf_free(&problems);
	buf_free(&alert);
	buf_free(&actions);
	return (KORE_RESULT_OK);
}

/* The courses: the user's to edit first, the others to read. */
int
page_author_courses(struct http_request *req)
{
	struct author_course	*cs;
	struct fail		 f;
	struct web		 w;
	struct buf		 rows;
	char			 nm[16];
	size_t			 i, n;

	if (web_begin(&w, req) == -1)
		return (KORE_RESULT_OK);
	if (author_courses(&w.db, web_scope(&w, ROLE_TRAINER),
	    web_has_role(&w, ROLE_ADMIN), &cs, &n, &f) == -1)
		return (web_fail(&w, &f));
	buf_init(&rows, 8192);
	for (i = 0; i < n; i++) {
		(void)snprintf(nm, sizeof(nm), "%d", cs[i].modules);
		{
			struct tmpl_arg args[] = {
				T_TEXT("slug", cs[i].slug),
				T_TEXT("title", cs[i].title),
				T_TEXT("modules", nm),
				T_TEXT("owner", cs[i].programme ? i18n_get(w.lang,
				    "author.programme") : cs[i].owner),
				T_TEXT("action", i18n_get(w.lang,
				    cs[i].editable ? "author.edit" :
				    "author.view")),
			};

			(void)web_render(&w, &rows, "cedit-row", args,
			    T_NARGS(args));
		}
	}
	author_courses_free(cs, n);
	{
		struct tmpl_arg args[] = {
			T_RAW("rows", rows.data),
		};

		(void)web_show(&w, 200, "cedit.list_title", "cedit-list", args,
		    T_NARGS(args));
	}
	buf_free(&rows);
	return (KORE_RESULT_OK);
}

/* GET: a course (or a new one) in the form. */
static int
course_edit_get(struct web *w)
{
	struct diaglist	 dl;
	struct course	*c;
	struct owner	 o;
	struct cform	 cf;
	struct form	 mf;
	struct fail	 f;
	const char	*slug, *body;
	char		*src;
	int		 rc;

	slug = web_arg(w, "slug");
	memset(&cf, 0, sizeof(cf));
	if (slug == NULL) {
		cf.slug = cf.title = cf.summary = cf.body = "";
		cf.lang = "it";
		cf.hours = "1";
		cf.pass = "70";
		cf.attempts = "3";
		cf.grading = "highest";
		cf.review = "after-pass";
		cf.assessment = cf.badge_name = cf.badge_description = "";
		cf.badge_criteria = cf.competences = "";
		cf.f = NULL;
		return (cform_page(w, 200, &cf, "", NULL, NULL, 1));
	}
	if (author_owner(&w->db, 1, slug, &o, &f) == -1)
		return (web_fail(w, &f));
	if (!o.exists)
		return (web_error(w, 404, "error.404.course"));
	if (author_course_source(&w->db, slug, &src, &f) == -1)
		return (web_fail(w, &f));
	diag_init(&dl);
	c = course_parse(COURSE_PATH, src, strlen(src), &dl);
	diag_free(&dl);
	if (c == NULL) {
		free(src);
		return (web_error(w, 500, "error.500.text"));
	}
	/* The description: what follows the front matter. */
	body = strstr(src + 3, "\n---\n");
	body = body != NULL ? body + 5 : "";
	while (*body == '\n')
		body++;
	cform_from_course(&cf, c, body, &mf);
	rc = cform_page(w, 200, &cf, src, NULL, may_edit(w, &o) ? NULL :
	    o.programme ? "cedit.programme" : "cedit.read_only",
	    may_edit(w, &o));
	form_free(&mf);
	course_free(c);
	free(src);
	return (rc);
}

/* POST: check (preview) or publish what the form holds. */
static int
course_edit_post(struct web *w, const struct form *f)
{
	struct author_module	*mods;
	struct diaglist		 dl;
	struct course		*c;
	struct owner		 o;
	struct cform		 cf;
	struct fail		 fl;
	const char		*action, *csrf;
	char			*src, subject[SLUG_MAX + 16];
	size_t			 n;
	int			 rc, problems;

	csrf = form_get(f, "csrf");
	if (csrf == NULL || !auth_equal(csrf, w->user->csrf))
		return (web_error(w, 403, "error.403.csrf"));
	memset(&cf, 0, sizeof(cf));
	cf.f = f;
	cf.slug = fv(f, "slug");
	cf.title = fv(f, "title");
	cf.lang = fv(f, "lang");
	cf.summary = fv(f, "summary");
	cf.body = fv(f, "body");
	cf.hours = fv(f, "hours");
	cf.pass = fv(f, "pass");
	cf.attempts = fv(f, "attempts");
	cf.grading = fv(f, "grading");
	cf.review = fv(f, "review");
	cf.assessment = fv(f, "assessment");
	cf.badge_name = fv(f, "badge_name");
	cf.badge_description = fv(f, "badge_description");
	cf.badge_criteria = fv(f, "badge_criteria");
	cf.competences = fv(f, "competences");
	action = fv(f, "action");

	if (!slug_valid(cf.slug))
		return (cform_page(w, 400, &cf, "", NULL, "cedit.err_slug", 1));
	if (author_owner(&w->db, 1, cf.slug, &o, &fl) == -1)
		return (web_fail(w, &fl));
	/* A programme's slug, or another unit's: refused, nothing lost. */
	if (!may_edit(w, &o))
		return (cform_page(w, o.programme ? 409 : 403, &cf, "", NULL,
		    o.programme ? "cedit.programme_slug" : "cedit.not_yours",
		    1));
	if (author_modules(&w->db, &mods, &n, &fl) == -1)
		return (web_fail(w, &fl));
	src = cform_source(&cf, mods, n);
	author_modules_free(mods, n);
	diag_init(&dl);
	c = NULL;
	/* Fields left empty first, each said by its name. */
	if (*str_trim_const(cf.title) == '\0')
		diag_add(&dl, "field:title", 0, "%s", i18n_get(w->lang,
		    "cedit.required"));
	if (*str_trim_const(cf.summary) == '\0')
		diag_add(&dl, "field:summary", 0, "%s", i18n_get(w->lang,
		    "cedit.required"));
	if ((problems = (int)diag_count(&dl)) > 0)
		;
	else if ((c = course_parse(COURSE_PATH, src, strlen(src),
	    &dl)) == NULL)
		problems = (int)diag_count(&dl);
	else if ((problems = author_check_course(&w->db, c, &dl,
	    &fl)) == -1) {
		rc = web_fail(w, &fl);
		goto out;
	}
	if (problems > 0 || strcmp(action, "publish") != 0) {
		rc = cform_page(w, problems > 0 ? 400 : 200, &cf, src, &dl,
		    problems > 0 ? "cedit.has_problems" : "cedit.checked", 1);
		goto out;
	}
	c->owner_org_id = web_scope_org(w, ROLE_TRAINER);
	if (c->owner_org_id == 0)
		c->owner_org_id = w->user->org_id;
	c->author_id = w->user->id;
	if (author_course_publish(&w->db, c, w->user->email, w->ip, &dl,
	    &fl) == -1) {
		rc = fl.kind == FAIL_CONFLICT ? cform_page(w, 409, &cf, src, &dl,
		    fl.key, 1) : web_fail(w, &fl);
		goto out;
	}
	(void)snprintf(subject, sizeof(subject), "/courses/%s", c->slug);
	rc = web_redirect(w, subject);
out:
	course_free(c);
	diag_free(&dl);
	free(src);
	return (rc);
}

int
page_author_course(struct http_request *req)
{
	struct web	 w;
	struct form	 f;
	int		 rc;

	if (web_begin(&w, req) == -1)
		return (KORE_RESULT_OK);
	if (web_db(&w) == -1)
		return (web_db_error(&w));
	if (req->method != HTTP_METHOD_POST)
		return (course_edit_get(&w));
	if (web_read_form(req, COURSE_FORM_MAX, &f) == -1)
		return (web_error(&w, 400, "cedit.bad_form"));
	rc = course_edit_post(&w, &f);
	form_free(&f);
	return (rc);
}
