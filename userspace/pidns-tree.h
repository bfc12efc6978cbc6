/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * pidns-tree.h - options, views and helpers shared by the views
 */
#ifndef PIDNS_TREE_H
#define PIDNS_TREE_H

#include <stdbool.h>
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
	PT_PIDS_JSON,		/* "79054\n7", one array element a line */
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

/* view-table.c: the task columns, shared with the JSON view */
extern int pt_column_by_name(const char *name, size_t len);
extern const char *pt_column_help(int col);
extern const char *pt_task_cell(const struct pt_task *t, int col, bool json,
				char *buf, size_t sz);
extern int pt_check_depth(const struct pt_model *m, struct pt_error *e);
struct libscols_table;
struct libscols_line;
extern void pt_add_columns(struct libscols_table *tb, const int *cols,
			   size_t n, bool json);
extern struct libscols_table *pt_new_table(const struct pt_opts *o, FILE *out);
extern struct libscols_line *pt_new_line(struct libscols_table *tb,
					 struct libscols_line *parent);
extern void pt_set_cell(struct libscols_line *ln, size_t i, const char *data);
extern int pt_print_table(struct libscols_table *tb, struct pt_error *e);

/* util.c */
extern char *pt_pids(const struct pt_task *t, enum pt_pids_style style,
		     char *buf, size_t sz);
extern void pt_fputs_escaped(const char *s, bool dot, FILE *out);
extern char *pt_json_string(const char *s);

#endif /* PIDNS_TREE_H */
