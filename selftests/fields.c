// SPDX-License-Identifier: GPL-2.0
/*
 * Every line of /proc/pidns_tree against the kernel's own ground truth,
 * /proc/PID/task/TID/status and /proc/PID/task/TID/ns/pid, with a thread, a
 * zombie, a ptraced task and a task in a child pid namespace around; and a
 * child subreaper seen as such and as its grandchildren's adopter.
 */
#define _GNU_SOURCE
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

#define COLUMNS "pid tgid ppid parent tracer sub reaper pidns level nspids state init " \
	"origin origin_comm adopted cgroup comm"
#define ROUNDS 5

static void tracer(int fd, void *arg)
{
	pid_t target = *(pid_t *)arg;

	if (ptrace(PTRACE_SEIZE, target, 0, 0))
		_exit(1);
	pst_sleeper(fd, NULL);
}

/* Unshare CLONE_NEWPID, then fork the namespace's init; report its pid. */
static void ns_parent(int fd)
{
	pid_t init;

	if (unshare(CLONE_NEWPID))
		_exit(1);
	init = fork();
	if (init == 0) {
		close(fd);
		pst_sleep_forever();
	}
	if (init < 0 || write(fd, &init, sizeof(init)) != sizeof(init))
		_exit(1);
	pst_sleep_forever();
}

static void *thread_fn(void *arg)
{
	(void)arg;
	pst_sleep_forever();
}

static void skip_without_file(struct __test_metadata *_metadata)
{
	if (access(PIDNS_TREE_PATH, R_OK))
		SKIP(return, "%s is absent: load pidns_tree.ko", PIDNS_TREE_PATH);
}

TEST(header_names_every_column)
{
	struct pst_snapshot s;
	char err[256];

	skip_without_file(_metadata);
	ASSERT_EQ(0, pst_read(PIDNS_TREE_PATH, 65536, &s, err, sizeof(err)))
		TH_LOG("%s", err);
	EXPECT_STREQ("# pidns_tree 1 " COLUMNS, s.header);
	EXPECT_LT(1, s.n);
	pst_free(&s);
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
	self->sleeper = pst_spawn(pst_sleeper, NULL, false);
	ASSERT_LT(0, self->sleeper);
	self->tracer = pst_spawn(tracer, &self->sleeper, false);
	ASSERT_LT(0, self->tracer);

	ASSERT_EQ(0, pipe(fds));
	pid = fork();
	if (pid == 0) {
		close(fds[0]);
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		ns_parent(fds[1]);
	}
	close(fds[1]);
	self->ns_parent = pid;
	ASSERT_EQ(sizeof(pid), read(fds[0], &self->ns_init, sizeof(pid)))
		TH_LOG("could not make a pid namespace: unshare needs root");
	close(fds[0]);
	ASSERT_TRUE(pst_wait_dead(self->zombie, 2000));
}

FIXTURE_TEARDOWN(zoo)
{
	pst_kill(self->tracer);
	pst_kill(self->sleeper);
	pst_kill(self->ns_parent);
	pst_kill(self->zombie);
}

TEST_F(zoo, fields_match_status)
{
	static char why[1 << 16];
	struct pst_snapshot s;
	const struct pst_task *t;
	char err[256];

	EXPECT_EQ(0, pst_check_view("/proc", ROUNDS, why, sizeof(why)))
		TH_LOG("after %d rounds:\n%s", ROUNDS, why);

	/* The zoo is there and looks as it should. */
	ASSERT_EQ(0, pst_read(PIDNS_TREE_PATH, 4096, &s, err, sizeof(err)))
		TH_LOG("%s", err);
	t = pst_find(&s, self->zombie);
	ASSERT_NE(NULL, t) TH_LOG("zombie %d not listed", self->zombie);
	EXPECT_EQ('Z', t->state);
	t = pst_find(&s, self->sleeper);
	ASSERT_NE(NULL, t);
	EXPECT_EQ(self->tracer, t->tracer);
	EXPECT_EQ(self->tracer, t->parent);
	EXPECT_EQ(getpid(), t->ppid);
	t = pst_find(&s, self->ns_init);
	ASSERT_NE(NULL, t);
	EXPECT_EQ(1, t->level);
	EXPECT_EQ(1, t->init);
	pst_free(&s);
}

/*
 * The selftests' own parser (lib_file.c), on made-up output: fields split
 * on the byte 0x20 and lines on 0x0a only; every other byte, 0x80 and up
 * (U+0085 and U+2028 in UTF-8 among them) or a control byte, is data.
 */
