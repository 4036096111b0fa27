/*
 * test-fuzzed.c: the bugs the libFuzzer targets (tests/fuzz) found, one
 * test each, so that they stay fixed even where the fuzzers are not
 * run. The inputs that crashed are kept in tests/fuzz/crashes/ too.
 */

#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "capacita.h"
#include "harness.h"

static void	test_csv_separator(void);
static void	test_base64url_alphabet(void);
static void	test_frontmatter_cr(void);
static void	test_trim_form_feed(void);
static void	test_level_tab(void);
static void	test_title_space(void);
static void	test_xapi_verb_cut(void);

/*
 * The ';' separator was chosen from the raw first line: quoted text
 * counted and a line break inside quotes ended the header (fuzz-csv,
 * fuzz-encode). A blank first line hid a ';' header.
 */
static void
test_csv_separator(void)
{
	struct csv	 c;
	struct buf	 err, out;
	const char	*src;

	buf_init(&err, 64);

	/* An Italian spreadsheet: ';' between fields, ',' inside one. */
	src = "nome;\"ruolo, ufficio\";email\nAnna;\"hr, sede\";a@x.it\n";
	CHECK(csv_parse(&c, src, strlen(src), &err) == 0);
	CHECK(c.nrows == 2 && c.rows[0].nfields == 3 &&
	    c.rows[1].nfields == 3);
	if (c.nrows == 2 && c.rows[1].nfields == 3)
		CHECK_STR(c.rows[1].fields[1], "hr, sede");
	csv_free(&c);

	/* ',' between fields, ';' inside the quoted header field. */
	src = "\"a;b\",c\n1,2\n";
	CHECK(csv_parse(&c, src, strlen(src), &err) == 0);
	CHECK(c.nrows == 2 && c.rows[0].nfields == 2 &&
	    c.rows[1].nfields == 2);
	csv_free(&c);

	/* What csv_field() writes reads back (the fuzz-encode input). */
	buf_init(&out, 64);
	csv_field(&out, "\x01\x7f\t;\n\\\"x");
	buf_puts(&out, ",x\r\n");
	CHECK(csv_parse(&c, out.data, out.len, &err) == 0);
	CHECK(c.nrows == 1 && c.rows[0].nfields == 2);
	if (c.nrows == 1 && c.rows[0].nfields == 2)
		CHECK_STR(c.rows[0].fields[0], "\x01\x7f\t;\n\\\"x");
	csv_free(&c);
	buf_free(&out);

	/* A line break inside quotes does not end the header. */
	src = "\"multi\nline; header\",b\nx,y\n";
	CHECK(csv_parse(&c, src, strlen(src), &err) == 0);
	CHECK(c.nrows == 2 && c.rows[1].nfields == 2);
	csv_free(&c);

	/* A blank line before a ';' header. */
	src = "\r\n\nname;email\nA;a@x.it\n";
	CHECK(csv_parse(&c, src, strlen(src), &err) == 0);
	CHECK(c.nrows == 2 && c.rows[1].nfields == 2);
	csv_free(&c);

	/* Still ';' for a plain semicolon file, ',' for a one-column one. */
	src = "a;b\n1;2\n";
	CHECK(csv_parse(&c, src, strlen(src), &err) == 0);
	CHECK(c.nrows == 2 && c.rows[1].nfields == 2);
	csv_free(&c);
	src = "solo\n1;2\n";
	CHECK(csv_parse(&c, src, strlen(src), &err) == 0);
	CHECK(c.nrows == 2 && c.rows[1].nfields == 1);
	csv_free(&c);
	buf_free(&err);
}

/*
 * libsodium 1.0.18 decodes any byte from 0x80 up as a base64 digit, so
 * multibase_base64url_decode() took "uH4sIA\xedOoy..." (fuzz-multibase).
 */
