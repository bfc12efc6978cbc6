// SPDX-License-Identifier: GPL-2.0
/*
 * What a reader may see.  From inside a new pid namespace (as root, and
 * as an unprivileged user with a user namespace, like unshare -Urpf
 * --mount-proc) the file shows that namespace's tasks only, and no column
 * reveals a pid from outside.  Through a proc mount with hidepid=invisible
 * a non-root reader sees no task that /proc hides from it, and a
 * descriptor shows what its opener could see, whoever reads it; with
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
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <kselftest_harness.h>

#include "pidns_tree_lib.h"

#define NOBODY 65534
#define NOBODY2 65533		/* another unprivileged user */
#define SKIPPED 4		/* exit code of a child that could not set up */

/* Become @uid (and gid @uid), dumpable or not. */
static int become(uid_t uid, int dumpable)
{
	if (setgroups(0, NULL) || setresgid(uid, uid, uid) ||
	    setresuid(uid, uid, uid) || prctl(PR_SET_DUMPABLE, dumpable))
		return -1;
	return 0;
}

/* Changing ids makes a process undumpable: make it an ordinary one again. */
static int become_nobody(void)
{
	return become(NOBODY, 1);
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

/*
 * Names of other processes under hidepid: origin_comm names a line's first
 * parent, which must be shown only where /proc would show that process to
 * the opener (while it lives), or would have with the credentials it
 * forked with (once it has exited).  Its number is shown either way, as
 * /proc/PID/status shows PPid.
 */
struct origin_names {
	pid_t mine;		/* forked by root, then became nobody */
	pid_t kid;		/* forked by mine, as nobody */
	pid_t root_exits;	/* root: forked orphan_of_root, exited */
	pid_t orphan_of_root;	/* became nobody */
	pid_t nobody_exits;	/* nobody: forked orphan_of_nobody, exited */
	pid_t orphan_of_nobody;
	char test_comm[16];	/* the test's own name, root's */
};

static struct origin_names *names;

static void named_sleeper(int ready, void *arg)
{
	if (geteuid() == 0 && become_nobody())
		_exit(1);
	prctl(PR_SET_NAME, arg);
	pst_sleeper(ready, NULL);
}

static void nobody_forks_kid(int ready, void *arg)
{
	(void)arg;
	if (become_nobody())
		_exit(1);
	prctl(PR_SET_NAME, "nb-parent");
	names->kid = pst_spawn(named_sleeper, "nb-kid", false);
	if (names->kid < 0)
		_exit(1);
	pst_ready(ready);
	pst_sleep_forever();
}

/* Forks an orphan to be, as root (@arg NULL) or nobody, then exits. */
static void forks_then_exits(int ready, void *arg)
{
	pid_t *orphan = arg ? &names->orphan_of_nobody : &names->orphan_of_root;

	if (arg && become_nobody())
		_exit(1);
	prctl(PR_SET_NAME, arg ? "nb-exits" : "root-exits");
	*orphan = pst_spawn(named_sleeper, "orphan", true);
	if (*orphan < 0)
		_exit(1);
	pst_ready(ready);
	_exit(0);
}

/* @pid's line in @s has @origin and the escaped name @comm. */
static int origin_is(const struct pst_snapshot *s, pid_t pid, pid_t origin,
		     const char *comm, const char *who)
{
	const struct pst_task *t = pst_find(s, pid);

	if (!t) {
		fprintf(stderr, "# %s: pid %d not listed\n", who, pid);
		return 1;
	}
	if (t->origin != origin || strcmp(t->origin_comm, comm)) {
		fprintf(stderr, "# %s: pid %d (%s) columns origin origin_comm: file says %ld %s, expected %d %s\n",
			who, pid, t->comm, t->origin, t->origin_comm, origin, comm);
		return 1;
	}
	return 0;
}

/* Read @dir/pidns_tree as @uid (0: as root) and check the four lines. */
static int names_seen_as(const char *dir, uid_t uid)
{
	const bool root = uid == 0;
	struct origin_names *n = names;
	struct pst_snapshot s;
	char path[128], err[256];
	int bad = 0;

	if (!root && become_nobody())
		return 1;
	snprintf(path, sizeof(path), "%s/pidns_tree", dir);
	if (pst_read(path, 4096, &s, err, sizeof(err))) {
		fprintf(stderr, "# %s\n", err);
		return 1;
	}
	bad += origin_is(&s, n->mine, getppid(), root ? n->test_comm : "?",
			 root ? "root" : "nobody (root's live process)");
	bad += origin_is(&s, n->kid, n->mine, "nb-parent",
			 root ? "root" : "nobody (its own live process)");
	bad += origin_is(&s, n->orphan_of_root, n->root_exits,
			 root ? "root-exits" : "?",
			 root ? "root" : "nobody (root's exited process)");
	bad += origin_is(&s, n->orphan_of_nobody, n->nobody_exits, "nb-exits",
			 root ? "root" : "nobody (its own exited process)");
	pst_free(&s);
	return bad;
}

TEST_F(procmount, hidepid_hides_first_parent_names)
{
	pid_t pid;
	int status, i;

	ASSERT_EQ(0, mount("proc", self->dir, "proc", 0, "hidepid=invisible"))
		TH_LOG("mount proc hidepid=invisible: %s", strerror(errno));
	names = mmap(NULL, sizeof(*names), PROT_READ | PROT_WRITE,
		     MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, names);
	ASSERT_EQ(0, prctl(PR_GET_NAME, names->test_comm));

	names->mine = pst_spawn(nobody_forks_kid, NULL, false);
	ASSERT_LT(0, names->mine);
	names->root_exits = pst_spawn(forks_then_exits, NULL, false);
	ASSERT_LT(0, names->root_exits);
	names->nobody_exits = pst_spawn(forks_then_exits, "nobody", false);
	ASSERT_LT(0, names->nobody_exits);
	/* Reaped: gone from the pid hash, only their records remain. */
	ASSERT_EQ(names->root_exits, waitpid(names->root_exits, NULL, 0));
	ASSERT_EQ(names->nobody_exits, waitpid(names->nobody_exits, NULL, 0));

	for (i = 0; i < 2; i++) {
		pid = fork();
		if (pid == 0)
			_exit(names_seen_as(self->dir, i ? NOBODY : 0));
		ASSERT_EQ(pid, waitpid(pid, &status, 0));
		EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0)
			TH_LOG("read as %s: see the lines above", i ? "nobody" : "root");
	}
	kill(names->orphan_of_root, SIGKILL);
	kill(names->orphan_of_nobody, SIGKILL);
	pst_kill(names->mine);
	munmap(names, sizeof(*names));
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

/* What a reader saw through a descriptor someone else opened. */
struct passed_view {
	int ok;
	pid_t opener, reader;
	int sees_opener, sees_reader;
	size_t lines;
	char err[256];
};

static int send_fd(int sock, int fd)
{
	char c = 'f', cbuf[CMSG_SPACE(sizeof(int))] = "";
	struct iovec iov = { &c, 1 };
	struct msghdr msg = {
		.msg_iov = &iov,
		.msg_iovlen = 1,
		.msg_control = cbuf,
		.msg_controllen = sizeof(cbuf),
	};
	struct cmsghdr *cmsg = CMSG_FIRSTHDR(&msg);

	cmsg->cmsg_level = SOL_SOCKET;
	cmsg->cmsg_type = SCM_RIGHTS;
	cmsg->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(cmsg), &fd, sizeof(int));
	return sendmsg(sock, &msg, 0) == 1 ? 0 : -1;
}

