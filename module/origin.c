// SPDX-License-Identifier: GPL-2.0
/*
 * A record of each process (process.h): its id, and its first parent, the
 * process the kernel first made its real parent when it was forked.  The
 * kernel forgets the first parent as soon as the process is reparented
 * (forget_original_parent() in kernel/exit.c), so it is kept here, from
 * the sched_process_fork tracepoint until sched_process_free.
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
 * guards the pool and the tables' chains against each other's writers, as
 * pidmap_lock guards pid allocation on every fork; lookups take no lock,
 * under RCU.  The event stream (events.c) works under the same lock, so
 * that a process's events are numbered in the order its record changes.
 *
 * Processes that exist when the module is loaded get a record then, with
 * an id and no first parent (pidns_tree_procs_existing()).
 */

#include <linux/atomic.h>
#include <linux/cred.h>
#include <linux/debugfs.h>
#include <linux/hash.h>
#include <linux/list.h>
#include <linux/math64.h>
#include <linux/pid.h>
#include <linux/pid_namespace.h>
#include <linux/rculist.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <linux/timekeeping.h>
#include <linux/tracepoint.h>
#include <linux/workqueue.h>
#include <trace/events/sched.h>

#include "pidns_tree.h"
#include "process.h"

#define PIDNS_TREE_ORIGIN_BITS	14
#define PIDNS_TREE_ID_BITS	14
#define PIDNS_TREE_CHILD_BITS	12

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

static struct hlist_head pidns_tree_origins[1 << PIDNS_TREE_ORIGIN_BITS];
static struct hlist_head pidns_tree_ids[1 << PIDNS_TREE_ID_BITS];
static struct hlist_head pidns_tree_children[1 << PIDNS_TREE_CHILD_BITS];
static HLIST_HEAD(pidns_tree_pool);
static unsigned int pidns_tree_pool_size;
DEFINE_RAW_SPINLOCK(pidns_tree_lock);
static atomic_long_t pidns_tree_nr_records = ATOMIC_LONG_INIT(0);
static atomic_long_t pidns_tree_nr_missed = ATOMIC_LONG_INIT(0);
static bool pidns_tree_origin_on;
static u64 pidns_tree_last_id;

static struct tracepoint *pidns_tree_tp_fork;
static struct tracepoint *pidns_tree_tp_free;

static struct hlist_head *pidns_tree_bucket(const struct signal_struct *sig)
{
	return &pidns_tree_origins[hash_ptr(sig, PIDNS_TREE_ORIGIN_BITS)];
}

static struct hlist_head *pidns_tree_id_bucket(u64 id)
{
	return &pidns_tree_ids[hash_64(id, PIDNS_TREE_ID_BITS)];
}

struct hlist_head *pidns_tree_children_of(u64 parent_id)
{
	return &pidns_tree_children[hash_64(parent_id, PIDNS_TREE_CHILD_BITS)];
}

static void pidns_tree_refill(struct work_struct *work)
{
	struct pidns_tree_proc *o;
	unsigned long flags;
	bool full;

	do {
		o = kzalloc(sizeof(*o), GFP_KERNEL);
		if (!o)
			return;
		raw_spin_lock_irqsave(&pidns_tree_lock, flags);
		full = pidns_tree_pool_size >= PIDNS_TREE_POOL_HIGH;
		if (!full) {
			hlist_add_head(&o->node, &pidns_tree_pool);
			pidns_tree_pool_size++;
		}
		raw_spin_unlock_irqrestore(&pidns_tree_lock, flags);
	} while (!full);
	kfree(o);
}

static DECLARE_DELAYED_WORK(pidns_tree_refill_work, pidns_tree_refill);

/*
 * Under the lock: takes a record from the pool, NULL if it is empty; asks
 * for a refill (*@low) when the pool runs low.
 */
static struct pidns_tree_proc *pidns_tree_pool_take(bool *low)
{
	struct pidns_tree_proc *o = NULL;

	if (!hlist_empty(&pidns_tree_pool)) {
		o = hlist_entry(pidns_tree_pool.first, struct pidns_tree_proc,
				node);
		hlist_del(&o->node);
		pidns_tree_pool_size--;
	}
	*low = pidns_tree_pool_size < PIDNS_TREE_POOL_LOW;
	return o;
}

static void pidns_tree_put_refs(struct pidns_tree_proc *o)
{
	put_pid(o->tgid);
	put_pid(o->parent);
	if (o->cred)
		put_cred(o->cred);
}

