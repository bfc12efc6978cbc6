// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * explain.c - --explain PID: why this parent, who traces it, who adopts
 *
 * A few sentences per question, naming the kernel rule that decides it.
 * Paragraphs are composed in memory and wrapped at 76 columns.
 */
#include <err.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pidns-tree.h"

#define WRAP	76

struct ex {
	const struct pt_model	*m;
	const struct pt_task	*t;
	const struct pt_proc	*p;
	FILE			*out;	/* the final output */
	FILE			*f;	/* the paragraph being written */
	char			*buf;
	size_t			len;
	bool			started;
};

static void para_start(struct ex *x)
{
	if (x->started)
		fputc('\n', x->out);
	x->started = true;
	x->f = open_memstream(&x->buf, &x->len);
	if (!x->f)
		err(EXIT_FAILURE, "cannot allocate memory");
}

/* Word-wrap the paragraph to the output; words longer than a line stay whole. */
static void para_end(struct ex *x)
{
	size_t col = 0, i = 0;

	fclose(x->f);
	while (i < x->len) {
		size_t w = strcspn(x->buf + i, " ");

		if (col && col + 1 + w > WRAP) {
			fputc('\n', x->out);
			col = 0;
		} else if (col) {
			fputc(' ', x->out);
			col++;
		}
		fwrite(x->buf + i, 1, w, x->out);
		col += w;
		i += w;
		while (i < x->len && x->buf[i] == ' ')
			i++;
	}
	fputc('\n', x->out);
	free(x->buf);
	x->buf = NULL;
}

/* "79020 (sh)", or just the number if it is not in the snapshot */
static void who(struct ex *x, pid_t pid)
{
	const struct pt_task *t = pt_find_task(x->m, pid);

	fprintf(x->f, "%d", (int)pid);
	if (!t)
		return;
	fputs(" (", x->f);
	pt_fputs_escaped(t->comm, false, x->f);
	fputc(')', x->f);
}

static void ns_name(struct ex *x, const struct pt_ns *ns)
{
	fprintf(x->f, "pid:[%llu]", ns->inode);
}

static void identity(struct ex *x)
{
	const struct pt_task *t = x->t;
	char pids[PT_PIDS_BUFSZ];

	para_start(x);
	who(x, t->pid);
	if (t->pid == t->tgid)
		fputs(" is a process", x->f);
	else {
		fputs(" is a thread of the process ", x->f);
		who(x, t->tgid);
	}
	if (t->level == 0) {
		fputs(" in your own pid namespace ", x->f);
		ns_name(x, x->p->ns);
	} else {
		fputs(" in the pid namespace ", x->f);
		ns_name(x, x->p->ns);
		fprintf(x->f, ", %u level%s below yours, where its PID is %d"
			" (its PIDs from yours down: %s)", t->level,
			t->level > 1 ? "s" : "", (int)t->nspids[t->level],
			pt_pids(t, PT_PIDS_LIST, pids, sizeof(pids)));
	}
	fputc('.', x->f);
	if (pt_is_init(x->p))
		fputs(" It is the init (child_reaper) of that namespace.", x->f);
	if (t->state == 'Z')
		fputs(" It is a zombie: it has exited and waits for its parent"
		      " (or tracer) to reap it with wait().", x->f);
	para_end(x);
}

