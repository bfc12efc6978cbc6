// SPDX-License-Identifier: GPL-2.0
/*
 * Every line of /proc/pidns_tree against the kernel's own ground truth,
 * /proc/PID/task/TID/status and /proc/PID/task/TID/ns/pid, with a thread, a
 * zombie, a ptraced task and a task in a child pid namespace around; and a
 * child subreaper seen as such and as its grandchildren's adopter.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/wait.h>
#include <unistd.h>

#include <kselftest_harness.h>

#include "pidns_tree_lib.h"

#define COLUMNS "pid tgid ppid parent tracer sub reaper pidns level nspids state init comm"
#define ROUNDS 5

/*
 * Fork a child that runs @fn, and wait for it to say it is ready.  It dies
 * with its parent unless it is there to be @orphaned.
 */
static pid_t spawn(void (*fn)(int ready_fd, void *arg), void *arg,
		   bool orphaned)
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

static void ready(int fd)
{
	if (write(fd, "", 1) != 1)
		_exit(1);
	close(fd);
}

static void sleeper(int fd, void *arg)
{
	(void)arg;
	ready(fd);
	for (;;)
		pause();
}

static void tracer(int fd, void *arg)
{
	pid_t target = *(pid_t *)arg;

	if (ptrace(PTRACE_SEIZE, target, 0, 0))
		_exit(1);
	sleeper(fd, NULL);
}

/* Unshare CLONE_NEWPID, then fork the namespace's init; report its pid. */
static void ns_parent(int fd, void *arg)
{
	pid_t init;

	(void)arg;

	if (unshare(CLONE_NEWPID))
		_exit(1);
	init = fork();
	if (init == 0) {
		close(fd);
		for (;;)
			pause();
	}
	if (init < 0 || write(fd, &init, sizeof(init)) != sizeof(init))
		_exit(1);
	for (;;)
		pause();
}

static void *thread_fn(void *arg)
{
	(void)arg;
	for (;;)
		pause();
	return NULL;
}

static void skip_without_file(struct __test_metadata *_metadata)
{
	if (access(PIDNS_TREE_PATH, R_OK))
		SKIP(return, "%s is absent: load pidns_tree.ko", PIDNS_TREE_PATH);
}

TEST(header_names_every_column)
{
	struct pt_snapshot s;
	char err[256];

	skip_without_file(_metadata);
	ASSERT_EQ(0, pt_read(PIDNS_TREE_PATH, 65536, &s, err, sizeof(err)))
		TH_LOG("%s", err);
	EXPECT_STREQ("# pidns_tree 1 " COLUMNS, s.header);
	EXPECT_LT(1, s.n);
	pt_free(&s);
}

FIXTURE(zoo) {
	pid_t zombie, sleeper, tracer, ns_parent, ns_init;
	pthread_t thread;
};

FIXTURE_SETUP(zoo)
{
	int fds[2];
	pid_t pid;

	skip_without_file(_metadata);
	ASSERT_EQ(0, pthread_create(&self->thread, NULL, thread_fn, NULL));
	self->zombie = fork();
	if (self->zombie == 0)
		_exit(0);
	ASSERT_LT(0, self->zombie);
	self->sleeper = spawn(sleeper, NULL, false);
	ASSERT_LT(0, self->sleeper);
	self->tracer = spawn(tracer, &self->sleeper, false);
	ASSERT_LT(0, self->tracer);

	ASSERT_EQ(0, pipe(fds));
	pid = fork();
	if (pid == 0) {
		close(fds[0]);
		ns_parent(fds[1], NULL);
	}
	close(fds[1]);
	self->ns_parent = pid;
	ASSERT_EQ(sizeof(pid), read(fds[0], &self->ns_init, sizeof(pid)))
		TH_LOG("could not make a pid namespace: unshare needs root");
	close(fds[0]);
	/* Wait until the zombie is one. */
	ASSERT_TRUE(pt_wait_ppid(self->zombie, getpid(), 2000));
}

FIXTURE_TEARDOWN(zoo)
{
	pid_t *p[] = { &self->tracer, &self->sleeper, &self->ns_parent,
		       &self->zombie };
	size_t i;

	for (i = 0; i < sizeof(p) / sizeof(p[0]); i++) {
		if (*p[i] > 0) {
			kill(*p[i], SIGKILL);
			waitpid(*p[i], NULL, 0);
		}
	}
}

static bool pidns_of(pid_t tgid, pid_t tid, unsigned long *inum)
{
	char path[128], link[64];
	ssize_t n;

	snprintf(path, sizeof(path), "/proc/%d/task/%d/ns/pid", tgid, tid);
	n = readlink(path, link, sizeof(link) - 1);
	if (n < 0)
		return false;
	link[n] = '\0';
	return sscanf(link, "pid:[%lu]", inum) == 1;
}

/*
 * Compare one line with status read just after it; return the number of
 * disagreements, each described in @why.
 */
