// SPDX-License-Identifier: GPL-2.0
/*
 * Nothing can change /proc/pidns_tree: write, opens for writing or
 * truncation, truncate(2), ftruncate, chmod(2), fchmod and ioctl fail with
 * an errno, as root and as nobody, and the file keeps its mode 0444 and
 * its content.  Root's truncate(2) and chmod(2) go through
 * proc_notify_change() (fs/proc/generic.c), which the module cannot
 * intercept: where the kernel lets root succeed, that case is reported as
 * SKIP, after checking what changed and restoring the mode.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <linux/fs.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include <kselftest_harness.h>

#include "pidns_tree_lib.h"

#define NOBODY		65534

/*
 * Calls that must not change the file, run as root or as nobody.  Each op
 * makes one or more calls, each with the errno it must fail with; the
 * first call that does not is recorded (else the last call).
 */
struct outcome {
	int ret;		/* 0: the call succeeded, else -errno */
	int want;		/* -errno */
	bool mismatch;
	char call[96];
};

typedef void (*deny_op)(struct outcome *o);

/* Record a call's result; false once a call did not fail with @want. */
static bool note(struct outcome *o, const char *call, long ret, int want)
{
	if (o->mismatch)
		return false;
	o->ret = ret < 0 ? -errno : 0;
	o->want = -want;
	o->mismatch = o->ret != o->want;
	snprintf(o->call, sizeof(o->call), "%s", call);
	return !o->mismatch;
}

