/*
 * framework.c: a competence framework (courses/framework.md, and the
 * reference frameworks of courses/frameworks/), a tree of any depth:
 *
 *	---
 *	title: ...
 *	slug: ...
 *	levels:
 *	  - base: description
 *	  - intermedio: description
 *	proficient: intermedio		(optional; see below)
 *	default: base			(optional: Moodle's scale default)
 *	taxonomy: domain, competency	(optional: Moodle's taxonomies)
 *	source: ...			(optional: where the framework comes
 *	url: ...			 from, for reference frameworks)
 *	---
 *	# Title
 *
 *	Optional introduction, one or more paragraphs.
 *
 *	## GOV Area name
 *	Optional description of the area.
 *	- **GOV.1** Competence name: description
 *	  - **GOV.1.1** Sub-competence name
 *	    - **GOV.1.1.a** And so on: any depth.
 *
 * The body is read through cmark's AST: level-2 headings open the roots
 * of the tree (the areas), list items whose first inline is bold text
 * are the nodes below them, nested lists their children. Every node has
 * a code, a name and an optional description. The name ends at the
 * first colon of the line's source that is not escaped: a colon inside
 * a name is written "\:", so that Moodle's names round-trip.
 *
 * One rule says what a code is (competence_code_valid()): the areas,
 * the competences at any depth, the framework's own id, the module and
 * quiz tags, the URL of /me/competences/CODE and the v_comp validator.
 *
 * Proficiency: Moodle marks some values of a scale as proficient.
 * 'proficient' lists them; without it, every level but the lowest is
 * (the only level, when there is one).
 */

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include <cmark.h>

#include "capacita.h"

#define FRAMEWORK_KEYS	"title slug lang summary levels proficient default " \
			"taxonomy source url"

struct fw_parse {
	struct framework	*fw;
	const char		*body;
	size_t			 bodylen;
	size_t			*lines;		/* offset of each body line */
	size_t			 nlines;
	int			 line0;		/* file line of body line 1 */
	struct diaglist		*dl;
	int			 errors;
};

static void	node_text(cmark_node *, struct buf *);
static void	block_source(const char *, size_t, const size_t *, size_t,
		    cmark_node *, struct buf *);
static size_t	*line_table(const char *, size_t, size_t *);
static void	raw_lines(const struct fw_parse *, cmark_node *,
		    struct buf *);
static size_t	colon_at(const char *);
static char	*fragment_text(const char *, size_t);
static void	fw_add(struct framework *, const char *, const char *,
		    const char *, const char *, const char *, int, int);
static void	fw_items(struct fw_parse *, cmark_node *, const char *,
		    int);
static void	fw_item(struct fw_parse *, cmark_node *, const char *, int);
static void	fw_heading(struct fw_parse *, cmark_node *, int);
static void	fw_describe(struct fw_competence *, cmark_node *);
static int	fw_levels(struct framework *, struct frontmatter *,
		    const char *, struct diaglist *);
static int	fw_level_list(struct framework *, struct fm_field *,
		    const char *, const char *, struct diaglist *);
static int	fw_front(struct framework *, struct frontmatter *,
		    const char *, struct diaglist *);

/*
 * A competence code: 1 to 100 bytes, ASCII letters, digits, '.', '-'
 * and '_', starting with a letter or a digit. Moodle's id numbers as
 * they are used (OECD-CORE, level-1, DR-AT1, 1.1.2) and Capacita's
 * codes (GOV.1) alike; no space, slash, comma or colon, so that a code
 * is one word in a quiz tag and one path segment in a URL.
 */
int
competence_code_valid(const char *s)
{
	size_t	i;

	if (!isalnum((unsigned char)s[0]))
		return (0);
	for (i = 0; s[i] != '\0'; i++) {
		if (i >= FW_CODE_MAX)
			return (0);
		if (!(isalnum((unsigned char)s[i]) || s[i] == '.' ||
		    s[i] == '-' || s[i] == '_'))
			return (0);
	}
	return (1);
}

