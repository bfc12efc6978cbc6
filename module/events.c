// SPDX-License-Identifier: GPL-2.0
/*
 * /proc/pidns_tree_events: fork, exec, exit, reap and adoption of every
 * process, one text line each, as they happen.  The format is an ABI:
 * Documentation/proc-pidns_tree_events.rst.
 *
 * Each open is a subscriber with its own ring of lines, written by the
 * probes and read by read(), in the manner of /dev/kmsg, except that each
 * subscriber's lines are formatted for it when the event happens: its pid
 * namespace, its hidepid= rights and its cgroup namespace decide what it
 * is told, and no line keeps a reference on anything.  A full ring drops
 * the event and counts it; the count is written as a "lost" line before
 * the next line that fits, or read() writes it once the ring is empty.
 *
 * Every event is numbered and written under pidns_tree_lock, the lock of
 * the process records (origin.c), in the order the records change.  The
 * probes never sleep, allocate, free or wake: readers are woken by a timer
 * a jiffy after the first line they have not been woken for, so that a
 * reader that keeps up with a burst wakes once a jiffy, not once a line.
 *
 * Adoptions: the kernel moves an exiting thread's children in
 * exit_notify(), inlined in do_exit(), under tasklist_lock, then sets the
 * thread's exit_state.  The exit probe runs before that; it notes the
 * thread when its process has children in the index of children
 * (origin.c), and the thread is checked once its exit_state is set: at the
 * next probe, by a timer, at read() and poll(), and at the latest when the
 * thread is freed.  A child whose real parent then belongs to another
 * process was adopted by that process.  Threads are checked in the order
 * they started to exit; a check that cannot be exact says so ("?").
 *
 * The exit and exec probes are registered while somebody reads the
 * stream, and only then.
 */

#include <linux/atomic.h>
#include <linux/cred.h>
#include <linux/fs.h>
#include <linux/kfifo.h>
#include <linux/math64.h>
#include <linux/mm.h>
#include <linux/mutex.h>
#include <linux/pid.h>
#include <linux/pid_namespace.h>
#include <linux/poll.h>
#include <linux/proc_fs.h>
#include <linux/rculist.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/timekeeping.h>
#include <linux/timer.h>
#include <linux/tracepoint.h>
#include <linux/uaccess.h>
#include <linux/wait.h>
#include <trace/events/sched.h>

#include "pidns_tree.h"
#include "process.h"
#include "stream.h"

#define PIDNS_TREE_EXITING_MAX		4096

enum pidns_tree_event_type {
	PIDNS_TREE_FORK,
	PIDNS_TREE_EXEC,
	PIDNS_TREE_EXIT,
	PIDNS_TREE_REAP,
	PIDNS_TREE_ADOPT,
};

static const char * const pidns_tree_event_names[] = {
	[PIDNS_TREE_FORK] = "fork",
	[PIDNS_TREE_EXEC] = "exec",
	[PIDNS_TREE_EXIT] = "exit",
	[PIDNS_TREE_REAP] = "reap",
	[PIDNS_TREE_ADOPT] = "adopt",
};

/*
 * What happened, gathered once under RCU and the lock, then written for
 * each subscriber that may see it.  @a and @b are processes (thread-group
 * pids): fork's parent and caller, reap's parent, adopt's old and new
 * parent.  @b_known is false where adopt's new parent is unknown; @a is
 * NULL where reap's parent is.
 */
struct pidns_tree_event {
	enum pidns_tree_event_type type;
	struct pid *pid;
	u64 id;
	const struct cred *cred;
	bool dumpable;
	struct pid *a, *b;
	u64 a_id, b_id;
	bool b_known;
	struct task_struct *task;	/* fork, exec: for the cgroup */
	const char *comm;		/* fork, exec */
	const char *ns_how;		/* fork: "new", "join" or "-" */
	const char *rule;		/* adopt: "subreaper" or "init" */
	unsigned int pidns;		/* fork: its own; adopt: the new parent's */
	int status;			/* exit */
};

/* A thread that started to exit while its process had children. */
struct pidns_tree_exiting {
	struct task_struct *thread;	/* NULL once checked */
	u64 process_id;
	struct pid *init;	/* its namespace's init's process: compared */
	bool may_adopt;		/* its process is a subreaper or an init */
};

