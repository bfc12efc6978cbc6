// SPDX-License-Identifier: GPL-2.0
/*
 * The reaper column is a prediction: who would adopt a task if its real
 * parent's whole process exited now.  Each test reads the prediction, kills
 * the parent, and checks who the kernel actually made the new real parent
 * (kernel/exit.c, find_new_reaper).
 *
 * The tasks form a chain built by chain_level(): each level forks the next
 * one, after becoming a child subreaper or unsharing a pid namespace if
 * asked, and records its child's pid in shared memory.  The deep chain
 * (last) is a thousand processes below two subreapers.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <kselftest_harness.h>

#include "pidns_tree_lib.h"

#define MAX_LEVELS 8

enum {
	SUBREAPER	= 1 << 0,	/* PR_SET_CHILD_SUBREAPER */
	NEWPID_BELOW	= 1 << 1,	/* the next level is a namespace init */
	LEADER_EXITS	= 1 << 2,	/* only a second thread stays alive */
	SUBREAPER_OFF	= 1 << 3,	/* clear the flag once the chain is up */
};

struct chain {
	int levels;
	int flags[MAX_LEVELS];
	pid_t pid[MAX_LEVELS];		/* in the test's namespace */
};

static int chain_index = -1;		/* this process's level */

static void *thread_sleeps(void *arg)
{
	(void)arg;
	pst_sleep_forever();
}

static void chain_level(int ready, void *arg)
{
	struct chain *c = arg;
	int i = ++chain_index, flags = c->flags[i];
	pthread_t thread;

	if ((flags & SUBREAPER) && prctl(PR_SET_CHILD_SUBREAPER, 1))
		_exit(1);
	if (i + 1 < c->levels) {
		if ((flags & NEWPID_BELOW) && unshare(CLONE_NEWPID))
			_exit(1);
		c->pid[i + 1] = pst_spawn(chain_level, c, true);
		if (c->pid[i + 1] < 0)
			_exit(1);
	}
	if ((flags & SUBREAPER_OFF) && prctl(PR_SET_CHILD_SUBREAPER, 0))
		_exit(1);
	if (flags & LEADER_EXITS) {
		if (pthread_create(&thread, NULL, thread_sleeps, NULL))
			_exit(1);
		pst_ready(ready);
		pthread_exit(NULL);
	}
	pst_ready(ready);
	pst_sleep_forever();
}

FIXTURE(chain) {
	struct chain *c;
};

FIXTURE_SETUP(chain)
{
	if (access(PIDNS_TREE_PATH, R_OK))
		SKIP(return, "%s is absent: load pidns_tree.ko", PIDNS_TREE_PATH);
	self->c = mmap(NULL, sizeof(*self->c), PROT_READ | PROT_WRITE,
		       MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, self->c);
	memset(self->c, 0, sizeof(*self->c));
}

FIXTURE_TEARDOWN(chain)
{
	int i;

	for (i = self->c->levels - 1; i >= 0; i--)
		if (self->c->pid[i] > 0)
			kill(self->c->pid[i], SIGKILL);
	if (self->c->pid[0] > 0)
		waitpid(self->c->pid[0], NULL, 0);
	munmap(self->c, sizeof(*self->c));
}

/* Build a chain below the test; @flags ends with -1. */
static void build(struct __test_metadata *_metadata, struct chain *c,
		  const int *flags)
{
	for (c->levels = 0; flags[c->levels] >= 0; c->levels++)
		c->flags[c->levels] = flags[c->levels];
	c->pid[0] = pst_spawn(chain_level, c, false);
	ASSERT_LT(0, c->pid[0]);
	ASSERT_LT(0, c->pid[c->levels - 1]);
}

/* The line of @pid, as read now. */
static bool line_of(pid_t pid, struct pst_task *out)
{
	char err[256];

	return pst_read_task(PIDNS_TREE_PATH, pid, out, err, sizeof(err));
}