/*
 * A level's name: what a Moodle scale value may be, less what would
 * break the formats that carry it: not empty, at most 100 bytes, no
 * control character (a tab slipped through a check for spaces alone:
 * fuzz-framework crash-044be4cb), no comma (Moodle's scale values list
 * the levels separated by commas: crash-49f9629f), no colon (the front
 * matter ends a level's name with its first colon), no space at either
 * end. Inner spaces are allowed: "Not yet competent".
 */
int
framework_level_name_valid(const char *s)
{
	size_t	i, len;

	len = strlen(s);
	if (len == 0 || len > FW_CODE_MAX || s[0] == ' ' || s[len - 1] == ' ')
		return (0);
	for (i = 0; i < len; i++) {
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f ||
		    s[i] == ',' || s[i] == ':')
			return (0);
	}
	return (1);
}

static void
node_text(cmark_node *node, struct buf *b)
{
	cmark_node	*child;
	const char	*lit;

	switch (cmark_node_get_type(node)) {
	case CMARK_NODE_TEXT:
	case CMARK_NODE_CODE:
		if ((lit = cmark_node_get_literal(node)) != NULL)
			buf_puts(b, lit);
		return;
	case CMARK_NODE_SOFTBREAK:
	case CMARK_NODE_LINEBREAK:
		buf_putc(b, ' ');
		return;
	default:
		break;
	}
	for (child = cmark_node_first_child(node); child != NULL;
	    child = cmark_node_next(child))
		node_text(child, b);
}

/*
 * The source of a block, as written: from its first column on its
 * first line, the following lines whole; each line without trailing
 * white space; joined by '\n'. lines holds the offset of each line of
 * text.
 */
static void
block_source(const char *text, size_t len, const size_t *lines,
    size_t nlines, cmark_node *n, struct buf *out)
{
	const char	*s, *e;
	size_t		 l, first, last, col;

	first = (size_t)cmark_node_get_start_line(n);
	last = (size_t)cmark_node_get_end_line(n);
	col = (size_t)cmark_node_get_start_column(n);
	for (l = first; l >= 1 && l <= last && l <= nlines; l++) {
		s = text + lines[l - 1];
		e = l < nlines ? text + lines[l] : text + len;
		while (e > s && (e[-1] == '\n' || e[-1] == '\r' ||
		    e[-1] == ' ' || e[-1] == '\t'))
			e--;
		if (l == first) {
			if (col >= 1 && (size_t)(e - s) >= col - 1)
				s += col - 1;
			while (s < e && (*s == ' ' || *s == '\t'))
				s++;
		}
		if (l > first)
			buf_putc(out, '\n');
		buf_append(out, s, (size_t)(e - s));
	}
	buf_puts(out, "");
}

/* The offset of every line of text; their number in *n. */
static size_t *
line_table(const char *text, size_t len, size_t *n)
{
	size_t	*lines, i;

	lines = xcalloc(len + 2, sizeof(*lines));
	*n = 1;
	for (i = 0; i < len; i++) {
		if (text[i] == '\n')
			lines[(*n)++] = i + 1;
	}
	return (lines);
}

static void
raw_lines(const struct fw_parse *p, cmark_node *n, struct buf *out)
{
	block_source(p->body, p->bodylen, p->lines, p->nlines, n, out);
}

/*
 * Markdown as a framework's introduction can hold it: paragraphs, one
 * blank line apart, each as written; any other block (a list, a
 * heading, a quote) becomes a paragraph of its text, escaped, so that
 * nothing of it opens an area or a competence. Appended to out.
 */
