// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * model.c - tasks -> processes, namespaces and the real-parent tree
 *
 * One pass over the tasks fills three hashes (pid, tgid, pidns inode) and
 * groups threads; a second links every process to its real parent.  A third,
 * iterative walk computes depths and finds parent cycles.  All O(n).
 */
#include <stdio.h>
#include <string.h>

#include "model.h"
#include "xalloc.h"

#define DEPTH_UNSET	(~0U)
#define DEPTH_ONSTACK	(~0U - 1)

static void hash_init(struct pt_hash *h, size_t n)
{
	size_t sz = 16;

	while (sz < 2 * n)
		sz <<= 1;
	h->keys = xcalloc(sz, sizeof(*h->keys));
	h->vals = xcalloc(sz, sizeof(*h->vals));
	h->mask = sz - 1;
}

static void hash_free(struct pt_hash *h)
{
	free(h->keys);
	free(h->vals);
}

static size_t hash_slot(const struct pt_hash *h, uint64_t key)
{
	size_t i = (size_t)((key * 0x9E3779B97F4A7C15ULL) >> 29) & h->mask;

	while (h->vals[i] && h->keys[i] != key)
		i = (i + 1) & h->mask;
	return i;
}

/* Index + 1 of @key, or 0. */
static uint32_t hash_get(const struct pt_hash *h, uint64_t key)
{
	if (!h->vals)
		return 0;
	return h->vals[hash_slot(h, key)];
}

/* Add @key -> @idx unless present; returns the old index + 1, or 0. */
static uint32_t hash_add(struct pt_hash *h, uint64_t key, size_t idx)
{
	size_t i = hash_slot(h, key);

	if (h->vals[i])
		return h->vals[i];
	h->keys[i] = key;
	h->vals[i] = (uint32_t)idx + 1;
	return 0;
}

struct pt_task *pt_find_task(const struct pt_model *m, pid_t pid)
{
	uint32_t i = pid > 0 ? hash_get(&m->task_hash, pid) : 0;

	return i ? &m->snap.tasks[i - 1] : NULL;
}

struct pt_proc *pt_find_proc(const struct pt_model *m, pid_t tgid)
{
	uint32_t i = tgid > 0 ? hash_get(&m->proc_hash, tgid) : 0;

	return i ? &m->procs[i - 1] : NULL;
}

struct pt_ns *pt_find_ns(const struct pt_model *m, unsigned long long ino)
{
	uint32_t i = ino ? hash_get(&m->ns_hash, ino) : 0;

	return i ? &m->ns[i - 1] : NULL;
}

bool pt_is_subreaper(const struct pt_proc *p)
{
	return p->main->sub == 'S';
}

bool pt_is_init(const struct pt_proc *p)
{
	return p->ns->init && p->ns->init->proc == p;
}

bool pt_entered(const struct pt_proc *p)
{
	return p->ns->level > 0 && p->parent && p->parent->ns != p->ns &&
	       !pt_is_init(p);
}

static struct pt_ns *add_ns(struct pt_model *m, struct pt_task *t,
			    struct pt_error *e)
{
	uint32_t i = hash_get(&m->ns_hash, t->pidns);
	struct pt_ns *ns;

	if (!i) {
		ns = &m->ns[m->nr_ns];
		hash_add(&m->ns_hash, t->pidns, m->nr_ns++);
		ns->inode = t->pidns;
		ns->level = t->level;
		ns->line = t->line;
		return ns;
	}
	ns = &m->ns[i - 1];
	if (ns->level != t->level) {
		pt_seterr(e, t->line, "pidns %llu is at level %u, but at level %u on line %zu",
			  ns->inode, t->level, ns->level, ns->line);
		return NULL;
	}
	return ns;
}

/* Validate a task against what is known of its namespace. */
static int task_ns(struct pt_model *m, struct pt_task *t, struct pt_ns **root,
		   struct pt_error *e)
{
	struct pt_ns *ns = add_ns(m, t, e);

