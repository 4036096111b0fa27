/*
 * examgen.h: the exam-day load generator's parsers (examgen-parse.c),
 * shared by the generator (examgen.c) and its fuzz target
 * (tests/fuzz/fuzz-examgen.c). Plain C on bounded buffers: nothing here
 * reads past the length it is given, whatever the bytes.
 */

#ifndef EXAMGEN_H
#define EXAMGEN_H

#include <stddef.h>

/* An HTTP/1.1 response, parsed from the bytes read so far. */
struct eg_resp {
	int		status;
	int		close;		/* Connection: close, or HTTP/1.0 */
	char		location[128];	/* "" when absent or too long */
	size_t		body_off;	/* the body, decoded in place */
	size_t		body_len;
	size_t		used;		/* bytes of the buffer it took */
};

/*
 * buf[0..len): 1 when a whole response is there (r filled; a chunked
 * body is decoded in place, so buf is changed), 0 when more bytes are
 * needed (eof: the peer closed, so a body without a length ends here),
 * -1 when the bytes are not an HTTP/1.x response.
 */
int	eg_http_parse(char *, size_t, int, struct eg_resp *);

#define EG_MAXQ		64	/* questions on a page */
#define EG_MAXC		16	/* controls of a question */
#define EG_NAME		64	/* a field name, id or value */
#define EG_LABEL	160	/* a label, normalised */

enum { EG_CHOICE, EG_SELECT, EG_TEXT };

struct eg_control {
	int	kind;
	char	name[EG_NAME];
	char	id[EG_NAME];
	char	value[EG_NAME];
	char	label[EG_LABEL];
};

struct eg_question {
	int			n;
	struct eg_control	c[EG_MAXC];
};

struct eg_form {
	int			nq;
	struct eg_question	q[EG_MAXQ];
};

/*
 * The questions of an attempt page (fieldset.quiz-question, in order):
 * their choices (radio, checkbox: name, value, label), ordering items
 * (select: name, label) and text fields. The number of questions, or -1
 * when a question does not fit the bounds above.
 */
int	eg_form_parse(const char *, size_t, struct eg_form *);

/* A label as people read it: tags dropped, entities decoded, blanks
 * collapsed, Markdown emphasis and typographic apostrophes ignored. */
void	eg_norm(const char *, size_t, char *, size_t);

#define EG_MAXA		16	/* answers to one question */

/* The answers to one question: labels (or values) of the choices to
 * tick, the items' labels in the order wanted, or the text typed. */
struct eg_answer {
	int	n;
	char	a[EG_MAXA][EG_LABEL];	/* normalised */
};

/*
 * The form body (application/x-www-form-urlencoded) for answers given
 * by place (ans[0..na), n == 0: blank), after csrf=: its length, or -1
 * when an answer matches nothing on the page or out is too small.
 */
int	eg_form_body(const struct eg_form *, const struct eg_answer *, int,
	    const char *, char *, size_t);

#endif
