/*
 * fuzz-xapi.c: xapi_statement(), the encoder of learning records as
 * xAPI statements for an LRS. Its text comes from users (a learner's
 * short answer, module and course names): the input is split at NUL
 * bytes into the row's strings, and a few bytes give its numbers. The
 * statement must be JSON, with the answer and the names in it as given.
 * A question made of the same strings (its options, its type from a few
 * bits) gives the answer's activity its interaction components and the
 * response (xapi_response()): still JSON, with every choice id distinct.
 */

#include <jansson.h>

#include "fuzz.h"

#define NFIELDS	14

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	fuzz_init();
	return (0);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct xapi_row	 r;
	struct xapi_question q;
	char		*texts[4];
	int		 correct[4];
	struct buf	 b, resp;
	json_error_t	 e;
	json_t		*v, *name;
	const uint8_t	*p, *end, *nul;
	char		*f[NFIELDS], dur[48];
	size_t		 i, len;
	int		 valid;
	long long	 n;

	n = 0;
	memcpy(&n, data, size < sizeof(n) ? size : sizeof(n));
	end = data + size;
	p = data;
	valid = 1;
	for (i = 0; i < NFIELDS; i++) {
		if (p < end) {
			nul = memchr(p, '\0', (size_t)(end - p));
			len = nul != NULL ? (size_t)(nul - p) :
			    (size_t)(end - p);
			f[i] = xstrndup((const char *)p, len);
			p += len + 1;
		} else
			f[i] = xstrdup("");
		valid &= utf8_valid(f[i], strlen(f[i]));
	}

	memset(&r, 0, sizeof(r));
	r.key = f[0];
	r.timestamp = f[1];
	r.verb = f[2];
	r.user_id = n;
	r.registration = f[3][0] != '\0' ? f[3] : NULL;
	r.object_type = f[4];
	r.object_path = f[5];
	r.object_name = f[6];
	r.lang = f[7];
	r.interaction = f[8];
	r.parent_type = "module";
	r.parent_path = f[9][0] != '\0' ? f[9] : NULL;
	r.parent_name = f[10];
	r.grouping_path = f[11][0] != '\0' ? f[11] : NULL;
	r.grouping_name = f[11];
	r.has_score = (n & 1) != 0;
	r.raw = (double)(n >> 8 & 0xffff) / 7.0;
	r.max = (double)(n >> 24 & 0xff);
	r.success = (n & 2) ? (int)(n >> 2 & 1) : -1;
	r.completion = (n & 8) ? (int)(n >> 4 & 1) : -1;
	r.response = (n & 32) ? f[12] : NULL;
	r.duration = (n & 64) ? (long long)(n >> 32) : -1;
	r.revision = f[13];
	r.phase = (n & 128) ? f[13] : NULL;

	memset(&q, 0, sizeof(q));
	q.id = n & 0xffff;
	q.type = (int)((n >> 9) % QUIZ_TYPE_MAX);
	q.truth = (n >> 12) & 1;
	q.number = (double)(n >> 13 & 0xff) / 3.0;
	q.tolerance = (double)(n >> 21 & 7);
	for (i = 0; i < 4; i++) {
		texts[i] = f[6 + i];
		correct[i] = (int)(n >> (40 + i) & 1);
	}
	q.texts = texts;
	q.correct = correct;
	q.nopts = (size_t)(n >> 44 & 3) + 1;
	buf_init(&resp, 64);
	if ((n & 512) != 0) {
		r.question = &q;
		r.answers = (n & 1024) != 0;
		if (xapi_response(&q, f[12], "secret", &resp) == 0)
			r.response = resp.data;
	}

	xapi_duration(r.duration, dur, sizeof(dur));
	FUZZ_ASSERT(strncmp(dur, "PT", 2) == 0);
	(void)xapi_verb_known(r.verb);
	(void)xapi_interaction(r.interaction);

	buf_init(&b, 1024);
	xapi_statement(&b, &r, "https://example.org//", "secret",
	    (n & 256) ? XAPI_VERSION_1 : XAPI_VERSION);
	if (valid) {
		v = json_loadb(b.data, b.len, 0, &e);
		if (v == NULL)
			fprintf(stderr, "%s\n--- statement:\n%s\n", e.text,
			    b.data);
		FUZZ_ASSERT(json_is_object(v));
		FUZZ_ASSERT(strpbrk(b.data, "<>") == NULL);
		if (r.object_name[0] != '\0') {
			name = json_object_get(json_object_get(json_object_get(
			    json_object_get(v, "object"), "definition"),
			    "name"), r.lang[0] != '\0' ? r.lang : "it");
			FUZZ_ASSERT(json_is_string(name) && strcmp(
			    json_string_value(name), r.object_name) == 0);
		}
		if (r.response != NULL)
			FUZZ_ASSERT(strcmp(json_string_value(json_object_get(
			    json_object_get(v, "result"), "response")),
			    r.response) == 0);
		{
			json_t	*ch = json_object_get(json_object_get(
			    json_object_get(v, "object"), "definition"),
			    "choices");
			size_t	 a, c;

			for (a = 0; a < json_array_size(ch); a++)
				for (c = a + 1; c < json_array_size(ch); c++)
					FUZZ_ASSERT(strcmp(json_string_value(
					    json_object_get(json_array_get(ch,
					    a), "id")), json_string_value(
					    json_object_get(json_array_get(ch,
					    c), "id"))) != 0);
		}
		json_decref(v);
	}
	buf_free(&b);
	buf_free(&resp);
	for (i = 0; i < NFIELDS; i++)
		free(f[i]);
	return (0);
}
