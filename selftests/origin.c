// SPDX-License-Identifier: GPL-2.0
/*
 * The first parent of every process: the columns origin, origin_comm and
 * adopted, proved against what the tests themselves fork, and the records
 * behind them counted back to their baseline after a storm with unloads.
 *
 * The harness runs each test in a process of its own, so a test that makes
 * itself a child subreaper changes no other test.  Every test that orphans
 * a process makes its own process the subreaper, so that it knows who
 * adopts the orphan and can reap it.
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
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <kselftest_harness.h>

#include "pidns_tree_lib.h"

#define DEBUGFS		"/sys/kernel/debug"
#define STATS_FILE	DEBUGFS "/pidns_tree"
#define DEBUGFS_MAGIC	0x64626720

/* The line of @pid in a read of @path now; false if it is not listed. */
static bool line_of(const char *path, pid_t pid, struct pst_task *out)
{
	char err[256];

	return pst_read_task(path, pid, out, err, sizeof(err));
}

static void my_name(char *buf)
{
	prctl(PR_GET_NAME, buf);
}

/* Read a pid that a child wrote to @fd; 0 if none came. */
static pid_t read_pid(int fd)
{
	pid_t pid;

	if (read(fd, &pid, sizeof(pid)) != sizeof(pid))
		return 0;
	return pid;
}

static void write_pid(int fd, pid_t pid)
{
	if (write(fd, &pid, sizeof(pid)) != sizeof(pid))
		_exit(1);
}

/* Reap the child @pid of ours, killing it first. */
static void end(pid_t pid)
{
	if (pid > 0)
		pst_kill(pid);
}

/*
 * A middle process named @name forks a sleeper, writes the sleeper's pid
 * to @fd and exits: the sleeper is an orphan our subreaper adopts.
 * Returns the middle's pid (reaped), the orphan's in *@orphan.
 */
static pid_t orphan_via(const char *name, pid_t *orphan)
{
	int fds[2];
	pid_t mid;

	*orphan = 0;
	if (prctl(PR_SET_CHILD_SUBREAPER, 1) || pipe(fds))
		return -1;
	mid = fork();
	if (mid == 0) {
		pid_t gc;

		prctl(PR_SET_NAME, name);
		gc = fork();
		if (gc == 0)
			pst_sleep_forever();	/* no PDEATHSIG: it would fire now */
		write_pid(fds[1], gc);
		_exit(0);
	}
	close(fds[1]);
	*orphan = read_pid(fds[0]);
	close(fds[0]);
	if (mid > 0)
		waitpid(mid, NULL, 0);
	if (*orphan && !pst_wait_ppid(*orphan, getpid(), 5000))
		return -1;
	return mid;
}

TEST(plain_fork)
{
	char me[16] = "";
	struct pst_task t;
	pid_t c;

	my_name(me);
	c = pst_spawn(pst_sleeper, NULL, false);
	ASSERT_GT(c, 0);
	ASSERT_TRUE(line_of(PIDNS_TREE_PATH, c, &t)) TH_LOG("%d not listed", c);
	EXPECT_EQ(getpid(), t.origin);
	EXPECT_STREQ(me, t.origin_comm);
	EXPECT_EQ('0', t.adopted);
	EXPECT_EQ(getpid(), t.ppid);
	end(c);
}

/* The orphan of a double fork keeps its dead first parent. */
TEST(double_fork)
{
	struct pst_task t;
	pid_t mid, gc;

	mid = orphan_via("pst-middle", &gc);
	ASSERT_GT(mid, 0);
	ASSERT_GT(gc, 0) TH_LOG("the orphan did not come to us");
	ASSERT_TRUE(line_of(PIDNS_TREE_PATH, gc, &t));
	EXPECT_EQ(getpid(), t.ppid);
	EXPECT_EQ(mid, t.origin);
	EXPECT_STREQ("pst-middle", t.origin_comm);
	EXPECT_EQ('1', t.adopted);
	end(gc);
}

