/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the parts of pidns_tree share: main.c's ->show hands each task the
 * walk (iter.c, iter.h) found to visible.c, which decides whether the
 * opener may see it under hidepid=, then to the record printer (record.c),
 * which asks reaper.c who would adopt it and origin.c who was its first
 * parent; cgroup.c takes the opener's cgroup-namespace root at open().
 */
#ifndef PIDNS_TREE_H
#define PIDNS_TREE_H

#include <linux/cgroup.h>
#include <linux/pid.h>
#include <linux/pid_namespace.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/seq_file.h>
#include <linux/types.h>

struct cgroup;
struct cred;
struct file;
struct pidns_tree_reader;
struct pid_namespace;
struct task_struct;

/* Version of the /proc/pidns_tree format, printed in its header line. */
#define PIDNS_TREE_FORMAT	2

/* The reaper column's value when the namespace would die instead. */
#define PIDNS_TREE_NS_DIES	(-1)

void pidns_tree_show_header(struct seq_file *m);
int pidns_tree_show_task(struct seq_file *m, struct pid_namespace *ns,
			 struct task_struct *task, pid_t nr);

pid_t pidns_tree_reaper(struct pidns_tree_reader *reader,
			struct task_struct *father, struct pid_namespace *ns);
void pidns_tree_forget_memo(struct pidns_tree_reader *reader);

/*
 * pid_nr_ns(), inline: @pid's number in @ns, 0 if @pid is NULL or not
 * seen from @ns.  ->show asks for up to six numbers a task.
 */
static inline pid_t pidns_tree_nr(const struct pid *pid,
				  const struct pid_namespace *ns)
{
	if (!pid || pid->level < ns->level ||
	    pid->numbers[ns->level].ns != ns)
		return 0;
	return pid->numbers[ns->level].nr;
}

/*
 * A task's thread-group or own pid number in @ns, 0 once the task is
 * unhashed (pid_alive()), under the caller's rcu_read_lock(): what
 * task_tgid_nr_ns() and task_pid_nr_ns() return, without their call and
 * their own RCU section.
 */
static inline struct pid *pidns_tree_tgid(struct task_struct *task)
{
	return READ_ONCE(task->signal->pids[PIDTYPE_TGID]);
}

static inline pid_t pidns_tree_tgid_nr(struct task_struct *task,
				       const struct pid_namespace *ns)
{
	if (!READ_ONCE(task->thread_pid))
		return 0;
	return pidns_tree_nr(pidns_tree_tgid(task), ns);
}

static inline pid_t pidns_tree_pid_nr(struct task_struct *task,
				      const struct pid_namespace *ns)
{
	return pidns_tree_nr(READ_ONCE(task->thread_pid), ns);
}

/*
 * The longest line: eight numbers of up to 10 digits and "level" (2), the
 * sub, state, init and adopted letters, MAX_PID_NS_LEVEL + 1 nspids of up
 * to 10 digits, the cgroup id and the id (up to 20 digits each), two names
 * with every byte escaped as \ooo, separators, newline.
 */
#define PIDNS_TREE_LINE_MAX \
	(8 * 11 + 3 + 4 * 2 + (MAX_PID_NS_LEVEL + 1) * 11 + 2 * 21 + \
	 2 * (1 + (TASK_COMM_LEN - 1) * 4) + 1)

/* One task's line, gathered under RCU, then printed (record.c). */
struct pidns_tree_record {
	pid_t pid;
	pid_t tgid;
	pid_t ppid;
	pid_t parent;
	pid_t tracer;
	pid_t reaper;		/* or PIDNS_TREE_NS_DIES */
	char sub;
	char state;
	bool init;
	unsigned int pidns;
	unsigned int level;	/* below the reader's namespace */
	pid_t nspids[MAX_PID_NS_LEVEL + 1];
	bool origin_known;	/* else origin, origin_comm, adopted are "?" */
	pid_t origin;
	char adopted;		/* '0', '1' or '?' */
	bool origin_comm_visible;	/* else origin_comm prints "?" */
	char origin_comm[TASK_COMM_LEN];
	u64 cgroup;		/* 0: none, or outside the reader's cgroupns */
	u64 id;			/* its process's, 0 if unknown */
	char comm[TASK_COMM_LEN];
};

