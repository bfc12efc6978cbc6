// SPDX-License-Identifier: GPL-2.0
/*
 * The article's scenario, small: a child-subreaper "shim" starts a
 * short-lived "runtime", which makes a new pid (and mount) namespace, forks
 * the container's "init" there, and exits.  The init, orphaned, goes to
 * the shim, not to host init.  The init starts an "app" and waits.
 *
 * Then the shim runs "sh -c SCRIPT" with SHIM, RUNTIME and INIT set to host
 * pids, and finally kills the init, which takes the namespace with it.
 *
 * usage: demo-scenario SCRIPT
 */
#define _GNU_SOURCE
#include <err.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

static void name(const char *comm)
{
	prctl(PR_SET_NAME, comm);
}

static void __attribute__((noreturn)) sleep_forever(void)
{
	for (;;)
		pause();
}

/* PID 1 of the new namespace: its own /proc, one child, then wait. */
static void __attribute__((noreturn)) container_init(int ready)
{
	name("init");
	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) ||
	    mount("proc", "/proc", "proc", 0, NULL))
		err(1, "init: mounting the container's /proc");
	if (fork() == 0) {
		name("app");
		sleep_forever();
	}
	if (write(ready, "", 1) != 1)
		err(1, "init: write");
	sleep_forever();
}

/* Make the namespaces, fork the init, report its pid, and leave. */
static void __attribute__((noreturn)) runtime(int report)
{
	int fds[2];
	pid_t init;
	char c;

	name("runtime");
	if (unshare(CLONE_NEWPID | CLONE_NEWNS))
		err(1, "runtime: unshare (needs root)");
	if (pipe(fds))
		err(1, "runtime: pipe");
	init = fork();
	if (init < 0)
		err(1, "runtime: fork");
	if (init == 0)
		container_init(fds[1]);
	if (read(fds[0], &c, 1) != 1 ||
	    write(report, &init, sizeof(init)) != sizeof(init))
		errx(1, "runtime: the init did not start");
	_exit(0);
}

static void setenv_pid(const char *var, pid_t pid)
{
	char buf[16];

	snprintf(buf, sizeof(buf), "%d", (int)pid);
	setenv(var, buf, 1);
}

int main(int argc, char **argv)
{
	pid_t rt, init;
	int fds[2], status;

	if (argc != 2)
		errx(2, "usage: demo-scenario SCRIPT");
	name("shim");
	if (prctl(PR_SET_CHILD_SUBREAPER, 1))
		err(1, "PR_SET_CHILD_SUBREAPER");
	if (pipe(fds))
		err(1, "pipe");
	rt = fork();
	if (rt < 0)
		err(1, "fork");
	if (rt == 0)
		runtime(fds[1]);
	if (read(fds[0], &init, sizeof(init)) != sizeof(init))
		errx(1, "the runtime failed");
	if (waitpid(rt, &status, 0) != rt || !WIFEXITED(status))
		errx(1, "the runtime did not exit cleanly");

	setenv_pid("SHIM", getpid());
	setenv_pid("RUNTIME", rt);
	setenv_pid("INIT", init);
	status = system(argv[1]);

	kill(init, SIGKILL);
	waitpid(init, NULL, 0);
	return status == 0 ? 0 : 1;
}