/*
 * clone(CLONE_PARENT) from a child: the new process's real parent, and so
 * its first parent, is the caller's parent (us), never the caller, even
 * after the caller exits.
 */
TEST(clone_parent)
{
	char me[16] = "";
	struct pst_task t;
	int fds[2];
	pid_t mid, c;

	my_name(me);
	ASSERT_EQ(0, pipe(fds));
	mid = fork();
	ASSERT_GE(mid, 0);
	if (mid == 0) {
		prctl(PR_SET_NAME, "pst-caller");
		c = syscall(SYS_clone, CLONE_PARENT | SIGCHLD, NULL, NULL,
			    NULL, NULL);
		if (c == 0) {
			prctl(PR_SET_PDEATHSIG, SIGKILL);
			pst_sleep_forever();
		}
		write_pid(fds[1], c);
		pst_sleep_forever();
	}
	close(fds[1]);
	c = read_pid(fds[0]);
	close(fds[0]);
	ASSERT_GT(c, 0);

	ASSERT_TRUE(line_of(PIDNS_TREE_PATH, c, &t));
	EXPECT_EQ(getpid(), t.ppid);
	EXPECT_EQ(getpid(), t.origin) TH_LOG("the caller is %d", mid);
	EXPECT_STREQ(me, t.origin_comm);
	EXPECT_EQ('0', t.adopted);

	/* The caller's exit changes nothing: it was never the parent. */
	end(mid);
	ASSERT_TRUE(line_of(PIDNS_TREE_PATH, c, &t));
	EXPECT_EQ(getpid(), t.origin);
	EXPECT_EQ('0', t.adopted);
	end(c);
}

struct thread_fork {
	int fd;		/* the child's pid goes here */
	int go;		/* the thread exits once this is readable */
};

static void *fork_and_exit_thread(void *arg)
{
	struct thread_fork *tf = arg;
	pid_t c = fork();
	char b;

	if (c == 0)
		pst_sleep_forever();
	write_pid(tf->fd, c);
	while (read(tf->go, &b, 1) < 0 && errno == EINTR)
		;
	return NULL;
}

/*
 * A child forked by a thread other than the leader has that thread as its
 * real parent: its process, not the thread, is the first parent, so no
 * adoption.  When the thread exits the child goes to another thread of the
 * same process (find_alive_thread() in kernel/exit.c): no adoption either.
 */
TEST(thread_exit_is_no_adoption)
{
	struct thread_fork tf;
	struct pst_status st;
	struct pst_task t;
	pthread_t th;
	int fds[2], go[2];
	pid_t c;

	ASSERT_EQ(0, pipe(fds));
	ASSERT_EQ(0, pipe(go));
	tf.fd = fds[1];
	tf.go = go[0];
	ASSERT_EQ(0, pthread_create(&th, NULL, fork_and_exit_thread, &tf));
	c = read_pid(fds[0]);
	ASSERT_GT(c, 0);

	/* The thread lives: it is the real parent, the process the first. */
	ASSERT_TRUE(line_of(PIDNS_TREE_PATH, c, &t));
	EXPECT_EQ(getpid(), t.ppid);
	EXPECT_NE(getpid(), t.parent) TH_LOG("the parent is the thread");
	EXPECT_EQ(getpid(), t.origin);
	EXPECT_EQ('0', t.adopted) TH_LOG("made by a thread, not adopted");

	ASSERT_EQ(1, write(go[1], "x", 1));
	ASSERT_EQ(0, pthread_join(th, NULL));
	/* The kernel has moved it to this thread: PPid is our tgid. */
	pst_status("/proc", c, c, &st);
	ASSERT_TRUE(st.ok);
	EXPECT_EQ(getpid(), st.ppid);

	ASSERT_TRUE(line_of(PIDNS_TREE_PATH, c, &t));
	EXPECT_EQ(getpid(), t.origin);
	EXPECT_EQ('0', t.adopted);
	close(fds[0]);
	close(fds[1]);
	close(go[0]);
	close(go[1]);
	end(c);
}

