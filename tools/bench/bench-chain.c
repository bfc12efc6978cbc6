// SPDX-License-Identifier: GPL-2.0
/*
 * bench-chain - the populations of tools/bench/bench-deep.
 *
 * Usage: bench-chain chain|flat N
 *
 * Becomes a child subreaper, then makes N more processes below it:
 *
 *   chain   each the child of the one before: a chain N deep, every
 *           member's line asking the module for the nearest subreaper
 *           above a father ever further down;
 *   flat    all children of one process, itself a child of this one: the
 *           same number of lines, each one step from the subreaper.
 *
 * The processes share this one's memory (clone(CLONE_VM), a stack each):
 * a chain of fork()s costs the kernel itself O(depth) per fork, for the
 * anon_vma chains that grow with the depth, and would measure that.
 * Prints "ready N" once every process exists, then waits for EOF on stdin
 * and ends them one by one, deepest first, before it exits: a SIGKILL to
 * all at once makes each exiting owner of the shared mm search the task
 * list for the next one (mm_update_next_owner()).
 */

#define _GNU_SOURCE
#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#define STACK	(32 * 1024)

static pid_t *pids;
static char *stacks;
static int total, chain;
static volatile int built, failed;

static void idle(void)
{
	for (;;)
		pause();
}

static int member(void *arg)
{
	long i = (long)arg;

	pids[i] = getpid();
	/* chain: each makes the next; flat: the first (the parent) makes all. */
	if (chain && i + 1 < total) {
		if (clone(member, stacks + (i + 2) * STACK, CLONE_VM | SIGCHLD,
			  (void *)(i + 1)) < 0)
			failed = 1;
	} else if (!chain && i == 0) {
		long j;

		for (j = 1; j < total; j++)
			if (clone(member, stacks + (j + 1) * STACK,
				  CLONE_VM | SIGCHLD, (void *)j) < 0)
				failed = 1;
	}
	__atomic_add_fetch(&built, 1, __ATOMIC_SEQ_CST);
	idle();
	return 0;
}

int main(int argc, char **argv)
{
	char buf[64];
	int i;

	if (argc != 3 || (strcmp(argv[1], "chain") && strcmp(argv[1], "flat")) ||
	    (total = atoi(argv[2])) < 2) {
		fprintf(stderr, "usage: bench-chain chain|flat N (N >= 2)\n");
		return 2;
	}
	chain = !strcmp(argv[1], "chain");
	/* flat: N children plus their parent. */
	if (!chain)
		total++;
	pids = mmap(NULL, total * sizeof(*pids), PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	stacks = mmap(NULL, (size_t)(total + 1) * STACK, PROT_READ | PROT_WRITE,
		      MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (pids == MAP_FAILED || stacks == MAP_FAILED) {
		perror("bench-chain: mmap");
		return 1;
	}
	if (prctl(PR_SET_CHILD_SUBREAPER, 1) ||
	    clone(member, stacks + STACK, CLONE_VM | SIGCHLD, (void *)0L) < 0) {
		perror("bench-chain: clone");
		return 1;
	}
	while (__atomic_load_n(&built, __ATOMIC_SEQ_CST) < total && !failed)
		usleep(10000);
	if (failed) {
		fprintf(stderr, "bench-chain: clone failed after %d processes\n", built);
		return 1;
	}
	printf("ready %d\n", chain ? total : total - 1);
	fflush(stdout);
	while (read(0, buf, sizeof(buf)) > 0)
		;
	for (i = total - 1; i >= 0; i--)
		kill(pids[i], SIGKILL);
	/* This process is a subreaper: every member ends up its child. */
	while (wait(NULL) > 0 || errno == EINTR)
		;
	return 0;
}
