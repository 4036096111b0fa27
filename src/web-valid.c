/*
 * web-valid.c: the function validators of conf/app.conf.in for text of
 * bounded length (in bytes, as the regexes they replace counted it) and
 * one class of bytes. A regex such as ^.{1,1024}$ made glibc build an
 * automaton of as many states when Kore compiled it, in the parent
 * before the workers fork: 48 MB of the parent's heap for eleven
 * validators, in every worker's resident memory (heaptrack; BENCHMARKS.md,
 * issue 20). Each check here is one pass over the value (str_bounded()).
 */

#include "web.h"

#define BOUNDED(name, min, max, class)					\
int									\
name(struct http_request *req, const void *data)			\
{									\
	(void)req;							\
	return (str_bounded(data, (min), (max), (class)) ?		\
	    KORE_RESULT_OK : KORE_RESULT_ERROR);			\
}

BOUNDED(v_email, 3, 254, BYTES_NOSPACE)
BOUNDED(v_email_opt, 0, 254, BYTES_NOSPACE)
BOUNDED(v_password, 1, 1024, BYTES_ANY)
BOUNDED(v_text, 1, 200, BYTES_ANY)
BOUNDED(v_search, 0, 100, BYTES_ANY)
BOUNDED(v_reason, 1, 500, BYTES_ANY)
BOUNDED(v_note_opt, 0, 500, BYTES_ANY)
BOUNDED(v_code_opt, 0, 80, BYTES_CODE)
BOUNDED(v_oidc_code, 1, 2048, BYTES_VISIBLE)
BOUNDED(v_oidc_error, 1, 64, BYTES_WORD)
