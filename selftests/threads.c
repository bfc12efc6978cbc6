// SPDX-License-Identifier: GPL-2.0
/*
 * many.threads_100k: 100,000 threads in 20 processes, every one listed, in
 * reads that must end well within the test's time.  PIDNS_TREE_QUICK=1
 * skips it.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <kselftest_harness.h>

#include "pidns_tree_lib.h"

#define PID_MAX_PATH		"/proc/sys/kernel/pid_max"
#define THREADS_MAX_PATH	"/proc/sys/kernel/threads-max"
#define PID_MAX_WANT		4194304	/* PID_MAX_LIMIT on 64-bit */
#define STR(x)			STR_(x)
#define STR_(x)			#x

#define MANY_HOLDERS	20
#define MANY_PER_HOLDER	5000	/* threads besides each leader */
#define MANY_THREADS	(MANY_HOLDERS * MANY_PER_HOLDER)
#define MANY_KB_EACH	32	/* kernel memory per thread, measured 27.5 */
#define MANY_RESERVE_MB	384
#define MANY_CREATE_SECS 300
#define MANY_READ_SECS	120
#define MANY_KILL_PAUSE_MS 500

#ifdef __x86_64__
/*
 * clone() a thread that pauses forever without touching memory, so that
 * it needs no stack of its own and costs only kernel memory.  Returns the
 * new tid or -errno.  Every signal is blocked by the caller: nothing
 * ever runs on @stack.
 */
long threads_clone_pauser(unsigned long flags, void *stack);
asm(".text\n"
	".type threads_clone_pauser, @function\n"
	"threads_clone_pauser:\n"
	"	mov $" STR(__NR_clone) ", %eax\n"
	"	xor %edx, %edx\n"
	"	xor %r10d, %r10d\n"
	"	xor %r8d, %r8d\n"
	"	syscall\n"
	"	test %rax, %rax\n"
	"	jz 1f\n"
	"	ret\n"
	"1:	mov $" STR(__NR_pause) ", %eax\n"
	"	syscall\n"
	"	jmp 1b\n"
	".size threads_clone_pauser, .-threads_clone_pauser\n");

static int add_thread(void)
{
	static char stack[256] __attribute__((aligned(16)));
	long ret = threads_clone_pauser(CLONE_VM | CLONE_FS | CLONE_FILES |
					CLONE_SIGHAND | CLONE_THREAD |
					CLONE_SYSVSEM, stack + sizeof(stack));

	return ret < 0 ? ret : 0;
}
#else
static int add_thread(void)
{
	pthread_attr_t attr;
	pthread_t t;
	int ret;

	pthread_attr_init(&attr);
	pthread_attr_setstacksize(&attr, PTHREAD_STACK_MIN);
	pthread_attr_setguardsize(&attr, 0);
	ret = pthread_create(&t, &attr, pst_sleep_thread, NULL);
	pthread_attr_destroy(&attr);
	return -ret;
}
#endif

struct holder_report {
	pid_t pid;
	int made;
	int error;	/* errno of the clone that failed, or 0 */
};

static void __attribute__((noreturn)) holder(int fd)
{
	struct holder_report r = { getpid(), 0, 0 };
	sigset_t all;

	prctl(PR_SET_PDEATHSIG, SIGKILL);
	sigfillset(&all);
	sigprocmask(SIG_BLOCK, &all, NULL);
	for (; r.made < MANY_PER_HOLDER; r.made++) {
		r.error = -add_thread();
		if (r.error)
			break;
	}
	if (write(fd, &r, sizeof(r)) != sizeof(r))
		_exit(1);
	for (;;)
		pause();
}

static long mem_available_mb(void)
{
	char line[256];
	long kb = -1;
	FILE *f = fopen("/proc/meminfo", "re");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "MemAvailable: %ld kB", &kb) == 1)
			break;
	fclose(f);
	return kb < 0 ? -1 : kb / 1024;
}

struct many_result {
	int ok;
	size_t lines, listed[MANY_HOLDERS];
	size_t bytes;
	double secs;
	char err[400];
};

/* Read the file in a child (so that a slow read can be cut off). */
static void many_read(struct __test_metadata *_metadata, const pid_t *holders,
		      size_t bufsz, struct many_result *res)
{
	struct many_result *r = mmap(NULL, sizeof(*r), PROT_READ | PROT_WRITE,
				     MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	unsigned long long t0 = pst_now_ns(), limit = MANY_READ_SECS * PST_NSEC;
	int status = 0;
	pid_t pid;

	ASSERT_NE(MAP_FAILED, r);
	memset(r, 0, sizeof(*r));
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		int fd = open(PIDNS_TREE_PATH, O_RDONLY | O_CLOEXEC);
		struct pst_snapshot s;
		char *buf = NULL;
		size_t i, h;

		if (fd >= 0)
			buf = pst_slurp_fd(fd, bufsz, &r->bytes);
		if (!buf) {
			snprintf(r->err, sizeof(r->err), "read: %s",
				 pst_read_strerror(errno));
			_exit(0);
		}
		r->secs = (pst_now_ns() - t0) / 1e9;
		if (pst_parse(buf, r->bytes, &s, r->err, sizeof(r->err)))
			_exit(0);
		r->lines = s.n;
		for (i = 0; i < s.n; i++)
			for (h = 0; h < MANY_HOLDERS; h++)
				if (s.tasks[i].tgid == holders[h])
					r->listed[h]++;
		r->ok = 1;
		_exit(0);
	}
	while (waitpid(pid, &status, WNOHANG) == 0) {
		if (pst_now_ns() - t0 > limit) {
			kill(pid, SIGKILL);
			waitpid(pid, &status, 0);
			snprintf(r->err, sizeof(r->err),
				 "the read (%zu-byte buffers) took more than %d s: killed",
				 bufsz, MANY_READ_SECS);
			break;
		}
		pst_sleep_ms(50);
	}
	*res = *r;
	munmap(r, sizeof(*r));
}

