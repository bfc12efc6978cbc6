// SPDX-License-Identifier: GPL-2.0
/*
 * Every line of /proc/pidns_tree against the kernel's own ground truth,
 * /proc/PID/task/TID/status and /proc/PID/task/TID/ns/pid, with a thread, a
 * zombie, a ptraced task and a task in a child pid namespace around; a
 * child subreaper seen as such and as its grandchildren's adopter; the id
 * column (one a process, kept across exec) and the seq lines of format 2.
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
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/wait.h>
#include <unistd.h>

#include <kselftest_harness.h>

#include "pidns_tree_lib.h"

#define COLUMNS "pid tgid ppid parent tracer sub reaper pidns level nspids state init " \
	"origin origin_comm adopted cgroup id comm"
#define ROUNDS 5

static void tracer(int fd, void *arg)
{
	pid_t target = *(pid_t *)arg;

	if (ptrace(PTRACE_SEIZE, target, 0, 0))
		_exit(1);
	pst_sleeper(fd, NULL);
}

/* Unshare CLONE_NEWPID, then fork the namespace's init; report its pid. */
static void ns_parent(int fd)
{
	pid_t init;

	if (unshare(CLONE_NEWPID))
		_exit(1);
	init = fork();
	if (init == 0) {
		close(fd);
		pst_sleep_forever();
	}
	if (init < 0 || write(fd, &init, sizeof(init)) != sizeof(init))
		_exit(1);
	pst_sleep_forever();
}

static void *thread_fn(void *arg)
{
	(void)arg;
	pst_sleep_forever();
}

static void skip_without_file(struct __test_metadata *_metadata)
{
	if (access(PIDNS_TREE_PATH, R_OK))
		SKIP(return, "%s is absent: load pidns_tree.ko", PIDNS_TREE_PATH);
}

TEST(header_names_every_column)
{
	struct pst_snapshot s;
	char err[256];

	skip_without_file(_metadata);
	ASSERT_EQ(0, pst_read(PIDNS_TREE_PATH, 65536, &s, err, sizeof(err)))
		TH_LOG("%s", err);
	EXPECT_STREQ("# pidns_tree 2 " COLUMNS, s.header);
	EXPECT_LT(1, s.n);
	pst_free(&s);
}

FIXTURE(zoo) {
	pid_t zombie, sleeper, tracer, ns_parent, ns_init;
	pthread_t thread;
};

FIXTURE_SETUP(zoo)
{
	int fds[2];
	pid_t pid;

	skip_without_file(_metadata);
	ASSERT_EQ(0, pthread_create(&self->thread, NULL, thread_fn, NULL));
	self->zombie = fork();
	if (self->zombie == 0)
		_exit(0);
	ASSERT_LT(0, self->zombie);
	self->sleeper = pst_spawn(pst_sleeper, NULL, false);
	ASSERT_LT(0, self->sleeper);
	self->tracer = pst_spawn(tracer, &self->sleeper, false);
	ASSERT_LT(0, self->tracer);

	ASSERT_EQ(0, pipe(fds));
	pid = fork();
	if (pid == 0) {
		close(fds[0]);
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		ns_parent(fds[1]);
	}
	close(fds[1]);
	self->ns_parent = pid;
	ASSERT_EQ(sizeof(pid), read(fds[0], &self->ns_init, sizeof(pid)))
		TH_LOG("could not make a pid namespace: unshare needs root");
	close(fds[0]);
	ASSERT_TRUE(pst_wait_dead(self->zombie, 2000));
}

FIXTURE_TEARDOWN(zoo)
{
	pst_kill(self->tracer);
	pst_kill(self->sleeper);
	pst_kill(self->ns_parent);
	pst_kill(self->zombie);
}

TEST_F(zoo, fields_match_status)
{
	static char why[1 << 16];
	struct pst_snapshot s;
	const struct pst_task *t;
	char err[256];

	EXPECT_EQ(0, pst_check_view("/proc", ROUNDS, why, sizeof(why)))
		TH_LOG("after %d rounds:\n%s", ROUNDS, why);

	/* The zoo is there and looks as it should. */
	ASSERT_EQ(0, pst_read(PIDNS_TREE_PATH, 4096, &s, err, sizeof(err)))
		TH_LOG("%s", err);
	t = pst_find(&s, self->zombie);
	ASSERT_NE(NULL, t) TH_LOG("zombie %d not listed", self->zombie);
	EXPECT_EQ('Z', t->state);
	t = pst_find(&s, self->sleeper);
	ASSERT_NE(NULL, t);
	EXPECT_EQ(self->tracer, t->tracer);
	EXPECT_EQ(self->tracer, t->parent);
	EXPECT_EQ(getpid(), t->ppid);
	t = pst_find(&s, self->ns_init);
	ASSERT_NE(NULL, t);
	EXPECT_EQ(1, t->level);
	EXPECT_EQ(1, t->init);
	pst_free(&s);
}

