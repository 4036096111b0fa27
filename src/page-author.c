/*
 * page-author.c: the trainers' web editor. Trainers list modules, write
 * Markdown in the browser with a server-side preview from the same
 * renderer as the import, save drafts, publish (a new immutable
 * version), compare two versions and download any version as a .md file
 * that imports back to the very same version.
 *
 * A trainer edits the modules owned by a unit in the subtree of their
 * trainer role; the programme's modules kept in git (no owner) are edited
 * in git, or here by an administrator.
 */

#include <stdlib.h>
#include <string.h>

#include "web.h"

#define EDITOR_PATH	"editor"


static const char	new_module[] =
    "---\n"
    "title: \n"
    "slug: \n"
    "lang: it\n"
    "minutes: 30\n"
    "summary: \n"
    "competences:\n"
    "  - \n"
    "---\n"
    "\n"
    "Testo del modulo.\n"
    "\n"
    "```quiz\n"
    "? Domanda\n"
    "competenza: CODICE base\n"
    "( ) risposta sbagliata\n"
    "(x) risposta giusta\n"
    "```\n";

static int	can_edit(struct web *, const char *, long long *,
		    struct fail *);
static char	*normalise_source(const char *);
static char	*slug_of(const char *);
static void	render_quiz(struct web *, struct buf *, const struct quiz *);
static void	render_listing(struct web *, struct buf *, const char *,
		    struct diaglist *);
static int	editor_versions(struct web *, struct buf *, const char *,
		    struct fail *);
static void	editor_preview(struct web *, struct buf *, const char *,
		    struct module *, struct diaglist *);
static int	editor(struct web *, int, const char *, const char *,
		    struct module *, struct diaglist *, const char *, int);
static void	author_rows(struct web *, struct buf *,
		    const struct author_entries *);
static void	diff_rows(struct web *, struct buf *, const struct diff *);
static int	author_edit_get(struct web *);
static int	author_publish_web(struct web *, struct module *, long long,
		    const char *, struct diaglist *);

/* Function validator for the editor's text: size and UTF-8. */
int
v_markdown(struct http_request *req, const void *data)
{
	size_t	len;

	len = strlen(data);
	if (len > SOURCE_MAX)
		return (KORE_RESULT_ERROR);
	return (utf8_valid(data, len) ? KORE_RESULT_OK : KORE_RESULT_ERROR);
}

/*
 * May the user edit the module (or draft) with this slug? *owner gets
 * the unit to give a new module: the trainer role's, or the user's own
 * (an administrator's). EDIT_YES, EDIT_OTHER (another unit's module or
 * draft), EDIT_PROGRAMME (the programme's, kept in the repository: no
 * one edits it here, issue 18), or -1 with f filled.
 */
#define EDIT_YES		1
#define EDIT_OTHER		0
#define EDIT_PROGRAMME		2

static int
can_edit(struct web *w, const char *slug, long long *owner, struct fail *f)
{
	struct owner	 o;
	const char	*scope;
	int		 admin;

	if ((*owner = web_scope_org(w, ROLE_TRAINER)) == 0)
		*owner = w->user->org_id;
	if (author_owner(&w->db, 0, slug, &o, f) == -1)
		return (-1);
	if (o.exists && o.programme)
		return (EDIT_PROGRAMME);
	admin = web_has_role(w, ROLE_ADMIN);
	scope = web_scope(w, ROLE_TRAINER);
	if (!admin && o.exists && (scope == NULL ||
	    !str_has_prefix(o.path, scope)))
		return (EDIT_OTHER);
	if (!admin && o.draft && (scope == NULL ||
	    !str_has_prefix(o.draft_path, scope)))
		return (EDIT_OTHER);
	return (EDIT_YES);
}

/* Browsers send textarea lines with CRLF: store them as LF. */
static char *
normalise_source(const char *in)
{
	struct buf	b;
	const char	*p;

	buf_init(&b, strlen(in) + 1);
	for (p = in; *p != '\0'; p++) {
		if (*p == '\r' && p[1] == '\n')
			continue;
		buf_putc(&b, *p);
	}
	return (buf_release(&b));
}