FIXTURE(many) {
	pid_t holders[MANY_HOLDERS];
	long old_pid_max, old_threads_max;
};

FIXTURE_SETUP(many)
{
	long avail = mem_available_mb();
	long need = (long)MANY_THREADS * MANY_KB_EACH / 1024 + MANY_RESERVE_MB;

	if (pst_quick())
		SKIP(return, "%s", PST_LONG_RACE);
	if (geteuid())
		SKIP(return, "needs root: raises kernel.pid_max and kernel.threads-max");
	if (avail < need)
		SKIP(return, "%d threads need about %ld MB of free memory (%d KB of kernel memory each), %ld MB available: give the guest --mem 4096",
		     MANY_THREADS, need, MANY_KB_EACH, avail);
	ASSERT_EQ(0, pst_sysctl_raise(PID_MAX_PATH, PID_MAX_WANT,
				      &self->old_pid_max))
		TH_LOG("cannot raise %s to %d", PID_MAX_PATH, PID_MAX_WANT);
	ASSERT_EQ(0, pst_sysctl_raise(THREADS_MAX_PATH, 2 * MANY_THREADS,
				      &self->old_threads_max))
		TH_LOG("cannot raise %s to %d", THREADS_MAX_PATH,
		       2 * MANY_THREADS);
}

/*
 * One holder at a time, with a pause between: 100,000 threads dying at
 * once queue as many RCU callbacks, which under TCG on a busy host starved
 * the RCU kthread into a stall report.
 */
FIXTURE_TEARDOWN(many)
{
	unsigned long long t0 = pst_now_ns();
	int i;

	for (i = 0; i < MANY_HOLDERS; i++) {
		if (self->holders[i] <= 0)
			continue;
		pst_kill_all(&self->holders[i], 1);
		pst_sleep_ms(MANY_KILL_PAUSE_MS);
	}
	TH_LOG("teardown: killed and reaped in %.1f s", (pst_now_ns() - t0) / 1e9);
	pst_sysctl_restore(THREADS_MAX_PATH, self->old_threads_max);
	pst_sysctl_restore(PID_MAX_PATH, self->old_pid_max);
}

TEST_F_TIMEOUT(many, threads_100k, 600)
{
	static const size_t sizes[] = { 65536, 4095 };
	unsigned long long t0 = pst_now_ns(), deadline;
	struct holder_report rep;
	struct many_result res;
	struct pollfd pfd;
	int i, fds[2], got = 0;
	size_t k, h, bad;

	if (_metadata->skip)
		return;
	ASSERT_EQ(0, pipe(fds));
	for (i = 0; i < MANY_HOLDERS; i++) {
		self->holders[i] = fork();
		ASSERT_LE(0, self->holders[i]);
		if (self->holders[i] == 0) {
			close(fds[0]);
			holder(fds[1]);
		}
	}
	close(fds[1]);
	deadline = t0 + MANY_CREATE_SECS * PST_NSEC;
	pfd.fd = fds[0];
	pfd.events = POLLIN;
	while (got < MANY_HOLDERS && pst_now_ns() < deadline) {
		if (poll(&pfd, 1, 1000) <= 0)
			continue;
		ASSERT_EQ(sizeof(rep), read(fds[0], &rep, sizeof(rep)))
			TH_LOG("a holder died while making threads");
		EXPECT_EQ(MANY_PER_HOLDER, rep.made)
			TH_LOG("holder %d made %d threads, then clone: %s",
			       rep.pid, rep.made, strerror(rep.error));
		got++;
	}
	close(fds[0]);
	ASSERT_EQ(MANY_HOLDERS, got)
		TH_LOG("only %d of %d holders made their threads in %d s", got,
		       MANY_HOLDERS, MANY_CREATE_SECS);
	if (!_metadata->passed)
		return;
	TH_LOG("%d threads in %d processes made in %.1f s; %ld MB available now",
	       MANY_THREADS, MANY_HOLDERS, (pst_now_ns() - t0) / 1e9,
	       mem_available_mb());

	for (k = 0; k < ARRAY_SIZE(sizes); k++) {
		many_read(_metadata, self->holders, sizes[k], &res);
		ASSERT_TRUE(res.ok) TH_LOG("%zu-byte reads: %s", sizes[k],
					   res.err);
		TH_LOG("%zu-byte reads: %zu lines, %zu bytes in %.1f s",
		       sizes[k], res.lines, res.bytes, res.secs);
		EXPECT_LE(MANY_THREADS + MANY_HOLDERS, res.lines);
		for (h = 0, bad = MANY_HOLDERS; h < MANY_HOLDERS; h++)
			if (res.listed[h] != MANY_PER_HOLDER + 1)
				bad = h;
		EXPECT_EQ(MANY_HOLDERS, bad)
			TH_LOG("%zu-byte reads: %zu lines with tgid %d (holder %zu), want %d",
			       sizes[k], res.listed[bad], self->holders[bad],
			       bad, MANY_PER_HOLDER + 1);
	}
}

#include "harness_main.h"
