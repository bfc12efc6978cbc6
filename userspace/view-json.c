// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * view-json.c - the snapshot as JSON, one task a line
 *
 * {"seq_before":1200,"seq_after":1234,"tasks":[
 * {"pid":1,...,"nspids":[1],...,"thread":false,"children":[
 * {"pid":490,...}]}]}
 *
 * Every task is an object whose keys are the --output columns' names in the
 * column table, typed as the table says.  In the tree (the default), a
 * process's other threads come first in its "children", then its child
 * processes, and processes whose real parent is not in the snapshot are
 * top-level entries (their ppid is not 0); with --list, "tasks" is one flat
 * array.  seq_before and seq_after are there when the file has them (format
 * 2).  Written by json-writer.c while walking the model without
 * recursion, so any depth works.
 */
#include <stdlib.h>

#include "json-writer.h"
#include "pidns-tree.h"
#include "xalloc.h"

struct json {
	struct jsonw		*w;
	const struct pt_opts	*o;
	struct pt_cellctx	cx;
};

/* Open the object of @t and write its fields; the caller closes it. */
static void task(const struct json *j, const struct pt_task *t)
{
	struct pt_value v;
	unsigned int i;
	size_t c;

	jsonw_start_object(j->w);
	for (c = 0; c < j->o->nr_columns; c++) {
		int col = j->o->columns[c];

		pt_cell_value(&j->cx, t, col, &v);
		jsonw_name(j->w, pt_columns[col].name);
		switch (v.type) {
		case PT_V_NONE:
		case PT_V_NULL:
		case PT_V_UNKNOWN:
			jsonw_null(j->w);
			break;
		case PT_V_INT:
			jsonw_int(j->w, v.i);
			break;
		case PT_V_UINT:
			jsonw_uint(j->w, v.u);
			break;
		case PT_V_BOOL:
			jsonw_bool(j->w, v.i);
			break;
		case PT_V_STR:
			jsonw_string(j->w, v.s);
			break;
		case PT_V_PIDS:
			jsonw_start_array(j->w);
			for (i = 0; i <= t->level; i++)
				jsonw_int(j->w, t->nspids[i]);
			jsonw_end_array(j->w);
			break;
		}
	}
}

/* Start the "children" of the innermost open task, once. */
static void children(const struct json *j, bool *open)
{
	if (*open)
		return;
	jsonw_name(j->w, "children");
	jsonw_start_array(j->w);
	*open = true;
}

/*
 * The sibling list @first and below.  Unselected processes are skipped,
 * their selected descendants move up.  @kids[i]: the i-th open task's
 * "children" is open.
 */
static void add_procs(const struct json *j, const struct pt_proc *first,
		      bool *kids)
{
	const struct pt_proc *p;
	struct pt_walk wk;
	size_t n = 0;
	bool leave;

	pt_walk_start(&wk, first);
	while ((p = pt_walk_next(&wk, &leave))) {
		const struct pt_task *t;

		if (!p->selected)
			continue;
		if (leave) {
			if (kids[--n])
				jsonw_end_array(j->w);
			jsonw_end_object(j->w);
			continue;
		}
		if (n)
			children(j, &kids[n - 1]);
		task(j, p->main);
		kids[n] = false;
		for (t = p->threads; t; t = t->next_thread) {
			if (t == p->main)
				continue;
			children(j, &kids[n]);
			task(j, t);
			jsonw_end_object(j->w);
		}
		n++;
	}
}

static void add_tree(const struct json *j, const struct pt_model *m)
{
	bool *kids = xcalloc(m->nr_procs + 1, sizeof(*kids));
	size_t i;

	add_procs(j, m->roots, kids);
	for (i = 0; i < m->nr_gone; i++)
		add_procs(j, m->gone[i].child, kids);
	free(kids);
}

static void add_list(const struct json *j, const struct pt_model *m)
{
	size_t i, n;
	const struct pt_task **tasks = pt_list_tasks(m, j->o, &n);

	for (i = 0; i < n; i++) {
		task(j, tasks[i]);
		jsonw_end_object(j->w);
	}
	free(tasks);
}

int pt_view_json(const struct pt_model *m, const struct pt_opts *o,
		 FILE *out, struct pt_error *e)
{
	struct json j = {
		.w = jsonw_new(out, JSONW_OBJECT_LINES),
		.o = o,
		.cx = { .m = m },
	};

	(void)e;
	jsonw_start_object(j.w);
	if (m->snap.has_seq) {
		jsonw_uint_field(j.w, "seq_before", m->snap.seq_before);
		jsonw_uint_field(j.w, "seq_after", m->snap.seq_after);
	}
	jsonw_name(j.w, "tasks");
	jsonw_start_array(j.w);
	if (o->tree)
		add_tree(&j, m);
	else
		add_list(&j, m);
	jsonw_end_array(j.w);
	jsonw_end_object(j.w);
	jsonw_destroy(j.w);
	return 0;
}
