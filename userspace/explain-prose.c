// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * explain-prose.c - --explain PID as short paragraphs, wrapped at WRAP
 * columns, from the facts explain.c collected.
 */
#include <err.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "explain.h"

/* ---- prose ---------------------------------------------------------------- */

struct prose {
	const struct explanation *x;
	FILE		*out;	/* the final output */
	FILE		*f;	/* the paragraph being written */
	char		*buf;
	size_t		len;
	bool		started;
	unsigned int	notes;	/* kernel names seen, explained at the end */
	unsigned int	noted;	/* kernel names explained already */
	bool		host_named;	/* "the host's" said once */
};

static void para_start(struct prose *x)
{
	if (x->started)
		fputc('\n', x->out);
	x->started = true;
	x->f = open_memstream(&x->buf, &x->len);
	if (!x->f)
		err(EXIT_FAILURE, "cannot allocate memory");
}

/* Explain the kernel's names the paragraph used, once each. */
static void put_notes(struct prose *x)
{
	unsigned int n;

	for (n = NOTE_MEMFD; n <= NOTE_RUNC; n <<= 1) {
		if (!(x->notes & n) || (x->noted & n))
			continue;
		fputc(' ', x->f);
		fputs(pt_explain_note[n], x->f);
		x->noted |= n;
	}
}

