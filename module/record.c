// SPDX-License-Identifier: GPL-2.0
/*
 * One task -> one line of /proc/pidns_tree.  The columns, their order and
 * their escaping are an ABI: see Documentation/proc-pidns_tree.rst.
 *
 * Every value is gathered under one RCU section into a struct, then
 * printed.  Pids are computed the way fs/proc/array.c computes PPid,
 * TracerPid and NSpid, so that a test can compare them with
 * /proc/PID/task/TID/status.  comm is task->comm, copied under the task
 * lock: /proc/PID/comm shows the same for every task but kernel threads,
 * for which proc_task_name() prints the full name or the workqueue from
 * functions a module cannot call.  cgroup is the id of the task's cgroup on
 * the default hierarchy, 0 outside the opener's cgroup namespace (cgroup.c).
 */

#include <linux/math64.h>
#include <linux/pid.h>
#include <linux/pid_namespace.h>
#include <linux/ptrace.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/string.h>

#include "pidns_tree.h"

#define PIDNS_TREE_COLUMNS \
	"pid tgid ppid parent tracer sub reaper pidns level nspids state init " \
	"origin origin_comm adopted cgroup comm"

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
	char origin_comm[TASK_COMM_LEN];
	u64 cgroup;		/* 0: none, or outside the reader's cgroupns */
	char comm[TASK_COMM_LEN];
};

void pidns_tree_show_header(struct seq_file *m)
{
	seq_printf(m, "# pidns_tree %d " PIDNS_TREE_COLUMNS "\n",
		   PIDNS_TREE_FORMAT);
}

static char pidns_tree_sub(struct task_struct *task)
{
	if (task->signal->is_child_subreaper)
		return 'S';
	if (task->signal->has_child_subreaper)
		return 's';
	return '-';
}

/*
 * The task's own pid numbers, from @ns down to its namespace.  @pid comes
 * from a single read of ->thread_pid: the task may be unhashed at any
 * moment, but RCU keeps this struct pid and its namespace valid.
 */
static bool pidns_tree_fill_pids(struct pidns_tree_record *r,
				 struct pid_namespace *ns, struct pid *pid)
{
	unsigned int i;

	if (!pid || pid->level < ns->level ||
	    pid->numbers[ns->level].ns != ns)
		return false;

	r->pid = pid->numbers[ns->level].nr;
	r->level = pid->level - ns->level;
	for (i = 0; i <= r->level; i++)
		r->nspids[i] = pid->numbers[ns->level + i].nr;
	r->pidns = ns_of_pid(pid)->ns.inum;
	return true;
}

/*
 * The first parent of the task's process (origin.c) and whether its real
 * parent now belongs to another process.  A move to another thread of the
 * same process is no adoption; nor is anything decided when the real
 * parent's thread group is already unhashed.
 */
static void pidns_tree_fill_origin(struct pidns_tree_record *r,
				   struct pid_namespace *ns,
				   struct task_struct *task,
				   struct task_struct *real_parent)
{
	struct pid *first, *now;

	r->origin_known = pidns_tree_origin(task, &first, r->origin_comm);
	if (!r->origin_known)
		return;
	r->origin = pidns_tree_nr(first, ns);
	now = pidns_tree_tgid(real_parent);
	if (!now)
		r->adopted = '?';
	else
		r->adopted = now == first ? '0' : '1';
}

/*
 * Returns false if the task is no longer at @nr, the pid the walk found it
 * at: it exited, or an exec by another thread of its process gave it the
 * group leader's pid (de_thread() -> exchange_tids() in fs/exec.c), a pid
 * the walk may have printed already.  Printing a task only at the pid it
 * was found at keeps the pid column strictly increasing in one read, each
 * pid at most once.
 */
static bool pidns_tree_fill(struct pidns_tree_record *r,
			    const struct pidns_tree_reader *reader,
			    struct pid_namespace *ns, struct task_struct *task,
			    pid_t nr)
{
	struct task_struct *real_parent, *tracer;
	struct pid *pid;
	bool alive;

	rcu_read_lock();
	pid = READ_ONCE(task->thread_pid);
	alive = pidns_tree_fill_pids(r, ns, pid) && r->pid == nr;
	if (!alive)
		goto out;

	r->init = READ_ONCE(ns_of_pid(pid)->child_reaper) == task;
	r->tgid = pidns_tree_tgid_nr(task, ns);
	real_parent = rcu_dereference(task->real_parent);
	r->ppid = pidns_tree_tgid_nr(real_parent, ns);
	r->parent = pidns_tree_pid_nr(rcu_dereference(task->parent), ns);
	tracer = ptrace_parent(task);
	r->tracer = tracer ? pidns_tree_pid_nr(tracer, ns) : 0;
	r->sub = pidns_tree_sub(task);
	r->reaper = pidns_tree_reaper(real_parent, ns);
	r->state = task_state_to_char(task);
	pidns_tree_fill_origin(r, ns, task, real_parent);
	r->cgroup = pidns_tree_cgroup_id(task, reader->cgroup_root);
	get_task_comm(r->comm, task);
out:
	rcu_read_unlock();
	return alive;
}

