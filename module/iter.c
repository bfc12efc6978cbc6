// SPDX-License-Identifier: GPL-2.0
/*
 * The walk over every task, by pid number, as /proc's own readdir
 * (fs/proc/base.c, next_tgid) and the bpf task iterator do it.
 *
 * Position 0 is the header line.  Position N > 0 stands for the first task
 * whose pid in the reader's namespace is >= N, and once that task is found
 * the position becomes its pid.  Each lookup is find_ge_pid() under a short
 * RCU section, so a restarted read costs O(log n), a task that exists for
 * the whole read is listed exactly once, and no task pointer outlives
 * ->stop().
 */

#include <linux/fs.h>
#include <linux/pid.h>
#include <linux/pid_namespace.h>
#include <linux/proc_fs.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/sched/task.h>
#include <linux/threads.h>

#include "iter.h"

/* The namespace of the proc mount the file was opened through. */
struct pid_namespace *pidns_tree_iter_ns(struct seq_file *m)
{
	return proc_pid_ns(file_inode(m->file)->i_sb);
}

/*
 * Find the task with the smallest pid >= *pos in @ns and take a reference
 * on it; set *pos to that pid, or to the end when there is none.  A pid
 * with no task attached (a process group outliving its leader, a task not
 * yet attached or already detached) is stepped over.
 */
static struct task_struct *pidns_tree_get_task(struct pid_namespace *ns,
					       loff_t *pos)
{
	struct task_struct *task = NULL;
	struct pid *pid;
	int nr = *pos;

	rcu_read_lock();
	while ((pid = pidns_tree_find_ge_pid(nr, ns))) {
		nr = pid_nr_ns(pid, ns);
		task = pid_task(pid, PIDTYPE_PID);
		if (task) {
			get_task_struct(task);
			break;
		}
		nr++;
	}
	rcu_read_unlock();

	*pos = task ? nr : PIDNS_TREE_POS_END;
	return task;
}

void *pidns_tree_iter_start(struct seq_file *m, loff_t *pos)
{
	if (*pos == 0)
		return SEQ_START_TOKEN;
	if (*pos >= PIDNS_TREE_POS_END)
		return NULL;
	return pidns_tree_get_task(pidns_tree_iter_ns(m), pos);
}

/*
 * Advance from the pid number found, never from the task: a task that
 * exited since ->show() has no pid any more.
 */
void *pidns_tree_iter_next(struct seq_file *m, void *v, loff_t *pos)
{
	if (v != SEQ_START_TOKEN)
		put_task_struct(v);
	++*pos;
	if (*pos >= PIDNS_TREE_POS_END)
		return NULL;
	cond_resched();
	return pidns_tree_get_task(pidns_tree_iter_ns(m), pos);
}

void pidns_tree_iter_stop(struct seq_file *m, void *v)
{
	if (v && v != SEQ_START_TOKEN)
		put_task_struct(v);
}