/* Its cgroup, and the container it stands for; only if the input has one. */
static void container(struct ex *x)
{
	const struct pt_task *t = x->t;
	const struct pt_cgroup *cg = t->cg;
	const struct pt_ct *ct = cg ? &cg->ct : NULL;

	if (!x->m->snap.has_cgroup)
		return;
	para_start(x);
	if (!t->cgroup) {
		fputs("Its cgroup is outside the cgroup namespace of the process"
		      " that read the file (the cgroup column says 0): which"
		      " container it is in, if any, cannot be told.", x->f);
		para_end(x);
		return;
	}
	fprintf(x->f, "Its cgroup (cgroup v2) has the id %llu", t->cgroup);
	if (!x->m->labels) {
		fprintf(x->f, "; no container labels: %s.",
			x->m->cgmap.missing ? x->m->cgmap.missing : "?");
		para_end(x);
		return;
	}
	if (!cg) {
		fputs(", which is not under the cgroup2 mount", x->f);
		if (x->m->cgmap.mount) {
			fputc(' ', x->f);
			pt_fputs_escaped(x->m->cgmap.mount, false, x->f);
		}
		fputs(" (made since, or outside it).", x->f);
		para_end(x);
		return;
	}
	fputs(" and the path ", x->f);
	pt_fputs_escaped(cg->path, false, x->f);
	switch (ct->kind) {
	case PT_CT_NONE:
		fputs(", which no container runtime names.", x->f);
		break;
	case PT_CT_POD:
		fprintf(x->f, ": Kubernetes pod %s, in none of its containers.",
			ct->pod);
		break;
	case PT_CT_MONITOR:
		fprintf(x->f, ": the %s of the %s container, not the"
			" container itself.",
			!strcmp(ct->runtime, "lxc") ? "lxc monitor" :
			!strcmp(ct->runtime, "nspawn") ? "nspawn supervisor" :
			"conmon", ct->label);
		break;
	case PT_CT_CONTAINER:
		fprintf(x->f, ": it is in the %s container ", ct->runtime);
		pt_fputs_escaped(ct->id, false, x->f);
		if (ct->pod[0])
			fprintf(x->f, " of Kubernetes pod %s", ct->pod);
		fputc('.', x->f);
		if (t->level == 0)
			fputs(" Yet it is in your own pid namespace: the container"
			      " shares it (as docker run --pid=host does).", x->f);
		break;
	}
	para_end(x);
}

/* The first parent, by name, never linked to a process of the snapshot
 * once it exited: its pid may belong to a newer process now. */
static void first_parent(struct ex *x, const struct pt_task *t)
{
	fprintf(x->f, "%d (", (int)t->origin);
	pt_fputs_escaped(t->origin_comm, false, x->f);
	fputc(')', x->f);
}

/* Why the process's parent is what it is: what the module recorded at fork. */
static void origin_story(struct ex *x, const struct pt_proc *q)
{
	const struct pt_task *t = x->p->main;

	if (t->adopted == '0') {
		fputs(" That process forked it (copy_process() in"
		      " kernel/fork.c; with CLONE_PARENT the forker's own parent"
		      " becomes the real parent instead), and the module"
		      " recorded it then as the first parent.", x->f);
		return;
	}
	if (t->origin == 0)
		fputs(" That process did not make it: its first parent,"
		      " outside your namespace, made it and exited,", x->f);
	else {
		fputs(" That process did not make it: ", x->f);
		first_parent(x, t);
		fputs(" made it and exited,", x->f);
	}
	fputs(" and forget_original_parent() in kernel/exit.c gave it to ", x->f);
	if (!q) {
		fprintf(x->f, "%d", (int)t->ppid);
		fputc('.', x->f);
		return;
	}
	who(x, t->ppid);
	switch (pt_adopter_rule(q)) {
	case PT_RULE_NS_INIT:
		fputs(", the init of its namespace: no child subreaper with a"
		      " live thread was above the first parent in that"
		      " namespace.", x->f);
		break;
	case PT_RULE_SUBREAPER:
		fputs(", because that process is a child subreaper"
		      " (PR_SET_CHILD_SUBREAPER), the nearest one with a live"
		      " thread above the first parent in its namespace.", x->f);
		break;
	default:
		fputs(".", x->f);
		break;
	}
}

/* Why the snapshot cannot say how it got its parent. */
static void origin_unknown(struct ex *x)
{
	if (!x->m->snap.has_origin)
		fputs(" This input has no origin column (a module that does"
		      " not record first parents), so it cannot tell which.",
		      x->f);
	else
		fputs(" The module did not see it being created (it is older"
		      " than the module), so it cannot tell which: load the"
		      " module at boot (modules-load.d(5); the package's"
		      " /etc/modules-load.d/pidns_tree.conf) to keep every"
		      " process's first parent.", x->f);
}

