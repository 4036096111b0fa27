/*
 * test-auth.c: passwords, tokens, e-mail addresses, roles and CSV.
 */

#define _GNU_SOURCE
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "capacita.h"
#include "harness.h"

static void
test_passwords(void)
{
	char	h1[AUTH_HASH_MAX], h2[AUTH_HASH_MAX];

	CHECK(auth_hash_password("correct horse battery", h1) == 0);
	CHECK(auth_hash_password("correct horse battery", h2) == 0);
	CHECK(strncmp(h1, "$argon2id$", 10) == 0);
	CHECK(strcmp(h1, h2) != 0);			/* salted */
	CHECK(auth_verify_password(h1, "correct horse battery"));
	CHECK(!auth_verify_password(h1, "correct horse batterY"));
	CHECK(!auth_verify_password(NULL, "anything"));	/* unknown user */
	CHECK(auth_password_problem("short", NULL) != NULL);
	CHECK(auth_password_problem("twelve chars", NULL) == NULL);
	CHECK(auth_password_problem("\xc3\xa8\xc3\xa8\xc3\xa8\xc3\xa8\xc3"
	    "\xa8\xc3\xa8\xc3\xa8\xc3\xa8\xc3\xa8\xc3\xa8\xc3\xa8", NULL) !=
	    NULL);
}

/*
 * Guessable passwords of 12 characters or more (issue 18: both were
 * accepted), and good ones that must stay accepted.
 */
static void
test_password_quality(void)
{
	CHECK_STR(auth_password_problem("aaaaaaaaaaaa", NULL), "password.weak");
	CHECK_STR(auth_password_problem("password1234", NULL), "password.weak");
	CHECK_STR(auth_password_problem("Password2024!", NULL),
	    "password.weak");
	CHECK_STR(auth_password_problem("123456789012", NULL), "password.weak");
	CHECK_STR(auth_password_problem("abcdefghijkl", NULL), "password.weak");
	CHECK_STR(auth_password_problem("qwertyuiop12", NULL), "password.weak");
	CHECK_STR(auth_password_problem("capacita2024!", NULL),
	    "password.weak");
	CHECK_STR(auth_password_problem("maria.rossi77!",
	    "maria.rossi@example.org"), "password.personal");
	CHECK(auth_password_problem("maria.rossi77!", "l.bianchi@example.org")
	    == NULL);
	CHECK(auth_password_problem("correct horse battery staple", NULL) ==
	    NULL);
	CHECK(auth_password_problem("la gatta sul tetto che scotta", NULL) ==
	    NULL);
	CHECK(auth_password_problem("3xk9-Lp2m-Qr7z-Wt4v", NULL) == NULL);
}

/* The sign-in delays of auth_login_wait(), case by case. */
static void
test_login_wait(void)
{
	struct login_counts	c;

	memset(&c, 0, sizeof(c));
	CHECK(auth_login_wait(&c) == 0);
	/* A pair's free failures, then 2, 4, 8 s after the last one. */
	c.pair = c.account = AUTH_PAIR_FREE - 1;
	CHECK(auth_login_wait(&c) == 0);
	c.pair = c.account = AUTH_PAIR_FREE;
	CHECK(auth_login_wait(&c) == AUTH_DELAY_BASE);
	c.pair_age = 1;
	CHECK(auth_login_wait(&c) == AUTH_DELAY_BASE - 1);
	c.pair_age = AUTH_DELAY_BASE;
	CHECK(auth_login_wait(&c) == 0);
	c.pair = c.account = AUTH_PAIR_FREE + 2;
	c.pair_age = 0;
	CHECK(auth_login_wait(&c) == 4 * AUTH_DELAY_BASE);
	/* Capped, however many. */
	c.pair = c.account = 1000;
	CHECK(auth_login_wait(&c) == AUTH_DELAY_MAX);
	/*
	 * An account under attack from elsewhere: an address without
	 * failures always gets its try (the owner is never locked out);
	 * after one failure it waits seconds, not a lockout.
	 */
	memset(&c, 0, sizeof(c));
	c.account = 500;
	CHECK(auth_login_wait(&c) == 0);
	c.pair = 1;
	CHECK(auth_login_wait(&c) == AUTH_DELAY_BASE);
	c.pair = 2;
	CHECK(auth_login_wait(&c) == 2 * AUTH_DELAY_BASE);
	/* An address spraying many accounts waits for its window. */
	memset(&c, 0, sizeof(c));
	c.address = AUTH_ADDRESS_MAX;
	c.address_left = 600;
	CHECK(auth_login_wait(&c) == 600);
	c.address_left = 0;
	CHECK(auth_login_wait(&c) == 1);
	c.address = AUTH_ADDRESS_MAX - 1;
	CHECK(auth_login_wait(&c) == 0);
}

