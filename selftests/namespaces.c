// SPDX-License-Identifier: GPL-2.0
/*
 * Pid namespaces: nspids, level, pidns and init of tasks three levels
 * deep, read from the host and from a /proc mounted inside each level; and
 * two sibling namespaces that never see each other's tasks.
 *
 * The test makes itself a private mount namespace, so that the proc
 * instances the namespace inits mount under a temporary directory are
 * visible to it, and gone with it.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <kselftest_harness.h>

#include "pidns_tree_lib.h"

#define DEPTH 3
#define ROUNDS 5

struct level_args {
	const char *dir;	/* proc of level N goes to dir/N */
	int depth, max;
	int ready;		/* written once the deepest level is up */
};

static void name_task(const char *what, int n)
{
	char name[16];

	snprintf(name, sizeof(name), "%s-%d", what, n);
	prctl(PR_SET_NAME, name);
}

static void mount_proc(const char *dir, int n)
{
	char path[256];

	snprintf(path, sizeof(path), "%s/%d", dir, n);
	if (mkdir(path, 0755) || mount("proc", path, "proc", 0, NULL))
		_exit(10);
}

static void named_sleeper(int ready, void *arg)
{
	prctl(PR_SET_NAME, arg);
	pst_sleeper(ready, NULL);
}

/*
 * Fork a child that sleeps, named @what-@n, in the caller's namespace, and
 * wait until it has its name.
 */
static void fork_named_sleeper(const char *what, int n)
{
	char name[16];

	snprintf(name, sizeof(name), "%s-%d", what, n);
	if (pst_spawn(named_sleeper, name, false) < 0)
		_exit(11);
}

/* Fork the init of a new pid namespace below the caller's. */
static pid_t fork_ns_init(void (*fn)(struct level_args *),
			  struct level_args *a)
{
	pid_t pid;

	if (unshare(CLONE_NEWPID))
		return -1;
	pid = fork();
	if (pid == 0) {
		fn(a);
		_exit(0);
	}
	return pid;
}

/* PID 1 of level a->depth: mount proc, fork a child, go one deeper. */
static void level_init(struct level_args *a)
{
	name_task("init", a->depth);
	mount_proc(a->dir, a->depth);
	fork_named_sleeper("child", a->depth);
	if (a->depth == a->max) {
		pst_ready(a->ready);
	} else {
		a->depth++;
		if (fork_ns_init(level_init, a) < 0)
			_exit(12);
	}
	pst_sleep_forever();
}

static void nested(int ready, void *arg)
{
	struct level_args a = { .dir = arg, .depth = 1, .max = DEPTH,
				.ready = ready };

	if (fork_ns_init(level_init, &a) < 0)
		_exit(13);
	pst_sleep_forever();
}

/* Find the only line whose comm is @name. */
static const struct pst_task *by_name(const struct pst_snapshot *s,
				      const char *name)
{
	const struct pst_task *found = NULL;
	size_t i;

	for (i = 0; i < s->n; i++) {
		if (!strcmp(s->tasks[i].comm, name)) {
			if (found)
				return NULL;
			found = &s->tasks[i];
		}
	}
	return found;
}

static unsigned long pidns_inode(pid_t pid)
{
	char path[64], link[64];
	unsigned long inum = 0;
	ssize_t n;

	snprintf(path, sizeof(path), "/proc/%d/ns/pid", pid);
	n = readlink(path, link, sizeof(link) - 1);
	if (n > 0) {
		link[n] = '\0';
		sscanf(link, "pid:[%lu]", &inum);
	}
	return inum;
}

/* The last number of an nspids field, and how many there are. */
static int last_nspid(const char *nspids, int *count)
{
	const char *c = strrchr(nspids, ',');

	*count = 1;
	for (const char *p = nspids; *p; p++)
		*count += *p == ',';
	return atoi(c ? c + 1 : nspids);
}

FIXTURE(ns) {
	char dir[64];
	pid_t top;
};

FIXTURE_SETUP(ns)
{
	if (access(PIDNS_TREE_PATH, R_OK))
		SKIP(return, "%s is absent: load pidns_tree.ko", PIDNS_TREE_PATH);
	if (unshare(CLONE_NEWNS))
		SKIP(return, "cannot make a mount namespace (%s): needs root",
		     strerror(errno));
	ASSERT_EQ(0, mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL));
	strcpy(self->dir, "/tmp/pidns_tree-ns.XXXXXX");
	ASSERT_NE(NULL, mkdtemp(self->dir));
	self->top = -1;
}

FIXTURE_TEARDOWN(ns)
{
	pst_kill(self->top);
}

