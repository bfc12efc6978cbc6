// SPDX-License-Identifier: GPL-2.0
/*
 * /proc/pidns_tree while tasks come and go.
 *
 * storm.fork_exit_storm: long-lived witness processes and threads; then,
 * for a bounded time, in a pid namespace of its own: a process that forks
 * and reaps, processes that make batches of threads which exit together,
 * and multithreaded processes whose non-leader thread calls execve()
 * (de_thread() hands it the leader's pid).  Meanwhile reader threads read
 * the file with assorted buffer sizes, through the host's /proc and through
 * the namespace's own proc mount (where the dying tasks are most of the
 * lines, so a reader is often on one when it goes).  Every read must parse
 * (no torn line), list pids strictly increasing (no duplicate) and list
 * every witness of its view, with its tgid.  The walk bugs this is made
 * for (a position re-derived from a task that has just exited, a restart
 * from pid 1) show up as duplicates.  PIDNS_TREE_QUICK=1 skips it.
 *
 * The namespace and its exec chains are lib_storm.c's; dethread.c runs
 * the exec chains alone, under readers of every buffer size.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/futex.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <kselftest_harness.h>

#include "pidns_tree_lib.h"

#define PID_MAX_PATH		"/proc/sys/kernel/pid_max"
#define PID_MAX_WANT		4194304	/* PID_MAX_LIMIT on 64-bit */
#define STR(x)			STR_(x)
#define STR_(x)			#x

/* ---- fork_exit_storm -------------------------------------------------- */

/*
 * The storm lasts STORM_SECS (PIDNS_TREE_STORM_SECS overrides), and longer
 * on a slow machine, until STORM_MIN_EXITS threads have exited and the
 * readers have read the namespace's view STORM_MIN_NS_READS times; but
 * never more than STORM_MAX_SECS.
 */
#define STORM_SECS		10
#define STORM_MAX_SECS		30
#define STORM_MIN_EXITS		5000
#define STORM_MIN_NS_READS	1500
#define WITNESS_PROCS	3
#define WITNESS_THREADS	3	/* besides each leader */
#define NWITNESS	(WITNESS_PROCS * (WITNESS_THREADS + 1))
#define FORKERS		1
#define FORK_BATCH	4	/* children alive at once, per forker */
#define CHURNERS	2
#define CHURN_BATCH	16	/* threads alive at once, per churner */
#define EXECERS		2
#define EXEC_SLEEPERS	2	/* threads besides the leader and the execer */
#define NREADERS	4
#define MAX_FAIL_MSGS	4
/*
 * One read, even 1 byte at a time, in a storm.  A walk in pid order also
 * lists the tasks forked ahead of it, so a slow reader chases the storm
 * until it ends: 1-byte reads on the debug kernel (KASAN, lockdep) under
 * TCG took over 20 s once.  A walk that restarts never ends at all.
 */
#define READ_TIMEOUT_MS	60000

enum view { HOST, NS, NVIEWS };

static const char *const view_name[NVIEWS] = {
	"host /proc", "the storm's pid namespace",
};

/*
 * What each reader reads, read after read: the host's /proc, or the proc
 * mount of the storm's pid namespace (reached from outside through
 * /proc/INIT/root/proc), where the dying tasks are a larger share of the
 * lines; and with which buffer sizes.  The last reader restarts the walk
 * at nearly every line (->start() from a position under churn); the
 * others spend their time in the walk itself, where a task exits under
 * the reader.
 */
#define NREADS_CYCLE	6
static const struct {
	enum view view[NREADS_CYCLE];
	size_t bufsz[NREADS_CYCLE];
} reader_cfg[NREADERS] = {
	{ { HOST, HOST, HOST, HOST, HOST, HOST },
	  { 65536, 65536, 4096, 65536, 4095, 65536 } },
	{ { NS, NS, NS, NS, NS, NS },
	  { 65536, 4096, 65536, 4097, 65536, 1024 } },
	{ { NS, NS, NS, NS, NS, NS },
	  { 65536, 512, 65536, 3000, 65536, 65536 } },
	{ { NS, HOST, NS, HOST, NS, HOST },
	  { 61, 7, 1, 61, 200, 1 } },
};