static struct pidns_tree_exiting pidns_tree_exiting[PIDNS_TREE_EXITING_MAX];
static unsigned int pidns_tree_exiting_head, pidns_tree_exiting_len;
static atomic_long_t pidns_tree_nr_unwatched = ATOMIC_LONG_INIT(0);

static atomic64_t pidns_tree_seq = ATOMIC64_INIT(0);
bool pidns_tree_streaming;
LIST_HEAD(pidns_tree_subs);
static struct tracepoint *pidns_tree_tp_exit;
static struct tracepoint *pidns_tree_tp_exec;

static void pidns_tree_wake(struct timer_list *timer);
static void pidns_tree_check_timer(struct timer_list *timer);
DEFINE_TIMER(pidns_tree_wake_timer, pidns_tree_wake);
static DEFINE_TIMER(pidns_tree_timer, pidns_tree_check_timer);

u64 pidns_tree_events_seq(void)
{
	return atomic64_read(&pidns_tree_seq);
}

/* Only for current, or for a child that has not run yet: no task_lock(). */
bool pidns_tree_proc_dumpable(struct task_struct *task)
{
	struct mm_struct *mm = READ_ONCE(task->mm);

	return !mm || pidns_tree_owner_dumpable(task, mm);
}

/* --- Writing a line ------------------------------------------------------ */

char *pidns_tree_put_str(char *p, const char *s)
{
	size_t n = strlen(s);

	memcpy(p, s, n);
	return p + n;
}

static char *pidns_tree_put_nr(char *p, const struct pid *pid,
			       const struct pid_namespace *ns)
{
	*p++ = ' ';
	return pidns_tree_put_u32(p, pidns_tree_nr(pid, ns));
}

char *pidns_tree_put_id(char *p, u64 id)
{
	*p++ = ' ';
	return pidns_tree_put_u64(p, id);
}

/*
 * A process's pid and id; both 0 outside @ns, as the id of a process
 * outside a container would tell the container something of the host.
 */
static char *pidns_tree_put_proc(char *p, const struct pid *pid, u64 id,
				 const struct pid_namespace *ns)
{
	pid_t nr = pidns_tree_nr(pid, ns);

	*p++ = ' ';
	p = pidns_tree_put_u32(p, nr);
	return pidns_tree_put_id(p, nr ? id : 0);
}

/* A name, or "\077" for one that is "?", which means unknown elsewhere. */
static char *pidns_tree_put_comm(char *p, const char *comm)
{
	char name[TASK_COMM_LEN];

	*p++ = ' ';
	memcpy(name, comm, TASK_COMM_LEN);
	name[TASK_COMM_LEN - 1] = '\0';
	if (!strcmp(name, "?"))
		return pidns_tree_put_str(p, "\\077");
	return pidns_tree_put_name(p, name);
}

static char *pidns_tree_put_fork(char *p, struct pidns_tree_sub *s,
				 const struct pidns_tree_event *ev)
{
	const struct pid_namespace *ns = s->ns;
	unsigned int i;

	p = pidns_tree_put_proc(p, ev->a, ev->a_id, ns);
	p = pidns_tree_put_proc(p, ev->b, ev->b_id, ns);
	p = pidns_tree_put_id(p, ev->pidns);
	p = pidns_tree_put_id(p, ev->pid->level - ns->level);
	*p++ = ' ';
	for (i = ns->level; i <= ev->pid->level; i++) {
		if (i > ns->level)
			*p++ = ',';
		p = pidns_tree_put_u32(p, ev->pid->numbers[i].nr);
	}
	*p++ = ' ';
	p = pidns_tree_put_str(p, ev->ns_how);
	p = pidns_tree_put_id(p, pidns_tree_cgroup_id(ev->task, s->cgroup_root));
	return pidns_tree_put_comm(p, ev->comm);
}

