// SPDX-License-Identifier: GPL-2.0
/*
 * The cgroup column: the id of every task's cgroup on the cgroup v2
 * hierarchy, checked against the inode of the directory /proc/PID/cgroup
 * names on the cgroup2 mount; and, read from inside a cgroup namespace,
 * nothing of the cgroups outside its root: their tasks print 0.
 *
 * The tests make their cgroups in a directory of their own on the cgroup2
 * mount (the guest of tools/vm/vm-run mounts one on /sys/fs/cgroup) and
 * remove it at the end.  They need root; without a cgroup2 mount they
 * skip and say so.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <kselftest_harness.h>

#include "pidns_tree_lib.h"

#define ROUNDS 5
#define MAX_PIDS 8

/* The mount point of the cgroup2 hierarchy, from mountinfo; false if none. */
static bool cg_mount(char *mnt, size_t len)
{
	FILE *f = fopen("/proc/self/mountinfo", "re");
	char line[4096], root[1024], point[1024], type[64];
	bool found = false;

	if (!f)
		return false;
	while (!found && fgets(line, sizeof(line), f)) {
		char *sep = strstr(line, " - ");

		if (!sep || sscanf(line, "%*s %*s %*s %1023s %1023s", root,
				   point) != 2 ||
		    sscanf(sep + 3, "%63s", type) != 1)
			continue;
		/* the hierarchy's root: paths in /proc/PID/cgroup resolve */
		if (!strcmp(type, "cgroup2") && !strcmp(root, "/")) {
			pst_unescape(point, mnt, len);
			found = true;
		}
	}
	fclose(f);
	return found;
}

static unsigned long long cg_ino(const char *path)
{
	struct stat st;

	return stat(path, &st) ? 0 : st.st_ino;
}

static int cg_move(const char *dir, pid_t pid)
{
	char path[512];
	int fd, n, ret = 0;

	snprintf(path, sizeof(path), "%s/cgroup.procs", dir);
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = dprintf(fd, "%d\n", pid);
	if (n < 0)
		ret = -errno;
	close(fd);
	return ret;
}

/*
 * The inode of task @tid's cgroup: the "0::PATH" line of its cgroup file,
 * resolved on the mount @mnt.  0 if the task is gone.
 */
static unsigned long long cg_truth(const char *mnt, pid_t tgid, pid_t tid)
{
	char path[2048], line[1024];
	unsigned long long ino = 0;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/task/%d/cgroup", tgid, tid);
	f = fopen(path, "re");
	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f)) {
		if (strncmp(line, "0::", 3))
			continue;
		line[strcspn(line, "\n")] = '\0';
		if (snprintf(path, sizeof(path), "%s%s", mnt, line + 3) <
		    (int)sizeof(path))
			ino = cg_ino(path);
	}
	fclose(f);
	return ino;
}

/* Every task's column against its cgroup file; the disagreements in @why. */
static int cg_check_all(const char *mnt, char *why, size_t len)
{
	struct pst_snapshot s;
	size_t i, used = 0;
	int bad = 0;

	why[0] = '\0';
	if (pst_read(PIDNS_TREE_PATH, 65536, &s, why, len))
		return -1;
	for (i = 0; i < s.n; i++) {
		const struct pst_task *t = &s.tasks[i];
		unsigned long long truth = cg_truth(mnt, t->tgid, t->pid);
		int n;

		if (!truth || truth == t->cgroup)
			continue;	/* gone since, or right */
		bad++;
		n = snprintf(why + used, len - used,
			     "  pid %d (%s): cgroup %llu, its directory's inode %llu\n",
			     t->pid, t->comm, t->cgroup, truth);
		if (n > 0 && (size_t)n < len - used)
			used += n;
	}
	pst_free(&s);
	return bad;
}

FIXTURE(cg) {
	char mnt[512];		/* the cgroup2 mount */
	char dir[600];		/* the tests' own cgroup below it */
	pid_t pids[MAX_PIDS];	/* killed at teardown */
};

