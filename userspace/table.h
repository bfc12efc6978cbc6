/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * table.h - the lines of the tree and the list, before they are printed
 */
#ifndef PIDNS_TREE_TABLE_H
#define PIDNS_TREE_TABLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

struct libscols_table;

#define PT_TOP_LINE	((size_t)-1)	/* the parent of a line at the top */

/* A column as libsmartcols is told of it. */
struct pt_tcol {
	const char	*header;
	double		whint;
	int		flags;		/* SCOLS_FL_* */
};

struct pt_table;

extern struct pt_table *pt_table_new(size_t nr_cols);
extern void pt_table_free(struct pt_table *t);
extern struct pt_tcol *pt_table_column(struct pt_table *t, size_t col);
extern size_t pt_table_add_line(struct pt_table *t, size_t parent);
extern void pt_table_set(struct pt_table *t, size_t line, size_t col,
			 const char *data, const char *color);
extern int pt_table_print(const struct pt_table *t, struct libscols_table *tb,
			  bool plain, FILE *out);

#endif