TEST_F(ns, nested_three_levels)
{
	static char why[1 << 16];
	const struct pst_task *t;
	struct pst_snapshot s;
	char err[256], name[16], view[128];
	int n, count, nr;

	self->top = pst_spawn(nested, self->dir, false);
	ASSERT_LT(0, self->top);

	/* From the host: every level's init and child. */
	ASSERT_EQ(0, pst_read(PIDNS_TREE_PATH, 4096, &s, err, sizeof(err)))
		TH_LOG("%s", err);
	for (n = 1; n <= DEPTH; n++) {
		snprintf(name, sizeof(name), "init-%d", n);
		t = by_name(&s, name);
		ASSERT_NE(NULL, t) TH_LOG("%s not listed once", name);
		EXPECT_EQ(n, t->level) TH_LOG("%s column level", name);
		EXPECT_EQ(1, t->init) TH_LOG("%s column init", name);
		EXPECT_EQ(pidns_inode(t->pid), t->pidns)
			TH_LOG("%s column pidns", name);
		nr = last_nspid(t->nspids, &count);
		EXPECT_EQ(1, nr) TH_LOG("%s column nspids %s", name, t->nspids);
		EXPECT_EQ(n + 1, count) TH_LOG("%s column nspids %s", name,
						t->nspids);

		snprintf(name, sizeof(name), "child-%d", n);
		t = by_name(&s, name);
		ASSERT_NE(NULL, t) TH_LOG("%s not listed once", name);
		EXPECT_EQ(n, t->level) TH_LOG("%s column level", name);
		EXPECT_EQ(0, t->init) TH_LOG("%s column init", name);
		EXPECT_EQ(PST_NS_DIES, t->reaper) TH_LOG("%s column reaper", name);
		nr = last_nspid(t->nspids, &count);
		EXPECT_EQ(2, nr) TH_LOG("%s column nspids %s", name, t->nspids);
		EXPECT_EQ(n + 1, count) TH_LOG("%s column nspids %s", name,
						t->nspids);
	}
	pst_free(&s);

	/* From inside each level: only that level and those below. */
	for (n = 1; n <= DEPTH; n++) {
		snprintf(view, sizeof(view), "%s/%d", self->dir, n);
		EXPECT_EQ(0, pst_check_view(view, ROUNDS, why, sizeof(why)))
			TH_LOG("view of level %d:\n%s", n, why);
		snprintf(view, sizeof(view), "%s/%d/pidns_tree", self->dir, n);
		ASSERT_EQ(0, pst_read(view, 4096, &s, err, sizeof(err)))
			TH_LOG("%s", err);
		EXPECT_EQ((size_t)2 * (DEPTH - n + 1), s.n)
			TH_LOG("level %d sees %zu tasks", n, s.n);
		snprintf(name, sizeof(name), "init-%d", n);
		t = by_name(&s, name);
		ASSERT_NE(NULL, t) TH_LOG("level %d: %s not listed", n, name);
		EXPECT_EQ(1, t->pid) TH_LOG("level %d: %s column pid", n, name);
		EXPECT_EQ(0, t->ppid) TH_LOG("level %d: %s column ppid", n, name);
		EXPECT_EQ(0, t->reaper) TH_LOG("level %d: %s column reaper", n, name);
		EXPECT_EQ(0, t->level) TH_LOG("level %d: %s column level", n, name);
		EXPECT_STREQ("1", t->nspids) TH_LOG("level %d: %s nspids", n, name);
		pst_free(&s);
	}
}

static void sibling_init(struct level_args *a)
{
	name_task("sib", a->depth);
	mount_proc(a->dir, a->depth);
	fork_named_sleeper("sibchild", a->depth);
	pst_ready(a->ready);
	pst_sleep_forever();
}

/* Two namespaces side by side, each with an init and a child. */
static void siblings(int ready, void *arg)
{
	struct level_args a = { .dir = arg, .max = 1 };
	int fds[2];
	char c;

	for (a.depth = 1; a.depth <= 2; a.depth++) {
		if (pipe(fds))
			_exit(14);
		a.ready = fds[1];
		if (fork() == 0) {
			close(fds[0]);
			if (fork_ns_init(sibling_init, &a) < 0)
				_exit(15);
			pst_sleep_forever();
		}
		close(fds[1]);
		if (read(fds[0], &c, 1) != 1)
			_exit(16);
		close(fds[0]);
	}
	pst_ready(ready);
	pst_sleep_forever();
}

TEST_F(ns, siblings_never_see_each_other)
{
	struct pst_snapshot s[2];
	unsigned long inum[2];
	char err[256], view[128];
	int n, other;
	size_t i;

	self->top = pst_spawn(siblings, self->dir, false);
	ASSERT_LT(0, self->top);

	for (n = 0; n < 2; n++) {
		snprintf(view, sizeof(view), "%s/%d/pidns_tree", self->dir, n + 1);
		ASSERT_EQ(0, pst_read(view, 4096, &s[n], err, sizeof(err)))
			TH_LOG("%s", err);
		ASSERT_EQ(2, s[n].n) TH_LOG("sibling %d sees %zu tasks",
					    n + 1, s[n].n);
		inum[n] = s[n].tasks[0].pidns;
	}
	ASSERT_NE(inum[0], inum[1]);
	for (n = 0; n < 2; n++) {
		other = !n;
		for (i = 0; i < s[n].n; i++) {
			const struct pst_task *t = &s[n].tasks[i];

			EXPECT_EQ(inum[n], t->pidns)
				TH_LOG("sibling %d sees pid %d (%s) of pidns %lu",
				       n + 1, t->pid, t->comm, t->pidns);
			EXPECT_NE(inum[other], t->pidns);
			EXPECT_EQ(0, t->level);
		}
		pst_free(&s[n]);
	}
}

#include "harness_main.h"