static void
test_base64url_alphabet(void)
{
	struct buf	 b;
	unsigned char	*raw;
	size_t		 len;

	CHECK(multibase_base64url_decode("uH4sIA\xedOoyDGsC_-3BIQEAAAACIIP_Nzv"
	    "DAjQAAAAAAAAAAAAAAAAAAADA2wC5foOwAEAAAA", &len) == NULL);
	CHECK(multibase_base64url_decode("uAAA\xed", &len) == NULL);
	CHECK(multibase_base64url_decode("uAA\x80\x80", &len) == NULL);
	CHECK(multibase_base64url_decode("uAA AA", &len) == NULL);
	CHECK(multibase_base64url_decode("uAA==", &len) == NULL);
	CHECK(multibase_base64url_decode("zAAAA", &len) == NULL);

	buf_init(&b, 64);
	multibase_base64url(&b, (const unsigned char *)"\xfb\xff\x00", 3);
	CHECK_STR(b.data, "u-_8A");
	raw = multibase_base64url_decode(b.data, &len);
	CHECK(raw != NULL && len == 3 && memcmp(raw, "\xfb\xff\x00", 3) == 0);
	free(raw);
	raw = multibase_base64url_decode("u", &len);
	CHECK(raw != NULL && len == 0);
	free(raw);
	buf_free(&b);
}

/*
 * A CR alone ends a line in CommonMark (the body) but did not in the
 * front matter, where it stayed inside values: a framework level
 * "base: ...\r  - intermedio: ..." was one level, and writing it to
 * CSV and back folded the CR, so Markdown -> CSV -> Markdown -> CSV
 * changed the bytes (fuzz-framework).
 */
/*
 * A framework written as CSV, read back as Markdown, parsed and written
 * again gives the same CSV, byte for byte.
 */
static void
csv_round_trip(const struct framework *fw, struct diaglist *dl)
{
	struct framework	*fw2;
	struct buf		 csv, md, csv2;

	buf_init(&csv, 512);
	buf_init(&md, 512);
	buf_init(&csv2, 512);
	framework_csv_write(fw, &csv);
	CHECK(framework_csv_read("rt.csv", csv.data, csv.len, &md, dl) == 0);
	fw2 = framework_parse("rt.md", md.data, md.len, dl);
	CHECK(fw2 != NULL);
	if (fw2 != NULL) {
		framework_csv_write(fw2, &csv2);
		CHECK(csv.len == csv2.len &&
		    memcmp(csv.data, csv2.data, csv.len) == 0);
	}
	framework_free(fw2);
	buf_free(&csv);
	buf_free(&md);
	buf_free(&csv2);
}

static void
test_frontmatter_cr(void)
{
	struct frontmatter	 fm;
	struct framework	*fw;
	struct diaglist		 dl;
	const char		*src;

	src = "---\rtitle: a\rlist:\r  - x\r\n  - y\r---\rBody\r";
	diag_init(&dl);
	CHECK(fm_parse("cr.md", src, strlen(src), &fm, &dl) == 0);
	CHECK_STR(fm_str(&fm, "title"), "a");
	CHECK(fm_get(&fm, "list") != NULL && fm_get(&fm, "list")->nitems == 2);
	if (fm_get(&fm, "list") != NULL && fm_get(&fm, "list")->nitems == 2) {
		CHECK_STR(fm_get(&fm, "list")->items[1], "y");
		CHECK(fm_get(&fm, "list")->item_lines[1] == 5);
	}
	CHECK(strcmp(src + fm.body_off, "Body\r") == 0);
	CHECK(fm.body_line == 7);
	fm_free(&fm);
	diag_free(&dl);

	src = "---\ntitle: Q\nslug: q\nlevels:\n  - base: Conosce.\r"
	    "  - intermedio: Applica.\n---\n## AB Area\n- **AB.1** N: D.\n";
	diag_init(&dl);
	fw = framework_parse("q.md", src, strlen(src), &dl);
	CHECK(fw != NULL && fw->nlevels == 2);
	if (fw == NULL || fw->nlevels != 2) {
		framework_free(fw);
		diag_free(&dl);
		return;
	}
	CHECK_STR(fw->levels[0].description, "Conosce.");
	csv_round_trip(fw, &dl);
	framework_free(fw);
	diag_free(&dl);
}

