// SPDX-License-Identifier: GPL-2.0
/*
 * Each process's first parent: the process the kernel first made its real
 * parent when it was forked.  The kernel forgets it as soon as the process
 * is reparented (forget_original_parent() in kernel/exit.c), so it is kept
 * here, from the sched_process_fork tracepoint until sched_process_free.
 *
 * A record is found by the process's signal_struct, which every thread
 * shares and which stays the same across exec, de_thread() included, and
 * is checked against the process's thread-group struct pid, on which it
 * holds a reference: a signal_struct freed and reused at the same address
 * for a newer process can never hand that process this record.  It holds
 * a reference on the first parent's thread-group struct pid too, so that a
 * process that exited is never mistaken for a newer one that reuses its
 * number, and on the credentials that parent had then, which decide
 * whether a reader under hidepid= may see its name once it has exited
 * (visible.c); and that process's name when it forked this one.
 *
 * Up to Linux 6.12 the probes run with preemption disabled, on PREEMPT_RT
 * too; since 7.2 they run preemptible under SRCU.  They take what they
 * rely on themselves (rcu_read_lock(), the lock below) and sleep nowhere.
 * On PREEMPT_RT they allocate nothing, since even an atomic allocation
 * takes sleeping locks there: records come from a pool that a work item
 * refills, and go back to it through call_rcu(), after which nobody can be
 * looking at them.  Elsewhere a fork that finds the pool empty makes one
 * record with an atomic allocation.  One raw spinlock, taken with
 * interrupts off because sched_process_free runs in an RCU callback,
 * guards the pool and the table's chains against each other's writers, as
 * pidmap_lock guards pid allocation on every fork; lookups take no lock,
 * under RCU.
 */

#include <linux/atomic.h>
#include <linux/cred.h>
#include <linux/debugfs.h>
#include <linux/hash.h>
#include <linux/list.h>
#include <linux/pid.h>
#include <linux/rculist.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <linux/tracepoint.h>
#include <linux/workqueue.h>
#include <trace/events/sched.h>

#include "pidns_tree.h"

#define PIDNS_TREE_ORIGIN_BITS	14

/*
 * The pool is refilled to POOL_HIGH once it falls below POOL_LOW.  A test
 * build (Kbuild: PIDNS_TREE_TEST_TINY_POOL=y) has a tiny pool, refilled
 * only REFILL_DELAY after it runs low, and no atomic allocation, so that
 * selftests/origin can empty it on purpose.
 */
#ifdef PIDNS_TREE_TEST_TINY_POOL
#define PIDNS_TREE_POOL_HIGH	16
#define PIDNS_TREE_POOL_LOW	8
#define PIDNS_TREE_REFILL_DELAY	(2 * HZ)
#define PIDNS_TREE_ALLOC_IN_PROBE	false
#else
#define PIDNS_TREE_POOL_HIGH	1024
#define PIDNS_TREE_POOL_LOW	512
#define PIDNS_TREE_REFILL_DELAY	0
#define PIDNS_TREE_ALLOC_IN_PROBE	(!IS_ENABLED(CONFIG_PREEMPT_RT))
#endif

struct pidns_tree_origin {
	struct hlist_node node;		/* in a bucket, or in the pool */
	const struct signal_struct *process;	/* the key */
	struct pid *tgid;		/* the process (a reference) */
	struct pid *parent;		/* the first parent's thread group */
	const struct cred *cred;	/* its credentials then */
	char comm[TASK_COMM_LEN];	/* its name then */
	struct rcu_head rcu;
};

static struct hlist_head pidns_tree_origins[1 << PIDNS_TREE_ORIGIN_BITS];
static HLIST_HEAD(pidns_tree_pool);
static unsigned int pidns_tree_pool_size;
static DEFINE_RAW_SPINLOCK(pidns_tree_origin_lock);
static atomic_long_t pidns_tree_nr_records = ATOMIC_LONG_INIT(0);
static atomic_long_t pidns_tree_nr_missed = ATOMIC_LONG_INIT(0);
static bool pidns_tree_origin_on;

static struct tracepoint *pidns_tree_tp_fork;
static struct tracepoint *pidns_tree_tp_free;