	if (!ns)
		return -1;
	if (t->level == 0 && *root && *root != ns) {
		pt_seterr(e, t->line, "pidns %llu is at level 0, but so is pidns %llu (line %zu)",
			  ns->inode, (*root)->inode, (*root)->line);
		return -1;
	}
	if (t->level == 0)
		*root = ns;
	if (t->init && ns->init && ns->init->tgid != t->tgid) {
		pt_seterr(e, t->line, "pid %d is the init of pidns %llu, but so is pid %d (line %zu)",
			  (int)t->pid, ns->inode, (int)ns->init->pid, ns->init->line);
		return -1;
	}
	if (t->init && !ns->init)
		ns->init = t;
	return 0;
}

/* Put @t into its thread group, creating the group on its first task. */
static void task_proc(struct pt_model *m, struct pt_task *t)
{
	uint32_t i = hash_get(&m->proc_hash, t->tgid);
	struct pt_proc *p;

	if (i) {
		p = &m->procs[i - 1];
		p->last_thread->next_thread = t;
	} else {
		p = &m->procs[m->nr_procs];
		hash_add(&m->proc_hash, t->tgid, m->nr_procs++);
		p->main = p->threads = t;
	}
	if (t->pid == t->tgid)
		p->main = t;
	p->last_thread = t;
	p->nr_threads++;
	t->proc = p;
}

static int add_tasks(struct pt_model *m, struct pt_error *e)
{
	struct pt_ns *root = NULL;
	size_t i;

	for (i = 0; i < m->snap.nr_tasks; i++) {
		struct pt_task *t = &m->snap.tasks[i];
		uint32_t dup = hash_add(&m->task_hash, t->pid, i);

		if (dup) {
			pt_seterr(e, t->line, "duplicate pid %d (also on line %zu)",
				  (int)t->pid, m->snap.tasks[dup - 1].line);
			return -1;
		}
		if (task_ns(m, t, &root, e))
			return -1;
		task_proc(m, t);
	}
	for (i = 0; i < m->nr_procs; i++) {
		struct pt_proc *p = &m->procs[i];

		p->ns = pt_find_ns(m, p->main->pidns);
		p->leader_missing = p->main->pid != p->main->tgid;
		p->selected = true;
	}
	return 0;
}

static struct pt_gone *gone_parent(struct pt_model *m, struct pt_hash *h,
				   pid_t ppid)
{
	uint32_t i = hash_get(h, ppid);

	if (i)
		return &m->gone[i - 1];
	hash_add(h, ppid, m->nr_gone);
	m->gone[m->nr_gone].ppid = ppid;
	return &m->gone[m->nr_gone++];
}

#define APPEND(head, tail, p) do {		\
	if (tail)				\
		(tail)->next = (p);		\
	else					\
		(head) = (p);			\
	(tail) = (p);				\
} while (0)

/* Link every process to its real parent, a "parent gone" root, or none. */
static void link_parents(struct pt_model *m)
{
	struct pt_hash gone_hash = { 0 };
	size_t i;

	for (i = 0; i < m->nr_procs; i++) {
		struct pt_proc *p = &m->procs[i];
		pid_t ppid = p->main->ppid;
		struct pt_proc *q = pt_find_proc(m, ppid);

		if (!ppid) {
			APPEND(m->roots, m->last_root, p);
		} else if (q) {
			p->parent = q;
			APPEND(q->child, q->last_child, p);
		} else {
			if (!gone_hash.vals) {
				hash_init(&gone_hash, m->nr_procs);
				m->gone = xcalloc(m->nr_procs, sizeof(*m->gone));
			}
			p->gone = gone_parent(m, &gone_hash, ppid);
			APPEND(p->gone->child, p->gone->last_child, p);
		}
	}
	hash_free(&gone_hash);
}

static void cycle_error(struct pt_proc *q, struct pt_error *e)
{
	char buf[128];
	size_t o = 0;
	struct pt_proc *r = q;
	int n = 0;

	do {
		o += snprintf(buf + o, sizeof(buf) - o, "%d -> ", (int)r->main->tgid);
		r = r->parent;
	} while (r != q && ++n < 8 && o < sizeof(buf) - 24);
	snprintf(buf + o, sizeof(buf) - o, r == q ? "%d" : "...", (int)q->main->tgid);
	pt_seterr(e, q->main->line, "parent cycle: %s (ppid chain never reaches a root)",
		  buf);
}

