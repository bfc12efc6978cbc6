/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * watch.h - what changed between two snapshots, one record per change
 */
#ifndef PIDNS_TREE_WATCH_H
#define PIDNS_TREE_WATCH_H

#include <signal.h>
#include <stdio.h>

#include "model.h"

/* In the order pt_watch_diff() emits them; see its comment. */
enum pt_change_kind {
	PT_CH_START,		/* pid, first parent in a */
	PT_CH_SUBREAPER,	/* became a child subreaper */
	PT_CH_NOSUBREAPER,	/* stopped being one */
	PT_CH_TRACED,		/* tracer in a */
	PT_CH_UNTRACED,		/* former tracer in a */
	PT_CH_EXIT,
	PT_CH_ADOPTED,		/* from a (exited) to b, by rule */
};

/*
 * Names point into the two models' buffers: use the records before
 * freeing either model.  A NULL name is unknown ("?").
 */
struct pt_change {
	enum pt_change_kind	kind;
	pid_t			pid;
	const char		*comm;
	pid_t			a, b;	/* PT_ORIGIN_UNKNOWN: "?" */
	const char		*a_comm, *b_comm;
	enum pt_reaper_rule	rule;
};

struct pt_changes {
	struct pt_change	*v;
	size_t			n, cap;
};

extern void pt_watch_diff(const struct pt_model *prev,
			  const struct pt_model *cur, struct pt_changes *out);
extern void pt_change_print(const struct pt_change *c, FILE *out);
extern void pt_changes_free(struct pt_changes *c);

/*
 * --watch: @read_live reads the live file into a model (or exits); one
 * timestamped line per change every @interval seconds, until SIGINT or
 * SIGTERM.  Returns the exit status.
 */
extern int pt_watch_loop(double interval,
			 void (*read_live)(struct pt_model *m));

/*
 * Blocks SIGINT and SIGTERM into @sigs, for a watch that waits for them
 * (sigtimedwait(), signalfd()) and ends cleanly, exit status 0.
 */
extern void pt_watch_signals(sigset_t *sigs);

#endif /* PIDNS_TREE_WATCH_H */