static int recv_fd(int sock)
{
	char c, cbuf[CMSG_SPACE(sizeof(int))];
	struct iovec iov = { &c, 1 };
	struct msghdr msg = {
		.msg_iov = &iov,
		.msg_iovlen = 1,
		.msg_control = cbuf,
		.msg_controllen = sizeof(cbuf),
	};
	struct cmsghdr *cmsg;
	int fd;

	if (recvmsg(sock, &msg, 0) != 1)
		return -1;
	cmsg = CMSG_FIRSTHDR(&msg);
	if (!cmsg || cmsg->cmsg_level != SOL_SOCKET ||
	    cmsg->cmsg_type != SCM_RIGHTS)
		return -1;
	memcpy(&fd, CMSG_DATA(cmsg), sizeof(int));
	return fd;
}

/* The opener: undumpable @uid; opens @path, sends it, waits for "done". */
static void __attribute__((noreturn))
opener(const char *path, uid_t uid, int sock)
{
	char c;
	int fd;

	if (become(uid, 0))
		_exit(1);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || send_fd(sock, fd))
		_exit(1);
	close(fd);
	_exit(read(sock, &c, 1) == 1 ? 0 : 1);
}

/* The reader: an ordinary @uid; reads what it was sent into @v. */
static void __attribute__((noreturn))
passed_reader(uid_t uid, int sock, struct passed_view *v)
{
	struct pst_snapshot s;
	size_t len;
	char *buf;
	int fd;

	if (become(uid, 1))
		_exit(1);
	v->reader = getpid();
	fd = recv_fd(sock);
	if (fd < 0) {
		snprintf(v->err, sizeof(v->err), "no descriptor received");
		_exit(1);
	}
	buf = pst_slurp_fd(fd, 4096, &len);
	if (!buf) {
		snprintf(v->err, sizeof(v->err), "read: %s", strerror(errno));
	} else if (!pst_parse(buf, len, &s, v->err, sizeof(v->err))) {
		v->ok = 1;
		v->lines = s.n;
		v->sees_opener = !!pst_find(&s, v->opener);
		v->sees_reader = !!pst_find(&s, v->reader);
		pst_free(&s);
	}
	free(buf);
	close(fd);
	_exit(write(sock, "d", 1) == 1 ? 0 : 1);
}

