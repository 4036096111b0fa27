/*
 * test-framework.c: frameworks of any depth (framework.c) and Moodle's
 * own framework file through the CSV import and export
 * (framework-csv.c): tests/data/framework/moodle-example.csv, Moodle's
 * fixture for its importer, 64 competencies four levels deep.
 */

#include <stdlib.h>
#include <string.h>

#include "capacita.h"
#include "harness.h"

#define EXAMPLE		"tests/data/framework/moodle-example.csv"

static char	*diags(struct diaglist *);
static void	 test_code_rule(void);
static void	 test_tree(void);
static void	 test_tree_errors(void);
static void	 test_levels(void);
static void	 test_moodle_example(void);
static void	 test_moodle_export(const struct framework *,
		    const struct csv *);

static char *
diags(struct diaglist *dl)
{
	struct buf	b;

	buf_init(&b, 256);
	diag_format(&b, dl);
	return (buf_release(&b));
}

/* One rule for codes: the areas, the competences, ids of Moodle. */
static void
test_code_rule(void)
{
	static const char *const good[] = {
		"GOV", "GOV.1", "ACC.2", "GOV.1.2.a", "OECD-CORE", "levels",
		"level-1", "DR-AT1", "I-I-1", "1.1", "1", "a_b",
	};
	static const char *const bad[] = {
		"", ".1", "-a", "_a", "a b", "a/b", "a,b", "a:b", "à1", "a\tb",
		"GOV.1 ",
	};
	char	long_code[FW_CODE_MAX + 2];
	size_t	i;

	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++)
		CHECK(competence_code_valid(good[i]));
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		CHECK(!competence_code_valid(bad[i]));
	memset(long_code, 'a', sizeof(long_code));
	long_code[FW_CODE_MAX] = '\0';
	CHECK(competence_code_valid(long_code));
	long_code[FW_CODE_MAX] = 'a';
	long_code[FW_CODE_MAX + 1] = '\0';
	CHECK(!competence_code_valid(long_code));
}

