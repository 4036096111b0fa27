/*
 * framework-csv.c: a competence framework as a Moodle competency
 * framework CSV (admin/tool/lpimportcsv), both ways, and the framework
 * written back as Markdown.
 *
 * One CSV row describes the framework itself ("Is framework" 1): its
 * id number is the slug, its shortname the title, its scale values the
 * levels and its scale configuration which of them are proficient and
 * which is the default. Every other row is a node of the tree: the
 * rows without a parent are the areas, the others hang under the row
 * whose id number is their parent's, at any depth, in any order in the
 * file. Moodle scales have no level descriptions, so they travel in the
 * framework description (Markdown): the summary, one "- **name**:
 * description" line per level, then the introduction:
 *
 *	,governance-migrazioni,Quadro ...,"Summary.
 *
 *	- **base**: ...
 *	- **intermedio**: ...
 *
 *	Introduction.",4,"base,intermedio",[...],,,,,,1,"domain,competency"
 *	,GOV,Governance multilivello,,2,,,,,,,1,0,
 *	GOV,GOV.1,Riparto delle competenze,...,2,,,,,,,2,0,
 *
 * What Capacita does not model is left out on import, and said so in
 * the README: rules, cross references, exported ids, and a competence's
 * own scale (one scale per framework; a row whose scale differs from
 * the framework's is an error).
 *
 * framework_csv_read() builds a struct framework from the rows and
 * hands it to framework_md_write(), so that the Markdown of an import
 * and the Markdown of a parsed file are written by the same code, and
 * Markdown -> CSV -> Markdown -> CSV gives the same bytes.
 */

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <jansson.h>

#include "capacita.h"

#define FC_HEADER	"Parent id number,Id number,Shortname,Description," \
			"Description format,Scale values,Scale configuration," \
			"Rule type (optional),Rule outcome (optional)," \
			"Rule config (optional),Cross referenced competency " \
			"id numbers,Exported id (optional),Is framework," \
			"Taxonomy"

/* Moodle's description formats. */
#define FORMAT_MOODLE	0
#define FORMAT_HTML	1
#define FORMAT_PLAIN	2
#define FORMAT_MARKDOWN	4

enum fc_col {
	COL_PARENT = 0,
	COL_ID,
	COL_NAME,
	COL_DESC,
	COL_FORMAT,
	COL_SCALE,
	COL_SCALECONF,
	COL_RULETYPE,
	COL_RULEOUTCOME,
	COL_RULECONF,
	COL_RELATED,
	COL_EXPORTID,
	COL_ISFRAMEWORK,
	COL_TAXONOMY,
	COL_MAX
};

static const char *const fc_columns[COL_MAX] = {
	"Parent id number",
	"Id number",
	"Shortname",
	"Description",
	"Description format",
	"Scale values",
	"Scale configuration",
	"Rule type (optional)",
	"Rule outcome (optional)",
	"Rule config (optional)",
	"Cross referenced competency id numbers",
	"Exported id (optional)",
	"Is framework",
	"Taxonomy",
};

/* One data row, trimmed; desc is as in the file until checked. */
struct fc_row {
	int		 line;
	char		*parent;
	char		*id;
	char		*name;
	char		*desc;
	char		*format;
	char		*scale;
	char		*scaleconf;
	char		*taxonomy;
	int		 framework;
	int		 depth;		/* -1 until known */
	int		 bad;
};

static void	 csv_put(struct buf *, const char *);
static void	 fm_put(struct buf *, const char *);
static int	 is_space(char);
static char	*dup_trim(const char *);
static char	*one_line(const char *);
static char	*html_text(const char *);
static const char *cell(const struct csv_row *, const int *, enum fc_col);
static int	 header_map(const char *, const struct csv_row *, int *,
		    struct diaglist *);
static void	 csv_error(const char *, const char *, struct diaglist *);
static int	 scale_levels(struct framework *, const struct fc_row *,
		    const char *, struct diaglist *);
static int	 scale_config(struct framework *, const struct fc_row *,
		    const char *, struct diaglist *);
static int	 level_block(const struct framework *, char **, size_t);
static void	 description_parts(struct framework *, const char *, int);
static void	 intro_text(struct buf *, char **, size_t, int);
static const struct fc_row *row_find(const struct fc_row *, size_t,
		    const char *);
static void	 rows_read(const struct csv *, const int *, struct fc_row *,
		    size_t *);
static int	 row_check(const char *, struct fc_row *, size_t, size_t,
		    const struct fc_row **, struct diaglist *);
static int	 tree_depths(const char *, struct fc_row *, size_t,
		    struct diaglist *);
static void	 tree_add(struct framework *, const struct fc_row *, size_t,
		    size_t, const char *, const char *);
static void	 taxonomy(const struct framework *, struct buf *);
static void	 rows_free(struct fc_row *, size_t);

