// SPDX-License-Identifier: GPL-2.0
/*
 * Which tasks a reader may see through a proc mount with hidepid=.
 *
 * /proc hides a task (fs/proc/base.c, has_pid_permissions()) unless the
 * reader is in the mount's gid= group or ptrace_may_access(task,
 * PTRACE_MODE_READ_FSCREDS) allows it.  ptrace_may_access() is not
 * exported, so this is the part of __ptrace_may_access() (kernel/ptrace.c)
 * that can only say no where it says no:
 *
 *  - a task of the opener's own process;
 *  - a task whose uid, euid and suid are the opener's fsuid and whose gid,
 *    egid and sgid are its fsgid, and whose mm (if any) is dumpable;
 *  - any task, for an opener with CAP_SYS_PTRACE in the initial user
 *    namespace (the kernel asks in the task's, which that implies), or in
 *    the mount's gid= group.
 *
 * Both subjects are the opener, never the process that reads: its
 * credentials (file->f_cred) and its thread group, recorded at open().  A
 * descriptor handed to another process (SCM_RIGHTS, or inherited) shows
 * exactly what its opener would see, no more and no less.  LSMs are not
 * consulted.  hidepid=1 (files unreadable, directories listed) hides tasks
 * here too, since every line shows what their status file would.
 *
 * A line also names another process: origin_comm is its first parent's
 * name.  The same rule decides whether that name is shown (else "?").
 * Numbers of other processes (ppid, parent, tracer, origin, reaper) are
 * shown as /proc/PID/status shows PPid and TracerPid of a visible task,
 * whether or not the process they number is visible.
 */

#include <linux/capability.h>
#include <linux/cred.h>
#include <linux/fs.h>
#include <linux/pid.h>
#include <linux/proc_fs.h>
#include <linux/sched.h>
#include <linux/sched/coredump.h>
#include <linux/sched/mm.h>
#include <linux/sched/signal.h>
#include <linux/sched/task.h>
#include <linux/seq_file.h>
#include <linux/user_namespace.h>

#include "pidns_tree.h"

bool pidns_tree_same_ids(const struct cred *opener, const struct cred *t)
{
	return uid_eq(opener->fsuid, t->euid) &&
	       uid_eq(opener->fsuid, t->suid) &&
	       uid_eq(opener->fsuid, t->uid) &&
	       gid_eq(opener->fsgid, t->egid) &&
	       gid_eq(opener->fsgid, t->sgid) &&
	       gid_eq(opener->fsgid, t->gid);
}

/* Under task_lock(): may sleep on PREEMPT_RT, never from a probe. */
bool pidns_tree_task_dumpable(struct task_struct *task)
{
	struct mm_struct *mm;
	bool dumpable = true;

	task_lock(task);
	mm = task->mm;
	if (mm)
		dumpable = pidns_tree_owner_dumpable(task, mm);
	task_unlock(task);
	return dumpable;
}

/*
 * Decided once, at open(), for the opener, who is current.  The capability
 * is asked without an audit record: a user who reads the file is not
 * attempting anything that a denial should log, and a reader under
 * hidepid= would otherwise log one at every open with SELinux or AppArmor.
 */
bool pidns_tree_sees_all(struct file *file)
{
	struct proc_fs_info *fs_info = proc_sb_info(file_inode(file)->i_sb);

	if (fs_info->hide_pid == HIDEPID_OFF)
		return true;
	if (fs_info->hide_pid != HIDEPID_NOT_PTRACEABLE &&
	    in_group_p(fs_info->pid_gid))
		return true;
	return ns_capable_noaudit(&init_user_ns, CAP_SYS_PTRACE);
}

/* For an opener that does not see all: may it see @task? */
bool pidns_tree_visible(struct seq_file *m, struct task_struct *task)
{
	struct pidns_tree_reader *reader = m->private;
	const struct cred *tcred;
	bool same;

	if (task_tgid(task) == reader->opener)
		return true;

	tcred = get_task_cred(task);
	same = pidns_tree_same_ids(m->file->f_cred, tcred);
	put_cred(tcred);
	return same && pidns_tree_task_dumpable(task);
}

/*
 * For an opener that does not see all: may it see the name of the process
 * whose thread-group pid is @process?  While the process lives, if it
 * could see it in /proc; once it has exited, if it could have with @cred,
 * the credentials the process had when the record was made (its
 * dumpability then is not known).  Under rcu_read_lock().
 */
bool pidns_tree_process_visible(struct seq_file *m, struct pid *process,
				const struct cred *cred)
{
	struct pidns_tree_reader *reader = m->private;
	struct task_struct *leader;

	if (process == reader->opener)
		return true;
	leader = pid_task(process, PIDTYPE_TGID);
	if (leader)
		return pidns_tree_visible(m, leader);
	return pidns_tree_same_ids(m->file->f_cred, cred);
}
