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
 * storm.non_leader_exec: exec chains alone in a pid namespace, under
 * readers of every buffer size: a thread printed after it took its
 * leader's pid in execve() shows up as a pid listed twice.  Short, and
 * run in quick mode too.
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
#include <sys/mount.h>
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
#define EXEC_ENV	"PIDNS_TREE_STORM_EXEC"
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
	unsigned long long deadline;
	int procs[NROLES];		/* how many of each */
	bool witnesses;			/* witnesses in the namespace too */
	int exec_sleepers;		/* threads besides leader and execer */
	pid_t init;			/* the namespace's init, host pid */
	struct witness ns_witness[NWITNESS];	/* namespace pids */
	unsigned long forks, threads, execs, chains;
	int done, failed;		/* storm processes */
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

/*
 * One generation of an exec chain: a leader and @sleepers threads sleep
 * while one more thread execs this program again, which makes the next
 * generation until the deadline.  de_thread() kills the others and gives
 * the execing thread the leader's pid.
 */
static void *exec_thread(void *arg)
{
	char *const argv[] = { "pidns_tree-storm-exec", NULL };

	execv("/proc/self/exe", argv);
	_exit(arg ? 1 : 2);
}

static void __attribute__((noreturn))
exec_generation(unsigned long long deadline, int fd, int sleepers)
{
	pthread_t t;
	int i;

	if (pst_now_ns() >= deadline)
		_exit(0);
	/* If the pipe is full the generation goes uncounted: harmless. */
	if (write(fd, "x", 1) < 0)
		errno = 0;
	for (i = 0; i < sleepers; i++)
		if (pthread_create(&t, NULL, pst_sleep_thread, NULL))
			_exit(1);
	if (pthread_create(&t, NULL, exec_thread, NULL))
		_exit(1);
	for (;;)
		pause();
}

/* In an exec'd generation, before main(): go on with the chain. */
static void __attribute__((constructor)) exec_chain_constructor(void)
{
	const char *env = getenv(EXEC_ENV);
	unsigned long long deadline;
	int fd, sleepers;

	if (!env ||
	    sscanf(env, "%llu %d %d", &deadline, &fd, &sleepers) != 3)
		return;
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (getppid() == 1)
		_exit(1);
	exec_generation(deadline, fd, sleepers);
}

static unsigned long long storm_deadline(struct storm_shared *sh)
{
	return __atomic_load_n(&sh->deadline, __ATOMIC_RELAXED);
}

static unsigned long drain(int fd)
{
	unsigned long n = 0;
	char buf[4096];
	ssize_t r;

	while ((r = read(fd, buf, sizeof(buf))) > 0)
		n += r;
	return n;
}

static int execer(struct storm_shared *sh)
{
	unsigned long gens = 0, chains = 0;
	char env[64];
	int fds[2];
	pid_t pid;

	if (pipe2(fds, O_NONBLOCK))
		return 1;
	while (pst_now_ns() < storm_deadline(sh)) {
		/* The deadline may have been brought forward: pass it on. */
		snprintf(env, sizeof(env), "%llu %d %d", storm_deadline(sh),
			 fds[1], sh->exec_sleepers);
		if (setenv(EXEC_ENV, env, 1))
			return 1;
		pid = fork();
		if (pid == 0) {
			close(fds[0]);
			prctl(PR_SET_PDEATHSIG, SIGKILL);
			exec_generation(storm_deadline(sh), fds[1],
					sh->exec_sleepers);
		}
		if (pid < 0)
			return 1;
		/* The chain ends itself, or is ended at a new deadline. */
		while (waitpid(pid, NULL, WNOHANG) == 0) {
			if (pst_now_ns() >= storm_deadline(sh)) {
				kill(pid, SIGKILL);
				waitpid(pid, NULL, 0);
				break;
			}
			pst_sleep_ms(10);
		}
		chains++;
		gens += drain(fds[0]);
	}
	gens += drain(fds[0]);
	/* A generation counts once it runs; the first is not exec'd. */
	__atomic_add_fetch(&sh->execs, gens > chains ? gens - chains : 0,
			   __ATOMIC_RELAXED);
	__atomic_add_fetch(&sh->chains, chains, __ATOMIC_RELAXED);
	return 0;
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

static int storm_nprocs(const struct storm_shared *sh)
{
	return sh->procs[FORKER] + sh->procs[CHURNER] + sh->procs[EXECER];
}

/* Storm process @i: run until the deadline, then say so. */
static void __attribute__((noreturn)) storm_proc(int i, struct storm_shared *sh)
{
	int ret;

	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (i < sh->procs[FORKER])
		ret = forker(sh);
	else if (i < sh->procs[FORKER] + sh->procs[CHURNER])
		ret = churner(sh);
	else
		ret = execer(sh);
	if (ret)
		__atomic_add_fetch(&sh->failed, 1, __ATOMIC_SEQ_CST);
	__atomic_add_fetch(&sh->done, 1, __ATOMIC_SEQ_CST);
	_exit(ret);
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

/*
 * The init of the storm's pid namespace, in its own mount namespace with
 * its own /proc: witnesses, then on "go" the storm; it reaps everything.
 * Its death kills the namespace.
 */
static void __attribute__((noreturn))
ns_init(struct storm_shared *sh, int ready_fd, int go_fd)
{
	pid_t witnesses[WITNESS_PROCS];
	char c = 0;
	int i;

	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) ||
	    mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC,
		  NULL) ||
	    (sh->witnesses && make_witnesses(witnesses, sh->ns_witness)) ||
	    write(ready_fd, "r", 1) != 1 || read(go_fd, &c, 1) != 1)
		_exit(1);
	close(ready_fd);
	close(go_fd);
	for (i = 0; i < storm_nprocs(sh); i++)
		if (fork() == 0)
			storm_proc(i, sh);
	for (;;)
		if (waitpid(-1, NULL, 0) < 0 && errno == ECHILD)
			pause();
}

