// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * view-table.c - one row per task, drawn by libsmartcols
 */
#include <err.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libsmartcols.h>

#include "pidns-tree.h"

struct colinfo {
	const char	*name;
	double		whint;
	int		flags;
	int		json_type;
	const char	*help;
};

static const struct colinfo infos[PT_NR_COLUMNS] = {
	[PT_COL_PID]	= { "PID", 5, SCOLS_FL_RIGHT, SCOLS_JSON_NUMBER,
			    "task (thread) ID in your namespace" },
	[PT_COL_TGID]	= { "TGID", 5, SCOLS_FL_RIGHT, SCOLS_JSON_NUMBER,
			    "thread group (process) ID" },
	[PT_COL_PPID]	= { "PPID", 5, SCOLS_FL_RIGHT, SCOLS_JSON_NUMBER,
			    "real parent process, 0 if none or outside" },
	[PT_COL_PARENT]	= { "PARENT", 5, SCOLS_FL_RIGHT, SCOLS_JSON_NUMBER,
			    "task->parent: the tracer while traced, else the real parent" },
	[PT_COL_TRACER]	= { "TRACER", 5, SCOLS_FL_RIGHT, SCOLS_JSON_NUMBER,
			    "ptrace tracer, 0 if none" },
	[PT_COL_SUB]	= { "SUB", 1, 0, SCOLS_JSON_STRING,
			    "S child subreaper, s has one above, - neither" },
	[PT_COL_REAPER]	= { "REAPER", 5, SCOLS_FL_RIGHT, SCOLS_JSON_NUMBER,
			    "adopter if the real parent's process exits (- : parent is a namespace init)" },
	[PT_COL_PIDNS]	= { "PIDNS", 10, SCOLS_FL_RIGHT, SCOLS_JSON_NUMBER,
			    "inode of the task's pid namespace" },
	[PT_COL_LEVEL]	= { "LEVEL", 1, SCOLS_FL_RIGHT, SCOLS_JSON_NUMBER,
			    "namespace depth below yours" },
	[PT_COL_NSPIDS]	= { "NSPIDS", 5, 0, SCOLS_JSON_ARRAY_NUMBER,
			    "PID in each namespace, yours first" },
	[PT_COL_STATE]	= { "STATE", 1, 0, SCOLS_JSON_STRING,
			    "state: R S D T t X Z P I" },
	[PT_COL_INIT]	= { "INIT", 1, SCOLS_FL_RIGHT, SCOLS_JSON_BOOLEAN,
			    "1 if the init (child_reaper) of its namespace" },
	[PT_COL_COMM]	= { "COMM", 0.2, 0, SCOLS_JSON_STRING,
			    "command name" },
};

int pt_column_by_name(const char *name, size_t len)
{
	int i;

	for (i = 0; i < PT_NR_COLUMNS; i++)
		if (strlen(infos[i].name) == len &&
		    strncasecmp(infos[i].name, name, len) == 0)
			return i;
	return -1;
}

const char *pt_column_help(int col)
{
	return infos[col].help;
}

/* The text of one cell; JSON wants nothing for '-' and arrays by line. */
const char *pt_task_cell(const struct pt_task *t, int col, bool json,
			 char *buf, size_t sz)
{
	switch (col) {
	case PT_COL_PID:	snprintf(buf, sz, "%d", (int)t->pid); break;
	case PT_COL_TGID:	snprintf(buf, sz, "%d", (int)t->tgid); break;
	case PT_COL_PPID:	snprintf(buf, sz, "%d", (int)t->ppid); break;
	case PT_COL_PARENT:	snprintf(buf, sz, "%d", (int)t->parent); break;
	case PT_COL_TRACER:	snprintf(buf, sz, "%d", (int)t->tracer); break;
	case PT_COL_SUB:	snprintf(buf, sz, "%c", t->sub); break;
	case PT_COL_PIDNS:	snprintf(buf, sz, "%llu", t->pidns); break;
	case PT_COL_LEVEL:	snprintf(buf, sz, "%u", t->level); break;
	case PT_COL_STATE:	snprintf(buf, sz, "%c", t->state); break;
	case PT_COL_INIT:	snprintf(buf, sz, "%d", t->init); break;
	case PT_COL_COMM:	return t->comm;
	case PT_COL_NSPIDS:
		return pt_pids(t, json ? PT_PIDS_JSON : PT_PIDS_LIST, buf, sz);
	case PT_COL_REAPER:
		if (t->reaper != PT_REAPER_NONE)
			snprintf(buf, sz, "%d", (int)t->reaper);
		else
			snprintf(buf, sz, "%s", json ? "" : "-");
		break;
	default:
		buf[0] = '\0';
	}
	return buf;
}

