// SPDX-License-Identifier: GPL-2.0
/*
 * What a reader may see.  From inside a new pid namespace (as root, and
 * as an unprivileged user with a user namespace, like unshare -Urpf
 * --mount-proc) the file shows that namespace's tasks only, and no column
 * reveals a pid from outside.  Through a proc mount with hidepid=invisible
 * a non-root reader sees no task that /proc hides from it; with
 * subset=pid the file is absent.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
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

#define NOBODY 65534
#define SKIPPED 4		/* exit code of a child that could not set up */

/* Changing ids makes a process undumpable: make it an ordinary one again. */
static int become_nobody(void)
{
	if (setgroups(0, NULL) || setresgid(NOBODY, NOBODY, NOBODY) ||
	    setresuid(NOBODY, NOBODY, NOBODY) ||
	    prctl(PR_SET_DUMPABLE, 1))
		return -1;
	return 0;
}

/* Is @nr 0 or the pid of a line of @s? */
static bool known(const struct pst_snapshot *s, long nr)
{
	return nr == 0 || pst_find(s, nr);
}

/*
 * Inside the namespace: every number in the file is 0 or a pid of the
 * file itself.  Prints what disagrees and returns the count.
 */
static int check_inside(const char *path)
{
	struct pst_snapshot s;
	char err[256], *nr, *save, nspids[PST_NSPIDS_LEN];
	unsigned long pidns;
	int bad = 0;
	size_t i;

	if (pst_read(path, 4096, &s, err, sizeof(err))) {
		fprintf(stderr, "# %s\n", err);
		return 1;
	}
	pidns = s.n ? s.tasks[0].pidns : 0;
	for (i = 0; i < s.n; i++) {
		const struct pst_task *t = &s.tasks[i];
		const long cols[] = { t->tgid, t->ppid, t->parent, t->tracer,
				      t->reaper == PST_NS_DIES ? 0 : t->reaper };
		const char *names[] = { "tgid", "ppid", "parent", "tracer",
					"reaper" };
		size_t c;

		for (c = 0; c < sizeof(cols) / sizeof(cols[0]); c++) {
			if (!known(&s, cols[c])) {
				fprintf(stderr, "# pid %d (%s) column %s: %ld is not a pid of this namespace\n",
				       t->pid, t->comm, names[c], cols[c]);
				bad++;
			}
		}
		strcpy(nspids, t->nspids);
		for (nr = strtok_r(nspids, ",", &save); nr;
		     nr = strtok_r(NULL, ",", &save)) {
			if (!known(&s, atol(nr)) || t->level) {
				fprintf(stderr, "# pid %d (%s) column nspids: %s\n",
				       t->pid, t->comm, t->nspids);
				bad++;
			}
		}
		if (t->pidns != pidns) {
			fprintf(stderr, "# pid %d (%s) column pidns: %lu, not %lu\n",
			       t->pid, t->comm, t->pidns, pidns);
			bad++;
		}
	}
	if (!pst_find(&s, 1) || pst_find(&s, 1)->ppid) {
		fprintf(stderr, "# the namespace's pid 1 is missing or has a ppid\n");
		bad++;
	}
	pst_free(&s);
	return bad;
}

/* PID 1 of the new namespace: mount its /proc and look. */
static int inside_init(void)
{
	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) ||
	    mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL)) {
		fprintf(stderr, "# mounting proc in the namespace: %s\n", strerror(errno));
		return SKIPPED;
	}
	/* Something more to see than ourselves: a child and a zombie. */
	if (fork() == 0)
		pst_sleep_forever();
	if (fork() == 0)
		_exit(0);
	usleep(100 * 1000);
	return check_inside("/proc/pidns_tree") ? 1 : 0;
}

FIXTURE(container) {
	int unused;
};

FIXTURE_VARIANT(container) {
	bool unprivileged;
};

FIXTURE_VARIANT_ADD(container, root) {
	.unprivileged = false,
};

FIXTURE_VARIANT_ADD(container, unprivileged_userns) {
	.unprivileged = true,
};

FIXTURE_SETUP(container)
{
	if (access(PIDNS_TREE_PATH, R_OK))
		SKIP(return, "%s is absent: load pidns_tree.ko", PIDNS_TREE_PATH);
}

FIXTURE_TEARDOWN(container)
{
}

TEST_F(container, view_reveals_no_outside_pid)
{
	int flags = CLONE_NEWPID | CLONE_NEWNS, status;
	pid_t pid;

	if (variant->unprivileged)
		flags |= CLONE_NEWUSER;
	pid = fork();
	if (pid == 0) {
		pid_t init;

		if (variant->unprivileged && become_nobody())
			_exit(1);
		if (unshare(flags)) {
			fprintf(stderr, "# unshare: %s\n", strerror(errno));
			_exit(SKIPPED);
		}
		init = fork();
		if (init == 0)
			_exit(inside_init());
		if (waitpid(init, &status, 0) != init || !WIFEXITED(status))
			_exit(1);
		_exit(WEXITSTATUS(status));
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_TRUE(WIFEXITED(status));
	if (WEXITSTATUS(status) == SKIPPED)
		SKIP(return, "this kernel would not make the namespaces (see above)");
	EXPECT_EQ(0, WEXITSTATUS(status));
}

FIXTURE(procmount) {
	char dir[64];
};

FIXTURE_SETUP(procmount)
{
	if (access(PIDNS_TREE_PATH, R_OK))
		SKIP(return, "%s is absent: load pidns_tree.ko", PIDNS_TREE_PATH);
	if (unshare(CLONE_NEWNS))
		SKIP(return, "no mount namespace (%s): needs root", strerror(errno));
	ASSERT_EQ(0, mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL));
	strcpy(self->dir, "/tmp/pidns_tree-proc.XXXXXX");
	ASSERT_NE(NULL, mkdtemp(self->dir));
	ASSERT_EQ(0, chmod(self->dir, 0755));
}

