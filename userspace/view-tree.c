// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * view-tree.c - the pstree-like view, drawn by libsmartcols
 *
 * One line per process under its real parent (threads folded unless -T).
 * A pseudo line "[pidns INODE level N]" is inserted where a child lives in
 * another pid namespace than the line above it, and processes whose real
 * parent is not in the snapshot hang under "[parent PID gone]".
 */
#include <err.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include <libsmartcols.h>

#include "pidns-tree.h"

enum { COL_NAME, COL_PID, COL_REAPER, COL_NOTES };

struct tree {
	const struct pt_model	*m;
	const struct pt_opts	*o;
	struct libscols_table	*tb;
};

struct notes {
	char	buf[512];
	size_t	len;
};

static void note(struct notes *n, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void note(struct notes *n, const char *fmt, ...)
{
	va_list ap;

	if (n->len + 3 >= sizeof(n->buf))
		return;
	if (n->len)
		n->len += snprintf(n->buf + n->len, sizeof(n->buf) - n->len, ", ");
	va_start(ap, fmt);
	n->len += vsnprintf(n->buf + n->len, sizeof(n->buf) - n->len, fmt, ap);
	va_end(ap);
	if (n->len >= sizeof(n->buf))
		n->len = sizeof(n->buf) - 1;
}

static const char *comm_of(const struct pt_model *m, pid_t pid)
{
	const struct pt_task *t = pt_find_task(m, pid);

	return t ? t->comm : "?";
}

static void note_state(struct notes *n, const struct pt_task *t)
{
	switch (t->state) {
	case 'Z':	note(n, "zombie"); break;
	case 'X':	note(n, "dead"); break;
	case 'T':	note(n, "stopped"); break;
	case 't':	note(n, "trace-stopped"); break;
	}
}

static void note_tracer(const struct tree *tr, struct notes *n,
			const struct pt_task *t, bool thread)
{
	if (!t->tracer)
		return;
	if (thread)
		note(n, "thread %d traced by %d (%s)", (int)t->pid,
		     (int)t->tracer, comm_of(tr->m, t->tracer));
	else
		note(n, "traced by %d (%s)", (int)t->tracer,
		     comm_of(tr->m, t->tracer));
}

/* Who took (or takes) an orphan whose parent left the snapshot. */
static void note_orphan(const struct tree *tr, struct notes *n,
			const struct pt_proc *p)
{
	pid_t r = p->main->reaper;

	if (r > 0)
		note(n, "orphan, adopted by %d (%s)", (int)r, comm_of(tr->m, r));
	else if (r == 0)
		note(n, "orphan, adopted outside this namespace");
	else
		note(n, "orphan of a namespace init, killed with its namespace");
}

static const char *proc_notes(const struct tree *tr, const struct pt_proc *p,
			      struct notes *n)
{
	const struct pt_task *t;

	if (pt_is_init(p))
		note(n, "ns init");
	if (pt_is_subreaper(p))
		note(n, "subreaper");
	note_tracer(tr, n, p->main, false);
	note_state(n, p->main);
	if (p->gone)
		note_orphan(tr, n, p);
	if (p->leader_missing)
		note(n, "leader %d not in snapshot", (int)p->main->tgid);
	if (tr->o->threads || p->nr_threads < 2)
		return n->buf;
	note(n, "%u threads", p->nr_threads);
	for (t = p->threads; t; t = t->next_thread)
		if (t != p->main && t->tracer && t->tracer != p->main->tracer)
			note_tracer(tr, n, t, true);
	return n->buf;
}

static const char *proc_color(const struct pt_proc *p)
{
	if (p->main->state == 'Z' || p->main->state == 'X')
		return "red";
	if (p->main->tracer)
		return "magenta";
	if (pt_is_init(p))
		return "bold";
	if (pt_is_subreaper(p))
		return "green";
	return NULL;
}

static struct libscols_line *add(const struct tree *tr,
				 struct libscols_line *up, const char *name,
				 const char *pid, const char *reaper,
				 const char *notes, const char *color)
{
	struct libscols_line *ln = pt_new_line(tr->tb, up);

	pt_set_cell(ln, COL_NAME, name);
	pt_set_cell(ln, COL_PID, pid);
	pt_set_cell(ln, COL_REAPER, reaper);
	pt_set_cell(ln, COL_NOTES, notes);
	if (color && tr->o->colors)
		scols_line_set_color(ln, color);
	return ln;
}

static struct libscols_line *ns_line(const struct tree *tr,
				     struct libscols_line *up,
				     const struct pt_ns *ns)
{
	char name[64];

	snprintf(name, sizeof(name), "[pidns %llu level %u]",
		 ns->inode, ns->level);
	return add(tr, up, name, NULL, NULL, NULL, "cyan");
}

static void thread_lines(const struct tree *tr, const struct pt_proc *p,
			 struct libscols_line *up)
{
	const struct pt_task *t;

	for (t = p->threads; t; t = t->next_thread) {
		struct notes n = { .len = 0 };
		char name[PT_MAX_LINE / 8], pids[PT_PIDS_BUFSZ];

		if (t == p->main)
			continue;
		n.buf[0] = '\0';
		note_tracer(tr, &n, t, false);
		note_state(&n, t);
		snprintf(name, sizeof(name), "{%s}", t->comm);
		add(tr, up, name, pt_pids(t, PT_PIDS_TREE, pids, sizeof(pids)),
		    NULL, n.buf, t->tracer ? "magenta" : NULL);
	}
}

static struct libscols_line *proc_line(const struct tree *tr,
				       const struct pt_proc *p,
				       struct libscols_line *up)
{
	struct notes n = { .len = 0 };
	char pids[PT_PIDS_BUFSZ], reaper[16];

	n.buf[0] = '\0';
	if (p->leader_missing)
		snprintf(pids, sizeof(pids), "%d", (int)p->main->tgid);
	else
		pt_pids(p->main, PT_PIDS_TREE, pids, sizeof(pids));
	if (p->main->reaper == PT_REAPER_NONE)
		snprintf(reaper, sizeof(reaper), "-");
	else
		snprintf(reaper, sizeof(reaper), "%d", (int)p->main->reaper);
	return add(tr, up, p->main->comm, pids, reaper,
		   proc_notes(tr, p, &n), proc_color(p));
}

/*
 * Add the processes of a sibling list under @up, whose namespace is @up_ns
 * (NULL at the top).  Unselected processes are skipped, their selected
 * descendants move up.  Consecutive siblings entering the same namespace
 * share one namespace line.
 */
static void add_procs(const struct tree *tr, const struct pt_proc *p,
		      struct libscols_line *up, const struct pt_ns *up_ns)
{
	struct libscols_line *nsl = NULL;
	const struct pt_ns *nsl_ns = NULL;

	for (; p; p = p->next) {
		struct libscols_line *parent = up, *ln;

		if (!p->selected) {
			add_procs(tr, p->child, up, up_ns);
			continue;
		}
		if (up_ns ? p->ns != up_ns : p->ns->level > 0) {
			if (nsl_ns != p->ns) {
				nsl = ns_line(tr, up, p->ns);
				nsl_ns = p->ns;
			}
			parent = nsl;
		}
		ln = proc_line(tr, p, parent);
		if (tr->o->threads)
			thread_lines(tr, p, ln);
		add_procs(tr, p->child, ln, p->ns);
	}
}

static bool any_selected(const struct pt_proc *p)
{
	for (; p; p = p->next)
		if (p->selected || any_selected(p->child))
			return true;
	return false;
}

int pt_view_tree(const struct pt_model *m, const struct pt_opts *o,
		 FILE *out, struct pt_error *e)
{
	struct tree tr = { .m = m, .o = o };
	size_t i;

	if (pt_check_depth(m, e))
		return -1;
	tr.tb = pt_new_table(o, out);
	if (!scols_table_new_column(tr.tb, "COMMAND", 0.3, SCOLS_FL_TREE) ||
	    !scols_table_new_column(tr.tb, "PID", 7, 0) ||
	    !scols_table_new_column(tr.tb, "REAPER", 6, SCOLS_FL_RIGHT) ||
	    !scols_table_new_column(tr.tb, "NOTES", 0.3, SCOLS_FL_TRUNC))
		err(EXIT_FAILURE, "cannot add a libsmartcols column");

	add_procs(&tr, m->roots, NULL, NULL);
	for (i = 0; i < m->nr_gone; i++) {
		const struct pt_gone *g = &m->gone[i];
		struct libscols_line *ln;
		char name[48];

		if (!any_selected(g->child))
			continue;
		snprintf(name, sizeof(name), "[parent %d gone]", (int)g->ppid);
		ln = add(&tr, NULL, name, NULL, NULL, NULL, "red");
		add_procs(&tr, g->child, ln, NULL);
	}
	return pt_print_table(tr.tb, e);
}