/* The slug in a source's front matter, even when the rest is wrong. */
static char *
slug_of(const char *src)
{
	struct frontmatter	 fm;
	struct diaglist		 dl;
	const char		*v;
	char			*slug;

	diag_init(&dl);
	(void)fm_parse(EDITOR_PATH, src, strlen(src), &fm, &dl);
	v = fm_str(&fm, "slug");
	slug = v != NULL && slug_valid(v) ? xstrdup(v) : NULL;
	fm_free(&fm);
	diag_free(&dl);
	return (slug);
}

/* The quiz as the trainer sees it: right answers and feedback shown. */
static void
render_quiz(struct web *w, struct buf *out, const struct quiz *quiz)
{
	const struct quiz_question	*q;
	struct buf			 opts;
	char				 pts[32], *text, *fb;
	size_t				 i, j;

	buf_init(&opts, 1024);
	for (i = 0; i < quiz->nq; i++) {
		q = &quiz->q[i];
		buf_reset(&opts);
		for (j = 0; j < q->nopts; j++) {
			text = md_render_inline(q->opts[j].text);
			fb = md_render_inline(q->opts[j].feedback != NULL ?
			    q->opts[j].feedback : "");
			{
				struct tmpl_arg args[] = {
					T_TEXT("mark", q->opts[j].correct ?
					    "\xe2\x9c\x93" : "\xe2\x80\x94"),
					T_TEXT("kind", q->opts[j].correct ?
					    "right" : "wrong"),
					T_RAW("text", text),
					T_RAW("feedback", fb),
				};

				(void)web_render(w, &opts, "author-option",
				    args, T_NARGS(args));
			}
			free(text);
			free(fb);
		}
		(void)snprintf(pts, sizeof(pts), "%d", q->points);
		text = md_render_inline(q->text);
		{
			char	key[32];

			(void)snprintf(key, sizeof(key), "qtype.%s",
			    quiz_type_name(q->type));
			{
				struct tmpl_arg args[] = {
					T_RAW("text", text),
					T_TEXT("type", i18n_get(w->lang, key)),
					T_TEXT("competence", q->competence),
					T_TEXT("level", q->level),
					T_TEXT("points", pts),
					T_RAW("options", opts.data),
				};

				(void)web_render(w, out, "author-question",
				    args, T_NARGS(args));
			}
		}
		free(text);
	}
	buf_free(&opts);
}

/* The source with line numbers and each error right under its line. */
static void
render_listing(struct web *w, struct buf *out, const char *src,
    struct diaglist *dl)
{
	struct diag	*d;
	struct buf	 notes;
	const char	*p, *nl;
	char		 num[16], id[24];
	int		 line;

	buf_init(&notes, 256);
	line = 0;
	for (p = src; *p != '\0'; p = nl + 1) {
		line++;
		nl = strchr(p, '\n');
		buf_reset(&notes);
		TAILQ_FOREACH(d, dl, entry) {
			if (d->line != line)
				continue;
			{
				struct tmpl_arg args[] = {
					T_TEXT("text", d->msg),
				};

				(void)web_render(w, &notes, "author-note",
				    args, T_NARGS(args));
			}
		}
		(void)snprintf(num, sizeof(num), "%d", line);
		(void)snprintf(id, sizeof(id), "L%d", line);
		{
			char	*text = xstrndup(p, nl != NULL ?
			    (size_t)(nl - p) : strlen(p));
			struct tmpl_arg args[] = {
				T_TEXT("id", id),
				T_TEXT("num", num),
				T_TEXT("text", text),
				T_TEXT("state", notes.len > 0 ? "error" : "ok"),
				T_RAW("notes", notes.data),
			};

			(void)web_render(w, out, "author-line", args,
			    T_NARGS(args));
			free(text);
		}
		if (nl == NULL)
			break;
	}
	buf_free(&notes);
}

/* The versions of module slug, each with a link to compare it. */
static int
editor_versions(struct web *w, struct buf *out, const char *slug,
    struct fail *f)
{
	struct author_versions		 vs;
	const struct author_version	*v;
	struct buf			 cmp;
	char				 sha[16], no[16], prev[16];
	size_t				 i;

