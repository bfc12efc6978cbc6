// SPDX-License-Identifier: GPL-2.0
/*
 * Tasks for the tests to look at: spawn them behind a ready pipe, kill and
 * wait for them; and a whole view of the file checked against the ground
 * truth of lib_truth.c.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "pidns_tree_lib.h"

pid_t pst_spawn(void (*fn)(int ready_fd, void *arg), void *arg, bool orphaned)
{
	int fds[2];
	pid_t pid;
	char c;

	if (pipe(fds))
		return -1;
	pid = fork();
	if (pid == 0) {
		close(fds[0]);
		if (!orphaned)
			prctl(PR_SET_PDEATHSIG, SIGKILL);
		fn(fds[1], arg);
		_exit(0);
	}
	close(fds[1]);
	if (pid < 0 || read(fds[0], &c, 1) != 1)
		pid = -1;
	close(fds[0]);
	return pid;
}

void pst_ready(int fd)
{
	if (write(fd, "", 1) != 1)
		_exit(1);
	close(fd);
}

void pst_sleep_forever(void)
{
	for (;;)
		pause();
}

void pst_sleeper(int ready_fd, void *arg)
{
	(void)arg;
	pst_ready(ready_fd);
	pst_sleep_forever();
}

void pst_kill(pid_t pid)
{
	if (pid <= 0)
		return;
	kill(pid, SIGKILL);
	waitpid(pid, NULL, __WALL);
}

bool pst_wait_dead(pid_t pid, int ms)
{
	struct timespec ts = { 0, 10 * 1000 * 1000 };
	struct pst_status st;

	for (; ms > 0; ms -= 10) {
		pst_status("/proc", pid, pid, &st);
		if (!st.ok || st.state == 'Z')
			return true;
		nanosleep(&ts, NULL);
	}
	return false;
}

struct pst_why {
	char *buf;
	size_t len, used;
	int bad;
};

static void pst_disagree(struct pst_why *w, const struct pst_task *t,
			 const char *col, const char *file, const char *truth)
{
	int n;

	w->bad++;
	if (w->used >= w->len)
		return;
	n = snprintf(w->buf + w->used, w->len - w->used,
		     "  pid %d (%s) column %s: file says %s, kernel says %s\n",
		     t->pid, t->comm, col, file, truth);
	if (n > 0)
		w->used += n;
}

static void pst_cmp_num(struct pst_why *w, const struct pst_task *t,
			const char *col, long file, long truth)
{
	char a[24], b[24];

	if (file == truth)
		return;
	snprintf(a, sizeof(a), "%ld", file);
	snprintf(b, sizeof(b), "%ld", truth);
	pst_disagree(w, t, col, a, b);
}

static void pst_compare_task(const char *procdir, const struct pst_task *t,
			     struct pst_why *w)
{
	char a[2] = { t->state, 0 }, b[2];
	unsigned long inum;
	struct pst_status st;
	const char *c;
	int commas = 0;

	pst_status(procdir, t->tgid, t->pid, &st);
	if (!st.ok || !pst_pidns_of(procdir, t->tgid, t->pid, &inum))
		return;		/* exited since: nothing to compare */

	pst_cmp_num(w, t, "tgid", t->tgid, st.tgid);
	pst_cmp_num(w, t, "ppid", t->ppid, st.ppid);
	pst_cmp_num(w, t, "tracer", t->tracer, st.tracer);
	pst_cmp_num(w, t, "pidns", t->pidns, inum);
	if (strcmp(t->nspids, st.nspids))
		pst_disagree(w, t, "nspids", t->nspids, st.nspids);
	for (c = t->nspids; *c; c++)
		commas += *c == ',';
	pst_cmp_num(w, t, "level", t->level, commas);
	pst_cmp_num(w, t, "pid", t->pid, atoi(t->nspids));
	/* Not adopted: the first parent is the real parent, as PPid says. */
	if (t->adopted == '0')
		pst_cmp_num(w, t, "origin", t->origin, st.ppid);
	b[0] = st.state;
	b[1] = '\0';
	if (t->state != st.state)
		pst_disagree(w, t, "state", a, b);
}

int pst_check_view(const char *procdir, int rounds, char *why, size_t len)
{
	struct pst_why w = { .buf = why, .len = len };
	struct pst_snapshot s;
	char path[256];
	size_t i;

	snprintf(path, sizeof(path), "%s/pidns_tree", procdir);
	while (rounds-- > 0) {
		w.used = 0;
		w.bad = 0;
		why[0] = '\0';
		if (pst_read(path, 4096, &s, why, len))
			return 1;
		for (i = 0; i < s.n; i++)
			pst_compare_task(procdir, &s.tasks[i], &w);
		pst_free(&s);
		if (!w.bad)
			break;
	}
	return w.bad;
}

unsigned long long pst_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * PST_NSEC + ts.tv_nsec;
}

void pst_sleep_ms(int ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

void pst_kill_all(pid_t *pids, int n)
{
	int i;

	for (i = 0; i < n; i++)
		if (pids[i] > 0)
			kill(pids[i], SIGKILL);
	for (i = 0; i < n; i++) {
		if (pids[i] > 0)
			waitpid(pids[i], NULL, 0);
		pids[i] = 0;
	}
}

void *pst_sleep_thread(void *arg)
{
	for (;;)
		pause();
	return arg;
}

static long pst_sysctl_get(const char *path)
{
	char buf[32] = "";
	long v = -1;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd >= 0 && read(fd, buf, sizeof(buf) - 1) > 0)
		v = strtol(buf, NULL, 10);
	if (fd >= 0)
		close(fd);
	return v;
}

static int pst_sysctl_set(const char *path, long v)
{
	char buf[32];
	int fd = open(path, O_WRONLY | O_CLOEXEC), n, ret = -1;

	if (fd < 0)
		return -1;
	n = snprintf(buf, sizeof(buf), "%ld\n", v);
	if (write(fd, buf, n) == n)
		ret = 0;
	close(fd);
	return ret;
}

int pst_sysctl_raise(const char *path, long min, long *old)
{
	long cur = pst_sysctl_get(path);

	*old = 0;
	if (cur < 0)
		return -1;
	if (cur >= min)
		return 0;
	if (pst_sysctl_set(path, min))
		return -1;
	*old = cur;
	return 0;
}

void pst_sysctl_restore(const char *path, long old)
{
	if (old > 0)
		pst_sysctl_set(path, old);
}

bool pst_quick(void)
{
	const char *env = getenv(PST_QUICK_ENV);

	return env && !strcmp(env, "1");
}