static void why_parent(struct ex *x)
{
	const struct pt_task *t = x->t;
	const struct pt_proc *q = x->p->parent;

	para_start(x);
	if (t->ppid == 0) {
		fputs("It has no real parent in your view (ppid 0): it is PID 1"
		      " or kthreadd, whose parent is the idle task, or its"
		      " parent lives in a pid namespace above yours.", x->f);
		if (x->p->main->adopted == '1')
			fputs(" Its first parent, outside your namespace too,"
			      " made it and exited: it was adopted.", x->f);
		para_end(x);
		return;
	}
	if (!q) {
		fprintf(x->f, "Its real parent %d is not in the snapshot: that"
			" process exited while the file was being read, and"
			" the kernel hands its children to their reaper (see"
			" below).", (int)t->ppid);
		para_end(x);
		return;
	}
	fputs("Its real parent (task->real_parent) is ", x->f);
	who(x, t->ppid);
	fputc('.', x->f);
	if (x->p->main->adopted == '?') {
		fputs(" The kernel set it either when that process forked it"
		      " (copy_process() in kernel/fork.c; with CLONE_PARENT or"
		      " CLONE_THREAD the forker's own parent is used instead),"
		      " or when its original parent exited and it adopted it"
		      " (forget_original_parent() in kernel/exit.c).", x->f);
		origin_unknown(x);
	} else {
		origin_story(x, q);
	}
	if (pt_is_init(q)) {
		fputs(" As the init of ", x->f);
		ns_name(x, q->ns);
		fputs(", it adopts every orphan of that namespace that has no"
		      " child subreaper above it.", x->f);
	} else if (pt_is_subreaper(q) && x->p->main->adopted != '1') {
		fputs(" That process is a child subreaper"
		      " (PR_SET_CHILD_SUBREAPER): it adopts the orphans of its"
		      " descendants in its namespace.", x->f);
	}
	para_end(x);
}

static void tracer(struct ex *x)
{
	const struct pt_task *t = x->t;

	para_start(x);
	if (!t->tracer) {
		fputs("Nobody traces it (ptrace), so task->parent is the real"
		      " parent.", x->f);
		para_end(x);
		return;
	}
	fputs("It is traced by ", x->f);
	who(x, t->tracer);
	fputs(". Attaching (PTRACE_ATTACH, PTRACE_SEIZE or PTRACE_TRACEME)"
	      " made ptrace_link() in kernel/ptrace.c point task->parent at the"
	      " tracer, so its parent column is ", x->f);
	fprintf(x->f, "%d while ppid stays the real parent. The tracer gets"
		" its stops and exit status first; when the tracer exits,"
		" exit_ptrace() detaches it and task->parent returns to the"
		" real parent.", (int)t->parent);
	para_end(x);
}

static void self_adoption(struct ex *x)
{
	const struct pt_task *t = x->t;

	para_start(x);
	if (t->reaper == PT_REAPER_NONE) {
		fputs("If its real parent's process exited, nobody would adopt"
		      " it: the parent is the init of its namespace, and when a"
		      " namespace init exits, find_child_reaper() in"
		      " kernel/exit.c calls zap_pid_ns_processes()"
		      " (kernel/pid_namespace.c), which kills every task of"
		      " that namespace, this one included.", x->f);
		if (x->p->parent && x->p->parent->ns->inode == PT_INIT_PID_NS)
			fputs(" (In the initial pid namespace the kernel panics"
			      " instead: \"Attempted to kill init!\")", x->f);
		para_end(x);
		return;
	}
	if (x->t->ppid && !x->p->parent)
		fputs("As its real parent has exited, it is adopted by ", x->f);
	else
		fputs("If its real parent's process exited, it would be"
		      " adopted by ", x->f);
	if (t->reaper)
		who(x, t->reaper);
	else
		fputs("a process outside your namespace", x->f);
	fputs(". forget_original_parent() in kernel/exit.c asks"
	      " find_new_reaper(): the nearest ancestor of the dead parent in"
	      " the same pid namespace that is a child subreaper"
	      " (PR_SET_CHILD_SUBREAPER) with a live thread, or else the"
	      " namespace's init (child_reaper).", x->f);
	if (t->reaper) {
		const struct pt_proc *r = pt_find_proc(x->m, t->reaper);

		if (r && pt_is_subreaper(r))
			fputs(" Here that is a child subreaper.", x->f);
		else if (r && pt_is_init(r))
			fputs(" Here no subreaper is in between, so it is the"
			      " namespace's init.", x->f);
	}
	para_end(x);
}

