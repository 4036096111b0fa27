/*
 * framework-csv.c: the competence framework as a Moodle competency
 * framework CSV (admin/tool/lpimportcsv), both ways, and the framework
 * written back as Markdown.
 *
 * One CSV row describes the framework itself ("Is framework" 1): its
 * id number is the slug, its shortname the title, its scale values the
 * levels. The rows without a parent are the areas; the rows whose
 * parent is an area are the competences. Moodle scales have no level
 * descriptions, so they travel at the end of the framework description
 * (Markdown), one "- **name**: description" line per level:
 *
 *	,governance-migrazioni,Quadro ...,"Summary.
 *
 *	- **base**: ...
 *	- **intermedio**: ...",4,"base,intermedio",...,1,"domain,competency"
 *	,GOV,Governance multilivello,,2,,,,,,,1,0,
 *	GOV,GOV.1,Riparto delle competenze,...,2,,,,,,,2,0,
 *
 * framework_csv_read() builds a struct framework from the rows and
 * hands it to framework_md_write(), so that the Markdown of an import
 * and the Markdown of a parsed file are written by the same code, and
 * Markdown -> CSV -> Markdown -> CSV gives the same bytes.
 */

#include <stdlib.h>
#include <string.h>
#include <strings.h>

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

enum fc_kind {
	ROW_FRAMEWORK = 0,
	ROW_AREA,
	ROW_COMPETENCE,
	ROW_OTHER
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
	enum fc_kind	 kind;
	int		 bad;
};

static void	 csv_put(struct buf *, const char *);
static void	 md_put(struct buf *, const char *, int);
static void	 fm_put(struct buf *, const char *);
static int	 is_space(char);
static char	*dup_trim(const char *);
static char	*one_line(const char *);
static char	*html_text(const char *);
static int	 area_code_ok(const char *);
static int	 comp_code_ok(const char *, const char *);
static const char *cell(const struct csv_row *, const int *, enum fc_col);
static int	 header_map(const char *, const struct csv_row *, int *,
		    struct diaglist *);
static void	 csv_error(const char *, const char *, struct diaglist *);
static int	 scale_levels(struct framework *, const struct fc_row *,
		    const char *, struct diaglist *);
static void	 summary_levels(struct framework *, const char *);
static const struct fc_row *row_find(const struct fc_row *, size_t,
		    const char *);
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
 * One line of Markdown text that cmark reads back as s: the characters
 * that could open emphasis, code, links, HTML, entities or a closing
 * heading sequence get a backslash. At the start of a paragraph
 * (block set), also what could open a list, a quote or a thematic
 * break.
 */
static void
md_put(struct buf *b, const char *s, int block)
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
		if (strchr("\\`*_[]<&#", *p) != NULL)
			buf_putc(b, '\\');
		buf_putc(b, *p);
	}
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

/* An area code: 2 to 5 capital letters. */
static int
area_code_ok(const char *s)
{
	size_t	i, len;

	len = strlen(s);
	if (len < 2 || len > 5)
		return (0);
	for (i = 0; i < len; i++) {
		if (!(s[i] >= 'A' && s[i] <= 'Z'))
			return (0);
	}
	return (1);
}

/* A competence code: the area code, a dot, a number from 1 to 99. */
static int
comp_code_ok(const char *code, const char *area)
{
	long long	n;
	size_t		len;

	len = strlen(area);
	return (strncmp(code, area, len) == 0 && code[len] == '.' &&
	    parse_int(code + len + 1, 1, 99, &n) == 0);
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
	size_t		 i, n;
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
			continue;
		}
		if (strpbrk(name, " \t\r\n") != NULL) {
			diag_add(dl, path, r->line, "level '%s' of the scale "
			    "values has more than one word: Capacita levels "
			    "are single words, such as 'base'", name);
			errors++;
			continue;
		}
		if (strchr(name, ':') != NULL) {
			diag_add(dl, path, r->line, "level '%s' of the scale "
			    "values has a colon: the framework format ends "
			    "a level name with the first colon", name);
			errors++;
			continue;
		}
		for (i = 0; i < fw->nlevels; i++) {
			if (strcmp(fw->levels[i].name, name) == 0)
				break;
		}
		if (i < fw->nlevels) {
			diag_add(dl, path, r->line, "level '%s' appears twice "
			    "in the scale values", name);
			errors++;
			continue;
		}
		lv = &fw->levels[fw->nlevels++];
		lv->name = xstrdup(name);
		lv->description = xstrdup("");
	}
	free(copy);
	return (errors);
}

