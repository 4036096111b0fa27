/*
 * module.c: a training module (modules/README.md): front matter, a
 * CommonMark body read through cmark's AST, and ```quiz blocks that are
 * taken out of the body and parsed by quiz.c.
 *
 * cmark runs in its default safe mode: raw HTML is replaced by a comment
 * and javascript:, vbscript:, file: and most data: links are dropped.
 */

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include <cmark.h>

#include "capacita.h"

#define MODULE_KEYS	"title slug lang minutes summary competences version"
#define MD_OPTIONS	(CMARK_OPT_DEFAULT | CMARK_OPT_SMART | \
			    CMARK_OPT_VALIDATE_UTF8)

static int	module_fields(struct module *, struct frontmatter *,
		    struct diaglist *);
static int	module_body(struct module *, const char *, size_t, int,
		    struct diaglist *);
static size_t	count_words(const char *);

static size_t
count_words(const char *s)
{
	size_t	n;
	int	in;

	n = 0;
	in = 0;
	for (; *s != '\0'; s++) {
		if (isspace((unsigned char)*s)) {
			in = 0;
		} else if (!in) {
			in = 1;
			n++;
		}
	}
	return (n);
}

/* Render trusted-by-construction HTML from Markdown (safe mode). */
char *
md_render(const char *md, size_t len)
{
	cmark_node	*doc;
	char		*html, *copy;

	doc = cmark_parse_document(md, len, MD_OPTIONS);
	html = cmark_render_html(doc, MD_OPTIONS);
	cmark_node_free(doc);
	copy = xstrdup(html);
	free(html);
	return (copy);
}

/*
 * Render one paragraph of inline Markdown (question text, feedback)
 * without the surrounding <p>: emphasis and code, never raw HTML.
 */
char *
md_render_inline(const char *md)
{
	char	*html, *p;
	size_t	 len;

	html = md_render(md, strlen(md));
	len = strlen(html);
	if (len >= 8 && strncmp(html, "<p>", 3) == 0 &&
	    strcmp(html + len - 5, "</p>\n") == 0 &&
	    strstr(html + 3, "<p>") == NULL) {
		p = xstrndup(html + 3, len - 8);
		free(html);
		return (p);
	}
	return (html);
}

static int
module_fields(struct module *m, struct frontmatter *fm, struct diaglist *dl)
{
	struct fm_field	*f;
	const char	*v;
	char		*copy, *tok, *save;
	long long	 n;
	size_t		 i;
	int		 errors;

	errors = fm_check_unknown(fm, m->path, MODULE_KEYS, dl);

	if ((v = fm_str(fm, "title")) == NULL) {
		diag_add(dl, m->path, 1, "missing required key 'title'");
		errors++;
	} else if (utf8_strlen(v) > TITLE_MAX) {
		diag_add(dl, m->path, fm_get(fm, "title")->line,
		    "title longer than %d characters", TITLE_MAX);
		errors++;
	} else
		m->title = xstrdup(v);

	if ((v = fm_str(fm, "slug")) == NULL) {
		diag_add(dl, m->path, 1, "missing required key 'slug'");
		errors++;
	} else {
		m->slug_line = fm_get(fm, "slug")->line;
		if (!slug_valid(v)) {
			diag_add(dl, m->path, m->slug_line, "invalid slug "
			    "'%s': use lower-case letters, digits and '-'", v);
			errors++;
		} else
			m->slug = xstrdup(v);
	}
	if ((v = fm_str(fm, "lang")) == NULL) {
		diag_add(dl, m->path, 1, "missing required key 'lang'");
		errors++;
	} else if (strcmp(v, "it") != 0 && strcmp(v, "en") != 0) {
		diag_add(dl, m->path, fm_get(fm, "lang")->line,
		    "unsupported lang '%s': use 'it' or 'en'", v);
		errors++;
	} else
		m->lang = xstrdup(v);

	if ((v = fm_str(fm, "minutes")) == NULL) {
		diag_add(dl, m->path, 1, "missing required key 'minutes'");
		errors++;
	} else if (parse_int(v, 1, 600, &n) != 0) {
		diag_add(dl, m->path, fm_get(fm, "minutes")->line,
		    "minutes must be a whole number from 1 to 600, not '%s'",
		    v);
		errors++;
	} else
		m->minutes = (int)n;

	if ((v = fm_str(fm, "summary")) == NULL) {
		diag_add(dl, m->path, 1, "missing required key 'summary'");
		errors++;
	} else if (utf8_strlen(v) > SUMMARY_MAX) {
		diag_add(dl, m->path, fm_get(fm, "summary")->line,
		    "summary longer than %d characters", SUMMARY_MAX);
		errors++;
	} else
		m->summary = xstrdup(v);

	if ((v = fm_str(fm, "version")) != NULL)
		m->version_note = xstrdup(v);

	if ((f = fm_get(fm, "competences")) != NULL) {
		m->competences_line = f->line;
		/* Either a list, or "A.1, B.2" on one line. */
		if (f->nitems == 0 && f->value[0] != '\0') {
			copy = xstrdup(f->value);
			for (tok = strtok_r(copy, ", ", &save); tok != NULL;
			    tok = strtok_r(NULL, ", ", &save)) {
				f->items = xreallocarray(f->items,
				    f->nitems + 1, sizeof(char *));
				f->item_lines = xreallocarray(f->item_lines,
				    f->nitems + 1, sizeof(int));
				f->items[f->nitems] = xstrdup(tok);
				f->item_lines[f->nitems++] = f->line;
			}
			free(copy);
		}
		for (i = 0; i < f->nitems; i++) {
			if (!competence_code_valid(f->items[i])) {
				diag_add(dl, m->path, f->item_lines[i],
				    "invalid competence code '%s': a code is "
				    "letters, digits, '.', '-' and '_', such "
				    "as GOV.1", f->items[i]);
				errors++;
				continue;
			}
			m->competences = xreallocarray(m->competences,
			    m->ncompetences + 1, sizeof(char *));
			m->competences[m->ncompetences++] =
			    xstrdup(f->items[i]);
		}
	}
	return (errors);
}