/* Read @pid's predicted reaper, kill its real parent, see who adopts it. */
static void predict_and_kill(struct __test_metadata *_metadata,
			     pid_t pid, pid_t parent, pid_t expected)
{
	struct pst_task t;

	ASSERT_TRUE(line_of(pid, &t)) TH_LOG("pid %d not listed", pid);
	ASSERT_EQ(parent, t.ppid) TH_LOG("pid %d column ppid", pid);
	EXPECT_EQ(expected, t.reaper)
		TH_LOG("pid %d (%s) column reaper: file says %d, expected %d",
		       pid, t.comm, t.reaper, expected);
	kill(parent, SIGKILL);
	EXPECT_TRUE(pst_wait_ppid(pid, t.reaper, 5000))
		TH_LOG("pid %d: the file predicted adoption by %d; it was not",
		       pid, t.reaper);
}

TEST_F(chain, nearest_of_two_stacked_subreapers)
{
	const int flags[] = { SUBREAPER, SUBREAPER, 0, 0, -1 };
	struct chain *c = self->c;
	struct pst_task t;

	build(_metadata, c, flags);
	ASSERT_TRUE(line_of(c->pid[0], &t));
	EXPECT_EQ('S', t.sub) TH_LOG("outer subreaper column sub");
	ASSERT_TRUE(line_of(c->pid[1], &t));
	EXPECT_EQ('S', t.sub) TH_LOG("inner subreaper column sub");
	predict_and_kill(_metadata, c->pid[3], c->pid[2], c->pid[1]);
}

TEST_F(chain, outer_namespace_subreaper_not_chosen)
{
	/* subreaper -> runtime -> [ns init -> parent -> child] */
	const int flags[] = { SUBREAPER, NEWPID_BELOW, 0, 0, 0, -1 };
	struct chain *c = self->c;
	struct pst_task t;

	build(_metadata, c, flags);
	ASSERT_TRUE(line_of(c->pid[2], &t));
	ASSERT_EQ(1, t.init) TH_LOG("pid %d should be a namespace init",
				    c->pid[2]);
	/* Levels 3 and 4 have pids inside the namespace only: find them. */
	c->pid[3] = c->pid[4] = 0;
	{
		struct pst_snapshot s;
		char err[256];
		size_t i;

		ASSERT_EQ(0, pst_read(PIDNS_TREE_PATH, 4096, &s, err,
				      sizeof(err))) TH_LOG("%s", err);
		for (i = 0; i < s.n; i++) {
			if (s.tasks[i].ppid == c->pid[2])
				c->pid[3] = s.tasks[i].pid;
		}
		for (i = 0; i < s.n; i++) {
			if (c->pid[3] && s.tasks[i].ppid == c->pid[3])
				c->pid[4] = s.tasks[i].pid;
		}
		pst_free(&s);
	}
	ASSERT_LT(0, c->pid[4]);
	predict_and_kill(_metadata, c->pid[4], c->pid[3], c->pid[2]);
}

TEST_F(chain, subreaper_alive_through_a_thread_then_gone)
{
	/* outer -> inner (leader exited, a thread lives) -> parent -> child */
	const int flags[] = { SUBREAPER, SUBREAPER | LEADER_EXITS, 0, 0, -1 };
	struct chain *c = self->c;
	struct pst_task t;

	build(_metadata, c, flags);
	ASSERT_TRUE(pst_wait_dead(c->pid[1], 5000))
		TH_LOG("the inner subreaper's leader did not exit");
	ASSERT_TRUE(line_of(c->pid[3], &t));
	EXPECT_EQ(c->pid[1], t.reaper)
		TH_LOG("a subreaper with a live thread must be chosen");

	/* All its threads exit: the parent goes to the outer subreaper. */
	kill(c->pid[1], SIGKILL);
	ASSERT_TRUE(pst_wait_ppid(c->pid[2], c->pid[0], 5000));
	predict_and_kill(_metadata, c->pid[3], c->pid[2], c->pid[0]);
}

/*
 * The kernel walks up for a subreaper only if the exiting process has
 * has_child_subreaper.  The flag is inherited at fork and pushed down by
 * PR_SET_CHILD_SUBREAPER, so in every state reachable from userspace a
 * process without it has no subreaper above it in its namespace: the gate
 * saves the walk but never changes the answer.  This test checks the
 * answer on both sides of the gate, flag never set and flag left behind
 * by a subreaper that cleared its own; a module that walked regardless of
 * the flag would pass it too.
 */
