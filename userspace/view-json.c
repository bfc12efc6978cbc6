// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * view-json.c - the whole snapshot as JSON, one task a line
 *
 * {"tasks":[
 * {"pid":1,...,"nspids":[1],...,"thread":false,"children":[
 * {"pid":490,...}]}]}
 *
 * Every task is an object with the file's columns as keys.  A process's
 * other threads come first in its "children", then its child processes.
 * Processes whose real parent is not in the snapshot are top-level entries
 * (their ppid is not 0).  Written by json-writer.c while walking the model
 * without recursion, so any depth works.
 */
#include <stdlib.h>

#include "json-writer.h"
#include "pidns-tree.h"
#include "xalloc.h"

/* Open the object of @t and write its fields; the caller closes it. */
static void task(struct jsonw *w, const struct pt_task *t)
{
	char sub[2] = { t->sub, '\0' }, state[2] = { t->state, '\0' };
	unsigned int i;

	jsonw_start_object(w);
	jsonw_int_field(w, "pid", t->pid);
	jsonw_int_field(w, "tgid", t->tgid);
	jsonw_int_field(w, "ppid", t->ppid);
	jsonw_int_field(w, "parent", t->parent);
	jsonw_int_field(w, "tracer", t->tracer);
	jsonw_string_field(w, "sub", sub);
	if (t->reaper == PT_REAPER_NONE)
		jsonw_null_field(w, "reaper");
	else
		jsonw_int_field(w, "reaper", t->reaper);
	jsonw_uint_field(w, "pidns", t->pidns);
	jsonw_uint_field(w, "level", t->level);
	jsonw_name(w, "nspids");
	jsonw_start_array(w);
	for (i = 0; i <= t->level; i++)
		jsonw_int(w, t->nspids[i]);
	jsonw_end_array(w);
	jsonw_string_field(w, "state", state);
	jsonw_bool_field(w, "init", t->init);
	jsonw_string_field(w, "comm", t->comm);
	jsonw_bool_field(w, "thread", t->pid != t->tgid);
}

/* Start the "children" of the innermost open task, once. */
static void children(struct jsonw *w, bool *open)
{
	if (*open)
		return;
	jsonw_name(w, "children");
	jsonw_start_array(w);
	*open = true;
}

/*
 * The sibling list @first and below.  Unselected processes are skipped,
 * their selected descendants move up.  @kids[i]: the i-th open task's
 * "children" is open.
 */
static void add_procs(struct jsonw *w, const struct pt_proc *first, bool *kids)
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
				jsonw_end_array(w);
			jsonw_end_object(w);
			continue;
		}
		if (n)
			children(w, &kids[n - 1]);
		task(w, p->main);
		kids[n] = false;
		for (t = p->threads; t; t = t->next_thread) {
			if (t == p->main)
				continue;
			children(w, &kids[n]);
			task(w, t);
			jsonw_end_object(w);
		}
		n++;
	}
}

int pt_view_json(const struct pt_model *m, const struct pt_opts *o,
		 FILE *out, struct pt_error *e)
{
	struct jsonw *w = jsonw_new(out, JSONW_OBJECT_LINES);
	bool *kids = xcalloc(m->nr_procs + 1, sizeof(*kids));
	size_t i;

	(void)o;
	(void)e;
	jsonw_start_object(w);
	jsonw_name(w, "tasks");
	jsonw_start_array(w);
	add_procs(w, m->roots, kids);
	for (i = 0; i < m->nr_gone; i++)
		add_procs(w, m->gone[i].child, kids);
	jsonw_end_array(w);
	jsonw_end_object(w);
	jsonw_destroy(w);
	free(kids);
	return 0;
}
