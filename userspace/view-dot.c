// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * view-dot.c - Graphviz DOT: one cluster per pid namespace
 *
 * Nodes are processes (threads folded).  Real-parent edges are solid,
 * tracer -> tracee edges dashed, and orphan -> reaper edges dotted; the
 * latter only where the adopter is not plain to see already, that is where
 * it is not the grandparent, and not for children of a root process (the
 * kernel threads under kthreadd would all point at init).
 *
 * The first parent of an adopted process, which exited, is a dashed ghost
 * node ("runc 4711 exited") with a dashed "forked" edge to what it made,
 * and the real-parent edge of the adopted process says which rule of
 * find_new_reaper() made its parent the adopter.
 * No library in use writes DOT: the graph is printed with plain stdio.
 */
#include <stdio.h>

#include "pidns-tree.h"
#include "xalloc.h"

struct dot {
	const struct pt_model	*m;
	FILE			*out;
};

static void node(const struct dot *d, const struct pt_proc *p)
{
	char pids[PT_PIDS_BUFSZ];
	const char *style = "";

	fprintf(d->out, "\t\tp%d [label=\"", (int)p->main->tgid);
	pt_fputs_escaped(p->main->comm, true, d->out);
	fprintf(d->out, "\\n%s", p->leader_missing ? "?" :
		pt_pids(p->main, PT_PIDS_TREE, pids, sizeof(pids)));
	if (pt_is_init(p))
		fputs("\\nns init", d->out);
	if (pt_is_subreaper(p))
		fputs("\\nsubreaper", d->out);
	if (pt_entered(p))
		fputs("\\nentered", d->out);
	if (p->main->state == 'Z')
		fputs("\\nzombie", d->out);
	if (p->nr_threads > 1)
		fprintf(d->out, "\\n%u threads", p->nr_threads);
	fputc('"', d->out);
	if (pt_is_init(p))
		fputs(", peripheries=2", d->out);
	if (pt_is_subreaper(p))
		fputs(", color=darkgreen", d->out);
	if (p->main->state == 'Z' || p->main->state == 'X')
		style = ", style=filled, fillcolor=\"#f4cccc\"";
	fprintf(d->out, "%s];\n", style);
}

/*
 * A namespace's cluster, labelled with the container of @first, its first
 * process shown (the init, where it is shown), as the tree labels the line
 * where a namespace starts.
 */
static void cluster_start(const struct dot *d, const struct pt_ns *ns,
			  const struct pt_proc *first)
{
	const struct pt_ct *ct = pt_task_ct(first->main);

	fprintf(d->out, "\tsubgraph cluster_ns%llu {\n\t\tlabel=\"pid:[%llu] level %u",
		ns->inode, ns->inode, ns->level);
	if (ct) {
		fputs("\\n", d->out);
		pt_fputs_escaped(ct->label, true, d->out);
	}
	fputs("\";\n", d->out);
}

/* Processes grouped by namespace in O(n): heads[ns], next[proc]. */
static void clusters(const struct dot *d)
{
	const struct pt_model *m = d->m;
	size_t *heads = xcalloc(m->nr_ns, sizeof(*heads));
	size_t *next = xcalloc(m->nr_procs, sizeof(*next));
	size_t i, j;

	for (i = m->nr_procs; i-- > 0; ) {
		size_t ns = m->procs[i].ns - m->ns;

		next[i] = heads[ns];
		heads[ns] = i + 1;
	}
	for (i = 0; i < m->nr_ns; i++) {
		bool open = false;

		for (j = heads[i]; j; j = next[j - 1]) {
			const struct pt_proc *p = &m->procs[j - 1];

			if (!p->selected)
				continue;
			if (!open)
				cluster_start(d, &m->ns[i], p);
			open = true;
			node(d, p);
		}
		if (open)
			fputs("\t}\n", d->out);
	}
	free(heads);
	free(next);
}

static void tracer_edges(const struct dot *d, const struct pt_proc *p)
{
	const struct pt_proc *last = NULL;
	const struct pt_task *t;

	for (t = p->threads; t; t = t->next_thread) {
		const struct pt_task *tr = pt_find_task(d->m, t->tracer);

		if (!tr || tr->proc == last || !tr->proc->selected)
			continue;
		last = tr->proc;
		fprintf(d->out, "\tp%d -> p%d [style=dashed, color=purple, "
			"fontcolor=purple, label=\"traces\"];\n",
			(int)tr->proc->main->tgid, (int)p->main->tgid);
	}
}