static void cg_path(char *out, size_t len, const char *dir, const char *sub)
{
	snprintf(out, len, "%s/%s", dir, sub);
}

static int cg_mkdir(const char *dir, const char *sub)
{
	char path[700];

	cg_path(path, sizeof(path), dir, sub);
	return mkdir(path, 0755) ? -errno : 0;
}

FIXTURE_SETUP(cg)
{
	int e;

	memset(self->pids, 0, sizeof(self->pids));
	self->dir[0] = '\0';
	if (access(PIDNS_TREE_PATH, R_OK))
		SKIP(return, "%s is absent: load pidns_tree.ko", PIDNS_TREE_PATH);
	if (!cg_mount(self->mnt, sizeof(self->mnt)))
		SKIP(return, "no cgroup2 mount of the hierarchy's root in /proc/self/mountinfo (cgroup v1 only, or none): mount -t cgroup2 none /sys/fs/cgroup");
	snprintf(self->dir, sizeof(self->dir), "%s/pidns_tree_test.%d",
		 self->mnt, getpid());
	if (mkdir(self->dir, 0755)) {
		e = errno;
		self->dir[0] = '\0';
		if (e == EACCES || e == EPERM || e == EROFS)
			SKIP(return, "cannot make a cgroup on %s (%s): needs root",
			     self->mnt, strerror(e));
		ASSERT_EQ(0, e) TH_LOG("mkdir on %s: %s", self->mnt, strerror(e));
	}
}

/* Remove @dir/@sub, retrying while the killed tasks leave it. */
static void cg_rmdir(const char *dir, const char *sub)
{
	char path[700];
	int i;

	cg_path(path, sizeof(path), dir, sub);
	for (i = 0; i < 200 && rmdir(path) && errno == EBUSY; i++)
		pst_sleep_ms(10);
}

FIXTURE_TEARDOWN(cg)
{
	pst_kill_all(self->pids, MAX_PIDS);
	if (!self->dir[0])
		return;
	cg_rmdir(self->dir, "a");
	cg_rmdir(self->dir, "ns/sub");
	cg_rmdir(self->dir, "ns");
	cg_rmdir(self->dir, "out");
	rmdir(self->dir);
}

/* A task moved into a cgroup shows that directory's inode; and every task. */
TEST_F(cg, column_is_the_directory_inode)
{
	static char why[1 << 16];
	const struct pst_task *t;
	struct pst_snapshot s;
	char a[700], err[256];
	int bad, i;

	ASSERT_EQ(0, cg_mkdir(self->dir, "a"));
	cg_path(a, sizeof(a), self->dir, "a");
	self->pids[0] = pst_spawn(pst_sleeper, NULL, false);
	ASSERT_LT(0, self->pids[0]);
	ASSERT_EQ(0, cg_move(a, self->pids[0]));

	ASSERT_EQ(0, pst_read(PIDNS_TREE_PATH, 4096, &s, err, sizeof(err)))
		TH_LOG("%s", err);
	t = pst_find(&s, self->pids[0]);
	ASSERT_NE(NULL, t);
	EXPECT_NE(0, cg_ino(a));
	EXPECT_EQ(cg_ino(a), t->cgroup) TH_LOG("stat -c %%i %s", a);
	/* The hierarchy's root is 1 on 64-bit, and kthreadd stays in it. */
	EXPECT_EQ(1, cg_ino(self->mnt));
	t = pst_find(&s, 2);
	ASSERT_NE(NULL, t);
	EXPECT_EQ(1, t->cgroup) TH_LOG("pid 2 (%s)", t->comm);
	pst_free(&s);

	/* Retried: a task may move or exit between the two reads. */
	for (i = 0; i < ROUNDS; i++) {
		bad = cg_check_all(self->mnt, why, sizeof(why));
		if (!bad)
			break;
		pst_sleep_ms(100);
	}
	EXPECT_EQ(0, bad) TH_LOG("after %d rounds:\n%s", ROUNDS, why);
}

