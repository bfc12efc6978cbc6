// SPDX-License-Identifier: GPL-2.0
/*
 * pidns_tree: /proc/pidns_tree, one line per task with its real parent,
 * parent, tracer, child-subreaper status, would-be adopter, pid namespace
 * and pid at every namespace level, first parent and cgroup, as seen from
 * the proc mount's namespace.
 */

#include <linux/fs.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/pid.h>
#include <linux/proc_fs.h>
#include <linux/sched/signal.h>
#include <linux/seq_file.h>

#include "iter.h"
#include "pidns_tree.h"

static struct proc_dir_entry *pidns_tree_entry;

/*
 * The last line, after the walk, at PIDNS_TREE_POS_END: the event stream's
 * sequence number then.  Not a task: the iterator never sees it.
 */
#define PIDNS_TREE_END_TOKEN	((void *)2)

static int pidns_tree_show(struct seq_file *m, void *v)
{
	struct pidns_tree_reader *reader = m->private;

	if (v == SEQ_START_TOKEN) {
		pidns_tree_show_header(m);
		return 0;
	}
	if (v == PIDNS_TREE_END_TOKEN) {
		seq_printf(m, "# seq_after %llu\n", pidns_tree_events_seq());
		return 0;
	}
	if (!reader->sees_all && !pidns_tree_visible(m, v))
		return SEQ_SKIP;
	/* seq_file hands ->show the position ->start or ->next set: its pid. */
	return pidns_tree_show_task(m, pidns_tree_iter_ns(m), v, m->index);
}

/* A pass over the file starts at 0: it forgets what the last one found. */
static void *pidns_tree_start(struct seq_file *m, loff_t *pos)
{
	if (*pos == 0)
		pidns_tree_forget_memo(m->private);
	if (*pos == PIDNS_TREE_POS_END)
		return PIDNS_TREE_END_TOKEN;
	return pidns_tree_iter_start(m, pos);
}

/* The walk ends at PIDNS_TREE_POS_END, which is the last line's. */
static void *pidns_tree_next(struct seq_file *m, void *v, loff_t *pos)
{
	void *next;

	if (v == PIDNS_TREE_END_TOKEN) {
		++*pos;
		return NULL;
	}
	next = pidns_tree_iter_next(m, v, pos);
	if (!next && *pos == PIDNS_TREE_POS_END)
		return PIDNS_TREE_END_TOKEN;
	return next;
}

static void pidns_tree_stop(struct seq_file *m, void *v)
{
	if (v != PIDNS_TREE_END_TOKEN)
		pidns_tree_iter_stop(m, v);
	pidns_tree_forget_process(m->private);
}

static const struct seq_operations pidns_tree_seq_ops = {
	.start	= pidns_tree_start,
	.next	= pidns_tree_next,
	.stop	= pidns_tree_stop,
	.show	= pidns_tree_show,
};

/*
 * seq_file's buffer, sized at open() as single_open_size() does: one
 * read() returns at most one buffer.  seq_file's own first buffer is a
 * page, about 50 lines of this file, and every page then costs a read()
 * and a restart of the walk (->start looks the position up again): under
 * TCG, with 20k tasks, a cat of the file took 0.60 s with one page and
 * 0.36 s with four (Documentation/benchmark.md).  Four pages hold about
 * 200 lines.
 */
#define PIDNS_TREE_BUF_SIZE	(4 * PAGE_SIZE)

/*
 * Read-only for everyone, root included.  O_TRUNC is refused too: the VFS
 * truncates only after ->open() succeeds (do_open() in fs/namei.c).
 */
static int pidns_tree_open(struct inode *inode, struct file *file)
{
	struct pidns_tree_reader *reader;
	struct seq_file *m;

	if ((file->f_mode & FMODE_WRITE) || (file->f_flags & O_TRUNC))
		return -EACCES;
	reader = __seq_open_private(file, &pidns_tree_seq_ops, sizeof(*reader));
	if (!reader)
		return -ENOMEM;
	/* seq_read_iter() then allocates none; seq_release() frees it. */
	m = file->private_data;
	m->buf = kvmalloc(PIDNS_TREE_BUF_SIZE, GFP_KERNEL_ACCOUNT);
	if (!m->buf) {
		seq_release_private(inode, file);
		return -ENOMEM;
	}
	m->size = PIDNS_TREE_BUF_SIZE;
	reader->sees_all = pidns_tree_sees_all(file);
	reader->opener = get_pid(task_tgid(current));
	reader->cgroup_root = pidns_tree_cgroup_root();
	return 0;
}

static int pidns_tree_release(struct inode *inode, struct file *file)
{
	struct seq_file *m = file->private_data;
	struct pidns_tree_reader *reader = m->private;

	pidns_tree_forget_process(reader);
	pidns_tree_forget_memo(reader);
	put_pid(reader->opener);
	pidns_tree_cgroup_put(reader->cgroup_root);
	return seq_release_private(inode, file);
}

static const struct proc_ops pidns_tree_proc_ops = {
	.proc_open	= pidns_tree_open,
	.proc_read_iter	= seq_read_iter,
	.proc_lseek	= seq_lseek,
	.proc_release	= pidns_tree_release,
};

static int __init pidns_tree_init(void)
{
	pidns_tree_origin_init();
	pidns_tree_entry = proc_create("pidns_tree", 0444, NULL,
				       &pidns_tree_proc_ops);
	if (!pidns_tree_entry) {
		pr_err("cannot create /proc/pidns_tree: out of memory, or the name is taken (then a proc_dir_entry warning precedes this)\n");
		goto err_proc;
	}
	if (pidns_tree_events_init())
		goto err_events;
	pidns_tree_stats_init();
	pr_info("version " PIDNS_TREE_VERSION " loaded: read /proc/pidns_tree\n");
	return 0;

err_events:
	proc_remove(pidns_tree_entry);
err_proc:
	pidns_tree_origin_exit();
	return -ENOMEM;
}

/*
 * Readers first: proc_remove() waits for those inside the files (the
 * stream wakes its blocked readers first), then the probes go.
 */
static void __exit pidns_tree_exit(void)
{
	pidns_tree_stats_exit();
	pidns_tree_events_exit();
	proc_remove(pidns_tree_entry);
	pidns_tree_origin_exit();
}

module_init(pidns_tree_init);
module_exit(pidns_tree_exit);

MODULE_LICENSE("GPL");
MODULE_AUTHOR("The pidns_tree developers");
MODULE_DESCRIPTION("/proc/pidns_tree: parents, tracers, subreapers, adopters and pid namespaces of every task");
MODULE_VERSION(PIDNS_TREE_VERSION);
