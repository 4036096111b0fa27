/*
 * framework.c: the competence framework (courses/framework.md).
 *
 *	---
 *	title: ...
 *	slug: ...
 *	levels:
 *	  - base: description
 *	  - intermedio: description
 *	---
 *	## GOV Area name
 *	Optional description of the area.
 *	- **GOV.1** Competence name: description.
 *
 * The body is read through cmark's AST: level-2 headings open areas,
 * list items whose first inline is bold text define competences.
 */

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include <cmark.h>

#include "capacita.h"

#define FRAMEWORK_KEYS	"title slug lang summary levels"

static void	node_text(cmark_node *, struct buf *);
static int	area_code_valid(const char *, size_t);
static int	fw_item(struct framework *, cmark_node *, int,
		    struct diaglist *);

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

static int
area_code_valid(const char *s, size_t len)
{
	size_t	i;

	if (len < 2 || len > 5)
		return (0);
	for (i = 0; i < len; i++) {
		if (!(s[i] >= 'A' && s[i] <= 'Z'))
			return (0);
	}
	return (1);
}

/* One list item: "**CODE** Name: description". */
static int
fw_item(struct framework *fw, cmark_node *item, int line0,
    struct diaglist *dl)
{
	struct fw_area		*area;
	struct fw_competence	*c;
	cmark_node		*para, *first, *n;
	struct buf		 code, rest;
	char			*colon, *name, *desc;
	size_t			 i;
	int			 line;

	line = line0 - 1 + cmark_node_get_start_line(item);
	para = cmark_node_first_child(item);
	if (para == NULL || cmark_node_get_type(para) !=
	    CMARK_NODE_PARAGRAPH || (first = cmark_node_first_child(para)) ==
	    NULL || cmark_node_get_type(first) != CMARK_NODE_STRONG) {
		diag_add(dl, fw->path, line, "a competence is written as "
		    "'- **CODE** Name: description'");
		return (1);
	}
	if (fw->nareas == 0) {
		diag_add(dl, fw->path, line, "competence outside an area: "
		    "put it under a '## CODE Area name' heading");
		return (1);
	}
	area = &fw->areas[fw->nareas - 1];

	buf_init(&code, 16);
	buf_init(&rest, 128);
	node_text(first, &code);
	for (n = cmark_node_next(first); n != NULL; n = cmark_node_next(n))
		node_text(n, &rest);
	str_trim(code.data);

	if (!str_has_prefix(code.data, area->code) ||
	    code.data[strlen(area->code)] != '.' ||
	    parse_int(code.data + strlen(area->code) + 1, 1, 99,
	    &(long long){ 0 }) != 0) {
		diag_add(dl, fw->path, line, "competence code '%s' must be "
		    "the area code, a dot and a number from 1 to 99, such as "
		    "%s.1", code.data, area->code);
		goto bad;
	}
	for (i = 0; i < fw->ncomps; i++) {
		if (strcmp(fw->comps[i].code, code.data) == 0) {
			diag_add(dl, fw->path, line, "duplicate competence "
			    "'%s' (first on line %d)", code.data,
			    fw->comps[i].line);
			goto bad;
		}
	}
	name = str_trim(rest.data);
	if ((colon = strchr(name, ':')) == NULL) {
		diag_add(dl, fw->path, line, "competence '%s' needs 'Name: "
		    "description' after the code", code.data);
		goto bad;
	}
	*colon = '\0';
	desc = str_trim(colon + 1);
	name = str_trim(name);
	if (*name == '\0' || *desc == '\0') {
		diag_add(dl, fw->path, line, "competence '%s' has an empty "
		    "name or description", code.data);
		goto bad;
	}

	fw->comps = xreallocarray(fw->comps, fw->ncomps + 1,
	    sizeof(*fw->comps));
	c = &fw->comps[fw->ncomps++];
	c->code = xstrdup(code.data);
	c->area = xstrdup(area->code);
	c->name = xstrdup(name);
	c->description = xstrdup(desc);
	c->line = line;
	buf_free(&code);
	buf_free(&rest);
	return (0);
bad:
	buf_free(&code);
	buf_free(&rest);
	return (1);
}

/*
 * A level's name is one word: no white space of any kind, and no comma,
 * since Moodle's scale values list the levels separated by commas
 * (framework-csv.c). The fuzzers slipped a tab (crash-044be4cb) and a
 * comma (crash-49f9629f) through a check for spaces alone.
 */
int
framework_level_name_valid(const char *s)
{
	return (*s != '\0' && strpbrk(s, " \t\r\n\v\f,") == NULL);
}

struct framework *
framework_parse(const char *path, const char *src, size_t len,
    struct diaglist *dl)
{
	struct frontmatter	 fm;
	struct framework	*fw;
	struct fm_field		*f;
	struct fw_area		*a;
	cmark_node		*doc, *node, *item;
	struct buf		 t;
	const char		*v;
	char			*colon, *sp, *copy;
	size_t			 i, j, bad;
	int			 errors, line;

	if ((bad = utf8_invalid_offset(src, len)) != len) {
		diag_add(dl, path, line_of_offset(src, bad), "invalid UTF-8 "
		    "(byte 0x%02x at offset %zu): save the file as UTF-8",
		    (unsigned char)src[bad], bad);
		return (NULL);
	}
	fw = xcalloc(1, sizeof(*fw));
	fw->path = xstrdup(path);
	sha256_hex(src, len, fw->sha256);