void
framework_md_paragraphs(const char *md, struct buf *out)
{
	cmark_node	*doc, *n;
	struct buf	 t;
	size_t		*lines, nlines, len;
	int		 first;

	len = strlen(md);
	lines = line_table(md, len, &nlines);
	doc = cmark_parse_document(md, len, CMARK_OPT_DEFAULT |
	    CMARK_OPT_SOURCEPOS);
	buf_init(&t, 256);
	first = 1;
	for (n = cmark_node_first_child(doc); n != NULL;
	    n = cmark_node_next(n)) {
		buf_reset(&t);
		if (cmark_node_get_type(n) == CMARK_NODE_PARAGRAPH)
			block_source(md, len, lines, nlines, n, &t);
		else {
			struct buf	plain;

			buf_init(&plain, 128);
			node_text(n, &plain);
			buf_puts(&plain, "");
			md_escape(&t, str_trim(plain.data), 1, 0);
			buf_free(&plain);
		}
		buf_puts(&t, "");
		if (t.len == 0)
			continue;
		if (!first)
			buf_puts(out, "\n\n");
		first = 0;
		buf_append(out, t.data, t.len);
	}
	buf_puts(out, "");
	buf_free(&t);
	cmark_node_free(doc);
	free(lines);
}

/*
 * One line of Markdown text that cmark reads back as s: the characters
 * that could open emphasis, code, links, HTML, entities or a closing
 * heading sequence get a backslash; with colon set, colons too (in a
 * competence's name). At the start of a paragraph (block set), also
 * what could open a list, a quote or a thematic break.
 */
void
md_escape(struct buf *b, const char *s, int block, int colon)
{
	const char	*p;
	size_t		 n;

	if (block) {
		if (*s != '\0' && strchr("-+>=~", *s) != NULL)
			buf_putc(b, '\\');
		for (n = 0; s[n] >= '0' && s[n] <= '9'; n++)
			;
		if (n > 0 && (s[n] == '.' || s[n] == ')')) {
			buf_append(b, s, n);
			buf_putc(b, '\\');
			s += n;
		}
	}
	for (p = s; *p != '\0'; p++) {
		if (strchr("\\`*_[]<&#", *p) != NULL || (colon && *p == ':'))
			buf_putc(b, '\\');
		buf_putc(b, *p);
	}
	buf_puts(b, "");
}

/*
 * The offset of the first colon of Markdown source s that is neither
 * escaped with a backslash nor inside a code span; strlen(s) if none.
 */
static size_t
colon_at(const char *s)
{
	size_t	i, run, close, j;

	for (i = 0; s[i] != '\0'; i++) {
		if (s[i] == '\\' && s[i + 1] != '\0') {
			i++;
			continue;
		}
		if (s[i] == '`') {
			for (run = 0; s[i + run] == '`'; run++)
				;
			/* The matching run of as many backticks, if any. */
			for (j = i + run; s[j] != '\0'; j++) {
				if (s[j] != '`')
					continue;
				for (close = 0; s[j + close] == '`'; close++)
					;
				if (close == run)
					break;
				j += close - 1;
			}
			if (s[j] == '\0') {
				i += run - 1;
				continue;
			}
			i = j + run - 1;
			continue;
		}
		if (s[i] == ':')
			return (i);
	}
	return (i);
}

/*
 * The text of n bytes of inline Markdown: parsed as the rest of a
 * paragraph (behind a letter, so that nothing in it opens a block),
 * flattened and trimmed.
 */
static char *
fragment_text(const char *s, size_t n)
{
	cmark_node	*doc;
	struct buf	 src, t;
	char		*r;

	buf_init(&src, n + 3);
	buf_puts(&src, "x ");
	buf_append(&src, s, n);
	doc = cmark_parse_document(src.data, src.len, CMARK_OPT_DEFAULT);
	buf_init(&t, n + 1);
	node_text(doc, &t);
	buf_puts(&t, "");
	cmark_node_free(doc);
	r = xstrdup(str_trim(t.data[0] == 'x' ? t.data + 1 : t.data));
	buf_free(&t);
	buf_free(&src);
	return (r);
}

static void
fw_add(struct framework *fw, const char *code, const char *parent,
    const char *area, const char *name, const char *desc, int depth,
    int line)
{
	struct fw_competence	*c;

	fw->comps = xreallocarray(fw->comps, fw->ncomps + 1,
	    sizeof(*fw->comps));
	c = &fw->comps[fw->ncomps++];
	c->code = xstrdup(code);
	c->parent = parent != NULL ? xstrdup(parent) : NULL;
	c->area = xstrdup(area);
	c->name = xstrdup(name);
	c->description = xstrdup(desc);
	c->depth = depth;
	c->line = line;
}