/* Fork the namespace's init through a process that unshares; wait for it. */
static pid_t make_storm_ns(struct storm_shared *sh, int *go_fd)
{
	int ready[2], go[2], i;
	pid_t pid;
	char c;

	if (pipe(ready) || pipe(go))
		return -1;
	pid = fork();
	if (pid == 0) {
		pid_t init;

		prctl(PR_SET_PDEATHSIG, SIGKILL);
		close(ready[0]);
		close(go[1]);
		if (unshare(CLONE_NEWPID | CLONE_NEWNS))
			_exit(1);
		init = fork();
		if (init == 0)
			ns_init(sh, ready[1], go[0]);
		if (init < 0)
			_exit(1);
		__atomic_store_n(&sh->init, init, __ATOMIC_SEQ_CST);
		close(ready[1]);
		close(go[0]);
		waitpid(init, NULL, 0);
		_exit(0);
	}
	close(ready[1]);
	close(go[0]);
	if (pid < 0 || read(ready[0], &c, 1) != 1) {
		close(ready[0]);
		close(go[1]);
		return -1;
	}
	close(ready[0]);
	*go_fd = go[1];
	/* The init is ready; its pid comes from its parent, maybe later. */
	for (i = 0; i < 1000 && !__atomic_load_n(&sh->init, __ATOMIC_SEQ_CST);
	     i++)
		pst_sleep_ms(10);
	if (sh->init > 0)
		return pid;
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	return -1;
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
	self->sh->witnesses = true;
	self->sh->exec_sleepers = EXEC_SLEEPERS;
	ASSERT_EQ(0, make_witnesses(self->witness_pids, self->witness))
		TH_LOG("could not start the witness processes");
	self->ns_parent = make_storm_ns(self->sh, &self->go_fd);
	ASSERT_LT(0, self->ns_parent)
		TH_LOG("could not make the storm's pid namespace (unshare CLONE_NEWPID | CLONE_NEWNS, mount proc)");

	/* Quiet first: every witness is there, in each view. */
	witnesses_listed(_metadata, PIDNS_TREE_PATH, self->witness);
	snprintf(path, sizeof(path), "/proc/%d/root/proc/pidns_tree",
		 self->sh->init);
	witnesses_listed(_metadata, path, self->sh->ns_witness);
}

FIXTURE_TEARDOWN(storm)
{
	pid_t ns[1] = { self->ns_parent };

	if (self->sh && self->sh->init > 0)
		kill(self->sh->init, SIGKILL);	/* and the whole namespace */
	pst_kill_all(ns, 1);
	pst_kill_all(self->witness_pids, WITNESS_PROCS);
	if (self->go_fd >= 0)
		close(self->go_fd);
	if (self->sh)
		munmap(self->sh, sizeof(*self->sh));
	pst_sysctl_restore(PID_MAX_PATH, self->old_pid_max);
}

/* The storm stops by itself at the deadline: wait for it, 30 s at most. */
static void storm_wait_done(struct __test_metadata *_metadata,
			    struct storm_shared *sh)
{
	int i, n = storm_nprocs(sh);