#define HEADER "# pidns_tree 1 " COLUMNS "\n"
#define LINE_BUT_COMM "7 7 1 1 0 - 1 4026531836 0 7 S 1 1 init 0 0 "

static int parse(const char *buf, struct pst_snapshot *s, char *err,
		 size_t errlen)
{
	return pst_parse(buf, strlen(buf), s, err, errlen);
}

TEST(parser_splits_on_0x20_and_0x0a_only)
{
	static const char comm[] = "a\x85" "b\xc2\x85" "c\xe2\x80\xa8" "d\re\vf\fg";
	static const char *const bad_pid[] = { "\t7", "\v7", "\f7", "\r7", "+7" };
	/* Two spaces after "pid", one before the first name, one at the end. */
	static const char *const bad_header[] = {
		"# pidns_tree 1 pid %s\n",
		"# pidns_tree 1  %s\n",
		"# pidns_tree 1 %s \n",
	};
	static const char *const header_cols[] = { COLUMNS + 3, COLUMNS, COLUMNS };
	struct pst_snapshot s;
	char buf[512], err[256];
	size_t i;
	int len;

	snprintf(buf, sizeof(buf), "%s%s%s\n", HEADER, LINE_BUT_COMM, comm);
	ASSERT_EQ(0, parse(buf, &s, err, sizeof(err))) TH_LOG("%s", err);
	ASSERT_EQ(1, s.n);
	EXPECT_STREQ(comm, s.tasks[0].comm);
	EXPECT_EQ(7, s.tasks[0].pid);
	pst_free(&s);

	for (i = 0; i < sizeof(bad_pid) / sizeof(bad_pid[0]); i++) {
		snprintf(buf, sizeof(buf), "%s%s%s\n", HEADER, bad_pid[i],
			 LINE_BUT_COMM + 1);
		EXPECT_NE(0, parse(buf, &s, err, sizeof(err)))
			TH_LOG("pid field: byte 0x%02x, then 7, taken for a number",
			       (unsigned char)bad_pid[i][0]);
	}
	for (i = 0; i < sizeof(bad_header) / sizeof(bad_header[0]); i++) {
		len = snprintf(buf, sizeof(buf), bad_header[i], header_cols[i]);
		snprintf(buf + len, sizeof(buf) - len, "%scomm\n",
			 LINE_BUT_COMM);
		EXPECT_NE(0, parse(buf, &s, err, sizeof(err)))
			TH_LOG("header %zu with an empty column name taken", i);
	}
}

/* A child subreaper S; the grandchild names it as reaper, and it is. */
TEST(subreaper_shows_S_and_adopts)
{
	struct pst_snapshot s;
	const struct pst_task *t;
	struct pst_status st;
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
			pids[1] = pst_spawn(pst_sleeper, NULL, true);
			if (write(fds[1], pids, sizeof(pids)) != sizeof(pids))
				_exit(1);
			pst_sleep_forever();
		}
		pst_sleep_forever();
	}
	close(fds[1]);
	ASSERT_EQ(sizeof(pids), read(fds[0], pids, sizeof(pids)));
	close(fds[0]);

	ASSERT_EQ(0, pst_read(PIDNS_TREE_PATH, 4096, &s, err, sizeof(err)))
		TH_LOG("%s", err);
	t = pst_find(&s, sub);
	ASSERT_NE(NULL, t);
	EXPECT_EQ('S', t->sub) TH_LOG("subreaper %d column sub", sub);
	t = pst_find(&s, pids[0]);
	ASSERT_NE(NULL, t);
	EXPECT_EQ('s', t->sub) TH_LOG("child %d column sub", pids[0]);
	t = pst_find(&s, pids[1]);
	ASSERT_NE(NULL, t);
	EXPECT_EQ('s', t->sub) TH_LOG("grandchild %d column sub", pids[1]);
	EXPECT_EQ(sub, t->reaper) TH_LOG("grandchild %d column reaper", pids[1]);
	pst_free(&s);

	/* Kill the middle process: the subreaper must adopt the grandchild. */
	kill(pids[0], SIGKILL);
	EXPECT_TRUE(pst_wait_ppid(pids[1], sub, 5000))
		TH_LOG("grandchild %d was not adopted by subreaper %d",
		       pids[1], sub);
	pst_status("/proc", pids[1], pids[1], &st);
	EXPECT_EQ('S', st.state) TH_LOG("adopted grandchild %d is not asleep",
					 pids[1]);
	kill(pids[1], SIGKILL);
	kill(sub, SIGKILL);
	waitpid(sub, &status, 0);
}

#include "harness_main.h"