/* The items of a list: nodes at depth under parent. */
static void
fw_items(struct fw_parse *p, cmark_node *list, const char *parent, int depth)
{
	cmark_node	*item;

	for (item = cmark_node_first_child(list); item != NULL;
	    item = cmark_node_next(item))
		fw_item(p, item, parent, depth);
}

/* One list item: "**CODE** Name: description", maybe with a sublist. */
static void
fw_item(struct fw_parse *p, cmark_node *item, const char *parent, int depth)
{
	struct framework		*fw = p->fw;
	const struct fw_competence	*other, *up;
	cmark_node			*para, *first, *n;
	struct buf			 code, raw;
	const char			*rest, *mark;
	char				*name, *desc, *area, *me;
	size_t				 c, end;
	int				 line;

	line = p->line0 - 1 + cmark_node_get_start_line(item);
	para = cmark_node_first_child(item);
	if (para == NULL || cmark_node_get_type(para) !=
	    CMARK_NODE_PARAGRAPH || (first = cmark_node_first_child(para)) ==
	    NULL || cmark_node_get_type(first) != CMARK_NODE_STRONG) {
		diag_add(p->dl, fw->path, line, "a competence is written as "
		    "'- **CODE** Name: description' (the description is "
		    "optional)");
		p->errors++;
		return;
	}
	if (parent == NULL) {
		diag_add(p->dl, fw->path, line, "competence outside an area: "
		    "put it under a '## CODE Area name' heading");
		p->errors++;
		return;
	}
	if (depth > FW_DEPTH_MAX) {
		diag_add(p->dl, fw->path, line, "the tree is deeper than %d "
		    "levels", FW_DEPTH_MAX);
		p->errors++;
		return;
	}

	buf_init(&code, 16);
	node_text(first, &code);
	buf_puts(&code, "");
	str_trim(code.data);
	buf_init(&raw, 128);
	raw_lines(p, para, &raw);
	/* The source after the bold code: "**CODE**" or "__CODE__". */
	mark = raw.data[0] == '_' ? "__" : "**";
	rest = NULL;
	if (str_has_prefix(raw.data, mark) && str_has_prefix(raw.data + 2,
	    code.data) && str_has_prefix(raw.data + 2 + code.len, mark))
		rest = raw.data + 4 + code.len;
	if (rest == NULL || code.len == 0) {
		diag_add(p->dl, fw->path, line, "a competence is written as "
		    "'- **CODE** Name: description', the code in bold alone");
		p->errors++;
		buf_free(&code);
		buf_free(&raw);
		return;
	}
	end = colon_at(rest);
	name = fragment_text(rest, end);
	desc = fragment_text(rest[end] == ':' ? rest + end + 1 : "",
	    rest[end] == ':' ? strlen(rest + end + 1) : 0);

	if (!competence_code_valid(code.data)) {
		diag_add(p->dl, fw->path, line, "competence code '%s': a code "
		    "is letters, digits, '.', '-' and '_', such as GOV.1 or "
		    "DR-AT1", code.data);
		p->errors++;
	} else if ((other = framework_find(fw, code.data)) != NULL) {
		diag_add(p->dl, fw->path, line, "duplicate competence '%s' "
		    "(first on line %d)", code.data, other->line);
		p->errors++;
	} else if (*name == '\0') {
		diag_add(p->dl, fw->path, line, "competence '%s' has no name: "
		    "write it after the code", code.data);
		p->errors++;
	} else {
		up = framework_find(fw, parent);
		area = xstrdup(up != NULL ? up->area : parent);
		fw_add(fw, code.data, parent, area, name, desc, depth, line);
		free(area);
	}
	me = xstrdup(code.data);
	free(name);
	free(desc);
	buf_free(&code);
	buf_free(&raw);

	for (n = cmark_node_next(para); n != NULL; n = cmark_node_next(n)) {
		c = (size_t)cmark_node_get_start_line(n);
		if (cmark_node_get_type(n) == CMARK_NODE_LIST)
			fw_items(p, n, me, depth + 1);
		else {
			diag_add(p->dl, fw->path, p->line0 - 1 + (int)c,
			    "under competence '%s' only a list of its "
			    "sub-competences may follow: write the description "
			    "on the competence's line, after a colon", me);
			p->errors++;
		}
	}
	free(me);
}