/* The tree and JSON views recurse, and so does libsmartcols. */
int pt_check_depth(const struct pt_model *m, struct pt_error *e)
{
	if (m->max_depth < PT_MAX_DEPTH)
		return 0;
	pt_seterr(e, 0, "the process tree is %u levels deep; this view shows at most %d (try -o table or -o dot)",
		  m->max_depth + 1, PT_MAX_DEPTH);
	return -1;
}

/* Add the task columns @cols; for JSON typed, with nspids as an array. */
void pt_add_columns(struct libscols_table *tb, const int *cols, size_t n,
		    bool json)
{
	size_t i;

	for (i = 0; i < n; i++) {
		const struct colinfo *ci = &infos[cols[i]];
		struct libscols_column *cl;

		cl = scols_table_new_column(tb, ci->name, ci->whint, ci->flags);
		if (!cl)
			err(EXIT_FAILURE, "cannot add a libsmartcols column");
		if (!json)
			continue;
		scols_column_set_json_type(cl, ci->json_type);
		if (ci->json_type == SCOLS_JSON_ARRAY_NUMBER) {
			/* libsmartcols makes the lines of a wrapped cell an array */
			scols_column_set_flags(cl, ci->flags | SCOLS_FL_WRAP);
			scols_column_set_wrapfunc(cl, scols_wrapnl_chunksize,
						  scols_wrapnl_nextchunk, NULL);
		}
	}
}

struct libscols_table *pt_new_table(const struct pt_opts *o, FILE *out)
{
	struct libscols_table *tb = scols_new_table();

	if (!tb)
		err(EXIT_FAILURE, "cannot create a libsmartcols table");
	scols_table_set_stream(tb, out);
	scols_table_enable_ascii(tb, o->ascii);
	scols_table_enable_colors(tb, o->colors);
	scols_table_enable_noheadings(tb, o->noheadings);
	scols_table_enable_raw(tb, o->raw);
	return tb;
}

struct libscols_line *pt_new_line(struct libscols_table *tb,
				  struct libscols_line *parent)
{
	struct libscols_line *ln = scols_table_new_line(tb, parent);

	if (!ln)
		err(EXIT_FAILURE, "cannot add a libsmartcols line");
	return ln;
}

void pt_set_cell(struct libscols_line *ln, size_t i, const char *data)
{
	if (scols_line_set_data(ln, i, data))
		err(EXIT_FAILURE, "cannot set a libsmartcols cell");
}

int pt_print_table(struct libscols_table *tb, struct pt_error *e)
{
	int rc = scols_print_table(tb);

	scols_unref_table(tb);
	if (rc)
		pt_seterr(e, 0, "cannot print the output");
	return rc ? -1 : 0;
}

int pt_view_table(const struct pt_model *m, const struct pt_opts *o,
		  FILE *out, struct pt_error *e)
{
	struct libscols_table *tb = pt_new_table(o, out);
	char buf[PT_PIDS_BUFSZ];
	size_t i, j;

	pt_add_columns(tb, o->columns, o->nr_columns, false);
	for (i = 0; i < m->snap.nr_tasks; i++) {
		const struct pt_task *t = &m->snap.tasks[i];
		struct libscols_line *ln;

		if (!t->proc->selected)
			continue;
		ln = pt_new_line(tb, NULL);
		for (j = 0; j < o->nr_columns; j++)
			pt_set_cell(ln, j, pt_task_cell(t, o->columns[j], false,
							buf, sizeof(buf)));
	}
	return pt_print_table(tb, e);
}

