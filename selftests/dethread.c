// SPDX-License-Identifier: GPL-2.0
/*
 * /proc/pidns_tree while non-leader threads exec.
 *
 * dethread.non_leader_exec: exec chains alone in a pid namespace, under
 * readers of every buffer size: a thread printed after it took its
 * leader's pid in execve() shows up as a pid listed twice.  Short, and
 * run in quick mode too.
 *
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
 *
 * The namespace and the exec chains are lib_storm.c's (storm.c runs them
 * in its fork/exit storm too).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <kselftest_harness.h>

#include "pidns_tree_lib.h"

#define PID_MAX_PATH		"/proc/sys/kernel/pid_max"
#define PID_MAX_WANT		4194304	/* PID_MAX_LIMIT on 64-bit */
#define MAX_FAIL_MSGS		4

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
		if (*p == '#')
			continue;	/* seq_before, seq_after: not tasks */
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

/* Storm process @i (lib_storm.c's ->proc()): exec chains, nothing else. */
static int nle_chain(struct pst_storm *st, int i)
{
	(void)i;
	return pst_storm_execer(st);
}

FIXTURE(dethread) {
	struct pst_storm *sh;
	pid_t ns_parent;
	int go_fd;
	long old_pid_max;
};

FIXTURE_SETUP(dethread)
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

FIXTURE_TEARDOWN(dethread)
{
	pid_t ns[1] = { self->ns_parent };

	if (self->sh && self->sh->init > 0)
		kill(self->sh->init, SIGKILL);	/* and the whole namespace */
	pst_kill_all(ns, 1);
	if (self->go_fd >= 0)
		close(self->go_fd);
	if (self->sh)
		munmap(self->sh, sizeof(*self->sh));
	pst_sysctl_restore(PID_MAX_PATH, self->old_pid_max);
}

TEST_F_TIMEOUT(dethread, non_leader_exec, 120)
{
	struct pst_storm *sh = self->sh;
	struct nle_reader rd[NLE_READERS];
	unsigned long total = 0, bad = 0;
	unsigned long long t0;
	struct nle_reads *nr;
	char counts[400], why[128];
	size_t k, len = 0;
	int i;

	if (_metadata->skip)
		return;
	sh->nprocs = NLE_CHAINS;
	sh->proc = nle_chain;
	self->ns_parent = pst_storm_ns(sh, &self->go_fd);
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
	EXPECT_EQ(0, pst_storm_wait(sh, why, sizeof(why))) TH_LOG("%s", why);

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