	if (author_versions(&w->db, slug, &vs, f) == -1)
		return (-1);
	buf_init(&cmp, 256);
	for (i = 0; i < vs.n; i++) {
		v = &vs.rows[i];
		(void)snprintf(sha, sizeof(sha), "%.12s", v->sha256);
		(void)snprintf(no, sizeof(no), "%d", v->no);
		(void)snprintf(prev, sizeof(prev), "%d", v->no - 1);
		buf_reset(&cmp);
		if (v->no > 1) {
			struct tmpl_arg args[] = {
				T_TEXT("slug", slug),
				T_TEXT("no", no),
				T_TEXT("prev", prev),
			};

			(void)web_render(w, &cmp, "author-compare",
			    args, T_NARGS(args));
		}
		{
			struct tmpl_arg args[] = {
				T_TEXT("slug", slug),
				T_TEXT("no", no),
				T_RAW("compare", cmp.data),
				T_TEXT("at", web_datetime(w, v->at)),
				T_TEXT("sha", sha),
				T_TEXT("origin", i18n_get(w->lang, v->web ?
				    "author.origin_web" :
				    "author.origin_import")),
				T_TEXT("author", v->author),
				T_TEXT("current", v->current ?
				    i18n_get(w->lang, "author.current") : ""),
			};

			(void)web_render(w, out, "author-version", args,
			    T_NARGS(args));
		}
	}
	buf_free(&cmp);
	author_versions_free(&vs);
	return (0);
}

/* A preview's errors next to their lines, or the rendered module. */
static void
editor_preview(struct web *w, struct buf *preview, const char *source,
    struct module *m, struct diaglist *dl)
{
	struct buf	 errors, listing, quiz;
	struct diag	*d;
	char		 where[32], href[32];

	buf_init(&errors, 1024);
	buf_init(&listing, 16384);
	buf_init(&quiz, 4096);
	if (dl != NULL && diag_count(dl) > 0) {
		TAILQ_FOREACH(d, dl, entry) {
			(void)snprintf(where, sizeof(where), "%d", d->line);
			(void)snprintf(href, sizeof(href), "#L%d", d->line);
			{
				struct tmpl_arg args[] = {
					T_TEXT("href", href),
					T_TEXT("line", where),
					T_TEXT("text", d->msg),
				};

				(void)web_render(w, &errors, "author-error",
				    args, T_NARGS(args));
			}
		}
		render_listing(w, &listing, source, dl);
		{
			struct tmpl_arg args[] = {
				T_RAW("errors", errors.data),
				T_RAW("listing", listing.data),
			};

			(void)web_render(w, preview, "author-errors", args,
			    T_NARGS(args));
		}
	} else if (m != NULL) {
		render_quiz(w, &quiz, &m->quiz);
		{
			struct tmpl_arg args[] = {
				T_TEXT("title", m->title),
				T_TEXT("lang", m->lang),
				T_TEXT("summary", m->summary),
				T_RAW("body", m->html),
				T_RAW("quiz", quiz.data),
			};

			(void)web_render(w, preview, "author-preview", args,
			    T_NARGS(args));
		}
	}
	buf_free(&errors);
	buf_free(&listing);
	buf_free(&quiz);
}

/*
 * The notice above an editor (module or course): red for a refusal,
 * green when saved, blue for a read-only text. Nothing without one.
 */
void
author_notice(struct web *w, struct buf *out, int status, int editable,
    const char *notice)
{
	if (notice != NULL) {
		struct tmpl_arg args[] = {
			T_TEXT("kind", status >= 400 ? "danger" : editable ?
			    "success" : "info"),
			T_TEXT("text", i18n_get(w->lang, notice)),
		};

		(void)web_render(w, out, "alert", args, T_NARGS(args));
	}
}

/*
 * The editor page. m and dl, when given, are the result of a preview:
 * the rendered module, or the errors next to their lines.
 */