TEST_F(chain, has_child_subreaper_gate)
{
	/* Without the flag anywhere: the namespace init adopts. */
	const int plain[] = { 0, 0, -1 };
	/* Flag set then cleared: has_child_subreaper stays, nobody is one. */
	const int cleared[] = { SUBREAPER | SUBREAPER_OFF, 0, 0, -1 };
	struct chain *c = self->c;
	struct pst_task t;

	ASSERT_TRUE(line_of(getpid(), &t));
	ASSERT_EQ('-', t.sub) TH_LOG("the test must not run below a subreaper");

	build(_metadata, c, plain);
	ASSERT_TRUE(line_of(c->pid[1], &t));
	EXPECT_EQ('-', t.sub) TH_LOG("pid %d column sub", c->pid[1]);
	predict_and_kill(_metadata, c->pid[1], c->pid[0], 1);
	kill(c->pid[1], SIGKILL);
	waitpid(c->pid[0], NULL, 0);

	memset(c, 0, sizeof(*c));
	build(_metadata, c, cleared);
	ASSERT_TRUE(line_of(c->pid[0], &t));
	EXPECT_EQ('-', t.sub) TH_LOG("pid %d column sub after clearing", c->pid[0]);
	ASSERT_TRUE(line_of(c->pid[2], &t));
	EXPECT_EQ('s', t.sub) TH_LOG("pid %d column sub", c->pid[2]);
	predict_and_kill(_metadata, c->pid[2], c->pid[1], 1);
}

TEST_F(chain, children_of_a_namespace_init_die_with_it)
{
	const int flags[] = { NEWPID_BELOW, 0, 0, -1 };
	struct chain *c = self->c;
	struct pst_snapshot s;
	pid_t child = 0;
	char err[256];
	size_t i;

	build(_metadata, c, flags);
	ASSERT_EQ(0, pst_read(PIDNS_TREE_PATH, 4096, &s, err, sizeof(err)))
		TH_LOG("%s", err);
	for (i = 0; i < s.n; i++) {
		if (s.tasks[i].ppid == c->pid[1]) {
			child = s.tasks[i].pid;
			EXPECT_EQ(PST_NS_DIES, s.tasks[i].reaper)
				TH_LOG("pid %d column reaper", child);
		}
	}
	pst_free(&s);
	ASSERT_LT(0, child);
	kill(c->pid[1], SIGKILL);
	EXPECT_TRUE(pst_wait_dead(child, 5000))
		TH_LOG("pid %d outlived its namespace init", child);
}

/*
 * The article: a subreaper shim (below another subreaper) forks a runtime,
 * which forks the container init into a new namespace and exits.
 */
TEST_F(chain, article_shim_adopts_container_init)
{
	const int flags[] = { SUBREAPER, SUBREAPER, NEWPID_BELOW, 0, -1 };
	struct chain *c = self->c;
	struct pst_task t;

	build(_metadata, c, flags);
	/* The runtime exits: the init goes to the shim. */
	ASSERT_TRUE(line_of(c->pid[3], &t));
	EXPECT_EQ(c->pid[1], t.reaper) TH_LOG("init column reaper before");
	kill(c->pid[2], SIGKILL);
	ASSERT_TRUE(pst_wait_ppid(c->pid[3], c->pid[1], 5000))
		TH_LOG("the shim did not adopt the container init");
	ASSERT_TRUE(line_of(c->pid[3], &t));
	EXPECT_EQ(c->pid[1], t.ppid) TH_LOG("init column ppid");
	EXPECT_EQ(1, t.init);
	/* Then the shim exits: its own nearest subreaper adopts the init. */
	predict_and_kill(_metadata, c->pid[3], c->pid[1], c->pid[0]);
}

/* ---- a deep chain below two subreapers ------------------------------------ */