struct witness {
	pid_t tid, tgid;
};

/* The processes of a storm, by what they do. */
enum role { FORKER, CHURNER, EXECER, NROLES };

/* Shared with the processes of the storm. */
struct storm_shared {
	struct pst_storm st;		/* first: lib_storm.c's part */
	int procs[NROLES];		/* how many of each */
	struct witness ns_witness[NWITNESS];	/* namespace pids */
	unsigned long forks, threads;
};

/* The readers' results. */
struct storm_reads {
	unsigned long long deadline;
	const struct witness *witness[NVIEWS];
	char path[NVIEWS][64];
	pthread_mutex_t lock;
	unsigned long reads[NREADERS][NVIEWS], failed;
	char msgs[MAX_FAIL_MSGS][600];
};

struct reader {
	struct storm_reads *sr;
	int index;
	pthread_t thread;
};

static unsigned long long storm_deadline(struct storm_shared *sh)
{
	return pst_storm_deadline(&sh->st);
}

static int forker(struct storm_shared *sh)
{
	pid_t kids[FORK_BATCH];
	int i;

	while (pst_now_ns() < storm_deadline(sh)) {
		for (i = 0; i < FORK_BATCH; i++) {
			kids[i] = fork();
			if (kids[i] == 0)
				_exit(0);
		}
		for (i = 0; i < FORK_BATCH; i++)
			if (kids[i] > 0)
				waitpid(kids[i], NULL, 0);
		__atomic_add_fetch(&sh->forks, FORK_BATCH, __ATOMIC_RELAXED);
	}
	return 0;
}

#ifdef __x86_64__
/*
 * clone() a thread that waits on the futex @go until it is non-zero, then
 * exits; the kernel writes its tid to *@tid, and clears and wakes *@tid
 * when the thread is gone.  The thread touches no stack (every signal is
 * blocked by the caller), so it costs no memory and starts and dies fast.
 * Returns the new tid or -errno.
 */
long storm_clone_waiter(unsigned long flags, void *stack, int *tid,
			int *tid_again, int *go);
asm(".text\n"
	".type storm_clone_waiter, @function\n"
	"storm_clone_waiter:\n"
	"	mov %r8, %r9\n"			/* go, kept across syscalls */
	"	mov %rcx, %r10\n"			/* child_tid */
	"	xor %r8d, %r8d\n"			/* tls */
	"	mov $" STR(__NR_clone) ", %eax\n"
	"	syscall\n"
	"	test %rax, %rax\n"
	"	jz 1f\n"
	"	ret\n"
	"1:	cmpl $0, (%r9)\n"
	"	jne 2f\n"
	"	mov %r9, %rdi\n"
	"	mov $" STR(__NR_futex) ", %eax\n"
	"	mov $128, %esi\n"			/* FUTEX_WAIT_PRIVATE */
	"	xor %edx, %edx\n"
	"	xor %r10d, %r10d\n"
	"	syscall\n"
	"	jmp 1b\n"
	"2:	mov $" STR(__NR_exit) ", %eax\n"
	"	xor %edi, %edi\n"
	"	syscall\n"
	"	ud2\n"
	".size storm_clone_waiter, .-storm_clone_waiter\n");

/*
 * Batches of threads that start, wait for each other and exit at once:
 * many tasks released close together while readers walk past them.
 */
