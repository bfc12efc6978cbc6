// SPDX-License-Identifier: GPL-2.0
/*
 * /proc/pidns_tree_events, the file: each open is a subscriber with its
 * own ring of lines (events.c writes them), read whole lines at a time;
 * read() blocks unless O_NONBLOCK, poll() and epoll work.  The first
 * subscriber starts the stream, the last one stops it.  See
 * Documentation/proc-pidns_tree_events.rst.
 */

#include <linux/cred.h>
#include <linux/fs.h>
#include <linux/kfifo.h>
#include <linux/mm.h>
#include <linux/mutex.h>
#include <linux/pid.h>
#include <linux/pid_namespace.h>
#include <linux/poll.h>
#include <linux/proc_fs.h>
#include <linux/rculist.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/wait.h>

#include "pidns_tree.h"
#include "process.h"
#include "stream.h"

static unsigned int pidns_tree_nr_subs;
static DEFINE_MUTEX(pidns_tree_subs_mutex);
static bool pidns_tree_stopping;
static bool pidns_tree_hooks;
static struct proc_dir_entry *pidns_tree_events_entry;

static struct pidns_tree_sub *pidns_tree_sub_alloc(struct file *file)
{
	struct pidns_tree_sub *s = kvzalloc(sizeof(*s), GFP_KERNEL_ACCOUNT);
	void *ring;

	if (!s)
		return NULL;
	ring = kvmalloc(PIDNS_TREE_RING_SIZE, GFP_KERNEL_ACCOUNT);
	if (!ring) {
		kvfree(s);
		return NULL;
	}
	kfifo_init(&s->ring, ring, PIDNS_TREE_RING_SIZE);
	init_waitqueue_head(&s->wait);
	mutex_init(&s->read_mutex);
	s->ns = get_pid_ns(proc_pid_ns(file_inode(file)->i_sb));
	s->opener = get_pid(task_tgid(current));
	s->cred = get_cred(file->f_cred);
	s->sees_all = pidns_tree_sees_all(file);
	s->cgroup_root = pidns_tree_cgroup_root();
	return s;
}

/*
 * Pollers first: epoll's entries go with wake_up_pollfree(); those of a
 * poll() or select() that the proc file's removal overtook leave when
 * their task wakes up, and the queue must outlive them.
 */
static void pidns_tree_sub_free(struct pidns_tree_sub *s)
{
	wake_up_pollfree(&s->wait);
	/* Pollers remove themselves under the queue's lock, then wake. */
	while (waitqueue_active(&s->wait))
		schedule_timeout_uninterruptible(1);
	pidns_tree_cgroup_put(s->cgroup_root);
	put_cred(s->cred);
	put_pid(s->opener);
	put_pid_ns(s->ns);
	kvfree(s->ring.kfifo.data);
	kvfree(s);
}

/* The first line, then every event after it. */
static void pidns_tree_subscribe(struct pidns_tree_sub *s)
{
	unsigned long flags;
	char *p;

	raw_spin_lock_irqsave(&pidns_tree_lock, flags);
	p = pidns_tree_put_str(s->line, "# pidns_tree_events ");
	p = pidns_tree_put_u32(p, PIDNS_TREE_EVENTS_FORMAT);
	p = pidns_tree_put_id(p, pidns_tree_events_seq());
	*p++ = '\n';
	kfifo_in(&s->ring, s->line, p - s->line);
	list_add_tail_rcu(&s->node, &pidns_tree_subs);
	raw_spin_unlock_irqrestore(&pidns_tree_lock, flags);
}

static int pidns_tree_events_open(struct inode *inode, struct file *file)
{
	struct pidns_tree_sub *s;
	int err;

	if ((file->f_mode & FMODE_WRITE) || (file->f_flags & O_TRUNC))
		return -EACCES;
	if (!pidns_tree_hooks || !pidns_tree_origin_hooked())
		return -EOPNOTSUPP;
	s = pidns_tree_sub_alloc(file);
	if (!s)
		return -ENOMEM;
	mutex_lock(&pidns_tree_subs_mutex);
	err = -ENODEV;
	if (pidns_tree_stopping)
		goto err;
	err = -EBUSY;
	if (pidns_tree_nr_subs == PIDNS_TREE_SUBS_MAX)
		goto err;
	if (!pidns_tree_nr_subs) {
		err = pidns_tree_stream_start();
		if (err)
			goto err;
	}
	pidns_tree_nr_subs++;
	pidns_tree_subscribe(s);
	mutex_unlock(&pidns_tree_subs_mutex);
	file->private_data = s;
	return nonseekable_open(inode, file);

err:
	mutex_unlock(&pidns_tree_subs_mutex);
	pidns_tree_sub_free(s);
	return err;
}