/* After a grace period: nobody can be reading @head's record any more. */
static void pidns_tree_recycle(struct rcu_head *head)
{
	struct pidns_tree_proc *o =
		container_of(head, struct pidns_tree_proc, rcu);
	unsigned long flags;
	bool kept = false;

	pidns_tree_put_refs(o);
	raw_spin_lock_irqsave(&pidns_tree_lock, flags);
	if (pidns_tree_pool_size < PIDNS_TREE_POOL_HIGH) {
		hlist_add_head(&o->node, &pidns_tree_pool);
		pidns_tree_pool_size++;
		kept = true;
	}
	raw_spin_unlock_irqrestore(&pidns_tree_lock, flags);
	if (!kept)
		kfree(o);
}

/*
 * Under the lock: gives @o its id and puts it in both tables.  The id is
 * the next one; ids start above the boot-time clock at load (init), so
 * that a module loaded later gives larger ones.
 */
static void pidns_tree_insert(struct pidns_tree_proc *o)
{
	o->id = ++pidns_tree_last_id;
	o->parent_id = 0;
	o->nr_children = 0;
	o->exited = false;
	INIT_HLIST_NODE(&o->child_node);
	hlist_add_head_rcu(&o->node, pidns_tree_bucket(o->process));
	hlist_add_head_rcu(&o->id_node, pidns_tree_id_bucket(o->id));
	atomic_long_inc(&pidns_tree_nr_records);
}

/* Fills @o for @child, whose real parent is @first, under RCU. */
static void pidns_tree_fill_origin(struct pidns_tree_proc *o,
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
	o->dumpable = pidns_tree_proc_dumpable(child);
}

/*
 * Under the lock: records @child (into @o, or counts it as missed when
 * @o is NULL) and writes its fork event for the stream.
 */
static void pidns_tree_add(struct pidns_tree_proc *o, struct task_struct *caller,
			   struct task_struct *child)
{
	rcu_read_lock();
	if (o) {
		pidns_tree_fill_origin(o, child,
				       rcu_dereference(child->real_parent));
		pidns_tree_insert(o);
	} else {
		atomic_long_inc(&pidns_tree_nr_missed);
	}
	if (pidns_tree_streaming) {
		pidns_tree_events_check();
		pidns_tree_event_fork(caller, child, o);
	}
	rcu_read_unlock();
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
	struct pidns_tree_proc *o;
	unsigned long flags;
	bool low, later;

	if (!thread_group_leader(child))
		return;
	raw_spin_lock_irqsave(&pidns_tree_lock, flags);
	o = pidns_tree_pool_take(&low);
	later = !o && PIDNS_TREE_ALLOC_IN_PROBE;
	if (!later)
		pidns_tree_add(o, parent, child);
	raw_spin_unlock_irqrestore(&pidns_tree_lock, flags);
	if (low)
		queue_delayed_work(system_unbound_wq, &pidns_tree_refill_work,
				   PIDNS_TREE_REFILL_DELAY);
	if (!later)
		return;

	/* The pool is empty: one record from the allocator, where allowed. */
	o = kmalloc(sizeof(*o), GFP_NOWAIT | __GFP_NOWARN);
	raw_spin_lock_irqsave(&pidns_tree_lock, flags);
	pidns_tree_add(o, parent, child);
	raw_spin_unlock_irqrestore(&pidns_tree_lock, flags);
}

/* The newest record of @sig, under RCU or the lock. */
static struct pidns_tree_proc *pidns_tree_find_sig(const struct signal_struct *sig)
{
	struct pidns_tree_proc *o;

	hlist_for_each_entry_rcu(o, pidns_tree_bucket(sig), node) {
		if (o->process == sig)
			return o;
	}
	return NULL;
}

/*
 * trace_sched_process_free(task), from delayed_put_task_struct(), an RCU
 * callback.  The process is gone once its leader is freed: the leader is
 * released after every other thread, and a leader replaced by de_thread()
 * is no longer a leader when it is freed.  Only this probe removes a
 * record while the probes are hooked, and only its own process's.  The
 * leader's thread-group pid is already detached here: the record is
 * found by its signal_struct, the newest first.  The stream is told of
 * every task freed: an exiting thread it waits for is one.
 */