/* Word-wrap the paragraph to the output; words longer than a line stay whole. */
static void para_end(struct prose *x)
{
	size_t col = 0, i = 0;

	put_notes(x);
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

static void put_name(struct prose *x, const char *name)
{
	x->notes |= pt_explain_kernel_name(name);
	pt_fputs_escaped(name, PT_ESC_TEXT, x->f);
}

/* "79020 (sh)", or just the number if it is not in the snapshot */
static void who(struct prose *x, pid_t pid)
{
	const struct pt_task *t = pt_find_task(x->x->m, pid);

	fprintf(x->f, "%d", (int)pid);
	if (!t)
		return;
	fputs(" (", x->f);
	put_name(x, t->comm);
	fputc(')', x->f);
}

/* "pid:[4026531836]", and which one it is where that is not plain */
static void ns_name(struct prose *x, const struct pt_ns *ns)
{
	if (!ns) {
		fputs("a pid namespace not listed", x->f);
		return;
	}
	fprintf(x->f, "pid:[%llu]", ns->inode);
	if (pt_host_ns(ns) && !x->host_named)
		fputs(" (the initial namespace, the host's)", x->f);
	else if (pt_host_ns(ns))
		fputs(" (the host's)", x->f);
	else if (ns->level == 0)
		fputs(" (yours)", x->f);
	x->host_named |= pt_host_ns(ns);
}

/* ", not its own pid:[X]", when @ns is another namespace than the task's */
static void not_own(struct prose *x, const struct pt_ns *ns)
{
	if (!ns || ns == x->x->ns)
		return;
	fprintf(x->f, ", not its own pid:[%llu]", x->x->ns->inode);
}

static void identity(struct prose *x)
{
	const struct explanation *e = x->x;
	const struct pt_task *t = e->t;
	char pids[PT_PIDS_BUFSZ];
	unsigned int i;

	para_start(x);
	who(x, t->pid);
	if (!e->thread) {
		fputs(" is a process", x->f);
	} else {
		fputs(" is a thread of the process ", x->f);
		who(x, t->tgid);
	}
	if (t->level == 0) {
		fprintf(x->f, " in your own pid namespace pid:[%llu]%s.",
			e->ns->inode, e->host ?
			" (the initial namespace, the host's)" : "");
		x->host_named = e->host;
	} else {
		fprintf(x->f, " in the pid namespace pid:[%llu], %u level%s below"
			" yours, where its PID is %d (its PIDs from yours down:"
			" %s). Its namespaces, from its own up to yours:",
			e->ns->inode, t->level, t->level > 1 ? "s" : "",
			(int)t->nspids[t->level],
			pt_pids(t, PT_PIDS_LIST, pids, sizeof(pids)));
		for (i = 0; i <= t->level; i++) {
			fputs(i ? ", " : " ", x->f);
			if (e->chain[i])
				ns_name(x, e->chain[i]);
			else
				fputs("one with no task listed", x->f);
		}
		fputc('.', x->f);
	}
	if (e->init)
		fprintf(x->f, " It is the init (child_reaper) of pid:[%llu].",
			e->ns->inode);
	if (e->zombie)
		fputs(" It is a zombie: it has exited and waits for its parent"
		      " (or tracer) to reap it with wait().", x->f);
	para_end(x);
}

/* Its cgroup, and the container it stands for; only if the input has one. */
static void container(struct prose *x)
{
	const struct explanation *e = x->x;
	const struct pt_model *m = e->m;
	const struct pt_task *t = e->t;
	const struct pt_cgroup *cg = e->cg;

	if (!m->snap.has_cgroup)
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
	if (!m->labels) {
		fputs("; no container labels: ", x->f);
		put_name(x, m->cgmap.missing ? m->cgmap.missing : "?");
		fputc('.', x->f);
		para_end(x);
		return;
	}
	if (!cg) {
		fputs(", which is not under the cgroup2 mount", x->f);
		if (m->cgmap.mount) {
			fputc(' ', x->f);
			put_name(x, m->cgmap.mount);
		}
		fputs(" (made since, or outside it).", x->f);
		para_end(x);
		return;
	}
	fputs(" and the path ", x->f);
	put_name(x, cg->path);
	switch (cg->ct.kind) {
	case PT_CT_NONE:
		fputs(", which no container runtime names.", x->f);
		break;
	case PT_CT_POD:
		fputs(": ", x->f);
		put_name(x, cg->ct.label);
		fputs(", in none of its containers.", x->f);
		break;
	case PT_CT_MONITOR:
		fprintf(x->f, ": the %s of the container ",
			!strcmp(cg->ct.runtime, "lxc") ? "lxc monitor" :
			!strcmp(cg->ct.runtime, "nspawn") ? "nspawn supervisor" :
			"conmon");
		put_name(x, cg->ct.label);
		fputs(", not the container itself.", x->f);
		break;
	case PT_CT_CONTAINER:
		fputs(": it is in the container ", x->f);
		put_name(x, cg->ct.label);
		fputc('.', x->f);
		if (t->level == 0 && e->host)
			fputs(" Yet it is in the host's pid namespace: the"
			      " container shares it (as docker run --pid=host"
			      " does).", x->f);
		break;
	}
	para_end(x);
}

/* "184 (runtime)": the first parent by its recorded name, never by the
 * live process that may have its number now. */
static void first_parent(struct prose *x)
{
	fprintf(x->f, "%d (", (int)x->x->origin);
	put_name(x, x->x->origin_comm);
	fputc(')', x->f);
}

/* Why @a's adopter took the orphan, from the exiting process's view. */
static void took_rule(struct prose *x, const struct adoption *a,
		      const char *whose)
{
	switch (a->rule) {
	case PT_RULE_NS_INIT:
		fputs(", the init of ", x->f);
		ns_name(x, a->ns);
		not_own(x, a->ns);
		fprintf(x->f, ": no child subreaper with a live thread was above"
			" %s in that namespace", whose);
		break;
	case PT_RULE_SUBREAPER:
		fputs(", a child subreaper (PR_SET_CHILD_SUBREAPER): the nearest"
		      " one with a live thread above ", x->f);
		fputs(whose, x->f);
		fputs(" in ", x->f);
		ns_name(x, a->ns);
		not_own(x, a->ns);
		break;
	default:
		break;
	}
	fputc('.', x->f);
	if (a->ns && a->ns != x->x->ns)
		fputs(" The kernel takes the reaper from the exiting parent's"
		      " pid namespace (find_new_reaper() in kernel/exit.c).",
		      x->f);
}

static void how_adopted(struct prose *x)
{
	const struct explanation *e = x->x;

	fputs(" That process did not make it: ", x->f);
	if (e->origin > 0) {
		fputs("its first parent ", x->f);
		first_parent(x);
		fputs(" made it and exited", x->f);
		if (e->origin_reused)
			fprintf(x->f, " (the number %d has been reused since:"
				" the process listed under it now is a later"
				" one)", (int)e->origin);
	} else {
		fputs("its first parent, outside your namespace, made it and"
		      " exited", x->f);
	}
	fputs(", and forget_original_parent() in kernel/exit.c gave it to ",
	      x->f);
	who(x, e->t->ppid);
	took_rule(x, &e->took, "the first parent");
}

static void parent_idle(struct prose *x)
{
	const struct pt_task *t = x->x->t;

	if (t->pid == 1)
		fputs("It is the host's init, the first process the kernel"
		      " starts: its real parent is the idle task (PID 0,"
		      " swapper), which never exits (ppid 0).", x->f);
	else if (t->pid == 2)
		fputs("It is kthreadd, the kernel's thread creator, which the"
		      " kernel starts itself: its real parent is the idle task"
		      " (PID 0, swapper), which never exits (ppid 0).", x->f);
	else
		fputs("Its real parent is not visible (ppid 0): in the initial"
		      " namespace only PID 1 and kthreadd have none, so it is"
		      " being reaped as the file is read.", x->f);
}

static void why_parent(struct prose *x)
{
	const struct explanation *e = x->x;
	const struct pt_task *t = e->t;

	para_start(x);
	switch (e->parent_case) {
	case PARENT_IDLE:
		parent_idle(x);
		para_end(x);
		return;
	case PARENT_ABOVE:
		if (e->init)
			fputs("Its real parent is in a pid namespace above yours"
			      " (ppid 0 here), as every namespace init's is: for"
			      " a container, the runtime's process on the host.",
			      x->f);
		else
			fputs("Its real parent is in a pid namespace above yours"
			      " (ppid 0 here), and it is not the init: it entered"
			      " this namespace from outside, made by a process"
			      " that joined it (setns(2), then fork), as docker"
			      " exec, nsenter and kubectl exec do.", x->f);
		if (e->how == HOW_ADOPTED)
			fputs(" Its first parent, outside your namespace too,"
			      " made it and exited: it was adopted.", x->f);
		para_end(x);
		return;
	case PARENT_NOT_LISTED:
		fprintf(x->f, "Its real parent %d is not listed (exited, or"
			" hidden from you): with hidepid= on /proc, the file"
			" shows only the processes you may see. Whether it was"
			" adopted cannot be told from this capture.",
			(int)t->ppid);
		para_end(x);
		return;
	case PARENT_LISTED:
		break;
	}
	fputs("Its real parent (task->real_parent) is ", x->f);
	who(x, t->ppid);
	if (e->parent->ns != e->ns) {
		fputs(", in ", x->f);
		ns_name(x, e->parent->ns);
		fputs(e->init ? ", across the boundary, as every namespace"
			      " init's parent is" :
			      ": it was made from outside its namespace, by a"
			      " process that joined it (setns(2), then fork),"
			      " as docker exec, nsenter and kubectl exec do", x->f);
	}
	fputc('.', x->f);
	switch (e->how) {
	case HOW_THREAD:
		fputs(" It is a thread: a thread of its process created it with"
		      " clone(CLONE_THREAD), and a thread's real parent is its"
		      " process's.", x->f);
		break;
	case HOW_FORKED:
		fputs(" That process forked it (copy_process() in"
		      " kernel/fork.c; with CLONE_PARENT the forker's own parent"
		      " becomes the real parent instead), and the module"
		      " recorded it then as the first parent.", x->f);
		break;
	case HOW_ADOPTED:
		how_adopted(x);
		break;
	case HOW_NO_COLUMN:
	case HOW_UNKNOWN:
		fputs(" The kernel set it either when that process forked it"
		      " (copy_process() in kernel/fork.c; with CLONE_PARENT the"
		      " forker's own parent is used instead), or when its"
		      " original parent exited and it adopted it"
		      " (forget_original_parent() in kernel/exit.c).", x->f);
		if (e->how == HOW_NO_COLUMN)
			fputs(" This input has no origin column (a module that"
			      " does not record first parents), so it cannot"
			      " tell which.", x->f);
		else
			fputs(" The module did not see it being created (it is"
			      " older than the module), so it cannot tell which:"
			      " load the module at boot (modules-load.d(5); the"
			      " package's /etc/modules-load.d/pidns_tree.conf) to"
			      " keep every process's first parent.", x->f);
		break;
	}
	para_end(x);
}

static void tracer(struct prose *x)
{
	const struct pt_task *t = x->x->t;

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

/* The adopter and why, if @subj ("its parent", or "it") exits. */
static void adopter(struct prose *x, const struct adoption *a,
		    const char *subj)
{
	who(x, a->pid);
	switch (a->rule) {
	case PT_RULE_NS_INIT:
		fputs(", the init of ", x->f);
		ns_name(x, a->ns);
		not_own(x, a->ns);
		fputc('.', x->f);
		if (a->ns != x->x->ns)
			fprintf(x->f, " find_new_reaper() in kernel/exit.c takes"
				" the reaper from the pid namespace of the"
				" process that exits, and %s is in pid:[%llu].",
				subj, a->ns->inode);
		if (a->no_flag)
			fputs(" No child subreaper is searched for: no ancestor"
			      " set PR_SET_CHILD_SUBREAPER (has_child_subreaper"
			      " is not set; sub -).", x->f);
		else if (a->beyond) {
			fprintf(x->f, " The search for a child subreaper up from"
				" %s stopped at the boundary of pid:[%llu]: ",
				subj, a->ns->inode);
			who(x, a->beyond->main->tgid);
			fprintf(x->f, ", a child subreaper above it in pid:[%llu],"
				" does not count.", a->beyond->ns->inode);
		} else {
			fprintf(x->f, " No child subreaper with a live thread"
				" is above %s in that namespace.", subj);
		}
		break;
	case PT_RULE_SUBREAPER:
		fprintf(x->f, ", a child subreaper (PR_SET_CHILD_SUBREAPER): the"
			" nearest one with a live thread above %s in ", subj);
		ns_name(x, a->ns);
		not_own(x, a->ns);
		fputs(" (find_new_reaper() in kernel/exit.c).", x->f);
		break;
	default:
		fputs(", as the module computed it (the reaper column).", x->f);
		break;
	}
}

static void self_adoption(struct prose *x)
{
	const struct explanation *e = x->x;
	const struct adoption *a = &e->next;

	para_start(x);
	switch (a->fate) {
	case FATE_NOBODY:
		fputs("Nothing would ever adopt it: its parent, the idle task,"
		      " never exits.", x->f);
		break;
	case FATE_PANIC:
		fputs("Its real parent is the host's init: if that exited, the"
		      " kernel would panic (\"Attempted to kill init!\" in"
		      " find_child_reaper(), kernel/exit.c). Nothing adopts"
		      " it.", x->f);
		break;
	case FATE_NS_DIES:
		fputs("If its real parent's process exited, nobody would adopt"
		      " it: the parent is the init of ", x->f);
		ns_name(x, a->ns);
		fputs(", and when a namespace init exits, zap_pid_ns_processes()"
		      " (kernel/pid_namespace.c) kills every task of that"
		      " namespace, this one included.", x->f);
		break;
	case FATE_ADOPTED:
		fputs(x->x->t->ppid && !x->x->parent ?
		      "As its real parent has exited, it is adopted by " :
		      "If its real parent's process exited, it would be adopted"
		      " by ", x->f);
		adopter(x, a, "its parent");
		break;
	case FATE_OUTSIDE:
		fputs("If its real parent's process exited, a process outside"
		      " your pid namespace would adopt it: the parent's"
		      " namespace and its init are not visible from yours.",
		      x->f);
		break;
	case FATE_UNKNOWN:
		fputs("Who adopts it is not asserted here, as its parent is not"
		      " listed.", x->f);
		if (a->pid) {
			fputs(" (The reaper column, read with its line, named ",
			      x->f);
			who(x, a->pid);
			fputs(".)", x->f);
		}
		break;
	}
	para_end(x);
}

static void list_children(struct prose *x)
{
	const struct pt_proc *c;
	unsigned int i = 0, n = x->x->nr_children;

	fprintf(x->f, "its %u child%s (", n, n == 1 ? "" : "ren");
	for (c = x->x->p->child; c && i < 4; c = c->next, i++) {
		if (i)
			fputs(", ", x->f);
		who(x, c->main->tgid);
	}
	if (n > i)
		fprintf(x->f, " and %u more", n - i);
	fputc(')', x->f);
}

static void children_adoption(struct prose *x)
{
	const struct explanation *e = x->x;
	const struct adoption *a = &e->kids;

	para_start(x);
	switch (a->fate) {
	case FATE_PANIC:
		fputs("If its process exited, the kernel would panic"
		      " (\"Attempted to kill init!\" in find_child_reaper(),"
		      " kernel/exit.c): the initial namespace's init cannot"
		      " exit, and nothing adopts ", x->f);
		if (e->nr_children)
			list_children(x);
		else
			fputs("anything", x->f);
		fputc('.', x->f);
		break;
	case FATE_NS_DIES:
		fputs("If its process exited, its namespace would die with it:"
		      " zap_pid_ns_processes() kills every task in ", x->f);
		ns_name(x, a->ns);
		if (e->nr_children) {
			fputs(", so none of ", x->f);
			list_children(x);
			fputs(" would be adopted", x->f);
		}
		fputc('.', x->f);
		if (e->p->nr_threads > 1)
			fputs(" (While another of its threads lives, that"
			      " thread becomes the child_reaper instead:"
			      " find_child_reaper().)", x->f);
		break;
	case FATE_ADOPTED:
		if (e->nr_children) {
			fputs("If its process exited, ", x->f);
			list_children(x);
			fputs(" would be adopted by ", x->f);
		} else {
			fputs("It has no children; if its process exited, any it"
			      " had would be adopted by ", x->f);
		}
		adopter(x, a, "it");
		if (e->kids_file) {
			fputs(" The kernel's own answer in the file (its"
			      " children's reaper column) is ", x->f);
			who(x, e->kids_file);
			fputc('.', x->f);
		}
		if (e->p->nr_threads > 1)
			fputs(" If only one thread exits, the children it forked"
			      " go to another live thread of the same process"
			      " first (find_alive_thread()).", x->f);
		break;
	default:
		fputs("If its process exited, its children would be adopted by"
		      " the init of its namespace, which is not listed.", x->f);
		break;
	}
	para_end(x);
}

void pt_explain_prose(const struct explanation *e, FILE *out)
{
	struct prose x = { .x = e, .out = out };

	identity(&x);
	container(&x);
	why_parent(&x);
	tracer(&x);
	self_adoption(&x);
	children_adoption(&x);
}
