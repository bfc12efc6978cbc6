/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The event stream: what events.c (the events, from the probes) and
 * stream.c (the file, its subscribers) share.
 */
#ifndef PIDNS_TREE_STREAM_H
#define PIDNS_TREE_STREAM_H

#include <linux/cred.h>
#include <linux/kfifo.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/pid_namespace.h>
#include <linux/sched.h>
#include <linux/types.h>
#include <linux/wait.h>

#define PIDNS_TREE_EVENTS_FORMAT	1
#define PIDNS_TREE_SUBS_MAX		32
#define PIDNS_TREE_RING_SIZE		(256 * 1024)	/* a power of two */
#define PIDNS_TREE_OUT_SIZE		(16 * 1024)	/* one read() at most */
/*
 * The longest line, fork's: seq, time and four ids of up to 20 digits,
 * five numbers of up to 10 and the level, every nspid, the cgroup id, the
 * name with every byte escaped, separators.
 */
#define PIDNS_TREE_EVENT_MAX \
	(6 * 21 + 6 * 11 + 5 + 5 + (MAX_PID_NS_LEVEL + 1) * 11 + 21 + \
	 (TASK_COMM_LEN - 1) * 4 + 2)

struct pidns_tree_sub {
	struct list_head node;		/* in pidns_tree_subs, under the lock */
	struct pid_namespace *ns;	/* the proc mount's (a reference) */
	struct pid *opener;		/* the opener's process (a reference) */
	const struct cred *cred;	/* the opener's (a reference) */
	struct cgroup *cgroup_root;	/* its cgroupns root, NULL: no limit */
	bool sees_all;			/* no hidepid= restriction */
	bool wake;			/* lines came since the last wake-up */
	u64 lost;			/* events dropped since the last lost line */
	u64 lost_seq, lost_usec;	/* the last of them */
	DECLARE_KFIFO_PTR(ring, char);
	wait_queue_head_t wait;
	struct mutex read_mutex;	/* one read() at a time */
	char line[PIDNS_TREE_EVENT_MAX];	/* under the lock */
	char out[PIDNS_TREE_OUT_SIZE];	/* under read_mutex */
};

/* Subscribers, under pidns_tree_lock (readers: RCU). */
extern struct list_head pidns_tree_subs;

bool pidns_tree_events_hook_init(void);
bool pidns_tree_stream_lock(unsigned long *flags);
void pidns_tree_stream_unlock(unsigned long flags);
int pidns_tree_stream_start(void);
void pidns_tree_stream_stop(void);
char *pidns_tree_put_str(char *p, const char *s);
char *pidns_tree_put_id(char *p, u64 id);
size_t pidns_tree_format_lost(char *line, struct pidns_tree_sub *s);

#endif /* PIDNS_TREE_STREAM_H */