	for (i = 0; i < 1500 && __atomic_load_n(&sh->done, __ATOMIC_SEQ_CST) < n;
	     i++)
		pst_sleep_ms(20);
	EXPECT_EQ(n, sh->done)
		TH_LOG("%d storm processes still running 30 s after the deadline",
		       n - sh->done);
	EXPECT_EQ(0, sh->failed)
		TH_LOG("%d storm processes failed (fork, clone or execve)",
		       sh->failed);
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
	char counts[400];
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
		 "/proc/%d/root/proc/pidns_tree", sh->init);
	t0 = pst_now_ns();
	sh->deadline = t0 + STORM_MAX_SECS * PST_NSEC;
	sr->deadline = sh->deadline;
	ASSERT_EQ(1, write(self->go_fd, "g", 1));

	for (i = 0; i < NREADERS; i++) {
		rd[i].sr = sr;
		rd[i].index = i;
		ASSERT_EQ(0, pthread_create(&rd[i].thread, NULL, reader_fn,
					    &rd[i]));
	}
	while (!storm_over(sh, sr, t0, secs))
		pst_sleep_ms(100);
	__atomic_store_n(&sh->deadline, pst_now_ns(), __ATOMIC_SEQ_CST);
	__atomic_store_n(&sr->deadline, pst_now_ns(), __ATOMIC_SEQ_CST);
	for (i = 0; i < NREADERS; i++)
		pthread_join(rd[i].thread, NULL);
	storm_wait_done(_metadata, sh);

	for (i = 0; i < NREADERS; i++) {
		len += snprintf(counts + len, sizeof(counts) - len,
				"%sreader %d: %lu host + %lu namespace",
				i ? ", " : "", i, sr->reads[i][HOST],
				sr->reads[i][NS]);
		total += sr->reads[i][HOST] + sr->reads[i][NS];
	}
	TH_LOG("%.1f s: %lu good reads (%s), %lu failed; %lu forks, %lu thread exits, %lu execs by non-leader threads in %lu chains",
	       (sh->deadline - t0) / 1e9, total, counts, sr->failed,
	       sh->forks, sh->threads, sh->execs, sh->chains);
	for (i = 0; i < MAX_FAIL_MSGS && (unsigned long)i < sr->failed; i++)
		TH_LOG("%s", sr->msgs[i]);
	EXPECT_EQ(0, sr->failed)
		TH_LOG("%lu of %lu reads went wrong (the first ones are above)",
		       sr->failed, total + sr->failed);
	/* A storm that did not blow proves nothing. */
	EXPECT_LT(0, sh->forks);
	EXPECT_LT(0, sh->threads);
	EXPECT_LT(0, sh->execs) TH_LOG("no execve from a non-leader thread ran");
	EXPECT_LE(NREADERS, total);
	free(sr);
}

/* ---- non_leader_exec -------------------------------------------------- */

/*
 * A thread that is not its process's leader calls execve(): de_thread()
 * (exchange_tids()) gives it the leader's pid M.  A reader whose walk found
 * that thread at its own pid N > M and prints it after the exchange lists
 * M a second time, out of order.  Here NLE_CHAINS processes in a pid
 * namespace of their own run exec chains with no other thread, so that
 * half the lines of the namespace's view are threads about to exec, and
 * readers read that view 1 byte at a time, in small odd buffers and whole:
 * in every read the pids must be strictly increasing, so listed once at
 * most.  The race is narrow: it needs the reader to lose its CPU, or the
 * exec to run in parallel, between finding the thread and printing it, as
 * on PREEMPT_RT or with truly parallel CPUs, and next to never under
 * single-threaded TCG on a kernel without preemption; so the counts are
 * logged whatever happens, to measure how often a kernel loses it.
 * Bounded by NLE_SECS of reading and NLE_MAX_READS reads per reader,
 * short enough for a quick run.
 */
#define NLE_SECS		10
#define NLE_MAX_READS		20000
#define NLE_CHAINS		4
#define NLE_READERS		3
#define NLE_READ_TIMEOUT_MS	10000
#define NLE_CYCLE		3
#define NLE_WHOLE		65536

/*
 * How each reader reads, read after read: a fresh open read 1 byte at a
 * time (->start() at every line) or in small odd buffers; or pread() of
 * the whole file at offset 0 on a descriptor kept open, so that nearly
 * all of the reader's time goes into the walk itself.
 */
enum nle_way { NLE_1, NLE_7, NLE_61, NLE_PREAD, NLE_NWAYS };