static int compare_task(const struct pt_task *t, char *why, size_t len)
{
	struct pt_status st;
	unsigned long inum = 0;
	int bad = 0, n = 0, commas;
	const char *c;

	pt_status("/proc", t->tgid, t->pid, &st);
	if (!st.ok || !pidns_of(t->tgid, t->pid, &inum))
		return 0;		/* exited since: nothing to compare */

#define DISAGREE(col, fmt, file, truth) do {				\
	bad++;								\
	n += snprintf(why + n, len > (size_t)n ? len - n : 0,		\
		      "  pid %d (%s) column %s: file says " fmt		\
		      ", kernel says " fmt "\n",			\
		      t->pid, t->comm, col, file, truth);		\
} while (0)

	if (t->tgid != st.tgid)
		DISAGREE("tgid", "%d", t->tgid, st.tgid);
	if (t->ppid != st.ppid)
		DISAGREE("ppid", "%d", t->ppid, st.ppid);
	if (t->tracer != st.tracer)
		DISAGREE("tracer", "%d", t->tracer, st.tracer);
	if (strcmp(t->nspids, st.nspids))
		DISAGREE("nspids", "%s", t->nspids, st.nspids);
	if (t->state != st.state)
		DISAGREE("state", "%c", t->state, st.state);
	if (t->pidns != inum)
		DISAGREE("pidns", "%lu", t->pidns, inum);
	for (c = t->nspids, commas = 0; *c; c++)
		commas += *c == ',';
	if (commas != t->level)
		DISAGREE("level", "%d", t->level, commas);
	if (atoi(t->nspids) != t->pid)
		DISAGREE("nspids", "%d", atoi(t->nspids), t->pid);
#undef DISAGREE
	return bad;
}

/*
 * A round reads the file, then every task's status.  A task that changed
 * between the two (a kworker waking up) makes a round disagree, so a few
 * rounds are allowed; a column the module computes wrongly disagrees in
 * every one.
 */
TEST_F(zoo, fields_match_status)
{
	static char why[1 << 16];
	struct pt_snapshot s;
	const struct pt_task *t;
	char err[256];
	int round, bad = 0;
	size_t i;

	for (round = 0; round < ROUNDS; round++) {
		ASSERT_EQ(0, pt_read(PIDNS_TREE_PATH, 4096, &s, err,
				     sizeof(err))) TH_LOG("%s", err);
		why[0] = '\0';
		for (bad = 0, i = 0; i < s.n; i++)
			bad += compare_task(&s.tasks[i], why + strlen(why),
					    sizeof(why) - strlen(why));

		/* The zoo is there and looks as it should. */
		t = pt_find(&s, self->zombie);
		ASSERT_NE(NULL, t) TH_LOG("zombie %d not listed", self->zombie);
		EXPECT_EQ('Z', t->state);
		t = pt_find(&s, self->sleeper);
		ASSERT_NE(NULL, t);
		EXPECT_EQ(self->tracer, t->tracer);
		EXPECT_EQ(self->tracer, t->parent);
		EXPECT_EQ(getpid(), t->ppid);
		t = pt_find(&s, self->ns_init);
		ASSERT_NE(NULL, t);
		EXPECT_EQ(1, t->level);
		EXPECT_EQ(1, t->init);
		pt_free(&s);
		if (!bad)
			break;
	}
	EXPECT_EQ(0, bad) TH_LOG("after %d rounds:\n%s", ROUNDS, why);
}

/* A child subreaper S; the grandchild names it as reaper, and it is. */
TEST(subreaper_shows_S_and_adopts)
{
	struct pt_snapshot s;
	const struct pt_task *t;
	struct pt_status st;
	int fds[2], status;
	pid_t pids[2], sub;
	char err[256];

	skip_without_file(_metadata);
	ASSERT_EQ(0, pipe(fds));
	sub = fork();
	if (sub == 0) {
		close(fds[0]);
		if (prctl(PR_SET_CHILD_SUBREAPER, 1))
			_exit(1);
		pids[0] = fork();
		if (pids[0] == 0) {
			pids[0] = getpid();
			pids[1] = spawn(sleeper, NULL, true);
			if (write(fds[1], pids, sizeof(pids)) != sizeof(pids))
				_exit(1);
			for (;;)
				pause();
		}
		for (;;)
			pause();
	}
	close(fds[1]);
	ASSERT_EQ(sizeof(pids), read(fds[0], pids, sizeof(pids)));
	close(fds[0]);

	ASSERT_EQ(0, pt_read(PIDNS_TREE_PATH, 4096, &s, err, sizeof(err)))
		TH_LOG("%s", err);
	t = pt_find(&s, sub);
	ASSERT_NE(NULL, t);
	EXPECT_EQ('S', t->sub) TH_LOG("subreaper %d column sub", sub);
	t = pt_find(&s, pids[0]);
	ASSERT_NE(NULL, t);
	EXPECT_EQ('s', t->sub) TH_LOG("child %d column sub", pids[0]);
	t = pt_find(&s, pids[1]);
	ASSERT_NE(NULL, t);
	EXPECT_EQ('s', t->sub) TH_LOG("grandchild %d column sub", pids[1]);
	EXPECT_EQ(sub, t->reaper) TH_LOG("grandchild %d column reaper", pids[1]);
	pt_free(&s);

	/* Kill the middle process: the subreaper must adopt the grandchild. */
	kill(pids[0], SIGKILL);
	EXPECT_TRUE(pt_wait_ppid(pids[1], sub, 5000))
		TH_LOG("grandchild %d was not adopted by subreaper %d",
		       pids[1], sub);
	pt_status("/proc", pids[1], pids[1], &st);
	EXPECT_EQ('S', st.state) TH_LOG("adopted grandchild %d is not asleep",
					 pids[1]);
	kill(pids[1], SIGKILL);
	kill(sub, SIGKILL);
	waitpid(sub, &status, 0);
}

#include "harness_main.h"
