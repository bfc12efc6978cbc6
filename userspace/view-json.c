// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * view-json.c - the whole snapshot as JSON, written by libsmartcols
 *
 * {"tasks": [ {"pid": 1, ..., "nspids": [1], ..., "thread": false,
 *              "children": [ ... ]} ]}
 * Every task is an object with the file's columns as keys.  A process's
 * other threads come first in its "children", then its child processes.
 * Processes whose real parent is not in the snapshot are top-level entries
 * (their ppid is not 0).
 */
#include <err.h>
#include <stdlib.h>

#include <libsmartcols.h>

#include "pidns-tree.h"

#define COL_THREAD	PT_NR_COLUMNS

static struct libscols_line *task_line(struct libscols_table *tb,
				       const struct pt_task *t,
				       struct libscols_line *up)
{
	struct libscols_line *ln = pt_new_line(tb, up);
	char buf[PT_PIDS_BUFSZ];
	int c;

	for (c = 0; c < PT_NR_COLUMNS; c++) {
		if (c == PT_COL_COMM) {
			if (scols_line_refer_data(ln, c, pt_json_string(t->comm)))
				err(EXIT_FAILURE, "cannot set a libsmartcols cell");
			continue;
		}
		pt_set_cell(ln, c, pt_task_cell(t, c, true, buf, sizeof(buf)));
	}
	pt_set_cell(ln, COL_THREAD, t->pid != t->tgid ? "1" : "0");
	return ln;
}

static void add_procs(struct libscols_table *tb, const struct pt_proc *p,
		      struct libscols_line *up)
{
	for (; p; p = p->next) {
		const struct pt_task *t;
		struct libscols_line *ln;

		if (!p->selected) {
			add_procs(tb, p->child, up);
			continue;
		}
		ln = task_line(tb, p->main, up);
		for (t = p->threads; t; t = t->next_thread)
			if (t != p->main)
				task_line(tb, t, ln);
		add_procs(tb, p->child, ln);
	}
}

int pt_view_json(const struct pt_model *m, const struct pt_opts *o,
		 FILE *out, struct pt_error *e)
{
	static const int all[PT_NR_COLUMNS] = {
		PT_COL_PID, PT_COL_TGID, PT_COL_PPID, PT_COL_PARENT,
		PT_COL_TRACER, PT_COL_SUB, PT_COL_REAPER, PT_COL_PIDNS,
		PT_COL_LEVEL, PT_COL_NSPIDS, PT_COL_STATE, PT_COL_INIT,
		PT_COL_COMM,
	};
	struct pt_opts jo = *o;
	struct libscols_table *tb;
	struct libscols_column *cl;
	size_t i;

	if (pt_check_depth(m, e))
		return -1;
	jo.colors = false;
	tb = pt_new_table(&jo, out);
	scols_table_enable_json(tb, 1);
	scols_table_set_name(tb, "tasks");
	pt_add_columns(tb, all, PT_NR_COLUMNS, true);
	cl = scols_table_new_column(tb, "THREAD", 1, 0);
	if (!cl)
		err(EXIT_FAILURE, "cannot add a libsmartcols column");
	scols_column_set_json_type(cl, SCOLS_JSON_BOOLEAN);
	/* a tree column makes libsmartcols nest "children" */
	scols_column_set_flags(scols_table_get_column(tb, PT_COL_PID),
			       SCOLS_FL_TREE);

	add_procs(tb, m->roots, NULL);
	for (i = 0; i < m->nr_gone; i++)
		add_procs(tb, m->gone[i].child, NULL);
	return pt_print_table(tb, e);
}