static char *pidns_tree_put_adopt(char *p, struct pidns_tree_sub *s,
				  const struct pidns_tree_event *ev)
{
	p = pidns_tree_put_proc(p, ev->a, ev->a_id, s->ns);
	if (!ev->b_known)
		return pidns_tree_put_str(p, " ? ? ? ?");
	p = pidns_tree_put_proc(p, ev->b, ev->b_id, s->ns);
	*p++ = ' ';
	p = pidns_tree_put_str(p, ev->rule);
	/* The adopter's namespace, 0 where the adopter is outside too. */
	return pidns_tree_put_id(p, pidns_tree_nr(ev->b, s->ns) ? ev->pidns : 0);
}

/* @ev's line for @s, in s->line; returns its length. */
static size_t pidns_tree_format(struct pidns_tree_sub *s,
				const struct pidns_tree_event *ev,
				u64 seq, u64 usec)
{
	char *p = s->line;

	p = pidns_tree_put_u64(p, seq);
	p = pidns_tree_put_id(p, usec);
	*p++ = ' ';
	p = pidns_tree_put_str(p, pidns_tree_event_names[ev->type]);
	p = pidns_tree_put_id(p, ev->id);
	p = pidns_tree_put_nr(p, ev->pid, s->ns);
	switch (ev->type) {
	case PIDNS_TREE_FORK:
		p = pidns_tree_put_fork(p, s, ev);
		break;
	case PIDNS_TREE_EXEC:
		p = pidns_tree_put_id(p, pidns_tree_cgroup_id(ev->task,
							      s->cgroup_root));
		p = pidns_tree_put_comm(p, ev->comm);
		break;
	case PIDNS_TREE_EXIT:
		p = pidns_tree_put_id(p, (u32)ev->status);
		break;
	case PIDNS_TREE_REAP:
		/*
		 * A parent gone too may have been outside: its id only where
		 * nothing is (the initial namespace).
		 */
		if (!ev->a_id || (!ev->a && s->ns->level))
			p = pidns_tree_put_str(p, " ? ?");
		else if (!ev->a)
			p = pidns_tree_put_id(pidns_tree_put_str(p, " ?"),
					      ev->a_id);
		else
			p = pidns_tree_put_proc(p, ev->a, ev->a_id, s->ns);
		break;
	case PIDNS_TREE_ADOPT:
		p = pidns_tree_put_adopt(p, s, ev);
		break;
	}
	*p++ = '\n';
	return p - s->line;
}

size_t pidns_tree_format_lost(char *line, struct pidns_tree_sub *s)
{
	char *p = line;

	p = pidns_tree_put_u64(p, s->lost_seq);
	p = pidns_tree_put_id(p, s->lost_usec);
	p = pidns_tree_put_str(p, " lost");
	p = pidns_tree_put_id(p, s->lost);
	*p++ = '\n';
	return p - line;
}

/*
 * May @s see @ev?  Its process must have a pid in the subscriber's
 * namespace, and be visible to it under hidepid= (visible.c's rules, from
 * the credentials and the dumpability the event carries); an adoption
 * must also have a parent in that namespace.
 */
static bool pidns_tree_sub_sees(const struct pidns_tree_sub *s,
				const struct pidns_tree_event *ev)
{
	if (!pidns_tree_nr(ev->pid, s->ns))
		return false;
	if (ev->type == PIDNS_TREE_ADOPT && !pidns_tree_nr(ev->a, s->ns) &&
	    !(ev->b_known && pidns_tree_nr(ev->b, s->ns)))
		return false;
	if (s->sees_all || ev->pid == s->opener)
		return true;
	return ev->dumpable && pidns_tree_same_ids(s->cred, ev->cred);
}

static void pidns_tree_push(struct pidns_tree_sub *s,
			    const struct pidns_tree_event *ev, u64 seq, u64 usec)
{
	size_t len = pidns_tree_format(s, ev, seq, usec), lost_len = 0;
	char lost[64];

	if (s->lost)
		lost_len = pidns_tree_format_lost(lost, s);
	if (kfifo_avail(&s->ring) < len + lost_len) {
		s->lost++;
		s->lost_seq = seq;
		s->lost_usec = usec;
		return;
	}
	if (lost_len) {
		kfifo_in(&s->ring, lost, lost_len);
		s->lost = 0;
	}
	kfifo_in(&s->ring, s->line, len);
	s->wake = true;
}

