/*
 * mime.c: an e-mail message as RFC 5322 text with MIME (RFC 2045-2047):
 * From, To, Subject (an RFC 2047 encoded-word when it is not plain
 * ASCII), Date, Message-ID, optional List-Unsubscribe (RFC 2369) with
 * one-click (RFC 8058), and a multipart/alternative body of text and
 * HTML, both UTF-8 and quoted-printable, so that every line is short
 * ASCII ending in CRLF whatever the content.
 */

#include <string.h>
#include <time.h>

#include "capacita.h"

#define MIME_QP_LINE		76
#define MIME_WORD_MAX		45	/* UTF-8 bytes per encoded-word */

static const char	hexdig[] = "0123456789ABCDEF";

static int	mime_ascii_printable(const char *);
static void	mime_header_text(struct buf *, const char *, const char *,
		    int);

static int
mime_ascii_printable(const char *s)
{
	for (; *s != '\0'; s++) {
		if ((unsigned char)*s < 0x20 || (unsigned char)*s > 0x7e)
			return (0);
	}
	return (1);
}

/*
 * name: value, where value is written as is when it is printable ASCII
 * and short, else as RFC 2047 "B" encoded-words of whole UTF-8
 * characters, folded onto continuation lines. Control characters
 * (CR, LF) never reach the header either way.
 */
static void
mime_header_text(struct buf *out, const char *name, const char *value,
    int phrase)
{
	size_t	len, i, n, start, max;

	buf_printf(out, "%s: ", name);
	len = strlen(value);
	/* A display name is a phrase: only letters, digits and spaces. */
	if (mime_ascii_printable(value) && len + strlen(name) < 60 &&
	    (!phrase || strspn(value, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghij"
	    "klmnopqrstuvwxyz0123456789 ") == len)) {
		buf_puts(out, value);
		buf_puts(out, "\r\n");
		return;
	}
	/* The first word shares its line with the name. */
	max = ((76 - strlen(name) - 2 - 12) / 4) * 3;
	if (max > MIME_WORD_MAX || max < 12)
		max = MIME_WORD_MAX;
	for (start = 0; start < len; start = i, max = MIME_WORD_MAX) {
		/* Whole characters, at most max bytes. */
		for (i = start; i < len; i += n) {
			n = 1;
			if (((unsigned char)value[i] & 0xe0) == 0xc0)
				n = 2;
			else if (((unsigned char)value[i] & 0xf0) == 0xe0)
				n = 3;
			else if (((unsigned char)value[i] & 0xf8) == 0xf0)
				n = 4;
			if (i + n > len)
				n = len - i;
			if (i + n - start > max && i > start)
				break;
		}
		if (start > 0)
			buf_puts(out, "\r\n ");
		buf_puts(out, "=?UTF-8?B?");
		{
			static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
			    "abcdefghijklmnopqrstuvwxyz0123456789+/";
			const unsigned char *p;
			size_t		 k, m;
			unsigned int	 v;

			p = (const unsigned char *)value + start;
			m = i - start;
			for (k = 0; k < m; k += 3) {
				v = (unsigned int)p[k] << 16;
				if (k + 1 < m)
					v |= (unsigned int)p[k + 1] << 8;
				if (k + 2 < m)
					v |= p[k + 2];
				buf_putc(out, b64[(v >> 18) & 63]);
				buf_putc(out, b64[(v >> 12) & 63]);
				buf_putc(out, k + 1 < m ? b64[(v >> 6) & 63] :
				    '=');
				buf_putc(out, k + 2 < m ? b64[v & 63] : '=');
			}
		}
		buf_puts(out, "?=");
	}
	buf_puts(out, "\r\n");
}

/*
 * Quoted-printable (RFC 2045 6.7) of UTF-8 text whose lines end in LF
 * or CRLF: lines of at most 76 characters with soft breaks, "=" and
 * every byte outside printable ASCII as =XX, spaces before a line end
 * encoded, a "." opening a line encoded too (some relays' SMTP
 * transparency is fragile).
 */
