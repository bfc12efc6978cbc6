// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * watch-events.c - --watch on /proc/pidns_tree_events: the processes by
 * id, as the snapshot shows them and the events change them
 *
 * The snapshot seeds the model: each process with an id, its PID, name,
 * parent's id, cgroup and pid namespace.  Each event with a SEQ above the
 * snapshot's seq_before is applied by id, idempotently (SNAPSHOT AND
 * STREAM in pidns_tree_events(5)): a fork of a process the snapshot lists
 * already changes nothing, an exit or exec of one it does not list adds
 * it.  A reaped process is kept a little longer (REAPED_KEPT), for the
 * lines that still name it.  Names of other processes come from the
 * model: the stream never carries them.  watch-print.c writes the lines.
 */
#include <stdlib.h>
#include <string.h>

#include "evwatch-int.h"
#include "xalloc.h"

/* --- the table of processes, by id (open addressing, linear probing) --- */

static size_t slot_of(const struct pt_evwatch *w, unsigned long long id)
{
	uint64_t h = id * 0x9e3779b97f4a7c15ULL;

	return (size_t)(h >> 17) & w->mask;
}

struct pt_evproc *pt_evp_find(const struct pt_evwatch *w,
			      unsigned long long id)
{
	size_t i;

	if (!id)
		return NULL;
	for (i = slot_of(w, id); w->procs[i].id; i = (i + 1) & w->mask)
		if (w->procs[i].id == id)
			return &w->procs[i];
	return NULL;
}

static void grow(struct pt_evwatch *w)
{
	struct pt_evproc *old = w->procs;
	size_t i, n = w->mask + 1;

	w->mask = 2 * n - 1;
	w->procs = xcalloc(2 * n, sizeof(*w->procs));
	for (i = 0; i < n; i++) {
		size_t j;

		if (!old[i].id)
			continue;
		for (j = slot_of(w, old[i].id); w->procs[j].id; j = (j + 1) & w->mask)
			;
		w->procs[j] = old[i];
	}
	free(old);
}

static struct pt_evproc *add(struct pt_evwatch *w, unsigned long long id)
{
	struct pt_evproc *p = pt_evp_find(w, id);
	size_t i;

	if (p)
		return p;
	if (2 * (w->nr + 1) > w->mask + 1)
		grow(w);
	for (i = slot_of(w, id); w->procs[i].id; i = (i + 1) & w->mask)
		;
	p = &w->procs[i];
	memset(p, 0, sizeof(*p));
	p->id = id;
	p->alive = true;
	w->nr++;
	return p;
}

/* Backward-shift deletion: no tombstones. */
static void del(struct pt_evwatch *w, unsigned long long id)
{
	struct pt_evproc *p = pt_evp_find(w, id);
	size_t i, j, k;

	if (!p)
		return;
	free(p->comm);
	i = p - w->procs;
	for (j = (i + 1) & w->mask; w->procs[j].id; j = (j + 1) & w->mask) {
		k = slot_of(w, w->procs[j].id);
		/* can the entry at j move to the hole at i? */
		if ((j > i && (k <= i || k > j)) || (j < i && k <= i && k > j)) {
			w->procs[i] = w->procs[j];
			i = j;
		}
	}
	memset(&w->procs[i], 0, sizeof(w->procs[i]));
	w->nr--;
}

static void set_comm(struct pt_evproc *p, const char *comm)
{
	if (p->comm && !strcmp(p->comm, comm))
		return;
	free(p->comm);
	p->comm = xstrdup(comm);
}

/* --- containers ---------------------------------------------------------- */

const struct pt_ct *pt_evw_ct(struct pt_evwatch *w, unsigned long long cgroup)
{
	const struct pt_cgroup *cg;

	if (!w->labels || !cgroup)
		return NULL;
	cg = pt_cgmap_find(&w->cgmap, cgroup);
	if (!cg && w->o.live && pt_evw_refresh(w, cgroup))
		cg = pt_cgmap_find(&w->cgmap, cgroup);
	if (!cg || (cg->ct.kind != PT_CT_CONTAINER && cg->ct.kind != PT_CT_POD))
		return NULL;
	return &cg->ct;
}

