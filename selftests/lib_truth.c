// SPDX-License-Identifier: GPL-2.0
/*
 * The kernel's own ground truth, to compare the file with:
 * /proc/PID/task/TID/status and ns/pid.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "pidns_tree_lib.h"

static void pst_status_line(struct pst_status *st, const char *line)
{
	char *p;

	if (!strncmp(line, "State:\t", 7)) {
		st->state = line[7];
	} else if (!strncmp(line, "Tgid:\t", 6)) {
		st->tgid = atoi(line + 6);
	} else if (!strncmp(line, "PPid:\t", 6)) {
		st->ppid = atoi(line + 6);
	} else if (!strncmp(line, "TracerPid:\t", 11)) {
		st->tracer = atoi(line + 11);
	} else if (!strncmp(line, "voluntary_ctxt_switches:\t", 25)) {
		st->switches += strtoul(line + 25, NULL, 10);
	} else if (!strncmp(line, "nonvoluntary_ctxt_switches:\t", 28)) {
		st->switches += strtoul(line + 28, NULL, 10);
	} else if (!strncmp(line, "NSpid:\t", 7)) {
		size_t n = strcspn(line + 7, "\n");

		if (n >= sizeof(st->nspids))
			n = sizeof(st->nspids) - 1;
		memcpy(st->nspids, line + 7, n);
		st->nspids[n] = '\0';
		for (p = st->nspids; *p; p++)
			if (*p == '\t')
				*p = ',';
	}
}

void pst_status(const char *procdir, pid_t tgid, pid_t tid,
		struct pst_status *st)
{
	char path[128], line[512];
	FILE *f;

	memset(st, 0, sizeof(*st));
	snprintf(path, sizeof(path), "%s/%d/task/%d/status", procdir, tgid, tid);
	f = fopen(path, "re");
	if (!f)
		return;
	while (fgets(line, sizeof(line), f))
		pst_status_line(st, line);
	st->ok = !ferror(f) && st->state;
	fclose(f);
}

bool pst_wait_ppid(pid_t pid, pid_t ppid, int ms)
{
	struct timespec ts = { 0, 10 * 1000 * 1000 };
	struct pst_status st;

	for (; ms > 0; ms -= 10) {
		pst_status("/proc", pid, pid, &st);
		if (st.ok && st.ppid == ppid)
			return true;
		nanosleep(&ts, NULL);
	}
	return false;
}

void pst_unescape(const char *in, char *out, size_t outlen)
{
	size_t n = 0;

	while (*in && n + 1 < outlen) {
		if (in[0] == '\\' && in[1] >= '0' && in[1] <= '3' &&
		    in[2] >= '0' && in[2] <= '7' && in[3] >= '0' && in[3] <= '7') {
			out[n++] = (in[1] - '0') * 64 + (in[2] - '0') * 8 +
				   (in[3] - '0');
			in += 4;
		} else {
			out[n++] = *in++;
		}
	}
	out[n] = '\0';
}

bool pst_pidns_of(const char *procdir, pid_t tgid, pid_t tid,
		  unsigned long *inum)
{
	char path[256], link[64];
	ssize_t n;

	snprintf(path, sizeof(path), "%s/%d/task/%d/ns/pid", procdir, tgid, tid);
	n = readlink(path, link, sizeof(link) - 1);
	if (n < 0)
		return false;
	link[n] = '\0';
	return sscanf(link, "pid:[%lu]", inum) == 1;
}
