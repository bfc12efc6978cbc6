// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * util.c - formatting helpers shared by the views
 */
#include <stdio.h>
#include <string.h>

#include "pidns-tree.h"
#include "xalloc.h"

/* Length of the valid UTF-8 sequence at @s (RFC 3629), or 0. */
static size_t utf8_len(const unsigned char *s)
{
	unsigned char lo = 0x80, hi = 0xbf;
	size_t n, i;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		n = 2;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		n = 3;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		n = 4;
	else
		return 0;
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
	for (i = 2; i < n; i++)
		if (s[i] < 0x80 || s[i] > 0xbf)
			return 0;
	/* C1 controls (U+0080..U+009F) are as unsafe as C0 ones */
	if (s[0] == 0xc2 && s[1] < 0xa0)
		return 0;
	return n;
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

/* A copy of @s that is valid UTF-8: invalid bytes become U+FFFD. */
char *pt_json_string(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	char *res = xmalloc(strlen(s) * 3 + 1), *o = res;

	while (*p) {
		size_t n = utf8_len(p);

		if (n) {
			memcpy(o, p, n);
			o += n;
			p += n;
		} else if (*p == 0xc2 && p[1] >= 0x80 && p[1] < 0xa0) {
			/* a C1 control is valid UTF-8; JSON allows it raw */
			memcpy(o, p, 2);
			o += 2;
			p += 2;
		} else {
			memcpy(o, "\xef\xbf\xbd", 3);
			o += 3;
			p++;
		}
	}
	*o = '\0';
	return res;
}

/* The task's PID in each namespace, outermost first. */
char *pt_pids(const struct pt_task *t, enum pt_pids_style style,
	      char *buf, size_t sz)
{
	static const char *const seps[] = {
		[PT_PIDS_TREE] = ",",
		[PT_PIDS_LIST] = ",",
		[PT_PIDS_JSON] = "\n",
	};
	size_t o;
	unsigned int i;

	o = snprintf(buf, sz, "%d", (int)t->nspids[0]);
	for (i = 1; i <= t->level && o < sz; i++) {
		const char *sep = style == PT_PIDS_TREE && i == 1 ? " [" : seps[style];

		o += snprintf(buf + o, sz - o, "%s%d", sep, (int)t->nspids[i]);
	}
	if (style == PT_PIDS_TREE && t->level && o < sz)
		snprintf(buf + o, sz - o, "]");
	return buf;
}
