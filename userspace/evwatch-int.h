/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * evwatch-int.h - inside --watch on the event stream: the model
 * (watch-events.c) and its lines (watch-print.c)
 */
#ifndef PIDNS_TREE_EVWATCH_INT_H
#define PIDNS_TREE_EVWATCH_INT_H

#include "evwatch.h"

#define REAPED_KEPT	1024	/* reaped processes still named */

/* A process, by its id. */
struct pt_evproc {
	unsigned long long id;		/* 0: a free slot */
	pid_t		pid;
	char		*comm;		/* NULL: unknown */
	pid_t		ppid;
	unsigned long long parent_id;
	unsigned long long cgroup;
	bool		has_ns;		/* pidns, level, nspid known */
	unsigned long long pidns;
	unsigned int	level;
	pid_t		nspid;		/* in its own namespace */
	bool		alive;		/* no exit yet */
	bool		tracked;	/* selected by --pid / --container */
};

struct pt_evwatch {
	struct pt_evwatch_opts o;
	struct pt_evproc *procs;
	size_t		mask, nr;
	unsigned long long seq_before;
	unsigned long long reaped[REAPED_KEPT];
	size_t		reaped_at;
	struct pt_cgmap	cgmap;
	bool		labels;
	unsigned long long *tried;	/* cgroups looked for in vain */
	size_t		nr_tried;
	long long	offset_us;	/* wall clock - CLOCK_MONOTONIC */
};

extern struct pt_evproc *pt_evp_find(const struct pt_evwatch *w,
				     unsigned long long id);
/* The container of @cgroup, NULL if none or unknown. */
extern const struct pt_ct *pt_evw_ct(struct pt_evwatch *w,
				     unsigned long long cgroup);
/* watch-print.c */
extern void pt_evw_clock(struct pt_evwatch *w);
extern int pt_evw_print(struct pt_evwatch *w, const struct pt_event *ev,
			const struct pt_evproc *p);
/* watch-stream.c: read the cgroup map again for @cgroup; true if found */
extern bool pt_evw_refresh(struct pt_evwatch *w, unsigned long long cgroup);

#endif /* PIDNS_TREE_EVWATCH_INT_H */