static bool in_container(struct pt_evwatch *w, unsigned long long cgroup)
{
	const struct pt_ct *c = pt_evw_ct(w, cgroup);

	return c && pt_ct_match(c, w->o.container);
}

/* --- seeding from the snapshot ------------------------------------------ */

static bool below(const struct pt_proc *p, const struct pt_proc *top)
{
	for (; p; p = p->parent)
		if (p == top)
			return true;
	return false;
}

static int seed_filter(struct pt_evwatch *w, struct pt_model *m,
		       const struct pt_proc **top, struct pt_error *e)
{
	const struct pt_task *t;

	*top = NULL;
	if (w->o.pid) {
		t = pt_find_task(m, w->o.pid);
		if (!t) {
			pt_seterr(e, 0, "--pid: PID %d is not in the snapshot",
				  (int)w->o.pid);
			return -1;
		}
		*top = t->proc;
		if (!t->proc->main->id) {
			pt_seterr(e, 0, "--pid: PID %d has no id (the module has no record of it): it cannot be followed",
				  (int)w->o.pid);
			return -1;
		}
	}
	if (w->o.container && !m->labels) {
		pt_seterr(e, 0, "--container: no container labels: %s",
			  m->cgmap.missing ? m->cgmap.missing : "?");
		return -1;
	}
	if (w->o.container && pt_select_container(m, w->o.container, e)) {
		/* not there yet: followed from its first event */
		if (strstr(e->msg, "ambiguous"))
			return -1;
		memset(e, 0, sizeof(*e));
	}
	return 0;
}

static void seed(struct pt_evwatch *w, struct pt_model *m,
		 const struct pt_proc *top)
{
	size_t i;

	for (i = 0; i < m->nr_procs; i++) {
		const struct pt_proc *q = &m->procs[i];
		const struct pt_task *t = q->main;
		const struct pt_proc *par = q->parent;
		struct pt_evproc *p;

		if (!t->id)
			continue;
		p = add(w, t->id);
		p->pid = t->tgid;
		set_comm(p, t->comm);
		p->ppid = t->ppid;
		p->parent_id = par ? par->main->id : 0;
		p->cgroup = t->cgroup;
		p->has_ns = t->pid == t->tgid;
		p->pidns = t->pidns;
		p->level = t->level;
		p->nspid = t->nspids[t->level];
		p->alive = t->state != 'Z' && t->state != 'X';
		if (w->o.pid)
			p->tracked = below(q, top);
		else if (w->o.container)
			p->tracked = q->selected && in_container(w, t->cgroup);
		else
			p->tracked = true;
	}
}

struct pt_evwatch *pt_evwatch_new(struct pt_model *m,
				  const struct pt_evstream *st,
				  const struct pt_evwatch_opts *o,
				  struct pt_error *e)
{
	struct pt_evwatch *w = xcalloc(1, sizeof(*w));
	const struct pt_proc *top;

	w->o = *o;
	w->mask = 1023;
	w->procs = xcalloc(w->mask + 1, sizeof(*w->procs));
	if (!m->snap.has_seq || !m->snap.has_id) {
		pt_seterr(e, 0, "the snapshot has no ids or no seq_before (format %u): following the event stream needs format 2",
			  m->snap.version);
		goto fail;
	}
	if (st->seq > m->snap.seq_before) {
		pt_seterr(e, 0, "the snapshot (seq_before %llu) is older than the stream (SEQ %llu): events between them are missing; open the stream first, then read the snapshot",
			  m->snap.seq_before, st->seq);
		goto fail;
	}
	w->seq_before = m->snap.seq_before;
	if (seed_filter(w, m, &top, e))
		goto fail;
	w->cgmap = m->cgmap;
	w->labels = m->labels;
	seed(w, m, top);
	memset(&m->cgmap, 0, sizeof(m->cgmap));
	m->labels = false;
	pt_evw_clock(w);
	return w;
fail:
	pt_evwatch_free(w);
	return NULL;
}