/* A level-2 heading: "## CODE Name", a root of the tree. */
static void
fw_heading(struct fw_parse *p, cmark_node *node, int line)
{
	struct framework		*fw = p->fw;
	const struct fw_competence	*other;
	struct buf			 t;
	char				*sp, *code;
	size_t				 j;

	buf_init(&t, 64);
	node_text(node, &t);
	buf_puts(&t, "");
	sp = str_trim(t.data);
	j = strcspn(sp, " \t");
	code = xstrndup(sp, j);
	if (!competence_code_valid(code) || sp[j] == '\0' ||
	    *str_trim(sp + j) == '\0') {
		diag_add(p->dl, fw->path, line, "an area heading is '## CODE "
		    "Area name', the code letters, digits, '.', '-' and '_'");
		p->errors++;
	} else if ((other = framework_find(fw, code)) != NULL) {
		diag_add(p->dl, fw->path, line, "duplicate area '%s' (first "
		    "on line %d)", code, other->line);
		p->errors++;
	} else
		fw_add(fw, code, NULL, code, str_trim(sp + j), "", 0, line);
	free(code);
	buf_free(&t);
}

/* An area's description: the paragraph right under its heading. */
static void
fw_describe(struct fw_competence *c, cmark_node *para)
{
	struct buf	t;

	buf_init(&t, 128);
	node_text(para, &t);
	buf_puts(&t, "");
	free(c->description);
	c->description = xstrdup(str_trim(t.data));
	buf_free(&t);
}

/* 'levels', then 'proficient' and 'default' that name some of them. */
static int
fw_levels(struct framework *fw, struct frontmatter *fm, const char *path,
    struct diaglist *dl)
{
	struct fm_field	*f;
	char		*colon, *sp, *copy;
	size_t		 i;
	int		 errors;

	errors = 0;
	if ((f = fm_get(fm, "levels")) == NULL || f->nitems == 0) {
		diag_add(dl, path, f != NULL ? f->line : 1, "'levels' must "
		    "list the proficiency levels, one '  - name: "
		    "description' per line, from the lowest");
		return (1);
	}
	fw->levels = xcalloc(f->nitems, sizeof(*fw->levels));
	for (i = 0; i < f->nitems; i++) {
		copy = xstrdup(f->items[i]);
		if ((colon = strchr(copy, ':')) != NULL)
			*colon = '\0';
		sp = str_trim(copy);
		if (!framework_level_name_valid(sp)) {
			diag_add(dl, path, f->item_lines[i], "a level is "
			    "'name: description', the name without commas");
			errors++;
		} else if (framework_level(fw, sp) != 0) {
			diag_add(dl, path, f->item_lines[i], "duplicate level "
			    "'%s'", sp);
			errors++;
		} else {
			fw->levels[fw->nlevels].name = xstrdup(sp);
			fw->levels[fw->nlevels].description = xstrdup(
			    colon != NULL ? str_trim(colon + 1) : "");
			fw->nlevels++;
		}
		free(copy);
	}
	if (errors > 0)
		return (errors);

	for (i = 0; i < fw->nlevels; i++)
		fw->levels[i].proficient = i > 0 || fw->nlevels == 1;
	fw->default_level = 0;
	if ((f = fm_get(fm, "proficient")) != NULL) {
		for (i = 0; i < fw->nlevels; i++)
			fw->levels[i].proficient = 0;
		errors += fw_level_list(fw, f, path, "proficient", dl);
	}
	if ((f = fm_get(fm, "default")) != NULL) {
		if (framework_level(fw, f->value) == 0) {
			diag_add(dl, path, f->line, "'default' names a level "
			    "of 'levels', not '%s'", f->value);
			errors++;
		} else
			fw->default_level = (size_t)framework_level(fw,
			    f->value) - 1;
	}
	return (errors);
}

