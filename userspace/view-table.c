// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * view-table.c - one row per task
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cols.h"

struct colinfo {
	struct pt_col	col;
	const char	*help;
};

static const struct colinfo infos[PT_NR_COLUMNS] = {
	[PT_COL_PID]	= { { "PID", 5, true },
			    "task (thread) ID in your namespace" },
	[PT_COL_TGID]	= { { "TGID", 5, true },
			    "thread group (process) ID" },
	[PT_COL_PPID]	= { { "PPID", 5, true },
			    "real parent process, 0 if none or outside" },
	[PT_COL_PARENT]	= { { "PARENT", 5, true },
			    "task->parent: the tracer while traced, else the real parent" },
	[PT_COL_TRACER]	= { { "TRACER", 5, true },
			    "ptrace tracer, 0 if none" },
	[PT_COL_SUB]	= { { "SUB", 1, false },
			    "S child subreaper, s has one above, - neither" },
	[PT_COL_REAPER]	= { { "REAPER", 5, true },
			    "adopter if the real parent's process exits (- : parent is a namespace init)" },
	[PT_COL_PIDNS]	= { { "PIDNS", 10, true },
			    "inode of the task's pid namespace" },
	[PT_COL_LEVEL]	= { { "LEVEL", 1, true },
			    "namespace depth below yours" },
	[PT_COL_NSPIDS]	= { { "NSPIDS", 5, false },
			    "PID in each namespace, yours first" },
	[PT_COL_STATE]	= { { "STATE", 1, false },
			    "state: R S D T t X Z P I" },
	[PT_COL_INIT]	= { { "INIT", 1, true },
			    "1 if the init (child_reaper) of its namespace" },
	[PT_COL_COMM]	= { { "COMM", 0, false },
			    "command name" },
};

int pt_column_by_name(const char *name, size_t len)
{
	int i;

	for (i = 0; i < PT_NR_COLUMNS; i++)
		if (strlen(infos[i].col.name) == len &&
		    strncasecmp(infos[i].col.name, name, len) == 0)
			return i;
	return -1;
}

const char *pt_column_help(int col)
{
	return infos[col].help;
}

/* The text of one cell; @buf has PT_PIDS_BUFSZ bytes. */
static const char *task_cell(const struct pt_task *t, int col, char *buf)
{
	char *e = buf;

	switch (col) {
	case PT_COL_PID:	e = pt_itoa(buf, t->pid); break;
	case PT_COL_TGID:	e = pt_itoa(buf, t->tgid); break;
	case PT_COL_PPID:	e = pt_itoa(buf, t->ppid); break;
	case PT_COL_PARENT:	e = pt_itoa(buf, t->parent); break;
	case PT_COL_TRACER:	e = pt_itoa(buf, t->tracer); break;
	case PT_COL_SUB:	*e++ = t->sub; break;
	case PT_COL_PIDNS:	e = pt_utoa(buf, t->pidns); break;
	case PT_COL_LEVEL:	e = pt_utoa(buf, t->level); break;
	case PT_COL_STATE:	*e++ = t->state; break;
	case PT_COL_INIT:	e = pt_utoa(buf, t->init); break;
	case PT_COL_COMM:	return t->comm;
	case PT_COL_NSPIDS:
		return pt_pids(t, PT_PIDS_LIST, buf, PT_PIDS_BUFSZ);
	case PT_COL_REAPER:
		if (t->reaper == PT_REAPER_NONE)
			*e++ = '-';
		else
			e = pt_itoa(buf, t->reaper);
		break;
	}
	*e = '\0';
	return buf;
}

/* The tree view draws every level: its output grows with lines x depth. */
int pt_check_depth(const struct pt_model *m, struct pt_error *e)
{
	if (m->max_depth < PT_MAX_DEPTH)
		return 0;
	pt_seterr(e, 0, "the process tree is %u levels deep; the tree view shows at most %d (try -o json, -o table or -o dot)",
		  m->max_depth + 1, PT_MAX_DEPTH);
	return -1;
}

int pt_view_table(const struct pt_model *m, const struct pt_opts *o,
		  FILE *out, struct pt_error *e)
{
	enum { MAX = sizeof(o->columns) / sizeof(o->columns[0]) };
	char bufs[MAX][PT_PIDS_BUFSZ];
	struct pt_col cols[MAX];
	const char *cells[MAX];
	struct pt_cols *t;
	size_t i, j;

	(void)e;
	for (j = 0; j < o->nr_columns; j++)
		cols[j] = infos[o->columns[j]].col;
	t = pt_cols_new(cols, o->nr_columns, false, o, out);
	for (i = 0; i < m->snap.nr_tasks; i++) {
		const struct pt_task *tk = &m->snap.tasks[i];

		if (!tk->proc->selected)
			continue;
		for (j = 0; j < o->nr_columns; j++)
			cells[j] = task_cell(tk, o->columns[j], bufs[j]);
		pt_cols_add(t, PT_NO_ROW, NULL, cells);
	}
	pt_cols_print(t);
	return 0;
}
