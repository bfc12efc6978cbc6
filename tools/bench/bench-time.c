// SPDX-License-Identifier: GPL-2.0
/*
 * bench-time - time a command precisely, several times, for tools/bench/bench.
 *
 * Usage: bench-time [-w WARMUP] [-n RUNS] [-m MINRUNS] [-b BUDGET] [-o FILE]
 *                   -- COMMAND [ARG...]
 *        bench-time --read-status
 *
 * Runs COMMAND WARMUP times (default 1) unreported, then up to RUNS times
 * (default 5), with stdin from /dev/null and stdout to FILE (default
 * /dev/null), stderr inherited.  Each run is timed with CLOCK_MONOTONIC
 * around posix_spawnp() + wait4(), so it includes exec and exit, as a shell
 * user would see it.  After MINRUNS runs (default 3), it stops early once
 * the timed runs have taken BUDGET seconds (default: no budget).  Prints
 * one line per timed run:
 *
 *   run WALL_SECONDS MAXRSS_KB USER_SECONDS SYS_SECONDS
 *
 * and exits 1 if any run fails (non-zero exit or a signal).
 *
 * --read-status is one of the anchors tools/bench/bench measures: it reads
 * every /proc/PID/task/TID/status file, as ps and top do, walking /proc with
 * opendir (a glob would exceed ARG_MAX with 100k tasks), and discards it.
 */

#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static double tv(const struct timeval *t)
{
	return t->tv_sec + t->tv_usec / 1e6;
}

static int all_digits(const char *s)
{
	if (!*s)
		return 0;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return 0;
	}
	return 1;
}

/* Read a file to its end, discarding it; returns the bytes read or -1. */
static long slurp(int dirfd, const char *name)
{
	static char buf[65536];
	long total = 0;
	ssize_t n;
	int fd;

	fd = openat(dirfd, name, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	while ((n = read(fd, buf, sizeof(buf))) > 0)
		total += n;
	close(fd);
	return total;
}

static int read_status(void)
{
	unsigned long files = 0, bytes = 0;
	struct dirent *pe, *te;
	DIR *proc, *task;
	char path[300];
	int pfd, tfd;
	long n;

	proc = opendir("/proc");
	if (!proc) {
		perror("bench-time: /proc");
		return 1;
	}
	pfd = dirfd(proc);
	while ((pe = readdir(proc))) {
		if (!all_digits(pe->d_name))
			continue;
		snprintf(path, sizeof(path), "%s/task", pe->d_name);
		tfd = openat(pfd, path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (tfd < 0)
			continue;	/* exited meanwhile */
		task = fdopendir(tfd);
		if (!task) {
			close(tfd);
			continue;
		}
		while ((te = readdir(task))) {
			if (!all_digits(te->d_name))
				continue;
			snprintf(path, sizeof(path), "%s/status", te->d_name);
			n = slurp(tfd, path);
			if (n >= 0) {
				files++;
				bytes += n;
			}
		}
		closedir(task);
	}
	closedir(proc);
	if (getenv("BENCH_TIME_VERBOSE"))
		fprintf(stderr, "read %lu status files, %lu bytes\n",
			files, bytes);
	return 0;
}

static void usage(void)
{
	fprintf(stderr,
		"usage: bench-time [-w WARMUP] [-n RUNS] [-m MINRUNS] [-b BUDGET] [-o FILE] -- COMMAND [ARG...]\n"
		"       bench-time --read-status\n");
	exit(2);
}

/* Run the command once; returns 0 if it exited 0. */
static int run_once(char **cmd, const char *out, double *wall,
		    struct rusage *ru)
{
	posix_spawn_file_actions_t fa;
	int status, err;
	double t0;
	pid_t pid;

	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
	posix_spawn_file_actions_addopen(&fa, 1, out,
					 O_WRONLY | O_CREAT | O_TRUNC, 0644);
	t0 = now();
	err = posix_spawnp(&pid, cmd[0], &fa, NULL, cmd, environ);
	if (err) {
		posix_spawn_file_actions_destroy(&fa);
		fprintf(stderr, "bench-time: %s: %s\n", cmd[0], strerror(err));
		return -1;
	}
	while (wait4(pid, &status, 0, ru) < 0) {
		if (errno != EINTR) {
			perror("bench-time: wait4");
			return -1;
		}
	}
	*wall = now() - t0;
	posix_spawn_file_actions_destroy(&fa);
	if (WIFSIGNALED(status)) {
		fprintf(stderr, "bench-time: %s killed by signal %d\n",
			cmd[0], WTERMSIG(status));
		return -1;
	}
	if (WEXITSTATUS(status)) {
		fprintf(stderr, "bench-time: %s exited with status %d\n",
			cmd[0], WEXITSTATUS(status));
		return -1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	int warmup = 1, runs = 5, minruns = 3, opt, i;
	const char *out = "/dev/null";
	double budget = 0, spent = 0;

	if (argc == 2 && !strcmp(argv[1], "--read-status"))
		return read_status();

	while ((opt = getopt(argc, argv, "+w:n:m:b:o:")) != -1) {
		switch (opt) {
		case 'w':
			warmup = atoi(optarg);
			break;
		case 'n':
			runs = atoi(optarg);
			break;
		case 'm':
			minruns = atoi(optarg);
			break;
		case 'b':
			budget = atof(optarg);
			break;
		case 'o':
			out = optarg;
			break;
		default:
			usage();
		}
	}
	if (optind >= argc || runs < 1 || warmup < 0)
		usage();
	setvbuf(stdout, NULL, _IOLBF, 0);

	for (i = 0; i < warmup + runs; i++) {
		struct rusage ru;
		double wall;

		if (run_once(argv + optind, out, &wall, &ru))
			return 1;
		if (i < warmup)
			continue;
		printf("run %.6f %ld %.6f %.6f\n", wall, ru.ru_maxrss,
		       tv(&ru.ru_utime), tv(&ru.ru_stime));
		spent += wall;
		if (budget > 0 && i + 1 - warmup >= minruns && spent >= budget)
			break;
	}
	return 0;
}
