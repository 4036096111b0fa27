/*
 * store-mail.c: messages to people (README.md, "E-mail"). An event
 * (a course assigned, a badge issued or revoked, a password link asked
 * for) writes a row of mails and a job in its own transaction; the mail
 * runner (app.c, a thread of worker 1) runs the job: it makes the
 * message then, in the person's language, from the templates
 * assets/tmpl/mail-*.html and mail-*.txt, sends it through the relay,
 * and marks it sent in the job's transaction. A relay that is down
 * fails the job, which the queue retries with a growing delay: nothing
 * is lost, and a message the relay accepted is marked sent in the same
 * commit as its job.
 *
 * Nothing is queued when no relay is configured (smtp_host).
 *
 * A password mail about a new account (ref "new": made by an admin, the
 * CLI or an import) welcomes the person instead of answering a request
 * they never made; with local passwords off it sends them to the
 * sign-in page (their provider) and carries no password link at all.
 */

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "capacita.h"

#define MAIL_LINK_HOURS		72

struct mail_facts {
	const char *tmpl;	/* mail-TMPL.txt, .html: the kind's own */
	char	*title;		/* course */
	char	*due;		/* formatted in the person's language */
	char	*link;
	char	*reason;	/* revocation */
	char	*skip;		/* set: not to be sent, and why */
};

static int	mail_facts(struct db *, const char *, const char *,
		    const char *, const char *, struct mail_facts *,
		    struct fail *);
static int	mail_render(enum lang, const char *, const char *,
		    const struct mail_facts *, const char *, struct buf *,
		    struct buf *, struct buf *, struct fail *);
static void	mail_facts_free(struct mail_facts *);

int
mail_enabled(void)
{
	return (settings.smtp_host != NULL);
}

/*
 * Queue a message of kind about ref to user (an id, as text), in the
 * caller's transaction. Nothing when no relay is configured.
 */
int
mail_queue(struct db *db, const char *user, const char *kind,
    const char *ref, struct fail *f)
{
	if (!mail_enabled())
		return (0);
	if (db_exec(db, "WITH m AS (INSERT INTO mails (user_id, kind, ref) "
	    "SELECT id, $2, $3 FROM users WHERE id = $1::bigint AND active "
	    "RETURNING id) INSERT INTO jobs (kind, ref) SELECT 'mail', id::text "
	    "FROM m", 3, user, kind, ref) == -1)
		return (db_fail(db, f));
	return (0);
}

/* The same, for a user id as a number. */
int
mail_queue_id(struct db *db, long long user, const char *kind,
    const char *ref, struct fail *f)
{
	char	uid[32];

	(void)snprintf(uid, sizeof(uid), "%lld", user);
	return (mail_queue(db, uid, kind, ref, f));
}

/*
 * Reminders: one per enrolment and deadline, reminder_days before it,
 * for people who have not finished and have not opted out. Returns the
 * number queued, or -1 with f filled.
 */
int
mail_reminders_due(struct db *db, struct fail *f)
{
	struct pg_result	*res;
	char			 days[16];
	int			 n;

	if (!mail_enabled())
		return (0);
	(void)snprintf(days, sizeof(days), "%d", settings.reminder_days);
	res = db_query(db, "WITH m AS (INSERT INTO mails (user_id, kind, ref) "
	    "SELECT e.user_id, 'reminder', e.id || ':' || e.due_date FROM "
	    "enrolments e JOIN users u ON u.id = e.user_id WHERE "
	    "e.completed_at IS NULL AND e.due_date BETWEEN current_date AND "
	    "current_date + $1::int AND u.active AND u.mail_reminders ON "
	    "CONFLICT (user_id, ref) WHERE kind = 'reminder' DO NOTHING "
	    "RETURNING id), j AS (INSERT INTO jobs (kind, ref) SELECT 'mail', "
	    "id::text FROM m RETURNING 1) SELECT count(*) FROM j", 1, days);
	if (res == NULL)
		return (db_fail(db, f));
	n = atoi(db_value(res, 0, 0));
	db_clear(res);
	return (n);
}

static void
mail_facts_free(struct mail_facts *f)
{
	free(f->title);
	free(f->due);
	free(f->link);
	free(f->reason);
	free(f->skip);
	memset(f, 0, sizeof(*f));
}

/*
 * What a message of kind about ref says to user, read now: the course,
 * its deadline, the link. A password link's token is made here, in the
 * job's transaction: if the relay refuses the message, the token goes
 * with the rollback.
 */
static int
mail_facts(struct db *db, const char *kind, const char *ref,
    const char *user, const char *lang, struct mail_facts *f,
    struct fail *fl)
{
	enum { F_TITLE, F_DUE, F_SLUG, F_DONE, F_REASON, F_REVOKED };
	struct pg_result	*res;
	char			 token[AUTH_TOKEN_LEN + 1], due[64];
	const char		*q;
	int			 n, welcome;