/*
 * cmark trims form feeds from headings and paragraph ends; str_trim()
 * and the CSV reader did not, so an area named "Governance\f" in a
 * Moodle CSV gave Markdown whose heading read back as "Governance", and
 * CSV -> Markdown -> CSV -> Markdown changed the bytes
 * (fuzz-framework-csv). The same from Markdown: "**AB.1** Nome\f: ...".
 */
static void
test_trim_form_feed(void)
{
	struct framework	*fw;
	struct diaglist		 dl;
	struct buf		 md1, md2, csv;
	char			 t[] = "\f\v x y \t\f\v\r\n";
	const char		*src;

	CHECK_STR(str_trim(t), "x y");

	src = "Parent id number,Id number,Shortname,Description,Description "
	    "format,Scale values,Scale configuration,Rule type (optional),"
	    "Rule outcome (optional),Rule config (optional),Cross "
	    "referenced competency id numbers,Exported id (optional),Is "
	    "framework,Taxonomy\n"
	    ",q,Quadro\f,Sommario.\f,2,\"base,alto\",,,,,,,1,\n"
	    ",GOV,Governance\f,\fArea.\f,2,,,,,,,1,0,\n"
	    "GOV,GOV.1,Riparto\f,\"Chi fa\f\ncosa.\f\",2,,,,,,,2,0,\n";
	diag_init(&dl);
	buf_init(&md1, 512);
	buf_init(&md2, 512);
	buf_init(&csv, 512);
	CHECK(framework_csv_read("f.csv", src, strlen(src), &md1, &dl) == 0);
	CHECK_HAS(md1.data, "\n## GOV Governance\n\nArea.\n\n"
	    "- **GOV.1** Riparto: Chi fa cosa.\n");
	fw = framework_parse("f.md", md1.data, md1.len, &dl);
	CHECK(fw != NULL);
	if (fw != NULL) {
		CHECK_STR(fw->comps[0].name, "Governance");
		framework_csv_write(fw, &csv);
		CHECK(framework_csv_read("f2.csv", csv.data, csv.len, &md2,
		    &dl) == 0);
		CHECK_STR(md2.data, md1.data);
	}
	framework_free(fw);

	src = "---\ntitle: Q\f\nslug: q\nlevels:\n  - base\n---\n"
	    "## AB Area\n- **AB.1** Nome\f: Descrizione.\n";
	fw = framework_parse("g.md", src, strlen(src), &dl);
	CHECK(fw != NULL);
	if (fw != NULL) {
		CHECK_STR(fw->title, "Q");
		CHECK_STR(fw->comps[1].name, "Nome");
	}
	framework_free(fw);
	buf_free(&md1);
	buf_free(&md2);
	buf_free(&csv);
	diag_free(&dl);
}

/*
 * A framework level named with a tab inside ("inter\ti: ...") passed
 * the Markdown parser, which looked for spaces only, and its CSV export
 * then failed to read back: the CSV reader refuses any white space in a
 * level name (fuzz-framework, crash-044be4cb). Both refuse it now.
 */
static void
test_level_tab(void)
{
	struct framework	*fw;
	struct diaglist		 dl;
	const char		*src;

	src = "---\ntitle: Q\nslug: q\nlevels:\n  - base: Conosce.\n"
	    "  - inter\t\ti: Applica.\n---\n## AB Area\n- **AB.1** N: D.\n";
	diag_init(&dl);
	fw = framework_parse("t.md", src, strlen(src), &dl);
	CHECK(fw == NULL);
	CHECK(diag_count(&dl) == 1);
	if (diag_count(&dl) == 1) {
		CHECK(TAILQ_FIRST(&dl)->line == 6);
		CHECK(strstr(TAILQ_FIRST(&dl)->msg, "a level is") != NULL);
	}
	framework_free(fw);
	diag_free(&dl);

	/* Nor a comma (crash-49f9629f). */
	CHECK(!framework_level_name_valid("alto,basso"));
	CHECK(!framework_level_name_valid("a\vb"));
	CHECK(!framework_level_name_valid(""));
	CHECK(framework_level_name_valid("intermedio"));
	CHECK(framework_level_name_valid("'alto'"));
	CHECK(framework_level_name_valid("avançado"));
	/* Moodle's scale values have spaces: "Not yet competent". */
	CHECK(framework_level_name_valid("Not yet competent"));
	CHECK(!framework_level_name_valid(" alto"));
	CHECK(!framework_level_name_valid("a:b"));
}