static struct hlist_head *pidns_tree_bucket(const struct signal_struct *sig)
{
	return &pidns_tree_origins[hash_ptr(sig, PIDNS_TREE_ORIGIN_BITS)];
}

static void pidns_tree_refill(struct work_struct *work)
{
	struct pidns_tree_origin *o;
	unsigned long flags;
	bool full;

	do {
		o = kzalloc(sizeof(*o), GFP_KERNEL);
		if (!o)
			return;
		raw_spin_lock_irqsave(&pidns_tree_origin_lock, flags);
		full = pidns_tree_pool_size >= PIDNS_TREE_POOL_HIGH;
		if (!full) {
			hlist_add_head(&o->node, &pidns_tree_pool);
			pidns_tree_pool_size++;
		}
		raw_spin_unlock_irqrestore(&pidns_tree_origin_lock, flags);
	} while (!full);
	kfree(o);
}

static DECLARE_DELAYED_WORK(pidns_tree_refill_work, pidns_tree_refill);

/*
 * Under the lock: takes a record from the pool, NULL if it is empty; asks
 * for a refill (*@low) when the pool runs low.
 */
static struct pidns_tree_origin *pidns_tree_pool_take(bool *low)
{
	struct pidns_tree_origin *o = NULL;

	if (!hlist_empty(&pidns_tree_pool)) {
		o = hlist_entry(pidns_tree_pool.first, struct pidns_tree_origin,
				node);
		hlist_del(&o->node);
		pidns_tree_pool_size--;
	}
	*low = pidns_tree_pool_size < PIDNS_TREE_POOL_LOW;
	return o;
}

/* After a grace period: nobody can be reading @head's record any more. */
static void pidns_tree_recycle(struct rcu_head *head)
{
	struct pidns_tree_origin *o =
		container_of(head, struct pidns_tree_origin, rcu);
	unsigned long flags;
	bool kept = false;

	put_pid(o->tgid);
	put_pid(o->parent);
	put_cred(o->cred);
	raw_spin_lock_irqsave(&pidns_tree_origin_lock, flags);
	if (pidns_tree_pool_size < PIDNS_TREE_POOL_HIGH) {
		hlist_add_head(&o->node, &pidns_tree_pool);
		pidns_tree_pool_size++;
		kept = true;
	}
	raw_spin_unlock_irqrestore(&pidns_tree_origin_lock, flags);
	if (!kept)
		kfree(o);
}

/* Fills @o for @child, whose real parent is @first, under RCU. */
static void pidns_tree_fill_origin(struct pidns_tree_origin *o,
				   struct task_struct *child,
				   struct task_struct *first)
{
	o->process = child->signal;
	o->tgid = get_pid(task_tgid(child));
	o->parent = get_pid(task_tgid(first));
	o->cred = get_cred(__task_cred(first));
	/*
	 * The process's name is its leader's.  Copied unlocked, as the sched
	 * tracepoints copy names: no lock that may sleep can be taken here.
	 */
	memcpy(o->comm, READ_ONCE(first->group_leader)->comm, sizeof(o->comm));
	o->comm[sizeof(o->comm) - 1] = '\0';
}

/*
 * trace_sched_process_fork(current, child), from kernel_clone() once
 * copy_process() has set child->real_parent: current's thread, or with
 * CLONE_PARENT current's own real parent.  Threads are not recorded.  The
 * child has not run yet, so it cannot be freed before its record is in
 * the table.
 */
static void pidns_tree_on_fork(void *data, struct task_struct *parent,
			       struct task_struct *child)
{
	struct pidns_tree_origin *o;
	unsigned long flags;
	bool low;

	if (!thread_group_leader(child))
		return;
	raw_spin_lock_irqsave(&pidns_tree_origin_lock, flags);
	o = pidns_tree_pool_take(&low);
	if (o) {
		rcu_read_lock();
		pidns_tree_fill_origin(o, child, rcu_dereference(child->real_parent));
		rcu_read_unlock();
		hlist_add_head_rcu(&o->node, pidns_tree_bucket(o->process));
	}
	raw_spin_unlock_irqrestore(&pidns_tree_origin_lock, flags);
	if (low)
		queue_delayed_work(system_unbound_wq, &pidns_tree_refill_work,
				   PIDNS_TREE_REFILL_DELAY);
	if (o)
		goto out;