static int
editor(struct web *w, int status, const char *slug, const char *source,
    struct module *m, struct diaglist *dl, const char *notice, int editable)
{
	struct fail	f;
	struct buf	versions, preview, alert, actions;
	int		rc;

	buf_init(&versions, 2048);
	buf_init(&preview, 16384);
	buf_init(&alert, 256);
	buf_init(&actions, 256);
	if (slug != NULL && editor_versions(w, &versions, slug, &f) == -1) {
		rc = web_fail(w, &f);
		goto out;
	}
	editor_preview(w, &preview, source, m, dl);
	/*
	 * A read-only module is read, with no action that would end in a
	 * refusal (issue 18: the buttons of a read-only module led to a
	 * 403, under a green notice, and the edit was lost).
	 */
	author_notice(w, &alert, status, editable, notice);
	if (editable || slug == NULL) {
		struct tmpl_arg args[] = {
			T_TEXT("source", source),
			T_TEXT("csrf", web_csrf(w)),
		};

		(void)web_render(w, &actions, "author-form", args,
		    T_NARGS(args));
	} else {
		struct tmpl_arg args[] = {
			T_TEXT("source", source),
			T_TEXT("slug", slug),
		};

		(void)web_render(w, &actions, "author-read-only", args,
		    T_NARGS(args));
	}
	{
		struct tmpl_arg args[] = {
			T_TEXT("heading", slug != NULL ? slug :
			    i18n_get(w->lang, "author.new")),
			T_RAW("alert", alert.data),
			T_RAW("editor", actions.data),
			T_RAW("preview", preview.data),
			T_RAW("versions", versions.data),
		};

		rc = web_show(w, status, "author.title", "author-edit", args,
		    T_NARGS(args));
	}
out:
	buf_free(&versions);
	buf_free(&preview);
	buf_free(&alert);
	buf_free(&actions);
	return (rc);
}

/* The editor's list of modules and drafts, one row each. */
static void
author_rows(struct web *w, struct buf *rows, const struct author_entries *l)
{
	const struct author_entry	*e;
	size_t				 i;

	for (i = 0; i < l->n; i++) {
		e = &l->rows[i];
		{
			struct tmpl_arg args[] = {
				T_TEXT("slug", e->slug),
				T_TEXT("title", e->title),
				T_TEXT("version", e->version),
				T_TEXT("owner", *e->owner == '\0' ?
				    i18n_get(w->lang, "author.programme") :
				    e->owner),
				T_TEXT("draft", e->draft ? i18n_get(w->lang,
				    "author.has_draft") : ""),
				T_TEXT("action", i18n_get(w->lang,
				    e->editable ? "author.edit" :
				    "author.view")),
			};

			(void)web_render(w, rows, "author-row", args,
			    T_NARGS(args));
		}
	}
}

int
page_author(struct http_request *req)
{
	struct author_entries	 list;
	struct fail		 f;
	struct web		 w;
	struct buf		 rows;
	int			 rc;

	if (web_begin(&w, req) == -1)
		return (KORE_RESULT_OK);
	buf_init(&rows, 8192);
	/*
	 * Published modules, and the drafts of units in the trainer's
	 * subtree only (issue 18: other agencies' unpublished drafts were
	 * listed); the programme's modules are edited in the repository.
	 */
	if (author_list(&w.db, web_scope(&w, ROLE_TRAINER),
	    web_has_role(&w, ROLE_ADMIN), &list, &f) == -1) {
		rc = web_fail(&w, &f);
		goto out;
	}
	author_rows(&w, &rows, &list);
	author_list_free(&list);
	{
		struct tmpl_arg args[] = {
			T_RAW("rows", rows.data),
		};

		rc = web_show(&w, 200, "author.title", "author", args,
		    T_NARGS(args));
	}
out:
	buf_free(&rows);
	return (rc);
}

/*
 * GET: the editor with a module's text. Another unit's published module
 * is shown to read; another unit's draft does not exist for this user
 * (issue 18: trainers read other agencies' unpublished drafts); the
 * programme's modules are read here and changed in the repository.
 */
