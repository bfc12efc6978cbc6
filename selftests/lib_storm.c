// SPDX-License-Identifier: GPL-2.0
/*
 * A pid namespace of its own, with its own /proc, whose processes keep
 * tasks coming and going until a deadline; and the exec chains they may
 * run, in which a non-leader thread calls execve() again and again
 * (de_thread() hands it the leader's pid).  Linked into the programs that
 * use it only (storm, dethread): the exec'd generations of a chain go on
 * from a constructor, before main().
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "pidns_tree_lib.h"

#define EXEC_ENV	"PIDNS_TREE_STORM_EXEC"

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

unsigned long long pst_storm_deadline(struct pst_storm *st)
{
	return __atomic_load_n(&st->deadline, __ATOMIC_RELAXED);
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

int pst_storm_execer(struct pst_storm *st)
{
	unsigned long gens = 0, chains = 0;
	char env[64];
	int fds[2];
	pid_t pid;

	if (pipe2(fds, O_NONBLOCK))
		return 1;
	while (pst_now_ns() < pst_storm_deadline(st)) {
		/* The deadline may have been brought forward: pass it on. */
		snprintf(env, sizeof(env), "%llu %d %d", pst_storm_deadline(st),
			 fds[1], st->exec_sleepers);
		if (setenv(EXEC_ENV, env, 1))
			return 1;
		pid = fork();
		if (pid == 0) {
			close(fds[0]);
			prctl(PR_SET_PDEATHSIG, SIGKILL);
			exec_generation(pst_storm_deadline(st), fds[1],
					st->exec_sleepers);
		}
		if (pid < 0)
			return 1;
		/* The chain ends itself, or is ended at a new deadline. */
		while (waitpid(pid, NULL, WNOHANG) == 0) {
			if (pst_now_ns() >= pst_storm_deadline(st)) {
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
	__atomic_add_fetch(&st->execs, gens > chains ? gens - chains : 0,
			   __ATOMIC_RELAXED);
	__atomic_add_fetch(&st->chains, chains, __ATOMIC_RELAXED);
	return 0;
}

/* Storm process @i: run until the deadline, then say so. */
static void __attribute__((noreturn)) storm_proc(int i, struct pst_storm *st)
{
	int ret;

	prctl(PR_SET_PDEATHSIG, SIGKILL);
	ret = st->proc(st, i);
	if (ret)
		__atomic_add_fetch(&st->failed, 1, __ATOMIC_SEQ_CST);
	__atomic_add_fetch(&st->done, 1, __ATOMIC_SEQ_CST);
	_exit(ret);
}

/*
 * The init of the storm's pid namespace, in its own mount namespace with
 * its own /proc: ->setup(), then on "go" the storm; it reaps everything.
 * Its death kills the namespace.
 */
static void __attribute__((noreturn))
ns_init(struct pst_storm *st, int ready_fd, int go_fd)
{
	char c = 0;
	int i;

	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) ||
	    mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC,
		  NULL) ||
	    (st->setup && st->setup(st)) ||
	    write(ready_fd, "r", 1) != 1 || read(go_fd, &c, 1) != 1)
		_exit(1);
	close(ready_fd);
	close(go_fd);
	for (i = 0; i < st->nprocs; i++)
		if (fork() == 0)
			storm_proc(i, st);
	for (;;)
		if (waitpid(-1, NULL, 0) < 0 && errno == ECHILD)
			pause();
}

/* Fork the namespace's init through a process that unshares; wait for it. */
pid_t pst_storm_ns(struct pst_storm *st, int *go_fd)
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
			ns_init(st, ready[1], go[0]);
		if (init < 0)
			_exit(1);
		__atomic_store_n(&st->init, init, __ATOMIC_SEQ_CST);
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
	for (i = 0; i < 1000 && !__atomic_load_n(&st->init, __ATOMIC_SEQ_CST);
	     i++)
		pst_sleep_ms(10);
	if (st->init > 0)
		return pid;
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	return -1;
}

int pst_storm_wait(struct pst_storm *st, char *why, size_t len)
{
	int i, left;

	for (i = 0; i < 1500 &&
	     __atomic_load_n(&st->done, __ATOMIC_SEQ_CST) < st->nprocs; i++)
		pst_sleep_ms(20);
	left = st->nprocs - __atomic_load_n(&st->done, __ATOMIC_SEQ_CST);
	if (left)
		snprintf(why, len, "%d storm processes still running 30 s after the deadline",
			 left);
	else if (st->failed)
		snprintf(why, len, "%d storm processes failed (fork, clone or execve)",
			 st->failed);
	else
		return 0;
	return -1;
}
