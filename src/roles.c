/*
 * roles.c: role profiles (courses/roles.csv), the level each job role
 * requires in each competence:
 *
 *	role,name,competence,level
 *	operatore-sportello,Operatore di sportello,ACC.1,intermedio
 *	operatore-sportello,Operatore di sportello,MED.2,base
 *
 * One row per requirement; the rows of a role must give it the same
 * name. HR offices upload the same format for the roles of their unit.
 * Competences and levels are checked against the framework by the
 * caller (content.c, or the store for uploads).
 */

#include <stdlib.h>
#include <string.h>

#include "capacita.h"

static const char *roles_header[] = { "role", "name", "competence",
    "level" };

static struct job_role	*roles_find(struct roles *, const char *);

static struct job_role *
roles_find(struct roles *rs, const char *code)
{
	size_t	i;

	for (i = 0; i < rs->nroles; i++) {
		if (strcmp(rs->roles[i].code, code) == 0)
			return (&rs->roles[i]);
	}
	return (NULL);
}

/*
 * Parse a roles file. Returns NULL when any row is bad, with one
 * diagnostic per problem.
 */
struct roles *
roles_parse(const char *path, const char *src, size_t len,
    struct diaglist *dl)
{
	struct csv		 csv;
	struct roles		*rs;
	struct job_role		*r;
	struct role_req		*q;
	struct buf		 err;
	const struct csv_row	*row;
	size_t			 i, j;
	int			 errors;

	buf_init(&err, 128);
	if (csv_parse(&csv, src, len, &err) == -1) {
		/* err reads "line N: ..." */
		diag_add(dl, path, atoi(err.data + 5), "%s",
		    strchr(err.data, ':') != NULL ?
		    strchr(err.data, ':') + 2 : err.data);
		buf_free(&err);
		return (NULL);
	}
	buf_free(&err);
	rs = xcalloc(1, sizeof(*rs));
	rs->path = xstrdup(path);
	sha256_hex(src, len, rs->sha256);
	errors = 0;
	if (csv.nrows == 0 || csv.rows[0].nfields != 4) {
		diag_add(dl, path, 1, "the first line must be the header "
		    "'role,name,competence,level'");
		errors++;
		goto out;
	}
	for (i = 0; i < 4; i++) {
		if (strcmp(str_trim(csv.rows[0].fields[i]),
		    roles_header[i]) != 0) {
			diag_add(dl, path, 1, "column %zu of the header must "
			    "be '%s'", i + 1, roles_header[i]);
			errors++;
			goto out;
		}
	}
	for (i = 1; i < csv.nrows; i++) {
		row = &csv.rows[i];
		if (row->nfields != 4) {
			diag_add(dl, path, row->line, "expected 4 fields "
			    "(role,name,competence,level), found %zu",
			    row->nfields);
			errors++;
			continue;
		}
		for (j = 0; j < 4; j++)
			(void)str_trim(row->fields[j]);
		if (!slug_valid(row->fields[0])) {
			diag_add(dl, path, row->line, "role code '%s' must be "
			    "lower-case letters, digits and dashes",
			    row->fields[0]);
			errors++;
			continue;
		}
		if (row->fields[2][0] == '\0' || row->fields[3][0] == '\0') {
			diag_add(dl, path, row->line, "competence and level "
			    "are required");
			errors++;
			continue;
		}
		if ((r = roles_find(rs, row->fields[0])) == NULL) {
			if (row->fields[1][0] == '\0' ||
			    strlen(row->fields[1]) > 200) {
				diag_add(dl, path, row->line, "role '%s' "
				    "needs a name of 1 to 200 characters",
				    row->fields[0]);
				errors++;
				continue;
			}
			rs->roles = xreallocarray(rs->roles, rs->nroles + 1,
			    sizeof(*rs->roles));
			r = &rs->roles[rs->nroles++];
			memset(r, 0, sizeof(*r));
			r->code = xstrdup(row->fields[0]);
			r->name = xstrdup(row->fields[1]);
			r->line = row->line;
		} else if (row->fields[1][0] != '\0' &&
		    strcmp(row->fields[1], r->name) != 0) {
			diag_add(dl, path, row->line, "role '%s' is named "
			    "'%s' on line %d: leave the name empty or repeat "
			    "it", r->code, r->name, r->line);
			errors++;
			continue;
		}
		for (j = 0; j < r->nreqs; j++) {
			if (strcmp(r->reqs[j].competence,
			    row->fields[2]) == 0)
				break;
		}
		if (j < r->nreqs) {
			diag_add(dl, path, row->line, "role '%s' already "
			    "requires %s (line %d)", r->code, row->fields[2],
			    r->reqs[j].line);
			errors++;
			continue;
		}
		r->reqs = xreallocarray(r->reqs, r->nreqs + 1,
		    sizeof(*r->reqs));
		q = &r->reqs[r->nreqs++];
		q->competence = xstrdup(row->fields[2]);
		q->level = xstrdup(row->fields[3]);
		q->line = row->line;
	}
	if (errors == 0 && rs->nroles == 0) {
		diag_add(dl, path, 1, "no role is defined");
		errors++;
	}
out:
	csv_free(&csv);
	if (errors > 0) {
		roles_free(rs);
		return (NULL);
	}
	return (rs);
}

/* Competences and levels named by the roles exist in the framework. */
int
roles_check(const struct roles *rs, const struct framework *fw,
    struct diaglist *dl)
{
	const struct fw_competence	*c;
	struct buf			 names;
	size_t				 i, j;
	int				 errors;

	errors = 0;
	buf_init(&names, 64);
	for (i = 0; i < rs->nroles; i++) {
		for (j = 0; j < rs->roles[i].nreqs; j++) {
			const struct role_req	*q = &rs->roles[i].reqs[j];

			if ((c = framework_find(fw, q->competence)) == NULL) {
				diag_add(dl, rs->path, q->line, "competence "
				    "'%s' is not in the framework",
				    q->competence);
				errors++;
			} else if (framework_level(fw, q->level) == 0) {
				buf_reset(&names);
				framework_levels_list(fw, &names);
				diag_add(dl, rs->path, q->line, "unknown level "
				    "'%s': the framework's levels are %s",
				    q->level, names.data);
				errors++;
			}
		}
	}
	buf_free(&names);
	return (errors);
}

void
roles_free(struct roles *rs)
{
	size_t	i, j;

	if (rs == NULL)
		return;
	for (i = 0; i < rs->nroles; i++) {
		for (j = 0; j < rs->roles[i].nreqs; j++) {
			free(rs->roles[i].reqs[j].competence);
			free(rs->roles[i].reqs[j].level);
		}
		free(rs->roles[i].reqs);
		free(rs->roles[i].code);
		free(rs->roles[i].name);
	}
	free(rs->roles);
	free(rs->path);
	free(rs);
}
