// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * watch.c - --watch: what changed between two reads of /proc/pidns_tree
 *
 * pt_watch_diff() compares two snapshots process by process (a thread
 * group, found by its tgid; a thread row is not a process) and emits one
 * record per change, in this order, each kind in PID order:
 *
 *   start        a new process (a reused PID: the old process's exit
 *                first), then
 *   subreaper, nosubreaper, traced, untraced   of every live process,
 *   exit         a live process became a zombie or left the file,
 *   adopted      its real parent changed, with the rule of kernel/exit.c
 *                that picked the new one.
 *
 * A PID seen in both snapshots is the same process unless something that
 * never changes in a process's life differs: its pid namespace and NSpid,
 * its first parent (origin, origin_comm) where both reads know it, a
 * zombie that lives again, or a real parent that changed although the old
 * one still lives.  Then it is reported as an exit and a start.
 */
#include <stdlib.h>
#include <string.h>

#include "watch.h"
#include "xalloc.h"

static bool same_str(const char *a, const char *b)
{
	return a == b || (a && b && strcmp(a, b) == 0);
}

/* What a process is born with and keeps until it dies. */
static bool same_birth(const struct pt_proc *p, const struct pt_proc *q)
{
	const struct pt_task *a = p->main, *b = q->main;

	if (a->pidns != b->pidns)
		return false;
	if (a->pid == a->tgid && b->pid == b->tgid &&
	    (a->level != b->level ||
	     memcmp(a->nspids, b->nspids, (a->level + 1) * sizeof(pid_t))))
		return false;
	/*
	 * '?' in either read: a process older than the module, a module
	 * reloaded between the reads, or one read just before its record
	 * was made: nothing to compare.
	 */
	if (a->origin == PT_ORIGIN_UNKNOWN || b->origin == PT_ORIGIN_UNKNOWN)
		return true;
	if (a->origin != b->origin || !same_str(a->origin_comm, b->origin_comm))
		return false;
	return !(a->adopted == '1' && b->adopted == '0');
}

/* @p in @pm and @q in @cm have the same tgid: the same process? */
static bool same_process(const struct pt_model *pm, const struct pt_model *cm,
			 const struct pt_proc *p, const struct pt_proc *q)
{
	const struct pt_proc *f, *g;
	pid_t ppid = p->main->ppid;

	if (!same_birth(p, q))
		return false;
	if (!pt_proc_alive(p) && pt_proc_alive(q))
		return false;			/* a zombie never lives again */
	if (ppid == q->main->ppid)
		return true;
	/*
	 * The real parent changes only when the parent's process exits
	 * (forget_original_parent()), and the new one is then the first
	 * parent's no more; an orphan of a parent outside your namespace
	 * is adopted outside it too (ppid 0 stays 0).
	 */
	if (!ppid || q->main->adopted == '0')
		return false;
	f = pt_find_proc(pm, ppid);
	g = pt_find_proc(cm, ppid);
	return !(f && g && pt_proc_alive(f) && pt_proc_alive(g) &&
		 same_birth(f, g));
}

static struct pt_change *add(struct pt_changes *c, enum pt_change_kind kind,
			     const struct pt_proc *p)
{
	struct pt_change *r;

	if (c->n == c->cap) {
		c->cap = c->cap ? 2 * c->cap : 16;
		c->v = xrealloc(c->v, c->cap * sizeof(*c->v));
	}
	r = &c->v[c->n++];
	memset(r, 0, sizeof(*r));
	r->kind = kind;
	r->pid = p->main->tgid;
	r->comm = p->main->comm;
	r->rule = PT_RULE_UNKNOWN;
	return r;
}

static const char *proc_name(const struct pt_model *m, pid_t tgid)
{
	const struct pt_proc *p = tgid > 0 ? pt_find_proc(m, tgid) : NULL;

	return p ? p->main->comm : NULL;
}

static const char *task_name(const struct pt_model *m, pid_t pid)
{
	const struct pt_task *t = pid > 0 ? pt_find_task(m, pid) : NULL;

	return t ? t->comm : NULL;
}

