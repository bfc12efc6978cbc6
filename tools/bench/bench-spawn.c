// SPDX-License-Identifier: GPL-2.0
/*
 * bench-spawn - the task population of tools/bench/bench.
 *
 * Usage: bench-spawn [-t THREADS] [-f FANOUT]
 *
 * Reads commands on stdin, one per line, and answers on stdout:
 *
 *   grow N    grow the population to N tasks (threads counted), spread
 *             evenly over three pid namespaces: the root one, a level-1
 *             namespace and a level-2 namespace inside it; answers
 *             "ok N SECONDS" once every new task exists
 *   quit      (or EOF) end every task and exit; answers "bye SECONDS"
 *
 * The population only grows.  Shape, in each namespace: a node (a child of
 * this process, a child subreaper, in the root namespace; the namespace's
 * init in the others) forks group leaders; each leader forks up to
 * FANOUT-1 workers; every leader and worker is a process with THREADS
 * threads (default 4, fanout 16).  All of them sleep, blocked reading a
 * pipe of their group.  This process, the root node and the two namespace
 * inits are single-threaded; the inits are counted in N.  Names:
 * bs-ctl, bs-node0..2, bs-leader, bs-worker, bs-thread.
 *
 * Teardown is orderly and one group at a time per node, never SIGKILL to
 * everything.  A node sends SIGTERM to a leader, which closes its group's
 * pipe: every thread of the group sees EOF, the other threads exit first
 * and each main thread last, and the leader reaps its workers.  Two
 * things went wrong otherwise under TCG: a SIGKILL to 100k multi-threaded
 * tasks makes every exiting main thread, still sharing its mm, search the
 * whole task list for a new mm owner (mm_update_next_owner(), under
 * tasklist_lock), O(n^2); and waking 50k tasks at once starves the RCU
 * grace-period kthread among them.  Both end in RCU stall warnings, which
 * fail a tools/vm/vm-run.  PR_SET_PDEATHSIG stays as a safety net for an
 * abnormal end.
 */

#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define LEVELS	3

static int threads = 4;
static int fanout = 16;