/*
 * Inside a cgroup namespace whose root is ns/: the child C that made it
 * (in ns/), its child G (moved to ns/sub), the init I of a new pid
 * namespace C made (in ns/, reading through its own /proc) and I's child
 * J (moved to out/, outside the root, but still in the cgroup namespace).
 */
enum { C_SAYS_READY = 1, C_DONE };

struct cg_report {
	int err;		/* errno of the step that failed, or 0 */
	int step;		/* which step failed */
	pid_t g, i, j;		/* host pids */
};

/* The file as read through @path, or through @fd if >= 0, into @out. */
static int cg_read_into(const char *path, int fd, int out)
{
	size_t len;
	char *buf;
	int in = fd >= 0 ? fd : open(path, O_RDONLY | O_CLOEXEC);

	if (in < 0 || lseek(in, 0, SEEK_SET))
		return -1;
	buf = pst_slurp_fd(in, 65536, &len);
	if (fd < 0)
		close(in);
	if (!buf)
		return -1;
	if (write(out, buf, len) != (ssize_t)len) {
		free(buf);
		return -1;
	}
	free(buf);
	return 0;
}

/* I: pid 1 of a new pid namespace; its own /proc; a child J. */
static void cg_init(int sock, int out_ns, pid_t *j)
{
	char c;

	if (unshare(CLONE_NEWNS) ||
	    mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) ||
	    mount("proc", "/proc", "proc", 0, NULL))
		_exit(20);
	*j = fork();
	if (*j == 0) {
		close(sock);
		pst_sleep_forever();
	}
	if (*j < 0 || write(sock, "r", 1) != 1)
		_exit(21);
	/* told to read: the pid namespace's view of the file */
	if (read(sock, &c, 1) != 1 ||
	    cg_read_into(PIDNS_TREE_PATH, -1, out_ns) ||
	    write(sock, "d", 1) != 1)
		_exit(22);
	pst_sleep_forever();
}

/* The host pid of @parent's only child (CONFIG_PROC_CHILDREN). */
static pid_t cg_child_of(pid_t parent)
{
	char path[64];
	int child = 0, i;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/task/%d/children", parent,
		 parent);
	for (i = 0; i < 200 && !child; i++) {
		f = fopen(path, "re");
		if (!f)
			return -1;
		if (fscanf(f, "%d", &child) != 1)
			child = 0;
		fclose(f);
		if (!child)
			pst_sleep_ms(10);
	}
	return child ? child : -1;
}

/*
 * C: moved into ns/ by the test, makes the cgroup namespace, G, and the
 * pid namespace with I; then reads the file through the host's /proc
 * (@out_c) and through the descriptor @inherited the test opened
 * (@out_fd), and has I read it through its own (@out_ns).
 */
static void cg_child(int sock, int inherited, int out_c, int out_fd,
		     int out_ns)
{
	struct cg_report r = { 0 };
	int isock[2];
	char c;

	if (read(sock, &c, 1) != 1)
		_exit(30);
	r.step = 1;
	if (unshare(CLONE_NEWCGROUP))
		goto fail;
	r.step = 2;
	r.g = fork();
	if (r.g == 0) {
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		pst_sleep_forever();
	}
	if (r.g < 0)
		goto fail;
	r.step = 3;
	if (socketpair(AF_UNIX, SOCK_STREAM, 0, isock) ||
	    unshare(CLONE_NEWPID))
		goto fail;
	r.i = fork();
	if (r.i == 0) {
		pid_t j;

		prctl(PR_SET_PDEATHSIG, SIGKILL);
		close(isock[0]);
		close(sock);
		cg_init(isock[1], out_ns, &j);
	}
	if (r.i < 0)
		goto fail;
	close(isock[1]);
	r.step = 4;
	if (read(isock[0], &c, 1) != 1)
		goto fail;
	r.j = cg_child_of(r.i);
	if (r.j < 0)
		goto fail;
	r.step = 0;
	if (write(sock, &r, sizeof(r)) != sizeof(r))
		_exit(31);

	/* the test moved G and J: read */
	if (read(sock, &c, 1) != 1 ||
	    cg_read_into(PIDNS_TREE_PATH, -1, out_c) ||
	    cg_read_into(NULL, inherited, out_fd) ||
	    write(isock[0], "r", 1) != 1 || read(isock[0], &c, 1) != 1 ||
	    write(sock, "d", 1) != 1)
		_exit(32);
	pst_sleep_forever();
fail:
	r.err = errno ? errno : EIO;
	if (write(sock, &r, sizeof(r)) != sizeof(r))
		_exit(33);
	_exit(34);
}

