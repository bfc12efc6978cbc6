// SPDX-License-Identifier: GPL-2.0
/*
 * /proc/pidns_tree_events across pid namespaces and proc mounts: pid
 * reuse in a namespace (ids differ), the fork lines of a namespace's init
 * (NS new) and of a process forked into another namespace (NS join), what
 * a hidepid=2 mount and a container's own /proc let through; a reader that
 * falls behind (lost), and the stream against the snapshot's seq lines.
 */
#define _GNU_SOURCE
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
#include "events_lib.h"

#define NOBODY 65534
#define REUSED_PID 100		/* in the namespace of pid_reuse */

PST_EV_FIXTURE(ev);

static int set_last_pid(int pid)
{
	char buf[16];
	int fd = open("/proc/sys/kernel/ns_last_pid", O_WRONLY), n, ret;

	if (fd < 0)
		return -1;
	n = snprintf(buf, sizeof(buf), "%d", pid);
	ret = write(fd, buf, n) == n ? 0 : -1;
	close(fd);
	return ret;
}

/* The init of pid_reuse's namespace: two processes at REUSED_PID in turn. */
static int reuse_init(void)
{
	int i;
	pid_t pid;

	for (i = 0; i < 2; i++) {
		if (set_last_pid(REUSED_PID - 1))
			return PST_EV_SKIPPED;
		pid = fork();
		if (pid == 0)
			_exit(0);
		if (pid != REUSED_PID || waitpid(pid, NULL, 0) != pid)
			return 1;
	}
	return 0;
}

TEST_F(ev, pid_reuse_gets_a_new_id)
{
	struct pst_ev_fix *f = &self->f;
	struct pst_evset set = { .follow = true };
	const struct pst_event *e[3] = { NULL, NULL, NULL }, *r;
	int status, n = 0;
	size_t i;
	pid_t p;

	if (_metadata->skip)
		return;
	if (geteuid())
		SKIP(return, "needs root: writes ns_last_pid");
	p = fork();
	if (p == 0) {
		if (unshare(CLONE_NEWPID))
			_exit(PST_EV_SKIPPED);
		p = fork();
		if (p == 0)
			_exit(reuse_init());
		_exit(waitpid(p, &status, 0) == p && WIFEXITED(status) ?
		      WEXITSTATUS(status) : 1);
	}
	pst_evset_add(&set, p);
	ASSERT_EQ(p, waitpid(p, &status, 0));
	ASSERT_TRUE(WIFEXITED(status));
	if (WEXITSTATUS(status) == PST_EV_SKIPPED)
		SKIP(return, "no pid namespace, or ns_last_pid not writable");
	ASSERT_EQ(0, WEXITSTATUS(status)) TH_LOG("pid %d was not had twice", REUSED_PID);
	EV_COLLECT(f, &set, PST_EV_REAP, p, 500);
	/* The init's fork line, then its two children's. */
	for (i = 0; i < f->l.n && n < 3; i++) {
		if (f->l.ev[i].type == PST_EV_FORK && f->l.ev[i].pid != p)
			e[n++] = &f->l.ev[i];
	}
	ASSERT_EQ(3, n) {
		TH_LOG("want the fork lines of the init and its two children:");
		pst_evfix_dump(f);
	}
	for (n = 1; n < 3; n++) {
		char want[32];
		const char *comma = strchr(e[n]->nspids, ',');

		snprintf(want, sizeof(want), ",%d", REUSED_PID);
		EXPECT_EQ(e[0]->pid, e[n]->ppid);
		EXPECT_EQ(1, e[n]->level);
		EXPECT_STREQ(want, comma ? comma : "") TH_LOG("nspids %s", e[n]->nspids);
		EXPECT_NE(0, e[n]->id);
		EV_EXPECT_TYPES(f, e[n]->pid, "fork exit reap");
		/*
		 * The init wait()ed for it, before it exited itself; the
		 * PPID alone may be "?" if the init is gone too when the
		 * line comes (an RCU grace period after the release).
		 */
		r = EV_FIND(f, PST_EV_REAP, e[n]->pid);
		EXPECT_EQ(e[0]->id, r->parent_id) TH_LOG("'%s'", r->line);
		if (r->ppid == PST_EV_Q) {
			EXPECT_LT(EV_FIND(f, PST_EV_REAP, e[0]->pid)->seq, r->seq)
				TH_LOG("'%s': PPID ? while the init (%lld) is not reaped yet",
				       r->line, e[0]->pid);
		} else {
			EXPECT_EQ(e[0]->pid, r->ppid) TH_LOG("'%s'", r->line);
		}
	}
	EXPECT_NE(e[1]->id, e[2]->id) TH_LOG("two processes at pid %d share id %lld",
					     REUSED_PID, e[1]->id);
	/*
	 * The first one's reap line may come after the second's fork: the
	 * pid is free at the release, the line comes at the free, an RCU
	 * grace period later.  It has the first one's id.
	 */
	EXPECT_EQ(e[1]->id, EV_FIND(f, PST_EV_REAP, e[1]->pid)->id);
	EXPECT_EQ(e[2]->id, EV_FIND(f, PST_EV_REAP, e[2]->pid)->id);
	EV_SEQ_UP(f);
}