static int
author_edit_get(struct web *w)
{
	struct fail	 f;
	const char	*slug;
	char		*src;
	long long	 owner;
	int		 ok, rc;

	if ((slug = web_arg(w, "slug")) == NULL)
		return (editor(w, 200, NULL, new_module, NULL, NULL, NULL, 1));
	if ((ok = can_edit(w, slug, &owner, &f)) == -1)
		return (web_fail(w, &f));
	if (author_module_source(&w->db, slug, ok == EDIT_YES, &src,
	    &f) == -1)
		return (web_fail(w, &f));
	rc = editor(w, 200, slug, src, NULL, NULL, ok == EDIT_YES ? NULL :
	    ok == EDIT_PROGRAMME ? "author.programme_module" :
	    "author.read_only", ok == EDIT_YES);
	free(src);
	return (rc);
}

/*
 * Publish a checked module and go to it. Refused (a slug the programme
 * holds): said in the editor, and nothing lost.
 */
static int
author_publish_web(struct web *w, struct module *m, long long owner,
    const char *src, struct diaglist *dl)
{
	struct fail	f;
	char		loc[128];

	m->author_id = w->user->id;
	m->owner_org_id = owner;
	if (author_publish(&w->db, m, w->user->email, w->ip, dl, &f) == -1)
		return (f.kind == FAIL_CONFLICT ? editor(w, 409, m->slug, src,
		    NULL, dl, f.key, 1) : web_fail(w, &f));
	(void)snprintf(loc, sizeof(loc), "/modules/%s", m->slug);
	return (web_redirect(w, loc));
}

int
page_author_edit(struct http_request *req)
{
	struct diaglist		 dl;
	struct module		*m;
	struct fail		 f;
	struct web		 w;
	const char		*action, *in;
	char			*src, *s;
	long long		 owner;
	int			 ok, rc;

	if (web_begin(&w, req) == -1)
		return (KORE_RESULT_OK);
	if (web_db(&w) == -1)
		return (web_db_error(&w));
	if (req->method != HTTP_METHOD_POST)
		return (author_edit_get(&w));

	action = web_arg(&w, "action");
	in = web_arg(&w, "source");
	if (in == NULL || action == NULL)
		return (editor(&w, 400, NULL, in != NULL ? in : "", NULL,
		    NULL, "author.err_source", 1));
	src = normalise_source(in);
	m = NULL;
	diag_init(&dl);
	if ((s = slug_of(src)) == NULL) {
		rc = editor(&w, 400, NULL, src, NULL, NULL, "author.err_slug",
		    1);
		goto out;
	}
	if ((ok = can_edit(&w, s, &owner, &f)) == -1) {
		rc = web_fail(&w, &f);
		goto out;
	}
	/* Refused, with the text kept in the editor: nothing is lost. */
	if (ok != EDIT_YES) {
		rc = editor(&w, ok == EDIT_PROGRAMME ? 409 : 403, NULL, src,
		    NULL, NULL, ok == EDIT_PROGRAMME ? "author.programme_slug" :
		    "author.not_yours", 1);
		goto out;
	}
	if (strcmp(action, "save") == 0) {
		if (author_save_draft(&w.db, s, owner, w.user->id, src,
		    &f) == -1)
			rc = web_fail(&w, &f);
		else
			rc = editor(&w, 200, s, src, NULL, NULL,
			    "author.saved", 1);
		goto out;
	}
	/* preview and publish both parse and check the whole module. */
	m = module_parse(EDITOR_PATH, src, strlen(src), &dl);
	if (m != NULL && store_check_module(&w.db, m, &dl) > 0) {
		module_free(m);
		m = NULL;
	}
	if (m == NULL)
		rc = editor(&w, 400, s, src, NULL, &dl, "author.has_errors", 1);
	else if (strcmp(action, "preview") == 0)
		rc = editor(&w, 200, s, src, m, NULL, NULL, 1);
	else
		rc = author_publish_web(&w, m, owner, src, &dl);
out:
	module_free(m);
	diag_free(&dl);
	free(src);
	free(s);
	return (rc);
}

