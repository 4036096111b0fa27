/*
 * csv.c: CSV as RFC 4180 describes it (quoted fields, "" inside quotes,
 * line breaks inside quotes, CRLF or LF), plus what spreadsheets do in
 * Italy: a UTF-8 byte order mark, and ';' as the separator when the
 * header line has semicolons and no commas.
 */

#include <stdlib.h>
#include <string.h>

#include "capacita.h"

static void	csv_push_field(struct csv_row *, struct buf *);
static char	csv_separator(const char *, const char *);

static void
csv_push_field(struct csv_row *row, struct buf *f)
{
	row->fields = xreallocarray(row->fields, row->nfields + 1,
	    sizeof(char *));
	row->fields[row->nfields++] = xstrndup(f->data, f->len);
	buf_reset(f);
}

/*
 * The separator: ';' when the header, the first record that is not a
 * blank line, has semicolons and no commas, else ','. Quoted text does
 * not count, and a line break inside quotes does not end the header.
 */
static char
csv_separator(const char *p, const char *end)
{
	size_t	semicolons, commas;
	int	quoted;

	while (p < end && (*p == '\r' || *p == '\n'))
		p++;
	semicolons = commas = 0;
	quoted = 0;
	for (; p < end; p++) {
		if (*p == '"')
			quoted = !quoted;
		else if (quoted)
			continue;
		else if (*p == '\r' || *p == '\n')
			break;
		else if (*p == ';')
			semicolons++;
		else if (*p == ',')
			commas++;
	}
	return (semicolons > 0 && commas == 0 ? ';' : ',');
}

/*
 * Parse text into rows. Blank lines are skipped. On error, a message
 * "line N: ..." goes to err and -1 is returned.
 */
int
csv_parse(struct csv *csv, const char *text, size_t len, struct buf *err)
{
	struct csv_row	 row;
	struct buf	 f;
	const char	*p, *end;
	char		 sep;
	int		 line, quoted, after_quote, blank;

	memset(csv, 0, sizeof(*csv));
	if (!utf8_valid(text, len)) {
		buf_printf(err, "line %d: invalid UTF-8: save the file as "
		    "UTF-8", line_of_offset(text, utf8_invalid_offset(text,
		    len)));
		return (-1);
	}
	p = text;
	end = text + len;
	if (len >= 3 && memcmp(p, "\xef\xbb\xbf", 3) == 0)
		p += 3;
	sep = csv_separator(p, end);

	buf_init(&f, 64);
	memset(&row, 0, sizeof(row));
	line = 1;
	row.line = 1;
	quoted = after_quote = 0;
	blank = 1;
	for (; p < end; p++) {
		if (quoted) {
			if (*p == '"') {
				if (p + 1 < end && p[1] == '"') {
					buf_putc(&f, '"');
					p++;
				} else {
					quoted = 0;
					after_quote = 1;
				}
			} else {
				if (*p == '\n')
					line++;
				buf_putc(&f, *p);
			}
			continue;
		}
		if (*p == '\r' && p + 1 < end && p[1] == '\n')
			continue;
		if (*p == sep) {
			csv_push_field(&row, &f);
			after_quote = 0;
			blank = 0;
		} else if (*p == '\n' || *p == '\r') {
			if (!blank || f.len > 0 || row.nfields > 0) {
				csv_push_field(&row, &f);
				csv->rows = xreallocarray(csv->rows,
				    csv->nrows + 1, sizeof(*csv->rows));
				csv->rows[csv->nrows++] = row;
			}
			memset(&row, 0, sizeof(row));
			line++;
			row.line = line;
			after_quote = 0;
			blank = 1;
		} else if (*p == '"') {
			if (f.len > 0 || after_quote) {
				buf_printf(err, "line %d: a quote inside an "
				    "unquoted field: wrap the field in quotes "
				    "and double the quote", line);
				goto fail;
			}
			quoted = 1;
			blank = 0;
		} else {
			if (after_quote) {
				buf_printf(err, "line %d: text after a closing "
				    "quote", line);
				goto fail;
			}
			buf_putc(&f, *p);
			blank = 0;
		}
	}
	if (quoted) {
		buf_printf(err, "line %d: unterminated quoted field",
		    row.line);
		goto fail;
	}
	if (!blank || f.len > 0 || row.nfields > 0) {
		csv_push_field(&row, &f);
		csv->rows = xreallocarray(csv->rows, csv->nrows + 1,
		    sizeof(*csv->rows));
		csv->rows[csv->nrows++] = row;
	} else
		free(row.fields);
	buf_free(&f);
	return (0);
fail:
	buf_reset(&f);
	while (row.nfields > 0)
		free(row.fields[--row.nfields]);
	free(row.fields);
	buf_free(&f);
	csv_free(csv);
	return (-1);
}

