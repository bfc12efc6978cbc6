/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * escape.h - the one escaping rule for names, one parameter per view
 */
#ifndef PIDNS_TREE_ESCAPE_H
#define PIDNS_TREE_ESCAPE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* How a view writes a name (escape.c says what each one does). */
enum pt_esc {
	PT_ESC_TEXT,	/* tree, list, --explain: \ooo (0: was "false") */
	PT_ESC_DOT,	/* inside a DOT "string" (1: was "true") */
	PT_ESC_RAW,	/* --raw: PT_ESC_TEXT and the space */
	PT_ESC_FILE,	/* the format's own rule: --save, --watch */
	PT_ESC_JSON,	/* inside a JSON string */
};

typedef void pt_emit_fn(void *ctx, const char *s, size_t n);

extern void pt_escape(const char *s, enum pt_esc how, pt_emit_fn *emit,
		      void *ctx);
extern void pt_fputs_escaped(const char *s, enum pt_esc how, FILE *out);
extern bool pt_needs_escape(const char *s, enum pt_esc how);
extern const char *pt_escaped(const char *s, enum pt_esc how, char **buf,
			      size_t *sz);

#define PT_QUOTE_MAX	40	/* bytes of a field quoted in a message */
extern char *pt_quote(char *dst, size_t sz, const char *s, size_t n);

enum {
	PT_UNESC_BAD = -1,	/* a backslash without 3 octal digits 000-377 */
	PT_UNESC_NUL = -2,	/* \000 */
	PT_UNESC_CONTROL = -3,	/* an unescaped control byte or DEL */
};
extern int pt_unescape(char *s, size_t n, size_t *len);

extern size_t pt_utf8_decode(const unsigned char *s, uint32_t *cp);

#endif /* PIDNS_TREE_ESCAPE_H */
