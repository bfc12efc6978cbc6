/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * pidns-tree.h - options, views and helpers shared by the views
 */
#ifndef PIDNS_TREE_READER_H
#define PIDNS_TREE_READER_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "model.h"

#define PT_PIDS_BUFSZ	((PT_MAX_LEVEL + 1) * 12 + 8)

struct pt_opts {
	bool	threads;		/* -T: one line per thread in the tree */
	bool	ascii;
	bool	colors;
	bool	noheadings;
	bool	raw;
	int	columns[PT_NR_COLUMNS * 2];	/* --columns, table view */
	size_t	nr_columns;
};

enum pt_pids_style {
	PT_PIDS_TREE,		/* "79054 [7]" */
	PT_PIDS_LIST,		/* "79054,7" */
};

/* views; each returns 0 or -1 with @e set */
extern int pt_view_tree(const struct pt_model *m, const struct pt_opts *o,
			FILE *out, struct pt_error *e);
extern int pt_view_table(const struct pt_model *m, const struct pt_opts *o,
			 FILE *out, struct pt_error *e);
extern int pt_view_json(const struct pt_model *m, const struct pt_opts *o,
			FILE *out, struct pt_error *e);
extern int pt_view_dot(const struct pt_model *m, const struct pt_opts *o,
		       FILE *out, struct pt_error *e);
extern int pt_explain(const struct pt_model *m, pid_t pid, FILE *out,
		      struct pt_error *e);

/* view-table.c: the task columns */
extern int pt_column_by_name(const char *name, size_t len);
extern const char *pt_column_help(int col);
extern int pt_check_depth(const struct pt_model *m, struct pt_error *e);

/* util.c */
extern char *pt_pids(const struct pt_task *t, enum pt_pids_style style,
		     char *buf, size_t sz);
extern void pt_fputs_escaped(const char *s, bool dot, FILE *out);
extern size_t pt_utf8_decode(const unsigned char *s, uint32_t *cp);
extern char *pt_utoa(char *p, unsigned long long v);
extern char *pt_itoa(char *p, long long v);

#endif /* PIDNS_TREE_READER_H */