void
csv_free(struct csv *csv)
{
	size_t	i, j;

	for (i = 0; i < csv->nrows; i++) {
		for (j = 0; j < csv->rows[i].nfields; j++)
			free(csv->rows[i].fields[j]);
		free(csv->rows[i].fields);
	}
	free(csv->rows);
	memset(csv, 0, sizeof(*csv));
}

/*
 * Append one field for export: quoted when needed. A leading = + - @
 * tab or CR is prefixed with ' so that a spreadsheet never runs it as a
 * formula (CSV injection).
 */
void
csv_field(struct buf *b, const char *s)
{
	const char	*p;
	double		 d;
	int		 quote;

	quote = strpbrk(s, ",;\"\r\n") != NULL;
	if (quote)
		buf_putc(b, '"');
	if ((*s == '=' || *s == '+' || *s == '-' || *s == '@' ||
	    *s == '\t' || *s == '\r') && quiz_parse_number(s, &d) != 0)
		buf_putc(b, '\'');
	for (p = s; *p != '\0'; p++) {
		if (*p == '"')
			buf_putc(b, '"');
		buf_putc(b, *p);
	}
	if (quote)
		buf_putc(b, '"');
}

/*
 * CSV downloads for people and for programs. The Italian form is for a
 * spreadsheet set to Italian (Excel, LibreOffice): ';' between fields,
 * a decimal comma, a UTF-8 byte order mark so that accents show, the
 * headers in Italian. The international form (LANG_EN, ?format=intl):
 * ',' and '.', English headers, no mark. Numbers never have a thousands
 * separator; lines end CRLF (RFC 4180).
 */
void
csv_out_init(struct csv_out *c, struct buf *b, enum lang lang)
{
	c->b = b;
	c->lang = lang == LANG_IT ? LANG_IT : LANG_EN;
	c->sep = c->lang == LANG_IT ? ';' : ',';
	c->col = 0;
	if (c->lang == LANG_IT)
		buf_puts(b, "\xef\xbb\xbf");
}

/* The header line: names "a,b,c", each one message csv.NAME. */
void
csv_out_head(struct csv_out *c, const char *names)
{
	char	*copy, *p, *name, key[96];

	copy = xstrdup(names);
	for (p = copy; (name = strsep(&p, ",")) != NULL;) {
		(void)snprintf(key, sizeof(key), "csv.%s", name);
		csv_out_text(c, i18n_get(c->lang, key));
	}
	free(copy);
	csv_out_end(c);
}

void
csv_out_text(struct csv_out *c, const char *s)
{
	if (c->col++ > 0)
		buf_putc(c->b, c->sep);
	csv_field(c->b, s != NULL ? s : "");
}

/* A number as C or the database writes it ("12.50"); "" for none. */
void
csv_out_num(struct csv_out *c, const char *s)
{
	char	n[64];

	if (c->col++ > 0)
		buf_putc(c->b, c->sep);
	buf_puts(c->b, fmt_numstr(n, sizeof(n), c->lang, s, FMT_PLAIN));
}

/* A number with decimals digits; NAN is an empty field. */
void
csv_out_double(struct csv_out *c, double v, int decimals)
{
	char	n[64];

	if (c->col++ > 0)
		buf_putc(c->b, c->sep);
	buf_puts(c->b, fmt_num(n, sizeof(n), c->lang, v, decimals, FMT_PLAIN));
}

/* yes or no in the form's language. */
void
csv_out_bool(struct csv_out *c, int yes)
{
	csv_out_text(c, i18n_get(c->lang, yes ? "csv.yes" : "csv.no"));
}

void
csv_out_end(struct csv_out *c)
{
	buf_puts(c->b, "\r\n");
	c->col = 0;
}