static void die(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "bench-spawn[%d]: ", (int)getpid());
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	if (errno)
		fprintf(stderr, ": %s", strerror(errno));
	fputc('\n', stderr);
	exit(1);
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void write_all(int fd, const void *buf, size_t len)
{
	const char *p = buf;

	while (len) {
		ssize_t n = write(fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			die("write");
		p += n;
		len -= n;
	}
}

/* Read exactly @count bytes of readiness tokens from @fd. */
static void read_tokens(int fd, long count)
{
	char buf[4096];

	while (count > 0) {
		ssize_t n = read(fd, buf, count < (long)sizeof(buf) ? count : (long)sizeof(buf));

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			die("reading readiness tokens (%ld missing)", count);
		count -= n;
	}
}

/* Read one line (without the newline) from @fd; false at EOF. */
static int read_line(int fd, char *buf, size_t size)
{
	size_t len = 0;

	for (;;) {
		ssize_t n = read(fd, buf + len, 1);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			die("read command");
		if (n == 0)
			return 0;
		if (buf[len] == '\n' || len + 2 >= size)
			break;
		len++;
	}
	buf[len] = '\0';
	return 1;
}

/* Fixed descriptors in every leader and worker. */
#define READY_FD	3	/* the node's readiness pipe, write end */
#define QUIT_FD		4	/* the group's quit pipe, read end */
#define QUIT_W_FD	5	/* its write end, in the leader only */

/* Sleep until the leader closes the group's quit pipe. */
static void wait_for_quit(void)
{
	char c;

	while (read(QUIT_FD, &c, 1) != 0) {
		if (errno != EINTR && errno != EAGAIN)
			break;
	}
}

static void *sleeper(void *arg)
{
	if (arg)
		prctl(PR_SET_NAME, arg);
	wait_for_quit();
	return NULL;
}

/* Reap every child (and, for a subreaper or an init, every orphan). */
static void reap_all(void)
{
	for (;;) {
		if (wait(NULL) < 0 && errno != EINTR)
			break;
	}
}

/*
 * In a new leader: stdin and stdout on /dev/null, stderr kept, the
 * readiness pipe and both ends of the group's quit pipe on their fixed
 * numbers, nothing else.
 */
static void leader_fds(int ready, int devnull)
{
	int quit[2], fd;

	if (pipe(quit) || dup2(devnull, 0) < 0 || dup2(devnull, 1) < 0)
		die("pipe");
	/* Out of the way first: any of them may sit on 3, 4 or 5. */
	ready = fcntl(ready, F_DUPFD, 10);
	quit[0] = fcntl(quit[0], F_DUPFD, 10);
	quit[1] = fcntl(quit[1], F_DUPFD, 10);
	if (ready < 0 || quit[0] < 0 || quit[1] < 0 ||
	    dup2(ready, READY_FD) < 0 || dup2(quit[0], QUIT_FD) < 0 ||
	    dup2(quit[1], QUIT_W_FD) < 0)
		die("dup2");
	if (syscall(SYS_close_range, QUIT_W_FD + 1U, ~0U, 0) < 0) {
		for (fd = QUIT_W_FD + 1; fd < 1024; fd++)
			close(fd);
	}
}

/*
 * The life of a leader or worker once forked (its fds set by
 * leader_fds()): start the threads, report, sleep.  At the end, the
 * leader, told by SIGTERM, closes the group's pipe; then every process
 * lets its threads go first, reaps its children and exits.
 */
static void become_task(const char *name, int leader)
{
	pthread_t *tids = calloc(threads, sizeof(*tids));
	pthread_attr_t attr;
	int i, err;

	if (!tids)
		die("calloc");
	prctl(PR_SET_NAME, name);
	pthread_attr_init(&attr);
	pthread_attr_setstacksize(&attr, PTHREAD_STACK_MIN);
	for (i = 1; i < threads; i++) {
		err = pthread_create(&tids[i], &attr, sleeper, "bs-thread");
		if (err) {
			errno = err;
			die("pthread_create");
		}
	}
	write_all(READY_FD, "x", 1);
	if (leader) {
		sigset_t term;
		int sig;

		sigemptyset(&term);
		sigaddset(&term, SIGTERM);
		while (sigwait(&term, &sig))
			;
		close(QUIT_W_FD);
	}
	wait_for_quit();
	prctl(PR_SET_PDEATHSIG, 0);
	for (i = 1; i < threads; i++)
		pthread_join(tids[i], NULL);
	reap_all();
	_exit(0);
}

/* The leaders of this node, for the teardown. */
static pid_t *leaders;
static size_t nr_leaders, max_leaders;

/* A leader with @workers workers; returns in the parent only. */
static void fork_group(int workers, int ready, int devnull)
{
	sigset_t term;
	pid_t pid;
	int i;

	if (nr_leaders == max_leaders) {
		max_leaders = max_leaders ? 2 * max_leaders : 256;
		leaders = realloc(leaders, max_leaders * sizeof(*leaders));
		if (!leaders)
			die("realloc");
	}
	pid = fork();
	if (pid < 0)
		die("fork leader");
	if (pid > 0) {
		leaders[nr_leaders++] = pid;
		return;
	}
	if (prctl(PR_SET_PDEATHSIG, SIGKILL) < 0)
		die("PR_SET_PDEATHSIG");
	leader_fds(ready, devnull);
	/* SIGTERM waits for sigwait() in the leader's main thread. */
	sigemptyset(&term);
	sigaddset(&term, SIGTERM);
	sigprocmask(SIG_BLOCK, &term, NULL);
	for (i = 0; i < workers; i++) {
		pid = fork();
		if (pid < 0)
			die("fork worker");
		if (pid == 0) {
			close(QUIT_W_FD);
			if (prctl(PR_SET_PDEATHSIG, SIGKILL) < 0)
				die("PR_SET_PDEATHSIG");
			become_task("bs-worker", 0);
		}
	}
	become_task("bs-leader", 1);
}

/* Spawn @procs more processes here; returns when all are up. */
static void add_processes(long procs, int ready_r, int ready_w, int devnull)
{
	long left = procs;

	while (left > 0) {
		int group = left < fanout ? (int)left : fanout;

		fork_group(group - 1, ready_w, devnull);
		left -= group;
	}
	read_tokens(ready_r, procs);
}

/* End the groups one after the other, the next one told while one exits. */
static void end_groups(void)
{
	size_t i;

	if (nr_leaders)
		kill(leaders[0], SIGTERM);
	for (i = 0; i < nr_leaders; i++) {
		if (i + 1 < nr_leaders)
			kill(leaders[i + 1], SIGTERM);
		while (waitpid(leaders[i], NULL, 0) < 0 && errno == EINTR)
			;
	}
}

/*
 * A node: the root spawner (level 0) or a namespace init.  It reads
 * "add A0 A1 ..." (processes to add at its level and below), hands the
 * rest to the node below, spawns its share, and answers "done" once both
 * are complete.
 */
static void node(int level, int ctl_in, int ctl_out);

static pid_t start_child_node(int level, int *to_child, int *from_child)
{
	int down[2], up[2];
	pid_t pid;

	if (pipe(down) || pipe(up))
		die("pipe");
	/* fork() into a new pid namespace: the child is its init. */
	pid = syscall(SYS_clone, CLONE_NEWPID | SIGCHLD, NULL, NULL, NULL, NULL);
	if (pid < 0)
		die("clone(CLONE_NEWPID)");
	if (pid == 0) {
		close(down[1]);
		close(up[0]);
		if (prctl(PR_SET_PDEATHSIG, SIGKILL) < 0)
			die("PR_SET_PDEATHSIG");
		node(level, down[0], up[1]);
		exit(0);
	}
	close(down[0]);
	close(up[1]);
	*to_child = down[1];
	*from_child = up[0];
	return pid;
}

static void node(int level, int ctl_in, int ctl_out)
{
	int to_child = -1, from_child = -1, ready[2], devnull;
	char line[256], name[32];
	pid_t child = -1;

	snprintf(name, sizeof(name), "bs-node%u", (unsigned int)level % 10);
	prctl(PR_SET_NAME, name);
	devnull = open("/dev/null", O_RDWR);
	if (devnull < 0 || dup2(devnull, 0) < 0 || dup2(devnull, 1) < 0)
		die("/dev/null");
	if (level + 1 < LEVELS)
		child = start_child_node(level + 1, &to_child, &from_child);
	if (pipe(ready))
		die("pipe");
	/* Reap nothing yet: leaders never exit while the node lives. */

	while (read_line(ctl_in, line, sizeof(line))) {
		long add[LEVELS] = { 0 };
		char *p = line, *end;
		int i;

		if (strncmp(line, "add", 3))
			break;
		p += 3;
		for (i = level; i < LEVELS; i++) {
			add[i] = strtol(p, &end, 10);
			p = end;
		}
		if (child > 0) {
			char buf[256];
			int len = snprintf(buf, sizeof(buf), "add");

			for (i = level + 1; i < LEVELS; i++)
				len += snprintf(buf + len, sizeof(buf) - len,
						" %ld", add[i]);
			buf[len++] = '\n';
			write_all(to_child, buf, len);
		}
		add_processes(add[level], ready[0], ready[1], devnull);
		if (child > 0) {
			if (!read_line(from_child, line, sizeof(line)))
				die("the level-%d node is gone", level + 1);
		}
		write_all(ctl_out, "done\n", 5);
	}
	/* The end: the node below (EOF on its commands) and ours, together. */
	if (child > 0)
		close(to_child);
	end_groups();
	reap_all();
}

int main(int argc, char **argv)
{
	long have = 0, have_procs[LEVELS] = { 0 };
	int to_child, from_child, opt;
	struct rlimit rl = { RLIM_INFINITY, RLIM_INFINITY };
	char line[256];
	pid_t child;

	while ((opt = getopt(argc, argv, "t:f:")) != -1) {
		switch (opt) {
		case 't':
			threads = atoi(optarg);
			break;
		case 'f':
			fanout = atoi(optarg);
			break;
		default:
			fprintf(stderr, "usage: bench-spawn [-t THREADS] [-f FANOUT]\n");
			return 2;
		}
	}
	if (threads < 1 || fanout < 1) {
		fprintf(stderr, "bench-spawn: -t and -f want positive numbers\n");
		return 2;
	}
	setrlimit(RLIMIT_NPROC, &rl);
	setvbuf(stdout, NULL, _IOLBF, 0);
	prctl(PR_SET_NAME, "bs-ctl");

	/*
	 * This process is the root namespace's node, but it reads commands
	 * as text and answers with counts, so run the level-0 node in a child
	 * of our own and talk to it over pipes; the two namespace inits
	 * (counted tasks) are below it.
	 */
	child = 0;
	{
		int down[2], up[2];

		if (pipe(down) || pipe(up))
			die("pipe");
		child = fork();
		if (child < 0)
			die("fork");
		if (child == 0) {
			close(down[1]);
			close(up[0]);
			if (prctl(PR_SET_PDEATHSIG, SIGKILL) < 0 ||
			    prctl(PR_SET_CHILD_SUBREAPER, 1) < 0)
				die("prctl");
			node(0, down[0], up[1]);
			exit(0);
		}
		close(down[0]);
		close(up[1]);
		to_child = down[1];
		from_child = up[0];
	}
	/* The two namespace inits, single-threaded. */
	have = LEVELS - 1;

	while (fgets(line, sizeof(line), stdin)) {
		long want, procs, per[LEVELS], add[LEVELS];
		char buf[256];
		double t0;
		int i, len;

		if (!strncmp(line, "quit", 4))
			break;
		if (sscanf(line, "grow %ld", &want) != 1) {
			fprintf(stderr, "bench-spawn: unknown command: %s", line);
			return 2;
		}
		t0 = now();
		procs = (want - (LEVELS - 1)) / threads;
		if (procs < 0)
			procs = 0;
		len = snprintf(buf, sizeof(buf), "add");
		for (i = 0; i < LEVELS; i++) {
			per[i] = procs / LEVELS + (i < procs % LEVELS);
			add[i] = per[i] > have_procs[i] ? per[i] - have_procs[i] : 0;
			have_procs[i] += add[i];
			have += add[i] * threads;
			len += snprintf(buf + len, sizeof(buf) - len, " %ld", add[i]);
		}
		buf[len++] = '\n';
		write_all(to_child, buf, len);
		if (!read_line(from_child, buf, sizeof(buf)))
			die("the level-0 node is gone");
		printf("ok %ld %.3f\n", have, now() - t0);
	}
	{
		double t0 = now();

		close(to_child);
		waitpid(child, NULL, 0);
		printf("bye %.3f\n", now() - t0);
	}
	return 0;
}