/* Under the lock and RCU: numbers @ev and writes it for its subscribers. */
static void pidns_tree_emit(const struct pidns_tree_event *ev)
{
	u64 seq = atomic64_inc_return(&pidns_tree_seq);
	u64 usec = div_u64(ktime_get_ns(), NSEC_PER_USEC);
	struct pidns_tree_sub *s;
	bool wake = false;

	list_for_each_entry(s, &pidns_tree_subs, node) {
		if (!pidns_tree_sub_sees(s, ev))
			continue;
		pidns_tree_push(s, ev, seq, usec);
		wake |= s->wake;
	}
	if (wake && !timer_pending(&pidns_tree_wake_timer))
		mod_timer(&pidns_tree_wake_timer, jiffies + 1);
}

static void pidns_tree_wake(struct timer_list *timer)
{
	struct pidns_tree_sub *s;

	rcu_read_lock();
	list_for_each_entry_rcu(s, &pidns_tree_subs, node) {
		if (!READ_ONCE(s->wake))
			continue;
		WRITE_ONCE(s->wake, false);
		wake_up_interruptible_poll(&s->wait, EPOLLIN | EPOLLRDNORM);
	}
	rcu_read_unlock();
}

/* --- Adoptions ----------------------------------------------------------- */

static struct pidns_tree_exiting *pidns_tree_exiting_at(unsigned int i)
{
	return &pidns_tree_exiting[(pidns_tree_exiting_head + i) %
				   PIDNS_TREE_EXITING_MAX];
}

/*
 * May a child have been passed on since @e's thread handed it over?  Only
 * by the exit of a thread of a process that adopts (a child subreaper or
 * an init), which would be waiting here too, its exit_state set.
 */
static bool pidns_tree_passed_on(const struct pidns_tree_exiting *e)
{
	struct pidns_tree_exiting *o;
	unsigned int i;

	for (i = 0; i < pidns_tree_exiting_len; i++) {
		o = pidns_tree_exiting_at(i);
		if (o != e && o->thread && o->may_adopt &&
		    READ_ONCE(o->thread->exit_state))
			return true;
	}
	return false;
}

/* What became of @c, a child of @p, whose thread @e has exited. */
static void pidns_tree_check_child(const struct pidns_tree_exiting *e,
				   struct pidns_tree_proc *p,
				   struct pidns_tree_proc *c)
{
	struct pidns_tree_event ev = { .type = PIDNS_TREE_ADOPT };
	struct task_struct *leader, *rp;
	struct pidns_tree_proc *n;
	struct pid *np;

	leader = pid_task(c->tgid, PIDTYPE_TGID);
	if (!leader) {
		/* Released since: reaped by @p, or adopted and reaped at once. */
		pidns_tree_child_link(c, 0);
		return;
	}
	rp = rcu_dereference(leader->real_parent);
	np = pidns_tree_tgid(rp);
	if (np == p->tgid)
		return;
	ev.pid = c->tgid;
	ev.id = c->id;
	ev.cred = __task_cred(leader);
	ev.dumpable = c->dumpable;
	ev.a = p->tgid;
	ev.a_id = p->id;
	if (np == e->init)
		ev.rule = "init";
	else if (np && rp->signal->is_child_subreaper)
		ev.rule = "subreaper";
	if (ev.rule && !pidns_tree_passed_on(e)) {
		n = pidns_tree_proc_find(rp->signal, np);
		ev.b = np;
		ev.b_id = n ? n->id : 0;
		ev.b_known = true;
		ev.pidns = ns_of_pid(np)->ns.inum;
	}
	pidns_tree_emit(&ev);
	pidns_tree_child_link(c, ev.b_id);
}

/*
 * Checks @e unless its thread has not yet been through exit_notify() and
 * @now is false; returns whether it did.  exit_state is set after the
 * children moved, in the same tasklist_lock section.
 */
static bool pidns_tree_check_exiting(struct pidns_tree_exiting *e, bool now)
{
	struct pidns_tree_proc *p, *c;
	struct hlist_node *tmp;

	if (!now && !READ_ONCE(e->thread->exit_state))
		return false;
	/* The children's real_parent stores came before exit_state's. */
	smp_rmb();
	p = pidns_tree_proc_by_id(e->process_id);
	if (p) {
		hlist_for_each_entry_safe(c, tmp,
					  pidns_tree_children_of(e->process_id),
					  child_node) {
			if (c->parent_id == e->process_id)
				pidns_tree_check_child(e, p, c);
		}
	}
	e->thread = NULL;
	return true;
}

