// SPDX-License-Identifier: GPL-2.0
/*
 * pidns_tree_floor: the floor tools/bench/bench measures /proc/pidns_tree
 * against.
 *
 * /proc/pidns_tree_floor walks the tasks of the reader's pid namespace with
 * the module's own walk: iter.c, copied from module/ at build time (make
 * floor), so the baseline never drifts from the walk it measures.  Only
 * ->show is its own: one "pid ppid comm" line per task, the task shown only
 * at the pid the walk found it at, as /proc/pidns_tree does.  No header, no
 * escaping, no hidepid= check: a measurement tool, not an ABI.
 */

#include <linux/fs.h>
#include <linux/module.h>
#include <linux/pid.h>
#include <linux/proc_fs.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/seq_file.h>

#include "iter.h"

static struct proc_dir_entry *floor_entry;

static int floor_show(struct seq_file *m, void *v)
{
	struct pid_namespace *ns = pidns_tree_iter_ns(m);
	struct task_struct *task = v;
	char comm[TASK_COMM_LEN];
	pid_t pid, ppid;

	if (v == SEQ_START_TOKEN)
		return 0;
	rcu_read_lock();
	pid = task_pid_nr_ns(task, ns);
	ppid = task_tgid_nr_ns(rcu_dereference(task->real_parent), ns);
	rcu_read_unlock();
	/* seq_file hands ->show the position the walk set: the task's pid. */
	if (pid != m->index)
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
	.start	= pidns_tree_iter_start,
	.next	= pidns_tree_iter_next,
	.stop	= pidns_tree_iter_stop,
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