static int by_tgid(const void *a, const void *b)
{
	pid_t x = (*(const struct pt_proc *const *)a)->main->tgid;
	pid_t y = (*(const struct pt_proc *const *)b)->main->tgid;

	return (x > y) - (x < y);
}

static int by_pid(const void *a, const void *b)
{
	pid_t x = ((const struct pt_change *)a)->pid;
	pid_t y = ((const struct pt_change *)b)->pid;

	return (x > y) - (x < y);
}

static const struct pt_proc **sorted_procs(const struct pt_model *m)
{
	const struct pt_proc **v = xcalloc(m->nr_procs + 1, sizeof(*v));
	size_t i;

	for (i = 0; i < m->nr_procs; i++)
		v[i] = &m->procs[i];
	qsort(v, m->nr_procs, sizeof(*v), by_tgid);
	return v;
}

static void flags(const struct pt_model *pm, const struct pt_model *cm,
		  const struct pt_proc *p, const struct pt_proc *q,
		  struct pt_changes *out)
{
	bool was = p && pt_is_subreaper(p), now = pt_is_subreaper(q);
	pid_t before = p ? p->main->tracer : 0, after = q->main->tracer;
	struct pt_change *r;

	if (was != now)
		add(out, now ? PT_CH_SUBREAPER : PT_CH_NOSUBREAPER, q);
	if (before == after)
		return;
	if (before) {
		r = add(out, PT_CH_UNTRACED, q);
		r->a = before;
		r->a_comm = task_name(pm, before);
	}
	if (after) {
		r = add(out, PT_CH_TRACED, q);
		r->a = after;
		r->a_comm = task_name(cm, after);
	}
}

/*
 * A real parent that is another thread of the same process: the thread
 * that forked it exited, and find_alive_thread() gave it to a sibling.
 * Seen in the parent column only while neither read shows a tracer there.
 */
static void thread_adoption(const struct pt_model *pm, const struct pt_model *cm,
			    const struct pt_proc *p, const struct pt_proc *q,
			    struct pt_changes *out)
{
	const struct pt_task *a = p->main, *b = q->main, *old, *gone, *now;
	struct pt_change *r;

	if (a->tracer || b->tracer || a->parent == b->parent || !a->ppid)
		return;
	old = pt_find_task(pm, a->parent);
	gone = pt_find_task(cm, a->parent);
	now = pt_find_task(cm, b->parent);
	if (!old || old->tgid != a->ppid || !now || now->tgid != b->ppid)
		return;
	if (gone && gone->tgid == a->ppid && gone->state != 'Z' &&
	    gone->state != 'X')
		return;
	r = add(out, PT_CH_ADOPTED, q);
	r->a = a->parent;
	r->a_comm = old->comm;
	r->b = b->parent;
	r->b_comm = now->comm;
	r->rule = PT_RULE_THREAD;
}

static void adoption(const struct pt_model *pm, const struct pt_model *cm,
		     const struct pt_proc *p, const struct pt_proc *q,
		     struct pt_changes *out)
{
	const struct pt_task *t = q->main;
	struct pt_change *r;

	if (!p && t->adopted != '1')
		return;
	if (p && p->main->ppid == t->ppid) {
		thread_adoption(pm, cm, p, q, out);
		return;
	}
	r = add(out, PT_CH_ADOPTED, q);
	if (p) {
		r->a = p->main->ppid;
		r->a_comm = proc_name(pm, r->a);
	} else {			/* born and adopted between two reads */
		r->a = t->origin;
		r->a_comm = t->origin_comm;
	}
	r->b = t->ppid;
	r->b_comm = proc_name(cm, t->ppid);
	r->rule = pt_adopter_rule(q->parent);
}

/*
 * Append to @out the changes from @pm to @cm, in the order of the comment
 * at the top.  Reads nothing but the two models.
 */
void pt_watch_diff(const struct pt_model *pm, const struct pt_model *cm,
		   struct pt_changes *out)
{
	const struct pt_proc **cs = sorted_procs(cm), **ps = sorted_procs(pm);
	const struct pt_proc **twin = xcalloc(cm->nr_procs + 1, sizeof(*twin));
	const struct pt_proc *p, *q;
	struct pt_change *r;
	size_t i, exits;

