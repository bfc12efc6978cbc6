/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * json-writer.h - a streaming JSON writer with typed values
 *
 * Modelled on iproute2's json_writer: values are written as they come, the
 * open objects and arrays are kept on an explicit stack (no recursion, no
 * depth limit), and every string is escaped by the writer.  There is no way
 * to write a fragment of JSON text.
 *
 *	struct jsonw *w = jsonw_new(stdout, 0);
 *	jsonw_start_object(w);
 *	jsonw_int_field(w, "pid", 1);
 *	jsonw_name(w, "nspids");
 *	jsonw_start_array(w);
 *	jsonw_int(w, 1);
 *	jsonw_end_array(w);
 *	jsonw_end_object(w);
 *	jsonw_destroy(w);		-> {"pid":1,"nspids":[1]}
 *
 * Misuse (a value in an object without a name, a name in an array, closing
 * what is not open, destroying with something open) is a bug in the caller:
 * the writer aborts with a message.
 */
#ifndef PIDNS_TREE_JSON_WRITER_H
#define PIDNS_TREE_JSON_WRITER_H

#include <stdbool.h>
#include <stdio.h>

struct jsonw;

enum {
	/* a line break before each object that is an array element: one
	 * object a line, and the output stays O(n) however deep the nesting */
	JSONW_OBJECT_LINES	= 1 << 0,
};

/* Output is compact (no spaces) and ends with a newline after the top value. */
extern struct jsonw *jsonw_new(FILE *out, unsigned int flags);
/* Flush and free; returns -1 if writing to the stream failed. */
extern int jsonw_destroy(struct jsonw *w);

extern void jsonw_start_object(struct jsonw *w);
extern void jsonw_end_object(struct jsonw *w);
extern void jsonw_start_array(struct jsonw *w);
extern void jsonw_end_array(struct jsonw *w);
/* The name of the next value in the current object. */
extern void jsonw_name(struct jsonw *w, const char *name);

/*
 * A string, escaped: '"', '\\', the C0 controls, DEL, the C1 controls
 * (U+0080..U+009F) and U+2028/U+2029 as \uXXXX or the short forms (\n ...);
 * every byte that is not part of a valid UTF-8 sequence (RFC 3629: no
 * overlong forms, no surrogates, nothing above U+10FFFF) becomes U+FFFD.
 * So the output is always valid UTF-8 and safe to print on a terminal.
 */
extern void jsonw_string(struct jsonw *w, const char *s);
extern void jsonw_int(struct jsonw *w, long long v);
extern void jsonw_uint(struct jsonw *w, unsigned long long v);
extern void jsonw_bool(struct jsonw *w, bool v);
extern void jsonw_null(struct jsonw *w);

static inline void jsonw_string_field(struct jsonw *w, const char *name,
				      const char *v)
{
	jsonw_name(w, name);
	jsonw_string(w, v);
}

static inline void jsonw_int_field(struct jsonw *w, const char *name,
				   long long v)
{
	jsonw_name(w, name);
	jsonw_int(w, v);
}

static inline void jsonw_uint_field(struct jsonw *w, const char *name,
				    unsigned long long v)
{
	jsonw_name(w, name);
	jsonw_uint(w, v);
}

static inline void jsonw_bool_field(struct jsonw *w, const char *name, bool v)
{
	jsonw_name(w, name);
	jsonw_bool(w, v);
}

static inline void jsonw_null_field(struct jsonw *w, const char *name)
{
	jsonw_name(w, name);
	jsonw_null(w);
}

#endif /* PIDNS_TREE_JSON_WRITER_H */
