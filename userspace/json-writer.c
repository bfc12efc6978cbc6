// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * json-writer.c - a streaming JSON writer with typed values
 *
 * Output goes through a 64 KiB buffer of its own (one fwrite() per 64 KiB);
 * the stack of open objects and arrays is one byte a level and grows as
 * needed, so the nesting depth is limited by memory only.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "json-writer.h"
#include "pidns-tree.h"
#include "xalloc.h"

enum {
	LVL_ARRAY	= 1 << 0,	/* else an object */
	LVL_ITEMS	= 1 << 1,	/* something was written in it */
};

struct jsonw {
	FILE		*out;
	unsigned int	flags;
	unsigned char	*stack;
	size_t		depth, cap;
	bool		named;		/* a name was written, its value is due */
	bool		done;		/* the top-level value is complete */
	bool		error;		/* fwrite() failed */
	size_t		len;
	char		buf[1 << 16];
};

static void __attribute__((noreturn)) bug(const char *what)
{
	fprintf(stderr, "json-writer: %s\n", what);
	abort();
}

static void flush(struct jsonw *w)
{
	if (w->len && fwrite(w->buf, 1, w->len, w->out) != w->len)
		w->error = true;
	w->len = 0;
}

static inline void put(struct jsonw *w, char c)
{
	if (w->len == sizeof(w->buf))
		flush(w);
	w->buf[w->len++] = c;
}

static void put_mem(struct jsonw *w, const void *p, size_t n)
{
	if (n > sizeof(w->buf) - w->len) {
		flush(w);
		if (n > sizeof(w->buf)) {
			if (fwrite(p, 1, n, w->out) != n)
				w->error = true;
			return;
		}
	}
	memcpy(w->buf + w->len, p, n);
	w->len += n;
}

struct jsonw *jsonw_new(FILE *out, unsigned int flags)
{
	struct jsonw *w = xmalloc(sizeof(*w));

	w->out = out;
	w->flags = flags;
	w->cap = 64;
	w->stack = xmalloc(w->cap);
	w->depth = 0;
	w->named = w->done = w->error = false;
	w->len = 0;
	return w;
}

int jsonw_destroy(struct jsonw *w)
{
	int rc;

	if (w->depth || w->named)
		bug("destroyed with an object or array still open");
	flush(w);
	rc = w->error || ferror(w->out) ? -1 : 0;
	free(w->stack);
	free(w);
	return rc;
}

/* Separator and checks before any value; @object: it is an object. */
static void before_value(struct jsonw *w, bool object)
{
	unsigned char *top;

	if (!w->depth) {
		if (w->done)
			bug("a second top-level value");
		return;
	}
	top = &w->stack[w->depth - 1];
	if (*top & LVL_ARRAY) {
		if (*top & LVL_ITEMS)
			put(w, ',');
		*top |= LVL_ITEMS;
		if (object && (w->flags & JSONW_OBJECT_LINES))
			put(w, '\n');
	} else {
		if (!w->named)
			bug("a value in an object without a name");
		w->named = false;
	}
}

static void after_value(struct jsonw *w)
{
	if (w->depth)
		return;
	w->done = true;
	put(w, '\n');
}

static void push(struct jsonw *w, unsigned char lvl)
{
	if (w->depth == w->cap) {
		w->cap *= 2;
		w->stack = xrealloc(w->stack, w->cap);
	}
	w->stack[w->depth++] = lvl;
}

static void pop(struct jsonw *w, unsigned char type, char close)
{
	if (!w->depth || (w->stack[w->depth - 1] & LVL_ARRAY) != type)
		bug(type ? "closing an array that is not open" :
		    "closing an object that is not open");
	if (w->named)
		bug("a name without a value");
	w->depth--;
	put(w, close);
	after_value(w);
}

void jsonw_start_object(struct jsonw *w)
{
	before_value(w, true);
	put(w, '{');
	push(w, 0);
}

void jsonw_end_object(struct jsonw *w)
{
	pop(w, 0, '}');
}

void jsonw_start_array(struct jsonw *w)
{
	before_value(w, false);
	put(w, '[');
	push(w, LVL_ARRAY);
}

void jsonw_end_array(struct jsonw *w)
{
	pop(w, LVL_ARRAY, ']');
}

static void put_emit(void *ctx, const char *s, size_t n)
{
	put_mem(ctx, s, n);
}

static void put_string(struct jsonw *w, const char *s)
{
	put(w, '"');
	pt_escape(s, PT_ESC_JSON, put_emit, w);
	put(w, '"');
}

void jsonw_name(struct jsonw *w, const char *name)
{
	unsigned char *top;

	if (!w->depth || (w->stack[w->depth - 1] & LVL_ARRAY))
		bug("a name outside an object");
	if (w->named)
		bug("two names in a row");
	top = &w->stack[w->depth - 1];
	if (*top & LVL_ITEMS)
		put(w, ',');
	*top |= LVL_ITEMS;
	put_string(w, name);
	put(w, ':');
	w->named = true;
}

void jsonw_string(struct jsonw *w, const char *s)
{
	before_value(w, false);
	put_string(w, s);
	after_value(w);
}

static void put_uint(struct jsonw *w, unsigned long long v)
{
	char d[24], *p = d + sizeof(d);

	do {
		*--p = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	put_mem(w, p, d + sizeof(d) - p);
}

void jsonw_int(struct jsonw *w, long long v)
{
	before_value(w, false);
	if (v < 0) {
		put(w, '-');
		put_uint(w, -(unsigned long long)v);
	} else {
		put_uint(w, (unsigned long long)v);
	}
	after_value(w);
}

void jsonw_uint(struct jsonw *w, unsigned long long v)
{
	before_value(w, false);
	put_uint(w, v);
	after_value(w);
}

void jsonw_bool(struct jsonw *w, bool v)
{
	before_value(w, false);
	if (v)
		put_mem(w, "true", 4);
	else
		put_mem(w, "false", 5);
	after_value(w);
}

void jsonw_null(struct jsonw *w)
{
	before_value(w, false);
	put_mem(w, "null", 4);
	after_value(w);
}