/* Fork lines of a namespace's first process, of its second, of a setns(). */
struct nsj {
	pid_t init, second, joined;
};

static void unshare_and_fork(struct nsj *sh)
{
	pid_t i, s;

	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (unshare(CLONE_NEWPID))
		_exit(PST_EV_SKIPPED);
	i = fork();
	if (i == 0)
		pst_sleep_forever();
	s = fork();
	if (s == 0)
		pst_sleep_forever();
	sh->init = i;
	__atomic_store_n(&sh->second, s, __ATOMIC_RELEASE);
	pst_sleep_forever();
}

static void setns_and_fork(struct nsj *sh)
{
	char path[64];
	pid_t k;
	int fd;

	prctl(PR_SET_PDEATHSIG, SIGKILL);
	snprintf(path, sizeof(path), "/proc/%d/ns/pid", sh->init);
	fd = open(path, O_RDONLY);
	if (fd < 0 || setns(fd, CLONE_NEWPID))
		_exit(1);
	k = fork();
	if (k == 0)
		pst_sleep_forever();
	__atomic_store_n(&sh->joined, k, __ATOMIC_RELEASE);
	pst_sleep_forever();
}

/* @e is a fork line into the namespace @inum, at the pids /proc says. */
#define EXPECT_IN_NS(e, ns_word, inum) do {					\
	struct pst_status _st;							\
	pst_status("/proc", (e)->pid, (e)->pid, &_st);				\
	EXPECT_STREQ(ns_word, (e)->ns) TH_LOG("'%s'", (e)->line);		\
	EXPECT_EQ(1, (e)->level) TH_LOG("'%s'", (e)->line);			\
	EXPECT_STREQ(_st.nspids, (e)->nspids) TH_LOG("'%s'", (e)->line);	\
	EXPECT_EQ((long long)(inum), (e)->pidns) TH_LOG("'%s'", (e)->line);	\
} while (0)

TEST_F(ev, new_pidns_and_setns_join)
{
	struct pst_ev_fix *f = &self->f;
	struct pst_evset set = { .follow = true };
	struct nsj *sh = pst_shared(sizeof(*sh));
	const struct pst_event *e;
	unsigned long inum = 0;
	pid_t p, j = 0;
	int status;

	if (_metadata->skip)
		return;
	ASSERT_NE(NULL, sh);
	p = fork();
	if (p == 0)
		unshare_and_fork(sh);
	pst_evset_add(&set, p);
	if (!pst_wait_until(&sh->second, 5000)) {
		status = 0;
		if (waitpid(p, &status, WNOHANG) == p && WIFEXITED(status) &&
		    WEXITSTATUS(status) == PST_EV_SKIPPED)
			SKIP(return, "unshare(CLONE_NEWPID) refused: needs root");
		pst_kill(p);
		ASSERT_TRUE(false) TH_LOG("the namespace's processes did not start");
	}
	j = fork();
	if (j == 0)
		setns_and_fork(sh);
	pst_evset_add(&set, j);
	EXPECT_TRUE(pst_wait_until(&sh->joined, 5000)) TH_LOG("setns() and fork failed");
	EXPECT_TRUE(pst_pidns_of("/proc", sh->init, sh->init, &inum));
	EV_COLLECT(f, &set, PST_EV_FORK, sh->joined ? sh->joined : sh->second, 300);
	EXPECT_STREQ("-", EV_FIND(f, PST_EV_FORK, p)->ns);
	EXPECT_STREQ("-", EV_FIND(f, PST_EV_FORK, j)->ns);
	e = EV_FIND(f, PST_EV_FORK, sh->init);
	EXPECT_IN_NS(e, "new", inum);
	EXPECT_EQ(p, e->ppid);
	EXPECT_EQ(p, e->caller);
	EXPECT_EQ(sh->init, atoll(e->nspids));
	EXPECT_STREQ(",1", strchr(e->nspids, ',') ? strchr(e->nspids, ',') : "");
	e = EV_FIND(f, PST_EV_FORK, sh->second);
	EXPECT_IN_NS(e, "join", inum);
	EXPECT_EQ(p, e->ppid);
	if (sh->joined) {
		e = EV_FIND(f, PST_EV_FORK, sh->joined);
		EXPECT_IN_NS(e, "join", inum);
		EXPECT_EQ(j, e->ppid);
		EXPECT_EQ(j, e->caller);
	}
	kill(sh->init, SIGKILL);
	pst_kill(j);
	pst_kill(p);
}

