/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * columns.h - the one table of the columns pidns-tree knows
 *
 * Each row says everything about a column: its name in the /proc header
 * (also the JSON key), its header text (also the -o name, in any case and
 * the --pairs key), libsmartcols' width hint and flags, its JSON type and
 * a line of help.  The parser maps the file's header onto it, every view
 * and --help read it, and the man page's column list is tested against it.
 * Adding a column: one enum entry and one row here, its parsing in parse.c
 * (file columns only) and its value in pt_cell_value().
 */
#ifndef PIDNS_TREE_COLUMNS_H
#define PIDNS_TREE_COLUMNS_H

#include <stdbool.h>
#include <stddef.h>

enum {
	/* the columns of /proc/pidns_tree (format 2) */
	PT_COL_PID,
	PT_COL_TGID,
	PT_COL_PPID,
	PT_COL_PARENT,
	PT_COL_TRACER,
	PT_COL_SUB,
	PT_COL_REAPER,
	PT_COL_PIDNS,
	PT_COL_LEVEL,
	PT_COL_NSPIDS,
	PT_COL_STATE,
	PT_COL_INIT,
	PT_COL_ORIGIN,
	PT_COL_ORIGIN_COMM,
	PT_COL_ADOPTED,
	PT_COL_CGROUP,
	PT_COL_ID,
	PT_COL_COMM,
	/* derived by the reader */
	PT_COL_THREAD,
	PT_COL_THREADS,
	PT_COL_COMMAND,
	PT_COL_NOTES,
	PT_COL_CONTAINER,
	PT_COL_ENTERED,
	PT_NR_COLUMNS
};

/* pt_colinfo.cflags */
enum {
	PT_CF_FILE	= 1 << 0,	/* a column of the file (the ABI) */
	PT_CF_OPTIONAL	= 1 << 1,	/* a file column older modules lack */
	PT_CF_PROCESS	= 1 << 2,	/* about the process: empty on thread lines of the tree */
};

struct pt_colinfo {
	const char	*name;		/* in the /proc header; the JSON key */
	const char	*header;	/* the heading; the -o and --pairs name */
	double		whint;		/* libsmartcols' width hint */
	int		flags;		/* SCOLS_FL_* */
	int		json_type;	/* SCOLS_JSON_* */
	unsigned int	cflags;		/* PT_CF_* */
	const char	*help;
};

extern const struct pt_colinfo pt_columns[PT_NR_COLUMNS];

/* -1 if @name (@len bytes, any case) is no column's header */
extern int pt_column_by_name(const char *name, size_t len);

#endif /* PIDNS_TREE_COLUMNS_H */