void
mime_qp(struct buf *out, const char *s)
{
	size_t		 col;
	unsigned char	 c;
	int		 enc;

	col = 0;
	for (; *s != '\0'; s++) {
		c = (unsigned char)*s;
		if (c == '\r' && s[1] == '\n')
			continue;
		if (c == '\n') {
			buf_puts(out, "\r\n");
			col = 0;
			continue;
		}
		enc = c == '=' || c < 0x20 || c > 0x7e ||
		    ((c == ' ' || c == '\t') && (s[1] == '\n' ||
		    s[1] == '\r' || s[1] == '\0')) || (c == '.' && col == 0);
		if (col + (enc ? 3 : 1) > MIME_QP_LINE - 1) {
			buf_puts(out, "=\r\n");
			col = 0;
		}
		if (enc) {
			buf_putc(out, '=');
			buf_putc(out, hexdig[c >> 4]);
			buf_putc(out, hexdig[c & 15]);
			col += 3;
		} else {
			buf_putc(out, c);
			col++;
		}
	}
	buf_puts(out, "\r\n");
}

/* RFC 5322 date-time, always UTC: "Tue, 03 Jun 2025 10:00:00 +0000". */
void
mime_date(time_t t, char out[40])
{
	static const char *const days[] = { "Sun", "Mon", "Tue", "Wed",
	    "Thu", "Fri", "Sat" };
	static const char *const months[] = { "Jan", "Feb", "Mar", "Apr",
	    "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
	struct tm	tm;

	(void)gmtime_r(&t, &tm);
	(void)snprintf(out, 40, "%s, %02d %s %04d %02d:%02d:%02d +0000",
	    days[tm.tm_wday], tm.tm_mday, months[tm.tm_mon],
	    tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
}

/*
 * The whole message. Addresses must be plain addr-specs (checked by the
 * caller); the boundary is derived from the Message-ID's local part,
 * which the caller makes random.
 */
int
mime_message(struct buf *out, const struct mime_msg *m)
{
	char	date[40];
	int	blen;

	if (strpbrk(m->from, "\r\n<>\" ") != NULL ||
	    strpbrk(m->to, "\r\n<>\" ") != NULL ||
	    strpbrk(m->message_id, "\r\n<> ") != NULL ||
	    (m->unsubscribe != NULL && strpbrk(m->unsubscribe,
	    "\r\n<> ") != NULL))
		return (-1);
	mime_date(m->date, date);
	blen = (int)strcspn(m->message_id, "@");
	if (blen > 40)
		blen = 40;
	if (m->from_name != NULL && *m->from_name != '\0') {
		size_t	line;

		mime_header_text(out, "From", m->from_name, 1);
		out->len -= 2;		/* the name, then the address */
		out->data[out->len] = '\0';
		for (line = 0; line < out->len &&
		    out->data[out->len - line - 1] != '\n'; line++)
			;
		buf_puts(out, line + strlen(m->from) + 3 > 78 ? "\r\n " : " ");
		buf_printf(out, "<%s>\r\n", m->from);
	} else
		buf_printf(out, "From: <%s>\r\n", m->from);
	buf_printf(out, "To: <%s>\r\n", m->to);
	mime_header_text(out, "Subject", m->subject, 0);
	buf_printf(out, "Date: %s\r\n", date);
	buf_printf(out, "Message-ID: <%s>\r\n", m->message_id);
	if (m->unsubscribe != NULL) {
		buf_printf(out, "List-Unsubscribe: <%s>\r\n", m->unsubscribe);
		buf_puts(out, "List-Unsubscribe-Post: List-Unsubscribe="
		    "One-Click\r\n");
	}
	buf_puts(out, "Auto-Submitted: auto-generated\r\n");
	buf_puts(out, "MIME-Version: 1.0\r\n");
	buf_printf(out, "Content-Type: multipart/alternative;\r\n "
	    "boundary=\"=_%.*s\"\r\n\r\n", blen, m->message_id);
	buf_printf(out, "--=_%.*s\r\n", blen, m->message_id);
	buf_puts(out, "Content-Type: text/plain; charset=UTF-8\r\n"
	    "Content-Transfer-Encoding: quoted-printable\r\n\r\n");
	mime_qp(out, m->text);
	buf_printf(out, "--=_%.*s\r\n", blen, m->message_id);
	buf_puts(out, "Content-Type: text/html; charset=UTF-8\r\n"
	    "Content-Transfer-Encoding: quoted-printable\r\n\r\n");
	mime_qp(out, m->html);
	buf_printf(out, "--=_%.*s--\r\n", blen, m->message_id);
	return (0);
}
