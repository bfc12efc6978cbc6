// SPDX-License-Identifier: GPL-2.0
/*
 * bench-fork - what creating a task costs, for tools/bench's fork-cost
 * ratios (the module hooks process creation and release).
 *
 * Usage: bench-fork fork|thread N
 *
 * fork:   N times fork(), _exit(0) in the child, waitpid() in the parent;
 * thread: N times pthread_create() of a thread that returns at once, and
 *         pthread_join().
 *
 * Prints the wall time per operation in nanoseconds (CLOCK_MONOTONIC
 * around the whole loop) on one line: "fork NS" or "thread NS".
 */

#define _GNU_SOURCE
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void *nothing(void *arg)
{
	return arg;
}

static int forks(long n)
{
	long i;

	for (i = 0; i < n; i++) {
		pid_t c = fork();

		if (c < 0) {
			perror("bench-fork: fork");
			return -1;
		}
		if (c == 0)
			_exit(0);
		if (waitpid(c, NULL, 0) != c) {
			perror("bench-fork: waitpid");
			return -1;
		}
	}
	return 0;
}

static int threads(long n)
{
	pthread_t t;
	long i;
	int e;

	for (i = 0; i < n; i++) {
		e = pthread_create(&t, NULL, nothing, NULL);
		if (!e)
			e = pthread_join(t, NULL);
		if (e) {
			fprintf(stderr, "bench-fork: pthread: %s\n", strerror(e));
			return -1;
		}
	}
	return 0;
}

int main(int argc, char **argv)
{
	long n = argc == 3 ? atol(argv[2]) : 0;
	int (*loop)(long);
	double t0;

	if (n <= 0 || (strcmp(argv[1], "fork") && strcmp(argv[1], "thread"))) {
		fputs("usage: bench-fork fork|thread N\n", stderr);
		return 2;
	}
	loop = strcmp(argv[1], "fork") ? threads : forks;
	t0 = now();
	if (loop(n))
		return 1;
	printf("%s %.0f\n", argv[1], (now() - t0) / n * 1e9);
	return 0;
}