/*
 * A quoted title with a leading space (" Q:x") kept it in the parsed
 * framework, and so in its CSV export, but the CSV import trims its
 * fields: Markdown -> CSV -> Markdown -> CSV lost the space
 * (fuzz-framework, crash-70cb7c94). The parser trims title and summary.
 */
static void
test_title_space(void)
{
	struct framework	*fw;
	struct diaglist		 dl;
	const char		*src;

	src = "---\ntitle: \" Q:x\"\nslug: q\nsummary: \" S \"\nlevels:\n"
	    "  - base: Conosce.\n---\n## AB Area\n- **AB.1** N: D.\n";
	diag_init(&dl);
	fw = framework_parse("s.md", src, strlen(src), &dl);
	CHECK(fw != NULL);
	if (fw == NULL) {
		diag_free(&dl);
		return;
	}
	CHECK_STR(fw->title, "Q:x");
	CHECK_STR(fw->summary, "S");
	csv_round_trip(fw, &dl);
	framework_free(fw);
	diag_free(&dl);
}

/*
 * A verb too long for the IRI buffer was cut by snprintf in the middle
 * of a UTF-8 character, and the xAPI statement was not JSON any more
 * (fuzz-xapi, crash-f4db8c88). The verb is percent-encoded now.
 */
static void
test_xapi_verb_cut(void)
{
	char		 v[96], verb[200];
	size_t		 i;

	for (i = 0; i + 3 < sizeof(verb); i += 3)
		memcpy(verb + i, "\xe2\x80\x99", 3);	/* U+2019 */
	verb[i] = '\0';
	(void)xapi_verb_iri(verb, v, sizeof(v));
	CHECK(utf8_valid(v, strlen(v)));
	CHECK(strncmp(v, "http://adlnet.gov/expapi/verbs/%E2%80%99", 40) == 0);
	CHECK_STR(xapi_verb_iri("completed", v, sizeof(v)),
	    "http://adlnet.gov/expapi/verbs/completed");
}

/*
 * fuzz-oidc, crashes/oidc/crash-27b2a8ea and crash-f4188add: libcjose
 * asserted on "=" inside base64url, in a token and in a JWKS key.
 */
static void
test_cjose_padding(void)
{
	struct oidc_provider	 p;
	struct oidc_identity	 id;
	struct buf		 err;
	const char		*jwks = "{\"keys\":[{\"kty\":\"EC\",\"x\":"
	    "\"mROqpZn3T=su6TiKNkUQ6Q5KthqWTYRPtjCuWYi32jA\",\"y\":"
	    "\"JDHQbPox3bcyvpGrVIo7uHvaaaCh_gTX3-f2AcDaChc\",\"crv\":"
	    "\"P-256\",\"kid\":\"e\"}]}";

	memset(&p, 0, sizeof(p));
	p.issuer = "https://idp.example.it";
	p.client_id = "capacita";
	buf_init(&err, 64);
	CHECK(oidc_verify("{\"keys\":[]}", 12, "eyJhbGciOiJSUzI1NiIsI=tpZCI6I"
	    "nIifQ.eyJpc3MiOiJ4In0.c2ln", &p, "n", 0, &id, &err) ==
	    OIDC_MALFORMED);
	CHECK(oidc_verify(jwks, strlen(jwks), "eyJhbGciOiJFUzI1NiIsImtpZCI6ImUi"
	    "fQ.eyJzdWIiOiJ4In0.c2lnbmF0dXJl", &p, "n", 0, &id, &err) ==
	    OIDC_KID);
	buf_free(&err);
}

int
main(void)
{
	if (sodium_init() < 0)
		return (1);
	test_csv_separator();
	test_base64url_alphabet();
	test_frontmatter_cr();
	test_trim_form_feed();
	test_level_tab();
	test_title_space();
	test_xapi_verb_cut();
	test_cjose_padding();
	T_SUMMARY();
}