static void reaper_edge(const struct dot *d, const struct pt_proc *p)
{
	const struct pt_proc *r = p->main->reaper > 0 ?
				  pt_find_proc(d->m, p->main->reaper) : NULL;

	if (!r || !r->selected || r == p)
		return;
	if (p->parent && (!p->parent->parent || p->parent->parent == r))
		return;
	fprintf(d->out, "\tp%d -> p%d [style=dotted, color=gray40, "
		"fontcolor=gray40, label=\"reaper\", constraint=false];\n",
		(int)p->main->tgid, (int)r->main->tgid);
}

/* Adopted: the first parent exited, and is known by name. */
static bool has_ghost(const struct pt_proc *p)
{
	const struct pt_task *t = p->main;

	return p->selected && t->adopted == '1' && t->origin > 0 &&
	       t->origin_comm;
}

/* One ghost node per exited first parent, outside every cluster. */
static void ghost_nodes(const struct dot *d)
{
	const struct pt_model *m = d->m;
	bool *done = xcalloc(m->nr_procs, sizeof(*done));
	size_t i, j;

	for (i = 0; i < m->nr_procs; i++) {
		const struct pt_task *t = m->procs[i].main;

		if (!has_ghost(&m->procs[i]) || done[i])
			continue;
		/* later children of the same first parent share it */
		for (j = i; j < m->nr_procs; j++)
			if (has_ghost(&m->procs[j]) &&
			    m->procs[j].main->origin == t->origin)
				done[j] = true;
		fprintf(d->out, "	x%d [label=\"", (int)t->origin);
		pt_fputs_escaped(t->origin_comm, true, d->out);
		fprintf(d->out, "\\n%d\\nexited\", style=dashed, color=gray50, "
			"fontcolor=gray50];\n", (int)t->origin);
	}
	free(done);
}

/* The real-parent edge, with the rule that made the parent adopt. */
static void parent_edge(const struct dot *d, const struct pt_proc *p)
{
	const struct pt_proc *q = p->parent;

	fprintf(d->out, "\tp%d -> p%d", (int)q->main->tgid, (int)p->main->tgid);
	if (p->main->adopted == '1') {
		switch (pt_adopter_rule(q)) {
		case PT_RULE_SUBREAPER:
			fputs(" [label=\"adopted: child subreaper\"]", d->out);
			break;
		case PT_RULE_NS_INIT:
			fprintf(d->out, " [label=\"adopted: init of pid:[%llu]\"]",
				q->ns->inode);
			break;
		default:
			fputs(" [label=\"adopted\"]", d->out);
		}
	}
	fputs(";\n", d->out);
	if (has_ghost(p))
		fprintf(d->out, "\tx%d -> p%d [style=dashed, color=gray50, "
			"fontcolor=gray50, label=\"forked\"];\n",
			(int)p->main->origin, (int)p->main->tgid);
}

static void edges(const struct dot *d)
{
	size_t i;

	for (i = 0; i < d->m->nr_procs; i++) {
		const struct pt_proc *p = &d->m->procs[i];

		if (!p->selected)
			continue;
		if (p->parent && p->parent->selected)
			parent_edge(d, p);
		else if (p->gone)
			fprintf(d->out, "\tgone%d -> p%d;\n",
				(int)p->gone->ppid, (int)p->main->tgid);
		tracer_edges(d, p);
		reaper_edge(d, p);
	}
}

static void gone_nodes(const struct dot *d)
{
	size_t i;

	for (i = 0; i < d->m->nr_gone; i++) {
		const struct pt_gone *g = &d->m->gone[i];
		const struct pt_proc *p;

		for (p = g->child; p && !p->selected; p = p->next)
			;
		if (p)
			fprintf(d->out, "\tgone%d [label=\"parent %d\\ngone\", "
				"style=dashed, color=red];\n",
				(int)g->ppid, (int)g->ppid);
	}
}

int pt_view_dot(const struct pt_model *m, const struct pt_opts *o,
		FILE *out, struct pt_error *e)
{
	struct dot d = { .m = m, .out = out };

	(void)o;
	(void)e;
	fputs("digraph pidns_tree {\n"
	      "\trankdir=LR;\n"
	      "\tnode [shape=box, fontname=\"monospace\", fontsize=10];\n"
	      "\tedge [fontsize=8];\n", out);
	clusters(&d);
	gone_nodes(&d);
	ghost_nodes(&d);
	edges(&d);
	fputs("}\n", out);
	return 0;
}
