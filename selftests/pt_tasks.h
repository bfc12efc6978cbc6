/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers that make the tasks the pidns_tree selftests look at, and check a
 * whole view of the file against the kernel's status files.
 */
#ifndef PT_TASKS_H
#define PT_TASKS_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

/*
 * Fork a child that runs @fn(ready_fd, @arg), and wait until it calls
 * pt_ready(ready_fd).  The child dies with its parent unless @orphaned.
 * Returns its pid, or -1.
 */
pid_t pt_spawn(void (*fn)(int ready_fd, void *arg), void *arg, bool orphaned);
void pt_ready(int fd);
void pt_sleep_forever(void) __attribute__((noreturn));
/* A pt_spawn() function: pt_ready(), then sleep forever. */
void pt_sleeper(int ready_fd, void *arg);

/* SIGKILL @pid and reap it if it is our child. */
void pt_kill(pid_t pid);
/* Poll until /proc/@pid is gone or a zombie, up to @ms milliseconds. */
bool pt_wait_dead(pid_t pid, int ms);

/*
 * Read @procdir/pidns_tree and compare every line with
 * @procdir/TGID/task/TID/status and ns/pid: tgid, ppid, tracer, nspids,
 * level, pidns, state.  A round that disagrees is retried (a kernel thread
 * may change state between the two reads), up to @rounds; returns the
 * number of disagreements in the last round, each described in @why.
 */
int pt_check_view(const char *procdir, int rounds, char *why, size_t len);

#endif /* PT_TASKS_H */