/* One CSV field, quoted only when it must be (RFC 4180). */
static void
csv_put(struct buf *b, const char *s)
{
	const char	*p;

	if (strpbrk(s, ",\"\r\n") == NULL) {
		buf_puts(b, s);
		return;
	}
	buf_putc(b, '"');
	for (p = s; *p != '\0'; p++) {
		if (*p == '"')
			buf_putc(b, '"');
		buf_putc(b, *p);
	}
	buf_putc(b, '"');
}

/*
 * A front matter value. frontmatter.c unwraps a value between matching
 * quotes, so such a value gets one more pair.
 */
static void
fm_put(struct buf *b, const char *s)
{
	size_t	len;

	len = strlen(s);
	if (len >= 2 && (s[0] == '"' || s[0] == '\'') && s[len - 1] == s[0])
		buf_printf(b, "\"%s\"", s);
	else
		buf_puts(b, s);
}

static int
is_space(char c)
{
	return (c != '\0' && strchr(" \t\n\v\f\r", c) != NULL);
}

/* A trimmed copy. */
static char *
dup_trim(const char *s)
{
	char	*copy, *r;

	copy = xstrdup(s);
	r = xstrdup(str_trim(copy));
	free(copy);
	return (r);
}

/*
 * Fold text to one line: every run of white space that holds a line
 * break becomes one space; the ends are trimmed. Other runs are kept,
 * so that text read from Markdown comes back unchanged.
 */
static char *
one_line(const char *s)
{
	struct buf	 b;
	const char	*q;
	char		*r;
	int		 nl;

	buf_init(&b, strlen(s) + 1);
	while (*s != '\0') {
		if (!is_space(*s)) {
			buf_putc(&b, *s++);
			continue;
		}
		nl = 0;
		for (q = s; is_space(*q); q++) {
			if (*q == '\r' || *q == '\n')
				nl = 1;
		}
		if (nl)
			buf_putc(&b, ' ');
		else
			buf_append(&b, s, (size_t)(q - s));
		s = q;
	}
	r = xstrdup(str_trim(b.data));
	buf_free(&b);
	return (r);
}

/*
 * HTML (Moodle's formats 0 and 1) as plain text: tags are dropped,
 * block tags and <br> become line breaks, and the common entities are
 * decoded. Deliberately simple: descriptions are short prose.
 */
static char *
html_text(const char *s)
{
	static const struct {
		const char	*entity;
		const char	*text;
	} entities[] = {
		{ "&amp;", "&" }, { "&lt;", "<" }, { "&gt;", ">" },
		{ "&quot;", "\"" }, { "&#39;", "'" }, { "&apos;", "'" },
		{ "&nbsp;", " " },
	};
	static const char *const blocks[] = {
		"p", "br", "div", "li", "ul", "ol", "tr", "blockquote",
		"h1", "h2", "h3", "h4", "h5", "h6",
	};
	struct buf	 b;
	const char	*end, *name;
	size_t		 i, n;

	buf_init(&b, strlen(s) + 1);
	while (*s != '\0') {
		if (*s == '<' && (s[1] == '/' || s[1] == '!' ||
		    (s[1] >= 'a' && s[1] <= 'z') ||
		    (s[1] >= 'A' && s[1] <= 'Z')) &&
		    (end = strchr(s, '>')) != NULL) {
			name = s + 1 + (s[1] == '/');
			for (n = 0; (name[n] >= 'a' && name[n] <= 'z') ||
			    (name[n] >= 'A' && name[n] <= 'Z') ||
			    (name[n] >= '0' && name[n] <= '9'); n++)
				;
			for (i = 0; i < sizeof(blocks) / sizeof(blocks[0]);
			    i++) {
				if (strlen(blocks[i]) == n &&
				    strncasecmp(name, blocks[i], n) == 0) {
					buf_putc(&b, '\n');
					break;
				}
			}
			s = end + 1;
			continue;
		}
		if (*s == '&') {
			for (i = 0; i < sizeof(entities) / sizeof(entities[0]);
			    i++) {
				if (str_has_prefix(s, entities[i].entity))
					break;
			}
			if (i < sizeof(entities) / sizeof(entities[0])) {
				buf_puts(&b, entities[i].text);
				s += strlen(entities[i].entity);
				continue;
			}
		}
		buf_putc(&b, *s++);
	}
	return (buf_release(&b));
}

static const char *
cell(const struct csv_row *r, const int *map, enum fc_col col)
{
	if ((size_t)map[col] >= r->nfields)
		return ("");
	return (r->fields[map[col]]);
}

/* Find every column by its name; report the first one missing. */
static int
header_map(const char *path, const struct csv_row *h, int *map,
    struct diaglist *dl)
{
	char	*name;
	size_t	 i, j;