static void
test_tokens(void)
{
	char	t1[AUTH_TOKEN_LEN + 1], t2[AUTH_TOKEN_LEN + 1];
	char	pw[AUTH_PASSWORD_LEN + 1], h[SHA256_HEX_LEN + 1];

	auth_token(t1);
	auth_token(t2);
	CHECK(strlen(t1) == AUTH_TOKEN_LEN);
	CHECK(auth_token_valid(t1));
	CHECK(strcmp(t1, t2) != 0);
	CHECK(!auth_token_valid("short"));
	CHECK(!auth_token_valid("' OR 1=1 --aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"));
	CHECK(auth_equal(t1, t1));
	CHECK(!auth_equal(t1, t2));
	CHECK(!auth_equal("", ""));
	auth_token_hash("abc", h);
	CHECK_STR(h, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f2"
	    "0015ad");
	auth_random_password(pw);
	CHECK(strlen(pw) == AUTH_PASSWORD_LEN);
	CHECK(pw[4] == '-' && pw[9] == '-' && pw[14] == '-');
}

static void
test_emails_roles(void)
{
	char	*e;

	e = auth_email_normalise("  Mario.Rossi@Regione.Campania.IT ");
	CHECK_STR(e, "mario.rossi@regione.campania.it");
	free(e);
	CHECK(auth_email_normalise("no-at-sign") == NULL);
	CHECK(auth_email_normalise("a@b") == NULL);
	CHECK(auth_email_normalise("@b.it") == NULL);
	CHECK(auth_email_normalise("a@@b.it") == NULL);
	CHECK(auth_email_normalise("a b@c.it") == NULL);
	CHECK(auth_email_normalise("a<b>@c.it") == NULL);
	CHECK(auth_email_normalise("a@c.it.") == NULL);
	CHECK(auth_role_from("hr") == ROLE_HR);
	CHECK(auth_role_from("HR") == 0);
	CHECK(auth_role_from("root") == 0);
	CHECK(strcmp(auth_home(ROLE_LEARNER), "/") == 0);
	CHECK(strcmp(auth_home(ROLE_LEARNER | ROLE_HR), "/hr/people") == 0);
	CHECK(strcmp(auth_home(ROLE_LEARNER | ROLE_ASSESSOR), "/gov") == 0);
	CHECK(strcmp(auth_home(ROLE_REVIEWER), "/gov") == 0);
	CHECK(strcmp(auth_home(ROLE_ASSESSOR), "/gov") == 0);
	CHECK(strcmp(auth_home(ROLE_HR | ROLE_ASSESSOR), "/hr/people") == 0);
	CHECK(strcmp(auth_home(ROLE_ADMIN | ROLE_TRAINER), "/admin") == 0);
	CHECK(strcmp(auth_home(ROLE_TRAINER), "/author") == 0);
	CHECK(strcmp(auth_home(ROLE_ISSUER), "/issuer/badges") == 0);
	CHECK(strcmp(auth_home(0), "/") == 0);
	CHECK_STR(auth_role_name(ROLE_ISSUER), "issuer");
}

static void
test_csv(void)
{
	struct csv	c;
	struct buf	err, out;
	const char	*src;

	buf_init(&err, 64);
	src = "\xef\xbb\xbfname,email\r\n\"Rossi, Ugo\",\"say \"\"hi\"\"\"\r\n"
	    "\r\n\"multi\nline\",x\nlast,row";
	CHECK(csv_parse(&c, src, strlen(src), &err) == 0);
	CHECK(c.nrows == 4);
	if (c.nrows == 4) {
		CHECK_STR(c.rows[0].fields[0], "name");
		CHECK_STR(c.rows[1].fields[0], "Rossi, Ugo");
		CHECK_STR(c.rows[1].fields[1], "say \"hi\"");
		CHECK(c.rows[1].line == 2);
		CHECK_STR(c.rows[2].fields[0], "multi\nline");
		CHECK(c.rows[2].line == 4);
		CHECK(c.rows[3].line == 6);
		CHECK_STR(c.rows[3].fields[1], "row");
	}
	csv_free(&c);

	src = "a;b;c\n1;2;3\n";
	CHECK(csv_parse(&c, src, strlen(src), &err) == 0);
	CHECK(c.nrows == 2 && c.rows[1].nfields == 3);
	csv_free(&c);

	src = "a,b\n\"open,x\n";
	CHECK(csv_parse(&c, src, strlen(src), &err) == -1);
	CHECK_HAS(err.data, "line 2: unterminated");
	buf_reset(&err);
	src = "a,b\nx\"y,z\n";
	CHECK(csv_parse(&c, src, strlen(src), &err) == -1);
	CHECK_HAS(err.data, "line 2: a quote inside");
	buf_reset(&err);
	src = "a,b\n\xff,x\n";
	CHECK(csv_parse(&c, src, strlen(src), &err) == -1);
	CHECK_HAS(err.data, "line 2: invalid UTF-8");

	buf_init(&out, 64);
	csv_field(&out, "plain");
	buf_putc(&out, '|');
	csv_field(&out, "a,b \"c\"");
	buf_putc(&out, '|');
	csv_field(&out, "=HYPERLINK(\"x\")");
	buf_putc(&out, '|');
	csv_field(&out, "-12.5");
	buf_putc(&out, '|');
	csv_field(&out, "@SUM(A1)");
	CHECK_STR(out.data, "plain|\"a,b \"\"c\"\"\"|\"'=HYPERLINK(\"\"x\"\")\"|"
	    "-12.5|'@SUM(A1)");
	buf_free(&out);
	buf_free(&err);
}

