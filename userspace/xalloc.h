/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * xalloc.h - allocate or die, util-linux style
 */
#ifndef PIDNS_TREE_XALLOC_H
#define PIDNS_TREE_XALLOC_H

#include <err.h>
#include <stdlib.h>
#include <string.h>

static inline void *xmalloc(size_t sz)
{
	void *p = malloc(sz ? sz : 1);

	if (!p)
		err(EXIT_FAILURE, "cannot allocate %zu bytes", sz);
	return p;
}

static inline void *xcalloc(size_t n, size_t sz)
{
	void *p = calloc(n ? n : 1, sz ? sz : 1);

	if (!p)
		err(EXIT_FAILURE, "cannot allocate %zu bytes", n * sz);
	return p;
}

static inline void *xrealloc(void *old, size_t sz)
{
	void *p = realloc(old, sz ? sz : 1);

	if (!p)
		err(EXIT_FAILURE, "cannot allocate %zu bytes", sz);
	return p;
}

static inline char *xstrdup(const char *s)
{
	char *p = strdup(s);

	if (!p)
		err(EXIT_FAILURE, "cannot allocate %zu bytes", strlen(s) + 1);
	return p;
}

static inline void *xmemdup(const void *s, size_t n)
{
	return memcpy(xmalloc(n), s, n);
}

static inline void *xreallocarray(void *old, size_t n, size_t sz)
{
	if (sz && n > (size_t)-1 / sz)
		errx(EXIT_FAILURE, "cannot allocate %zu * %zu bytes", n, sz);
	return xrealloc(old, n * sz);
}

#endif /* PIDNS_TREE_XALLOC_H */