	memset(f, 0, sizeof(*f));
	f->tmpl = kind;
	if (strcmp(kind, "password") == 0) {
		welcome = strcmp(ref, "new") == 0;
		if (!settings.local_passwords) {
			if (!welcome) {
				f->skip = xstrdup("local passwords are off");
				return (0);
			}
			f->tmpl = "welcome-sso";
			(void)xasprintf(&f->link, "%s/login", settings.base_url);
			return (0);
		}
		if (welcome)
			f->tmpl = "welcome";
		if (account_password_link(db, strtoll(user, NULL, 10),
		    MAIL_LINK_HOURS, token, fl) == -1)
			return (-1);
		(void)xasprintf(&f->link, "%s/password?token=%s",
		    settings.base_url, token);
		sodium_memzero(token, sizeof(token));
		return (0);
	}
	if (strcmp(kind, "badge") == 0 || strcmp(kind, "revoked") == 0) {
		n = 2;
		q = "SELECT c.title, '', b.id, false, coalesce(b.revoke_reason, "
		    "''), b.revoked_at IS NOT NULL FROM badges b JOIN courses c "
		    "ON c.id = b.course_id WHERE b.id = $2 AND b.user_id = "
		    "$1::bigint";
	} else {
		n = 3;
		q = "SELECT c.title, coalesce(to_char(e.due_date, 'YYYY-MM-DD'), "
		    "''), c.slug, e.completed_at IS NOT NULL, '', CASE WHEN $3 = "
		    "'reminder' THEN e.due_date::text <> split_part($2, ':', 2) "
		    "OR NOT u.mail_reminders ELSE false END FROM enrolments e "
		    "JOIN courses c ON c.id = e.course_id JOIN users u ON u.id = "
		    "e.user_id WHERE e.user_id = $1::bigint AND CASE WHEN $3 = "
		    "'reminder' THEN e.id = split_part($2, ':', 1)::bigint ELSE "
		    "c.slug = $2 END";
	}
	res = db_query(db, q, n, user, ref, kind);
	if (res == NULL)
		return (db_fail(db, fl));
	if (db_rows(res) != 1) {
		db_clear(res);
		f->skip = xstrdup("what it was about is gone");
		return (0);
	}
	f->title = xstrdup(db_value(res, 0, F_TITLE));
	mime_date_long(i18n_lang_from(lang), db_value(res, 0, F_DUE), due,
	    sizeof(due));
	f->due = xstrdup(due);
	f->reason = xstrdup(db_value(res, 0, F_REASON));
	if (strcmp(kind, "badge") == 0 || strcmp(kind, "revoked") == 0)
		(void)xasprintf(&f->link, "%s/badges/%s", settings.base_url,
		    db_value(res, 0, F_SLUG));
	else
		(void)xasprintf(&f->link, "%s/learn/%s", settings.base_url,
		    db_value(res, 0, F_SLUG));
	if (strcmp(kind, "reminder") == 0 &&
	    strcmp(db_value(res, 0, F_DONE), "t") == 0)
		f->skip = xstrdup("the course is finished");
	else if (strcmp(kind, "reminder") == 0 &&
	    strcmp(db_value(res, 0, F_REVOKED), "t") == 0)
		f->skip = xstrdup("opted out, or the deadline moved");
	else if (strcmp(kind, "badge") == 0 &&
	    strcmp(db_value(res, 0, F_REVOKED), "t") == 0)
		f->skip = xstrdup("revoked before the message left");
	db_clear(res);
	return (0);
}

/*
 * Subject, plain text and HTML of a message: mail-TMPL.txt (its first
 * line is the subject) and mail-TMPL.html inside mail-layout.html, TMPL
 * the kind's template (f->tmpl).
 */
static int
mail_render(enum lang lang, const char *name, const char *email,
    const struct mail_facts *f, const char *unsubscribe, struct buf *subject,
    struct buf *text, struct buf *html, struct fail *fl)
{
	const struct tmpl	*tt, *th, *tl;
	struct buf		 name_t, body, err;
	const char		*nl;
	char			 tname[64];
	struct tmpl_arg		 facts[] = {
		T_TEXT("name", name),
		T_TEXT("email", email),
		T_TEXT("site", settings.site_name),
		T_TEXT("base", settings.base_url),
		T_TEXT("link", f->link != NULL ? f->link : ""),
		T_TEXT("title", f->title != NULL ? f->title : ""),
		T_TEXT("due", f->due != NULL && *f->due != '\0' ? f->due :
		    i18n_get(lang, "mail.no_due")),
		T_TEXT("reason", f->reason != NULL ? f->reason : ""),
		T_TEXT("unsubscribe", unsubscribe != NULL ? unsubscribe : ""),
	};
	struct tmpl_arg		 at[T_NARGS(facts)], ah[T_NARGS(facts)];
	size_t			 i, nt, nh;
	int			 rc;

