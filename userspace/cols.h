/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * cols.h - aligned columns, optionally with a tree in the first one
 *
 * The output of the tree and table views, in the format of libsmartcols
 * (lsblk, findmnt, lsns): add every row with its cells, then print once the
 * widths are known.
 */
#ifndef PIDNS_TREE_COLS_H
#define PIDNS_TREE_COLS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "pidns-tree.h"

struct pt_col {
	const char	*name;		/* the header */
	unsigned int	min_width;	/* libsmartcols' absolute width hint */
	bool		right;		/* right-aligned */
};

#define PT_NO_ROW	((size_t)-1)

/* SGR sequences for a row's colour */
#define PT_BOLD		"\033[1m"
#define PT_RED		"\033[31m"
#define PT_GREEN	"\033[32m"
#define PT_MAGENTA	"\033[35m"
#define PT_CYAN		"\033[36m"

struct pt_cols;

/*
 * @tree: the first column draws the tree of rows.  Uses o->ascii, colors,
 * noheadings and raw.  @cols must live until pt_cols_print().
 */
extern struct pt_cols *pt_cols_new(const struct pt_col *cols, size_t ncols,
				   bool tree, const struct pt_opts *o,
				   FILE *out);
/*
 * Add a row below @parent (PT_NO_ROW: at the top) with @cells[ncols] (NULL
 * for an empty cell), which are copied.  Returns the row for later children.
 */
extern size_t pt_cols_add(struct pt_cols *t, size_t parent, const char *color,
			  const char *const *cells);
/* Print everything (nothing if there is no row), then free @t. */
extern void pt_cols_print(struct pt_cols *t);

#endif /* PIDNS_TREE_COLS_H */