	for (i = 0; i < COL_MAX; i++) {
		for (j = 0; j < h->nfields; j++) {
			name = xstrdup(h->fields[j]);
			if (strcasecmp(str_trim(name), fc_columns[i]) == 0) {
				free(name);
				break;
			}
			free(name);
		}
		if (j == h->nfields) {
			diag_add(dl, path, h->line, "the header has no column "
			    "'%s': the first line of a Moodle competency "
			    "framework CSV is: %s", fc_columns[i], FC_HEADER);
			return (1);
		}
		map[i] = (int)j;
	}
	return (0);
}

/* csv_parse() says "line N: message"; make it "path:N: message". */
static void
csv_error(const char *path, const char *err, struct diaglist *dl)
{
	long long	 line;
	const char	*colon;
	char		*num;

	if (str_has_prefix(err, "line ") &&
	    (colon = strchr(err, ':')) != NULL) {
		num = xstrndup(err + 5, (size_t)(colon - err - 5));
		if (parse_int(num, 1, 1000000000, &line) == 0) {
			free(num);
			diag_add(dl, path, (int)line, "%s", str_has_prefix(
			    colon, ": ") ? colon + 2 : colon + 1);
			return;
		}
		free(num);
	}
	diag_add(dl, path, 1, "%s", err);
}

/* The levels, from the scale values of the framework row. */
static int
scale_levels(struct framework *fw, const struct fc_row *r, const char *path,
    struct diaglist *dl)
{
	struct fw_level	*lv;
	char		*copy, *p, *item, *name;
	size_t		 n;
	int		 errors;

	if (r->scale[0] == '\0') {
		diag_add(dl, path, r->line, "the framework row has no scale "
		    "values: list the levels from the lowest, separated by "
		    "commas, such as \"base,intermedio,avanzato\"");
		return (1);
	}
	errors = 0;
	copy = xstrdup(r->scale);
	for (n = 1, p = copy; *p != '\0'; p++)
		n += *p == ',';
	fw->levels = xcalloc(n, sizeof(*fw->levels));
	for (p = copy; p != NULL; ) {
		item = p;
		if ((p = strchr(p, ',')) != NULL)
			*p++ = '\0';
		name = str_trim(item);
		if (*name == '\0') {
			diag_add(dl, path, r->line, "empty level name in the "
			    "scale values \"%s\"", r->scale);
			errors++;
		} else if (strchr(name, ':') != NULL) {
			diag_add(dl, path, r->line, "level '%s' of the scale "
			    "values has a colon: the framework format ends "
			    "a level name with the first colon", name);
			errors++;
		} else if (!framework_level_name_valid(name)) {
			diag_add(dl, path, r->line, "level '%s' of the scale "
			    "values has a control character or is longer "
			    "than %d bytes", name, FW_CODE_MAX);
			errors++;
		} else if (framework_level(fw, name) != 0) {
			diag_add(dl, path, r->line, "level '%s' appears twice "
			    "in the scale values", name);
			errors++;
		} else {
			lv = &fw->levels[fw->nlevels++];
			lv->name = xstrdup(name);
			lv->description = xstrdup("");
			lv->proficient = 0;
		}
	}
	free(copy);
	return (errors);
}

/*
 * Which levels are proficient and which is the default, from Moodle's
 * scale configuration: [{"scaleid":"2"},{"id":2,"scaledefault":1,
 * "proficient":1}, ...], one object per scale value that has a flag
 * (id is the value's 1-based position). Without a configuration,
 * Capacita's rule: every level but the lowest is proficient.
 */
static int
scale_config(struct framework *fw, const struct fc_row *r, const char *path,
    struct diaglist *dl)
{
	json_t		*conf, *o, *v;
	json_error_t	 jerr;
	size_t		 i, marked;
	long long	 id;
	int		 bad;