	/* The pool is empty: one record from the allocator, where allowed. */
	if (PIDNS_TREE_ALLOC_IN_PROBE)
		o = kmalloc(sizeof(*o), GFP_NOWAIT | __GFP_NOWARN);
	if (!o) {
		atomic_long_inc(&pidns_tree_nr_missed);
		return;
	}
	rcu_read_lock();
	pidns_tree_fill_origin(o, child, rcu_dereference(child->real_parent));
	rcu_read_unlock();
	raw_spin_lock_irqsave(&pidns_tree_origin_lock, flags);
	hlist_add_head_rcu(&o->node, pidns_tree_bucket(o->process));
	raw_spin_unlock_irqrestore(&pidns_tree_origin_lock, flags);
out:
	atomic_long_inc(&pidns_tree_nr_records);
}

/*
 * trace_sched_process_free(task), from delayed_put_task_struct(), an RCU
 * callback.  The process is gone once its leader is freed: the leader is
 * released after every other thread, and a leader replaced by de_thread()
 * is no longer a leader when it is freed.  Only this probe removes a
 * record while the probes are hooked, and only its own process's: the
 * chain is searched under RCU, and the lock is taken for the removal only.
 * The leader's thread-group pid is already detached here: the record is
 * found by its signal_struct, the newest first.
 */
static void pidns_tree_on_free(void *data, struct task_struct *task)
{
	struct pidns_tree_origin *o, *found = NULL;
	const struct signal_struct *sig = task->signal;
	unsigned long flags;

	if (!thread_group_leader(task))
		return;
	rcu_read_lock();
	hlist_for_each_entry_rcu(o, pidns_tree_bucket(sig), node) {
		if (o->process == sig) {
			found = o;
			break;
		}
	}
	rcu_read_unlock();
	if (!found)
		return;
	raw_spin_lock_irqsave(&pidns_tree_origin_lock, flags);
	hlist_del_rcu(&found->node);
	raw_spin_unlock_irqrestore(&pidns_tree_origin_lock, flags);
	atomic_long_dec(&pidns_tree_nr_records);
	call_rcu(&found->rcu, pidns_tree_recycle);
}

/*
 * The first parent of @task's process, whose thread-group pid is
 * @process, under rcu_read_lock(): false if it is unknown (created before
 * the module was loaded, or while no record could be had, or the hook is
 * off, or forked by a parent already unhashed).  What *@first points to
 * stays valid until the caller's rcu_read_unlock().
 */
bool pidns_tree_origin(struct task_struct *task, struct pid *process,
		       struct pidns_tree_first *first)
{
	const struct signal_struct *sig = task->signal;
	struct pidns_tree_origin *o;

	hlist_for_each_entry_rcu(o, pidns_tree_bucket(sig), node) {
		if (o->process != sig || o->tgid != process)
			continue;
		if (!o->parent)
			return false;
		first->parent = o->parent;
		first->cred = o->cred;
		memcpy(first->comm, o->comm, TASK_COMM_LEN);
		return true;
	}
	return false;
}

/*
 * A test build (Kbuild: PIDNS_TREE_TEST_NO_TRACEPOINTS=y) looks for names
 * no kernel has, so that selftests/origin proves the module without them.
 */
#ifdef PIDNS_TREE_TEST_NO_TRACEPOINTS
#define PIDNS_TREE_TP(name)	"pidns_tree_test_no_" name
#else
#define PIDNS_TREE_TP(name)	name
#endif

static void pidns_tree_find_tp(struct tracepoint *tp, void *priv)
{
	if (!strcmp(tp->name, PIDNS_TREE_TP("sched_process_fork")))
		pidns_tree_tp_fork = tp;
	else if (!strcmp(tp->name, PIDNS_TREE_TP("sched_process_free")))
		pidns_tree_tp_free = tp;
}

static void pidns_tree_empty_pool(void)
{
	struct pidns_tree_origin *o;
	struct hlist_node *tmp;

	hlist_for_each_entry_safe(o, tmp, &pidns_tree_pool, node)
		kfree(o);
	INIT_HLIST_HEAD(&pidns_tree_pool);
	pidns_tree_pool_size = 0;
}