/* Every thread of a process shows the process's values. */
static void threaded(int ready, void *arg)
{
	pthread_t th;
	int i;

	(void)arg;
	for (i = 0; i < 3; i++)
		if (pthread_create(&th, NULL, pst_sleep_thread, NULL))
			_exit(1);
	pst_ready(ready);
	pst_sleep_forever();
}

TEST(threads_show_their_process)
{
	const struct pst_task *lead = NULL;
	struct pst_snapshot s;
	char err[256];
	int threads = 0;
	size_t i;
	pid_t c;

	c = pst_spawn(threaded, NULL, false);
	ASSERT_GT(c, 0);
	ASSERT_EQ(0, pst_read(PIDNS_TREE_PATH, 65536, &s, err, sizeof(err)))
		TH_LOG("%s", err);
	lead = pst_find(&s, c);
	ASSERT_NE(NULL, lead);
	EXPECT_EQ(getpid(), lead->origin);
	for (i = 0; i < s.n; i++) {
		const struct pst_task *t = &s.tasks[i];

		if (t->tgid != c || t->pid == c)
			continue;
		threads++;
		EXPECT_EQ(lead->origin, t->origin) TH_LOG("thread %d", t->pid);
		EXPECT_STREQ(lead->origin_comm, t->origin_comm);
		EXPECT_EQ(lead->adopted, t->adopted);
	}
	EXPECT_EQ(3, threads);
	pst_free(&s);
	end(c);
}

/*
 * The article's chain: a child subreaper "shim" (this process) forks a
 * "runtime", which unshares its pid namespace, forks the container's init
 * and exits.  On the host the init's ppid is the shim, its first parent
 * the runtime, adopted.  Inside, through the container's own /proc, the
 * init is PID 1 with ppid 0, its first parent 0 and unnamed: no outside
 * pid or name.
 */
static void container_init(int to_shim, int from_shim)
{
	struct pst_task t = { .origin = -2 };
	char c;

	prctl(PR_SET_NAME, "pst-init");
	if (unshare(CLONE_NEWNS) ||
	    mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) ||
	    mount("proc", "/proc", "proc", 0, NULL))
		_exit(1);
	/*
	 * Read once the shim says the runtime is gone; from then on, die with
	 * the shim (set earlier, PDEATHSIG would fire when the runtime exits).
	 */
	if (read(from_shim, &c, 1) != 1 || !line_of("/proc/pidns_tree", 1, &t))
		t.pid = 0;
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (write(to_shim, &t, sizeof(t)) != sizeof(t))
		_exit(1);
	pst_sleep_forever();
}

TEST(article_chain)
{
	int up[2], down[2];
	struct pst_task t, in;
	pid_t runtime, init;

	ASSERT_EQ(0, prctl(PR_SET_CHILD_SUBREAPER, 1));
	ASSERT_EQ(0, pipe(up));
	ASSERT_EQ(0, pipe(down));
	runtime = fork();
	ASSERT_GE(runtime, 0);
	if (runtime == 0) {
		prctl(PR_SET_NAME, "pst-runtime");
		if (unshare(CLONE_NEWPID))
			_exit(4);
		init = fork();
		if (init == 0)
			container_init(up[1], down[0]);
		write_pid(up[1], init);
		_exit(init > 0 ? 0 : 1);
	}
	init = read_pid(up[0]);
	waitpid(runtime, NULL, 0);
	ASSERT_GT(init, 0);
	ASSERT_TRUE(pst_wait_ppid(init, getpid(), 5000));

	ASSERT_TRUE(line_of(PIDNS_TREE_PATH, init, &t));
	EXPECT_EQ(getpid(), t.ppid);
	EXPECT_EQ(runtime, t.origin);
	EXPECT_STREQ("pst-runtime", t.origin_comm);
	EXPECT_EQ('1', t.adopted);
	EXPECT_EQ(1, t.init);

	ASSERT_EQ(1, write(down[1], "", 1));
	ASSERT_EQ(sizeof(in), read(up[0], &in, sizeof(in)));
	ASSERT_EQ(1, in.pid) TH_LOG("the init could not read its own /proc");
	EXPECT_EQ(0, in.ppid);
	EXPECT_EQ(0, in.origin);
	EXPECT_STREQ("?", in.origin_comm);
	EXPECT_EQ('1', in.adopted);
	end(init);
}