/*
 * The selftests' own parser (lib_file.c), on made-up output: fields split
 * on the byte 0x20 and lines on 0x0a only; every other byte, 0x80 and up
 * (U+0085 and U+2028 in UTF-8 among them) or a control byte, is data.
 */
#define HEADER "# pidns_tree 2 " COLUMNS "\n# seq_before 5\n"
#define LINE_BUT_COMM "7 7 1 1 0 - 1 4026531836 0 7 S 1 1 init 0 0 9 "

static int parse(const char *buf, struct pst_snapshot *s, char *err,
		 size_t errlen)
{
	return pst_parse(buf, strlen(buf), s, err, errlen);
}

TEST(parser_splits_on_0x20_and_0x0a_only)
{
	static const char comm[] = "a\x85" "b\xc2\x85" "c\xe2\x80\xa8" "d\re\vf\fg";
	static const char *const bad_pid[] = { "\t7", "\v7", "\f7", "\r7", "+7" };
	/* Two spaces after "pid", one before the first name, one at the end. */
	static const char *const bad_header[] = {
		"# pidns_tree 2 pid %s\n",
		"# pidns_tree 2  %s\n",
		"# pidns_tree 2 %s \n",
	};
	static const char *const header_cols[] = { COLUMNS + 3, COLUMNS, COLUMNS };
	struct pst_snapshot s;
	char buf[512], err[256];
	size_t i;
	int len;

	snprintf(buf, sizeof(buf), "%s%s%s\n# seq_after 9\n", HEADER,
		 LINE_BUT_COMM, comm);
	ASSERT_EQ(0, parse(buf, &s, err, sizeof(err))) TH_LOG("%s", err);
	ASSERT_EQ(1, s.n);
	EXPECT_STREQ(comm, s.tasks[0].comm);
	EXPECT_EQ(7, s.tasks[0].pid);
	EXPECT_EQ(9, s.tasks[0].id);
	EXPECT_EQ(5, s.seq_before);
	EXPECT_EQ(2, s.seq_before_line);
	EXPECT_EQ(9, s.seq_after);
	EXPECT_EQ(4, s.seq_after_line);
	EXPECT_EQ(4, s.lines);
	pst_free(&s);
	/* A version-1 header is refused: the id column is not optional. */
	snprintf(buf, sizeof(buf), "# pidns_tree 1 %s\n%s%s\n", COLUMNS,
		 LINE_BUT_COMM, comm);
	EXPECT_NE(0, parse(buf, &s, err, sizeof(err)));

	for (i = 0; i < sizeof(bad_pid) / sizeof(bad_pid[0]); i++) {
		snprintf(buf, sizeof(buf), "%s%s%s\n", HEADER, bad_pid[i],
			 LINE_BUT_COMM + 1);
		EXPECT_NE(0, parse(buf, &s, err, sizeof(err)))
			TH_LOG("pid field: byte 0x%02x, then 7, taken for a number",
			       (unsigned char)bad_pid[i][0]);
	}
	for (i = 0; i < sizeof(bad_header) / sizeof(bad_header[0]); i++) {
		len = snprintf(buf, sizeof(buf), bad_header[i], header_cols[i]);
		snprintf(buf + len, sizeof(buf) - len, "%scomm\n",
			 LINE_BUT_COMM);
		EXPECT_NE(0, parse(buf, &s, err, sizeof(err)))
			TH_LOG("header %zu with an empty column name taken", i);
	}
}

