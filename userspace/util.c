// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * util.c - formatting helpers shared by the views
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "pidns-tree.h"
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

/* Length of the valid UTF-8 sequence at @s, or 0; C1 controls count as bad. */
static size_t utf8_len(const unsigned char *s)
{
	uint32_t cp;
	size_t n = pt_utf8_decode(s, &cp);

	return n && cp >= 0x80 && cp < 0xa0 ? 0 : n;
}

/*
 * Write @s for a human: control bytes, backslashes and invalid UTF-8 become
 * \ooo as in the file.  @dot: inside a DOT "string" (escape '"' and '\').
 */
void pt_fputs_escaped(const char *s, bool dot, FILE *out)
{
	const unsigned char *p = (const unsigned char *)s;

	while (*p) {
		size_t n = utf8_len(p);

		if (n == 1 && *p >= 0x20 && *p != 0x7f && *p != '\\') {
			if (dot && *p == '"')
				fputc('\\', out);
			fputc(*p, out);
		} else if (n > 1) {
			fwrite(p, 1, n, out);
			p += n - 1;
		} else {
			fprintf(out, dot ? "\\\\%03o" : "\\%03o", *p);
		}
		p++;
	}
}

/* @v in decimal at @p, not terminated; returns the end. */
char *pt_utoa(char *p, unsigned long long v)
{
	char d[24], *q = d + sizeof(d);
	size_t n;

	do {
		*--q = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	n = d + sizeof(d) - q;
	memcpy(p, q, n);
	return p + n;
}

char *pt_itoa(char *p, long long v)
{
	if (v >= 0)
		return pt_utoa(p, (unsigned long long)v);
	*p++ = '-';
	return pt_utoa(p, -(unsigned long long)v);
}

/* The task's PID in each namespace, outermost first; @sz >= PT_PIDS_BUFSZ. */
char *pt_pids(const struct pt_task *t, enum pt_pids_style style,
	      char *buf, size_t sz)
{
	char *o = buf;
	unsigned int i;

	if (sz < PT_PIDS_BUFSZ) {
		buf[0] = '\0';
		return buf;
	}
	o = pt_itoa(o, t->nspids[0]);
	for (i = 1; i <= t->level && i <= PT_MAX_LEVEL; i++) {
		if (style == PT_PIDS_TREE && i == 1) {
			*o++ = ' ';
			*o++ = '[';
		} else {
			*o++ = ',';
		}
		o = pt_itoa(o, t->nspids[i]);
	}
	if (style == PT_PIDS_TREE && t->level)
		*o++ = ']';
	*o = '\0';
	return buf;
}