static int pidns_tree_events_release(struct inode *inode, struct file *file)
{
	struct pidns_tree_sub *s = file->private_data;
	unsigned long flags;

	mutex_lock(&pidns_tree_subs_mutex);
	raw_spin_lock_irqsave(&pidns_tree_lock, flags);
	list_del_rcu(&s->node);
	raw_spin_unlock_irqrestore(&pidns_tree_lock, flags);
	if (!--pidns_tree_nr_subs)
		pidns_tree_stream_stop();
	mutex_unlock(&pidns_tree_subs_mutex);
	/* pidns_tree_wake() may still be looking at it. */
	synchronize_rcu();
	pidns_tree_sub_free(s);
	return 0;
}

static bool pidns_tree_sub_ready(struct pidns_tree_sub *s)
{
	unsigned long flags;
	bool ready;

	pidns_tree_stream_lock(&flags);
	ready = !kfifo_is_empty(&s->ring) || s->lost;
	pidns_tree_stream_unlock(flags);
	return ready;
}

/*
 * Whole lines, up to @count bytes, into s->out; 0 if there is none,
 * -EINVAL if the next one is longer than @count.  A loss not yet told is
 * told once the ring is empty.
 */
static ssize_t pidns_tree_take(struct pidns_tree_sub *s, size_t count)
{
	unsigned long flags;
	ssize_t n, len;

	raw_spin_lock_irqsave(&pidns_tree_lock, flags);
	n = kfifo_out_peek(&s->ring, s->out, min_t(size_t, count,
						   PIDNS_TREE_OUT_SIZE));
	for (len = n; len > 0 && s->out[len - 1] != '\n'; len--)
		;
	if (len) {
		n = kfifo_out(&s->ring, s->out, len);
	} else if (n) {
		n = -EINVAL;
	} else if (s->lost) {
		n = pidns_tree_format_lost(s->line, s);
		if (n <= count) {
			memcpy(s->out, s->line, n);
			s->lost = 0;
		} else {
			n = -EINVAL;
		}
	}
	raw_spin_unlock_irqrestore(&pidns_tree_lock, flags);
	return n;
}

static ssize_t pidns_tree_events_read(struct file *file, char __user *buf,
				      size_t count, loff_t *ppos)
{
	struct pidns_tree_sub *s = file->private_data;
	ssize_t n;

	if (mutex_lock_interruptible(&s->read_mutex))
		return -ERESTARTSYS;
	for (;;) {
		if (!pidns_tree_sub_ready(s) && READ_ONCE(pidns_tree_stopping)) {
			n = 0;
			break;
		}
		n = pidns_tree_take(s, count);
		if (n)
			break;
		n = -EAGAIN;
		if (file->f_flags & O_NONBLOCK)
			break;
		n = wait_event_interruptible(s->wait, pidns_tree_sub_ready(s) ||
					     READ_ONCE(pidns_tree_stopping));
		if (n)
			break;
	}
	if (n > 0 && copy_to_user(buf, s->out, n))
		n = -EFAULT;
	mutex_unlock(&s->read_mutex);
	return n;
}

static __poll_t pidns_tree_events_poll(struct file *file, poll_table *wait)
{
	struct pidns_tree_sub *s = file->private_data;

	poll_wait(file, &s->wait, wait);
	if (pidns_tree_sub_ready(s))
		return EPOLLIN | EPOLLRDNORM;
	if (READ_ONCE(pidns_tree_stopping))
		return EPOLLIN | EPOLLRDNORM | EPOLLHUP;
	return 0;
}

static const struct proc_ops pidns_tree_events_ops = {
	.proc_open	= pidns_tree_events_open,
	.proc_read	= pidns_tree_events_read,
	.proc_poll	= pidns_tree_events_poll,
	.proc_lseek	= noop_llseek,
	.proc_release	= pidns_tree_events_release,
};

int pidns_tree_events_init(void)
{
	pidns_tree_hooks = pidns_tree_events_hook_init();
	pidns_tree_events_entry = proc_create("pidns_tree_events", 0444, NULL,
					      &pidns_tree_events_ops);
	if (!pidns_tree_events_entry) {
		pr_err("cannot create /proc/pidns_tree_events: out of memory, or the name is taken\n");
		return -ENOMEM;
	}
	return 0;
}

/*
 * Blocked readers return 0 and pollers are woken, then proc_remove()
 * waits for those inside the file and releases every open one: the last
 * release unhooks the probes.
 */
void pidns_tree_events_exit(void)
{
	struct pidns_tree_sub *s;

	mutex_lock(&pidns_tree_subs_mutex);
	WRITE_ONCE(pidns_tree_stopping, true);
	list_for_each_entry(s, &pidns_tree_subs, node)
		wake_up_interruptible_all(&s->wait);
	mutex_unlock(&pidns_tree_subs_mutex);
	proc_remove(pidns_tree_events_entry);
}