	for (i = 0; i < cm->nr_procs; i++) {
		q = cs[i];
		p = pt_find_proc(pm, q->main->tgid);
		if (p && same_process(pm, cm, p, q)) {
			twin[q - cm->procs] = p;
			continue;
		}
		if (p && pt_proc_alive(p))
			add(out, PT_CH_EXIT, p);
		r = add(out, PT_CH_START, q);
		r->a = q->main->origin;
		r->a_comm = q->main->origin_comm;
	}
	for (i = 0; i < cm->nr_procs; i++)
		if (pt_proc_alive(cs[i]))
			flags(pm, cm, twin[cs[i] - cm->procs], cs[i], out);
	exits = out->n;
	for (i = 0; i < pm->nr_procs; i++) {
		p = ps[i];
		q = pt_find_proc(cm, p->main->tgid);
		if (q && !twin[q - cm->procs])
			continue;		/* its exit is already out */
		if (pt_proc_alive(p) && (!q || !pt_proc_alive(q)))
			add(out, PT_CH_EXIT, q ? q : p);
	}
	for (i = 0; i < cm->nr_procs; i++) {
		q = cs[i];
		if (!twin[q - cm->procs] && !pt_proc_alive(q))
			add(out, PT_CH_EXIT, q);
	}
	/* the processes that exited, and those that started dead, in order */
	if (out->n > exits)
		qsort(out->v + exits, out->n - exits, sizeof(*out->v), by_pid);
	for (i = 0; i < cm->nr_procs; i++)
		adoption(pm, cm, twin[cs[i] - cm->procs], cs[i], out);
	free(twin);
	free(cs);
	free(ps);
}

/* A name as one field: as the file escapes it, and '?' only if unknown. */
static void put_name(const char *s, FILE *out)
{
	const unsigned char *c = (const unsigned char *)s;

	if (!s) {
		fputc('?', out);
		return;
	}
	if (!*c || strcmp(s, "?") == 0) {
		fprintf(out, "\\%03o", *c);
		return;
	}
	pt_fputs_escaped(s, PT_ESC_FILE, out);
}

static void put_proc(pid_t pid, const char *comm, FILE *out)
{
	if (pid == PT_ORIGIN_UNKNOWN)
		fputc('?', out);
	else
		fprintf(out, "%d", (int)pid);
	fputc(' ', out);
	put_name(comm, out);
}

static const char *const kind_names[] = {
	[PT_CH_START]		= "start",
	[PT_CH_SUBREAPER]	= "subreaper",
	[PT_CH_NOSUBREAPER]	= "nosubreaper",
	[PT_CH_TRACED]		= "traced",
	[PT_CH_UNTRACED]	= "untraced",
	[PT_CH_EXIT]		= "exit",
	[PT_CH_ADOPTED]		= "adopted",
};

static const char *rule_text(enum pt_reaper_rule rule)
{
	switch (rule) {
	case PT_RULE_THREAD:	return "sibling thread";
	case PT_RULE_SUBREAPER:	return "nearest child subreaper";
	case PT_RULE_NS_INIT:	return "namespace init";
	default:		return "rule unknown";
	}
}

/* One line, without the timestamp: "start 4712 sh first-parent 4711 bash" */
void pt_change_print(const struct pt_change *c, FILE *out)
{
	fprintf(out, "%-11s ", kind_names[c->kind]);
	put_proc(c->pid, c->comm, out);
	switch (c->kind) {
	case PT_CH_START:
		fputs(" first-parent ", out);
		put_proc(c->a, c->a_comm, out);
		break;
	case PT_CH_TRACED:
	case PT_CH_UNTRACED:
		fputs(" by ", out);
		put_proc(c->a, c->a_comm, out);
		break;
	case PT_CH_ADOPTED:
		fputs(" from ", out);
		put_proc(c->a, c->a_comm, out);
		fputs(" to ", out);
		put_proc(c->b, c->b_comm, out);
		fprintf(out, " (%s)", rule_text(c->rule));
		break;
	default:
		break;
	}
	fputc('\n', out);
}

void pt_changes_free(struct pt_changes *c)
{
	free(c->v);
	memset(c, 0, sizeof(*c));
}