/* A process's id and first parent, as its record keeps them (origin.c). */
struct pidns_tree_first {
	u64 id;
	struct pid *parent;		/* its thread group, NULL if unknown */
	const struct cred *cred;	/* its credentials when it forked */
	char comm[TASK_COMM_LEN];	/* its name then */
};

/* The record of the process whose thread was printed last. */
struct pidns_tree_process {
	struct pid *tgid;	/* the process (a reference), or NULL */
	u64 id;
	struct pid *first;	/* its first parent: compared, never followed */
	bool comm_visible;	/* may the opener see that parent's name? */
	char comm[TASK_COMM_LEN];	/* the first parent's name then */
};

/*
 * The adopter found above a task for the pass in progress (reaper.c): the
 * nearest live child subreaper above the task of @task in its own pid
 * namespace, @reaper's thread group, or none (NULL).  Both are references.
 */
#define PIDNS_TREE_MEMO_BITS	6

struct pidns_tree_memo {
	struct pid *task;
	struct pid *reaper;
};

/* Per open file. */
struct pidns_tree_reader {
	struct pid *opener;	/* the opener's thread group (a reference) */
	bool sees_all;		/* no hidepid= restriction applies */
	/* the opener's cgroup-namespace root (a reference), NULL: no limit */
	struct cgroup *cgroup_root;
	/* from one task to the next, dropped at ->stop() (record.c) */
	struct pidns_tree_process process;
	/* from one task to the next, dropped when a pass starts (reaper.c) */
	struct pidns_tree_memo memo[1 << PIDNS_TREE_MEMO_BITS];
	/* here, not on the stack, which the kernel may zero at every call */
	struct pidns_tree_record record;
	char line[PIDNS_TREE_LINE_MAX];	/* a line too long for seq_file's room */
};

void pidns_tree_forget_process(struct pidns_tree_reader *reader);

void pidns_tree_origin_init(void);
void pidns_tree_origin_exit(void);
bool pidns_tree_origin(struct task_struct *task, struct pid *process,
		       struct pidns_tree_first *first);
void pidns_tree_stats_init(void);
void pidns_tree_stats_exit(void);

#ifdef CONFIG_CGROUPS
struct cgroup *pidns_tree_cgroup_root(void);
void pidns_tree_cgroup_put(struct cgroup *root);

/*
 * The id of @task's cgroup on the default hierarchy, 0 if it is outside
 * @root (see cgroup.c).  Under rcu_read_lock(), which keeps the css_set
 * and its cgroup valid, as for bpf_get_current_cgroup_id().
 */
static inline u64 pidns_tree_cgroup_id(struct task_struct *task,
				       struct cgroup *root)
{
	struct cgroup *cgrp = task_dfl_cgroup(task);

	if (!cgrp || (root && !cgroup_is_descendant(cgrp, root)))
		return 0;
	return cgroup_id(cgrp);
}
#else
static inline struct cgroup *pidns_tree_cgroup_root(void)
{
	return NULL;
}

static inline void pidns_tree_cgroup_put(struct cgroup *root)
{
}

static inline u64 pidns_tree_cgroup_id(struct task_struct *task,
				       struct cgroup *root)
{
	return 0;
}
#endif

/* Number and name printers of record.c, for events.c too. */
char *pidns_tree_put_u32(char *p, u32 v);
char *pidns_tree_put_u64(char *p, u64 v);
char *pidns_tree_put_name(char *p, const char *name);

/* The event stream (events.c). */
int pidns_tree_events_init(void);
void pidns_tree_events_exit(void);
u64 pidns_tree_events_seq(void);

bool pidns_tree_same_ids(const struct cred *opener, const struct cred *t);
bool pidns_tree_task_dumpable(struct task_struct *task);
bool pidns_tree_sees_all(struct file *file);
bool pidns_tree_visible(struct seq_file *m, struct task_struct *task);
bool pidns_tree_process_visible(struct seq_file *m, struct pid *process,
				const struct cred *cred);

#endif /* PIDNS_TREE_H */