/* Make a process of ours take @nr, named @name; 0 if we could not. */
static pid_t take_pid(pid_t nr, const char *name)
{
	int tries;

	for (tries = 0; tries < 50; tries++) {
		FILE *f = fopen("/proc/sys/kernel/ns_last_pid", "w");
		pid_t c;

		if (!f)
			return 0;
		fprintf(f, "%d", nr - 1);
		if (fclose(f))
			return 0;
		c = fork();
		if (c == 0) {
			prctl(PR_SET_NAME, name);
			pst_sleep_forever();
		}
		if (c == nr)
			return c;
		end(c);
	}
	return 0;
}

/*
 * The first parent exits and a newer process takes its number: the
 * orphan still names the old one (adopted, and the old name).
 */
TEST(pid_reuse)
{
	struct pst_task t;
	pid_t mid, gc, newer;

	if (geteuid())
		SKIP(return, "needs root: writes ns_last_pid");
	mid = orphan_via("pst-first", &gc);
	ASSERT_GT(mid, 0);
	ASSERT_GT(gc, 0);
	newer = take_pid(mid, "pst-newer");
	if (!newer) {
		end(gc);
		SKIP(return, "no process could take pid %d in 50 tries", mid);
	}
	ASSERT_TRUE(line_of(PIDNS_TREE_PATH, gc, &t));
	EXPECT_EQ(mid, t.origin);
	EXPECT_STREQ("pst-first", t.origin_comm);
	EXPECT_EQ('1', t.adopted);
	ASSERT_TRUE(line_of(PIDNS_TREE_PATH, newer, &t));
	EXPECT_EQ(getpid(), t.origin);
	EXPECT_EQ('0', t.adopted);
	end(newer);
	end(gc);
}

/*
 * A process the module did not see being created: "?" in all three
 * columns.  Host init and kthreadd were created before any module (and
 * records.reload_forgets_every_record reloads it under a sleeper).
 */
static void expect_unknown(struct __test_metadata *_metadata, pid_t pid)
{
	struct pst_task t;

	ASSERT_TRUE(line_of(PIDNS_TREE_PATH, pid, &t)) TH_LOG("%d", pid);
	EXPECT_EQ(-1, t.origin) TH_LOG("pid %d", pid);
	EXPECT_STREQ("?", t.origin_comm);
	EXPECT_EQ('?', t.adopted);
}

TEST(older_than_the_module)
{
	expect_unknown(_metadata, 1);
	expect_unknown(_metadata, 2);
}

/* ---- records: a storm with unloads, then back to the baseline ---------- */

static long stat_of(const char *key)
{
	char k[32];
	long v, found = -1;
	FILE *f = fopen(STATS_FILE, "r");

	if (!f)
		return -1;
	while (fscanf(f, "%31s %ld", k, &v) == 2)
		if (!strcmp(k, key))
			found = v;
	fclose(f);
	return found;
}

/*
 * Processes (not threads) with a record, in a read now: an id other than
 * 0 (format 2).  Those that existed at the load have a record and an id,
 * and an unknown first parent.
 */
static long recorded_processes(void)
{
	struct pst_snapshot s;
	char err[256];
	long n = 0;
	size_t i;

	if (pst_read(PIDNS_TREE_PATH, 65536, &s, err, sizeof(err)))
		return -1;
	for (i = 0; i < s.n; i++)
		if (s.tasks[i].pid == s.tasks[i].tgid && s.tasks[i].id)
			n++;
	pst_free(&s);
	return n;
}