	for (i = 0; i < fw->nlevels; i++)
		fw->levels[i].proficient = i > 0 || fw->nlevels == 1;
	fw->default_level = 0;
	if (r->scaleconf[0] == '\0')
		return (0);
	if ((conf = json_loads(r->scaleconf, JSON_DECODE_ANY, &jerr)) ==
	    NULL || !json_is_array(conf)) {
		diag_add(dl, path, r->line, "the scale configuration is not "
		    "Moodle's: a JSON array such as [{\"scaleid\":\"0\"},"
		    "{\"id\":1,\"scaledefault\":1,\"proficient\":1}]");
		json_decref(conf);
		return (1);
	}
	for (i = 0; i < fw->nlevels; i++)
		fw->levels[i].proficient = 0;
	bad = 0;
	marked = 0;
	for (i = 1; i < json_array_size(conf); i++) {
		o = json_array_get(conf, i);
		v = json_object_get(o, "id");
		id = json_is_integer(v) ? json_integer_value(v) :
		    json_is_string(v) ? strtoll(json_string_value(v), NULL,
		    10) : 0;
		if (id < 1 || (size_t)id > fw->nlevels) {
			bad = 1;
			continue;
		}
		v = json_object_get(o, "proficient");
		if (json_is_true(v) || (json_is_integer(v) &&
		    json_integer_value(v) != 0) || (json_is_string(v) &&
		    strcmp(json_string_value(v), "1") == 0)) {
			fw->levels[id - 1].proficient = 1;
			marked++;
		}
		v = json_object_get(o, "scaledefault");
		if (json_is_true(v) || (json_is_integer(v) &&
		    json_integer_value(v) != 0) || (json_is_string(v) &&
		    strcmp(json_string_value(v), "1") == 0))
			fw->default_level = (size_t)id - 1;
	}
	json_decref(conf);
	if (bad) {
		diag_add(dl, path, r->line, "the scale configuration names a "
		    "value the scale values do not have (ids go from 1 to %zu)",
		    fw->nlevels);
		return (1);
	}
	if (marked == 0) {
		diag_add(dl, path, r->line, "the scale configuration marks no "
		    "value as proficient");
		return (1);
	}
	return (0);
}

/* Are the lines of block exactly "- **level**: ..." for every level? */
static int
level_block(const struct framework *fw, char **lines, size_t n)
{
	struct buf	pre;
	size_t		i;
	int		ok;

	if (fw->nlevels == 0 || n != fw->nlevels)
		return (0);
	buf_init(&pre, 64);
	ok = 1;
	for (i = 0; ok && i < n; i++) {
		buf_reset(&pre);
		buf_printf(&pre, "- **%s**:", fw->levels[i].name);
		ok = str_has_prefix(lines[i], pre.data) &&
		    (lines[i][pre.len] == '\0' || lines[i][pre.len] == ' ' ||
		    lines[i][pre.len] == '\t');
	}
	buf_free(&pre);
	return (ok);
}

/*
 * The introduction from the blocks that follow the summary and the
 * levels: Markdown kept as paragraphs (framework_md_paragraphs()); text
 * folded to one line per block and escaped.
 */
static void
intro_text(struct buf *out, char **blocks, size_t n, int markdown)
{
	struct buf	 md;
	size_t		 i;
	char		*line;

	buf_init(&md, 256);
	for (i = 0; i < n; i++) {
		if (markdown) {
			if (md.len > 0)
				buf_puts(&md, "\n\n");
			buf_puts(&md, blocks[i]);
			continue;
		}
		line = one_line(blocks[i]);
		if (*line != '\0') {
			if (md.len > 0)
				buf_puts(&md, "\n\n");
			md_escape(&md, line, 1, 0);
		}
		free(line);
	}
	if (markdown)
		framework_md_paragraphs(md.data, out);
	else
		buf_append(out, md.data, md.len);
	buf_free(&md);
}

/* A block of text: its lines, and the lines joined by '\n'. */
struct block {
	char	**lines;
	size_t	  nlines;
	char	 *text;
};

/*
 * The framework description, in blocks apart by blank lines: the
 * summary (the first block), the levels' block when there is one, then
 * the introduction. A first block that is the levels' block, with no
 * second one, means no summary (so Capacita's own export with an empty
 * summary comes back as it went).
 */
static void
description_parts(struct framework *fw, const char *text, int markdown)
{
	struct block	*bl;
	struct buf	 intro, join;
	char		*copy, *p, *next, **texts;
	size_t		 n, i, k, first;
	int		 open;

	copy = xstrdup(text);
	bl = xcalloc(strlen(copy) + 2, sizeof(*bl));
	n = 0;
	open = 0;
	for (p = copy; p != NULL; p = next) {
		if ((next = strchr(p, '\n')) != NULL)
			*next++ = '\0';
		k = strlen(p);
		while (k > 0 && is_space(p[k - 1]))
			p[--k] = '\0';
		if (k == 0) {
			open = 0;
			continue;
		}
		if (!open)
			n++;
		open = 1;
		bl[n - 1].lines = xreallocarray(bl[n - 1].lines,
		    bl[n - 1].nlines + 1, sizeof(char *));
		bl[n - 1].lines[bl[n - 1].nlines++] = p;
	}
	buf_init(&join, 256);
	texts = xcalloc(n + 1, sizeof(*texts));
	for (i = 0; i < n; i++) {
		buf_reset(&join);
		for (k = 0; k < bl[i].nlines; k++)
			buf_printf(&join, "%s%s", k > 0 ? "\n" : "",
			    bl[i].lines[k]);
		bl[i].text = xstrdup(join.data);
		texts[i] = bl[i].text;
	}
	buf_free(&join);

	k = (size_t)-1;
	if (n > 0 && level_block(fw, bl[0].lines, bl[0].nlines) &&
	    !(n > 1 && level_block(fw, bl[1].lines, bl[1].nlines))) {
		fw->summary = xstrdup("");
		k = 0;
		first = 1;
	} else {
		fw->summary = one_line(n > 0 ? bl[0].text : "");
		first = n > 0;
		if (n > 1 && level_block(fw, bl[1].lines, bl[1].nlines)) {
			k = 1;
			first = 2;
		}
	}
	if (k != (size_t)-1) {
		for (i = 0; i < fw->nlevels; i++) {
			/* "- **" name "**:" */
			p = bl[k].lines[i] + strlen(fw->levels[i].name) + 7;
			free(fw->levels[i].description);
			fw->levels[i].description = one_line(p);
		}
	}
	buf_init(&intro, 256);
	if (first < n)
		intro_text(&intro, texts + first, n - first, markdown);
	fw->introduction = buf_release(&intro);

	for (i = 0; i < n; i++) {
		free(bl[i].lines);
		free(bl[i].text);
	}
	free(bl);
	free(texts);
	free(copy);
}

