/*
 * fuzz-roles.c: roles_parse() over any bytes (courses/roles.csv, and
 * the role profiles HR offices upload), then roles_check() against a
 * small framework, as content.c and the upload page do.
 */

#include "fuzz.h"

static struct framework	*fw;

static const char framework_md[] =
    "---\n"
    "title: Quadro\n"
    "slug: quadro\n"
    "levels:\n"
    "  - base: Conosce.\n"
    "  - intermedio: Applica.\n"
    "  - avanzato: Guida.\n"
    "---\n"
    "## GOV Governance\n"
    "- **GOV.1** Riparto: Chi fa cosa.\n"
    "- **GOV.2** Reti: Lavorare in rete.\n"
    "## ACC Accesso\n"
    "- **ACC.1** Sportello: Accoglienza.\n";

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	struct diaglist	dl;

	fuzz_init();
	diag_init(&dl);
	fw = framework_parse("quadro.md", framework_md,
	    sizeof(framework_md) - 1, &dl);
	if (fw == NULL) {
		diag_print(stderr, &dl);
		abort();
	}
	diag_free(&dl);
	return (0);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct diaglist	 dl;
	struct roles	*rs;
	size_t		 i, j;

	diag_init(&dl);
	rs = roles_parse("roles.csv", (const char *)data, size, &dl);
	if (rs != NULL) {
		FUZZ_ASSERT(diag_count(&dl) == 0);
		FUZZ_ASSERT(rs->nroles > 0);
		for (i = 0; i < rs->nroles; i++) {
			FUZZ_ASSERT(slug_valid(rs->roles[i].code));
			FUZZ_ASSERT(rs->roles[i].nreqs > 0);
			for (j = 0; j < rs->roles[i].nreqs; j++)
				FUZZ_ASSERT(rs->roles[i].reqs[j].
				    competence[0] != '\0');
		}
		(void)roles_check(rs, fw, &dl);
		roles_free(rs);
	} else
		FUZZ_ASSERT(diag_count(&dl) > 0);
	diag_free(&dl);
	return (0);
}