static void pidns_tree_exiting_trim(void)
{
	while (pidns_tree_exiting_len && !pidns_tree_exiting_at(0)->thread) {
		pidns_tree_exiting_head = (pidns_tree_exiting_head + 1) %
					  PIDNS_TREE_EXITING_MAX;
		pidns_tree_exiting_len--;
	}
}

/*
 * Under the lock and RCU: checks the exiting threads in order, up to the
 * first one still on its way to exit_notify().
 */
void pidns_tree_events_check(void)
{
	while (pidns_tree_exiting_len &&
	       pidns_tree_check_exiting(pidns_tree_exiting_at(0), false))
		pidns_tree_exiting_trim();
}

/*
 * @task is being freed, or @process_id's last task is: they are checked
 * now, out of order if need be.  Threads still waiting before them have
 * not moved their children yet, so nothing they will do can pass through
 * these.
 */
static void pidns_tree_check_freed(struct task_struct *task, u64 process_id)
{
	struct pidns_tree_exiting *e;
	unsigned int i;

	pidns_tree_events_check();
	for (i = 0; i < pidns_tree_exiting_len; i++) {
		e = pidns_tree_exiting_at(i);
		if (e->thread && (e->thread == task ||
				  (process_id && e->process_id == process_id)))
			pidns_tree_check_exiting(e, true);
	}
	pidns_tree_exiting_trim();
}

/*
 * @task, of process @p, starts to exit.  Children released before now
 * were reaped by @p: they leave the index, keeping @p as their parent.
 * If children are left, the thread waits to be checked; if there is no
 * room, their adoptions will not be told and their parent is unknown.
 */
static void pidns_tree_watch_exit(struct task_struct *task,
				  struct pidns_tree_proc *p)
{
	struct pid_namespace *ns = ns_of_pid(task_pid(task));
	struct task_struct *init = READ_ONCE(ns->child_reaper);
	struct pidns_tree_exiting *e;
	struct pidns_tree_proc *c;
	struct hlist_node *tmp;
	bool full = pidns_tree_exiting_len == PIDNS_TREE_EXITING_MAX;

	hlist_for_each_entry_safe(c, tmp, pidns_tree_children_of(p->id),
				  child_node) {
		if (c->parent_id != p->id)
			continue;
		if (!pid_task(c->tgid, PIDTYPE_TGID))
			pidns_tree_child_unlink(c);
		else if (full)
			pidns_tree_child_link(c, 0);
	}
	if (full)
		atomic_long_inc(&pidns_tree_nr_unwatched);
	if (full || !p->nr_children)
		return;
	e = pidns_tree_exiting_at(pidns_tree_exiting_len++);
	e->thread = task;
	e->process_id = p->id;
	e->init = init ? task_tgid(init) : NULL;
	e->may_adopt = task->signal->is_child_subreaper ||
		       (init && init->signal == task->signal);
	if (!timer_pending(&pidns_tree_timer))
		mod_timer(&pidns_tree_timer, jiffies + 1);
}

/*
 * RCU and the lock, for a probe, the timer, read() or poll(): true if
 * somebody streams, once the exiting threads due are checked.  Unlock
 * with pidns_tree_stream_unlock() either way.
 */
bool pidns_tree_stream_lock(unsigned long *flags)
{
	rcu_read_lock();
	raw_spin_lock_irqsave(&pidns_tree_lock, *flags);
	if (!pidns_tree_streaming)
		return false;
	pidns_tree_events_check();
	return true;
}

void pidns_tree_stream_unlock(unsigned long flags)
{
	raw_spin_unlock_irqrestore(&pidns_tree_lock, flags);
	rcu_read_unlock();
}

static void pidns_tree_check_timer(struct timer_list *timer)
{
	unsigned long flags;

	if (pidns_tree_stream_lock(&flags) && pidns_tree_exiting_len)
		mod_timer(&pidns_tree_timer, jiffies + 1);
	pidns_tree_stream_unlock(flags);
}