/*
 * 'proficient': level names, as a list or on one line separated by
 * commas; at least one (Moodle wants a proficient value in a scale).
 */
static int
fw_level_list(struct framework *fw, struct fm_field *f, const char *path,
    const char *key, struct diaglist *dl)
{
	char	*copy, *p, *item;
	size_t	 i, n;
	int	 errors, rank, line, marked;

	errors = marked = 0;
	n = f->nitems > 0 ? f->nitems : 1;
	for (i = 0; i < n; i++) {
		copy = xstrdup(f->nitems > 0 ? f->items[i] : f->value);
		line = f->nitems > 0 ? f->item_lines[i] : f->line;
		for (p = copy; p != NULL; ) {
			item = p;
			if ((p = strchr(p, ',')) != NULL)
				*p++ = '\0';
			item = str_trim(item);
			if (*item == '\0')
				continue;
			if ((rank = framework_level(fw, item)) == 0) {
				diag_add(dl, path, line, "'%s' names levels "
				    "of 'levels', not '%s'", key, item);
				errors++;
			} else {
				fw->levels[rank - 1].proficient = 1;
				marked++;
			}
		}
		free(copy);
	}
	if (errors == 0 && marked == 0) {
		diag_add(dl, path, f->line, "'%s' must name at least one "
		    "level", key);
		errors++;
	}
	return (errors);
}

/* The front matter's fields. */
static int
fw_front(struct framework *fw, struct frontmatter *fm, const char *path,
    struct diaglist *dl)
{
	const char	*v;
	char		*copy;
	int		 errors;

	errors = fm_check_unknown(fm, path, FRAMEWORK_KEYS, dl);
	/*
	 * Title and summary trimmed, as the CSV import trims its fields:
	 * a quoted " Title" would otherwise lose its space on the way
	 * through CSV (fuzz-framework, crash-70cb7c94).
	 */
	copy = xstrdup((v = fm_str(fm, "title")) != NULL ? v : "");
	fw->title = xstrdup(str_trim(copy));
	free(copy);
	if (*fw->title == '\0') {
		diag_add(dl, path, 1, "missing required key 'title'");
		errors++;
	}
	if ((v = fm_str(fm, "slug")) == NULL || !competence_code_valid(v)) {
		diag_add(dl, path, 1, "missing or invalid key 'slug': letters, "
		    "digits, '.', '-' and '_', such as governance-migrazioni");
		errors++;
	} else
		fw->slug = xstrdup(v);
	copy = xstrdup((v = fm_str(fm, "summary")) != NULL ? v : "");
	fw->summary = xstrdup(str_trim(copy));
	free(copy);
	copy = xstrdup((v = fm_str(fm, "taxonomy")) != NULL ? v : "");
	fw->taxonomy = xstrdup(str_trim(copy));
	free(copy);
	fw->source = xstrdup((v = fm_str(fm, "source")) != NULL ? v : "");
	fw->url = xstrdup((v = fm_str(fm, "url")) != NULL ? v : "");
	(void)fm_get(fm, "lang");
	return (errors + fw_levels(fw, fm, path, dl));
}

struct framework *
framework_parse(const char *path, const char *src, size_t len,
    struct diaglist *dl)
{
	struct frontmatter	 fm;
	struct fw_parse		 p;
	struct framework	*fw;
	cmark_node		*doc, *node;
	struct buf		 intro;
	size_t			 i;
	long			 root;
	int			 line;

	if (!fm_source_ok(path, src, len, 0, dl))
		return (NULL);
	fw = xcalloc(1, sizeof(*fw));
	fw->path = xstrdup(path);
	sha256_hex(src, len, fw->sha256);