/*
 * The framework description: when its last lines are "- **name**:
 * description" for exactly the levels of the scale, in order, they give
 * the level descriptions and the text before them is the summary.
 * Otherwise the whole text is the summary.
 */
static void
summary_levels(struct framework *fw, const char *text)
{
	struct buf	 pre;
	const char	*p, *e;
	size_t		*starts, *ends, nlines, i, k;
	char		*line, **descs;
	int		 matched;

	starts = xcalloc(strlen(text) + 1, sizeof(*starts));
	ends = xcalloc(strlen(text) + 1, sizeof(*ends));
	nlines = 0;
	for (p = text; *p != '\0'; p = *e == '\n' ? e + 1 : e) {
		if ((e = strchr(p, '\n')) == NULL)
			e = p + strlen(p);
		starts[nlines] = (size_t)(p - text);
		ends[nlines] = (size_t)(e - text);
		while (starts[nlines] < ends[nlines] &&
		    is_space(text[starts[nlines]]))
			starts[nlines]++;
		while (ends[nlines] > starts[nlines] &&
		    is_space(text[ends[nlines] - 1]))
			ends[nlines]--;
		if (ends[nlines] > starts[nlines])
			nlines++;
	}

	descs = xcalloc(fw->nlevels + 1, sizeof(*descs));
	matched = 0;
	k = 0;
	if (fw->nlevels > 0 && nlines >= fw->nlevels) {
		buf_init(&pre, 64);
		k = nlines - fw->nlevels;
		for (i = 0; i < fw->nlevels; i++) {
			buf_reset(&pre);
			buf_printf(&pre, "- **%s**:", fw->levels[i].name);
			line = xstrndup(text + starts[k + i], ends[k + i] -
			    starts[k + i]);
			if (!str_has_prefix(line, pre.data) ||
			    !(line[pre.len] == '\0' || line[pre.len] == ' ' ||
			    line[pre.len] == '\t')) {
				free(line);
				break;
			}
			descs[i] = one_line(line + pre.len);
			free(line);
		}
		matched = i == fw->nlevels;
		buf_free(&pre);
	}

	if (matched) {
		line = xstrndup(text, starts[k]);
		fw->summary = one_line(line);
		free(line);
		for (i = 0; i < fw->nlevels; i++) {
			free(fw->levels[i].description);
			fw->levels[i].description = descs[i];
		}
	} else {
		fw->summary = one_line(text);
		for (i = 0; i < fw->nlevels; i++)
			free(descs[i]);
	}
	free(descs);
	free(starts);
	free(ends);
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
	}
	free(rows);
}

/*
 * Write the framework as a Moodle competency framework CSV (header and
 * rows, CRLF line ends) appended to b.
 */
