/*
 * fuzz-csv.c: csv_parse() over any bytes, as the staff import (bin/
 * capacita user import, the admin upload) reads it, with the import's
 * row rules that live in the core: the optional "name,email" header,
 * four fields a row, one row per e-mail address, auth_email_normalise()
 * on the address and auth_role_from() on each "role@scope" of the roles
 * field. (The rest of a row, organisations and scopes, needs the
 * database: store-account.c.)
 *
 * Then every row is written back with csv_field() and must read back
 * as the same fields (with the ' that csv_field() puts before a
 * formula).
 */

#include <strings.h>

#include "fuzz.h"

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	fuzz_init();
	return (0);
}

/* The field as csv_field() writes it reads back as. */
static int
same_field(const char *orig, const char *back)
{
	double	d;

	if ((*orig == '=' || *orig == '+' || *orig == '-' || *orig == '@' ||
	    *orig == '\t' || *orig == '\r') &&
	    quiz_parse_number(orig, &d) != 0)
		return (back[0] == '\'' && strcmp(orig, back + 1) == 0);
	return (strcmp(orig, back) == 0);
}

static void
import_rows(struct csv *csv)
{
	struct csv_row	*r;
	size_t		 i, j, first;
	char		*email, *roles, *tok, *save, *at;

	first = 0;
	if (csv->nrows > 0 && csv->rows[0].nfields >= 2 &&
	    strcasecmp(csv->rows[0].fields[0], "name") == 0 &&
	    strcasecmp(csv->rows[0].fields[1], "email") == 0)
		first = 1;
	for (i = first; i < csv->nrows; i++) {
		r = &csv->rows[i];
		FUZZ_ASSERT(r->line >= 1);
		if (r->nfields != 4)
			continue;
		for (j = first; j < i; j++) {
			if (csv->rows[j].nfields == 4 && strcasecmp(
			    csv->rows[j].fields[1], r->fields[1]) == 0)
				break;
		}
		if (j < i)
			continue;
		(void)str_trim(r->fields[0]);
		(void)str_trim(r->fields[2]);
		(void)slug_valid(r->fields[2]);
		(void)utf8_strlen(r->fields[0]);
		if ((email = auth_email_normalise(r->fields[1])) != NULL) {
			FUZZ_ASSERT(strlen(email) <= 254 &&
			    strchr(email, '@') != NULL);
			free(email);
		}
		roles = xstrdup(r->fields[3]);
		for (tok = strtok_r(roles, ";", &save); tok != NULL;
		    tok = strtok_r(NULL, ";", &save)) {
			if ((at = strchr(tok, '@')) != NULL)
				*at++ = '\0';
			tok = str_trim(tok);
			(void)auth_role_from(tok);
			if (at != NULL)
				(void)slug_valid(str_trim(at));
		}
		free(roles);
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct csv	 csv, back;
	struct buf	 err, out;
	size_t		 i, j;
	int		 ok;

	buf_init(&err, 64);
	if (csv_parse(&csv, (const char *)data, size, &err) == -1) {
		FUZZ_ASSERT(strncmp(err.data, "line ", 5) == 0);
		FUZZ_ASSERT(csv.nrows == 0 && csv.rows == NULL);
		buf_free(&err);
		return (0);
	}
	FUZZ_ASSERT(err.len == 0);
	import_rows(&csv);

	/* Written back with csv_field(), one row a line, ',' between. */
	buf_init(&out, size * 2 + 64);
	ok = 1;
	for (i = 0; i < csv.nrows; i++) {
		FUZZ_ASSERT(csv.rows[i].nfields > 0);
		/* A lone empty field is a blank line: skipped on reading. */
		if (csv.rows[i].nfields == 1 && csv.rows[i].fields[0][0] ==
		    '\0')
			ok = 0;
		for (j = 0; j < csv.rows[i].nfields; j++) {
			if (j > 0)
				buf_putc(&out, ',');
			csv_field(&out, csv.rows[i].fields[j]);
		}
		buf_puts(&out, "\r\n");
	}
	/* A leading byte order mark is taken off on reading. */
	if (out.len >= 3 && memcmp(out.data, "\xef\xbb\xbf", 3) == 0)
		ok = 0;
	if (ok) {
		buf_reset(&err);
		if (csv_parse(&back, out.data, out.len, &err) == -1) {
			fprintf(stderr, "%s\n--- written:\n%s\n", err.data,
			    out.data);
			FUZZ_ASSERT(!"csv_field() output reads back");
		}
		FUZZ_ASSERT(back.nrows == csv.nrows);
		for (i = 0; i < csv.nrows; i++) {
			FUZZ_ASSERT(back.rows[i].nfields ==
			    csv.rows[i].nfields);
			for (j = 0; j < csv.rows[i].nfields; j++)
				FUZZ_ASSERT(same_field(csv.rows[i].fields[j],
				    back.rows[i].fields[j]));
		}
		csv_free(&back);
	}
	buf_free(&out);
	buf_free(&err);
	csv_free(&csv);
	return (0);
}