/* A temporary file, already unlinked; read back with cg_parse_file(). */
static int cg_tmpfile(void)
{
	char path[] = "/tmp/pidns_tree_cgroup.XXXXXX";
	int fd = mkostemp(path, O_CLOEXEC);

	if (fd >= 0)
		unlink(path);
	return fd;
}

static int cg_parse_file(int fd, struct pst_snapshot *s, char *err,
			 size_t len)
{
	size_t n;
	char *buf;
	int ret;

	if (lseek(fd, 0, SEEK_SET)) {
		snprintf(err, len, "lseek: %s", strerror(errno));
		return -1;
	}
	buf = pst_slurp_fd(fd, 65536, &n);
	if (!buf) {
		snprintf(err, len, "read: %s", strerror(errno));
		return -1;
	}
	ret = pst_parse(buf, n, s, err, len);
	free(buf);
	return ret;
}

static bool cg_in(unsigned long long id, const unsigned long long *set,
		  int n)
{
	int i;

	for (i = 0; i < n; i++)
		if (set[i] == id)
			return true;
	return false;
}

/* The cgroup of @pid in @s, or ~0 if @pid is not listed. */
static unsigned long long cg_of(const struct pst_snapshot *s, pid_t pid)
{
	const struct pst_task *t = pst_find(s, pid);

	return t ? t->cgroup : ~0ULL;
}