void
framework_csv_write(const struct framework *fw, struct buf *b)
{
	const struct fw_competence	*c;
	const struct fw_area		*a;
	struct buf			 t;
	size_t				 i, j;
	int				 exported;

	buf_puts(b, FC_HEADER "\r\n");

	buf_init(&t, 256);
	buf_puts(&t, fw->summary != NULL ? fw->summary : "");
	for (i = 0; i < fw->nlevels; i++) {
		if (t.len > 0)
			buf_puts(&t, i == 0 ? "\n\n" : "\n");
		buf_printf(&t, "- **%s**:", fw->levels[i].name);
		if (fw->levels[i].description[0] != '\0')
			buf_printf(&t, " %s", fw->levels[i].description);
	}
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
		    "\"proficient\":1}", i + 1, i == 0);
	buf_putc(&t, ']');
	csv_put(b, t.data);
	buf_puts(b, ",,,,,,1,");
	csv_put(b, "domain,competency");
	buf_puts(b, "\r\n");
	buf_free(&t);

	exported = 0;
	for (i = 0; i < fw->nareas; i++) {
		a = &fw->areas[i];
		buf_putc(b, ',');
		csv_put(b, a->code);
		buf_putc(b, ',');
		csv_put(b, a->name);
		buf_putc(b, ',');
		csv_put(b, a->description);
		buf_printf(b, ",%d,,,,,,,%d,0,\r\n", FORMAT_PLAIN, ++exported);
		for (j = 0; j < fw->ncomps; j++) {
			c = &fw->comps[j];
			if (strcmp(c->area, a->code) != 0)
				continue;
			csv_put(b, a->code);
			buf_putc(b, ',');
			csv_put(b, c->code);
			buf_putc(b, ',');
			csv_put(b, c->name);
			buf_putc(b, ',');
			csv_put(b, c->description);
			buf_printf(b, ",%d,,,,,,,%d,0,\r\n", FORMAT_PLAIN,
			    ++exported);
		}
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
	const struct fw_area		*a;
	struct buf			 t;
	size_t				 i, j;
	int				 first;

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
	buf_free(&t);
	buf_puts(b, "---\n\n# ");
	md_put(b, fw->title, 0);
	buf_putc(b, '\n');

	for (i = 0; i < fw->nareas; i++) {
		a = &fw->areas[i];
		buf_printf(b, "\n## %s ", a->code);
		md_put(b, a->name, 0);
		buf_putc(b, '\n');
		if (a->description[0] != '\0') {
			buf_putc(b, '\n');
			md_put(b, a->description, 1);
			buf_putc(b, '\n');
		}
		first = 1;
		for (j = 0; j < fw->ncomps; j++) {
			c = &fw->comps[j];
			if (strcmp(c->area, a->code) != 0)
				continue;
			if (first)
				buf_putc(b, '\n');
			first = 0;
			buf_printf(b, "- **%s** ", c->code);
			md_put(b, c->name, 0);
			buf_puts(b, ": ");
			md_put(b, c->description, 0);
			buf_putc(b, '\n');
		}
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
	struct fw_area		*a;
	struct fw_competence	*c;
	const struct fc_row	*p, *dup, *fwrow;
	struct fc_row		*rows, *r;
	const struct csv_row	*cr;
	struct csv		 csv;
	struct buf		 err;
	const char		*isfw, *fmt;
	char			*text;
	size_t			 i, j, nrows;
	int			 map[COL_MAX], errors, ncomps;

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

	/* The rows, trimmed; rows of empty fields are skipped. */
	errors = 0;
	rows = xcalloc(csv.nrows, sizeof(*rows));
	nrows = 0;
	for (i = 1; i < csv.nrows; i++) {
		cr = &csv.rows[i];
		for (j = 0; j < cr->nfields; j++) {
			if (*cr->fields[j] != '\0')
				break;
		}
		if (j == cr->nfields)
			continue;
		r = &rows[nrows++];
		r->line = cr->line;
		r->parent = dup_trim(cell(cr, map, COL_PARENT));
		r->id = dup_trim(cell(cr, map, COL_ID));
		r->name = dup_trim(cell(cr, map, COL_NAME));
		r->scale = dup_trim(cell(cr, map, COL_SCALE));

		/* Moodle writes PHP's true and false: "1" and "". */
		isfw = cell(cr, map, COL_ISFRAMEWORK);
		r->kind = (*isfw != '\0' && strcmp(isfw, "0") != 0) ?
		    ROW_FRAMEWORK : ROW_OTHER;

		r->format = dup_trim(cell(cr, map, COL_FORMAT));
		r->desc = xstrdup(cell(cr, map, COL_DESC));
	}
	csv_free(&csv);

	/* Each row on its own: id numbers, names, where it hangs. */
	fwrow = NULL;
	for (i = 0; i < nrows; i++) {
		r = &rows[i];
		fmt = r->format;
		if (strcmp(fmt, "0") == 0 || strcmp(fmt, "1") == 0) {
			text = html_text(r->desc);
			free(r->desc);
			r->desc = text;
		} else if (!(strcmp(fmt, "2") == 0 || strcmp(fmt, "4") == 0 ||
		    (*fmt == '\0' && r->desc[0] == '\0'))) {
			diag_add(dl, path, r->line, "description format '%s' "
			    "is not one of 0 (Moodle auto-format), 1 (HTML), "
			    "2 (plain text), 4 (Markdown)", fmt);
			errors++;
			r->bad = 1;
		}
		if (r->id[0] == '\0') {
			diag_add(dl, path, r->line, "empty id number: every "
			    "row needs one");
			errors++;
			r->bad = 1;
		} else if ((dup = row_find(rows, i, r->id)) != NULL) {
			diag_add(dl, path, r->line, "duplicate id number '%s' "
			    "(first on line %d)", r->id, dup->line);
			errors++;
			r->bad = 1;
		}
		if (r->name[0] == '\0') {
			diag_add(dl, path, r->line, "empty shortname: every "
			    "row needs a name");
			errors++;
			r->bad = 1;
		} else if (strpbrk(r->name, "\r\n") != NULL) {
			text = one_line(r->name);
			diag_add(dl, path, r->line, "the shortname '%s' has a "
			    "line break: names are written on one line in "
			    "Markdown", text);
			free(text);
			errors++;
			r->bad = 1;
		}

		if (r->kind == ROW_FRAMEWORK) {
			if (fwrow != NULL) {
				diag_add(dl, path, r->line, "a second "
				    "framework row (the first is on line %d): "
				    "the file must describe one framework",
				    fwrow->line);
				errors++;
				r->bad = 1;
				continue;
			}
			fwrow = r;
			if (r->id[0] != '\0' && !slug_valid(r->id)) {
				diag_add(dl, path, r->line, "the framework id "
				    "number '%s' is not a valid slug: use "
				    "lower-case letters, digits and '-', such "
				    "as governance-migrazioni", r->id);
				errors++;
				r->bad = 1;
			}
			continue;
		}
		if (r->parent[0] == '\0') {
			r->kind = ROW_AREA;
			if (r->id[0] != '\0' && !area_code_ok(r->id)) {
				diag_add(dl, path, r->line, "area id number "
				    "'%s' must be 2 to 5 capital letters, such "
				    "as GOV", r->id);
				errors++;
				r->bad = 1;
			}
			continue;
		}
		if ((p = row_find(rows, nrows, r->parent)) == NULL) {
			diag_add(dl, path, r->line, "unknown parent id number "
			    "'%s': no row has that id number", r->parent);
			errors++;
			r->bad = 1;
			continue;
		}
		if (p->kind == ROW_FRAMEWORK) {
			diag_add(dl, path, r->line, "parent id number '%s' is "
			    "the framework: leave it empty for an area",
			    r->parent);
			errors++;
			r->bad = 1;
			continue;
		}
		if (p->parent[0] != '\0') {
			diag_add(dl, path, r->line, "'%s' is under the "
			    "competence '%s': Capacita frameworks have two "
			    "levels, areas and competences", r->id, p->id);
			errors++;
			r->bad = 1;
			continue;
		}
		r->kind = ROW_COMPETENCE;
		if (area_code_ok(p->id) && r->id[0] != '\0' &&
		    !comp_code_ok(r->id, p->id)) {
			diag_add(dl, path, r->line, "competence id number '%s' "
			    "must be the code of its area, a dot and a number "
			    "from 1 to 99, such as %s.1", r->id, p->id);
			errors++;
			r->bad = 1;
		}
		if (strchr(r->name, ':') != NULL) {
			diag_add(dl, path, r->line, "competence shortname "
			    "'%s' has a colon: the framework format separates "
			    "name and description with the first colon",
			    r->name);
			errors++;
			r->bad = 1;
		}
		text = one_line(r->desc);
		if (*text == '\0') {
			diag_add(dl, path, r->line, "competence '%s' has no "
			    "description: Capacita needs one for every "
			    "competence", r->id);
			errors++;
			r->bad = 1;
		}
		free(text);
	}
	if (fwrow == NULL) {
		diag_add(dl, path, 1, "no framework row: one row must have "
		    "'Is framework' set to 1, with the slug as id number and "
		    "the levels as scale values");
		errors++;
	}

	fw = xcalloc(1, sizeof(*fw));
	fw->path = xstrdup(path);
	if (fwrow != NULL)
		errors += scale_levels(fw, fwrow, path, dl);
	ncomps = 0;
	for (i = 0; i < nrows; i++)
		ncomps += rows[i].kind == ROW_COMPETENCE;
	if (errors == 0 && ncomps == 0) {
		diag_add(dl, path, 1, "the file defines no competence: "
		    "competences are rows whose parent is an area");
		errors++;
	}
	if (errors > 0) {
		framework_free(fw);
		rows_free(rows, nrows);
		return (errors);
	}

	fw->slug = xstrdup(fwrow->id);
	fw->title = xstrdup(fwrow->name);
	summary_levels(fw, fwrow->desc);
	fw->areas = xcalloc(nrows, sizeof(*fw->areas));
	fw->comps = xcalloc(nrows, sizeof(*fw->comps));
	for (i = 0; i < nrows; i++) {
		r = &rows[i];
		if (r->kind == ROW_AREA) {
			a = &fw->areas[fw->nareas++];
			a->code = xstrdup(r->id);
			a->name = xstrdup(r->name);
			a->description = one_line(r->desc);
			a->line = r->line;
		} else if (r->kind == ROW_COMPETENCE) {
			c = &fw->comps[fw->ncomps++];
			c->code = xstrdup(r->id);
			c->area = xstrdup(r->parent);
			c->name = xstrdup(r->name);
			c->description = one_line(r->desc);
			c->line = r->line;
		}
	}
	framework_md_write(fw, md);
	framework_free(fw);
	rows_free(rows, nrows);
	return (0);
}