/* ---- a reader that falls behind ------------------------------------ */

#define STORM_PIDS (1 << 22)		/* pid_max at most */

struct storm_count {
	unsigned char *mine;		/* a bit a pid */
	unsigned long seen;
};

static bool storm_keep(const struct pst_event *ev, void *arg)
{
	struct storm_count *c = arg;

	if (ev->pid > 0 && ev->pid < STORM_PIDS &&
	    (c->mine[ev->pid / 8] & (1 << (ev->pid % 8))) &&
	    ev->type != PST_EV_OTHER)
		c->seen++;
	return false;
}

TEST_F_TIMEOUT(ev, slow_reader_gets_lost_then_exact_lines, 900)
{
	struct pst_ev_fix *f = &self->f;
	struct storm_count c = { calloc(STORM_PIDS / 8, 1), 0 };
	struct pst_evset set = { 0 };
	unsigned long long t0 = pst_now_ns();
	/*
	 * 7,500 lines of about 58 bytes: well over the 256 KiB a reader
	 * keeps, and within the timeout on the debug kernel too.
	 */
	int i, n = 2500, status, ret;
	pid_t pid;

	if (_metadata->skip)
		return;
	ASSERT_NE(NULL, c.mine);
	for (i = 0; i < n; i++) {
		pid = fork();
		if (pid == 0)
			_exit(0);
		ASSERT_LT(0, pid);
		ASSERT_EQ(pid, waitpid(pid, NULL, 0));
		if (pid < STORM_PIDS)
			c.mine[pid / 8] |= 1 << (pid % 8);
	}
	TH_LOG("%d processes in %llu ms", n, (pst_now_ns() - t0) / 1000000);
	/* Read until a second passes without a line (60 s at most). */
	for (i = 0; i < 60; i++) {
		size_t before = f->l.n;
		unsigned long seen = c.seen;

		ret = pst_ev_collect(&f->es, &f->l, storm_keep, NULL, &c, 1000,
				     0, NULL);
		ASSERT_LE(0, ret) TH_LOG("reading: %s", strerror(-ret));
		if (f->l.n == before && c.seen == seen)
			break;
	}
	TH_LOG("%lu of the storm's %d lines read, %d lost lines for %llu events",
	       c.seen, 3 * n, f->l.nlost, f->l.lost);
	EXPECT_LT(0, f->l.nlost) TH_LOG("no lost line");
	EXPECT_LT(0, f->l.lost) TH_LOG("lost lines with N 0");
	EXPECT_LE(3ULL * n, c.seen + f->l.lost)
		TH_LOG("events of the storm dropped without a lost line counting them");
	EV_SEQ_UP(f);
	/* Then exact again. */
	pst_evlist_free(&f->l);
	pid = fork();
	if (pid == 0)
		_exit(5);
	pst_evset_add(&set, pid);
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EV_COLLECT(f, &set, PST_EV_REAP, pid, 300);
	EV_EXPECT_TYPES(f, pid, "fork exit reap");
	EXPECT_EQ(5 << 8, EV_FIND(f, PST_EV_EXIT, pid)->status);
	EXPECT_EQ(0, f->l.nlost) TH_LOG("lost lines after the reader caught up");
	free(c.mine);
}

/* ---- visibility ---------------------------------------------------- */

static int become_nobody(void)
{
	if (setgroups(0, NULL) || setresgid(NOBODY, NOBODY, NOBODY) ||
	    setresuid(NOBODY, NOBODY, NOBODY) || prctl(PR_SET_DUMPABLE, 1))
		return -1;
	return 0;
}

/* Fork a child that exits 0; keep lines until its reap. 0 or 1. */
static int fork_and_watch(struct pst_ev_fix *f, struct pst_evset *set,
			  pid_t *kid)
{
	char why[512];

	*kid = fork();
	if (*kid == 0)
		_exit(0);
	if (*kid < 0 || waitpid(*kid, NULL, 0) != *kid)
		return 1;
	pst_evset_add(set, *kid);
	if (pst_evfix_collect(f, set, PST_EV_REAP, *kid, 500, why, sizeof(why)) != 1) {
		fprintf(stderr, "# %s\n", why);
		pst_evfix_dump(f);
		return 1;
	}
	return 0;
}