/*
 * Freed tasks leave after an RCU grace period: poll, up to 10 s, until the
 * records are as many as the processes with an id.
 */
static void records_settle(long *records, long *known)
{
	int i;

	for (i = 0; i < 100; i++) {
		*records = stat_of("records");
		*known = recorded_processes();
		if (*records >= 0 && *records == *known)
			return;
		pst_sleep_ms(100);
	}
}

/* Fork, and sometimes exec, short-lived children until killed. */
static void __attribute__((noreturn)) churn(int i)
{
	for (;;) {
		pid_t c = fork();

		if (c == 0) {
			if (i & 1)
				execl("/bin/true", "true", (char *)NULL);
			_exit(0);
		}
		if (c > 0)
			waitpid(c, NULL, 0);
	}
}

/* debugfs, where it is not mounted, in a mount namespace of ours. */
static int mount_debugfs(void)
{
	struct statfs fs;

	if (!statfs(DEBUGFS, &fs) && fs.f_type == DEBUGFS_MAGIC)
		return 0;
	if (unshare(CLONE_NEWNS) ||
	    mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL))
		return -1;
	return mount("debugfs", DEBUGFS, "debugfs", 0, NULL);
}

FIXTURE(records) {
	const char *ko;
};

FIXTURE_SETUP(records)
{
	self->ko = getenv(PST_KO_ENV);
	if (geteuid())
		SKIP(return, "needs root: debugfs, unloads and loads the module");
	if (!self->ko || !*self->ko)
		SKIP(return, "%s is not set: the path of pidns_tree.ko", PST_KO_ENV);
	/* A test killed while the module was out leaves it out. */
	if (access(PIDNS_TREE_PATH, F_OK))
		ASSERT_EQ(0, pst_module_load(self->ko)) TH_LOG("%s", strerror(errno));
	ASSERT_EQ(0, mount_debugfs()) TH_LOG("debugfs: %s", strerror(errno));
	ASSERT_EQ(0, access(STATS_FILE, R_OK)) TH_LOG("%s", strerror(errno));
	ASSERT_EQ(1, stat_of("hooked")) TH_LOG("the module did not hook the tracepoints");
}

FIXTURE_TEARDOWN(records)
{
	if (self->ko && *self->ko && access(PIDNS_TREE_PATH, F_OK))
		pst_module_load(self->ko);
}

/*
 * Unloading forgets every record: a sleeper forked before the module is
 * loaded again shows "?", one forked after shows its first parent, and
 * the records start again from what was forked since.
 */
TEST_F_TIMEOUT(records, reload_forgets_every_record, 120)
{
	pid_t old, young;
	struct pst_task t;

	old = pst_spawn(pst_sleeper, NULL, false);
	ASSERT_GT(old, 0);
	ASSERT_TRUE(line_of(PIDNS_TREE_PATH, old, &t));
	EXPECT_EQ(getpid(), t.origin);
	ASSERT_EQ(0, pst_module_unload()) TH_LOG("%s", strerror(errno));
	ASSERT_EQ(0, pst_module_load(self->ko)) TH_LOG("%s", strerror(errno));
	young = pst_spawn(pst_sleeper, NULL, false);
	ASSERT_GT(young, 0);
	expect_unknown(_metadata, old);
	ASSERT_TRUE(line_of(PIDNS_TREE_PATH, young, &t));
	EXPECT_EQ(getpid(), t.origin);
	EXPECT_LE(1, stat_of("records"));
	end(old);
	end(young);
}

/*
 * Churners fork, exec and exit while the file is read and the module is
 * unloaded and loaded again three times.  Afterwards, with the churners
 * reaped, the records must be exactly the processes that have an id:
 * none left behind for a process that is gone.  (The
 * kernel log is checked by vm-run; on the debug kernel kmemleak scans.)
 */