/* A four-level tree in Markdown: parents, areas, depths, the names. */
static void
test_tree(void)
{
	static const char src[] =
	    "---\n"
	    "title: Albero\n"
	    "slug: albero\n"
	    "levels:\n"
	    "  - Not yet competent: not yet\n"
	    "  - Competent\n"
	    "proficient: Competent\n"
	    "default: Competent\n"
	    "---\n"
	    "# Albero\n"
	    "\n"
	    "Primo paragrafo *con enfasi*\n"
	    "su due righe.\n"
	    "\n"
	    "Secondo paragrafo.\n"
	    "\n"
	    "## comp Competencies\n"
	    "\n"
	    "- **delivery** Delivery-related: Achieving\n"
	    "  - **analytical** Analytical Thinking\n"
	    "    - **DR-AT1** Distinguishes\\: critical: from irrelevant\n"
	    "    - **DR-AT-2** Gathers `a:b` *c*: d: e\n"
	    "  - **flex** Flexible\n"
	    "- **inter** Interpersonal\n"
	    "\n"
	    "## lev Levels\n"
	    "\n"
	    "What levels are.\n"
	    "\n"
	    "- **level-1** Level 1\n";
	struct framework	*fw, *fw2;
	struct diaglist		 dl;
	struct buf		 md, md2;
	char			*d;

	diag_init(&dl);
	fw = framework_parse("t.md", src, strlen(src), &dl);
	d = diags(&dl);
	CHECK_STR(d, "");
	free(d);
	CHECK(fw != NULL && fw->ncomps == 9);
	if (fw == NULL || fw->ncomps != 9) {
		framework_free(fw);
		diag_free(&dl);
		return;
	}
	CHECK_STR(fw->introduction, "Primo paragrafo *con enfasi*\nsu due "
	    "righe.\n\nSecondo paragrafo.");
	CHECK(fw->nlevels == 2 && !fw->levels[0].proficient &&
	    fw->levels[1].proficient && fw->default_level == 1);
	CHECK_STR(fw->levels[0].name, "Not yet competent");
	CHECK_STR(fw->levels[0].description, "not yet");
	CHECK_STR(fw->comps[0].code, "comp");
	CHECK(fw->comps[0].parent == NULL && fw->comps[0].depth == 0);
	CHECK_STR(fw->comps[1].code, "delivery");
	CHECK_STR(fw->comps[1].parent, "comp");
	CHECK_STR(fw->comps[1].description, "Achieving");
	CHECK_STR(fw->comps[2].code, "analytical");
	CHECK_STR(fw->comps[2].parent, "delivery");
	CHECK_STR(fw->comps[2].description, "");
	CHECK(fw->comps[2].depth == 2);
	CHECK_STR(fw->comps[3].code, "DR-AT1");
	CHECK_STR(fw->comps[3].parent, "analytical");
	CHECK_STR(fw->comps[3].area, "comp");
	CHECK(fw->comps[3].depth == 3);
	/* An escaped colon is the name's; the first bare one ends it. */
	CHECK_STR(fw->comps[3].name, "Distinguishes: critical");
	CHECK_STR(fw->comps[3].description, "from irrelevant");
	/* A colon inside a code span is no separator either. */
	CHECK_STR(fw->comps[4].name, "Gathers a:b c");
	CHECK_STR(fw->comps[4].description, "d: e");
	CHECK_STR(fw->comps[5].parent, "delivery");
	CHECK_STR(fw->comps[6].code, "inter");
	CHECK_STR(fw->comps[6].parent, "comp");
	CHECK_STR(fw->comps[7].code, "lev");
	CHECK_STR(fw->comps[7].description, "What levels are.");
	CHECK_STR(fw->comps[8].area, "lev");
	CHECK(framework_find(fw, "DR-AT-2") == &fw->comps[4]);

	/* Written back and read again: the same tree, the same bytes. */
	buf_init(&md, 1024);
	buf_init(&md2, 1024);
	framework_md_write(fw, &md);
	CHECK_HAS(md.data, "\n    - **DR-AT1** Distinguishes\\: critical: "
	    "from irrelevant\n");
	CHECK_HAS(md.data, "\n  - **analytical** Analytical Thinking\n");
	CHECK_HAS(md.data, "\nproficient: Competent\ndefault: Competent\n");
	fw2 = framework_parse("t2.md", md.data, md.len, &dl);
	CHECK(fw2 != NULL);
	if (fw2 != NULL) {
		framework_md_write(fw2, &md2);
		CHECK_STR(md2.data, md.data);
		CHECK_STR(fw2->comps[3].name, "Distinguishes: critical");
		CHECK_STR(fw2->introduction, fw->introduction);
	}
	framework_free(fw2);
	framework_free(fw);
	buf_free(&md);
	buf_free(&md2);
	diag_free(&dl);
}

/* Every mistake of a tree, at its line. */
static void
test_tree_errors(void)
{
	static const struct {
		const char	*body;
		const char	*want;
	} bad[] = {
		{ "- **A.1** Outside\n", "t.md:7: competence outside an area" },
		{ "## A Area\n- **a b** Space\n", "t.md:8: competence code "
		    "'a b'" },
		{ "## A Area\n- **A.1** One\n  - **A.1** Again\n",
		    "t.md:9: duplicate competence 'A.1' (first on line 8)" },
		{ "## A Area\n- **A.1**\n", "t.md:8: competence 'A.1' has no "
		    "name" },
		{ "## A Area\n- **A.1** One\n\n  More text.\n",
		    "t.md:10: under competence 'A.1' only a list of its "
		    "sub-competences may follow" },
		{ "## A Area\n- plain item\n", "t.md:8: a competence is "
		    "written as" },
		{ "## Area\n", "t.md:7: an area heading is '## CODE Area "
		    "name'" },
		{ "## A Area\n## A Again\n", "t.md:8: duplicate area 'A'" },
		{ "## A Area\n- **A** Same code\n", "t.md:8: duplicate "
		    "competence 'A' (first on line 7)" },
	};
	struct framework	*fw;
	struct diaglist		 dl;
	struct buf		 src;
	char			*d;
	size_t			 i;

	buf_init(&src, 256);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		buf_reset(&src);
		buf_printf(&src, "---\ntitle: T\nslug: t\nlevels:\n  - base\n"
		    "---\n%s", bad[i].body);
		diag_init(&dl);
		fw = framework_parse("t.md", src.data, src.len, &dl);
		CHECK(fw == NULL);
		d = diags(&dl);
		CHECK_HAS(d, bad[i].want);
		free(d);
		framework_free(fw);
		diag_free(&dl);
	}
	buf_free(&src);
}

