// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * escape.c - the one place where names are escaped and unescaped
 *
 * A name (comm, origin_comm, a cgroup path, a container label) can hold any
 * byte but NUL.  Every view writes it through pt_escape(); what differs from
 * view to view is the parameter, never the rule about which bytes are safe:
 *
 *   PT_ESC_TEXT	what a person reads (tree, list, --explain): control
 *			bytes, DEL, backslash, the C1 controls and every byte
 *			that is not part of valid UTF-8 as \ooo, as the file
 *			writes them ("two\012lines", "back\134slash")
 *   PT_ESC_DOT		PT_ESC_TEXT inside a DOT "string": '"' as \" and the
 *			backslash of each \ooo doubled, so that Graphviz shows
 *			the same \012 as the tree
 *   PT_ESC_RAW		PT_ESC_TEXT and the space (\040): one field (--raw)
 *   PT_ESC_FILE	the format's own rule (Documentation/proc-pidns_tree.rst,
 *			ESCAPING): space, control bytes, DEL and backslash as
 *			\ooo, every other byte as it is (--save, --watch)
 *   PT_ESC_JSON	inside a JSON string: \" \\ \b \f \n \r \t, \u00XX for
 *			the other C0 controls, DEL, C1 and U+2028/U+2029, and
 *			U+FFFD for each byte that is not valid UTF-8 (RFC 8259)
 *
 * pt_unescape() undoes \ooo, the one escape the file and the snapshot use.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "escape.h"
#include "xalloc.h"

/* Length of the valid UTF-8 sequence at @s (RFC 3629) and its code point, or 0. */
size_t pt_utf8_decode(const unsigned char *s, uint32_t *cp)
{
	unsigned char lo = 0x80, hi = 0xbf;
	uint32_t c;
	size_t n, i;

	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	if (s[0] >= 0xc2 && s[0] <= 0xdf) {
		n = 2;
		c = s[0] & 0x1f;
	} else if (s[0] >= 0xe0 && s[0] <= 0xef) {
		n = 3;
		c = s[0] & 0x0f;
	} else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		n = 4;
		c = s[0] & 0x07;
	} else {
		return 0;
	}
	if (s[0] == 0xe0)
		lo = 0xa0;
	else if (s[0] == 0xed)
		hi = 0x9f;
	else if (s[0] == 0xf0)
		lo = 0x90;
	else if (s[0] == 0xf4)
		hi = 0x8f;
	if (s[1] < lo || s[1] > hi)
		return 0;
	c = c << 6 | (s[1] & 0x3f);
	for (i = 2; i < n; i++) {
		if (s[i] < 0x80 || s[i] > 0xbf)
			return 0;
		c = c << 6 | (s[i] & 0x3f);
	}
	*cp = c;
	return n;
}

/* Does @c, an ASCII byte, pass as it is in @how? */
static bool ascii_safe(unsigned char c, enum pt_esc how)
{
	if (c < 0x20 || c == 0x7f || c == '\\')
		return false;
	if (c == ' ')
		return how != PT_ESC_RAW && how != PT_ESC_FILE;
	if (c == '"')
		return how != PT_ESC_DOT && how != PT_ESC_JSON;
	return true;
}

static void emit_octal(unsigned char c, enum pt_esc how, pt_emit_fn *emit,
		       void *ctx)
{
	char e[5] = { '\\', (char)('0' + (c >> 6)), (char)('0' + (c >> 3 & 7)),
		      (char)('0' + (c & 7)) };

	if (how == PT_ESC_DOT)
		emit(ctx, "\\", 1);	/* DOT reads "\\" as one backslash */
	emit(ctx, e, 4);
}

static void emit_u(uint32_t c, pt_emit_fn *emit, void *ctx)
{
	static const char hex[] = "0123456789abcdef";
	char e[6] = { '\\', 'u', hex[c >> 12 & 15], hex[c >> 8 & 15],
		      hex[c >> 4 & 15], hex[c & 15] };

	emit(ctx, e, sizeof(e));
}

static void emit_json_ascii(unsigned char c, pt_emit_fn *emit, void *ctx)
{
	const char *e = NULL;

	switch (c) {
	case '"':	e = "\\\""; break;
	case '\\':	e = "\\\\"; break;
	case '\b':	e = "\\b"; break;
	case '\f':	e = "\\f"; break;
	case '\n':	e = "\\n"; break;
	case '\r':	e = "\\r"; break;
	case '\t':	e = "\\t"; break;
	}
	if (e)
		emit(ctx, e, 2);
	else
		emit_u(c, emit, ctx);	/* other C0, DEL */
}

#define NR_ESC	(PT_ESC_JSON + 1)

/* safe[how][byte]: the byte passes as it is (the fast path of every name) */
static const unsigned char *safe_table(enum pt_esc how)
{
	static unsigned char safe[NR_ESC][256];
	static bool built;

	if (!built) {
		unsigned int h, c;

		for (h = 0; h < NR_ESC; h++)
			for (c = 1; c < 256; c++)
				safe[h][c] = c < 0x80 ? ascii_safe(c, h) :
					     h == PT_ESC_FILE;
		built = true;
	}
	return safe[how < NR_ESC ? how : PT_ESC_TEXT];
}

