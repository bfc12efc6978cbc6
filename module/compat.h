/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What differs between the kernels pidns_tree builds for, in one place.
 *
 * Kbuild includes this file first in every object (-include) and defines
 * PIDNS_TREE_COMPAT_* from the feature probes of module/compat.mk, which
 * look at the kernel tree itself, never at its version.  The .c files use
 * the pidns_tree_* names below and hold no version check.
 */
#ifndef PIDNS_TREE_COMPAT_H
#define PIDNS_TREE_COMPAT_H

/*
 * find_ge_pid(nr, ns): the pid with the smallest number >= nr in ns, under
 * rcu_read_lock().  Not exported by 5.10, whose find_ge_pid() is exactly
 * idr_get_next(&ns->idr, &nr) (kernel/pid.c); idr_get_next() is exported.
 */
#ifdef PIDNS_TREE_COMPAT_NO_FIND_GE_PID
#include <linux/idr.h>
#include <linux/pid_namespace.h>

static inline struct pid *pidns_tree_find_ge_pid(int nr,
						 struct pid_namespace *ns)
{
	return idr_get_next(&ns->idr, &nr);
}
#else
#define pidns_tree_find_ge_pid(nr, ns) find_ge_pid(nr, ns)
#endif

/*
 * kmalloc_size_roundup(size): what kmalloc(size) really takes, new in 6.1.
 * Before, ksize() of such an allocation tells the same (may sleep).
 */
#ifdef PIDNS_TREE_COMPAT_NO_KMALLOC_SIZE_ROUNDUP
#include <linux/slab.h>

static inline size_t pidns_tree_kmalloc_size_roundup(size_t size)
{
	void *p = kmalloc(size, GFP_KERNEL);
	size_t n = p ? ksize(p) : size;

	kfree(p);
	return n;
}
#else
#define pidns_tree_kmalloc_size_roundup(size) kmalloc_size_roundup(size)
#endif

/*
 * Is @task dumpable by its owner (what __ptrace_may_access() asks after the
 * ids matched)?  @mm is @task->mm, non-NULL, read under task_lock(task).
 *
 * Up to 7.1 that is get_dumpable(mm) == SUID_DUMP_USER.  7.2 moved it to
 * task->exec_state (include/linux/sched/exec_state.h): an RCU-managed
 * struct shared by CLONE_VM siblings, replaced at execve() and freed with
 * call_rcu(); its accessor task_exec_state_get_dumpable() is not exported.
 * So read it as that accessor and 7.2's __ptrace_may_access() do:
 * rcu_dereference() of task->exec_state under rcu_read_lock(), then
 * READ_ONCE() of ->dumpable.  The caller's task reference keeps the task's
 * exec_state (put only in free_task()); task_lock() is alloc_lock, which
 * task_exec_state_replace() also holds, so the value is the one that goes
 * with @mm.  A task whose exec_state is not set yet (never seen by a
 * reader: it is set before the task is hashed) counts as not dumpable.
 * mm-less tasks share init_task's exec_state, TASK_DUMPABLE_OWNER, as the
 * caller's "no mm: dumpable" already says.
 */
#ifdef PIDNS_TREE_COMPAT_EXEC_STATE
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/sched/exec_state.h>

static inline bool pidns_tree_owner_dumpable(struct task_struct *task,
					     struct mm_struct *mm)
{
	struct task_exec_state *es;
	bool dumpable;

	rcu_read_lock();
	es = rcu_dereference(task->exec_state);
	dumpable = es && READ_ONCE(es->dumpable) == TASK_DUMPABLE_OWNER;
	rcu_read_unlock();
	return dumpable;
}
#else
#include <linux/sched/coredump.h>

#define pidns_tree_owner_dumpable(task, mm) \
	(get_dumpable(mm) == SUID_DUMP_USER)
#endif

/*
 * The sched_process_exit tracepoint: TP_PROTO(struct task_struct *p) up to
 * 7.1, (p, bool group_dead) since.  PIDNS_TREE_EXIT_PROBE(probe, fn)
 * defines a probe that calls fn(task, group_dead): before 7.2, group_dead
 * is whether the last thread's do_exit() has dropped signal->live to 0.
 */
#ifdef PIDNS_TREE_COMPAT_EXIT_GROUP_DEAD
#define PIDNS_TREE_EXIT_PROBE(probe, fn)				\
static void probe(void *data, struct task_struct *task, bool group_dead) \
{									\
	fn(task, group_dead);						\
}
#else
#define PIDNS_TREE_EXIT_PROBE(probe, fn)				\
static void probe(void *data, struct task_struct *task)		\
{									\
	fn(task, atomic_read(&task->signal->live) == 0);		\
}
#endif

#endif /* PIDNS_TREE_COMPAT_H */
