// SPDX-License-Identifier: GPL-2.0
/*
 * Tasks for the tests to look at: spawn them behind a ready pipe, kill and
 * wait for them; and a whole view of the file checked against the ground
 * truth of lib_truth.c.
 */
#define _GNU_SOURCE
#include <dirent.h>
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

/* A task's state and context-switch count, read before the file. */
struct pst_before {
	pid_t tid;
	char state;
	unsigned long switches;
};

struct pst_befores {
	struct pst_before *v;
	size_t n, cap;
};

static int pst_before_cmp(const void *a, const void *b)
{
	const struct pst_before *x = a, *y = b;

	return (x->tid > y->tid) - (x->tid < y->tid);
}

static bool pst_is_number(const char *s)
{
	return *s && strspn(s, "0123456789") == strlen(s);
}

static void pst_before_add(struct pst_befores *bs, const char *procdir,
			   pid_t tgid, pid_t tid)
{
	struct pst_status st;
	struct pst_before *v;

	pst_status(procdir, tgid, tid, &st);
	if (!st.ok)
		return;
	if (bs->n == bs->cap) {
		bs->cap = bs->cap ? 2 * bs->cap : 256;
		v = realloc(bs->v, bs->cap * sizeof(*v));
		if (!v)
			abort();
		bs->v = v;
	}
	bs->v[bs->n++] = (struct pst_before){ tid, st.state, st.switches };
}

/* Every task's state and switch count in @procdir, sorted by tid. */
static void pst_before_read(struct pst_befores *bs, const char *procdir)
{
	struct dirent *p, *t;
	char path[256];
	DIR *pd, *td;
	pid_t tgid;

	bs->n = 0;
	pd = opendir(procdir);
	if (!pd)
		return;
	while ((p = readdir(pd))) {
		if (!pst_is_number(p->d_name))
			continue;
		tgid = atoi(p->d_name);
		snprintf(path, sizeof(path), "%s/%d/task", procdir, tgid);
		td = opendir(path);
		if (!td)
			continue;
		while ((t = readdir(td)))
			if (pst_is_number(t->d_name))
				pst_before_add(bs, procdir, tgid,
					       atoi(t->d_name));
		closedir(td);
	}
	closedir(pd);
	if (bs->n)
		qsort(bs->v, bs->n, sizeof(*bs->v), pst_before_cmp);
}

/*
 * The file's state of @t is checked only if @t was asleep (or stopped,
 * or a zombie) before the file was read and has not run since: such a
 * task changes state only by being woken, so the file must show its state
 * before or after.  A task that was running, or ran in between, may have
 * passed through any state.
 */
static void pst_cmp_state(struct pst_why *w, const struct pst_befores *bs,
			  const struct pst_task *t, const struct pst_status *after)
{
	struct pst_before key = { .tid = t->pid }, *b;
	char file[2] = { t->state, 0 }, truth[48];

	b = bs->n ? bsearch(&key, bs->v, bs->n, sizeof(*b), pst_before_cmp) : NULL;
	if (!b || b->state == 'R' || b->switches != after->switches)
		return;
	if (t->state == b->state || t->state == after->state)
		return;
	snprintf(truth, sizeof(truth), "%c before the read and %c after",
		 b->state, after->state);
	pst_disagree(w, t, "state", file, truth);
}

static void pst_compare_task(const char *procdir, const struct pst_task *t,
			     const struct pst_befores *bs, struct pst_why *w)
{
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
	pst_cmp_state(w, bs, t, &st);
}

int pst_check_view(const char *procdir, int rounds, char *why, size_t len)
{
	struct pst_why w = { .buf = why, .len = len };
	struct pst_befores bs = { 0 };
	struct pst_snapshot s;
	char path[256];
	size_t i;

	snprintf(path, sizeof(path), "%s/pidns_tree", procdir);
	while (rounds-- > 0) {
		w.used = 0;
		w.bad = 0;
		why[0] = '\0';
		pst_before_read(&bs, procdir);
		if (pst_read(path, 4096, &s, why, len)) {
			free(bs.v);
			return 1;
		}
		for (i = 0; i < s.n; i++)
			pst_compare_task(procdir, &s.tasks[i], &bs, &w);
		pst_free(&s);
		if (!w.bad)
			break;
	}
	free(bs.v);
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