/* A child subreaper S; the grandchild names it as reaper, and it is. */
TEST(subreaper_shows_S_and_adopts)
{
	struct pst_snapshot s;
	const struct pst_task *t;
	struct pst_status st;
	int fds[2], status;
	pid_t pids[2], sub;
	char err[256];

	skip_without_file(_metadata);
	ASSERT_EQ(0, pipe(fds));
	sub = fork();
	if (sub == 0) {
		close(fds[0]);
		if (prctl(PR_SET_CHILD_SUBREAPER, 1))
			_exit(1);
		pids[0] = fork();
		if (pids[0] == 0) {
			pids[0] = getpid();
			pids[1] = pst_spawn(pst_sleeper, NULL, true);
			if (write(fds[1], pids, sizeof(pids)) != sizeof(pids))
				_exit(1);
			pst_sleep_forever();
		}
		pst_sleep_forever();
	}
	close(fds[1]);
	ASSERT_EQ(sizeof(pids), read(fds[0], pids, sizeof(pids)));
	close(fds[0]);

	ASSERT_EQ(0, pst_read(PIDNS_TREE_PATH, 4096, &s, err, sizeof(err)))
		TH_LOG("%s", err);
	t = pst_find(&s, sub);
	ASSERT_NE(NULL, t);
	EXPECT_EQ('S', t->sub) TH_LOG("subreaper %d column sub", sub);
	t = pst_find(&s, pids[0]);
	ASSERT_NE(NULL, t);
	EXPECT_EQ('s', t->sub) TH_LOG("child %d column sub", pids[0]);
	t = pst_find(&s, pids[1]);
	ASSERT_NE(NULL, t);
	EXPECT_EQ('s', t->sub) TH_LOG("grandchild %d column sub", pids[1]);
	EXPECT_EQ(sub, t->reaper) TH_LOG("grandchild %d column reaper", pids[1]);
	pst_free(&s);

	/* Kill the middle process: the subreaper must adopt the grandchild. */
	kill(pids[0], SIGKILL);
	EXPECT_TRUE(pst_wait_ppid(pids[1], sub, 5000))
		TH_LOG("grandchild %d was not adopted by subreaper %d",
		       pids[1], sub);
	pst_status("/proc", pids[1], pids[1], &st);
	EXPECT_EQ('S', st.state) TH_LOG("adopted grandchild %d is not asleep",
					 pids[1]);
	kill(pids[1], SIGKILL);
	kill(sub, SIGKILL);
	waitpid(sub, &status, 0);
}

/* A (tgid, id) pair of a line, to sort. */
struct tgid_id {
	pid_t tgid;
	unsigned long long id;
};

static int by_tgid(const void *a, const void *b)
{
	const struct tgid_id *x = a, *y = b;

	return (x->tgid > y->tgid) - (x->tgid < y->tgid);
}

static int by_id(const void *a, const void *b)
{
	const struct tgid_id *x = a, *y = b;

	return (x->id > y->id) - (x->id < y->id);
}

/*
 * Every thread of a process shows its process's id; two processes never
 * show the same one (0, unknown, aside).  Prints what disagrees.
 */
static int check_ids(const struct pst_snapshot *s)
{
	struct tgid_id *v = calloc(s->n + 1, sizeof(*v));
	size_t i, n = 0;
	int bad = 0;

	for (i = 0; i < s->n; i++)
		v[i] = (struct tgid_id){ s->tasks[i].tgid, s->tasks[i].id };
	qsort(v, s->n, sizeof(*v), by_tgid);
	for (i = 1; i < s->n; i++) {
		if (v[i].tgid == v[i - 1].tgid && v[i].id != v[i - 1].id) {
			fprintf(stderr, "# process %d: threads show ids %llu and %llu\n",
				v[i].tgid, v[i - 1].id, v[i].id);
			bad++;
		}
	}
	/* One entry a process, then sort by id. */
	for (i = 0; i < s->n; i++)
		if (!n || v[i].tgid != v[n - 1].tgid)
			v[n++] = v[i];
	qsort(v, n, sizeof(*v), by_id);
	for (i = 1; i < n; i++) {
		if (v[i].id && v[i].id == v[i - 1].id) {
			fprintf(stderr, "# processes %d and %d both show id %llu\n",
				v[i - 1].tgid, v[i].tgid, v[i].id);
			bad++;
		}
	}
	free(v);
	return bad;
}

static void two_threads(int fd, void *arg)
{
	pthread_t t;

	(void)arg;
	if (pthread_create(&t, NULL, thread_fn, NULL) ||
	    pthread_create(&t, NULL, thread_fn, NULL))
		_exit(1);
	pst_sleeper(fd, NULL);
}

TEST(ids_one_a_process)
{
	struct pst_snapshot s;
	const struct pst_task *t;
	pid_t kids[3];
	pthread_t th;
	char err[256];
	int i;

	skip_without_file(_metadata);
	ASSERT_EQ(0, pthread_create(&th, NULL, thread_fn, NULL));
	for (i = 0; i < 3; i++) {
		kids[i] = pst_spawn(two_threads, NULL, false);
		ASSERT_LT(0, kids[i]);
	}
	ASSERT_EQ(0, pst_read(PIDNS_TREE_PATH, 4096, &s, err, sizeof(err)))
		TH_LOG("%s", err);
	EXPECT_EQ(0, check_ids(&s)) TH_LOG("ids of threads or processes disagree (above)");
	t = pst_find(&s, getpid());
	ASSERT_NE(NULL, t);
	EXPECT_NE(0, t->id) TH_LOG("the test process (%d) has id 0", getpid());
	for (i = 0; i < 3; i++) {
		t = pst_find(&s, kids[i]);
		ASSERT_NE(NULL, t);
		EXPECT_NE(0, t->id) TH_LOG("child %d, forked with the module loaded, has id 0",
					   kids[i]);
	}
	pst_free(&s);
	pst_kill_all(kids, 3);
}