static int open_ro(struct outcome *o)
{
	int fd = open(PIDNS_TREE_PATH, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		note(o, "open(O_RDONLY)", fd, 0);
	return fd;
}

static void op_write(struct outcome *o)
{
	struct iovec iov = { "1\n", 2 };
	int fd = open_ro(o);

	if (fd < 0)
		return;
	note(o, "write", write(fd, "1\n", 2), EBADF);
	/* seq_open() clears FMODE_PWRITE: ESPIPE comes before EBADF. */
	note(o, "pwrite at 0", pwrite(fd, "1\n", 2, 0), ESPIPE);
	note(o, "writev", writev(fd, &iov, 1), EBADF);
	close(fd);
}

static void try_open(struct outcome *o, int flags, const char *call)
{
	int fd = open(PIDNS_TREE_PATH, flags | O_CLOEXEC);

	note(o, call, fd, EACCES);
	if (fd >= 0)
		close(fd);
}

static void op_open_wronly(struct outcome *o)
{
	try_open(o, O_WRONLY, "open(O_WRONLY)");
	try_open(o, O_WRONLY | O_APPEND, "open(O_WRONLY | O_APPEND)");
}

static void op_open_rdwr(struct outcome *o)
{
	try_open(o, O_RDWR, "open(O_RDWR)");
}

static void op_open_trunc(struct outcome *o)
{
	try_open(o, O_WRONLY | O_TRUNC, "open(O_WRONLY | O_TRUNC)");
	try_open(o, O_RDONLY | O_TRUNC, "open(O_RDONLY | O_TRUNC)");
}

static void op_ftruncate(struct outcome *o)
{
	int fd = open_ro(o);

	if (fd < 0)
		return;
	/* An fd not open for writing: EINVAL (do_sys_ftruncate). */
	note(o, "ftruncate(0)", ftruncate(fd, 0), EINVAL);
	note(o, "ftruncate(4096)", ftruncate(fd, 4096), EINVAL);
	close(fd);
}

static void op_truncate(struct outcome *o)
{
	note(o, "truncate(0)", truncate(PIDNS_TREE_PATH, 0), EACCES);
	note(o, "truncate(4096)", truncate(PIDNS_TREE_PATH, 4096), EACCES);
}

static void op_chmod(struct outcome *o)
{
	note(o, "chmod(0666)", chmod(PIDNS_TREE_PATH, 0666), EPERM);
}

static void op_fchmod(struct outcome *o)
{
	int fd = open_ro(o);

	if (fd < 0)
		return;
	note(o, "fchmod(0666)", fchmod(fd, 0666), EPERM);
	close(fd);
}

static void op_ioctl(struct outcome *o)
{
	struct termios tio;
	int arg = 0, fd = open_ro(o);

	if (fd < 0)
		return;
	/*
	 * The generic VFS ioctls (FIONREAD, FIGETBSZ, FIOCLEX...) answer for
	 * every file without reaching /proc; these reach the proc entry.
	 */
	note(o, "ioctl(TCGETS)", ioctl(fd, TCGETS, &tio), ENOTTY);
	note(o, "ioctl(FS_IOC_GETFLAGS)", ioctl(fd, FS_IOC_GETFLAGS, &arg),
	     ENOTTY);
	note(o, "ioctl(FS_IOC_SETFLAGS)", ioctl(fd, FS_IOC_SETFLAGS, &arg),
	     ENOTTY);
	note(o, "ioctl(_IO('p', 0))", ioctl(fd, _IO('p', 0)), ENOTTY);
	note(o, "ioctl(_IOW('p', 1, int))", ioctl(fd, _IOW('p', 1, int), &arg),
	     ENOTTY);
	close(fd);
}

FIXTURE(deny) {
	char header[512];
};

FIXTURE_VARIANT(deny) {
	uid_t uid;
	const char *who;
};

FIXTURE_VARIANT_ADD(deny, root) {
	.uid = 0,
	.who = "root",
};

FIXTURE_VARIANT_ADD(deny, nobody) {
	.uid = NOBODY,
	.who = "nobody (uid 65534)",
};

/* The file as it must stay: mode 0444, size 0, root's, same header. */
static void check_unchanged(struct __test_metadata *_metadata,
			    const char *header, const char *after)
{
	struct pst_snapshot s;
	struct stat st;
	char err[256];

	ASSERT_EQ(0, stat(PIDNS_TREE_PATH, &st)) TH_LOG("stat after %s: %s",
							after, strerror(errno));
	EXPECT_EQ(S_IFREG | 0444, st.st_mode)
		TH_LOG("mode after %s: %o, want 100444", after, st.st_mode);
	EXPECT_EQ(0, st.st_size) TH_LOG("size after %s", after);
	EXPECT_EQ(0, st.st_uid) TH_LOG("owner after %s", after);
	EXPECT_EQ(0, st.st_gid) TH_LOG("group after %s", after);
	ASSERT_EQ(0, pst_read(PIDNS_TREE_PATH, 4096, &s, err, sizeof(err)))
		TH_LOG("read after %s: %s", after, err);
	EXPECT_STREQ(header, s.header) TH_LOG("header after %s", after);
	EXPECT_NE(NULL, pst_find(&s, getpid()))
		TH_LOG("after %s, the reader (pid %d) is not listed", after,
		       getpid());
	pst_free(&s);
}

FIXTURE_SETUP(deny)
{
	struct pst_snapshot s;
	char err[256];

	if (geteuid())
		SKIP(return, "needs root (to act as root and as nobody)");
	ASSERT_EQ(0, pst_read(PIDNS_TREE_PATH, 4096, &s, err, sizeof(err)))
		TH_LOG("%s", err);
	snprintf(self->header, sizeof(self->header), "%s", s.header);
	pst_free(&s);
	check_unchanged(_metadata, self->header, "nothing yet");
}

FIXTURE_TEARDOWN(deny)
{
	struct stat st;

	/* Whatever happened, leave the file as it was found. */
	if (!geteuid() && !stat(PIDNS_TREE_PATH, &st) &&
	    (st.st_mode & 07777) != 0444)
		chmod(PIDNS_TREE_PATH, 0444);
}

/* Run @op as @uid in a child; its outcome in @res. */
static void run_as(struct __test_metadata *_metadata, uid_t uid, deny_op op,
		   struct outcome *res)
{
	struct outcome *o = mmap(NULL, sizeof(*o), PROT_READ | PROT_WRITE,
				 MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	int status;
	pid_t pid;

	ASSERT_NE(MAP_FAILED, o);
	memset(o, 0, sizeof(*o));
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		if (uid && (setgroups(0, NULL) ||
			    setresgid(uid, uid, uid) ||
			    setresuid(uid, uid, uid)))
			_exit(1);
		op(o);
		_exit(0);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_TRUE(WIFEXITED(status) && !WEXITSTATUS(status))
		TH_LOG("the child could not become uid %d", uid);
	*res = *o;
	munmap(o, sizeof(*o));
}

static const char *result(int ret)
{
	return ret ? strerror(-ret) : "success";
}

/*
 * Run @op as the variant's user: every call must fail as it says and
 * change nothing.  @kernel_lets_root: why the kernel, not the module,
 * decides for root; if root's call then succeeds, the case is a SKIP
 * saying so (after checking the file and restoring its mode).
 */
static void deny(struct __test_metadata *_metadata,
		 FIXTURE_DATA(deny) *self,
		 const FIXTURE_VARIANT(deny) *variant,
		 deny_op op, const char *kernel_lets_root)
{
	char after[160];
	struct outcome o;
	struct stat st;

	if (_metadata->skip)	/* by the setup: the harness runs us anyway */
		return;
	run_as(_metadata, variant->uid, op, &o);
	snprintf(after, sizeof(after), "%s as %s", o.call, variant->who);
	if (o.mismatch && !o.ret && !variant->uid && kernel_lets_root) {
		int restored = -1;

		if (!stat(PIDNS_TREE_PATH, &st) && (st.st_mode & 07777) != 0444) {
			TH_LOG("%s changed the mode to %o; restoring 0444",
			       after, st.st_mode & 07777);
			restored = chmod(PIDNS_TREE_PATH, 0444);
			ASSERT_EQ(0, restored) TH_LOG("chmod(0444): %s",
						      strerror(errno));
		}
		check_unchanged(_metadata, self->header, after);
		if (!_metadata->passed)
			return;
		SKIP(return, "%s succeeds: %s; %s", after, kernel_lets_root,
		     restored ? "checked: mode, size and content unchanged" :
		     "mode restored to 0444, content unchanged");
	}
	EXPECT_FALSE(o.mismatch)
		TH_LOG("%s: %s, want %s", after, result(o.ret),
		       strerror(-o.want));
	check_unchanged(_metadata, self->header, after);
}

TEST_F(deny, write)
{
	deny(_metadata, self, variant, op_write, NULL);
}

TEST_F(deny, open_wronly)
{
	deny(_metadata, self, variant, op_open_wronly, NULL);
}

TEST_F(deny, open_rdwr)
{
	deny(_metadata, self, variant, op_open_rdwr, NULL);
}

/*
 * The VFS truncates an O_RDONLY | O_TRUNC open after ->open() has run
 * (do_open(), fs/namei.c), so the module can refuse it like a write open.
 */
TEST_F(deny, open_trunc)
{
	deny(_metadata, self, variant, op_open_trunc, NULL);
}

TEST_F(deny, ftruncate)
{
	deny(_metadata, self, variant, op_ftruncate, NULL);
}

TEST_F(deny, truncate)
{
	deny(_metadata, self, variant, op_truncate,
	     "the kernel's proc_notify_change() (fs/proc/generic.c) accepts root's truncate(2) of a /proc entry as a no-op and the module has no hook before it");
}

TEST_F(deny, chmod)
{
	deny(_metadata, self, variant, op_chmod,
	     "the kernel's proc_notify_change() (fs/proc/generic.c) stores root's new mode in the proc entry and the module has no hook before it");
}

TEST_F(deny, fchmod)
{
	deny(_metadata, self, variant, op_fchmod,
	     "the kernel's proc_notify_change() (fs/proc/generic.c) stores root's new mode in the proc entry and the module has no hook before it");
}

TEST_F(deny, ioctl)
{
	deny(_metadata, self, variant, op_ioctl, NULL);
}

#include "harness_main.h"