void pt_escape(const char *s, enum pt_esc how, pt_emit_fn *emit, void *ctx)
{
	const unsigned char *p = (const unsigned char *)s, *run = p;
	const unsigned char *safe = safe_table(how);

	for (;;) {
		unsigned char c = *p;
		uint32_t cp;
		size_t n;

		if (safe[c]) {
			p++;
			continue;
		}
		if (p > run)
			emit(ctx, (const char *)run, p - run);
		if (!c)
			break;
		if (c < 0x80) {
			if (how == PT_ESC_JSON)
				emit_json_ascii(c, emit, ctx);
			else if (how == PT_ESC_DOT && c == '"')
				emit(ctx, "\\\"", 2);
			else
				emit_octal(c, how, emit, ctx);
			p++;
		} else if (!(n = pt_utf8_decode(p, &cp))) {
			if (how == PT_ESC_JSON)
				emit(ctx, "\xef\xbf\xbd", 3);	/* U+FFFD */
			else
				emit_octal(c, how, emit, ctx);
			p++;
		} else if (cp <= 0x9f || (how == PT_ESC_JSON &&
					  (cp == 0x2028 || cp == 0x2029))) {
			/* C1 controls (and JavaScript's line ends) */
			if (how == PT_ESC_JSON) {
				emit_u(cp, emit, ctx);
			} else {
				size_t i;

				for (i = 0; i < n; i++)
					emit_octal(p[i], how, emit, ctx);
			}
			p += n;
		} else {
			emit(ctx, (const char *)p, n);
			p += n;
		}
		run = p;
	}
}

static void emit_file(void *ctx, const char *s, size_t n)
{
	fwrite(s, 1, n, ctx);
}

void pt_fputs_escaped(const char *s, enum pt_esc how, FILE *out)
{
	pt_escape(s, how, emit_file, out);
}

struct strbuf {
	char	*s;
	size_t	len, sz;
};

static void emit_buf(void *ctx, const char *s, size_t n)
{
	struct strbuf *b = ctx;

	if (b->len + n + 1 > b->sz) {
		while (b->len + n + 1 > b->sz)
			b->sz = b->sz ? b->sz * 2 : 64;
		b->s = xrealloc(b->s, b->sz);
	}
	memcpy(b->s + b->len, s, n);
	b->len += n;
	b->s[b->len] = '\0';
}

bool pt_needs_escape(const char *s, enum pt_esc how)
{
	const unsigned char *p = (const unsigned char *)s;
	const unsigned char *safe = safe_table(how);

	while (safe[*p])
		p++;
	return *p != '\0';
}

/*
 * @s escaped: @s itself if nothing in it needs escaping (the common case,
 * no copy), else the text in *@buf (grown as needed, *@sz its size;
 * free() it when done).
 */
const char *pt_escaped(const char *s, enum pt_esc how, char **buf, size_t *sz)
{
	struct strbuf b = { .s = *buf, .sz = *sz };

	if (!pt_needs_escape(s, how))
		return s;
	pt_escape(s, how, emit_buf, &b);
	*buf = b.s;
	*sz = b.sz;
	return b.s;
}

struct boundbuf {
	char	*s;
	size_t	len, sz;
};

static void emit_bound(void *ctx, const char *s, size_t n)
{
	struct boundbuf *b = ctx;

	if (b->len + n >= b->sz)
		n = b->sz - 1 - b->len;
	memcpy(b->s + b->len, s, n);
	b->len += n;
	b->s[b->len] = '\0';
}

/*
 * Up to @max bytes of @s (not NUL-terminated: @n bytes), escaped for a
 * message, with "..." if cut; @dst has @sz bytes (at least 4 * @max + 4).
 */
char *pt_quote(char *dst, size_t sz, const char *s, size_t n)
{
	struct boundbuf b = { .s = dst, .sz = sz };
	char part[PT_QUOTE_MAX + 1];
	size_t k = n < PT_QUOTE_MAX ? n : PT_QUOTE_MAX, i;

	dst[0] = '\0';
	/*
	 * The field as it is in the input, which is escaped already: its
	 * backslashes stay; a NUL is shown as \000 like any control byte.
	 */
	for (i = 0; i < k; i++) {
		part[0] = s[i];
		part[1] = '\0';
		if (!s[i])
			emit_bound(&b, "\\000", 4);
		else if (s[i] == '\\')
			emit_bound(&b, "\\", 1);
		else
			pt_escape(part, PT_ESC_TEXT, emit_bound, &b);
	}
	if (k < n)
		emit_bound(&b, "...", 3);
	return dst;
}

static int octal(char c)
{
	return c >= '0' && c <= '7' ? c - '0' : -1;
}

/*
 * Undo the \ooo escapes of @s (@n bytes) in place and NUL-terminate it at
 * its new length *@len (s[n] must be writable).  Returns 0, or a
 * PT_UNESC_* error with *@len set to the offset of the offending byte.
 * Bytes >= 0x80 are data; control bytes and DEL must have been escaped.
 */
int pt_unescape(char *s, size_t n, size_t *len)
{
	size_t i, o = 0;

	for (i = 0; i < n; i++) {
		unsigned char c = s[i];
		int a, b, d;

		if (c < 0x20 || c == 0x7f) {
			*len = i;
			return PT_UNESC_CONTROL;
		}
		if (c != '\\') {
			s[o++] = c;
			continue;
		}
		a = i + 1 < n ? octal(s[i + 1]) : -1;
		b = i + 2 < n ? octal(s[i + 2]) : -1;
		d = i + 3 < n ? octal(s[i + 3]) : -1;
		if (a < 0 || a > 3 || b < 0 || d < 0) {
			*len = i;
			return PT_UNESC_BAD;
		}
		c = (unsigned char)(a << 6 | b << 3 | d);
		if (c == 0) {
			*len = i;
			return PT_UNESC_NUL;
		}
		s[o++] = c;
		i += 3;
	}
	s[o] = '\0';
	*len = o;
	return 0;
}