TEST_F_TIMEOUT(records, storm_with_unloads_returns_to_baseline, 120)
{
	pid_t churners[4] = { 0 };
	long records = -1, known = -1;
	int i, cycle;

	for (i = 0; i < 4; i++) {
		churners[i] = fork();
		ASSERT_GE(churners[i], 0);
		if (churners[i] == 0) {
			prctl(PR_SET_PDEATHSIG, SIGKILL);
			churn(i);
		}
	}
	for (cycle = 0; cycle < 3; cycle++) {
		struct pst_snapshot s;
		char err[256];

		pst_sleep_ms(700);
		ASSERT_EQ(0, pst_read(PIDNS_TREE_PATH, 4096, &s, err, sizeof(err)))
			TH_LOG("%s", err);
		pst_free(&s);
		ASSERT_EQ(0, pst_module_unload()) TH_LOG("%s", strerror(errno));
		pst_sleep_ms(100);
		ASSERT_EQ(0, pst_module_load(self->ko)) TH_LOG("%s", strerror(errno));
	}
	pst_sleep_ms(700);
	pst_kill_all(churners, 4);

	records_settle(&records, &known);
	/*
	 * missed is not asserted: the churners fork as fast as they can, and
	 * on PREEMPT_RT, where a probe may not allocate, they can outrun the
	 * pool's refill.  The empty pool has a test of its own (tiny_pool).
	 */
	EXPECT_EQ(known, records)
		TH_LOG("records %ld, processes with an id %ld, missed %ld",
		       records, known, stat_of("missed"));
}

/* ---- a kernel without the tracepoints ---------------------------------- */

/*
 * The path of a test build of the module that looks for tracepoint names
 * no kernel has (Kbuild: PIDNS_TREE_TEST_NO_TRACEPOINTS=y), so that it
 * takes the path a kernel without sched_process_fork/free would.
 */
#define KO_NO_TP_ENV	"PIDNS_TREE_KO_NO_TP"
#define NO_TP_LOG	"pidns_tree: no sched_process_fork/free tracepoint: first parents unknown"

/*
 * Why a test build cannot take the module's place, or NULL: it takes root
 * and both modules' paths, pidns_tree.ko's and the test build's (in $@env,
 * built with @flag).
 */
static const char *test_build_missing(const char *ko, const char *test_ko,
				      const char *env, const char *flag)
{
	static char why[200];

	if (geteuid())
		return "needs root: debugfs, unloads and loads the module";
	if (!ko || !*ko)
		snprintf(why, sizeof(why), "%s is not set: the path of pidns_tree.ko",
			 PST_KO_ENV);
	else if (!test_ko || !*test_ko)
		snprintf(why, sizeof(why), "%s is not set: the path of a build with %s",
			 env, flag);
	else
		return NULL;
	return why;
}

/* The test build @test_ko in the module's place. */
static void test_build_load(struct __test_metadata *_metadata,
			    const char *test_ko)
{
	if (!access(PIDNS_TREE_PATH, F_OK))
		ASSERT_EQ(0, pst_module_unload()) TH_LOG("%s", strerror(errno));
	ASSERT_EQ(0, pst_module_load(test_ko))
		TH_LOG("%s: %s", test_ko, strerror(errno));
}

FIXTURE(no_tracepoints) {
	const char *ko;
	const char *ko_no_tp;
	int kmsg;
};

FIXTURE_SETUP(no_tracepoints)
{
	const char *why;

	self->kmsg = -1;
	self->ko = getenv(PST_KO_ENV);
	self->ko_no_tp = getenv(KO_NO_TP_ENV);
	why = test_build_missing(self->ko, self->ko_no_tp, KO_NO_TP_ENV,
				 "PIDNS_TREE_TEST_NO_TRACEPOINTS=y");
	if (why)
		SKIP(return, "%s", why);
	ASSERT_EQ(0, mount_debugfs()) TH_LOG("debugfs: %s", strerror(errno));
	/* The kernel log from here on. */
	self->kmsg = open("/dev/kmsg", O_RDONLY | O_NONBLOCK);
	ASSERT_LE(0, self->kmsg) TH_LOG("/dev/kmsg: %s", strerror(errno));
	ASSERT_LE(0, lseek(self->kmsg, 0, SEEK_END));
	test_build_load(_metadata, self->ko_no_tp);
}

