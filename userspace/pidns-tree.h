/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * pidns-tree.h - options, views and helpers shared by the views
 */
#ifndef PIDNS_TREE_READER_H
#define PIDNS_TREE_READER_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "columns.h"
#include "escape.h"
#include "model.h"

#define PT_PIDS_BUFSZ	((PT_MAX_LEVEL + 1) * 12 + 8)
#define PT_MAX_OUTPUT	(PT_NR_COLUMNS * 4)	/* -o may repeat columns */

struct pt_opts {
	bool	tree;			/* else one row per task (--list) */
	bool	threads;		/* --threads: one line per thread in the tree */
	bool	ascii;
	bool	colors;
	bool	noheadings;
	bool	raw;
	bool	pairs;
	bool	notruncate;
	unsigned int width;		/* --width; 0: the terminal's */
	int	sort;			/* --sort column, or -1 */
	int	columns[PT_MAX_OUTPUT];	/* --output */
	size_t	nr_columns;
};

enum pt_pids_style {
	PT_PIDS_TREE,		/* "79054 [7]" */
	PT_PIDS_LIST,		/* "79054,7" */
};

/* The value of one column for one task (columns.c). */
enum pt_value_type {
	PT_V_NONE,		/* empty cell, no JSON key */
	PT_V_NULL,		/* "-", JSON null */
	PT_V_UNKNOWN,		/* "?", JSON null */
	PT_V_INT,
	PT_V_UINT,
	PT_V_BOOL,		/* 1 or 0, JSON true or false */
	PT_V_STR,
	PT_V_PIDS,		/* the task's nspids */
};

struct pt_value {
	enum pt_value_type	type;
	bool			tree;	/* PT_V_PIDS: "79054 [7]" */
	long long		i;
	unsigned long long	u;
	const char		*s;
	const struct pt_task	*t;
	char			buf[512];
};

struct pt_cellctx {
	const struct pt_model	*m;
	bool	tree;		/* tree lines: PID with the PIDs below in
				 * brackets, process columns empty on threads */
	bool	folded;		/* threads folded into their process */
};

extern void pt_cell_value(const struct pt_cellctx *c, const struct pt_task *t,
			  int col, struct pt_value *v);
/* The text of @v (NULL for an empty cell); @buf has PT_PIDS_BUFSZ bytes. */
extern const char *pt_value_text(const struct pt_value *v, char *buf, size_t sz);

/* No value to sort by: an empty cell, "-" or "?". */
static inline bool pt_value_empty(const struct pt_value *v)
{
	return v->type == PT_V_NONE || v->type == PT_V_NULL ||
	       v->type == PT_V_UNKNOWN;
}
extern const char *pt_task_color(const struct pt_task *t);

/* views; each returns 0 or -1 with @e set */
extern int pt_view_scols(const struct pt_model *m, const struct pt_opts *o,
			 FILE *out, struct pt_error *e);
extern int pt_view_json(const struct pt_model *m, const struct pt_opts *o,
			FILE *out, struct pt_error *e);
extern int pt_view_dot(const struct pt_model *m, const struct pt_opts *o,
		       FILE *out, struct pt_error *e);
/* --explain PID: prose, or with @json one JSON object */
extern int pt_explain(const struct pt_model *m, pid_t pid, bool json,
		      FILE *out, struct pt_error *e);

/* The selected tasks in file order, or sorted by o->sort; free() it. */
extern const struct pt_task **pt_list_tasks(const struct pt_model *m,
					    const struct pt_opts *o, size_t *n);
extern int pt_check_depth(const struct pt_model *m, struct pt_error *e);

/* snapshot.c: --save files */
/*
 * If @buf is a snapshot: read its map into @map, move the file part to
 * the start of @buf (*@len shrinks) and return 1, *@lines the lines
 * before it; 0 if @buf is a plain capture; -1 with @e set.
 */
extern int pt_snapshot_split(char *buf, size_t *len, struct pt_cgmap *map,
			     size_t *lines, struct pt_error *e);
/* Write @proc (@len bytes, as read) and @m's cgroups to @path. */
extern int pt_snapshot_write(const char *path, const char *proc, size_t len,
			     const struct pt_model *m, struct pt_error *e);

/* live.c: kernel threads' longer names from @root (/proc)/PID/comm */
#define PT_PROC_ROOT_ENV	"PIDNS_TREE_PROC_ROOT"	/* test hook */
extern void pt_live_comms(struct pt_model *m, const char *root);

/* util.c */
extern char *pt_pids(const struct pt_task *t, enum pt_pids_style style,
		     char *buf, size_t sz);
extern char *pt_utoa(char *p, unsigned long long v);
extern char *pt_itoa(char *p, long long v);

#endif /* PIDNS_TREE_READER_H */