static const struct fc_row *
row_find(const struct fc_row *rows, size_t n, const char *id)
{
	size_t	i;

	for (i = 0; i < n; i++) {
		if (strcmp(rows[i].id, id) == 0)
			return (&rows[i]);
	}
	return (NULL);
}

/* The data rows, trimmed; rows of empty fields are skipped. */
static void
rows_read(const struct csv *csv, const int *map, struct fc_row *rows,
    size_t *nrows)
{
	const struct csv_row	*cr;
	struct fc_row		*r;
	const char		*isfw;
	size_t			 i, j;

	*nrows = 0;
	for (i = 1; i < csv->nrows; i++) {
		cr = &csv->rows[i];
		for (j = 0; j < cr->nfields; j++) {
			if (*cr->fields[j] != '\0')
				break;
		}
		if (j == cr->nfields)
			continue;
		r = &rows[(*nrows)++];
		r->line = cr->line;
		r->parent = dup_trim(cell(cr, map, COL_PARENT));
		r->id = dup_trim(cell(cr, map, COL_ID));
		r->name = dup_trim(cell(cr, map, COL_NAME));
		r->scale = dup_trim(cell(cr, map, COL_SCALE));
		r->scaleconf = dup_trim(cell(cr, map, COL_SCALECONF));
		r->taxonomy = dup_trim(cell(cr, map, COL_TAXONOMY));
		/* Moodle writes PHP's true and false: "1" and "". */
		isfw = cell(cr, map, COL_ISFRAMEWORK);
		r->framework = *isfw != '\0' && strcmp(isfw, "0") != 0;
		r->format = dup_trim(cell(cr, map, COL_FORMAT));
		r->desc = xstrdup(cell(cr, map, COL_DESC));
		r->depth = -1;
	}
}

/*
 * Row i on its own: its description's format, its id number, its name,
 * where it hangs. *fwrow is the framework row once found.
 */
static int
row_check(const char *path, struct fc_row *rows, size_t i, size_t nrows,
    const struct fc_row **fwrow, struct diaglist *dl)
{
	struct fc_row		*r = &rows[i];
	const struct fc_row	*dup, *p;
	const char		*fmt;
	char			*text;
	int			 errors;

	errors = 0;
	fmt = r->format;
	if (strcmp(fmt, "0") == 0 || strcmp(fmt, "1") == 0) {
		text = html_text(r->desc);
		free(r->desc);
		r->desc = text;
	} else if (!(strcmp(fmt, "2") == 0 || strcmp(fmt, "4") == 0 ||
	    (*fmt == '\0' && r->desc[0] == '\0'))) {
		diag_add(dl, path, r->line, "description format '%s' is not "
		    "one of 0 (Moodle auto-format), 1 (HTML), 2 (plain text), "
		    "4 (Markdown)", fmt);
		errors++;
	}
	if (r->id[0] == '\0') {
		diag_add(dl, path, r->line, "empty id number: every row needs "
		    "one");
		errors++;
	} else if (!competence_code_valid(r->id)) {
		diag_add(dl, path, r->line, "id number '%s': Capacita codes are "
		    "up to %d letters, digits, '.', '-' and '_', starting with "
		    "a letter or a digit (no spaces, commas, colons or slashes)",
		    r->id, FW_CODE_MAX);
		errors++;
	} else if ((dup = row_find(rows, i, r->id)) != NULL) {
		diag_add(dl, path, r->line, "duplicate id number '%s' (first on "
		    "line %d)", r->id, dup->line);
		errors++;
	}
	if (r->name[0] == '\0') {
		diag_add(dl, path, r->line, "empty shortname: every row needs a "
		    "name");
		errors++;
	} else if (strpbrk(r->name, "\r\n") != NULL) {
		text = one_line(r->name);
		diag_add(dl, path, r->line, "the shortname '%s' has a line "
		    "break: names are written on one line in Markdown", text);
		free(text);
		errors++;
	}
	if (r->framework) {
		if (*fwrow != NULL) {
			diag_add(dl, path, r->line, "a second framework row (the "
			    "first is on line %d): the file must describe one "
			    "framework", (*fwrow)->line);
			return (errors + 1);
		}
		*fwrow = r;
		return (errors);
	}
	if (r->parent[0] != '\0') {
		if ((p = row_find(rows, nrows, r->parent)) == NULL) {
			diag_add(dl, path, r->line, "unknown parent id number "
			    "'%s': no row has that id number", r->parent);
			errors++;
		} else if (p->framework) {
			diag_add(dl, path, r->line, "parent id number '%s' is the "
			    "framework: leave it empty for an area", r->parent);
			errors++;
		}
	}
	if (r->scale[0] != '\0' && *fwrow != NULL && strcmp(r->scale,
	    (*fwrow)->scale) != 0) {
		diag_add(dl, path, r->line, "competence '%s' has a scale of its "
		    "own (\"%s\"): a Capacita framework has one scale, the "
		    "framework row's", r->id, r->scale);
		errors++;
	}
	return (errors);
}