	(void)snprintf(tname, sizeof(tname), "mail-%s.txt", f->tmpl);
	tt = tmpl_find(tname);
	(void)snprintf(tname, sizeof(tname), "mail-%s", f->tmpl);
	th = tmpl_find(tname);
	tl = tmpl_find("mail-layout");
	if (tt == NULL || th == NULL || tl == NULL)
		return (fail_set(fl, FAIL_UNAVAILABLE, NULL, "template '%s' not "
		    "found", tname));
	/* Each template takes the facts it has holes for. */
	for (i = nt = nh = 0; i < T_NARGS(facts); i++) {
		if (tmpl_has_hole(tt, facts[i].key))
			at[nt++] = facts[i];
		if (tmpl_has_hole(th, facts[i].key))
			ah[nh++] = facts[i];
	}
	buf_init(&name_t, 1024);
	buf_init(&body, 2048);
	buf_init(&err, 128);
	rc = -1;
	if (tmpl_render(&name_t, tt, lang, at, nt, &err) == -1 ||
	    tmpl_render(&body, th, lang, ah, nh, &err) == -1)
		goto out;
	if ((nl = strchr(name_t.data, '\n')) == NULL) {
		buf_printf(&err, "%s: the first line is the subject", tname);
		goto out;
	}
	buf_append(subject, name_t.data, (size_t)(nl - name_t.data));
	buf_puts(text, nl + 1 + (nl[1] == '\n'));
	{
		struct tmpl_arg	largs[] = {
			T_TEXT("lang", i18n_lang_code(lang)),
			T_TEXT("subject", subject->data),
			T_RAW("body", body.data),
			T_TEXT("site", settings.site_name),
			T_TEXT("base", settings.base_url),
		};

		if (tmpl_render(html, tl, lang, largs, T_NARGS(largs),
		    &err) == -1)
			goto out;
	}
	rc = 0;
out:
	if (rc == -1)
		(void)fail_set(fl, FAIL_UNAVAILABLE, NULL, "%s", err.data);
	buf_free(&name_t);
	buf_free(&body);
	buf_free(&err);
	return (rc);
}

/* The domain of the site, for Message-IDs. */
static void
mail_domain(char *out, size_t len)
{
	const char	*h;

	h = strstr(settings.base_url, "://");
	h = h != NULL ? h + 3 : settings.base_url;
	xstrlcpy(out, h, len);
	out[strcspn(out, ":/")] = '\0';
	if (*out == '\0')
		xstrlcpy(out, "capacita.invalid", len);
}