/*
 * The module remembers, for the pass in progress, the adopter it found
 * above each father, so that a chain of d processes costs a read d steps
 * and not d * d / 2 (tools/bench measures that).  These check that the
 * remembered answers are right: for every member, in a whole read, and
 * in a read during which the nearest subreaper dies, where a remembered
 * answer naming the dead one must not be used.
 *
 * outer (subreaper) -> inner (subreaper) -> c[0] -> c[1] -> ... -> c[DEEP-1]
 *
 * The members share inner's memory (clone(CLONE_VM) with a stack each): a
 * chain of fork()s costs the kernel itself O(depth) a fork.
 */
#define DEEP		1000
#define DEEP_STACK	(64 * 1024)

struct deep {
	pid_t outer, inner;
	pid_t c[DEEP];
	int built;			/* members that recorded their pid */
	int failed;
};

static struct deep *deep;		/* shared with the members */
static char *deep_stacks;		/* inner's, so the members' */

static void deep_pause(void)
{
	for (;;)
		pause();
}

static int deep_member(void *arg)
{
	long i = (long)arg;

	deep->c[i] = getpid();
	if (i + 1 < DEEP &&
	    clone(deep_member, deep_stacks + (i + 2) * DEEP_STACK,
		  CLONE_VM | SIGCHLD, (void *)(i + 1)) < 0)
		__atomic_store_n(&deep->failed, 1, __ATOMIC_SEQ_CST);
	__atomic_add_fetch(&deep->built, 1, __ATOMIC_SEQ_CST);
	deep_pause();
	return 0;
}

static void deep_inner(int ready, void *arg)
{
	(void)arg;
	if (prctl(PR_SET_CHILD_SUBREAPER, 1) ||
	    clone(deep_member, deep_stacks + DEEP_STACK, CLONE_VM | SIGCHLD,
		  (void *)0L) < 0)
		_exit(1);
	while (__atomic_load_n(&deep->built, __ATOMIC_SEQ_CST) < DEEP &&
	       !__atomic_load_n(&deep->failed, __ATOMIC_SEQ_CST))
		pst_sleep_ms(10);
	pst_ready(ready);
	deep_pause();
}

static void deep_outer(int ready, void *arg)
{
	(void)arg;
	/* One process group: the teardown kills the whole chain at once. */
	if (setpgid(0, 0) || prctl(PR_SET_CHILD_SUBREAPER, 1))
		_exit(1);
	deep->inner = pst_spawn(deep_inner, NULL, false);
	if (deep->inner < 0)
		_exit(1);
	pst_ready(ready);
	deep_pause();
}

FIXTURE(deep) {
	struct pst_snapshot s;
};

