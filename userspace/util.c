// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * util.c - formatting helpers shared by the views
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "pidns-tree.h"
#include "xalloc.h"

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