/* The rows of a diff, one template row a line. */
static void
diff_rows(struct web *w, struct buf *rows, const struct diff *d)
{
	char	o[16], n[16];
	size_t	i;

	for (i = 0; i < d->n; i++) {
		(void)snprintf(o, sizeof(o), "%d", d->lines[i].old_no);
		(void)snprintf(n, sizeof(n), "%d", d->lines[i].new_no);
		{
			struct tmpl_arg args[] = {
				T_TEXT("kind", d->lines[i].op == DIFF_ADD ?
				    "add" : d->lines[i].op == DIFF_DEL ? "del" :
				    "same"),
				T_TEXT("sign", d->lines[i].op == DIFF_ADD ? "+" :
				    d->lines[i].op == DIFF_DEL ? "\xe2\x88\x92" :
				    ""),
				T_TEXT("old", d->lines[i].old_no ? o : ""),
				T_TEXT("new", d->lines[i].new_no ? n : ""),
				T_TEXT("text", d->lines[i].text),
			};

			(void)web_render(w, rows, "author-diff-row", args,
			    T_NARGS(args));
		}
	}
}

/* Two versions side by side, line by line. */
int
page_author_diff(struct http_request *req)
{
	struct diff	 d;
	struct fail	 f;
	struct web	 w;
	struct buf	 rows;
	const char	*slug, *from, *to;
	char		*a, *b, added[16], removed[16];
	long long	 n1;
	int		 rc;

	if (web_begin(&w, req) == -1)
		return (KORE_RESULT_OK);
	slug = web_arg(&w, "slug");
	from = web_arg(&w, "from");
	to = web_arg(&w, "to");
	if (slug == NULL || from == NULL || to == NULL ||
	    web_arg_num(&w, "from", 1, INT32_MAX, &n1) != 1 ||
	    web_arg_num(&w, "to", 1, INT32_MAX, &n1) != 1)
		return (web_error(&w, 400, "author.err_versions"));
	a = b = NULL;
	buf_init(&rows, 16384);
	if (author_version_source(&w.db, slug, from, &a, NULL, &f) == -1 ||
	    author_version_source(&w.db, slug, to, &b, NULL, &f) == -1) {
		rc = web_fail(&w, &f);
		goto out;
	}
	diff_lines(&d, a, b);
	diff_rows(&w, &rows, &d);
	(void)snprintf(added, sizeof(added), "%zu", d.added);
	(void)snprintf(removed, sizeof(removed), "%zu", d.removed);
	{
		struct tmpl_arg args[] = {
			T_TEXT("slug", slug),
			T_TEXT("from", from),
			T_TEXT("to", to),
			T_TEXT("added", added),
			T_TEXT("removed", removed),
			T_RAW("rows", rows.data),
		};

		rc = web_show(&w, 200, "author.diff", "author-diff", args,
		    T_NARGS(args));
	}
	diff_free(&d);
out:
	free(a);
	free(b);
	buf_free(&rows);
	return (rc);
}

/* A version's exact source, as a file to keep in git. */
int
page_author_source(struct http_request *req)
{
	struct fail	 f;
	struct web	 w;
	const char	*slug;
	char		 disp[160], sha[SHA256_HEX_LEN + 1], *src;
	long long	 n;

	if (web_begin(&w, req) == -1)
		return (KORE_RESULT_OK);
	slug = web_arg(&w, "slug");
	if (slug == NULL || web_arg_num(&w, "version", 1, INT32_MAX, &n) == -1)
		return (web_error(&w, 400, "author.err_versions"));
	if (author_version_source(&w.db, slug, web_arg(&w, "version"), &src,
	    sha, &f) == -1)
		return (web_fail(&w, &f));
	(void)snprintf(disp, sizeof(disp), "attachment; filename=\"%s.md\"",
	    slug);
	web_headers(req);
	http_response_header(req, "content-type",
	    "text/markdown; charset=utf-8");
	http_response_header(req, "content-disposition", disp);
	http_response_header(req, "x-content-sha256", sha);
	http_response_header(req, "cache-control", "no-store");
	http_response(req, 200, src, strlen(src));
	free(src);
	web_end(&w);
	return (KORE_RESULT_OK);
}