FIXTURE_TEARDOWN(no_tracepoints)
{
	if (self->kmsg >= 0)
		close(self->kmsg);
	if (!self->ko || !*self->ko || !self->ko_no_tp || !*self->ko_no_tp)
		return;
	pst_module_unload();
	pst_module_load(self->ko);
}

/* Whether a kernel log record written since setup contains @what. */
static bool logged(int kmsg, const char *what)
{
	static char rec[8192];	/* CONSOLE_EXT_LOG_MAX: a record fits */
	ssize_t n;

	/* One record a read(); EAGAIN at the end, EPIPE if overwritten. */
	while ((n = read(kmsg, rec, sizeof(rec) - 1)) != 0) {
		if (n < 0) {
			if (errno == EPIPE)
				continue;
			return false;
		}
		rec[n] = '\0';
		if (strstr(rec, what))
			return true;
	}
	return false;
}

/*
 * Without the tracepoints the module loads, says why in one line, hooks
 * nothing, and prints "?" in the three columns for every process: one
 * forked after the load too.
 */
TEST_F(no_tracepoints, columns_unknown_and_one_log_line)
{
	struct pst_snapshot s;
	char err[256];
	pid_t young;
	size_t i;

	EXPECT_TRUE(logged(self->kmsg, NO_TP_LOG)) TH_LOG("no \"%s\" in the kernel log", NO_TP_LOG);
	EXPECT_EQ(0, stat_of("hooked"));
	EXPECT_EQ(0, stat_of("records"));
	young = pst_spawn(pst_sleeper, NULL, false);
	ASSERT_GT(young, 0);
	ASSERT_EQ(0, pst_read(PIDNS_TREE_PATH, 65536, &s, err, sizeof(err))) TH_LOG("%s", err);
	ASSERT_TRUE(pst_find(&s, young));
	ASSERT_TRUE(pst_find(&s, getpid()));
	for (i = 0; i < s.n; i++) {
		const struct pst_task *t = &s.tasks[i];

		EXPECT_EQ(-1, t->origin) TH_LOG("pid %d", t->pid);
		EXPECT_STREQ("?", t->origin_comm);
		EXPECT_EQ('?', t->adopted) TH_LOG("pid %d", t->pid);
	}
	pst_free(&s);
	end(young);
}

/* ---- an empty record pool --------------------------------------------- */

/*
 * A test build with a pool of 16 records, refilled only 2 s after it runs
 * low and no atomic allocation in the probe (Kbuild:
 * PIDNS_TREE_TEST_TINY_POOL=y): a burst of forks empties it.
 */
#define KO_TINY_POOL_ENV	"PIDNS_TREE_KO_TINY_POOL"
#define TINY_POOL		16
#define BURST			48
#define AFTER			4

FIXTURE(tiny_pool) {
	const char *ko;
	const char *ko_tiny;
	pid_t kids[BURST + AFTER];
};

FIXTURE_SETUP(tiny_pool)
{
	const char *why;

	self->ko = getenv(PST_KO_ENV);
	self->ko_tiny = getenv(KO_TINY_POOL_ENV);
	why = test_build_missing(self->ko, self->ko_tiny, KO_TINY_POOL_ENV,
				 "PIDNS_TREE_TEST_TINY_POOL=y");
	if (why)
		SKIP(return, "%s", why);
	ASSERT_EQ(0, mount_debugfs()) TH_LOG("debugfs: %s", strerror(errno));
	test_build_load(_metadata, self->ko_tiny);
}

FIXTURE_TEARDOWN(tiny_pool)
{
	pst_kill_all(self->kids, BURST + AFTER);
	if (!self->ko || !*self->ko || !self->ko_tiny || !*self->ko_tiny)
		return;
	pst_module_unload();
	pst_module_load(self->ko);
}