static const char *const nle_way_name[NLE_NWAYS] = {
	"1-byte reads", "7-byte reads", "61-byte reads", "whole preads",
};

static const enum nle_way nle_cfg[NLE_READERS][NLE_CYCLE] = {
	{ NLE_1, NLE_1, NLE_1 },
	{ NLE_7, NLE_61, NLE_7 },
	{ NLE_PREAD, NLE_PREAD, NLE_PREAD },
};

struct nle_reads {
	unsigned long long deadline;
	char path[64];
	pthread_mutex_t lock;
	unsigned long reads[NLE_NWAYS], bad[NLE_NWAYS], failed;
	unsigned long nmsgs;
	char msgs[MAX_FAIL_MSGS][600];
};

struct nle_reader {
	struct nle_reads *nr;
	int index;
	pthread_t thread;
};

static void nle_msg(struct nle_reads *nr, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void nle_msg(struct nle_reads *nr, const char *fmt, ...)
{
	va_list ap;

	pthread_mutex_lock(&nr->lock);
	if (nr->nmsgs < MAX_FAIL_MSGS) {
		va_start(ap, fmt);
		vsnprintf(nr->msgs[nr->nmsgs], sizeof(nr->msgs[0]), fmt, ap);
		va_end(ap);
	}
	nr->nmsgs++;
	pthread_mutex_unlock(&nr->lock);
}

/* Is @pid on a task line of @buf before @p? */
static bool nle_listed_before(const char *buf, const char *p, long pid)
{
	const char *q = memchr(buf, '\n', p - buf);

	while (q && ++q < p) {
		if (atol(q) == pid)
			return true;
		q = memchr(q, '\n', p - q);
	}
	return false;
}

/*
 * 0 if the task lines of @buf list their pids strictly increasing; else
 * the number of the first line that does not, described in @why.
 */
static size_t nle_order(const char *buf, size_t len, char *why, size_t whylen)
{
	const char *p = memchr(buf, '\n', len), *end = buf + len, *nl;
	const char *prev_line = NULL;
	long pid, prev = -1;
	size_t line = 1;

	for (p = p ? p + 1 : end; p < end; p = nl + 1) {
		nl = memchr(p, '\n', end - p);
		if (!nl)
			break;		/* a torn line: pst_parse() says so */
		line++;
		pid = atol(p);
		if (pid > prev) {
			prev = pid;
			prev_line = p;
			continue;
		}
		snprintf(why, whylen,
			 "line %zu: pid %ld after pid %ld (%s): '%.*s' after '%.*s'",
			 line, pid, prev,
			 nle_listed_before(buf, p, pid) ? "listed twice" :
			 "out of order", (int)(nl - p), p,
			 (int)(p - 1 - prev_line), prev_line);
		return line;
	}
	return 0;
}

/* Read @path the way @w says; @keep: the descriptor pread() keeps. */
static char *nle_read(const char *path, enum nle_way w, int *keep,
		      size_t *len)
{
	static const size_t bufsz[] = { 1, 7, 61 };
	char *buf;
	ssize_t r;
	int fd, e;

	if (w != NLE_PREAD) {
		fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			return NULL;
		buf = pst_slurp_fd_timed(fd, bufsz[w], len,
					 NLE_READ_TIMEOUT_MS);
		e = errno;
		close(fd);
		errno = e;
		return buf;
	}
	if (*keep < 0)
		*keep = open(path, O_RDONLY | O_CLOEXEC);
	buf = *keep < 0 ? NULL : malloc(NLE_WHOLE + 1);
	if (!buf)
		return NULL;
	/* Past offset 0, each pread() goes on where the last one ended. */
	for (*len = 0; *len < NLE_WHOLE; *len += r) {
		r = pread(*keep, buf + *len, NLE_WHOLE - *len, *len);
		if (r < 0) {
			e = errno;
			free(buf);
			errno = e;
			return NULL;
		}
		if (!r)
			break;
	}
	if (*len == NLE_WHOLE) {
		free(buf);
		errno = EFBIG;
		return NULL;
	}
	buf[*len] = '\0';
	return buf;
}

static void *nle_reader_fn(void *arg)
{
	struct nle_reader *rd = arg;
	struct nle_reads *nr = rd->nr;
	struct pst_snapshot s;
	char why[400], err[256], *buf;
	enum nle_way w;
	int keep = -1;
	unsigned long n;
	size_t len;

	for (n = 0; n < NLE_MAX_READS &&
	     pst_now_ns() < __atomic_load_n(&nr->deadline, __ATOMIC_RELAXED);
	     n++) {
		w = nle_cfg[rd->index][n % NLE_CYCLE];
		buf = nle_read(nr->path, w, &keep, &len);
		if (!buf) {
			nle_msg(nr, "reader %d, read %lu (%s): %s", rd->index,
				n, nle_way_name[w], pst_read_strerror(errno));
			__atomic_add_fetch(&nr->failed, 1, __ATOMIC_RELAXED);
			if (keep < 0 && w == NLE_PREAD)
				break;
			continue;
		}
		if (nle_order(buf, len, why, sizeof(why))) {
			nle_msg(nr, "reader %d, read %lu (%s): %s", rd->index,
				n, nle_way_name[w], why);
			__atomic_add_fetch(&nr->bad[w], 1, __ATOMIC_RELAXED);
		} else if (pst_parse(buf, len, &s, err, sizeof(err))) {
			nle_msg(nr, "reader %d, read %lu (%s): %s", rd->index,
				n, nle_way_name[w], err);
			__atomic_add_fetch(&nr->failed, 1, __ATOMIC_RELAXED);
		} else {
			pst_free(&s);
		}
		__atomic_add_fetch(&nr->reads[w], 1, __ATOMIC_RELAXED);
		free(buf);
	}
	if (keep >= 0)
		close(keep);
	return NULL;
}

TEST_F_TIMEOUT(storm, non_leader_exec, 120)
{
	struct storm_shared *sh = self->sh;
	struct nle_reader rd[NLE_READERS];
	unsigned long total = 0, bad = 0;
	unsigned long long t0;
	struct nle_reads *nr;
	char counts[400];
	size_t k, len = 0;
	int i;

	if (_metadata->skip)
		return;
	sh->procs[EXECER] = NLE_CHAINS;
	self->ns_parent = make_storm_ns(sh, &self->go_fd);
	ASSERT_LT(0, self->ns_parent)
		TH_LOG("could not make a pid namespace (unshare CLONE_NEWPID | CLONE_NEWNS, mount proc)");
	nr = calloc(1, sizeof(*nr));
	ASSERT_NE(NULL, nr);
	pthread_mutex_init(&nr->lock, NULL);
	snprintf(nr->path, sizeof(nr->path), "/proc/%d/root/proc/pidns_tree",
		 sh->init);
	t0 = pst_now_ns();
	/* The chains run until the readers are done, NLE_SECS at most. */
	sh->deadline = t0 + (NLE_SECS + 5) * PST_NSEC;
	nr->deadline = t0 + NLE_SECS * PST_NSEC;
	ASSERT_EQ(1, write(self->go_fd, "g", 1));
	for (i = 0; i < NLE_READERS; i++) {
		rd[i].nr = nr;
		rd[i].index = i;
		ASSERT_EQ(0, pthread_create(&rd[i].thread, NULL, nle_reader_fn,
					    &rd[i]));
	}
	for (i = 0; i < NLE_READERS; i++)
		pthread_join(rd[i].thread, NULL);
	__atomic_store_n(&sh->deadline, pst_now_ns(), __ATOMIC_SEQ_CST);
	storm_wait_done(_metadata, sh);

	for (k = 0; k < NLE_NWAYS; k++) {
		len += snprintf(counts + len, sizeof(counts) - len,
				"%s%s: %lu of %lu", k ? ", " : "",
				nle_way_name[k], nr->bad[k], nr->reads[k]);
		total += nr->reads[k];
		bad += nr->bad[k];
	}
	TH_LOG("%.1f s: %lu reads, %lu listed a pid twice or out of order (%s), %lu failed otherwise; %lu execs by non-leader threads in %d chains",
	       (pst_now_ns() - t0) / 1e9, total, bad, counts, nr->failed,
	       sh->execs, NLE_CHAINS);
	for (i = 0; i < MAX_FAIL_MSGS && (unsigned long)i < nr->nmsgs; i++)
		TH_LOG("%s", nr->msgs[i]);
	EXPECT_EQ(0, bad)
		TH_LOG("%lu of %lu reads listed a pid twice or out of order (the first ones are above)",
		       bad, total);
	EXPECT_EQ(0, nr->failed);
	/* No exec by a non-leader thread, no proof. */
	EXPECT_LT(0, sh->execs) TH_LOG("no execve from a non-leader thread ran");
	EXPECT_LE(NLE_READERS, total);
	free(nr);
}

#include "harness_main.h"