/* Writes @v in decimal at @p; returns the end. */
static char *pidns_tree_put_u32(char *p, u32 v)
{
	char digits[10];
	int n = 0;

	do {
		digits[n++] = '0' + v % 10;
		v /= 10;
	} while (v);
	while (n)
		*p++ = digits[--n];
	return p;
}

/* Writes @v in decimal at @p; returns the end. */
static char *pidns_tree_put_u64(char *p, u64 v)
{
	char digits[20];
	int n = 0;

	do {
		digits[n++] = '0' + do_div(v, 10);
	} while (v);
	while (n)
		*p++ = digits[--n];
	return p;
}

/*
 * A name, with every byte that could split a field or a line (and every
 * other control byte, and the backslash itself) written as \ooo, as
 * /proc/PID/mountinfo does.  An empty name is written as \000 so that the
 * field is never empty.
 */
static char *pidns_tree_put_name(char *p, const char *name)
{
	if (!*name)
		return memcpy(p, "\\000", 4) + 4;
	for (; *name; name++) {
		unsigned char c = *name;

		if (c <= ' ' || c == '\\' || c == 0x7f) {
			*p++ = '\\';
			*p++ = '0' + (c >> 6);
			*p++ = '0' + ((c >> 3) & 7);
			*p++ = '0' + (c & 7);
		} else {
			*p++ = c;
		}
	}
	return p;
}

/* origin, origin_comm and adopted: "?" each when unknown. */
static char *pidns_tree_put_origin(char *p, const struct pidns_tree_record *r)
{
	if (!r->origin_known)
		return memcpy(p, " ? ? ?", 6) + 6;
	*p++ = ' ';
	p = pidns_tree_put_u32(p, r->origin);
	*p++ = ' ';
	/*
	 * No name from outside the reader's namespace, as no pid there; and
	 * a process named "?" is not the unknown value.
	 */
	if (!r->origin)
		*p++ = '?';
	else if (!strcmp(r->origin_comm, "?"))
		p = memcpy(p, "\\077", 4) + 4;
	else
		p = pidns_tree_put_name(p, r->origin_comm);
	*p++ = ' ';
	*p++ = r->adopted;
	return p;
}

/*
 * Formats the line at @line, which has room for PIDNS_TREE_LINE_MAX bytes;
 * returns its length.  One pass over a bounded buffer, where a seq_*()
 * call per field would repeat seq_file's overflow checks a dozen times on
 * the hottest path of a read.
 */
static size_t pidns_tree_format(char *line, const struct pidns_tree_record *r)
{
	char *p = line;
	unsigned int i;

	p = pidns_tree_put_u32(p, r->pid);
	*p++ = ' ';
	p = pidns_tree_put_u32(p, r->tgid);
	*p++ = ' ';
	p = pidns_tree_put_u32(p, r->ppid);
	*p++ = ' ';
	p = pidns_tree_put_u32(p, r->parent);
	*p++ = ' ';
	p = pidns_tree_put_u32(p, r->tracer);
	*p++ = ' ';
	*p++ = r->sub;
	*p++ = ' ';
	if (r->reaper == PIDNS_TREE_NS_DIES)
		*p++ = '-';
	else
		p = pidns_tree_put_u32(p, r->reaper);
	*p++ = ' ';
	p = pidns_tree_put_u32(p, r->pidns);
	*p++ = ' ';
	p = pidns_tree_put_u32(p, r->level);
	for (i = 0; i <= r->level; i++) {
		*p++ = i ? ',' : ' ';
		p = pidns_tree_put_u32(p, r->nspids[i]);
	}
	*p++ = ' ';
	*p++ = r->state;
	*p++ = ' ';
	*p++ = r->init ? '1' : '0';
	p = pidns_tree_put_origin(p, r);
	*p++ = ' ';
	p = pidns_tree_put_u64(p, r->cgroup);
	*p++ = ' ';
	p = pidns_tree_put_name(p, r->comm);
	*p++ = '\n';
	return p - line;
}

/*
 * Formatted in the reader's own buffer, then seq_write(), which marks an
 * overflow when the seq_file buffer is short, so that seq_file retries the
 * task in a larger buffer or in the next read.
 */
static void pidns_tree_put_record(struct seq_file *m,
				  const struct pidns_tree_record *r)
{
	struct pidns_tree_reader *reader = m->private;

	seq_write(m, reader->line, pidns_tree_format(reader->line, r));
}

int pidns_tree_show_task(struct seq_file *m, struct pid_namespace *ns,
			 struct task_struct *task, pid_t nr)
{
	struct pidns_tree_record r;

	if (!pidns_tree_fill(&r, m->private, ns, task, nr))
		return SEQ_SKIP;
	pidns_tree_put_record(m, &r);
	return 0;
}