/* Polls debugfs until @key is @want, up to @ms. */
static bool stat_becomes(const char *key, long want, int ms)
{
	for (; ms > 0; ms -= 50) {
		if (stat_of(key) == want)
			return true;
		pst_sleep_ms(50);
	}
	return stat_of(key) == want;
}

/*
 * Forks while the pool is empty get no record: they print "?" in the three
 * columns for their whole life (and id 0), missed counts them, and the
 * records are still exactly the processes with an id.  Once the pool
 * is refilled, forks are recorded again.
 */
TEST_F_TIMEOUT(tiny_pool, empty_pool_then_refilled, 60)
{
	long missed, records = -1, known = -1, unknown = 0;
	struct pst_snapshot s;
	char err[256], comm[16];
	int i;

	ASSERT_EQ(0, prctl(PR_GET_NAME, comm));
	ASSERT_TRUE(stat_becomes("pool", TINY_POOL, 5000))
		TH_LOG("pool %ld, expected %d after the load", stat_of("pool"), TINY_POOL);
	missed = stat_of("missed");
	/* Sleepers, none of which exits: none gives its record back. */
	for (i = 0; i < BURST; i++) {
		self->kids[i] = pst_spawn(pst_sleeper, NULL, false);
		ASSERT_LT(0, self->kids[i]);
	}
	missed = stat_of("missed") - missed;
	EXPECT_LT(0, missed) TH_LOG("%d forks did not empty a pool of %d", BURST, TINY_POOL);

	ASSERT_EQ(0, pst_read(PIDNS_TREE_PATH, 65536, &s, err, sizeof(err))) TH_LOG("%s", err);
	for (i = 0; i < BURST; i++) {
		const struct pst_task *t = pst_find(&s, self->kids[i]);

		ASSERT_NE(NULL, t) TH_LOG("kid %d not listed", self->kids[i]);
		if (t->origin < 0) {
			unknown++;
			EXPECT_STREQ("?", t->origin_comm) TH_LOG("pid %d", t->pid);
			EXPECT_EQ('?', t->adopted) TH_LOG("pid %d", t->pid);
		} else {
			EXPECT_EQ(getpid(), t->origin) TH_LOG("pid %d", t->pid);
			EXPECT_STREQ(comm, t->origin_comm) TH_LOG("pid %d", t->pid);
			EXPECT_EQ('0', t->adopted) TH_LOG("pid %d", t->pid);
		}
	}
	pst_free(&s);
	EXPECT_LT(0, unknown) TH_LOG("no kid printed ?, with %ld forks missed", missed);
	EXPECT_LE(unknown, missed) TH_LOG("%ld kids print ?, only %ld forks missed", unknown, missed);

	records_settle(&records, &known);
	EXPECT_EQ(known, records)
		TH_LOG("records %ld, processes with an id %ld", records, known);

	/* The refill runs 2 s after the pool ran low. */
	ASSERT_TRUE(stat_becomes("pool", TINY_POOL, 10000))
		TH_LOG("pool %ld, expected a refill to %d", stat_of("pool"), TINY_POOL);
	for (i = BURST; i < BURST + AFTER; i++) {
		self->kids[i] = pst_spawn(pst_sleeper, NULL, false);
		ASSERT_LT(0, self->kids[i]);
	}
	ASSERT_EQ(0, pst_read(PIDNS_TREE_PATH, 65536, &s, err, sizeof(err))) TH_LOG("%s", err);
	for (i = BURST; i < BURST + AFTER; i++) {
		const struct pst_task *t = pst_find(&s, self->kids[i]);

		ASSERT_NE(NULL, t);
		EXPECT_EQ(getpid(), t->origin)
			TH_LOG("pid %d forked after the refill: origin %ld", t->pid, t->origin);
	}
	pst_free(&s);
}

#include "harness_main.h"
