// SPDX-License-Identifier: GPL-2.0
/*
 * Who would adopt a task if its real parent's whole process exited now?
 *
 * This mirrors kernel/exit.c: exit_notify() -> forget_original_parent()
 * -> find_child_reaper() and find_new_reaper().  When the thread @father
 * exits, its children go to, in order:
 *
 *  1. another live thread of @father's own process.  The question here is
 *     what happens when the whole process is gone, so this step is skipped;
 *  2. only if @father's process has ->has_child_subreaper (set at fork and
 *     by PR_SET_CHILD_SUBREAPER on an ancestor, never cleared): the nearest
 *     ancestor, following ->real_parent while it stays in @father's pid
 *     namespace (same pid level) and stopping at the idle task, that is a
 *     child subreaper and still has a live thread;
 *  3. otherwise the namespace's ->child_reaper, its init.
 *
 * If @father's process is itself the init of its namespace, its exit kills
 * every task in the namespace instead (zap_pid_ns_processes()); the init
 * of the initial namespace never exits while the system runs (it would
 * panic), and the children of the idle task (init and kthreadd) have
 * nobody to adopt them.
 *
 * Called under rcu_read_lock().  Every ->thread_pid is read once: a task
 * can be unhashed at any moment, and its struct pid then reads as NULL.
 */

#include <linux/hash.h>
#include <linux/pid.h>
#include <linux/pid_namespace.h>
#include <linux/rculist.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/sched/task.h>

#include "pidns_tree.h"

/*
 * find_alive_thread(), as a yes/no question.  The list is walked as
 * for_each_thread() does, without the lockdep condition 6.12 gives it:
 * with PROVE_RCU_LIST that names tasklist_lock, which modules cannot link
 * against, and under rcu_read_lock() the walk needs no lock.
 */
static bool pidns_tree_has_live_thread(struct task_struct *p)
{
	struct task_struct *t;

	list_for_each_entry_rcu(t, &p->signal->thread_head, thread_node) {
		if (!(READ_ONCE(t->flags) & PF_EXITING))
			return true;
	}
	return false;
}

/*
 * The process of @tgid if it is still a child subreaper with a live
 * thread, else NULL.
 */
static struct task_struct *pidns_tree_live_subreaper(struct pid *tgid)
{
	struct task_struct *p = pid_task(tgid, PIDTYPE_TGID);

	if (p && p->signal->is_child_subreaper && pidns_tree_has_live_thread(p))
		return p;
	return NULL;
}

static struct pidns_tree_memo *pidns_tree_memo_slot(struct pidns_tree_reader *reader,
						    struct pid *task)
{
	return &reader->memo[hash_ptr(task, PIDNS_TREE_MEMO_BITS)];
}

/*
 * Whether the pass in progress found the answer above the task of @task,
 * and it still holds: *@reaper is then the subreaper (NULL: none).
 */
static bool pidns_tree_memo_get(struct pidns_tree_reader *reader,
				struct pid *task, struct task_struct **reaper)
{
	struct pidns_tree_memo *e = pidns_tree_memo_slot(reader, task);

	if (e->task != task)
		return false;
	*reaper = e->reaper ? pidns_tree_live_subreaper(e->reaper) : NULL;
	return !e->reaper || *reaper;
}

static void pidns_tree_memo_set(struct pidns_tree_reader *reader,
				struct pid *task, struct task_struct *reaper)
{
	struct pidns_tree_memo *e = pidns_tree_memo_slot(reader, task);
	struct pid *found = reaper ? pidns_tree_tgid(reaper) : NULL;

	if (reaper && !found)
		return;
	if (e->task != task) {
		put_pid(e->task);
		e->task = get_pid(task);
	}
	if (e->reaper != found) {
		put_pid(e->reaper);
		e->reaper = get_pid(found);
	}
}

/* Drops what the pass remembered: a new pass walks afresh. */
void pidns_tree_forget_memo(struct pidns_tree_reader *reader)
{
	struct pidns_tree_memo *e;

	for (e = reader->memo; e < reader->memo + ARRAY_SIZE(reader->memo); e++) {
		put_pid(e->task);
		put_pid(e->reaper);
		e->task = NULL;
		e->reaper = NULL;
	}
}

/*
 * Step 2: the nearest live child subreaper above @father, whose struct pid
 * is @pid, in its pid namespace, or NULL.
 *
 * The kernel walks every ancestor, and a chain of d processes below a
 * subreaper, which any user can build, would cost a read d * d / 2 steps.
 * So the answer above each father is remembered for the rest of the pass
 * (a direct-mapped table of 64, by struct pid), and the walk stops at the
 * first ancestor whose answer is remembered: in a chain, whose members
 * the walk by pid number meets in order, each line costs one step.  A
 * remembered subreaper is used only while it is still a child subreaper
 * with a live thread, so one that exits or clears its flag mid-pass is
 * never named.  Reparenting does not change the answer: an orphan goes to
 * a thread of its parent's process, to the nearest live subreaper, or,
 * when there is none, to the namespace's init.  What the pass can miss is
 * a process that becomes a child subreaper after the pass started, as the
 * walk itself misses one that does so after passing it.
 */
static struct task_struct *pidns_tree_subreaper(struct pidns_tree_reader *reader,
						struct task_struct *father,
						struct pid *pid)
{
	struct task_struct *t = father, *p, *reaper = NULL;
	struct pid *ppid;

	if (pidns_tree_memo_get(reader, pid, &reaper))
		return reaper;
	for (;;) {
		p = rcu_dereference(t->real_parent);
		if (p == &init_task)
			break;
		ppid = READ_ONCE(p->thread_pid);
		/*
		 * An ancestor unhashed under us: its children are being
		 * handed on.  Answer as the kernel's walk would now, but do
		 * not remember an answer cut short by a moment.
		 */
		if (!ppid)
			return NULL;
		if (ppid->level != pid->level)
			break;
		if (p->signal->is_child_subreaper &&
		    pidns_tree_has_live_thread(p)) {
			reaper = p;
			break;
		}
		if (pidns_tree_memo_get(reader, ppid, &reaper))
			break;
		t = p;
	}
	pidns_tree_memo_set(reader, pid, reaper);
	return reaper;
}

/*
 * Returns the adopter's tgid in @ns; 0 if it or @father is outside @ns,
 * or there is none (children of the idle task, or @father already
 * unhashed); or PIDNS_TREE_NS_DIES.
 */
pid_t pidns_tree_reaper(struct pidns_tree_reader *reader,
			struct task_struct *father, struct pid_namespace *ns)
{
	struct task_struct *child_reaper, *reaper = NULL;
	struct pid *pid;

	if (father == &init_task)
		return 0;
	/*
	 * A parent outside the reader's namespace has its adopter outside
	 * too (in its own namespace or above): say nothing about either.
	 */
	pid = READ_ONCE(father->thread_pid);
	if (!pid || !pidns_tree_nr(pid, ns))
		return 0;

	child_reaper = READ_ONCE(ns_of_pid(pid)->child_reaper);
	if (child_reaper && same_thread_group(child_reaper, father))
		return PIDNS_TREE_NS_DIES;

	if (father->signal->has_child_subreaper)
		reaper = pidns_tree_subreaper(reader, father, pid);
	if (!reaper)
		reaper = child_reaper;

	return reaper ? pidns_tree_tgid_nr(reaper, ns) : 0;
}