static void list_children(struct ex *x, unsigned int n)
{
	const struct pt_proc *c;
	unsigned int i = 0;

	fprintf(x->f, "its %u child%s (", n, n == 1 ? "" : "ren");
	for (c = x->p->child; c && i < 4; c = c->next, i++) {
		if (i)
			fputs(", ", x->f);
		who(x, c->main->tgid);
	}
	if (n > i)
		fprintf(x->f, " and %u more", n - i);
	fputc(')', x->f);
}

static void reaper_reason(struct ex *x, enum pt_reaper_rule rule)
{
	if (rule == PT_RULE_SUBREAPER) {
		fputs(", its nearest ancestor in ", x->f);
		ns_name(x, x->p->ns);
		fputs(" that is a child subreaper: find_new_reaper() in"
		      " kernel/exit.c prefers such an ancestor to the"
		      " namespace's init.", x->f);
		return;
	}
	fputs(", the init of ", x->f);
	ns_name(x, x->p->ns);
	fputs(x->p->main->sub == '-' ?
	      ", because no child subreaper is above it (has_child_subreaper"
	      " is not set)" :
	      ", because no live child subreaper is above it in that"
	      " namespace", x->f);
	fputs(": find_new_reaper() in kernel/exit.c then falls back to the"
	      " namespace's child_reaper.", x->f);
}

static void children_adoption(struct ex *x)
{
	const struct pt_proc *c, *r;
	enum pt_reaper_rule rule;
	unsigned int n = 0;

	for (c = x->p->child; c; c = c->next)
		n++;
	r = pt_new_reaper(x->m, x->p, &rule);
	para_start(x);
	if (rule == PT_RULE_NS_DIES) {
		fputs("If its process exited, its namespace would die with it:"
		      " zap_pid_ns_processes() kills every task in ", x->f);
		ns_name(x, x->p->ns);
		fputs(", so none of ", x->f);
		list_children(x, n);
		fputs(" would be adopted.", x->f);
		if (x->p->nr_threads > 1)
			fputs(" (While another of its threads lives, that"
			      " thread becomes the child_reaper instead:"
			      " find_child_reaper().)", x->f);
		para_end(x);
		return;
	}
	if (n) {
		fputs("If its process exited, ", x->f);
		list_children(x, n);
		fputs(" would be adopted by ", x->f);
	} else {
		fputs("It has no children; if its process exited, any it had"
		      " would be adopted by ", x->f);
	}
	if (r)
		who(x, r->main->tgid);
	else
		fputs("a process that is not in the snapshot", x->f);
	reaper_reason(x, rule);
	if (n && x->p->child->main->reaper > 0 &&
	    (!r || x->p->child->main->reaper != r->main->tgid)) {
		fputs(" The kernel's own answer in the file (its children's"
		      " reaper column) is ", x->f);
		who(x, x->p->child->main->reaper);
		fputc('.', x->f);
	}
	if (x->p->nr_threads > 1)
		fputs(" If only one thread exits, the children it forked go to"
		      " another live thread of the same process first"
		      " (find_alive_thread()).", x->f);
	para_end(x);
}

int pt_explain(const struct pt_model *m, pid_t pid, FILE *out,
	       struct pt_error *e)
{
	struct ex x = { .m = m, .out = out };

	x.t = pt_find_task(m, pid);
	if (!x.t) {
		pt_seterr(e, 0, "PID %d is not in the snapshot", (int)pid);
		return -1;
	}
	x.p = x.t->proc;
	identity(&x);
	container(&x);
	why_parent(&x);
	tracer(&x);
	self_adoption(&x);
	children_adoption(&x);
	return 0;
}