/* Wait for a byte on @arg's pipe, then exec under another name. */
static void exec_on_signal(int fd, void *arg)
{
	int *go = arg;
	char c;

	close(go[1]);
	pst_ready(fd);
	if (read(go[0], &c, 1) != 1)
		_exit(1);
	pst_exec_as("pst_fields_ex", "sleep");
	_exit(1);
}

static bool comm_is(pid_t pid, const char *want)
{
	char path[64], comm[32] = "";
	FILE *f;
	int i;

	snprintf(path, sizeof(path), "/proc/%d/comm", pid);
	for (i = 0; i < 500; i++) {
		f = fopen(path, "r");
		if (f && fgets(comm, sizeof(comm), f))
			comm[strcspn(comm, "\n")] = '\0';
		if (f)
			fclose(f);
		if (!strcmp(comm, want))
			return true;
		pst_sleep_ms(10);
	}
	return false;
}

TEST(id_kept_across_exec)
{
	struct pst_task before, after;
	char err[256];
	int go[2];
	pid_t pid;

	skip_without_file(_metadata);
	ASSERT_EQ(0, pipe(go));
	pid = pst_spawn(exec_on_signal, go, false);
	ASSERT_LT(0, pid);
	close(go[0]);
	ASSERT_TRUE(pst_read_task(PIDNS_TREE_PATH, pid, &before, err, sizeof(err)))
		TH_LOG("child %d not read: %s", pid, err);
	ASSERT_EQ(1, write(go[1], "x", 1));
	ASSERT_TRUE(comm_is(pid, "pst_fields_ex")) TH_LOG("child %d did not exec", pid);
	ASSERT_TRUE(pst_read_task(PIDNS_TREE_PATH, pid, &after, err, sizeof(err)))
		TH_LOG("child %d not read after exec: %s", pid, err);
	EXPECT_STREQ("pst_fields_ex", after.comm);
	EXPECT_NE(0, before.id);
	EXPECT_EQ(before.id, after.id) TH_LOG("child %d: id %llu before exec, %llu after",
					      pid, before.id, after.id);
	close(go[1]);
	pst_kill(pid);
}

static void *forker(void *arg)
{
	int *stop = arg;
	pid_t pid;

	while (!__atomic_load_n(stop, __ATOMIC_RELAXED)) {
		pid = fork();
		if (pid == 0)
			_exit(0);
		if (pid > 0)
			waitpid(pid, NULL, 0);
	}
	return NULL;
}

/*
 * "# seq_before N" is the second line, "# seq_after N" the last, and
 * N does not go down; read with the event stream open (the numbers move
 * only then) while processes come and go.
 */
TEST(seq_lines_in_place)
{
	struct pst_snapshot s;
	pthread_t th;
	char err[256];
	int stop = 0, fd, i;

	skip_without_file(_metadata);
	fd = open(PST_EVENTS_PATH, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		TH_LOG("%s: %s: the numbers may not move", PST_EVENTS_PATH,
		       strerror(errno));
	ASSERT_EQ(0, pthread_create(&th, NULL, forker, &stop));
	for (i = 0; i < 5; i++) {
		ASSERT_EQ(0, pst_read(PIDNS_TREE_PATH, 1024, &s, err, sizeof(err)))
			TH_LOG("%s", err);
		EXPECT_EQ(2, s.seq_before_line) TH_LOG("read %d: '# seq_before' at line %zu, want 2 (0: absent)",
						      i, s.seq_before_line);
		EXPECT_EQ(s.lines, s.seq_after_line) TH_LOG("read %d: '# seq_after' at line %zu of %zu (0: absent)",
							  i, s.seq_after_line, s.lines);
		EXPECT_LE(s.seq_before, s.seq_after);
		pst_free(&s);
	}
	__atomic_store_n(&stop, 1, __ATOMIC_RELAXED);
	pthread_join(th, NULL);
	if (fd >= 0)
		close(fd);
}

#include "harness_main.h"