FIXTURE_SETUP(deep)
{
	if (access(PIDNS_TREE_PATH, R_OK))
		SKIP(return, "%s is absent: load pidns_tree.ko", PIDNS_TREE_PATH);
	deep = mmap(NULL, sizeof(*deep), PROT_READ | PROT_WRITE,
		    MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, deep);
	deep_stacks = mmap(NULL, (size_t)(DEEP + 1) * DEEP_STACK,
			   PROT_READ | PROT_WRITE,
			   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	ASSERT_NE(MAP_FAILED, deep_stacks);
	deep->outer = pst_spawn(deep_outer, NULL, false);
	ASSERT_LT(0, deep->outer);
	ASSERT_EQ(0, deep->failed) TH_LOG("clone() failed in the chain");
	ASSERT_EQ(DEEP, deep->built);
}

FIXTURE_TEARDOWN(deep)
{
	if (deep->outer > 0) {
		kill(-deep->outer, SIGKILL);
		waitpid(deep->outer, NULL, 0);
	}
	munmap(deep_stacks, (size_t)(DEEP + 1) * DEEP_STACK);
	munmap(deep, sizeof(*deep));
}

/*
 * Every member from @from on shows @want as its reaper in @s; c[0] shows
 * @first.  Returns how many members were checked.
 */
static int deep_check(struct __test_metadata *_metadata,
		      const struct pst_snapshot *s, pid_t from, pid_t first,
		      pid_t want, const char *when)
{
	int i, checked = 0, bad = 0;

	for (i = 0; i < DEEP; i++) {
		const struct pst_task *t = pst_find(s, deep->c[i]);
		pid_t expected = i ? want : first;

		if (deep->c[i] < from)
			continue;
		ASSERT_NE(NULL, t) TH_LOG("%s: member %d (pid %d) not listed",
					  when, i, deep->c[i]);
		checked++;
		if (t->reaper != expected && bad++ < 5)
			TH_LOG("%s: member %d (pid %d, ppid %d) column reaper: file says %d, expected %d",
			       when, i, t->pid, t->ppid, t->reaper, expected);
	}
	EXPECT_EQ(0, bad) TH_LOG("%s: %d members wrong", when, bad);
	return checked;
}

/* The members' pids rise with their depth: the walk meets them in order. */
static bool deep_in_order(void)
{
	int i;

	for (i = 1; i < DEEP; i++)
		if (deep->c[i] <= deep->c[i - 1])
			return false;
	return true;
}

TEST_F_TIMEOUT(deep, every_member_then_inner_killed, 120)
{
	char err[256];
	pid_t outer = deep->outer, inner = deep->inner;

	/* c[0]'s father is inner, whose nearest subreaper is outer. */
	ASSERT_EQ(0, pst_read(PIDNS_TREE_PATH, 4096, &self->s, err,
			      sizeof(err))) TH_LOG("%s", err);
	EXPECT_EQ(DEEP, deep_check(_metadata, &self->s, 0, outer, inner,
				   "whole read"));
	pst_free(&self->s);

	/* inner dies: c[0] goes to outer, and outer is everyone's adopter. */
	kill(inner, SIGKILL);
	ASSERT_TRUE(pst_wait_ppid(deep->c[0], outer, 5000))
		TH_LOG("outer did not adopt member 0");
	ASSERT_EQ(0, pst_read(PIDNS_TREE_PATH, 4096, &self->s, err,
			      sizeof(err))) TH_LOG("%s", err);
	/* outer has no subreaper above it: c[0]'s adopter is init. */
	EXPECT_EQ(DEEP, deep_check(_metadata, &self->s, 0, 1, outer,
				   "after inner was killed"));
	pst_free(&self->s);
}

/*
 * One read: its first part before inner dies, the rest after.  The lines
 * formatted after the death must name outer, never inner, whose answer
 * the pass remembered.
 */
TEST_F_TIMEOUT(deep, inner_killed_during_a_read, 120)
{
	size_t len = 0, cap = 1 << 20, cut = 0;
	char *buf = malloc(cap), err[256], *p;
	pid_t middle = deep->c[DEEP / 2], from;
	bool killed = false;
	int fd, lines;
	ssize_t n;

	if (!deep_in_order())
		SKIP(return, "the members' pids wrapped around: the read would not meet them in order");
	ASSERT_NE(NULL, buf);
	fd = open(PIDNS_TREE_PATH, O_RDONLY);
	ASSERT_LE(0, fd);
	for (;;) {
		if (cap - len < 4096) {
			buf = realloc(buf, cap *= 2);
			ASSERT_NE(NULL, buf);
		}
		n = read(fd, buf + len, 4096);
		ASSERT_LE(0, n) TH_LOG("read: %s", strerror(errno));
		if (!n)
			break;
		len += n;
		buf[len] = '\0';
		if (!killed && len > 16) {
			char needle[32];

			snprintf(needle, sizeof(needle), "\n%d ", middle);
			if (strstr(buf, needle)) {
				kill(deep->inner, SIGKILL);
				ASSERT_TRUE(pst_wait_ppid(deep->c[0], deep->outer, 5000));
				killed = true;
				cut = len;
			}
		}
	}
	close(fd);
	ASSERT_TRUE(killed);
	/*
	 * seq_file may have formatted a line past what read() returned
	 * before the kill: judge the lines from the third after the cut.
	 */
	for (p = buf + cut, lines = 0; lines < 3 && (p = strchr(p, '\n')); p++)
		lines++;
	ASSERT_NE(NULL, p);
	from = atoi(p);
	ASSERT_LT(middle, from);
	ASSERT_EQ(0, pst_parse(buf, len, &self->s, err, sizeof(err)))
		TH_LOG("%s", err);
	free(buf);
	EXPECT_LT(DEEP / 4, deep_check(_metadata, &self->s, from, 1,
				       deep->outer, "after the kill, same read"));
	pst_free(&self->s);
}

#include "harness_main.h"
