/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * evwatch.h - --watch on the event stream: a model of the processes, by
 * id, that the events change, and one line (or JSON object) per event
 */
#ifndef PIDNS_TREE_EVWATCH_H
#define PIDNS_TREE_EVWATCH_H

#include <stdbool.h>
#include <stdio.h>

#include "events.h"
#include "model.h"

/* Test hook: wall clock minus CLOCK_MONOTONIC, in microseconds. */
#define PT_CLOCK_OFFSET_ENV	"PIDNS_TREE_CLOCK_OFFSET"

struct pt_evwatch_opts {
	bool		json;		/* one JSON object a line */
	pid_t		pid;		/* --pid: that process and below */
	const char	*container;	/* --container */
	bool		live;		/* the cgroup map may be read again */
	const char	*path;		/* the live stream's name, for messages */
	FILE		*out;
};

struct pt_evwatch;

/*
 * Seed the model from the snapshot @m (its cgroup map is taken), the
 * stream's header SEQ in @st.  NULL with @e set if --pid or --container
 * cannot be followed, or the snapshot does not fit the stream.
 */
extern struct pt_evwatch *pt_evwatch_new(struct pt_model *m,
					 const struct pt_evstream *st,
					 const struct pt_evwatch_opts *o,
					 struct pt_error *e);
/* Apply one event and print it if it is selected; -1 on a write error. */
extern int pt_evwatch_event(struct pt_evwatch *w, const struct pt_event *ev);
extern void pt_evwatch_free(struct pt_evwatch *w);

/*
 * watch-stream.c.  The live stream @fd, opened before @read_snapshot reads
 * /proc/pidns_tree into a model with its labels (or exits), until SIGINT
 * or SIGTERM: returns the exit status, or exits 1 on a malformed line, 2
 * if the stream ends (the module was unloaded).
 */
extern int pt_evwatch_live(int fd, void (*read_snapshot)(struct pt_model *m),
			   const struct pt_evwatch_opts *o);
/*
 * A saved stream, @path ("-": stdin), and the snapshot @m read after it
 * was opened: checked whole first (nothing is printed for a malformed
 * one), then each event applied and printed.  Returns the exit status.
 */
extern int pt_evwatch_replay(const char *path, struct pt_model *m,
			     const struct pt_evwatch_opts *o);

#endif /* PIDNS_TREE_EVWATCH_H */