static int nobody_watches(const char *dir, int ready, int go, pid_t *root_kid)
{
	struct pst_evset set = { 0 };
	struct pst_ev_fix f;
	char path[128], err[256], types[256];
	int bad = 0;
	pid_t q;

	snprintf(path, sizeof(path), "%s/pidns_tree_events", dir);
	if (become_nobody() || pst_evfix_setup_at(&f, path, err, sizeof(err))) {
		fprintf(stderr, "# nobody: %s\n", err);
		return 1;
	}
	if (write(ready, "", 1) != 1 || read(go, err, 1) != 1)
		return 1;
	pst_evset_add(&set, *root_kid);
	if (fork_and_watch(&f, &set, &q))
		return 1;
	pst_evfix_types(&f, *root_kid, types, sizeof(types));
	if (types[0]) {
		fprintf(stderr, "# root's process %d shown to nobody: %s\n",
			*root_kid, types);
		bad++;
	}
	pst_evfix_types(&f, q, types, sizeof(types));
	if (strcmp(types, "fork exit reap")) {
		fprintf(stderr, "# nobody's own child %d: '%s', want 'fork exit reap'\n",
			q, types);
		bad++;
	}
	if (bad)
		pst_evfix_dump(&f);
	return bad ? 1 : 0;
}

TEST_F(ev, hidepid_shows_the_openers_processes_only)
{
	char dir[] = "/tmp/pidns_tree-evproc.XXXXXX";
	pid_t *root_kid = pst_shared(sizeof(pid_t)), v, r;
	int ready[2], go[2], status;
	char c;

	if (_metadata->skip)
		return;
	if (geteuid())
		SKIP(return, "needs root: mounts proc, becomes nobody");
	ASSERT_NE(NULL, root_kid);
	ASSERT_EQ(0, unshare(CLONE_NEWNS));
	ASSERT_EQ(0, mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL));
	ASSERT_NE(NULL, mkdtemp(dir));
	ASSERT_EQ(0, chmod(dir, 0755));
	ASSERT_EQ(0, mount("proc", dir, "proc", 0, "hidepid=2"))
		TH_LOG("mount proc hidepid=2: %s", strerror(errno));
	ASSERT_EQ(0, pipe(ready));
	ASSERT_EQ(0, pipe(go));
	v = fork();
	if (v == 0)
		_exit(nobody_watches(dir, ready[1], go[0], root_kid));
	ASSERT_EQ(1, read(ready[0], &c, 1)) TH_LOG("nobody could not subscribe");
	r = fork();	/* not *root_kid = fork(): the child would write 0 */
	if (r == 0)
		_exit(0);
	waitpid(r, NULL, 0);
	*root_kid = r;
	ASSERT_EQ(1, write(go[1], "", 1));
	ASSERT_EQ(v, waitpid(v, &status, 0));
	EXPECT_TRUE(WIFEXITED(status) && !WEXITSTATUS(status))
		TH_LOG("nobody's stream through hidepid=2 (above)");
	umount(dir);
	rmdir(dir);
}

/* In the container: only its own processes, at its pids; no adopt line. */
static int container_watches(int ready, int go)
{
	struct pst_evset set = { .all = true };
	struct pst_ev_fix f;
	const struct pst_event *e;
	unsigned long inum = 0;
	char err[256];
	int bad = 0;
	size_t i;
	pid_t q;

	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) ||
	    mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL)) {
		fprintf(stderr, "# mounting proc in the namespace: %s\n", strerror(errno));
		return PST_EV_SKIPPED;
	}
	if (pst_evfix_setup(&f, err, sizeof(err))) {
		fprintf(stderr, "# in the container: %s\n", err);
		return 1;
	}
	if (write(ready, "", 1) != 1 || read(go, err, 1) != 1)
		return 1;
	if (fork_and_watch(&f, &set, &q) || !pst_pidns_of("/proc", 1, 1, &inum))
		return 1;
	for (i = 0; i < f.l.n; i++) {
		e = &f.l.ev[i];
		if (e->type == PST_EV_ADOPT || (e->pid != q && e->pid != 1)) {
			fprintf(stderr, "# a line the container must not see: '%s'\n", e->line);
			bad++;
		}
	}
	e = pst_evfix_find(&f, PST_EV_FORK, q);
	if (!e || e->ppid != 1 || e->caller != 1 || e->level != 0 ||
	    atoll(e->nspids) != q || strchr(e->nspids, ',') || strcmp(e->ns, "-") ||
	    e->pidns != (long long)inum) {
		fprintf(stderr, "# fork line of %d (ppid 1, level 0, nspids %d, ns -, pidns %lu): '%s'\n",
			q, q, inum, e ? e->line : "(none)");
		bad++;
	}
	e = pst_evfix_find(&f, PST_EV_REAP, q);
	if (!e || e->ppid != 1) {
		fprintf(stderr, "# reap line of %d, ppid 1: '%s'\n", q, e ? e->line : "(none)");
		bad++;
	}
	if (bad)
		pst_evfix_dump(&f);
	return bad ? 1 : 0;
}

