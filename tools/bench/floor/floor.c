// SPDX-License-Identifier: GPL-2.0
/*
 * pidns_tree_floor: the floor tools/bench/bench measures /proc/pidns_tree against.
 *
 * /proc/pidns_tree_floor lists every task of the reader's pid namespace, one
 * "pid ppid comm" line each, by the same restartable walk as module/iter.c:
 * position = pid number, find_ge_pid() under a short RCU section, a task
 * reference held from ->start/->next to the next step, seq_file streaming.
 * Whatever /proc/pidns_tree costs above this is the price of its columns.
 * No header, no escaping, no hidepid= check: a measurement tool, not an ABI.
 */

#include <linux/fs.h>
#include <linux/module.h>
#include <linux/pid.h>
#include <linux/pid_namespace.h>
#include <linux/proc_fs.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/sched/task.h>
#include <linux/seq_file.h>
#include <linux/threads.h>

#define FLOOR_POS_END	((loff_t)PID_MAX_LIMIT + 1)

static struct proc_dir_entry *floor_entry;

static struct pid_namespace *floor_ns(struct seq_file *m)
{
	return proc_pid_ns(file_inode(m->file)->i_sb);
}

/* The task with the smallest pid >= *pos, referenced; *pos becomes its pid. */
static struct task_struct *floor_get_task(struct pid_namespace *ns,
					  loff_t *pos)
{
	struct task_struct *task = NULL;
	struct pid *pid;
	int nr = *pos;

	rcu_read_lock();
	while ((pid = find_ge_pid(nr, ns))) {
		nr = pid_nr_ns(pid, ns);
		task = pid_task(pid, PIDTYPE_PID);
		if (task) {
			get_task_struct(task);
			break;
		}
		nr++;
	}
	rcu_read_unlock();

	*pos = task ? nr : FLOOR_POS_END;
	return task;
}

static void *floor_start(struct seq_file *m, loff_t *pos)
{
	if (*pos >= FLOOR_POS_END)
		return NULL;
	return floor_get_task(floor_ns(m), pos);
}

static void *floor_next(struct seq_file *m, void *v, loff_t *pos)
{
	put_task_struct(v);
	++*pos;
	if (*pos >= FLOOR_POS_END)
		return NULL;
	cond_resched();
	return floor_get_task(floor_ns(m), pos);
}

static void floor_stop(struct seq_file *m, void *v)
{
	if (v)
		put_task_struct(v);
}

static int floor_show(struct seq_file *m, void *v)
{
	struct pid_namespace *ns = floor_ns(m);
	struct task_struct *task = v;
	char comm[TASK_COMM_LEN];
	pid_t pid, ppid;

	rcu_read_lock();
	pid = task_pid_nr_ns(task, ns);
	ppid = task_tgid_nr_ns(rcu_dereference(task->real_parent), ns);
	rcu_read_unlock();
	if (!pid)
		return SEQ_SKIP;
	get_task_comm(comm, task);

	seq_put_decimal_ull(m, "", pid);
	seq_put_decimal_ull(m, " ", ppid);
	seq_putc(m, ' ');
	seq_puts(m, comm);
	seq_putc(m, '\n');
	return 0;
}

static const struct seq_operations floor_seq_ops = {
	.start	= floor_start,
	.next	= floor_next,
	.stop	= floor_stop,
	.show	= floor_show,
};

static int floor_open(struct inode *inode, struct file *file)
{
	return seq_open(file, &floor_seq_ops);
}

static const struct proc_ops floor_proc_ops = {
	.proc_open	= floor_open,
	.proc_read_iter	= seq_read_iter,
	.proc_lseek	= seq_lseek,
	.proc_release	= seq_release,
};

static int __init floor_init(void)
{
	floor_entry = proc_create("pidns_tree_floor", 0444, NULL,
				  &floor_proc_ops);
	return floor_entry ? 0 : -ENOMEM;
}

static void __exit floor_exit(void)
{
	proc_remove(floor_entry);
}

module_init(floor_init);
module_exit(floor_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("/proc/pidns_tree_floor: the walk of /proc/pidns_tree, printing only pid ppid comm (a benchmark floor)");