static void pidns_tree_on_free(void *data, struct task_struct *task)
{
	struct pidns_tree_proc *o = NULL;
	bool leader = thread_group_leader(task);
	unsigned long flags;

	if (!leader && !READ_ONCE(pidns_tree_streaming))
		return;
	rcu_read_lock();
	if (leader)
		o = pidns_tree_find_sig(task->signal);
	if (o || READ_ONCE(pidns_tree_streaming)) {
		raw_spin_lock_irqsave(&pidns_tree_lock, flags);
		if (pidns_tree_streaming)
			pidns_tree_event_free(task, o);
		if (o) {
			hlist_del_rcu(&o->node);
			hlist_del_rcu(&o->id_node);
			pidns_tree_child_unlink(o);
		}
		raw_spin_unlock_irqrestore(&pidns_tree_lock, flags);
	}
	rcu_read_unlock();
	if (!o)
		return;
	atomic_long_dec(&pidns_tree_nr_records);
	call_rcu(&o->rcu, pidns_tree_recycle);
}

/* The record of the process whose thread-group pid is @tgid, under RCU. */
struct pidns_tree_proc *pidns_tree_proc_find(const struct signal_struct *sig,
					     const struct pid *tgid)
{
	struct pidns_tree_proc *o;

	hlist_for_each_entry_rcu(o, pidns_tree_bucket(sig), node) {
		if (o->process == sig && o->tgid == tgid)
			return o;
	}
	return NULL;
}

/* The record of @task's process, under RCU; NULL once it is unhashed. */
struct pidns_tree_proc *pidns_tree_proc_of(struct task_struct *task)
{
	struct pid *tgid = pidns_tree_tgid(task);

	return tgid ? pidns_tree_proc_find(task->signal, tgid) : NULL;
}

struct pidns_tree_proc *pidns_tree_proc_by_id(u64 id)
{
	struct pidns_tree_proc *o;

	hlist_for_each_entry_rcu(o, pidns_tree_id_bucket(id), id_node) {
		if (o->id == id)
			return o;
	}
	return NULL;
}

/* Under the lock: files @child under its parent process's id, 0: none. */
void pidns_tree_child_link(struct pidns_tree_proc *child, u64 parent_id)
{
	struct pidns_tree_proc *parent;

	pidns_tree_child_unlink(child);
	child->parent_id = parent_id;
	if (!parent_id)
		return;
	hlist_add_head(&child->child_node, pidns_tree_children_of(parent_id));
	parent = pidns_tree_proc_by_id(parent_id);
	if (parent)
		parent->nr_children++;
}

void pidns_tree_child_unlink(struct pidns_tree_proc *child)
{
	struct pidns_tree_proc *parent;

	if (hlist_unhashed(&child->child_node))
		return;
	hlist_del_init(&child->child_node);
	parent = pidns_tree_proc_by_id(child->parent_id);
	if (parent && parent->nr_children)
		parent->nr_children--;
}

/*
 * When the stream starts: files every record under its parent process as
 * the kernel has it now.  A parent thread already exiting may hand the
 * process on before its exit is watched: the parent is then unknown.
 */
void pidns_tree_procs_resync(void)
{
	struct pidns_tree_proc *o, *parent;
	struct task_struct *leader, *rp;
	unsigned long flags;
	unsigned int i;
	u64 id;

	for (i = 0; i < ARRAY_SIZE(pidns_tree_origins); i++) {
		rcu_read_lock();
		raw_spin_lock_irqsave(&pidns_tree_lock, flags);
		hlist_for_each_entry(o, &pidns_tree_origins[i], node) {
			id = 0;
			leader = pid_task(o->tgid, PIDTYPE_TGID);
			rp = leader ? rcu_dereference(leader->real_parent) : NULL;
			if (rp && !(READ_ONCE(rp->flags) & PF_EXITING)) {
				parent = pidns_tree_proc_of(rp);
				id = parent ? parent->id : 0;
			}
			pidns_tree_child_link(o, id);
		}
		raw_spin_unlock_irqrestore(&pidns_tree_lock, flags);
		rcu_read_unlock();
		cond_resched();
	}
}

/*
 * The record of @task's process, whose thread-group pid is @process,
 * under rcu_read_lock(): false if there is none (created while no record
 * could be had, or the hook is off).  first->parent is NULL when the
 * first parent is unknown (a process that existed when the module was
 * loaded, or forked by a parent already unhashed).  What *@first points
 * to stays valid until the caller's rcu_read_unlock().
 */