/* The job: make the message, send it, mark it sent (or skipped). */
int
job_mail(struct db *db, const char *ref, struct fail *fl)
{
	enum { M_KIND, M_REF, M_DONE, M_USER, M_EMAIL, M_NAME, M_LANG,
	    M_UNSUB, M_ACTIVE };
	struct pg_result	*res;
	struct mail_facts	 f;
	struct mime_msg		 m;
	struct buf		 subject, text, html, msg, unsub, err;
	unsigned char		 rnd[16];
	char			 mid[256], hex[33], domain[96];
	enum lang		 lang;
	int			 rc;

	res = db_query(db, "SELECT m.kind, m.ref, m.sent_at IS NOT NULL OR "
	    "m.skipped IS NOT NULL, u.id, u.email, u.name, u.lang, "
	    "u.unsubscribe_token, u.active FROM mails m JOIN users u ON u.id = "
	    "m.user_id WHERE m.id = $1::bigint FOR UPDATE OF m", 1, ref);
	if (res == NULL)
		return (db_fail(db, fl));
	if (db_rows(res) != 1 || strcmp(db_value(res, 0, M_DONE), "t") == 0) {
		db_clear(res);
		return (0);
	}
	lang = i18n_lang_from(db_value(res, 0, M_LANG));
	if (mail_facts(db, db_value(res, 0, M_KIND), db_value(res, 0, M_REF),
	    db_value(res, 0, M_USER), db_value(res, 0, M_LANG), &f,
	    fl) == -1) {
		db_clear(res);
		return (-1);
	}
	if (f.skip == NULL && strcmp(db_value(res, 0, M_ACTIVE), "t") != 0)
		f.skip = xstrdup("the account is disabled");
	if (f.skip != NULL) {
		rc = db_exec(db, "UPDATE mails SET skipped = $2 WHERE id = "
		    "$1::bigint", 2, ref, f.skip);
		if (rc == -1)
			(void)db_fail(db, fl);
		mail_facts_free(&f);
		db_clear(res);
		return (rc);
	}

	buf_init(&subject, 128);
	buf_init(&text, 2048);
	buf_init(&html, 4096);
	buf_init(&msg, 8192);
	buf_init(&unsub, 128);
	buf_init(&err, 128);
	if (strcmp(db_value(res, 0, M_KIND), "reminder") == 0)
		buf_printf(&unsub, "%s/unsubscribe?t=%s", settings.base_url,
		    db_value(res, 0, M_UNSUB));
	rc = -1;
	if (mail_render(lang, db_value(res, 0, M_NAME),
	    db_value(res, 0, M_EMAIL), &f, unsub.len > 0 ? unsub.data : NULL,
	    &subject, &text, &html, fl) == -1)
		goto out;
	randombytes_buf(rnd, sizeof(rnd));
	(void)sodium_bin2hex(hex, sizeof(hex), rnd, sizeof(rnd));
	mail_domain(domain, sizeof(domain));
	(void)snprintf(mid, sizeof(mid), "%s.%s@%s", hex, ref, domain);
	memset(&m, 0, sizeof(m));
	m.from = settings.mail_from;
	m.from_name = settings.site_name;
	m.to = db_value(res, 0, M_EMAIL);
	m.subject = subject.data;
	m.date = time(NULL);
	m.message_id = mid;
	m.text = text.data;
	m.html = html.data;
	m.unsubscribe = unsub.len > 0 ? unsub.data : NULL;
	if (mime_message(&msg, &m) == -1) {
		(void)fail_set(fl, FAIL_INPUT, NULL, "an address cannot go in "
		    "a header");
		goto out;
	}
	if (smtp_send(settings.mail_from, m.to, msg.data, msg.len,
	    &err) == -1) {
		(void)fail_set(fl, FAIL_UNAVAILABLE, NULL, "%s", err.data);
		goto out;
	}
	if (db_exec(db, "UPDATE mails SET sent_at = now(), to_addr = $2, "
	    "subject = $3, message_id = $4 WHERE id = $1::bigint", 4, ref, m.to,
	    subject.data, mid) == -1) {
		(void)db_fail(db, fl);
		goto out;
	}
	rc = 0;
out:
	mail_facts_free(&f);
	db_clear(res);
	buf_free(&subject);
	buf_free(&text);
	buf_free(&html);
	buf_free(&msg);
	buf_free(&unsub);
	buf_free(&err);
	return (rc);
}

/*
 * The one-click unsubscribe of reminders: FAIL_NOTFOUND
 * (unsubscribe.bad_link) for a token nobody has.
 */
int
mail_unsubscribe(struct db *db, const char *token, struct fail *f)
{
	int	n;

	if ((n = db_one(db_query(db, "UPDATE users SET mail_reminders = "
	    "false, updated_at = now() WHERE unsubscribe_token = $1 RETURNING "
	    "id", 1, token))) == -1)
		return (db_fail(db, f));
	if (n == 0)
		return (fail_set(f, FAIL_NOTFOUND, "unsubscribe.bad_link",
		    NULL));
	return (0);
}

/* A person's own choice of reminders (the page /me). */
int
mail_reminders_set(struct db *db, long long user, int on, struct fail *f)
{
	char	uid[32];

	(void)snprintf(uid, sizeof(uid), "%lld", user);
	if (db_exec(db, "UPDATE users SET mail_reminders = $2::boolean, "
	    "updated_at = now() WHERE id = $1::bigint", 2, uid, on ? "t" :
	    "f") == -1)
		return (db_fail(db, f));
	return (0);
}

/* Whether a person gets reminders: *on 1 or 0. */
int
mail_reminders_get(struct db *db, long long user, int *on, struct fail *f)
{
	struct pg_result	*res;
	char			 uid[32];

	(void)snprintf(uid, sizeof(uid), "%lld", user);
	res = db_query(db, "SELECT mail_reminders FROM users WHERE id = "
	    "$1::bigint", 1, uid);
	if (res == NULL)
		return (db_fail(db, f));
	*on = db_rows(res) == 1 && strcmp(db_value(res, 0, 0), "t") == 0;
	db_clear(res);
	return (0);
}

/* The language of a person's messages (the header's switch). */
int
account_set_lang(struct db *db, long long user, const char *lang,
    struct fail *f)
{
	char	uid[32];

	(void)snprintf(uid, sizeof(uid), "%lld", user);
	if (db_exec(db, "UPDATE users SET lang = $2 WHERE id = $1::bigint "
	    "AND lang <> $2", 2, uid, lang) == -1)
		return (db_fail(db, f));
	return (0);
}