TEST_F(cg, cgroup_namespace_hides_the_outside)
{
	char ns[700], sub[700], out[700], err[256];
	struct pst_snapshot host, vc, vfd, vns;
	unsigned long long inside[2];
	int sock[2], files[3], fd, i, bad;
	struct cg_report r;
	size_t k;
	char c;

	ASSERT_EQ(0, cg_mkdir(self->dir, "ns"));
	ASSERT_EQ(0, cg_mkdir(self->dir, "ns/sub"));
	ASSERT_EQ(0, cg_mkdir(self->dir, "out"));
	cg_path(ns, sizeof(ns), self->dir, "ns");
	cg_path(sub, sizeof(sub), self->dir, "ns/sub");
	cg_path(out, sizeof(out), self->dir, "out");
	inside[0] = cg_ino(ns);
	inside[1] = cg_ino(sub);

	/* opened here, in the initial cgroup namespace, read by C */
	fd = open(PIDNS_TREE_PATH, O_RDONLY);
	ASSERT_LE(0, fd);
	for (i = 0; i < 3; i++) {
		files[i] = cg_tmpfile();
		ASSERT_LE(0, files[i]) TH_LOG("/tmp: %s", strerror(errno));
	}
	ASSERT_EQ(0, socketpair(AF_UNIX, SOCK_STREAM, 0, sock));
	self->pids[0] = fork();
	ASSERT_LE(0, self->pids[0]);
	if (self->pids[0] == 0) {
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		close(sock[0]);
		cg_child(sock[1], fd, files[0], files[1], files[2]);
	}
	close(sock[1]);
	ASSERT_EQ(0, cg_move(ns, self->pids[0]));
	ASSERT_EQ(1, write(sock[0], "m", 1));
	ASSERT_EQ(sizeof(r), read(sock[0], &r, sizeof(r)));
	if (r.step == 1 && r.err == EINVAL)
		SKIP(return, "no cgroup namespaces (CONFIG_CGROUPS without CONFIG_NAMESPACES?)");
	ASSERT_EQ(0, r.step) TH_LOG("child step %d: %s", r.step,
				    strerror(r.err));
	self->pids[1] = r.g;
	self->pids[2] = r.i;
	self->pids[3] = r.j;
	ASSERT_EQ(0, cg_move(sub, r.g));
	ASSERT_EQ(0, cg_move(out, r.j));
	ASSERT_EQ(1, write(sock[0], "g", 1));
	ASSERT_EQ(1, read(sock[0], &c, 1));

	ASSERT_EQ(0, pst_read(PIDNS_TREE_PATH, 65536, &host, err, sizeof(err)))
		TH_LOG("%s", err);
	ASSERT_EQ(0, cg_parse_file(files[0], &vc, err, sizeof(err)))
		TH_LOG("C's read: %s", err);
	ASSERT_EQ(0, cg_parse_file(files[1], &vfd, err, sizeof(err)))
		TH_LOG("C's read of the inherited descriptor: %s", err);
	ASSERT_EQ(0, cg_parse_file(files[2], &vns, err, sizeof(err)))
		TH_LOG("I's read: %s", err);

	/* The host sees every id. */
	EXPECT_EQ(inside[0], cg_of(&host, self->pids[0]));
	EXPECT_EQ(inside[1], cg_of(&host, r.g));
	EXPECT_EQ(inside[0], cg_of(&host, r.i));
	EXPECT_EQ(cg_ino(out), cg_of(&host, r.j));

	/*
	 * C, through the host's /proc: every task, and an id only for C, G
	 * and I; every other task, the test and J included, prints 0.
	 */
	EXPECT_EQ(inside[0], cg_of(&vc, self->pids[0]));
	EXPECT_EQ(inside[1], cg_of(&vc, r.g));
	EXPECT_EQ(inside[0], cg_of(&vc, r.i));
	EXPECT_EQ(0, cg_of(&vc, r.j));
	EXPECT_EQ(0, cg_of(&vc, getpid()));
	EXPECT_EQ(0, cg_of(&vc, 1));
	for (k = 0, bad = 0; k < vc.n; k++) {
		const struct pst_task *t = &vc.tasks[k];
		pid_t p = t->pid;

		if (p == self->pids[0] || p == r.g || p == r.i || !t->cgroup)
			continue;
		if (bad++ < 5)
			TH_LOG("pid %d (%s) outside the namespace's root shows %llu",
			       p, t->comm, t->cgroup);
	}
	EXPECT_EQ(0, bad) TH_LOG("of %zu tasks", vc.n);

	/* I, through its own /proc: itself and J, J outside the root. */
	EXPECT_EQ(2, vns.n);
	EXPECT_EQ(inside[0], cg_of(&vns, 1));
	EXPECT_EQ(0, cg_of(&vns, 2));
	for (k = 0; k < vns.n; k++)
		EXPECT_TRUE(!vns.tasks[k].cgroup ||
			    cg_in(vns.tasks[k].cgroup, inside, 2))
			TH_LOG("pid %d (%s) shows %llu, not of the namespace",
			       vns.tasks[k].pid, vns.tasks[k].comm,
			       vns.tasks[k].cgroup);

	/*
	 * The descriptor opened in the initial namespace shows what its
	 * opener sees, whoever reads it: the test's own id, and J's.
	 */
	EXPECT_EQ(cg_of(&host, getpid()), cg_of(&vfd, getpid()));
	EXPECT_NE(0, cg_of(&vfd, getpid()));
	EXPECT_EQ(cg_ino(out), cg_of(&vfd, r.j));

	pst_free(&host);
	pst_free(&vc);
	pst_free(&vfd);
	pst_free(&vns);
	for (i = 0; i < 3; i++)
		close(files[i]);
	close(fd);
	close(sock[0]);
}

#include "harness_main.h"