static int
module_body(struct module *m, const char *body, size_t len, int line0,
    struct diaglist *dl)
{
	cmark_node		*doc, *node, **drop;
	cmark_iter		*iter;
	cmark_event_type	 ev;
	const char		*info, *lit;
	size_t			 ndrop, i;
	int			 errors, fence_line;
	char			*html;

	errors = 0;
	drop = NULL;
	ndrop = 0;
	doc = cmark_parse_document(body, len,
	    MD_OPTIONS | CMARK_OPT_SOURCEPOS);
	iter = cmark_iter_new(doc);
	while ((ev = cmark_iter_next(iter)) != CMARK_EVENT_DONE) {
		node = cmark_iter_get_node(iter);
		if (ev != CMARK_EVENT_ENTER)
			continue;
		switch (cmark_node_get_type(node)) {
		case CMARK_NODE_HEADING:
			/*
			 * The page shows the title as its only <h1>: a first
			 * "# Title" is dropped and other level-1 headings
			 * become level 2.
			 */
			if (cmark_node_get_heading_level(node) != 1)
				break;
			if (node == cmark_node_first_child(doc) &&
			    ndrop == 0 && m->words == 0) {
				drop = xreallocarray(drop, ndrop + 1,
				    sizeof(*drop));
				drop[ndrop++] = node;
			} else
				(void)cmark_node_set_heading_level(node, 2);
			break;
		case CMARK_NODE_CODE_BLOCK:
			info = cmark_node_get_fence_info(node);
			if (info == NULL || strncmp(info, "quiz", 4) != 0 ||
			    (info[4] != '\0' && !isspace((unsigned char)
			    info[4])))
				break;
			lit = cmark_node_get_literal(node);
			fence_line = line0 - 1 +
			    cmark_node_get_start_line(node);
			errors += quiz_parse(&m->quiz, m->path, lit,
			    strlen(lit), fence_line + 1, dl);
			drop = xreallocarray(drop, ndrop + 1,
			    sizeof(*drop));
			drop[ndrop++] = node;
			break;
		case CMARK_NODE_TEXT:
		case CMARK_NODE_CODE:
			lit = cmark_node_get_literal(node);
			if (lit != NULL)
				m->words += count_words(lit);
			break;
		default:
			break;
		}
	}
	cmark_iter_free(iter);

	/*
	 * The quiz is served on its own page, never inside the text (the
	 * list also holds a leading title heading, removed the same way).
	 */
	for (i = 0; i < ndrop; i++)
		cmark_node_free(drop[i]);
	free(drop);

	html = cmark_render_html(doc, MD_OPTIONS);
	m->html = xstrdup(html);
	free(html);
	cmark_node_free(doc);
	return (errors);
}

/*
 * Parse a module from its source. Returns NULL, with the reasons in dl,
 * when anything is wrong: a module is imported whole or not at all.
 */
struct module *
module_parse(const char *path, const char *src, size_t len,
    struct diaglist *dl)
{
	struct frontmatter	 fm;
	struct module		*m;
	int			 errors;

	if (!fm_source_ok(path, src, len, SOURCE_MAX, dl))
		return (NULL);

	m = xcalloc(1, sizeof(*m));
	m->path = xstrdup(path);
	m->source = xstrndup(src, len);
	m->srclen = len;
	sha256_hex(src, len, m->sha256);

	errors = fm_parse(path, src, len, &fm, dl);
	if (fm.body_line == 0) {
		fm_free(&fm);
		module_free(m);
		return (NULL);
	}
	errors += module_fields(m, &fm, dl);
	errors += module_body(m, src + fm.body_off, len - fm.body_off,
	    fm.body_line, dl);
	fm_free(&fm);

	if (errors > 0) {
		module_free(m);
		return (NULL);
	}
	return (m);
}

void
module_free(struct module *m)
{
	size_t	i;

	if (m == NULL)
		return;
	free(m->path);
	free(m->slug);
	free(m->title);
	free(m->lang);
	free(m->summary);
	free(m->version_note);
	for (i = 0; i < m->ncompetences; i++)
		free(m->competences[i]);
	free(m->competences);
	free(m->source);
	free(m->html);
	quiz_free(&m->quiz);
	free(m);
}
