// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * live.c - what the reader adds when it reads the live file
 *
 * The module prints task->comm, at most 15 bytes.  For a kernel thread,
 * /proc/PID/comm shows more: the full name where it is longer
 * (kworker/R-kvfree_rcu_reclaim, stored as kworker/R-kvfre), and a
 * workqueue worker's current work (kworker/0:0-events).  ps shows that
 * name; so does the reader when it reads /proc/pidns_tree on this machine,
 * for the kernel threads of the initial namespace only (kthreadd and its
 * children), and only if /proc's name starts with the module's, so that a
 * pid reused in between is never given another task's name.
 */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "pidns-tree.h"
#include "xalloc.h"

#define PT_LIVE_COMM_MAX	128

static bool kernel_thread(const struct pt_task *t)
{
	return t->level == 0 && t->pidns == PT_INIT_PID_NS && t->pid == t->tgid &&
	       (t->pid == 2 || t->ppid == 2);
}

/* The name in @root/PID/comm, if it extends @comm; NULL otherwise. */
static char *proc_comm(const char *root, const struct pt_task *t)
{
	char path[4096], name[PT_LIVE_COMM_MAX + 1];
	size_t n = strlen(t->comm);
	ssize_t r;
	int fd;

	if ((size_t)snprintf(path, sizeof(path), "%s/%d/comm", root,
			     (int)t->pid) >= sizeof(path))
		return NULL;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return NULL;
	r = read(fd, name, PT_LIVE_COMM_MAX);
	close(fd);
	if (r <= 0)
		return NULL;
	if (name[r - 1] == '\n')
		r--;
	name[r] = '\0';
	if ((size_t)r <= n || memcmp(name, t->comm, n) || memchr(name, '\0', r))
		return NULL;
	return xstrdup(name);
}

void pt_live_comms(struct pt_model *m, const char *root)
{
	struct pt_snapshot *s = &m->snap;
	size_t i;

	for (i = 0; i < s->nr_tasks; i++) {
		struct pt_task *t = &s->tasks[i];
		char *name;

		if (!kernel_thread(t) || !(name = proc_comm(root, t)))
			continue;
		s->names = xreallocarray(s->names, s->nr_names + 1,
					 sizeof(*s->names));
		s->names[s->nr_names++] = name;
		t->comm = name;
	}
}
