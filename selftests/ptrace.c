// SPDX-License-Identifier: GPL-2.0
/*
 * ptrace: while a task is traced by a process that is not its parent,
 * parent and tracer name the tracer and ppid stays the real parent; after
 * the tracer detaches, or exits, parent is the real parent again.
 */
#define _GNU_SOURCE
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/wait.h>
#include <unistd.h>

#include <kselftest_harness.h>

#include "pidns_tree_lib.h"

struct tracer_args {
	pid_t target;
	int cmd[2];		/* test -> tracer: 'd' detach */
	int done[2];		/* tracer -> test: detached */
};

static void tracer(int ready, void *arg)
{
	struct tracer_args *a = arg;
	char c;

	if (ptrace(PTRACE_SEIZE, a->target, 0, 0))
		_exit(1);
	pst_ready(ready);
	if (read(a->cmd[0], &c, 1) != 1)
		_exit(1);
	/* A seized tracee must be stopped to be detached. */
	if (ptrace(PTRACE_INTERRUPT, a->target, 0, 0) ||
	    waitpid(a->target, NULL, __WALL) != a->target ||
	    ptrace(PTRACE_DETACH, a->target, 0, 0))
		_exit(1);
	pst_ready(a->done[1]);
	pst_sleep_forever();
}

FIXTURE(traced) {
	struct tracer_args a;
	pid_t tracer;
};

FIXTURE_SETUP(traced)
{
	if (access(PIDNS_TREE_PATH, R_OK))
		SKIP(return, "%s is absent: load pidns_tree.ko", PIDNS_TREE_PATH);
	self->a.target = pst_spawn(pst_sleeper, NULL, false);
	ASSERT_LT(0, self->a.target);
	ASSERT_EQ(0, pipe(self->a.cmd));
	ASSERT_EQ(0, pipe(self->a.done));
	self->tracer = pst_spawn(tracer, &self->a, false);
	ASSERT_LT(0, self->tracer);
}

FIXTURE_TEARDOWN(traced)
{
	pst_kill(self->tracer);
	pst_kill(self->a.target);
}

static void expect_line(struct __test_metadata *_metadata, pid_t pid,
			pid_t ppid, pid_t parent, pid_t tracer, const char *when)
{
	struct pst_snapshot s;
	const struct pst_task *t;
	struct pst_status st;
	char err[256];

	ASSERT_EQ(0, pst_read(PIDNS_TREE_PATH, 4096, &s, err, sizeof(err)))
		TH_LOG("%s", err);
	t = pst_find(&s, pid);
	ASSERT_NE(NULL, t) TH_LOG("pid %d not listed %s", pid, when);
	EXPECT_EQ(ppid, t->ppid) TH_LOG("pid %d column ppid %s", pid, when);
	EXPECT_EQ(parent, t->parent) TH_LOG("pid %d column parent %s", pid, when);
	EXPECT_EQ(tracer, t->tracer) TH_LOG("pid %d column tracer %s", pid, when);
	pst_status("/proc", pid, pid, &st);
	ASSERT_TRUE(st.ok);
	EXPECT_EQ(st.tracer, t->tracer) TH_LOG("pid %d column tracer vs TracerPid %s",
					       pid, when);
	pst_free(&s);
}

TEST_F(traced, parent_is_tracer_until_detach)
{
	pid_t me = getpid(), target = self->a.target;
	char c;

	expect_line(_metadata, target, me, self->tracer, self->tracer,
		    "while traced");
	ASSERT_EQ(1, write(self->a.cmd[1], "d", 1));
	ASSERT_EQ(1, read(self->a.done[0], &c, 1)) TH_LOG("detach failed");
	expect_line(_metadata, target, me, me, 0, "after detach");
}

TEST_F(traced, parent_returns_when_tracer_exits)
{
	pid_t me = getpid(), target = self->a.target;

	expect_line(_metadata, target, me, self->tracer, self->tracer,
		    "while traced");
	pst_kill(self->tracer);
	self->tracer = 0;
	expect_line(_metadata, target, me, me, 0, "after the tracer exited");
}

#include "harness_main.h"