/* Every node's depth, through its parents; cycles and depth checked. */
static int
tree_depths(const char *path, struct fc_row *rows, size_t n,
    struct diaglist *dl)
{
	const struct fc_row	*p;
	size_t			 i, steps;
	int			 errors;

	errors = 0;
	for (i = 0; i < n; i++) {
		if (rows[i].framework || rows[i].bad)
			continue;
		p = &rows[i];
		for (steps = 0; p != NULL && p->parent[0] != '\0' &&
		    steps <= n; steps++) {
			p = row_find(rows, n, p->parent);
			if (p != NULL && (p->bad || p->framework))
				p = NULL;
		}
		if (p == NULL)
			continue;	/* reported with the parent */
		if (steps > n) {
			diag_add(dl, path, rows[i].line, "'%s' is among its own "
			    "parents: the parent id numbers go round in a "
			    "circle", rows[i].id);
			rows[i].bad = 1;
			errors++;
		} else if (steps > FW_DEPTH_MAX) {
			diag_add(dl, path, rows[i].line, "'%s' is %zu levels "
			    "below its area: Capacita frameworks go %d levels "
			    "deep", rows[i].id, steps, FW_DEPTH_MAX);
			rows[i].bad = 1;
			errors++;
		} else
			rows[i].depth = (int)steps;
	}
	return (errors);
}

/*
 * The nodes under parent ("" for the areas), in the order of the file,
 * each followed by its own subtree: the preorder framework.c builds.
 */
static void
tree_add(struct framework *fw, const struct fc_row *rows, size_t n,
    size_t depth, const char *parent, const char *area)
{
	struct fw_competence	*c;
	const struct fc_row	*r;
	size_t			 i;

	for (i = 0; i < n; i++) {
		r = &rows[i];
		if (r->framework || r->depth != (int)depth ||
		    strcmp(r->parent, parent) != 0)
			continue;
		fw->comps = xreallocarray(fw->comps, fw->ncomps + 1,
		    sizeof(*fw->comps));
		c = &fw->comps[fw->ncomps++];
		c->code = xstrdup(r->id);
		c->parent = depth > 0 ? xstrdup(r->parent) : NULL;
		c->area = xstrdup(depth > 0 ? area : r->id);
		c->name = xstrdup(r->name);
		c->description = one_line(r->desc);
		c->depth = (int)depth;
		c->line = r->line;
		tree_add(fw, rows, n, depth + 1, r->id, depth > 0 ? area :
		    r->id);
	}
}

static void
rows_free(struct fc_row *rows, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++) {
		free(rows[i].parent);
		free(rows[i].id);
		free(rows[i].name);
		free(rows[i].desc);
		free(rows[i].format);
		free(rows[i].scale);
		free(rows[i].scaleconf);
		free(rows[i].taxonomy);
	}
	free(rows);
}

/* Moodle's taxonomy of every depth: the framework's, or the default. */
static void
taxonomy(const struct framework *fw, struct buf *b)
{
	size_t	i;
	int	deepest;

	if (fw->taxonomy != NULL && fw->taxonomy[0] != '\0') {
		buf_puts(b, fw->taxonomy);
		return;
	}
	deepest = 1;
	for (i = 0; i < fw->ncomps; i++) {
		if (fw->comps[i].depth > deepest)
			deepest = fw->comps[i].depth;
	}
	buf_puts(b, "domain");
	for (i = 0; i < (size_t)deepest; i++)
		buf_puts(b, ",competency");
}

/*
 * Write the framework as a Moodle competency framework CSV (header and
 * rows, CRLF line ends) appended to b.
 */