/*
 * Issue 18: CSV downloads were comma-separated with decimal points,
 * English headers and no byte order mark: one column and garbled
 * accents in Excel in Italian. The Italian form and the international
 * one (?format=intl).
 */
static void
test_csv_out(void)
{
	struct diaglist	 dl;
	struct csv_out	 c;
	struct buf	 out;

	diag_init(&dl);
	CHECK(i18n_load("assets/i18n", &dl) == 0);
	diag_free(&dl);
	buf_init(&out, 128);
	csv_out_init(&c, &out, LANG_IT);
	csv_out_head(&c, "name,hours,target_met");
	csv_out_text(&c, "Nicol\xc3\xb2 D'Amico; ufficio");
	csv_out_num(&c, "12.50");
	csv_out_bool(&c, 1);
	csv_out_end(&c);
	csv_out_text(&c, "=1+1");
	csv_out_double(&c, 11800.26, 1);
	csv_out_double(&c, 0.0 / 0.0, 1);
	csv_out_end(&c);
	CHECK_STR(out.data, "\xef\xbb\xbfnome;ore;obiettivo raggiunto\r\n"
	    "\"Nicol\xc3\xb2 D'Amico; ufficio\";12,50;s\xc3\xac\r\n"
	    "'=1+1;11800,3;\r\n");
	buf_reset(&out);
	csv_out_init(&c, &out, LANG_EN);
	csv_out_head(&c, "name,hours,target_met");
	csv_out_text(&c, "a, b");
	csv_out_num(&c, "12.50");
	csv_out_bool(&c, 0);
	csv_out_end(&c);
	CHECK_STR(out.data, "name,hours,target_met\r\n\"a, b\",12.50,no\r\n");
	buf_free(&out);
	i18n_free();
}

/* The key vault: a round trip, a wrong passphrase, a flipped bit. */
static void
test_vault(void)
{
	struct buf	sealed, plain, err;
	const char	*secret = "{\"issuer-1.json\": \"z3u2...\"}";

	buf_init(&sealed, 256);
	buf_init(&plain, 256);
	buf_init(&err, 64);
	CHECK(vault_seal("short", secret, strlen(secret), &sealed, &err) ==
	    -1);
	CHECK_HAS(err.data, "at least 12");
	buf_reset(&err);
	CHECK(vault_seal("correct horse battery", secret, strlen(secret),
	    &sealed, &err) == 0);
	CHECK(sealed.len > strlen(secret));
	CHECK(memmem(sealed.data, sealed.len, "issuer-1", 8) == NULL);
	CHECK(vault_open("correct horse battery", sealed.data, sealed.len,
	    &plain, &err) == 0);
	CHECK(plain.len == strlen(secret) && memcmp(plain.data, secret,
	    plain.len) == 0);
	buf_reset(&plain);
	CHECK(vault_open("wrong horse battery", sealed.data, sealed.len,
	    &plain, &err) == -1);
	CHECK_HAS(err.data, "wrong passphrase");
	CHECK(plain.len == 0);
	sealed.data[sealed.len - 1] ^= 1;
	buf_reset(&err);
	CHECK(vault_open("correct horse battery", sealed.data, sealed.len,
	    &plain, &err) == -1);
	buf_reset(&err);
	CHECK(vault_open("correct horse battery", "CAPACITA", 8, &plain,
	    &err) == -1);
	CHECK_HAS(err.data, "not a Capacita key vault");
	buf_free(&sealed);
	buf_free(&plain);
	buf_free(&err);
}

int
main(void)
{
	if (sodium_init() < 0)
		return (1);
	test_passwords();
	test_password_quality();
	test_login_wait();
	test_tokens();
	test_emails_roles();
	test_csv();
	test_csv_out();
	test_vault();
	T_SUMMARY();
}
