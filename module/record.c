// SPDX-License-Identifier: GPL-2.0
/*
 * One task -> one line of /proc/pidns_tree.  The columns, their order and
 * their escaping are an ABI: see Documentation/proc-pidns_tree.rst.
 *
 * Every value is gathered under one RCU section into a struct, then
 * printed.  Pids are computed the way fs/proc/array.c computes PPid,
 * TracerPid and NSpid, so that a test can compare them with
 * /proc/PID/task/TID/status.
 */

#include <linux/pid.h>
#include <linux/pid_namespace.h>
#include <linux/ptrace.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>

#include "pidns_tree.h"

#define PIDNS_TREE_COLUMNS \
	"pid tgid ppid parent tracer sub reaper pidns level nspids state init comm"

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

/* Returns false if the task left its pid behind since it was found. */
static bool pidns_tree_fill(struct pidns_tree_record *r,
			    struct pid_namespace *ns, struct task_struct *task)
{
	struct task_struct *real_parent, *tracer;
	struct pid *pid;
	bool alive;

	rcu_read_lock();
	pid = READ_ONCE(task->thread_pid);
	alive = pidns_tree_fill_pids(r, ns, pid);
	if (!alive)
		goto out;

	r->init = READ_ONCE(ns_of_pid(pid)->child_reaper) == task;
	r->tgid = task_tgid_nr_ns(task, ns);
	real_parent = rcu_dereference(task->real_parent);
	r->ppid = task_tgid_nr_ns(real_parent, ns);
	r->parent = task_pid_nr_ns(rcu_dereference(task->parent), ns);
	tracer = ptrace_parent(task);
	r->tracer = tracer ? task_pid_nr_ns(tracer, ns) : 0;
	r->sub = pidns_tree_sub(task);
	r->reaper = pidns_tree_reaper(real_parent, ns);
	r->state = task_state_to_char(task);
out:
	rcu_read_unlock();
	return alive;
}

/*
 * The name goes last, with every byte that could split a field or a line
 * (and every other control byte, and the backslash itself) written as
 * \ooo, as /proc/PID/mountinfo does.  An empty name is written as \000 so
 * that the field is never empty.
 */
static void pidns_tree_put_comm(struct seq_file *m, const char *comm)
{
	seq_putc(m, ' ');
	if (!*comm) {
		seq_puts(m, "\\000");
		return;
	}
	for (; *comm; comm++) {
		unsigned char c = *comm;

		if (c <= ' ' || c == '\\' || c == 0x7f)
			seq_printf(m, "\\%03o", c);
		else
			seq_putc(m, c);
	}
}

static void pidns_tree_put_record(struct seq_file *m,
				  const struct pidns_tree_record *r)
{
	unsigned int i;

	seq_put_decimal_ull(m, "", r->pid);
	seq_put_decimal_ull(m, " ", r->tgid);
	seq_put_decimal_ull(m, " ", r->ppid);
	seq_put_decimal_ull(m, " ", r->parent);
	seq_put_decimal_ull(m, " ", r->tracer);
	seq_putc(m, ' ');
	seq_putc(m, r->sub);
	if (r->reaper == PIDNS_TREE_NS_DIES)
		seq_puts(m, " -");
	else
		seq_put_decimal_ull(m, " ", r->reaper);
	seq_put_decimal_ull(m, " ", r->pidns);
	seq_put_decimal_ull(m, " ", r->level);
	for (i = 0; i <= r->level; i++)
		seq_put_decimal_ull(m, i ? "," : " ", r->nspids[i]);
	seq_putc(m, ' ');
	seq_putc(m, r->state);
	seq_puts(m, r->init ? " 1" : " 0");
	pidns_tree_put_comm(m, r->comm);
	seq_putc(m, '\n');
}

int pidns_tree_show_task(struct seq_file *m, struct pid_namespace *ns,
			 struct task_struct *task)
{
	struct pidns_tree_record r;

	if (!pidns_tree_fill(&r, ns, task))
		return SEQ_SKIP;
	get_task_comm(r.comm, task);
	pidns_tree_put_record(m, &r);
	return 0;
}