void
framework_csv_write(const struct framework *fw, struct buf *b)
{
	const struct fw_competence	*c;
	struct buf			 t;
	size_t				 i;

	buf_puts(b, FC_HEADER "\r\n");

	/* Summary, levels, introduction. */
	buf_init(&t, 256);
	buf_puts(&t, fw->summary != NULL ? fw->summary : "");
	for (i = 0; i < fw->nlevels; i++) {
		if (t.len > 0)
			buf_puts(&t, i == 0 ? "\n\n" : "\n");
		buf_printf(&t, "- **%s**:", fw->levels[i].name);
		if (fw->levels[i].description[0] != '\0')
			buf_printf(&t, " %s", fw->levels[i].description);
	}
	if (fw->introduction != NULL && fw->introduction[0] != '\0')
		buf_printf(&t, "\n\n%s", fw->introduction);
	buf_putc(b, ',');
	csv_put(b, fw->slug);
	buf_putc(b, ',');
	csv_put(b, fw->title);
	buf_putc(b, ',');
	csv_put(b, t.data);
	buf_printf(b, ",%d,", FORMAT_MARKDOWN);

	buf_reset(&t);
	for (i = 0; i < fw->nlevels; i++)
		buf_printf(&t, "%s%s", i > 0 ? "," : "", fw->levels[i].name);
	csv_put(b, t.data);
	buf_putc(b, ',');

	buf_reset(&t);
	buf_puts(&t, "[{\"scaleid\":\"0\"}");
	for (i = 0; i < fw->nlevels; i++)
		buf_printf(&t, ",{\"id\":%zu,\"scaledefault\":%d,"
		    "\"proficient\":%d}", i + 1, i == fw->default_level,
		    fw->levels[i].proficient != 0);
	buf_putc(&t, ']');
	csv_put(b, t.data);
	buf_puts(b, ",,,,,,1,");
	buf_reset(&t);
	taxonomy(fw, &t);
	csv_put(b, t.data);
	buf_puts(b, "\r\n");
	buf_free(&t);

	for (i = 0; i < fw->ncomps; i++) {
		c = &fw->comps[i];
		csv_put(b, c->parent != NULL ? c->parent : "");
		buf_putc(b, ',');
		csv_put(b, c->code);
		buf_putc(b, ',');
		csv_put(b, c->name);
		buf_putc(b, ',');
		csv_put(b, c->description);
		buf_printf(b, ",%d,,,,,,,%zu,0,\r\n", FORMAT_PLAIN, i + 1);
	}
}

/*
 * Write the framework as Markdown in the form framework.c reads,
 * appended to b.
 */
void
framework_md_write(const struct framework *fw, struct buf *b)
{
	const struct fw_competence	*c;
	struct buf			 t;
	size_t				 i;
	int				 d;

	buf_puts(b, "---\ntitle: ");
	fm_put(b, fw->title);
	buf_puts(b, "\nslug: ");
	fm_put(b, fw->slug);
	buf_puts(b, "\nlang: it\nsummary:");
	if (fw->summary != NULL && fw->summary[0] != '\0') {
		buf_putc(b, ' ');
		fm_put(b, fw->summary);
	}
	buf_puts(b, "\nlevels:\n");
	buf_init(&t, 128);
	for (i = 0; i < fw->nlevels; i++) {
		buf_reset(&t);
		buf_puts(&t, fw->levels[i].name);
		if (fw->levels[i].description[0] != '\0')
			buf_printf(&t, ": %s", fw->levels[i].description);
		buf_puts(b, "  - ");
		fm_put(b, t.data);
		buf_putc(b, '\n');
	}
	buf_reset(&t);
	for (i = 0; i < fw->nlevels; i++) {
		if (fw->levels[i].proficient)
			buf_printf(&t, "%s%s", t.len > 0 ? ", " : "",
			    fw->levels[i].name);
	}
	buf_puts(b, "proficient: ");
	fm_put(b, t.data);
	buf_putc(b, '\n');
	if (fw->default_level > 0 && fw->default_level < fw->nlevels) {
		buf_puts(b, "default: ");
		fm_put(b, fw->levels[fw->default_level].name);
		buf_putc(b, '\n');
	}
	if (fw->taxonomy != NULL && fw->taxonomy[0] != '\0') {
		buf_puts(b, "taxonomy: ");
		fm_put(b, fw->taxonomy);
		buf_putc(b, '\n');
	}
	if (fw->source != NULL && fw->source[0] != '\0') {
		buf_puts(b, "source: ");
		fm_put(b, fw->source);
		buf_putc(b, '\n');
	}
	if (fw->url != NULL && fw->url[0] != '\0') {
		buf_puts(b, "url: ");
		fm_put(b, fw->url);
		buf_putc(b, '\n');
	}
	buf_free(&t);
	buf_puts(b, "---\n\n# ");
	md_escape(b, fw->title, 0, 0);
	buf_putc(b, '\n');
	if (fw->introduction != NULL && fw->introduction[0] != '\0')
		buf_printf(b, "\n%s\n", fw->introduction);

	for (i = 0; i < fw->ncomps; i++) {
		c = &fw->comps[i];
		if (c->depth == 0) {
			buf_printf(b, "\n## %s ", c->code);
			md_escape(b, c->name, 0, 0);
			buf_putc(b, '\n');
			if (c->description[0] != '\0') {
				buf_putc(b, '\n');
				md_escape(b, c->description, 1, 0);
				buf_putc(b, '\n');
			}
			if (i + 1 < fw->ncomps && fw->comps[i + 1].depth > 0)
				buf_putc(b, '\n');
			continue;
		}
		for (d = 1; d < c->depth; d++)
			buf_puts(b, "  ");
		buf_printf(b, "- **%s** ", c->code);
		md_escape(b, c->name, 0, 1);
		if (c->description[0] != '\0') {
			buf_puts(b, ": ");
			md_escape(b, c->description, 0, 0);
		}
		buf_putc(b, '\n');
	}
}