/* --- The events, from the probes ----------------------------------------- */

/* Under the lock and RCU, from origin.c's fork probe. */
void pidns_tree_event_fork(struct task_struct *caller,
			   struct task_struct *child,
			   struct pidns_tree_proc *proc)
{
	struct pidns_tree_event ev = { .type = PIDNS_TREE_FORK };
	struct task_struct *rp = rcu_dereference(child->real_parent);
	struct pidns_tree_proc *parent = pidns_tree_proc_of(rp);
	struct pidns_tree_proc *by = pidns_tree_proc_of(caller);
	struct pid_namespace *ns;

	ev.pid = task_tgid(child);
	ns = ns_of_pid(ev.pid);
	ev.id = proc ? proc->id : 0;
	ev.cred = __task_cred(child);
	ev.dumpable = proc ? proc->dumpable : pidns_tree_proc_dumpable(child);
	ev.a = pidns_tree_tgid(rp);
	ev.a_id = parent ? parent->id : 0;
	ev.b = pidns_tree_tgid(caller);
	ev.b_id = by ? by->id : 0;
	ev.task = child;
	ev.comm = child->comm;
	if (READ_ONCE(ns->child_reaper) == child)
		ev.ns_how = "new";
	else if (ns != ns_of_pid(task_pid(caller)))
		ev.ns_how = "join";
	else
		ev.ns_how = "-";
	ev.pidns = ns->ns.inum;
	if (proc)
		pidns_tree_child_link(proc, ev.a_id);
	pidns_tree_emit(&ev);
}

/* Under the lock and RCU, from origin.c's free probe, before @proc goes. */
void pidns_tree_event_free(struct task_struct *task,
			   struct pidns_tree_proc *proc)
{
	struct pidns_tree_event ev = { .type = PIDNS_TREE_REAP };
	struct pidns_tree_proc *parent;

	pidns_tree_check_freed(task, proc ? proc->id : 0);
	if (!proc)
		return;
	ev.pid = proc->tgid;
	ev.id = proc->id;
	ev.cred = __task_cred(task);
	ev.dumpable = proc->dumpable;
	ev.a_id = proc->parent_id;
	parent = ev.a_id ? pidns_tree_proc_by_id(ev.a_id) : NULL;
	ev.a = parent ? parent->tgid : NULL;
	pidns_tree_emit(&ev);
}

/* The event is about @task's process, whose record is @p (or NULL). */
static void pidns_tree_event_of(struct pidns_tree_event *ev,
				struct task_struct *task,
				const struct pidns_tree_proc *p)
{
	ev->pid = pidns_tree_tgid(task);
	ev->id = p ? p->id : 0;
	ev->cred = __task_cred(task);
}

/*
 * The status wait() reports for the process of @task, whose last thread
 * is exiting: the group's exit code after exit_group() or a fatal signal,
 * else its leader's (kernel/exit.c, wait_task_zombie()).
 */
static int pidns_tree_exit_status(struct task_struct *task)
{
	struct signal_struct *sig = task->signal;

	if (READ_ONCE(sig->flags) & SIGNAL_GROUP_EXIT)
		return READ_ONCE(sig->group_exit_code);
	return READ_ONCE(task->group_leader->exit_code);
}

/*
 * trace_sched_process_exit(), in do_exit() of every thread, before
 * exit_notify(): the process's exit event once its last thread gets here
 * (group_dead: from 7.2 the tracepoint says it, before that signal->live
 * has just dropped to 0, which more than one late thread may see: the
 * record says whether the event was written), then the watch for the
 * thread's children.
 */
static void pidns_tree_exited(struct task_struct *task, bool group_dead)
{
	struct pidns_tree_event ev = { .type = PIDNS_TREE_EXIT };
	struct pidns_tree_proc *p;
	unsigned long flags;

	if (!pidns_tree_stream_lock(&flags))
		goto out;
	p = pidns_tree_proc_of(task);
	if (group_dead && !(p && p->exited)) {
		if (p)
			p->exited = true;
		pidns_tree_event_of(&ev, task, p);
		ev.dumpable = p ? p->dumpable : true;
		ev.status = pidns_tree_exit_status(task);
		if (ev.pid)
			pidns_tree_emit(&ev);
	}
	if (p && p->nr_children)
		pidns_tree_watch_exit(task, p);
out:
	pidns_tree_stream_unlock(flags);
}