TEST_F(ev, container_sees_its_own_only)
{
	int ready[2], go[2], status;
	pid_t *init = pst_shared(sizeof(pid_t)), p, r;
	char c;

	if (_metadata->skip)
		return;
	if (geteuid())
		SKIP(return, "needs root: becomes nobody first");
	ASSERT_NE(NULL, init);
	ASSERT_EQ(0, prctl(PR_SET_CHILD_SUBREAPER, 1));
	ASSERT_EQ(0, pipe(ready));
	ASSERT_EQ(0, pipe(go));
	p = fork();
	if (p == 0) {
		close(ready[0]);
		if (become_nobody() ||
		    unshare(CLONE_NEWUSER | CLONE_NEWPID | CLONE_NEWNS))
			_exit(PST_EV_SKIPPED);
		r = fork();	/* not *init = fork(): the child would write 0 */
		if (r == 0)
			_exit(container_watches(ready[1], go[0]));
		*init = r;
		pst_sleep_forever();
	}
	close(ready[1]);
	if (read(ready[0], &c, 1) != 1) {
		pst_kill(p);
		pst_kill(*init);
		SKIP(return, "no unprivileged user and pid namespace with its own proc (above)");
	}
	/* The init may be ready before its parent has stored its pid. */
	ASSERT_TRUE(pst_wait_until(init, 5000)) TH_LOG("the runtime never said its init's pid");
	/* The runtime exits: the init goes to us, both outside. */
	pst_kill(p);
	EXPECT_TRUE(pst_wait_ppid(*init, getpid(), 5000));
	r = fork();
	if (r == 0)
		_exit(0);
	waitpid(r, NULL, 0);
	ASSERT_EQ(1, write(go[1], "", 1));
	ASSERT_EQ(*init, waitpid(*init, &status, 0));
	EXPECT_TRUE(WIFEXITED(status) && !WEXITSTATUS(status))
		TH_LOG("the container's stream (above)");
}

/* ---- the snapshot and the stream ----------------------------------- */

TEST_F(ev, snapshot_seq_meets_stream)
{
	struct pst_ev_fix *f = &self->f;
	struct pst_evset set = { 0 };
	struct pst_snapshot a, b;
	const struct pst_task *t;
	const struct pst_event *e;
	char err[256];
	pid_t kid;

	if (_metadata->skip)
		return;
	ASSERT_EQ(0, pst_read(PIDNS_TREE_PATH, 65536, &a, err, sizeof(err)))
		TH_LOG("%s", err);
	kid = pst_spawn(pst_sleeper, NULL, false);
	ASSERT_LT(0, kid);
	ASSERT_EQ(0, pst_read(PIDNS_TREE_PATH, 65536, &b, err, sizeof(err)))
		TH_LOG("%s", err);
	pst_evset_add(&set, kid);
	EV_COLLECT(f, &set, PST_EV_FORK, kid, 100);
	e = EV_FIND(f, PST_EV_FORK, kid);
	EXPECT_LE(f->es.header_seq, a.seq_before)
		TH_LOG("the stream, opened first, has header seq %llu", f->es.header_seq);
	EXPECT_LT(a.seq_after, e->seq) TH_LOG("fork of %d before the snapshot read before it", kid);
	EXPECT_LE(e->seq, b.seq_before) TH_LOG("fork of %d after seq_before of the snapshot read after it",
					       kid);
	t = pst_find(&b, kid);
	ASSERT_NE(NULL, t);
	EXPECT_EQ(t->id, e->id);
	EXPECT_EQ(NULL, pst_find(&a, kid));
	pst_free(&a);
	pst_free(&b);
	pst_kill(kid);
}

#include "harness_main.h"