bool pidns_tree_origin(struct task_struct *task, struct pid *process,
		       struct pidns_tree_first *first)
{
	struct pidns_tree_proc *o = pidns_tree_proc_find(task->signal, process);

	if (!o)
		return false;
	first->id = o->id;
	first->parent = o->parent;
	first->cred = o->cred;
	memcpy(first->comm, o->comm, TASK_COMM_LEN);
	return true;
}

/*
 * At load, once the probes are hooked: a record, with an id and no first
 * parent, for each process that exists and has none (one forked since the
 * hook has one).  A process released while the walk looks at it has its
 * record removed by the free probe, which runs a grace period after the
 * release, so after this RCU section.
 */
static void pidns_tree_procs_existing(void)
{
	struct pidns_tree_proc *o = NULL;
	struct task_struct *task;
	unsigned long flags;
	struct pid *pid;
	bool dumpable;
	int nr = 1;

	for (;; cond_resched()) {
		if (!o)
			o = kzalloc(sizeof(*o), GFP_KERNEL);
		if (!o)
			return;	/* the allocator said it; those have no id */
		rcu_read_lock();
		pid = pidns_tree_find_ge_pid(nr, &init_pid_ns);
		if (!pid) {
			rcu_read_unlock();
			break;
		}
		nr = pid_nr(pid) + 1;
		task = pid_task(pid, PIDTYPE_TGID);
		if (!task) {
			rcu_read_unlock();
			continue;
		}
		dumpable = pidns_tree_task_dumpable(task);
		raw_spin_lock_irqsave(&pidns_tree_lock, flags);
		if (pid_task(pid, PIDTYPE_TGID) == task &&
		    !pidns_tree_proc_find(task->signal, pid)) {
			o->process = task->signal;
			o->tgid = get_pid(pid);
			o->dumpable = dumpable;
			pidns_tree_insert(o);
			o = NULL;
		}
		raw_spin_unlock_irqrestore(&pidns_tree_lock, flags);
		rcu_read_unlock();
	}
	kfree(o);
}

bool pidns_tree_origin_hooked(void)
{
	return pidns_tree_origin_on;
}

static void pidns_tree_find_tp(struct tracepoint *tp, void *priv)
{
	if (!strcmp(tp->name, PIDNS_TREE_TP("sched_process_fork")))
		pidns_tree_tp_fork = tp;
	else if (!strcmp(tp->name, PIDNS_TREE_TP("sched_process_free")))
		pidns_tree_tp_free = tp;
}

static void pidns_tree_empty_pool(void)
{
	struct pidns_tree_proc *o;
	struct hlist_node *tmp;

	hlist_for_each_entry_safe(o, tmp, &pidns_tree_pool, node)
		kfree(o);
	INIT_HLIST_HEAD(&pidns_tree_pool);
	pidns_tree_pool_size = 0;
}

/*
 * Hooks process creation, then records the processes that exist.  On
 * failure the module still works: the origin and id columns then read
 * "?" and 0, and one line in the kernel log says why.
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
	/* Ids above any a module loaded earlier gave: one per microsecond. */
	pidns_tree_last_id = div_u64(ktime_get_boottime_ns(), NSEC_PER_USEC);
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
	pidns_tree_procs_existing();
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
	struct pidns_tree_proc *o;
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
			pidns_tree_put_refs(o);
			kfree(o);
		}
	}
	rcu_barrier();
	pidns_tree_empty_pool();
	memset(pidns_tree_ids, 0, sizeof(pidns_tree_ids));
	memset(pidns_tree_children, 0, sizeof(pidns_tree_children));
	atomic_long_set(&pidns_tree_nr_records, 0);
}

/*
 * /sys/kernel/debug/pidns_tree: whether the tracepoints are hooked, the
 * records (one per process), the pool, the processes left unrecorded for
 * want of a record, the memory a record takes, and the exiting threads
 * the event stream had no room to watch (events.c).
 */
static int pidns_tree_stats_show(struct seq_file *m, void *v)
{
	seq_printf(m, "hooked %d\nrecords %ld\npool %u\nmissed %ld\nrecord_bytes %zu\nunwatched %ld\n",
		   pidns_tree_origin_on,
		   atomic_long_read(&pidns_tree_nr_records),
		   READ_ONCE(pidns_tree_pool_size),
		   atomic_long_read(&pidns_tree_nr_missed),
		   pidns_tree_kmalloc_size_roundup(sizeof(struct pidns_tree_proc)),
		   pidns_tree_events_unwatched());
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