PIDNS_TREE_EXIT_PROBE(pidns_tree_on_exit, pidns_tree_exited);

/* trace_sched_process_exec(), once the new image is in place. */
static void pidns_tree_on_exec(void *data, struct task_struct *task,
			       pid_t old_pid, struct linux_binprm *bprm)
{
	struct pidns_tree_event ev = { .type = PIDNS_TREE_EXEC };
	struct pidns_tree_proc *p;
	unsigned long flags;

	if (!pidns_tree_stream_lock(&flags))
		goto out;
	p = pidns_tree_proc_of(task);
	ev.dumpable = pidns_tree_proc_dumpable(task);
	if (p)
		p->dumpable = ev.dumpable;
	pidns_tree_event_of(&ev, task, p);
	ev.task = task;
	ev.comm = task->comm;
	if (ev.pid)
		pidns_tree_emit(&ev);
out:
	pidns_tree_stream_unlock(flags);
}

/* --- Starting and stopping ----------------------------------------------- */

static void pidns_tree_set_streaming(bool on)
{
	unsigned long flags;

	raw_spin_lock_irqsave(&pidns_tree_lock, flags);
	pidns_tree_streaming = on;
	pidns_tree_exiting_head = 0;
	pidns_tree_exiting_len = 0;
	raw_spin_unlock_irqrestore(&pidns_tree_lock, flags);
}

/*
 * The first subscriber: hook exit and exec, then file every process under
 * its parent (origin.c).  Events start with the streaming flag, before
 * the hooks: a fork in between is filed, an exit not yet watched.
 */
int pidns_tree_stream_start(void)
{
	int err;

	pidns_tree_set_streaming(true);
	err = tracepoint_probe_register(pidns_tree_tp_exit, pidns_tree_on_exit,
					NULL);
	if (err)
		goto err_exit;
	err = tracepoint_probe_register(pidns_tree_tp_exec, pidns_tree_on_exec,
					NULL);
	if (err)
		goto err_exec;
	pidns_tree_procs_resync();
	return 0;

err_exec:
	tracepoint_probe_unregister(pidns_tree_tp_exit, pidns_tree_on_exit,
				    NULL);
err_exit:
	tracepoint_synchronize_unregister();
	pidns_tree_set_streaming(false);
	timer_delete_sync(&pidns_tree_timer);
	pr_warn("cannot hook sched_process_exit/exec (error %d): no event stream\n",
		err);
	return err;
}

/* The last subscriber left: unhook, forget the threads being watched. */
void pidns_tree_stream_stop(void)
{
	tracepoint_probe_unregister(pidns_tree_tp_exec, pidns_tree_on_exec,
				    NULL);
	tracepoint_probe_unregister(pidns_tree_tp_exit, pidns_tree_on_exit,
				    NULL);
	tracepoint_synchronize_unregister();
	pidns_tree_set_streaming(false);
	timer_delete_sync(&pidns_tree_timer);
	timer_delete_sync(&pidns_tree_wake_timer);
}

static void pidns_tree_find_tp(struct tracepoint *tp, void *priv)
{
	if (!strcmp(tp->name, PIDNS_TREE_TP("sched_process_exit")))
		pidns_tree_tp_exit = tp;
	else if (!strcmp(tp->name, PIDNS_TREE_TP("sched_process_exec")))
		pidns_tree_tp_exec = tp;
}

/* Finds the tracepoints; false if this kernel lacks one. */
bool pidns_tree_events_hook_init(void)
{
	/* As in origin.c: a probe that does not fit is a build error. */
	check_trace_callback_type_sched_process_exit(pidns_tree_on_exit);
	check_trace_callback_type_sched_process_exec(pidns_tree_on_exec);
	for_each_kernel_tracepoint(pidns_tree_find_tp, NULL);
	return pidns_tree_tp_exit && pidns_tree_tp_exec;
}

long pidns_tree_events_unwatched(void)
{
	return atomic_long_read(&pidns_tree_nr_unwatched);
}