static int churner(struct storm_shared *sh)
{
	static char stack[256] __attribute__((aligned(16)));
	static int tids[CHURN_BATCH], go;
	sigset_t all;
	int i, n, v;

	sigfillset(&all);
	sigprocmask(SIG_BLOCK, &all, NULL);
	while (pst_now_ns() < storm_deadline(sh)) {
		__atomic_store_n(&go, 0, __ATOMIC_SEQ_CST);
		for (n = 0; n < CHURN_BATCH; n++)
			if (storm_clone_waiter(CLONE_VM | CLONE_FS | CLONE_FILES |
					       CLONE_SIGHAND | CLONE_THREAD |
					       CLONE_SYSVSEM |
					       CLONE_PARENT_SETTID |
					       CLONE_CHILD_CLEARTID,
					       stack + sizeof(stack), &tids[n],
					       &tids[n], &go) < 0)
				break;
		__atomic_store_n(&go, 1, __ATOMIC_SEQ_CST);
		syscall(SYS_futex, &go, FUTEX_WAKE_PRIVATE, INT_MAX, NULL);
		/* CLONE_CHILD_CLEARTID wakes a shared futex: wait on one. */
		for (i = 0; i < n; i++)
			while ((v = __atomic_load_n(&tids[i], __ATOMIC_SEQ_CST)))
				syscall(SYS_futex, &tids[i], FUTEX_WAIT, v, NULL);
		if (n < CHURN_BATCH)
			return 1;
		__atomic_add_fetch(&sh->threads, n, __ATOMIC_RELAXED);
	}
	return 0;
}
#else
static void *churn_thread(void *arg)
{
	pthread_barrier_wait(arg);
	return NULL;
}

/* As above, with pthreads. */
static int churner(struct storm_shared *sh)
{
	pthread_t t[CHURN_BATCH];
	pthread_barrier_t go;
	pthread_attr_t attr;
	int i, n;

	pthread_attr_init(&attr);
	pthread_attr_setstacksize(&attr, 64 * 1024);
	while (pst_now_ns() < storm_deadline(sh)) {
		pthread_barrier_init(&go, NULL, CHURN_BATCH + 1);
		for (n = 0; n < CHURN_BATCH; n++)
			if (pthread_create(&t[n], &attr, churn_thread, &go))
				return 1;
		pthread_barrier_wait(&go);
		for (i = 0; i < n; i++)
			pthread_join(t[i], NULL);
		pthread_barrier_destroy(&go);
		__atomic_add_fetch(&sh->threads, n, __ATOMIC_RELAXED);
	}
	return 0;
}
#endif

/* Storm process @i (lib_storm.c's ->proc()), by its role. */
static int storm_role(struct pst_storm *st, int i)
{
	struct storm_shared *sh = (struct storm_shared *)st;

	if (i < sh->procs[FORKER])
		return forker(sh);
	if (i < sh->procs[FORKER] + sh->procs[CHURNER])
		return churner(sh);
	return pst_storm_execer(st);
}

struct witness_thread {
	pid_t *tid;
	pthread_barrier_t *ready;
};

static void *witness_thread_fn(void *arg)
{
	struct witness_thread *wt = arg;

	*wt->tid = syscall(SYS_gettid);
	pthread_barrier_wait(wt->ready);
	for (;;)
		pause();
	return NULL;
}

/* A process with WITNESS_THREADS threads; all its tids go to @fd. */
static void __attribute__((noreturn)) witness_proc(int fd)
{
	struct witness_thread wt[WITNESS_THREADS];
	pid_t tids[WITNESS_THREADS + 1];
	pthread_barrier_t ready;
	pthread_t t;
	int i;

	prctl(PR_SET_PDEATHSIG, SIGKILL);
	tids[0] = getpid();
	pthread_barrier_init(&ready, NULL, WITNESS_THREADS + 1);
	for (i = 0; i < WITNESS_THREADS; i++) {
		wt[i].tid = &tids[i + 1];
		wt[i].ready = &ready;
		if (pthread_create(&t, NULL, witness_thread_fn, &wt[i]))
			_exit(1);
	}
	pthread_barrier_wait(&ready);
	if (write(fd, tids, sizeof(tids)) != sizeof(tids))
		_exit(1);
	for (;;)
		pause();
}