FIXTURE_TEARDOWN(procmount)
{
	umount(self->dir);
	rmdir(self->dir);
}

/* Tgids /proc lists at @dir. */
static int listed_tgids(const char *dir, pid_t *out, int max)
{
	struct dirent *e;
	DIR *d = opendir(dir);
	int n = 0;

	if (!d)
		return -1;
	while ((e = readdir(d)) && n < max) {
		if (e->d_name[0] >= '1' && e->d_name[0] <= '9')
			out[n++] = atoi(e->d_name);
	}
	closedir(d);
	return n;
}

static bool in(const pid_t *set, int n, pid_t pid)
{
	while (n-- > 0)
		if (set[n] == pid)
			return true;
	return false;
}

/* As nobody, read @dir/pidns_tree; every tgid must be listed at @dir. */
static int nobody_sees_only_listed(const char *dir, pid_t mine, pid_t undumpable)
{
	static pid_t tgids[65536];
	struct pst_snapshot s;
	char path[128], err[256];
	int n, bad = 0;
	size_t i;

	if (become_nobody())
		return 1;
	snprintf(path, sizeof(path), "%s/pidns_tree", dir);
	if (pst_read(path, 4096, &s, err, sizeof(err))) {
		fprintf(stderr, "# %s\n", err);
		return 1;
	}
	n = listed_tgids(dir, tgids, 65536);
	for (i = 0; i < s.n; i++) {
		if (!in(tgids, n, s.tasks[i].tgid)) {
			fprintf(stderr, "# pid %d (%s) column pid: hidden by hidepid, shown here\n",
			       s.tasks[i].pid, s.tasks[i].comm);
			bad++;
		}
	}
	if (!pst_find(&s, getpid()) || !pst_find(&s, mine)) {
		fprintf(stderr, "# nobody does not see its own processes\n");
		bad++;
	}
	if (pst_find(&s, 1) || pst_find(&s, undumpable)) {
		fprintf(stderr, "# nobody sees pid 1 or an undumpable process\n");
		bad++;
	}
	pst_free(&s);
	return bad ? 1 : 0;
}

/* A process of nobody's; @arg non-NULL: an undumpable one. */
static void nobody_sleeper(int ready, void *arg)
{
	if (become_nobody() || (arg && prctl(PR_SET_DUMPABLE, 0)))
		_exit(1);
	pst_sleeper(ready, NULL);
}

TEST_F(procmount, hidepid_invisible_hides_what_proc_hides)
{
	pid_t pid, mine, undumpable;
	int status;

	ASSERT_EQ(0, mount("proc", self->dir, "proc", 0, "hidepid=invisible"))
		TH_LOG("mount proc hidepid=invisible: %s", strerror(errno));
	mine = pst_spawn(nobody_sleeper, NULL, false);
	ASSERT_LT(0, mine);
	undumpable = pst_spawn(nobody_sleeper, "undumpable", false);
	ASSERT_LT(0, undumpable);
	pid = fork();
	if (pid == 0)
		_exit(nobody_sees_only_listed(self->dir, mine, undumpable));
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	pst_kill(mine);
	pst_kill(undumpable);
}

/* A descriptor opened as nobody and read as root shows nobody's view. */
TEST_F(procmount, descriptor_keeps_the_openers_view)
{
	struct pst_snapshot s;
	char path[128], err[256], *buf;
	size_t len;
	int fd;

	ASSERT_EQ(0, mount("proc", self->dir, "proc", 0, "hidepid=invisible"));
	snprintf(path, sizeof(path), "%s/pidns_tree", self->dir);
	ASSERT_EQ(0, setresgid(-1, NOBODY, -1));
	ASSERT_EQ(0, setresuid(-1, NOBODY, -1));
	fd = open(path, O_RDONLY);
	ASSERT_EQ(0, setresuid(-1, 0, -1));
	ASSERT_EQ(0, setresgid(-1, 0, -1));
	ASSERT_LE(0, fd) TH_LOG("open as nobody: %s", strerror(errno));

	buf = pst_slurp_fd(fd, 4096, &len);
	ASSERT_NE(NULL, buf) TH_LOG("read as root: %s", strerror(errno));
	ASSERT_EQ(0, pst_parse(buf, len, &s, err, sizeof(err))) TH_LOG("%s", err);
	free(buf);
	EXPECT_EQ(NULL, pst_find(&s, 1))
		TH_LOG("root reading nobody's descriptor sees pid 1");
	EXPECT_NE(NULL, pst_find(&s, getpid()));
	pst_free(&s);
	close(fd);
}

TEST_F(procmount, subset_pid_has_no_file)
{
	char path[128];

	if (mount("proc", self->dir, "proc", 0, "subset=pid"))
		SKIP(return, "this kernel has no subset=pid (%s)", strerror(errno));
	snprintf(path, sizeof(path), "%s/pidns_tree", self->dir);
	EXPECT_EQ(-1, access(path, F_OK));
	EXPECT_EQ(ENOENT, errno);
}

#include "harness_main.h"