/* proficient and default name levels; Capacita's default otherwise. */
static void
test_levels(void)
{
	static const struct {
		const char	*front;
		const char	*want;
	} bad[] = {
		{ "proficient: alto\n", "t.md:7: 'proficient' names levels of "
		    "'levels', not 'alto'" },
		{ "proficient:\n", "'proficient' must name at least one" },
		{ "default: alto\n", "t.md:7: 'default' names a level of "
		    "'levels', not 'alto'" },
		{ "taxonomy: x\nsorgente: y\n", "unknown key 'sorgente'" },
	};
	struct framework	*fw;
	struct diaglist		 dl;
	struct buf		 src;
	char			*d;
	const char		*ok;
	size_t			 i;

	ok = "---\ntitle: T\nslug: t\nlevels:\n  - base\n  - medio\n"
	    "  - alto e oltre: the top\n---\n## A Area\n";
	diag_init(&dl);
	fw = framework_parse("t.md", ok, strlen(ok), &dl);
	CHECK(fw != NULL);
	if (fw != NULL) {
		CHECK(!fw->levels[0].proficient && fw->levels[1].proficient &&
		    fw->levels[2].proficient && fw->default_level == 0);
		CHECK(framework_level(fw, "alto e oltre") == 3);
	}
	framework_free(fw);
	diag_free(&dl);

	buf_init(&src, 256);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		buf_reset(&src);
		buf_printf(&src, "---\ntitle: T\nslug: t\nlevels:\n  - base\n"
		    "  - medio\n%s---\n## A Area\n", bad[i].front);
		diag_init(&dl);
		fw = framework_parse("t.md", src.data, src.len, &dl);
		CHECK(fw == NULL);
		d = diags(&dl);
		CHECK_HAS(d, bad[i].want);
		free(d);
		framework_free(fw);
		diag_free(&dl);
	}
	buf_free(&src);
}

/*
 * Capacita's export of the Moodle example, read as CSV again: 64
 * competencies, each under the parent Moodle's file gives it, the scale
 * and which of its values is proficient and the default.
 */
static void
test_moodle_export(const struct framework *fw, const struct csv *orig)
{
	struct csv	 out;
	struct buf	 b, err;
	size_t		 i, j, found;

	buf_init(&b, 65536);
	buf_init(&err, 128);
	framework_csv_write(fw, &b);
	CHECK(csv_parse(&out, b.data, b.len, &err) == 0);
	CHECK(out.nrows == orig->nrows);
	if (out.nrows != orig->nrows || out.nrows < 2) {
		csv_free(&out);
		buf_free(&b);
		buf_free(&err);
		return;
	}
	CHECK_STR(out.rows[1].fields[1], "OECD-CORE");
	CHECK_STR(out.rows[1].fields[5], "Not yet competent,Competent");
	CHECK_STR(out.rows[1].fields[6], "[{\"scaleid\":\"0\"},{\"id\":1,"
	    "\"scaledefault\":0,\"proficient\":0},{\"id\":2,\"scaledefault\":"
	    "1,\"proficient\":1}]");
	CHECK_STR(out.rows[1].fields[12], "1");
	CHECK_STR(out.rows[1].fields[13], "competency,competency,competency,"
	    "competency");
	/* The introduction is in the framework's description. */
	CHECK_HAS(out.rows[1].fields[3], "The Core Competencies summarise");
	CHECK_HAS(out.rows[1].fields[3], "The strategic competencies");
	/* Every competency of Moodle's file, with the same parent. */
	found = 0;
	for (i = 2; i < orig->nrows; i++) {
		for (j = 2; j < out.nrows; j++) {
			if (strcmp(out.rows[j].fields[1],
			    orig->rows[i].fields[1]) != 0)
				continue;
			CHECK_STR(out.rows[j].fields[0],
			    orig->rows[i].fields[0]);
			found++;
			break;
		}
	}
	CHECK(found == 64);
	csv_free(&out);
	buf_free(&b);
	buf_free(&err);
}

