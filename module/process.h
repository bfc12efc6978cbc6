/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The module's record of each process (origin.c), and what the event
 * stream (events.c) keeps in it and does with it.
 *
 * Every record is in the table by its signal_struct, and by its id.  While
 * the stream has a reader, a record whose parent process is known is also
 * in the index of children by that parent's id.  All three are changed
 * under pidns_tree_lock only, and read under RCU or under the lock.
 */
#ifndef PIDNS_TREE_PROCESS_H
#define PIDNS_TREE_PROCESS_H

#include <linux/cred.h>
#include <linux/list.h>
#include <linux/pid.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/spinlock.h>
#include <linux/types.h>

struct pidns_tree_proc {
	struct hlist_node node;		/* in a bucket, or in the pool */
	struct hlist_node id_node;	/* by id */
	struct hlist_node child_node;	/* by parent_id, while streaming */
	const struct signal_struct *process;	/* the key */
	struct pid *tgid;		/* the process (a reference) */
	u64 id;				/* never given to another process */
	/* the stream's: its parent process now, 0 if unknown */
	u64 parent_id;
	unsigned int nr_children;	/* records under its id in the index */
	bool exited;			/* its exit event is written */
	bool dumpable;			/* at its fork or its last exec */
	/* its first parent's thread group, NULL if unknown (made at load) */
	struct pid *parent;
	const struct cred *cred;	/* its credentials then */
	char comm[TASK_COMM_LEN];	/* its name then */
	struct rcu_head rcu;
};

/*
 * A test build (Kbuild: PIDNS_TREE_TEST_NO_TRACEPOINTS=y) looks for names
 * no kernel has, so that selftests/origin proves the module without them.
 */
#ifdef PIDNS_TREE_TEST_NO_TRACEPOINTS
#define PIDNS_TREE_TP(name)	"pidns_tree_test_no_" name
#else
#define PIDNS_TREE_TP(name)	name
#endif

extern raw_spinlock_t pidns_tree_lock;
extern bool pidns_tree_streaming;

struct pidns_tree_proc *pidns_tree_proc_find(const struct signal_struct *sig,
					     const struct pid *tgid);
struct pidns_tree_proc *pidns_tree_proc_by_id(u64 id);
struct pidns_tree_proc *pidns_tree_proc_of(struct task_struct *task);

/* Under pidns_tree_lock, while streaming: the index of children. */
void pidns_tree_child_link(struct pidns_tree_proc *child, u64 parent_id);
void pidns_tree_child_unlink(struct pidns_tree_proc *child);
struct hlist_head *pidns_tree_children_of(u64 parent_id);
void pidns_tree_procs_resync(void);
bool pidns_tree_origin_hooked(void);

/* events.c, called from origin.c's probes under pidns_tree_lock. */
void pidns_tree_event_fork(struct task_struct *caller,
			   struct task_struct *child,
			   struct pidns_tree_proc *proc);
void pidns_tree_event_free(struct task_struct *task,
			   struct pidns_tree_proc *proc);
void pidns_tree_events_check(void);
bool pidns_tree_proc_dumpable(struct task_struct *task);
long pidns_tree_events_unwatched(void);

#endif /* PIDNS_TREE_PROCESS_H */
