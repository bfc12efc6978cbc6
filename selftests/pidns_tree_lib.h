/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers shared by the pidns_tree selftests: read /proc/pidns_tree into
 * records (columns found by name from the header), and read the kernel's
 * own ground truth from /proc/PID/task/TID/status.
 */
#ifndef PIDNS_TREE_LIB_H
#define PIDNS_TREE_LIB_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#define PIDNS_TREE_PATH "/proc/pidns_tree"
#define PT_NSPIDS_LEN 256
#define PT_COMM_LEN 80			/* 15 bytes, each maybe \ooo */
#define PT_NS_DIES (-1)			/* reaper column "-" */

struct pt_task {
	pid_t pid, tgid, ppid, parent, tracer;
	pid_t reaper;			/* or PT_NS_DIES */
	char sub;			/* 'S', 's' or '-' */
	unsigned long pidns;
	int level;
	char nspids[PT_NSPIDS_LEN];	/* as printed: "79020,1" */
	char state;
	int init;
	char comm[PT_COMM_LEN];		/* as printed, escaped */
};

struct pt_snapshot {
	struct pt_task *tasks;
	size_t n;
	char header[512];
};

/* Ground truth from status; ok is false if the task is gone. */
struct pt_status {
	bool ok;
	pid_t tgid, ppid, tracer;
	char state;
	char nspids[PT_NSPIDS_LEN];	/* NSpid, tabs turned into commas */
};

/*
 * Read and parse a whole pidns_tree file through read() calls of @bufsz
 * bytes.  Returns 0, or -errno with the reason in @err.
 */
int pt_read(const char *path, size_t bufsz, struct pt_snapshot *s,
	    char *err, size_t errlen);
void pt_free(struct pt_snapshot *s);
const struct pt_task *pt_find(const struct pt_snapshot *s, pid_t pid);

/* Status of task @tid of process @tgid as seen through @procdir. */
void pt_status(const char *procdir, pid_t tgid, pid_t tid,
	       struct pt_status *st);

/* Poll until @pid's PPid (in /proc) is @ppid, up to @ms milliseconds. */
bool pt_wait_ppid(pid_t pid, pid_t ppid, int ms);

/* Undo the \ooo escaping of the comm column. */
void pt_unescape(const char *in, char *out, size_t outlen);

#endif /* PIDNS_TREE_LIB_H */
