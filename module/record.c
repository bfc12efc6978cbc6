// SPDX-License-Identifier: GPL-2.0
/*
 * One task -> one line of /proc/pidns_tree.  The columns, their order and
 * their escaping are an ABI: see Documentation/proc-pidns_tree.rst.
 *
 * Every value is gathered under one RCU section into a struct, then
 * printed.  Pids are computed the way fs/proc/array.c computes PPid,
 * TracerPid and NSpid, so that a test can compare them with
 * /proc/PID/task/TID/status.  comm is task->comm, copied without a lock
 * (pidns_tree_comm()): /proc/PID/comm shows the same for every task but
 * kernel threads, for which proc_task_name() prints the full name or the
 * workqueue from functions a module cannot call.  cgroup is the id of the
 * task's cgroup on the default hierarchy, 0 outside the opener's cgroup
 * namespace (cgroup.c).
 */

#include <linux/bitops.h>
#include <linux/limits.h>
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
	"origin origin_comm adopted cgroup id comm"

/*
 * The header, then the event stream's sequence number before the walk
 * (see SEQUENCE in Documentation/proc-pidns_tree.rst).
 */
void pidns_tree_show_header(struct seq_file *m)
{
	seq_printf(m, "# pidns_tree %d " PIDNS_TREE_COLUMNS "\n# seq_before %llu\n",
		   PIDNS_TREE_FORMAT, pidns_tree_events_seq());
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
 * The id and first parent of @task's process (origin.c), into @r and
 * *@first, from the record or from the one remembered for the previous
 * task, when that was a thread of the same process (a quarter of the
 * lines in the bench's population of 4-thread processes): neither changes
 * while the process lives.  Only a record found is remembered: a process
 * the walk finds before its fork has added the record would otherwise
 * stay unknown for its threads.  False if the first parent is unknown.
 * The reference on @process keeps its struct pid from being reused for
 * another process meanwhile; get_pid() is safe under
 * rcu_read_lock(), as the caller has seen @task not yet unhashed.
 *
 * c->first is only compared and converted to a number (pidns_tree_nr()):
 * the record holds a reference on it while the process lives, and the
 * process lives while @task, one of its threads, is not unhashed.
 *
 * Whether the opener may see the first parent's name is decided once per
 * process too (visible.c), by whether it could see that process in /proc,
 * or, once it has exited, whether it could have with the credentials it
 * forked with.
 */
static bool pidns_tree_first_parent(struct seq_file *m, struct task_struct *task,
				    struct pid *process, struct pidns_tree_record *r,
				    struct pid **first)
{
	struct pidns_tree_reader *reader = m->private;
	struct pidns_tree_process *c = &reader->process;
	struct pidns_tree_first f;

	if (process != c->tgid) {
		if (!pidns_tree_origin(task, process, &f))
			return false;
		put_pid(c->tgid);
		c->tgid = get_pid(process);
		c->id = f.id;
		c->first = f.parent;
		c->comm_visible = f.parent && (reader->sees_all ||
			pidns_tree_process_visible(m, f.parent, f.cred));
		memcpy(c->comm, f.comm, TASK_COMM_LEN);
	}
	r->id = c->id;
	*first = c->first;
	r->origin_comm_visible = c->comm_visible;
	memcpy(r->origin_comm, c->comm, TASK_COMM_LEN);
	return c->first;
}

/*
 * The first parent of the task's process and whether its real parent now
 * belongs to another process.  A move to another thread of the same
 * process is no adoption; nor is anything decided when the real parent's
 * thread group is already unhashed.
 */
static void pidns_tree_fill_origin(struct pidns_tree_record *r,
				   struct seq_file *m,
				   struct pid_namespace *ns,
				   struct task_struct *task,
				   struct task_struct *real_parent)
{
	struct pid *process = pidns_tree_tgid(task), *first, *now;

	r->id = 0;
	r->origin_known = process &&
		pidns_tree_first_parent(m, task, process, r, &first);
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
 * The task's name, copied without the task lock, as the sched tracepoints
 * copy it: the array always holds a NUL, and a rename racing with the
 * copy gives at worst a mix of the two names, which put_name() escapes
 * like any other bytes.  No lock and no call for each task.
 */
static void pidns_tree_comm(char *comm, struct task_struct *task)
{
	memcpy(comm, task->comm, TASK_COMM_LEN);
	comm[TASK_COMM_LEN - 1] = '\0';
}

/*
 * Returns false if the task is no longer at @nr, the pid the walk found it
 * at: it exited, or an exec by another thread of its process gave it the
 * group leader's pid (de_thread() -> exchange_tids() in fs/exec.c), a pid
 * the walk may have printed already.  Printing a task only at the pid it
 * was found at keeps the pid column strictly increasing in one read, each
 * pid at most once.
 */
static bool pidns_tree_fill(struct pidns_tree_record *r, struct seq_file *m,
			    struct pid_namespace *ns, struct task_struct *task,
			    pid_t nr)
{
	struct pidns_tree_reader *reader = m->private;
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
	r->reaper = pidns_tree_reaper(reader, real_parent, ns);
	r->state = task_state_to_char(task);
	pidns_tree_fill_origin(r, m, ns, task, real_parent);
	r->cgroup = pidns_tree_cgroup_id(task, reader->cgroup_root);
	pidns_tree_comm(r->comm, task);
out:
	rcu_read_unlock();
	return alive;
}

static const u32 pidns_tree_pow10[10] = {
	1, 10, 100, 1000, 10000, 100000, 1000000, 10000000, 100000000,
	1000000000,
};

/* The number of decimal digits of @v: log10 from its bit length. */
static unsigned int pidns_tree_digits(u32 v)
{
	unsigned int t = (fls(v | 1) * 1233) >> 12;

	return t - ((v | 1) < pidns_tree_pow10[t]) + 1;
}

/*
 * Writes @v in decimal at @p; returns the end.  The digits are written
 * from the end, two a division: ->show prints a dozen numbers a task.
 * For n < 100, n / 10 == (n * 103) >> 10.
 */
char *pidns_tree_put_u32(char *p, u32 v)
{
	char *end = p + pidns_tree_digits(v);
	u32 pair, tens;

	p = end;
	while (v >= 10) {
		pair = v % 100;
		v /= 100;
		tens = (pair * 103) >> 10;
		*--p = '0' + pair - 10 * tens;
		*--p = '0' + tens;
	}
	if (v || p == end)
		*--p = '0' + v;
	return end;
}

/* Writes @v in decimal at @p; returns the end. */
char *pidns_tree_put_u64(char *p, u64 v)
{
	char digits[20];
	int n = 0;

	if (v <= U32_MAX)
		return pidns_tree_put_u32(p, v);
	do {
		digits[n++] = '0' + do_div(v, 10);
	} while (v);
	while (n)
		*p++ = digits[--n];
	return p;
}

/*
 * Writes @v, or copies the @len digits at @same when @v is @other, a
 * number already written: most lines repeat the pid (tgid, nspids) and
 * the real parent (parent, origin).
 */
static char *pidns_tree_put_same(char *p, u32 v, u32 other, const char *same,
				 size_t len)
{
	if (v != other)
		return pidns_tree_put_u32(p, v);
	while (len--)
		*p++ = *same++;
	return p;
}

/*
 * A name, with every byte that could split a field or a line (and every
 * other control byte, and the backslash itself) written as \ooo, as
 * /proc/PID/mountinfo does.  An empty name is written as \000 so that the
 * field is never empty.
 */
char *pidns_tree_put_name(char *p, const char *name)
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
static char *pidns_tree_put_origin(char *p, const struct pidns_tree_record *r,
				   const char *ppid, size_t ppid_len)
{
	if (!r->origin_known)
		return memcpy(p, " ? ? ?", 6) + 6;
	*p++ = ' ';
	p = pidns_tree_put_same(p, r->origin, r->ppid, ppid, ppid_len);
	*p++ = ' ';
	/*
	 * No name from outside the reader's namespace, as no pid there, nor
	 * one the opener may not see; and a process named "?" is not the
	 * unknown value.
	 */
	if (!r->origin || !r->origin_comm_visible)
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
	char *p = line, *pid, *ppid;
	size_t pid_len, ppid_len;
	unsigned int i;

	pid = p;
	p = pidns_tree_put_u32(p, r->pid);
	pid_len = p - pid;
	*p++ = ' ';
	p = pidns_tree_put_same(p, r->tgid, r->pid, pid, pid_len);
	*p++ = ' ';
	ppid = p;
	p = pidns_tree_put_u32(p, r->ppid);
	ppid_len = p - ppid;
	*p++ = ' ';
	p = pidns_tree_put_same(p, r->parent, r->ppid, ppid, ppid_len);
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
	*p++ = ' ';
	p = pidns_tree_put_same(p, r->nspids[0], r->pid, pid, pid_len);
	for (i = 1; i <= r->level; i++) {
		*p++ = ',';
		p = pidns_tree_put_u32(p, r->nspids[i]);
	}
	*p++ = ' ';
	*p++ = r->state;
	*p++ = ' ';
	*p++ = r->init ? '1' : '0';
	p = pidns_tree_put_origin(p, r, ppid, ppid_len);
	*p++ = ' ';
	p = pidns_tree_put_u64(p, r->cgroup);
	*p++ = ' ';
	p = pidns_tree_put_u64(p, r->id);
	*p++ = ' ';
	p = pidns_tree_put_name(p, r->comm);
	*p++ = '\n';
	return p - line;
}

/*
 * Formatted straight into seq_file's buffer when a line of any length
 * fits there, as seq_put_decimal_ull() writes into it; otherwise in the
 * reader's own buffer, then seq_write(), which marks an overflow when the
 * room is short, so that seq_file retries the task in a larger buffer or
 * in the next read.  A line never fills the room exactly: m->count ==
 * m->size means overflow.
 */
static void pidns_tree_put_record(struct seq_file *m,
				  const struct pidns_tree_record *r)
{
	struct pidns_tree_reader *reader = m->private;

	if (m->size - m->count > PIDNS_TREE_LINE_MAX) {
		m->count += pidns_tree_format(m->buf + m->count, r);
		return;
	}
	seq_write(m, reader->line, pidns_tree_format(reader->line, r));
}

/* Called at ->stop(): no reference is kept from one read() to the next. */
void pidns_tree_forget_process(struct pidns_tree_reader *reader)
{
	put_pid(reader->process.tgid);
	reader->process.tgid = NULL;
}

int pidns_tree_show_task(struct seq_file *m, struct pid_namespace *ns,
			 struct task_struct *task, pid_t nr)
{
	struct pidns_tree_reader *reader = m->private;
	struct pidns_tree_record *r = &reader->record;

	if (!pidns_tree_fill(r, m, ns, task, nr))
		return SEQ_SKIP;
	pidns_tree_put_record(m, r);
	return 0;
}