/*
 * Hooks process creation.  On failure the module still works: the origin
 * columns then read "?", and one line in the kernel log says why.
 */
void pidns_tree_origin_init(void)
{
	int err;

	/*
	 * The probes are registered by name, as void *: these make a probe
	 * whose arguments do not match this kernel's TP_PROTO a build error
	 * (Kbuild makes -Werror=incompatible-pointer-types part of every
	 * module build).
	 */
	check_trace_callback_type_sched_process_fork(pidns_tree_on_fork);
	check_trace_callback_type_sched_process_free(pidns_tree_on_free);
	for_each_kernel_tracepoint(pidns_tree_find_tp, NULL);
	if (!pidns_tree_tp_fork || !pidns_tree_tp_free) {
		pr_warn("no sched_process_fork/free tracepoint: first parents unknown\n");
		return;
	}
	pidns_tree_refill(NULL);
	if (!pidns_tree_pool_size) {
		pr_warn("out of memory: first parents unknown\n");
		return;
	}
	/* Free first, so that no record is added that would never leave. */
	err = tracepoint_probe_register(pidns_tree_tp_free, pidns_tree_on_free,
					NULL);
	if (err)
		goto err_free;
	err = tracepoint_probe_register(pidns_tree_tp_fork, pidns_tree_on_fork,
					NULL);
	if (err)
		goto err_fork;
	pidns_tree_origin_on = true;
	return;

err_fork:
	tracepoint_probe_unregister(pidns_tree_tp_free, pidns_tree_on_free,
				    NULL);
	tracepoint_synchronize_unregister();
err_free:
	pidns_tree_empty_pool();
	pr_warn("cannot hook the sched tracepoints (error %d): first parents unknown\n",
		err);
}

/*
 * Unhooks, waits until no probe runs, then frees every record: those in
 * the table, those waiting for a grace period (rcu_barrier(), which also
 * makes sure that no callback of this module is left to run), the pool.
 */
void pidns_tree_origin_exit(void)
{
	struct pidns_tree_origin *o;
	struct hlist_node *tmp;
	unsigned int i;

	if (!pidns_tree_origin_on)
		return;
	tracepoint_probe_unregister(pidns_tree_tp_fork, pidns_tree_on_fork,
				    NULL);
	tracepoint_probe_unregister(pidns_tree_tp_free, pidns_tree_on_free,
				    NULL);
	tracepoint_synchronize_unregister();
	cancel_delayed_work_sync(&pidns_tree_refill_work);

	for (i = 0; i < ARRAY_SIZE(pidns_tree_origins); i++) {
		hlist_for_each_entry_safe(o, tmp, &pidns_tree_origins[i], node) {
			hlist_del(&o->node);
			put_pid(o->tgid);
			put_pid(o->parent);
			put_cred(o->cred);
			kfree(o);
		}
	}
	rcu_barrier();
	pidns_tree_empty_pool();
	atomic_long_set(&pidns_tree_nr_records, 0);
}

/*
 * /sys/kernel/debug/pidns_tree: whether the tracepoints are hooked, the
 * records (one per process created since), the pool, the processes left
 * unrecorded for want of a record, and the memory a record takes.
 */
static int pidns_tree_stats_show(struct seq_file *m, void *v)
{
	seq_printf(m, "hooked %d\nrecords %ld\npool %u\nmissed %ld\nrecord_bytes %zu\n",
		   pidns_tree_origin_on,
		   atomic_long_read(&pidns_tree_nr_records),
		   READ_ONCE(pidns_tree_pool_size),
		   atomic_long_read(&pidns_tree_nr_missed),
		   pidns_tree_kmalloc_size_roundup(sizeof(struct pidns_tree_origin)));
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(pidns_tree_stats);

static struct dentry *pidns_tree_stats_file;

void pidns_tree_stats_init(void)
{
	pidns_tree_stats_file = debugfs_create_file("pidns_tree", 0400, NULL,
						    NULL,
						    &pidns_tree_stats_fops);
}

void pidns_tree_stats_exit(void)
{
	debugfs_remove(pidns_tree_stats_file);
}
