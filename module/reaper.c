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
 * every task in the namespace instead (zap_pid_ns_processes()).
 *
 * Called under rcu_read_lock().  Every ->thread_pid is read once: a task
 * can be unhashed at any moment, and its struct pid then reads as NULL.
 */

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
 * Step 2: the nearest live child subreaper above @father in the pid
 * namespace at @level, or NULL.
 */
static struct task_struct *pidns_tree_subreaper(struct task_struct *father,
						unsigned int level)
{
	struct task_struct *reaper = rcu_dereference(father->real_parent);

	for (; reaper != &init_task;
	     reaper = rcu_dereference(reaper->real_parent)) {
		struct pid *pid = READ_ONCE(reaper->thread_pid);

		if (!pid || pid->level != level)
			break;
		if (reaper->signal->is_child_subreaper &&
		    pidns_tree_has_live_thread(reaper))
			return reaper;
	}
	return NULL;
}

/*
 * Returns the adopter's tgid in @ns; 0 if it or @father is outside @ns,
 * or there is none (children of the idle task, or @father already
 * unhashed); or PIDNS_TREE_NS_DIES.
 */
pid_t pidns_tree_reaper(struct task_struct *father, struct pid_namespace *ns)
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
		reaper = pidns_tree_subreaper(father, pid->level);
	if (!reaper)
		reaper = child_reaper;

	return reaper ? pidns_tree_tgid_nr(reaper, ns) : 0;
}