/*
 * Moodle's own fixture: imported whole (Moodle's importer reads 64
 * competencies from it), four levels deep, and back out with the same
 * structure; LF or CRLF alike; Markdown -> CSV -> Markdown identical.
 */
static void
test_moodle_example(void)
{
	struct framework	*fw, *fw2;
	struct diaglist		 dl;
	struct csv		 orig;
	struct buf		 md, md2, csv, lf, err;
	char			*src, *d;
	size_t			 len, i;
	int			 deepest;

	CHECK(file_read(EXAMPLE, &src, &len, SOURCE_MAX) == 0);
	if (src == NULL)
		return;
	diag_init(&dl);
	buf_init(&md, 65536);
	buf_init(&md2, 65536);
	buf_init(&csv, 65536);
	buf_init(&lf, 65536);
	buf_init(&err, 128);
	CHECK(framework_csv_read("example.csv", src, len, &md, &dl) == 0);
	d = diags(&dl);
	CHECK_STR(d, "");
	free(d);
	CHECK_HAS(md.data, "\nslug: OECD-CORE\n");
	CHECK_HAS(md.data, "\nlevels:\n  - Not yet competent\n  - Competent\n"
	    "proficient: Competent\ndefault: Competent\ntaxonomy: competency,"
	    "competency,competency,competency\n---\n");
	CHECK_HAS(md.data, "\n## competencies Competencies\n\n- **delivery** "
	    "Delivery-related: Achieving Results\n  - **analytical-thinking** "
	    "Analytical Thinking: Analytical Thinking is the ability");
	CHECK_HAS(md.data, "\n    - **DR-AT1** Distinguishes between critical "
	    "and irrelevant pieces of information: Distinguishes");

	fw = framework_parse("example.md", md.data, md.len, &dl);
	d = diags(&dl);
	CHECK_STR(d, "");
	free(d);
	CHECK(fw != NULL && fw->ncomps == 64);
	if (fw == NULL)
		goto out;
	deepest = 0;
	for (i = 0; i < fw->ncomps; i++) {
		if (fw->comps[i].depth > deepest)
			deepest = fw->comps[i].depth;
	}
	CHECK(deepest == 3);
	CHECK_STR(framework_find(fw, "S-ST-1")->parent, "strategic-thinking");
	CHECK_STR(framework_find(fw, "strategic-thinking")->parent,
	    "strategic");
	CHECK_STR(framework_find(fw, "strategic")->parent, "competencies");
	CHECK(framework_find(fw, "competencies")->parent == NULL);
	CHECK_STR(framework_find(fw, "S-ST-1")->area, "competencies");
	CHECK_STR(framework_find(fw, "competencies")->description, "");

	CHECK(csv_parse(&orig, src, len, &err) == 0);
	test_moodle_export(fw, &orig);
	csv_free(&orig);

	/* Capacita's export comes back as the same Markdown. */
	framework_csv_write(fw, &csv);
	CHECK(framework_csv_read("out.csv", csv.data, csv.len, &md2,
	    &dl) == 0);
	CHECK_STR(md2.data, md.data);
	fw2 = framework_parse("again.md", md2.data, md2.len, &dl);
	CHECK(fw2 != NULL && fw2->ncomps == 64);
	framework_free(fw2);

	/* Moodle's file with LF line breaks inside its fields too. */
	for (i = 0; i < len; i++) {
		if (src[i] != '\r')
			buf_putc(&lf, src[i]);
	}
	buf_reset(&md2);
	CHECK(framework_csv_read("lf.csv", lf.data, lf.len, &md2, &dl) == 0);
	CHECK_STR(md2.data, md.data);
	framework_free(fw);
out:
	free(src);
	buf_free(&md);
	buf_free(&md2);
	buf_free(&csv);
	buf_free(&lf);
	buf_free(&err);
	diag_free(&dl);
}

int
main(void)
{
	test_code_rule();
	test_tree();
	test_tree_errors();
	test_levels();
	test_moodle_example();
	T_SUMMARY();
}