/* WITNESS_PROCS witness processes: their pids and all their tids. */
static int make_witnesses(pid_t *pids, struct witness *w)
{
	pid_t tids[WITNESS_THREADS + 1];
	int i, j, fds[2], ret = 0;

	if (pipe(fds))
		return -1;
	for (i = 0; i < WITNESS_PROCS && !ret; i++) {
		pids[i] = fork();
		if (pids[i] == 0) {
			close(fds[0]);
			witness_proc(fds[1]);
		}
		if (pids[i] < 0 ||
		    read(fds[0], tids, sizeof(tids)) != sizeof(tids)) {
			ret = -1;
			break;
		}
		for (j = 0; j <= WITNESS_THREADS; j++) {
			w[i * (WITNESS_THREADS + 1) + j].tid = tids[j];
			w[i * (WITNESS_THREADS + 1) + j].tgid = tids[0];
		}
	}
	close(fds[0]);
	close(fds[1]);
	return ret;
}

/* The namespace's init, before the storm (->setup()): its witnesses. */
static int ns_witnesses(struct pst_storm *st)
{
	struct storm_shared *sh = (struct storm_shared *)st;
	pid_t witnesses[WITNESS_PROCS];

	return make_witnesses(witnesses, sh->ns_witness);
}

static void storm_fail(struct storm_reads *sr, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void storm_fail(struct storm_reads *sr, const char *fmt, ...)
{
	va_list ap;

	pthread_mutex_lock(&sr->lock);
	if (sr->failed < MAX_FAIL_MSGS) {
		va_start(ap, fmt);
		vsnprintf(sr->msgs[sr->failed], sizeof(sr->msgs[0]), fmt, ap);
		va_end(ap);
	}
	sr->failed++;
	pthread_mutex_unlock(&sr->lock);
}

static void *reader_fn(void *arg)
{
	struct reader *rd = arg;
	struct storm_reads *sr = rd->sr;
	const struct pst_task *t;
	struct pst_snapshot s;
	unsigned long n;
	enum view v;
	size_t bufsz;
	char err[400];
	int i;

	for (n = 0; pst_now_ns() < __atomic_load_n(&sr->deadline, __ATOMIC_RELAXED);
	     n++) {
		v = reader_cfg[rd->index].view[n % NREADS_CYCLE];
		bufsz = reader_cfg[rd->index].bufsz[n % NREADS_CYCLE];
		if (pst_read_timed(sr->path[v], bufsz, READ_TIMEOUT_MS, &s, err,
				   sizeof(err))) {
			storm_fail(sr, "reader %d, read %lu (%s, %zu-byte buffers): %s",
				   rd->index, n, view_name[v], bufsz, err);
			continue;
		}
		for (i = 0; i < NWITNESS; i++) {
			const struct witness *w = &sr->witness[v][i];

			t = pst_find(&s, w->tid);
			if (!t)
				storm_fail(sr, "reader %d, read %lu (%s, %zu-byte buffers, %zu lines): witness pid %d (tgid %d) missing",
					   rd->index, n, view_name[v], bufsz,
					   s.n, w->tid, w->tgid);
			else if (t->tgid != w->tgid)
				storm_fail(sr, "reader %d, read %lu (%s, %zu-byte buffers): witness pid %d: column tgid %d, want %d",
					   rd->index, n, view_name[v], bufsz,
					   w->tid, t->tgid, w->tgid);
		}
		pst_free(&s);
		pthread_mutex_lock(&sr->lock);
		sr->reads[rd->index][v]++;
		pthread_mutex_unlock(&sr->lock);
	}
	return NULL;
}

FIXTURE(storm) {
	pid_t witness_pids[WITNESS_PROCS];
	struct witness witness[NWITNESS];
	struct storm_shared *sh;
	pid_t ns_parent;
	int go_fd;
	long old_pid_max;
};

/* Every witness of @w is in the file at @path. */
static void witnesses_listed(struct __test_metadata *_metadata,
			     const char *path, const struct witness *w)
{
	struct pst_snapshot s;
	char err[256];
	int i, missing = -1;

	ASSERT_EQ(0, pst_read_timed(path, 4096, READ_TIMEOUT_MS, &s, err,
				    sizeof(err)))
		TH_LOG("quiet read of %s: %s", path, err);
	for (i = 0; i < NWITNESS; i++)
		if (!pst_find(&s, w[i].tid))
			missing = i;
	pst_free(&s);
	ASSERT_EQ(-1, missing)
		TH_LOG("quiet read of %s: witness pid %d (tgid %d) missing",
		       path, w[missing].tid, w[missing].tgid);
}

FIXTURE_SETUP(storm)
{
	self->go_fd = -1;
	if (geteuid())
		SKIP(return, "needs root: raises kernel.pid_max, makes a pid namespace");
	ASSERT_EQ(0, pst_sysctl_raise(PID_MAX_PATH, PID_MAX_WANT,
				      &self->old_pid_max))
		TH_LOG("cannot raise %s to %d", PID_MAX_PATH, PID_MAX_WANT);
	self->sh = mmap(NULL, sizeof(*self->sh), PROT_READ | PROT_WRITE,
			MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, self->sh);
	memset(self->sh, 0, sizeof(*self->sh));
}

/*
 * The witnesses, and the storm's namespace with its own witnesses, ready
 * to go; every witness listed in a quiet read of each view.
 */
static void storm_start(struct __test_metadata *_metadata,
			FIXTURE_DATA(storm) *self)
{
	char path[64];

	self->sh->procs[FORKER] = FORKERS;
	self->sh->procs[CHURNER] = CHURNERS;
	self->sh->procs[EXECER] = EXECERS;
	self->sh->st.nprocs = FORKERS + CHURNERS + EXECERS;
	self->sh->st.proc = storm_role;
	self->sh->st.setup = ns_witnesses;
	self->sh->st.exec_sleepers = EXEC_SLEEPERS;
	ASSERT_EQ(0, make_witnesses(self->witness_pids, self->witness))
		TH_LOG("could not start the witness processes");
	self->ns_parent = pst_storm_ns(&self->sh->st, &self->go_fd);
	ASSERT_LT(0, self->ns_parent)
		TH_LOG("could not make the storm's pid namespace (unshare CLONE_NEWPID | CLONE_NEWNS, mount proc)");

	/* Quiet first: every witness is there, in each view. */
	witnesses_listed(_metadata, PIDNS_TREE_PATH, self->witness);
	snprintf(path, sizeof(path), "/proc/%d/root/proc/pidns_tree",
		 self->sh->st.init);
	witnesses_listed(_metadata, path, self->sh->ns_witness);
}

FIXTURE_TEARDOWN(storm)
{
	pid_t ns[1] = { self->ns_parent };

	if (self->sh && self->sh->st.init > 0)
		kill(self->sh->st.init, SIGKILL);	/* and the whole namespace */
	pst_kill_all(ns, 1);
	pst_kill_all(self->witness_pids, WITNESS_PROCS);
	if (self->go_fd >= 0)
		close(self->go_fd);
	if (self->sh)
		munmap(self->sh, sizeof(*self->sh));
	pst_sysctl_restore(PID_MAX_PATH, self->old_pid_max);
}

static int storm_secs(void)
{
	const char *env = getenv("PIDNS_TREE_STORM_SECS");
	int secs = env ? atoi(env) : STORM_SECS;

	if (secs < 1)
		secs = STORM_SECS;
	return secs > STORM_MAX_SECS ? STORM_MAX_SECS : secs;
}

static unsigned long ns_reads(struct storm_reads *sr)
{
	unsigned long n = 0;
	int i;

	pthread_mutex_lock(&sr->lock);
	for (i = 0; i < NREADERS; i++)
		n += sr->reads[i][NS];
	pthread_mutex_unlock(&sr->lock);
	return n;
}

static bool storm_over(struct storm_shared *sh, struct storm_reads *sr,
		       unsigned long long t0, int secs)
{
	unsigned long long t = pst_now_ns() - t0;

	if (t >= STORM_MAX_SECS * PST_NSEC)
		return true;
	return t >= secs * PST_NSEC &&
	       __atomic_load_n(&sh->threads, __ATOMIC_RELAXED) >= STORM_MIN_EXITS &&
	       ns_reads(sr) >= STORM_MIN_NS_READS;
}

TEST_F_TIMEOUT(storm, fork_exit_storm, 180)
{
	struct storm_shared *sh = self->sh;
	struct reader rd[NREADERS];
	struct storm_reads *sr;
	unsigned long long t0;
	unsigned long total = 0;
	int i, secs = storm_secs();
	char counts[400], why[128];
	size_t len = 0;

	if (_metadata->skip)
		return;
	if (pst_quick())
		SKIP(return, "%s", PST_LONG_RACE);
	storm_start(_metadata, self);
	if (!_metadata->passed)
		return;
	sr = calloc(1, sizeof(*sr));
	ASSERT_NE(NULL, sr);
	pthread_mutex_init(&sr->lock, NULL);
	sr->witness[HOST] = self->witness;
	sr->witness[NS] = sh->ns_witness;
	snprintf(sr->path[HOST], sizeof(sr->path[HOST]), "%s", PIDNS_TREE_PATH);
	snprintf(sr->path[NS], sizeof(sr->path[NS]),
		 "/proc/%d/root/proc/pidns_tree", sh->st.init);
	t0 = pst_now_ns();
	sh->st.deadline = t0 + STORM_MAX_SECS * PST_NSEC;
	sr->deadline = sh->st.deadline;
	ASSERT_EQ(1, write(self->go_fd, "g", 1));

	for (i = 0; i < NREADERS; i++) {
		rd[i].sr = sr;
		rd[i].index = i;
		ASSERT_EQ(0, pthread_create(&rd[i].thread, NULL, reader_fn,
					    &rd[i]));
	}
	while (!storm_over(sh, sr, t0, secs))
		pst_sleep_ms(100);
	__atomic_store_n(&sh->st.deadline, pst_now_ns(), __ATOMIC_SEQ_CST);
	__atomic_store_n(&sr->deadline, pst_now_ns(), __ATOMIC_SEQ_CST);
	for (i = 0; i < NREADERS; i++)
		pthread_join(rd[i].thread, NULL);
	EXPECT_EQ(0, pst_storm_wait(&sh->st, why, sizeof(why))) TH_LOG("%s", why);

	for (i = 0; i < NREADERS; i++) {
		len += snprintf(counts + len, sizeof(counts) - len,
				"%sreader %d: %lu host + %lu namespace",
				i ? ", " : "", i, sr->reads[i][HOST],
				sr->reads[i][NS]);
		total += sr->reads[i][HOST] + sr->reads[i][NS];
	}
	TH_LOG("%.1f s: %lu good reads (%s), %lu failed; %lu forks, %lu thread exits, %lu execs by non-leader threads in %lu chains",
	       (sh->st.deadline - t0) / 1e9, total, counts, sr->failed,
	       sh->forks, sh->threads, sh->st.execs, sh->st.chains);
	for (i = 0; i < MAX_FAIL_MSGS && (unsigned long)i < sr->failed; i++)
		TH_LOG("%s", sr->msgs[i]);
	EXPECT_EQ(0, sr->failed)
		TH_LOG("%lu of %lu reads went wrong (the first ones are above)",
		       sr->failed, total + sr->failed);
	/* A storm that did not blow proves nothing. */
	EXPECT_LT(0, sh->forks);
	EXPECT_LT(0, sh->threads);
	EXPECT_LT(0, sh->st.execs) TH_LOG("no execve from a non-leader thread ran");
	EXPECT_LE(NREADERS, total);
	free(sr);
}

#include "harness_main.h"