/* Depth of every process, walking each ancestor chain only once. */
static int compute_depth(struct pt_model *m, struct pt_error *e)
{
	struct pt_proc **path = xcalloc(m->nr_procs, sizeof(*path));
	size_t i, n;
	int rc = 0;

	for (i = 0; i < m->nr_procs; i++)
		m->procs[i].depth = DEPTH_UNSET;
	for (i = 0; i < m->nr_procs && rc == 0; i++) {
		struct pt_proc *q = &m->procs[i];
		unsigned int d;

		for (n = 0; q && q->depth == DEPTH_UNSET; q = q->parent) {
			q->depth = DEPTH_ONSTACK;
			path[n++] = q;
		}
		if (q && q->depth == DEPTH_ONSTACK) {
			cycle_error(q, e);
			rc = -1;
			break;
		}
		d = q ? q->depth + 1 : 0;
		while (n--)
			path[n]->depth = d++;
		if (d && d - 1 > m->max_depth)
			m->max_depth = d - 1;
	}
	free(path);
	return rc;
}

/* A namespace's parent is its processes' parents' namespace, one level up. */
static void infer_ns_parents(struct pt_model *m)
{
	size_t i;

	for (i = 0; i < m->nr_procs; i++) {
		struct pt_proc *p = &m->procs[i];

		if (!p->ns->parent && p->parent &&
		    p->parent->ns->level + 1 == p->ns->level)
			p->ns->parent = p->parent->ns;
	}
}

/* Takes over @s (also on error: free with pt_model_free()). */
int pt_model_build(struct pt_model *m, struct pt_snapshot *s, struct pt_error *e)
{
	size_t n = s->nr_tasks;

	memset(m, 0, sizeof(*m));
	memset(e, 0, sizeof(*e));
	m->snap = *s;
	memset(s, 0, sizeof(*s));
	hash_init(&m->task_hash, n);
	hash_init(&m->proc_hash, n);
	hash_init(&m->ns_hash, n);
	m->procs = xcalloc(n, sizeof(*m->procs));
	m->ns = xcalloc(n, sizeof(*m->ns));
	if (add_tasks(m, e))
		return -1;
	link_parents(m);
	if (compute_depth(m, e))
		return -1;
	infer_ns_parents(m);
	return 0;
}

void pt_model_free(struct pt_model *m)
{
	hash_free(&m->task_hash);
	hash_free(&m->proc_hash);
	hash_free(&m->ns_hash);
	free(m->procs);
	free(m->gone);
	free(m->ns);
	pt_snapshot_free(&m->snap);
	pt_cgmap_free(&m->cgmap);
	memset(m, 0, sizeof(*m));
}

/* Select the whole subtree under @p; stops at already selected processes. */
static void select_subtree(struct pt_proc *p, struct pt_proc **stack)
{
	size_t n = 0;

	if (p->selected)
		return;
	p->selected = true;
	stack[n++] = p;
	while (n) {
		struct pt_proc *c;

		for (c = stack[--n]->child; c; c = c->next) {
			if (c->selected)
				continue;
			c->selected = true;
			stack[n++] = c;
		}
	}
}

static void select_none(struct pt_model *m)
{
	size_t i;

	for (i = 0; i < m->nr_procs; i++)
		m->procs[i].selected = false;
}

/* The subtree below @pid's process and its ancestors. */
int pt_select_pid(struct pt_model *m, pid_t pid, struct pt_error *e)
{
	struct pt_task *t = pt_find_task(m, pid);
	struct pt_proc **stack, *p;

	if (!t) {
		pt_seterr(e, 0, "PID %d is not in the snapshot", (int)pid);
		return -1;
	}
	select_none(m);
	stack = xcalloc(m->nr_procs, sizeof(*stack));
	select_subtree(t->proc, stack);
	free(stack);
	for (p = t->proc->parent; p; p = p->parent)
		p->selected = true;
	return 0;
}