	memset(&p, 0, sizeof(p));
	p.errors = fm_parse(path, src, len, &fm, dl);
	if (fm.body_line == 0) {
		fm_free(&fm);
		framework_free(fw);
		return (NULL);
	}
	p.errors += fw_front(fw, &fm, path, dl);
	p.fw = fw;
	p.body = src + fm.body_off;
	p.bodylen = len - fm.body_off;
	p.line0 = fm.body_line;
	p.dl = dl;
	p.lines = line_table(p.body, p.bodylen, &p.nlines);

	buf_init(&intro, 256);
	root = -1;
	doc = cmark_parse_document(p.body, p.bodylen, CMARK_OPT_DEFAULT |
	    CMARK_OPT_SOURCEPOS);
	for (node = cmark_node_first_child(doc); node != NULL;
	    node = cmark_node_next(node)) {
		line = p.line0 - 1 + cmark_node_get_start_line(node);
		switch (cmark_node_get_type(node)) {
		case CMARK_NODE_HEADING:
			if (cmark_node_get_heading_level(node) != 2)
				break;
			i = fw->ncomps;
			fw_heading(&p, node, line);
			root = i < fw->ncomps ? (long)i : -2;
			break;
		case CMARK_NODE_PARAGRAPH:
			if (root == -1) {
				if (intro.len > 0)
					buf_puts(&intro, "\n\n");
				raw_lines(&p, node, &intro);
			} else if (root >= 0 && (size_t)root + 1 ==
			    fw->ncomps && fw->comps[root].description[0] ==
			    '\0')
				fw_describe(&fw->comps[root], node);
			break;
		case CMARK_NODE_LIST:
			if (root >= 0)
				fw_items(&p, node, fw->comps[root].code, 1);
			else if (root == -1)
				fw_items(&p, node, NULL, 1);
			break;
		default:
			break;
		}
	}
	cmark_node_free(doc);
	fm_free(&fm);
	free(p.lines);
	buf_puts(&intro, "");
	fw->introduction = buf_release(&intro);

	if (p.errors == 0 && fw->ncomps == 0) {
		diag_add(dl, path, 0, "the framework defines no competence");
		p.errors++;
	}
	if (p.errors > 0) {
		framework_free(fw);
		return (NULL);
	}
	return (fw);
}

const struct fw_competence *
framework_find(const struct framework *fw, const char *code)
{
	size_t	i;

	for (i = 0; i < fw->ncomps; i++) {
		if (strcmp(fw->comps[i].code, code) == 0)
			return (&fw->comps[i]);
	}
	return (NULL);
}

/* The 1-based rank of a level name, or 0 when unknown. */
int
framework_level(const struct framework *fw, const char *name)
{
	size_t	i;

	for (i = 0; i < fw->nlevels; i++) {
		if (strcmp(fw->levels[i].name, name) == 0)
			return ((int)i + 1);
	}
	return (0);
}

/* The level names, "a, b, c", for messages. */
void
framework_levels_list(const struct framework *fw, struct buf *b)
{
	size_t	i;

	for (i = 0; i < fw->nlevels; i++)
		buf_printf(b, "%s%s", i > 0 ? ", " : "", fw->levels[i].name);
	buf_puts(b, "");
}

void
framework_free(struct framework *fw)
{
	size_t	i;

	if (fw == NULL)
		return;
	for (i = 0; i < fw->nlevels; i++) {
		free(fw->levels[i].name);
		free(fw->levels[i].description);
	}
	for (i = 0; i < fw->ncomps; i++) {
		free(fw->comps[i].code);
		free(fw->comps[i].parent);
		free(fw->comps[i].area);
		free(fw->comps[i].name);
		free(fw->comps[i].description);
	}
	free(fw->levels);
	free(fw->comps);
	free(fw->path);
	free(fw->slug);
	free(fw->title);
	free(fw->summary);
	free(fw->introduction);
	free(fw->taxonomy);
	free(fw->source);
	free(fw->url);
	free(fw);
}