/*
 * @opener_uid, undumpable, opens @path and passes the descriptor over a
 * unix socket to @reader_uid, who reads it: what did it see?
 */
static void pass_descriptor(struct __test_metadata *_metadata,
			    const char *path, uid_t opener_uid,
			    uid_t reader_uid, struct passed_view *out)
{
	struct passed_view *v = mmap(NULL, sizeof(*v), PROT_READ | PROT_WRITE,
				     MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	pid_t opener_pid, reader;
	int sv[2], status;

	ASSERT_NE(MAP_FAILED, v);
	memset(v, 0, sizeof(*v));
	ASSERT_EQ(0, socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv));
	opener_pid = fork();
	ASSERT_LE(0, opener_pid);
	if (opener_pid == 0) {
		close(sv[1]);
		opener(path, opener_uid, sv[0]);
	}
	v->opener = opener_pid;	/* before the reader is forked */
	reader = fork();
	ASSERT_LE(0, reader);
	if (reader == 0) {
		close(sv[0]);
		passed_reader(reader_uid, sv[1], v);
	}
	close(sv[0]);
	close(sv[1]);
	ASSERT_EQ(reader, waitpid(reader, &status, 0));
	EXPECT_TRUE(WIFEXITED(status) && !WEXITSTATUS(status))
		TH_LOG("the reader (uid %d) failed", reader_uid);
	ASSERT_EQ(opener_pid, waitpid(opener_pid, &status, 0));
	EXPECT_TRUE(WIFEXITED(status) && !WEXITSTATUS(status))
		TH_LOG("the opener (uid %d) could not open %s or send it",
		       opener_uid, path);
	*out = *v;
	munmap(v, sizeof(*v));
}

/*
 * The opener's own process is visible to it even undumpable; the reader's
 * process, of another user, is not.  The module must ask about the
 * opener's process, recorded at open, not about whoever reads: else a
 * descriptor passed over a unix socket shows the reader itself and hides
 * the opener.  Both directions, each opener undumpable.
 */
TEST_F(procmount, descriptor_passed_over_unix_socket)
{
	static const uid_t uids[2][2] = {
		{ NOBODY, NOBODY2 }, { NOBODY2, NOBODY },
	};
	struct passed_view v;
	char path[128];
	int i;

	if (_metadata->skip)	/* by the setup: the harness runs us anyway */
		return;
	ASSERT_EQ(0, mount("proc", self->dir, "proc", 0, "hidepid=invisible"))
		TH_LOG("mount proc hidepid=invisible: %s", strerror(errno));
	snprintf(path, sizeof(path), "%s/pidns_tree", self->dir);
	for (i = 0; i < 2; i++) {
		pass_descriptor(_metadata, path, uids[i][0], uids[i][1], &v);
		ASSERT_TRUE(v.ok)
			TH_LOG("uid %d reading what uid %d opened: %s",
			       uids[i][1], uids[i][0], v.err);
		EXPECT_TRUE(v.sees_opener)
			TH_LOG("uid %d reading what uid %d (undumpable) opened does not see the opener, pid %d (%zu lines)",
			       uids[i][1], uids[i][0], v.opener, v.lines);
		EXPECT_FALSE(v.sees_reader)
			TH_LOG("uid %d reading what uid %d opened sees itself, pid %d, which the opener could not see",
			       uids[i][1], uids[i][0], v.reader);
	}
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