static bool ns_below(const struct pt_ns *ns, const struct pt_ns *top)
{
	for (; ns; ns = ns->parent)
		if (ns == top)
			return true;
	return false;
}

/* Every process in namespace @ino, in a namespace below it, or below them. */
int pt_select_ns(struct pt_model *m, unsigned long long ino, struct pt_error *e)
{
	struct pt_ns *top = pt_find_ns(m, ino);
	bool *in;
	size_t i;

	if (!top) {
		pt_seterr(e, 0, "pid namespace %llu is not in the snapshot", ino);
		return -1;
	}
	in = xcalloc(m->nr_procs, sizeof(*in));
	for (i = 0; i < m->nr_procs; i++)
		in[i] = ns_below(m->procs[i].ns, top);
	pt_select_procs(m, in);
	free(in);
	return 0;
}

/* Only the processes @in[i] and the processes below them. */
void pt_select_procs(struct pt_model *m, const bool *in)
{
	struct pt_proc **stack;
	size_t i;

	select_none(m);
	stack = xcalloc(m->nr_procs, sizeof(*stack));
	for (i = 0; i < m->nr_procs; i++)
		if (in[i])
			select_subtree(&m->procs[i], stack);
	free(stack);
}

void pt_walk_start(struct pt_walk *w, const struct pt_proc *first)
{
	w->cur = NULL;
	w->first = first;
	w->top = first ? first->parent : NULL;
	w->leave = false;
}

const struct pt_proc *pt_walk_next(struct pt_walk *w, bool *leave)
{
	const struct pt_proc *p = w->cur;

	if (!p) {
		p = w->first;		/* the start, or the end again */
		w->first = NULL;
		w->leave = false;
	} else if (!w->leave) {
		if (p->child)
			p = p->child;
		else
			w->leave = true;
	} else if (p->next) {
		p = p->next;
		w->leave = false;
	} else {
		p = p->parent;
		if (p == w->top)
			p = NULL;
	}
	w->cur = p;
	*leave = w->leave;
	return p;
}

/* find_alive_thread(): the process has a thread that is not exiting. */
bool pt_proc_alive(const struct pt_proc *p)
{
	const struct pt_task *t;

	for (t = p->threads; t; t = t->next_thread)
		if (t->state != 'Z' && t->state != 'X')
			return true;
	return false;
}

/*
 * Who would adopt the children of @father if its whole process exited:
 * kernel/exit.c find_child_reaper() and find_new_reaper().  NULL if the
 * namespace dies with it, or the reaper is not in the snapshot.
 */
const struct pt_proc *pt_new_reaper(const struct pt_model *m,
				    const struct pt_proc *father,
				    enum pt_reaper_rule *rule)
{
	const struct pt_proc *r;

	(void)m;
	if (pt_is_init(father)) {
		*rule = PT_RULE_NS_DIES;
		return NULL;
	}
	if (father->main->sub != '-') {
		for (r = father->parent; r && r->ns->level == father->ns->level;
		     r = r->parent) {
			if (pt_is_subreaper(r) && pt_proc_alive(r)) {
				*rule = PT_RULE_SUBREAPER;
				return r;
			}
		}
	}
	*rule = PT_RULE_NS_INIT;
	return father->ns->init ? father->ns->init->proc : NULL;
}

/*
 * Which rule of find_new_reaper() made @q, the real parent an orphan has
 * now, take it from another process that exited: a namespace's init, or
 * else a child subreaper.  PT_RULE_UNKNOWN if @q is not in the snapshot or
 * fits neither rule now (it cleared PR_SET_CHILD_SUBREAPER since).
 */
enum pt_reaper_rule pt_adopter_rule(const struct pt_proc *q)
{
	if (!q)
		return PT_RULE_UNKNOWN;
	if (pt_is_init(q))
		return PT_RULE_NS_INIT;
	if (pt_is_subreaper(q))
		return PT_RULE_SUBREAPER;
	return PT_RULE_UNKNOWN;
}
