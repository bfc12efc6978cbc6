// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * explain.c - --explain PID: why this parent, who traces it, who adopts
 *
 * As git's wt-status.c does for `git status`, the facts are collected once
 * into a struct explanation (collect(), explain.h), and only rendered
 * afterwards: as short paragraphs of prose, wrapped at 76 columns
 * (explain-prose.c), or as one JSON object (--explain PID -J,
 * explain-json.c) for scripts and tests.  Both name every namespace as
 * pid:[INODE] and the rule of kernel/exit.c that decides each adoption;
 * find_new_reaper() takes the reaper from the pid namespace of the parent
 * that exits, which need not be the task's own.
 */
#include <err.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "explain.h"

/* ---- the facts ------------------------------------------------------------ */


/*
 * The first live subreaper above @from's namespace, where the search of
 * find_new_reaper() stopped: it follows real_parent only while the level
 * stays that of the exiting process.
 */
static const struct pt_proc *past_boundary(const struct pt_proc *from)
{
	const struct pt_proc *r;

	for (r = from->parent; r && r->ns->level == from->ns->level; r = r->parent)
		;
	for (; r; r = r->parent)
		if (pt_is_subreaper(r) && pt_proc_alive(r))
			return r;
	return NULL;
}

/* Why @by took (or takes) the orphans of the exiting process @father. */
static void adoption_rule(struct adoption *a, const struct pt_proc *father)
{
	const struct pt_proc *by = a->by;

	a->rule = PT_RULE_UNKNOWN;
	if (!by)
		return;
	if (pt_is_init(by) && (!a->ns || by->ns == a->ns)) {
		a->rule = PT_RULE_NS_INIT;
		if (father) {
			a->no_flag = father->main->sub == '-';
			a->beyond = a->no_flag ? NULL : past_boundary(father);
		}
	} else if (pt_is_subreaper(by)) {
		a->rule = PT_RULE_SUBREAPER;
	}
}

/* If @p's process exited: kernel/exit.c, find_child_reaper(). */
static void children_fate(struct explanation *x)
{
	const struct pt_proc *p = x->p, *c;
	struct adoption *a = &x->kids;
	enum pt_reaper_rule rule;

	for (c = p->child; c; c = c->next)
		x->nr_children++;
	a->ns = p->ns;
	if (pt_is_init(p)) {
		a->fate = pt_host_ns(p->ns) ? FATE_PANIC : FATE_NS_DIES;
		return;
	}
	a->by = pt_new_reaper(x->m, p, &rule);
	a->fate = a->by ? FATE_ADOPTED : FATE_OUTSIDE;
	a->pid = a->by ? a->by->main->tgid : 0;
	adoption_rule(a, p);
	if (p->child && p->child->main->reaper > 0 &&
	    p->child->main->reaper != a->pid)
		x->kids_file = p->child->main->reaper;
}

/* If the real parent's process exited: the file's reaper column. */
static void parent_fate(struct explanation *x)
{
	const struct pt_task *t = x->t;
	struct adoption *a = &x->next;

	a->ns = x->parent ? x->parent->ns : NULL;
	switch (x->parent_case) {
	case PARENT_IDLE:
		a->fate = FATE_NOBODY;
		return;
	case PARENT_NOT_LISTED:
		a->fate = FATE_UNKNOWN;
		a->pid = t->reaper > 0 ? t->reaper : 0;
		return;
	case PARENT_ABOVE:
		a->fate = FATE_OUTSIDE;
		return;
	case PARENT_LISTED:
		break;
	}
	if (t->reaper == PT_REAPER_NONE) {
		a->fate = pt_host_ns(a->ns) ? FATE_PANIC : FATE_NS_DIES;
		return;
	}
	if (t->reaper == 0) {
		a->fate = FATE_OUTSIDE;
		return;
	}
	a->fate = FATE_ADOPTED;
	a->pid = t->reaper;
	a->by = pt_find_proc(x->m, t->reaper);
	adoption_rule(a, x->parent);
}

/*
 * The first parent.  adopted 1 means its process exited (a real parent
 * changes only then): a process listed under the same number now is a
 * later one that reuses it, whatever its name, and is never named.
 */