/*
 * Read a Moodle competency framework CSV. Every problem goes to dl as
 * "path:line: message" with the line of the row; the return value is
 * their number. With no problems, the framework is appended to md as
 * Markdown.
 */
int
framework_csv_read(const char *path, const char *src, size_t len,
    struct buf *md, struct diaglist *dl)
{
	struct framework	*fw;
	const struct fc_row	*fwrow;
	struct fc_row		*rows;
	struct csv		 csv;
	struct buf		 err;
	size_t			 i, k, first, nrows, nodes;
	int			 map[COL_MAX], errors, e;

	buf_init(&err, 128);
	if (csv_parse(&csv, src, len, &err) == -1) {
		csv_error(path, err.data, dl);
		buf_free(&err);
		return (1);
	}
	buf_free(&err);
	if (csv.nrows == 0) {
		diag_add(dl, path, 1, "empty file: a Moodle competency "
		    "framework CSV starts with the header %s", FC_HEADER);
		csv_free(&csv);
		return (1);
	}
	if (header_map(path, &csv.rows[0], map, dl) != 0) {
		csv_free(&csv);
		return (1);
	}
	rows = xcalloc(csv.nrows, sizeof(*rows));
	rows_read(&csv, map, rows, &nrows);
	csv_free(&csv);

	/* The framework row first: the competences compare their scale. */
	errors = 0;
	fwrow = NULL;
	for (first = 0; first < nrows && !rows[first].framework; first++)
		;
	for (i = 0; i <= nrows; i++) {
		k = i == 0 ? first : i - 1;
		if (k >= nrows || (i > 0 && k == first))
			continue;
		e = row_check(path, rows, k, nrows, &fwrow, dl);
		rows[k].bad = e > 0;
		errors += e;
	}
	errors += tree_depths(path, rows, nrows, dl);
	if (fwrow == NULL) {
		diag_add(dl, path, 1, "no framework row: one row must have "
		    "'Is framework' set to 1, with the framework's id number "
		    "and the levels as scale values");
		errors++;
	}

	fw = xcalloc(1, sizeof(*fw));
	fw->path = xstrdup(path);
	if (fwrow != NULL) {
		e = scale_levels(fw, fwrow, path, dl);
		errors += e;
		if (e == 0)
			errors += scale_config(fw, fwrow, path, dl);
	}
	nodes = 0;
	for (i = 0; i < nrows; i++)
		nodes += !rows[i].framework;
	if (errors == 0 && nodes == 0) {
		diag_add(dl, path, 1, "the file defines no competence");
		errors++;
	}
	if (errors > 0) {
		framework_free(fw);
		rows_free(rows, nrows);
		return (errors);
	}

	fw->slug = xstrdup(fwrow->id);
	fw->title = xstrdup(fwrow->name);
	fw->taxonomy = one_line(fwrow->taxonomy);
	fw->source = xstrdup("");
	fw->url = xstrdup("");
	description_parts(fw, fwrow->desc, strcmp(fwrow->format, "4") == 0);
	tree_add(fw, rows, nrows, 0, "", "");
	/* The taxonomy Capacita writes for this tree need not be said. */
	{
		struct buf	t;
		char		*mine = fw->taxonomy;

		fw->taxonomy = xstrdup("");
		buf_init(&t, 64);
		taxonomy(fw, &t);
		if (strcmp(t.data, mine) == 0)
			free(mine);
		else {
			free(fw->taxonomy);
			fw->taxonomy = mine;
		}
		buf_free(&t);
	}
	framework_md_write(fw, md);
	framework_free(fw);
	rows_free(rows, nrows);
	return (0);
}