void pt_evwatch_free(struct pt_evwatch *w)
{
	size_t i;

	if (!w)
		return;
	for (i = 0; i <= w->mask; i++)
		if (w->procs[i].id)
			free(w->procs[i].comm);
	free(w->procs);
	free(w->tried);
	pt_cgmap_free(&w->cgmap);
	free(w);
}

/* --- applying an event ----------------------------------------------------- */

/* Followed from now on: by --pid through a followed parent or caller,
 * by --container through its cgroup. */
static void follow(struct pt_evwatch *w, struct pt_evproc *p,
		   const struct pt_event *ev)
{
	const struct pt_evproc *a, *b;

	if (!p || p->tracked)
		return;
	if (!w->o.pid && !w->o.container) {
		p->tracked = true;
	} else if (w->o.pid) {
		a = pt_evp_find(w, ev->parent_known ? ev->parent_id : 0);
		b = ev->kind == PT_EV_FORK ? pt_evp_find(w, ev->caller_id) : NULL;
		p->tracked = (a && a->tracked) || (b && b->tracked);
	} else if (ev->kind == PT_EV_FORK || ev->kind == PT_EV_EXEC) {
		p->tracked = in_container(w, ev->cgroup);
	}
}

static void apply_fork(struct pt_evwatch *w, struct pt_evproc *p,
		       const struct pt_event *ev)
{
	if (p->pid && p->comm)
		return;		/* the snapshot has it already */
	p->pid = ev->pid;
	if (!p->comm)
		set_comm(p, ev->comm);
	p->ppid = ev->ppid;
	p->parent_id = ev->parent_id;
	p->cgroup = ev->cgroup;
	p->has_ns = true;
	p->pidns = ev->pidns;
	p->level = ev->level;
	p->nspid = ev->nspids[ev->level];
	(void)w;
}

/* A reaped process is kept for REAPED_KEPT more reaps. */
static void reaped(struct pt_evwatch *w, unsigned long long id)
{
	unsigned long long old = w->reaped[w->reaped_at];

	if (old && old != id)
		del(w, old);
	w->reaped[w->reaped_at] = id;
	w->reaped_at = (w->reaped_at + 1) % REAPED_KEPT;
}

int pt_evwatch_event(struct pt_evwatch *w, const struct pt_event *ev)
{
	struct pt_evproc *p = NULL, tmp = { 0 };
	bool show;
	int rc;

	if (ev->kind == PT_EV_UNKNOWN || ev->seq <= w->seq_before)
		return 0;
	if (ev->kind == PT_EV_LOST)
		return pt_evw_print(w, ev, NULL);
	p = ev->id ? add(w, ev->id) : &tmp;
	if (!p->pid)
		p->pid = ev->pid;
	switch (ev->kind) {
	case PT_EV_FORK:
		apply_fork(w, p, ev);
		break;
	case PT_EV_EXEC:
		set_comm(p, ev->comm);
		p->cgroup = ev->cgroup;
		break;
	case PT_EV_EXIT:
		p->alive = false;
		break;
	case PT_EV_ADOPT:
		if (ev->parent_known) {
			p->ppid = ev->ppid;
			p->parent_id = ev->parent_id;
		}
		break;
	default:
		break;
	}
	follow(w, p, ev);
	show = p->tracked;
	rc = show ? pt_evw_print(w, ev, p) : 0;
	if (ev->kind == PT_EV_REAP && ev->id)
		reaped(w, ev->id);
	free(tmp.comm);
	return rc;
}