static void first_parent_facts(struct explanation *x)
{
	const struct pt_task *m = x->p->main;

	x->origin = m->origin;
	x->origin_comm = m->origin_comm;
	if (x->thread) {
		x->how = HOW_THREAD;
		return;
	}
	if (!x->m->snap.has_origin) {
		x->how = HOW_NO_COLUMN;
		return;
	}
	if (m->adopted == '0') {
		x->how = HOW_FORKED;
		return;
	}
	if (m->adopted != '1') {
		x->how = HOW_UNKNOWN;
		return;
	}
	x->how = HOW_ADOPTED;
	x->origin_reused = m->origin > 0 && pt_find_proc(x->m, m->origin);
	x->took.ns = x->parent ? x->parent->ns : NULL;
	x->took.by = x->parent;
	x->took.pid = x->parent ? x->parent->main->tgid : 0;
	x->took.fate = x->parent ? FATE_ADOPTED : FATE_UNKNOWN;
	adoption_rule(&x->took, NULL);
}

static void collect(struct explanation *x, const struct pt_model *m,
		    const struct pt_task *t)
{
	const struct pt_ns *ns;
	unsigned int i;

	memset(x, 0, sizeof(*x));
	x->m = m;
	x->t = t;
	x->p = t->proc;
	x->ns = x->p->ns;
	x->thread = t->pid != t->tgid;
	x->init = pt_is_init(x->p);
	x->zombie = t->state == 'Z';
	for (i = 0, ns = x->ns; i <= t->level; i++) {
		x->chain[i] = ns;
		ns = ns ? ns->parent : NULL;
	}
	x->host = pt_host_ns(x->chain[t->level]);
	x->cg = m->snap.has_cgroup ? t->cg : NULL;
	x->tracer = t->tracer;
	x->parent = x->p->parent;
	if (t->ppid == 0)
		x->parent_case = x->host && t->level == 0 ?
				 PARENT_IDLE : PARENT_ABOVE;
	else
		x->parent_case = x->parent ? PARENT_LISTED : PARENT_NOT_LISTED;
	x->entered = x->parent && x->parent->ns != x->ns && !x->init;
	if (x->parent_case == PARENT_ABOVE && !x->init)
		x->entered = true;
	first_parent_facts(x);
	parent_fate(x);
	children_fate(x);
}

/* ---- names the kernel gives ----------------------------------------------- */

unsigned int pt_explain_kernel_name(const char *comm)
{
	if (!comm)
		return 0;
	if (!strncmp(comm, "memfd:", 6))
		return NOTE_MEMFD;
	if (!strcmp(comm, "runc:[0:PARENT]") || !strcmp(comm, "runc:[1:CHILD]") ||
	    !strcmp(comm, "runc:[2:INIT]"))
		return NOTE_RUNC;
	return 0;
}

const char *const pt_explain_note[] = {
	[NOTE_MEMFD] = "A name that starts with memfd: is the kernel's for a"
		" program run from a memfd (memfd_create(2), then execveat(2)):"
		" memfd: and the name its creator gave the memfd, cut to 15"
		" bytes. crun and runc re-execute themselves from such a copy of"
		" their binary (against CVE-2019-5736); crun's shows as"
		" memfd:crun_clon.",
	[NOTE_RUNC] = "runc:[0:PARENT], runc:[1:CHILD] and runc:[2:INIT] are"
		" the names runc gives the stages of its start-up"
		" (prctl(PR_SET_NAME) in its nsexec); runc:[2:INIT] becomes the"
		" container's init when it executes the container's program.",
};

int pt_explain(const struct pt_model *m, pid_t pid, bool as_json, FILE *out,
	       struct pt_error *e)
{
	const struct pt_task *t = pt_find_task(m, pid);
	struct explanation x;

	if (!t) {
		pt_seterr(e, 0, "PID %d is not in the snapshot", (int)pid);
		return -1;
	}
	collect(&x, m, t);
	if (as_json)
		return pt_explain_json(&x, out) ? (pt_seterr(e, 0, "write error"), -1) : 0;
	pt_explain_prose(&x, out);
	return 0;
}
