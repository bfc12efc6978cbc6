// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * view-tree.c - the pstree-like view
 *
 * One line per process under its real parent (threads folded unless -T).
 * A pseudo line "[pidns INODE level N]" is inserted where a child lives in
 * another pid namespace than the line above it, and processes whose real
 * parent is not in the snapshot hang under "[parent PID gone]".
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "cols.h"
#include "xalloc.h"

enum { COL_NAME, COL_PID, COL_REAPER, COL_NOTES, NR_COLS };

static const struct pt_col columns[NR_COLS] = {
	[COL_NAME]	= { "COMMAND", 0, false },
	[COL_PID]	= { "PID", 7, false },
	[COL_REAPER]	= { "REAPER", 6, true },
	[COL_NOTES]	= { "NOTES", 0, false },
};

struct tree {
	const struct pt_model	*m;
	const struct pt_opts	*o;
	struct pt_cols		*t;
};

/* A shown process whose children are being added (or the top). */
struct level {
	size_t			row;	/* PT_NO_ROW at the top */
	const struct pt_ns	*ns;	/* NULL at the top */
	size_t			nsl;	/* its last [pidns] line */
	const struct pt_ns	*nsl_ns;
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
		return PT_RED;
	if (p->main->tracer)
		return PT_MAGENTA;
	if (pt_is_init(p))
		return PT_BOLD;
	if (pt_is_subreaper(p))
		return PT_GREEN;
	return NULL;
}

static size_t add(const struct tree *tr, size_t up, const char *name,
		  const char *pid, const char *reaper, const char *notes,
		  const char *color)
{
	const char *cells[NR_COLS] = {
		[COL_NAME] = name, [COL_PID] = pid,
		[COL_REAPER] = reaper, [COL_NOTES] = notes,
	};

	return pt_cols_add(tr->t, up, color, cells);
}

static size_t ns_line(const struct tree *tr, size_t up, const struct pt_ns *ns)
{
	char name[64];

	snprintf(name, sizeof(name), "[pidns %llu level %u]",
		 ns->inode, ns->level);
	return add(tr, up, name, NULL, NULL, NULL, PT_CYAN);
}

static void thread_lines(const struct tree *tr, const struct pt_proc *p,
			 size_t up)
{
	const struct pt_task *t;

	for (t = p->threads; t; t = t->next_thread) {
		struct notes n = { .len = 0 };
		char pids[PT_PIDS_BUFSZ], *name;
		size_t len;

		if (t == p->main)
			continue;
		n.buf[0] = '\0';
		note_tracer(tr, &n, t, false);
		note_state(&n, t);
		len = strlen(t->comm);
		name = xmalloc(len + 3);
		name[0] = '{';
		memcpy(name + 1, t->comm, len);
		memcpy(name + 1 + len, "}", 2);
		add(tr, up, name, pt_pids(t, PT_PIDS_TREE, pids, sizeof(pids)),
		    NULL, n.buf, t->tracer ? PT_MAGENTA : NULL);
		free(name);
	}
}

static size_t proc_line(const struct tree *tr, const struct pt_proc *p,
			size_t up)
{
	struct notes n = { .len = 0 };
	char pids[PT_PIDS_BUFSZ], reaper[16];

	n.buf[0] = '\0';
	if (p->leader_missing)
		*pt_itoa(pids, p->main->tgid) = '\0';
	else
		pt_pids(p->main, PT_PIDS_TREE, pids, sizeof(pids));
	if (p->main->reaper == PT_REAPER_NONE)
		strcpy(reaper, "-");
	else
		*pt_itoa(reaper, p->main->reaper) = '\0';
	return add(tr, up, p->main->comm, pids, reaper,
		   proc_notes(tr, p, &n), proc_color(p));
}

/*
 * Add the processes of the sibling list @first and below, without recursion.
 * Unselected processes are skipped, their selected descendants move up.
 * Consecutive children of one line entering the same namespace share one
 * namespace line (not if they come from different hidden processes).  @g: the orphans of a gone parent, under one line.
 */
static void add_procs(const struct tree *tr, const struct pt_proc *first,
		      const struct pt_gone *g, struct level *lv)
{
	const struct pt_proc *p;
	struct pt_walk w;
	size_t n = 1;
	bool leave;

	lv[0] = (struct level){ .row = PT_NO_ROW, .nsl = PT_NO_ROW };
	pt_walk_start(&w, first);
	while ((p = pt_walk_next(&w, &leave))) {
		struct level *up = &lv[n - 1];
		size_t parent = up->row, row;

		if (!p->selected) {
			/* children of different hidden parents: own ns lines */
			up->nsl_ns = NULL;
			continue;
		}
		if (leave) {
			n--;
			continue;
		}
		if (g && lv[0].row == PT_NO_ROW) {
			char name[48];

			snprintf(name, sizeof(name), "[parent %d gone]",
				 (int)g->ppid);
			lv[0].row = parent = add(tr, PT_NO_ROW, name, NULL,
						 NULL, NULL, PT_RED);
		}
		if (up->ns ? p->ns != up->ns : p->ns->level > 0) {
			if (up->nsl_ns != p->ns) {
				up->nsl = ns_line(tr, up->row, p->ns);
				up->nsl_ns = p->ns;
			}
			parent = up->nsl;
		}
		row = proc_line(tr, p, parent);
		if (tr->o->threads)
			thread_lines(tr, p, row);
		lv[n++] = (struct level){ .row = row, .ns = p->ns,
					  .nsl = PT_NO_ROW };
	}
}

int pt_view_tree(const struct pt_model *m, const struct pt_opts *o,
		 FILE *out, struct pt_error *e)
{
	struct tree tr = { .m = m, .o = o };
	struct level *lv;
	size_t i;

	if (pt_check_depth(m, e))
		return -1;
	/* shown depth <= max_depth + 1 < PT_MAX_DEPTH + 1, plus the top */
	lv = xcalloc(PT_MAX_DEPTH + 2, sizeof(*lv));
	tr.t = pt_cols_new(columns, NR_COLS, true, o, out);
	add_procs(&tr, m->roots, NULL, lv);
	for (i = 0; i < m->nr_gone; i++)
		add_procs(&tr, m->gone[i].child, &m->gone[i], lv);
	pt_cols_print(tr.t);
	free(lv);
	return 0;
}
