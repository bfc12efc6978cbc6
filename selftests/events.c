// SPDX-License-Identifier: GPL-2.0
/*
 * /proc/pidns_tree_events against what the tests themselves did: each
 * test subscribes, makes processes, and expects the exact lines of those
 * processes, in order, each once (Documentation/proc-pidns_tree_events.rst).
 * The namespaces, visibility, a slow reader and the snapshot are in
 * events_ns.c.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
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
#include "events_lib.h"

PST_EV_FIXTURE(ev);

/* Fork a child that waits for a byte on @go, then execs as @name doing @what. */
static pid_t fork_exec(int go[2], const char *name, const char *what)
{
	pid_t pid = fork();
	char c;

	if (pid == 0) {
		close(go[1]);
		if (read(go[0], &c, 1) != 1)
			_exit(1);
		pst_exec_as(name, what);
		_exit(1);
	}
	close(go[0]);
	return pid;
}

/* The fork, exec, exit and reap of one child, @what after the exec. */
static void one_child(struct __test_metadata *_metadata, struct pst_ev_fix *f,
		      const char *what, int want_status)
{
	const struct pst_event *e;
	struct pst_evset set = { 0 };
	int go[2], status;
	pid_t pid;

	ASSERT_EQ(0, pipe(go));
	pid = fork_exec(go, "pstev_child", what);
	ASSERT_LT(0, pid);
	pst_evset_add(&set, pid);
	ASSERT_EQ(1, write(go[1], "x", 1));
	close(go[1]);
	if (!strcmp(what, "sleep")) {
		EV_COLLECT(f, &set, PST_EV_EXEC, pid, 1000);
		kill(pid, SIGKILL);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_EQ(want_status, status);
	EV_COLLECT(f, &set, PST_EV_REAP, pid, 300);
	EV_EXPECT_TYPES(f, pid, "fork exec exit reap");
	e = EV_FIND(f, PST_EV_FORK, pid);
	EXPECT_NE(0, e->id) TH_LOG("'%s'", e->line);
	EXPECT_EQ(getpid(), e->ppid) TH_LOG("'%s'", e->line);
	EXPECT_EQ(f->me_id, e->parent_id) TH_LOG("'%s'", e->line);
	EXPECT_EQ(getpid(), e->caller) TH_LOG("'%s'", e->line);
	EXPECT_EQ(f->me_id, e->caller_id) TH_LOG("'%s'", e->line);
	EXPECT_EQ(f->pidns, e->pidns) TH_LOG("'%s'", e->line);
	EXPECT_EQ(0, e->level) TH_LOG("'%s'", e->line);
	EXPECT_EQ(pid, atoll(e->nspids));
	EXPECT_STREQ("-", e->ns) TH_LOG("'%s'", e->line);
	EXPECT_STREQ(f->comm, e->comm) TH_LOG("'%s'", e->line);
	EV_SAME_ID(f, pid, e->id);
	e = EV_FIND(f, PST_EV_EXEC, pid);
	EXPECT_STREQ("pstev_child", e->comm) TH_LOG("'%s'", e->line);
	e = EV_FIND(f, PST_EV_EXIT, pid);
	EXPECT_EQ(want_status, e->status) TH_LOG("exit line of %d: '%s'", pid, e->line);
	e = EV_FIND(f, PST_EV_REAP, pid);
	EXPECT_EQ(getpid(), e->ppid) TH_LOG("'%s'", e->line);
	EXPECT_EQ(f->me_id, e->parent_id) TH_LOG("'%s'", e->line);
	EV_SEQ_UP(f);
}

TEST_F(ev, fork_exec_exit3_reap)
{
	if (_metadata->skip)
		return;
	one_child(_metadata, &self->f, "exit:3", 3 << 8);
}

TEST_F(ev, fork_exec_sigkill_reap)
{
	if (_metadata->skip)
		return;
	one_child(_metadata, &self->f, "sleep", SIGKILL);
}

/* Read @len bytes, in as many reads as it takes: 0 or -1. */
static int read_full(int fd, void *buf, size_t len)
{
	ssize_t r;

	while (len) {
		r = read(fd, buf, len);
		if (r <= 0)
			return -1;
		buf = (char *)buf + r;
		len -= r;
	}
	return 0;
}

/*
 * The child forks a grandchild and exits; each writes its pid in the
 * initial namespace (it may be in another) on @fd, the child first.
 */
static void middle(int fd)
{
	pid_t me = pst_host_pid(), g;

	if (write(fd, &me, sizeof(me)) != sizeof(me))
		_exit(1);
	g = fork();
	if (g == 0) {
		me = pst_host_pid();
		if (write(fd, &me, sizeof(me)) != sizeof(me))
			_exit(1);
		pst_sleep_forever();
	}
	_exit(g < 0);
}

TEST_F(ev, double_fork_subreaper_adopts)
{
	struct pst_ev_fix *f = &self->f;
	struct pst_evset set = { 0 };
	const struct pst_event *e, *x;
	pid_t pids[2], mid;
	int fds[2], status;

	if (_metadata->skip)
		return;
	ASSERT_EQ(0, prctl(PR_SET_CHILD_SUBREAPER, 1));
	ASSERT_EQ(0, pipe(fds));
	mid = fork();
	if (mid == 0)
		middle(fds[1]);
	ASSERT_EQ(0, read_full(fds[0], pids, sizeof(pids)));
	ASSERT_EQ(mid, waitpid(mid, &status, 0));
	pst_evset_add(&set, pids[0]);
	pst_evset_add(&set, pids[1]);
	EV_COLLECT(f, &set, PST_EV_ADOPT, pids[1], 300);
	pst_kill(pids[1]);
	EV_COLLECT(f, &set, PST_EV_REAP, pids[1], 300);
	EV_EXPECT_TYPES(f, pids[0], "fork exit reap");
	EV_EXPECT_TYPES(f, pids[1], "fork adopt exit reap");
	x = EV_FIND(f, PST_EV_EXIT, pids[0]);
	EXPECT_EQ(0, x->status);
	e = EV_FIND(f, PST_EV_ADOPT, pids[1]);
	EXPECT_LT(x->seq, e->seq) TH_LOG("the adopt line comes before the exit of the old parent");
	EXPECT_EQ(pids[0], e->old_ppid) TH_LOG("'%s'", e->line);
	EXPECT_EQ(EV_FIND(f, PST_EV_FORK, pids[0])->id, e->old_id) TH_LOG("'%s'", e->line);
	EXPECT_EQ(getpid(), e->new_ppid) TH_LOG("'%s'", e->line);
	EXPECT_EQ(f->me_id, e->new_id) TH_LOG("'%s'", e->line);
	EXPECT_STREQ("subreaper", e->rule) TH_LOG("'%s'", e->line);
	EXPECT_EQ(f->pidns, e->pidns) TH_LOG("'%s'", e->line);
	e = EV_FIND(f, PST_EV_REAP, pids[1]);
	EXPECT_EQ(getpid(), e->ppid) TH_LOG("the grandchild's reap names its first parent");
	EXPECT_EQ(SIGKILL, EV_FIND(f, PST_EV_EXIT, pids[1])->status);
}

/* In a new user and pid namespace: its init forks the middle process. */
struct ns_pids {
	pid_t init, mid, grand;		/* host pids */
	int status;
};

static int ns_init(struct ns_pids *sh)
{
	int fds[2];
	pid_t mid;

	sh->init = pst_host_pid();
	if (pipe(fds))
		return 1;
	mid = fork();
	if (mid == 0)
		middle(fds[1]);
	if (read_full(fds[0], &sh->mid, sizeof(pid_t)) ||
	    read_full(fds[0], &sh->grand, sizeof(pid_t)))
		return 1;
	waitpid(mid, NULL, 0);
	pst_sleep_forever();
}

TEST_F(ev, double_fork_ns_init_adopts)
{
	struct pst_ev_fix *f = &self->f;
	struct pst_evset set = { 0 };
	const struct pst_event *e;
	struct ns_pids *sh = pst_shared(sizeof(*sh));
	unsigned long inum = 0;
	pid_t p, mid, grand;
	int status;

	if (_metadata->skip)
		return;
	ASSERT_NE(NULL, sh);
	p = fork();
	if (p == 0) {
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		if (unshare(CLONE_NEWUSER | CLONE_NEWPID))
			_exit(PST_EV_SKIPPED);
		if (fork() == 0)
			_exit(ns_init(sh));
		pst_sleep_forever();
	}
	ASSERT_LT(0, p);
	if (!pst_wait_until(&sh->grand, 5000)) {
		status = 0;
		if (waitpid(p, &status, WNOHANG) == p && WIFEXITED(status) &&
		    WEXITSTATUS(status) == PST_EV_SKIPPED)
			SKIP(return, "unshare(CLONE_NEWUSER | CLONE_NEWPID) refused");
		pst_kill(p);
		ASSERT_TRUE(false) TH_LOG("the namespace's processes did not start");
	}
	mid = sh->mid;
	grand = sh->grand;
	pst_evset_add(&set, mid);
	pst_evset_add(&set, grand);
	EV_COLLECT(f, &set, PST_EV_ADOPT, grand, 300);
	EXPECT_TRUE(pst_pidns_of("/proc", sh->init, sh->init, &inum));
	kill(sh->init, SIGKILL);	/* and the namespace with it */
	pst_kill(p);
	EV_COLLECT(f, &set, PST_EV_REAP, grand, 300);
	EV_EXPECT_TYPES(f, mid, "fork exit reap");
	EV_EXPECT_TYPES(f, grand, "fork adopt exit reap");
	e = EV_FIND(f, PST_EV_ADOPT, grand);
	EXPECT_LT(EV_FIND(f, PST_EV_EXIT, mid)->seq, e->seq) TH_LOG("'%s'", e->line);
	EXPECT_EQ(mid, e->old_ppid) TH_LOG("'%s'", e->line);
	EXPECT_EQ(sh->init, e->new_ppid) TH_LOG("'%s'", e->line);
	EXPECT_NE(0, e->new_id) TH_LOG("'%s'", e->line);
	EXPECT_EQ(EV_FIND(f, PST_EV_FORK, mid)->parent_id, e->new_id)
		TH_LOG("the adopter's id is not the id of the init, the middle process's parent");
	EXPECT_STREQ("init", e->rule) TH_LOG("'%s'", e->line);
	EXPECT_EQ((long long)inum, e->pidns) TH_LOG("'%s'", e->line);
	e = EV_FIND(f, PST_EV_REAP, mid);
	EXPECT_EQ(sh->init, e->ppid) TH_LOG("'%s'", e->line);
	/*
	 * Killed with the namespace, it is released by the init while the
	 * init exits, before the module checks the init's children: the
	 * spec lets that be "? ?" (a child released in between, ADOPTION),
	 * though an init's children are never adopted.
	 */
	e = EV_FIND(f, PST_EV_REAP, grand);
	if (e->ppid != PST_EV_Q || e->parent_id != PST_EV_Q) {
		EXPECT_EQ(sh->init, e->ppid) TH_LOG("'%s'", e->line);
		EXPECT_EQ(EV_FIND(f, PST_EV_FORK, mid)->parent_id, e->parent_id)
			TH_LOG("'%s'", e->line);
	} else {
		EXPECT_LT(EV_FIND(f, PST_EV_EXIT, grand)->seq, e->seq);
		TH_LOG("the grandchild's reap line says '? ?' as parent: allowed, not exact");
	}
}

TEST_F(ev, clone_parent_names_the_caller)
{
	struct pst_ev_fix *f = &self->f;
	struct pst_evset set = { 0 };
	const struct pst_event *e;
	int fds[2];
	pid_t caller, kid = 0;

	if (_metadata->skip)
		return;
	ASSERT_EQ(0, pipe(fds));
	caller = fork();
	if (caller == 0) {
		kid = syscall(SYS_clone, CLONE_PARENT | SIGCHLD, 0, 0, 0, 0);
		if (kid == 0)
			pst_sleep_forever();
		if (kid < 0 || write(fds[1], &kid, sizeof(kid)) != sizeof(kid))
			_exit(1);
		pst_sleep_forever();
	}
	ASSERT_EQ(sizeof(kid), read(fds[0], &kid, sizeof(kid)));
	pst_evset_add(&set, caller);
	pst_evset_add(&set, kid);
	EV_COLLECT(f, &set, PST_EV_FORK, kid, 200);
	EV_EXPECT_TYPES(f, kid, "fork");
	e = EV_FIND(f, PST_EV_FORK, kid);
	EXPECT_EQ(getpid(), e->ppid) TH_LOG("'%s'", e->line);
	EXPECT_EQ(f->me_id, e->parent_id) TH_LOG("'%s'", e->line);
	EXPECT_EQ(caller, e->caller) TH_LOG("'%s'", e->line);
	EXPECT_EQ(EV_FIND(f, PST_EV_FORK, caller)->id, e->caller_id) TH_LOG("'%s'", e->line);
	EXPECT_NE(f->me_id, e->caller_id) TH_LOG("'%s'", e->line);
	pst_kill(kid);
	pst_kill(caller);
}

/* A thread that forks a child, reports it and the thread's tid, and ends. */
static void *forking_thread(void *arg)
{
	int fd = *(int *)arg;
	pid_t v[2] = { fork(), gettid() };

	if (v[0] == 0)
		pst_sleep_forever();
	if (write(fd, v, sizeof(v)) != sizeof(v))
		_exit(1);
	return NULL;
}

static void *short_thread(void *arg)
{
	return arg;
}

TEST_F(ev, thread_exit_is_no_exit_nor_adopt)
{
	struct pst_ev_fix *f = &self->f;
	struct pst_evset set = { 0 };
	char path[64];
	int fds[2], i;
	pid_t p, v[2];

	if (_metadata->skip)
		return;
	ASSERT_EQ(0, pipe(fds));
	p = fork();
	if (p == 0) {
		pthread_t t;

		signal(SIGCHLD, SIG_IGN);	/* its child is reaped at once */
		if (pthread_create(&t, NULL, short_thread, NULL) ||
		    pthread_join(t, NULL) ||
		    pthread_create(&t, NULL, forking_thread, &fds[1]) ||
		    pthread_join(t, NULL))
			_exit(1);
		pst_sleep_forever();
	}
	ASSERT_EQ(sizeof(v), read(fds[0], v, sizeof(v)));
	/* The thread that forked the child is gone; its process lives on. */
	snprintf(path, sizeof(path), "/proc/%d/task/%d", p, v[1]);
	for (i = 0; i < 500 && !access(path, F_OK); i++)
		pst_sleep_ms(10);
	EXPECT_NE(0, access(path, F_OK)) TH_LOG("thread %d of %d did not end", v[1], p);
	EXPECT_TRUE(pst_wait_ppid(v[0], p, 1000));
	pst_evset_add(&set, p);
	pst_evset_add(&set, v[0]);
	EV_COLLECT(f, &set, PST_EV_OTHER, 0, 0);	/* 1 s of lines */
	EV_EXPECT_TYPES(f, p, "fork");
	EV_EXPECT_TYPES(f, v[0], "fork");
	/* The child's parent is still p: its reap says so, with no adopt. */
	kill(v[0], SIGKILL);
	EV_COLLECT(f, &set, PST_EV_REAP, v[0], 300);
	EV_EXPECT_TYPES(f, v[0], "fork exit reap");
	EXPECT_EQ(p, EV_FIND(f, PST_EV_REAP, v[0])->ppid);
	EXPECT_EQ(EV_FIND(f, PST_EV_FORK, p)->id, EV_FIND(f, PST_EV_REAP, v[0])->parent_id);
	EXPECT_EQ(p, EV_FIND(f, PST_EV_FORK, v[0])->ppid);
	pst_kill(p);
	EV_COLLECT(f, &set, PST_EV_REAP, p, 200);
	EV_EXPECT_TYPES(f, p, "fork exit reap");
}

/*
 * Subreaper A above B above C, the test a subreaper above A; A and B are
 * killed together.  C's adopt lines go from B, each to "?" or to the
 * process that really took C: A (then a line from A follows) or the test.
 */
struct chain {
	pid_t a, b, c;
};

static void chain_a(struct chain *sh)
{
	if (prctl(PR_SET_CHILD_SUBREAPER, 1))
		_exit(1);
	pid_t b = fork(), c;

	if (b == 0) {
		sh->b = getpid();	/* before c: A may not have set it yet */
		c = fork();

		if (c == 0)
			pst_sleep_forever();
		__atomic_store_n(&sh->c, c, __ATOMIC_RELEASE);
		pst_sleep_forever();
	}
	if (b > 0)
		sh->b = b;
	pst_sleep_forever();
}

/*
 * One round: "" if the lines are right, else why.  *@q: 1 if a line said
 * "?", 2 if one said A, 4 if one said the test.
 */
static void chain_round(struct pst_ev_fix *f, struct chain *sh, char *why,
			size_t len, int *q)
{
	struct pst_evset set = { 0 };
	const struct pst_event *e;
	long long ida, idb, want_old, ok_new[2];
	bool need_from_a = false;
	size_t i, n = 0;
	pid_t a;

	why[0] = '\0';
	memset(sh, 0, sizeof(*sh));
	a = fork();		/* not sh->a = fork(): A would write 0 there */
	if (a == 0)
		chain_a(sh);
	sh->a = a;
	if (!pst_wait_until(&sh->c, 5000)) {
		snprintf(why, len, "the chain did not start");
		return;
	}
	pst_evset_add(&set, sh->a);
	pst_evset_add(&set, sh->b);
	pst_evset_add(&set, sh->c);
	kill(sh->b, SIGKILL);
	kill(sh->a, SIGKILL);
	waitpid(sh->a, NULL, 0);
	pst_wait_ppid(sh->c, getpid(), 5000);
	pst_kill(sh->c);
	waitpid(sh->b, NULL, WNOHANG);	/* if it came to us, a zombie */
	if (pst_evfix_collect(f, &set, PST_EV_REAP, sh->c, 300, why, len) != 1)
		return;
	ida = pst_evfix_find(f, PST_EV_FORK, sh->a) ?
	      pst_evfix_find(f, PST_EV_FORK, sh->a)->id : -2;
	idb = pst_evfix_find(f, PST_EV_FORK, sh->b) ?
	      pst_evfix_find(f, PST_EV_FORK, sh->b)->id : -2;
	want_old = sh->b;
	for (i = 0; i < f->l.n; i++) {
		e = &f->l.ev[i];
		if (e->type != PST_EV_ADOPT || e->pid != sh->c)
			continue;
		ok_new[0] = sh->a;
		ok_new[1] = getpid();
		if (n++ == 2 || e->old_ppid != want_old ||
		    e->old_id != (want_old == sh->a ? ida : idb) ||
		    (e->new_ppid != PST_EV_Q && e->new_ppid != ok_new[0] &&
		     e->new_ppid != ok_new[1]) ||
		    (e->new_ppid == sh->a && (e->new_id != ida || strcmp(e->rule, "subreaper"))) ||
		    (e->new_ppid == getpid() && (e->new_id != f->me_id || strcmp(e->rule, "subreaper")))) {
			snprintf(why, len, "adopt line %zu of C (%d; A %d, B %d, test %d): '%s'",
				 n, sh->c, sh->a, sh->b, getpid(), e->line);
			return;
		}
		*q |= e->new_ppid == PST_EV_Q ? 1 : e->new_ppid == sh->a ? 2 : 4;
		/* After "?" a line from A may follow, or none. */
		want_old = sh->a;
		if (e->new_ppid == getpid())
			want_old = -1;
		need_from_a = e->new_ppid == sh->a;
	}
	if (!n)
		snprintf(why, len, "no adopt line for C (%d)", sh->c);
	else if (need_from_a)
		snprintf(why, len, "C (%d) went to A (%d), and no line says it left A for the test (%d)",
			 sh->c, sh->a, getpid());
}

TEST_F_TIMEOUT(ev, adopter_exiting_is_never_misnamed, 120)
{
	int rounds = pst_quick() ? 5 : 20, r, q = 0, seen[3] = { 0 };
	struct chain *sh = pst_shared(sizeof(*sh));
	char why[1024];

	if (_metadata->skip)
		return;
	ASSERT_NE(NULL, sh);
	ASSERT_EQ(0, prctl(PR_SET_CHILD_SUBREAPER, 1));
	for (r = 0; r < rounds; r++) {
		pst_evlist_free(&self->f.l);
		q = 0;
		chain_round(&self->f, sh, why, sizeof(why), &q);
		seen[0] += !!(q & 1);
		seen[1] += !!(q & 2);
		seen[2] += !!(q & 4);
		if (why[0])
			break;
	}
	EXPECT_STREQ("", why) {
		TH_LOG("round %d; the lines of the round:", r);
		pst_evfix_dump(&self->f);
	}
	TH_LOG("%d rounds: %d with a '?' adopter, %d with C adopted by A, %d by the test",
	       r, seen[0], seen[1], seen[2]);
}

TEST_F(ev, nonblock_poll_and_small_buffers)
{
	struct pst_ev_fix *f = &self->f;
	struct pollfd p = { .fd = f->es.fd, .events = POLLIN };
	char buf[8192];
	ssize_t r;
	pid_t pid;
	int i, fd;

	if (_metadata->skip)
		return;
	ASSERT_EQ(0, fcntl(f->es.fd, F_SETFL, O_NONBLOCK));
	f->es.off = f->es.len = 0;		/* drop what was read */
	for (i = 0; i < 100; i++) {
		r = read(f->es.fd, buf, sizeof(buf));
		if (r < 0)
			break;
		pst_sleep_ms(20);
	}
	EXPECT_EQ(-1, r) TH_LOG("O_NONBLOCK reads never ran out of lines");
	EXPECT_EQ(EAGAIN, errno) TH_LOG("an empty O_NONBLOCK stream: %s, want EAGAIN",
					strerror(errno));
	pid = fork();
	if (pid == 0)
		_exit(0);
	waitpid(pid, NULL, 0);
	EXPECT_EQ(1, poll(&p, 1, 5000)) TH_LOG("not readable after a fork");
	EXPECT_TRUE(p.revents & POLLIN);
	errno = 0;
	EXPECT_EQ(-1, read(f->es.fd, buf, 5)) TH_LOG("5 bytes: shorter than any line");
	EXPECT_EQ(EINVAL, errno);
	r = read(f->es.fd, buf, sizeof(buf));
	EXPECT_LT(0, r);
	EXPECT_TRUE(r > 0 && buf[r - 1] == '\n') TH_LOG("a read ended inside a line");
	fd = open(PST_EVENTS_PATH, O_WRONLY);
	EXPECT_EQ(-1, fd);
	EXPECT_EQ(EACCES, errno);
	fd = open(PST_EVENTS_PATH, O_RDWR);
	EXPECT_EQ(-1, fd);
	EXPECT_EQ(EACCES, errno);
	fd = open(PST_EVENTS_PATH, O_RDONLY | O_TRUNC);
	EXPECT_EQ(-1, fd);
	EXPECT_EQ(EACCES, errno);
	if (fd >= 0)
		close(fd);
}

TEST_F(ev, at_most_32_subscribers)
{
	int fds[40], n = 0, e = 0;

	if (_metadata->skip)
		return;
	/* The fixture holds one. */
	while (n < 40) {
		fds[n] = open(PST_EVENTS_PATH, O_RDONLY | O_CLOEXEC);
		if (fds[n] < 0) {
			e = errno;
			break;
		}
		n++;
	}
	EXPECT_EQ(31, n) TH_LOG("%d opens besides the fixture's", n);
	EXPECT_EQ(EBUSY, e) TH_LOG("open 33: %s, want EBUSY", strerror(e));
	while (n > 0)
		close(fds[--n]);
	n = open(PST_EVENTS_PATH, O_RDONLY | O_CLOEXEC);
	EXPECT_LE(0, n) TH_LOG("open after closing them: %s", strerror(errno));
	if (n >= 0)
		close(n);
}

/* The stream's parser (lib_events.c) on the spec's example and on bad lines. */
TEST(parser_follows_format_1)
{
	static const char *const good[] = {
		"5121 912345678 fork 88 2001 1990 41 1990 41 4026531836 0 2001 - 1 containerd-shim",
		"5122 912346001 exec 88 2001 1 runc",
		"5130 912350120 fork 90 2003 2001 88 2002 89 4026532301 1 2003,1 new 1 runc:[1:CHILD]",
		"5150 912390450 exit 88 2001 0",
		"5151 912390470 adopt 90 2003 2001 88 1990 41 subreaper 4026531836",
		"5152 912390471 adopt 91 2004 2001 88 ? ? ? ?",
		"5153 912391500 reap 88 2001 1990 41",
		"5154 912391501 reap 91 2004 ? ?",
		"5155 912391502 lost 12",
		"5156 912391503 future 1 2 3",
	};
	static const char *const bad[] = {
		"5121 912345678 fork 88 2001 1990 41 1990 41 4026531836 0 2001 - 1",
		"5121 912345678 fork 88 2001 1990 41 1990 41 4026531836 0 2001 old 1 sh",
		"5122 912346001 exec 88 2001 1 runc extra",
		"5150 912390450 exit 88 2001 -1",
		"5150 912390450 exit 88 2001 ?",
		"5151 912390470 adopt 90 2003 2001 88 ? 41 subreaper 4026531836",
		"5151 912390470 adopt 90 2003 2001 88 1990 41 parent 4026531836",
		"5153 912391500 reap 88 2001 1990 ?",
		"5153 912391500 reap 88  2001 1990 41",
		"5155 912391502 lost",
		"x 912391502 lost 1",
	};
	struct pst_event ev;
	size_t i;

	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++)
		EXPECT_EQ(0, pst_ev_parse(good[i], &ev)) TH_LOG("refused: '%s'", good[i]);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		EXPECT_NE(0, pst_ev_parse(bad[i], &ev)) TH_LOG("taken: '%s'", bad[i]);
	ASSERT_EQ(0, pst_ev_parse(good[2], &ev));
	EXPECT_EQ(PST_EV_FORK, ev.type);
	EXPECT_EQ(5130, ev.seq);
	EXPECT_EQ(2002, ev.caller);
	EXPECT_EQ(89, ev.caller_id);
	EXPECT_STREQ("2003,1", ev.nspids);
	EXPECT_STREQ("new", ev.ns);
	EXPECT_STREQ("runc:[1:CHILD]", ev.comm);
	ASSERT_EQ(0, pst_ev_parse(good[5], &ev));
	EXPECT_EQ(PST_EV_Q, ev.new_ppid);
	EXPECT_EQ(2001, ev.old_ppid);
	ASSERT_EQ(0, pst_ev_parse(good[8], &ev));
	EXPECT_EQ(12, ev.lost);
	ASSERT_EQ(0, pst_ev_parse(good[9], &ev));
	EXPECT_EQ(PST_EV_OTHER, ev.type);
}

#include "harness_main.h"
