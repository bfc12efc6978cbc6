/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * events.h - read the lines of /proc/pidns_tree_events (format 1)
 */
#ifndef PIDNS_TREE_EVENTS_H
#define PIDNS_TREE_EVENTS_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "parse.h"

#define PT_EV_VERSION	1		/* the stream format read */
#define PT_EV_FILE	"/proc/pidns_tree_events"

enum pt_ev_kind {
	PT_EV_FORK,
	PT_EV_EXEC,
	PT_EV_EXIT,
	PT_EV_REAP,
	PT_EV_ADOPT,
	PT_EV_LOST,
	PT_EV_UNKNOWN,		/* an event this reader does not know: ignored */
};

enum pt_ev_ns {
	PT_EV_NS_SAME,		/* "-" */
	PT_EV_NS_NEW,		/* "new": the init of a new pid namespace */
	PT_EV_NS_JOIN,		/* "join": created in another pid namespace */
};

enum pt_ev_rule {
	PT_EV_RULE_UNKNOWN,	/* "?" */
	PT_EV_RULE_SUBREAPER,
	PT_EV_RULE_INIT,
};

/*
 * One line.  A PID is 0 outside the opener's namespace, an id 0 where the
 * module does not know it; PT_EV_UNKNOWN_PID and a false *_known stand
 * for the stream's '?' (reap's PPID alone is '?' when the parent is gone
 * too: then the parent is known by its id, with PT_EV_UNKNOWN_PID).  comm
 * points into the line, unescaped.
 */
#define PT_EV_UNKNOWN_PID	((pid_t)-1)

struct pt_event {
	enum pt_ev_kind	kind;
	const char	*name;		/* the EVENT field, as written */
	unsigned long long seq, usec;
	unsigned long long id;
	pid_t		pid;
	/* fork: the real parent; reap: the parent then; adopt: the new one */
	pid_t		ppid;
	unsigned long long parent_id;
	bool		parent_known;	/* reap, adopt: not '?' */
	/* fork */
	pid_t		caller;
	unsigned long long caller_id;
	unsigned int	level;
	pid_t		nspids[PT_MAX_LEVEL + 1];
	enum pt_ev_ns	ns;
	/* fork, exec */
	unsigned long long cgroup;
	const char	*comm;
	/* fork: its pid namespace; adopt: the new parent's (0 if '?') */
	unsigned long long pidns;
	/* exit */
	unsigned int	status;
	/* adopt */
	pid_t		old_ppid;
	unsigned long long old_id;
	enum pt_ev_rule	rule;
	/* lost */
	unsigned long long lost;
};

struct pt_evstream {
	unsigned int	version;
	unsigned long long seq;		/* the header's, then the last line's */
	size_t		line;		/* lines read, the header included */
};

/*
 * "# pidns_tree_events 1 SEQ": 0, or -1 with @e set.  @s is @n bytes
 * without the newline.
 */
extern int pt_ev_header(struct pt_evstream *st, char *s, size_t n,
			struct pt_error *e);
/*
 * One event line, without its newline, changed in place (comm is
 * unescaped where it lies and NUL-terminated: s[n] must be writable).
 * Returns 0, or -1 with @e naming the line.
 */
extern int pt_ev_parse(struct pt_evstream *st, char *s, size_t n,
		       struct pt_event *ev, struct pt_error *e);

#endif /* PIDNS_TREE_EVENTS_H */