	errors = fm_parse(path, src, len, &fm, dl);
	if (fm.body_line == 0) {
		fm_free(&fm);
		framework_free(fw);
		return (NULL);
	}
	errors += fm_check_unknown(&fm, path, FRAMEWORK_KEYS, dl);
	/*
	 * Title and summary trimmed, as the CSV import trims its fields:
	 * a quoted " Title" would otherwise lose its space on the way
	 * through CSV (fuzz-framework, crash-70cb7c94).
	 */
	if ((v = fm_str(&fm, "title")) == NULL || *v == '\0') {
		diag_add(dl, path, 1, "missing required key 'title'");
		errors++;
	} else {
		copy = xstrdup(v);
		fw->title = xstrdup(str_trim(copy));
		free(copy);
		if (*fw->title == '\0') {
			diag_add(dl, path, 1, "missing required key 'title'");
			errors++;
		}
	}
	if ((v = fm_str(&fm, "slug")) == NULL || !slug_valid(v)) {
		diag_add(dl, path, 1, "missing or invalid key 'slug'");
		errors++;
	} else
		fw->slug = xstrdup(v);
	copy = xstrdup((v = fm_str(&fm, "summary")) != NULL ? v : "");
	fw->summary = xstrdup(str_trim(copy));
	free(copy);
	(void)fm_get(&fm, "lang");

	if ((f = fm_get(&fm, "levels")) == NULL || f->nitems == 0) {
		diag_add(dl, path, f != NULL ? f->line : 1, "'levels' must "
		    "list the proficiency levels, one '  - name: "
		    "description' per line, from the lowest");
		errors++;
	} else {
		fw->levels = xcalloc(f->nitems, sizeof(*fw->levels));
		for (i = 0; i < f->nitems; i++) {
			copy = xstrdup(f->items[i]);
			colon = strchr(copy, ':');
			if (colon != NULL)
				*colon = '\0';
			sp = str_trim(copy);
			if (!framework_level_name_valid(sp)) {
				diag_add(dl, path, f->item_lines[i], "a level "
				    "is 'name: description' with a one-word "
				    "name");
				errors++;
				free(copy);
				continue;
			}
			for (j = 0; j < fw->nlevels; j++) {
				if (strcmp(fw->levels[j].name, sp) == 0)
					break;
			}
			if (j < fw->nlevels) {
				diag_add(dl, path, f->item_lines[i],
				    "duplicate level '%s'", sp);
				errors++;
				free(copy);
				continue;
			}
			fw->levels[fw->nlevels].name = xstrdup(sp);
			fw->levels[fw->nlevels].description = xstrdup(
			    colon != NULL ? str_trim(colon + 1) : "");
			fw->nlevels++;
			free(copy);
		}
	}

	doc = cmark_parse_document(src + fm.body_off, len - fm.body_off,
	    CMARK_OPT_DEFAULT | CMARK_OPT_SOURCEPOS);
	for (node = cmark_node_first_child(doc); node != NULL;
	    node = cmark_node_next(node)) {
		line = fm.body_line - 1 + cmark_node_get_start_line(node);
		switch (cmark_node_get_type(node)) {
		case CMARK_NODE_HEADING:
			if (cmark_node_get_heading_level(node) != 2)
				break;
			buf_init(&t, 64);
			node_text(node, &t);
			sp = str_trim(t.data);
			j = strcspn(sp, " ");
			if (!area_code_valid(sp, j) || sp[j] == '\0') {
				diag_add(dl, path, line, "an area heading is "
				    "'## CODE Area name' with a code of 2 to 5 "
				    "capital letters");
				errors++;
				buf_free(&t);
				break;
			}
			for (i = 0; i < fw->nareas; i++) {
				if (strlen(fw->areas[i].code) == j &&
				    strncmp(fw->areas[i].code, sp, j) == 0)
					break;
			}
			if (i < fw->nareas) {
				diag_add(dl, path, line, "duplicate area "
				    "'%.*s'", (int)j, sp);
				errors++;
				buf_free(&t);
				break;
			}
			fw->areas = xreallocarray(fw->areas, fw->nareas + 1,
			    sizeof(*fw->areas));
			a = &fw->areas[fw->nareas++];
			a->code = xstrndup(sp, j);
			a->name = xstrdup(str_trim(sp + j));
			a->description = xstrdup("");
			a->line = line;
			buf_free(&t);
			break;
		case CMARK_NODE_PARAGRAPH:
			if (fw->nareas == 0)
				break;
			a = &fw->areas[fw->nareas - 1];
			if (a->description[0] != '\0')
				break;
			buf_init(&t, 128);
			node_text(node, &t);
			free(a->description);
			a->description = xstrdup(str_trim(t.data));
			buf_free(&t);
			break;
		case CMARK_NODE_LIST:
			for (item = cmark_node_first_child(node);
			    item != NULL; item = cmark_node_next(item))
				errors += fw_item(fw, item, fm.body_line, dl);
			break;
		default:
			break;
		}
	}
	cmark_node_free(doc);
	fm_free(&fm);

	if (errors == 0 && fw->ncomps == 0) {
		diag_add(dl, path, 0, "the framework defines no competence");
		errors++;
	}
	if (errors > 0) {
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
	for (i = 0; i < fw->nareas; i++) {
		free(fw->areas[i].code);
		free(fw->areas[i].name);
		free(fw->areas[i].description);
	}
	for (i = 0; i < fw->ncomps; i++) {
		free(fw->comps[i].code);
		free(fw->comps[i].area);
		free(fw->comps[i].name);
		free(fw->comps[i].description);
	}
	free(fw->levels);
	free(fw->areas);
	free(fw->comps);
	free(fw->path);
	free(fw->slug);
	free(fw->title);
	free(fw->summary);
	free(fw);
}
