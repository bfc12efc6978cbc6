// SPDX-License-Identifier: GPL-2.0
/*
 * Kinds of tasks: zombies until reaped, every thread with its tgid, a
 * child forked by a non-leader thread, kernel threads, and names that try
 * to forge a field or a line.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <kselftest_harness.h>

#include "pidns_tree_lib.h"

#define THREADS 4

static bool read_line(struct __test_metadata *_metadata, pid_t pid,
		      struct pst_task *out)
{
	char err[256];

	if (pst_read_task(PIDNS_TREE_PATH, pid, out, err, sizeof(err)))
		return true;
	if (*err)
		TH_LOG("%s", err);
	return false;
}

FIXTURE(kinds) {
	int unused;
};

FIXTURE_SETUP(kinds)
{
	if (access(PIDNS_TREE_PATH, R_OK))
		SKIP(return, "%s is absent: load pidns_tree.ko", PIDNS_TREE_PATH);
}

FIXTURE_TEARDOWN(kinds)
{
}

TEST_F(kinds, zombie_until_reaped)
{
	struct pst_task t;
	pid_t pid = fork();

	if (pid == 0)
		_exit(0);
	ASSERT_LT(0, pid);
	ASSERT_TRUE(pst_wait_dead(pid, 5000));
	ASSERT_TRUE(read_line(_metadata, pid, &t)) TH_LOG("zombie %d not listed", pid);
	EXPECT_EQ('Z', t.state) TH_LOG("zombie %d column state", pid);
	EXPECT_EQ(getpid(), t.ppid) TH_LOG("zombie %d column ppid", pid);
	ASSERT_EQ(pid, waitpid(pid, NULL, 0));
	EXPECT_FALSE(read_line(_metadata, pid, &t))
		TH_LOG("reaped zombie %d still listed", pid);
}

struct worker {
	pthread_t thread;
	pid_t tid;
	pid_t child;		/* forked by this thread, if asked */
	bool fork_child;
	int ready[2];
};

static void *worker_fn(void *arg)
{
	struct worker *w = arg;

	w->tid = syscall(SYS_gettid);
	if (w->fork_child) {
		w->child = fork();
		if (w->child == 0)
			pst_sleep_forever();
	}
	pst_ready(w->ready[1]);
	pst_sleep_forever();
}

TEST_F(kinds, threads_listed_with_tgid_and_forking_thread_as_parent)
{
	struct worker w[THREADS] = {};
	struct pst_task t, leader;
	char c;
	int i;

	for (i = 0; i < THREADS; i++) {
		w[i].fork_child = i == THREADS - 1;
		ASSERT_EQ(0, pipe(w[i].ready));
		ASSERT_EQ(0, pthread_create(&w[i].thread, NULL, worker_fn, &w[i]));
		ASSERT_EQ(1, read(w[i].ready[0], &c, 1));
	}
	ASSERT_TRUE(read_line(_metadata, getpid(), &leader));
	for (i = 0; i < THREADS; i++) {
		ASSERT_TRUE(read_line(_metadata, w[i].tid, &t))
			TH_LOG("thread %d not listed", w[i].tid);
		EXPECT_EQ(getpid(), t.tgid) TH_LOG("thread %d column tgid", w[i].tid);
		EXPECT_EQ(leader.ppid, t.ppid) TH_LOG("thread %d column ppid", w[i].tid);
		EXPECT_EQ(leader.parent, t.parent)
			TH_LOG("thread %d column parent", w[i].tid);
	}
	/* The child of the last thread: that thread is its parent. */
	i = THREADS - 1;
	ASSERT_LT(0, w[i].child);
	ASSERT_TRUE(read_line(_metadata, w[i].child, &t));
	EXPECT_EQ(w[i].tid, t.parent) TH_LOG("child %d column parent", w[i].child);
	EXPECT_EQ(getpid(), t.ppid) TH_LOG("child %d column ppid", w[i].child);
	pst_kill(w[i].child);
}

TEST_F(kinds, kernel_threads)
{
	struct pst_snapshot s;
	const struct pst_task *t;
	char err[256];
	size_t i, kthreads = 0;

	ASSERT_EQ(0, pst_read(PIDNS_TREE_PATH, 4096, &s, err, sizeof(err)))
		TH_LOG("%s", err);
	t = pst_find(&s, 2);
	ASSERT_NE(NULL, t);
	EXPECT_STREQ("kthreadd", t->comm);
	EXPECT_EQ(0, t->ppid) TH_LOG("kthreadd column ppid");
	EXPECT_EQ(0, t->reaper) TH_LOG("kthreadd column reaper (idle's child)");
	t = pst_find(&s, 1);
	ASSERT_NE(NULL, t);
	EXPECT_EQ(1, t->init) TH_LOG("pid 1 column init");
	EXPECT_EQ(0, t->reaper) TH_LOG("pid 1 column reaper (idle's child)");
	for (i = 0; i < s.n; i++) {
		t = &s.tasks[i];
		if (t->ppid != 2)
			continue;
		kthreads++;
		EXPECT_EQ(t->pid, t->tgid) TH_LOG("kthread %d column tgid", t->pid);
		EXPECT_EQ(1, t->reaper) TH_LOG("kthread %d column reaper", t->pid);
		EXPECT_EQ(0, t->level);
	}
	EXPECT_LT(5, kthreads);
	pst_free(&s);
}

static void named(int ready, void *arg)
{
	prctl(PR_SET_NAME, arg);
	pst_sleeper(ready, NULL);
}

static void expect_name(struct __test_metadata *_metadata, const char *name,
			const char *escaped)
{
	char comm[32], unescaped[32];
	struct pst_task t;
	pid_t pid;

	pid = pst_spawn(named, (void *)name, false);
	ASSERT_LT(0, pid);
	/* read_line() fails on any torn line or wrong field count. */
	ASSERT_TRUE(read_line(_metadata, pid, &t)) TH_LOG("pid %d", pid);
	EXPECT_STREQ(escaped, t.comm) TH_LOG("pid %d column comm", pid);
	pst_unescape(t.comm, unescaped, sizeof(unescaped));
	strncpy(comm, name, 15);
	comm[15] = '\0';
	EXPECT_STREQ(comm, unescaped) TH_LOG("pid %d comm does not round-trip",
					     pid);
	pst_kill(pid);
}

TEST_F(kinds, names_cannot_forge_fields_or_lines)
{
	expect_name(_metadata, "a b\tc\nd\\e", "a\\040b\\011c\\012d\\134e");
	expect_name(_metadata, "\n1 1 0 0 0 S 0", "\\0121\\0401\\0400\\0400\\0400\\040S\\0400");
	expect_name(_metadata, "del\x7f\x1b[2J", "del\\177\\033[2J");
	expect_name(_metadata, "caf\xc3\xa9", "caf\xc3\xa9");
	expect_name(_metadata, "", "\\000");
}

#include "harness_main.h"
