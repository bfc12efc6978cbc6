/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * explain.h - what explain.c collects and explain-prose.c and
 * explain-json.c render: the facts of one --explain, once.
 */
#ifndef PIDNS_TREE_EXPLAIN_H
#define PIDNS_TREE_EXPLAIN_H

#include <stdio.h>

#include "pidns-tree.h"

#define WRAP	76

/* How the task got its real parent. */
enum how {
	HOW_NO_COLUMN,		/* the input has no origin column */
	HOW_UNKNOWN,		/* older than the module: '?' */
	HOW_FORKED,		/* its first parent, still its real parent */
	HOW_THREAD,		/* a thread: created by a thread of its process */
	HOW_ADOPTED,		/* its first parent exited; adopted */
};

/* Where the real parent is. */
enum parent_case {
	PARENT_IDLE,		/* PID 1 and kthreadd: the idle task */
	PARENT_ABOVE,		/* ppid 0: in a namespace above yours */
	PARENT_LISTED,
	PARENT_NOT_LISTED,	/* exited, or hidden from you (hidepid=) */
};

/* What happens to the children of a process that exits. */
enum fate {
	FATE_NOBODY,		/* the parent is the idle task: never exits */
	FATE_PANIC,		/* the host's init: the kernel panics */
	FATE_NS_DIES,		/* a namespace init: zap_pid_ns_processes() */
	FATE_ADOPTED,		/* by a process listed here */
	FATE_OUTSIDE,		/* by a process outside your namespace */
	FATE_UNKNOWN,		/* the parent is not listed */
};

/* Who adopts (or adopted) the orphans of one exiting process, and why. */
struct adoption {
	enum fate		fate;
	pid_t			pid;	/* the adopter; 0 if not known */
	const struct pt_proc	*by;	/* the adopter, if listed */
	const struct pt_ns	*ns;	/* the exiting process's namespace */
	enum pt_reaper_rule	rule;	/* PT_RULE_SUBREAPER, _NS_INIT, _UNKNOWN */
	bool			no_flag; /* no has_child_subreaper: no search */
	const struct pt_proc	*beyond; /* a subreaper past the ns boundary */
};

struct explanation {
	const struct pt_model	*m;
	const struct pt_task	*t;
	const struct pt_proc	*p;
	/* identity */
	const struct pt_ns	*ns;
	const struct pt_ns	*chain[PT_MAX_LEVEL + 1];	/* [i]: level - i */
	bool			thread, init, zombie, host;	/* host: your ns is the initial one */
	/* container, as container.h labels it */
	const struct pt_cgroup	*cg;
	/* real parent, and how it became that */
	enum parent_case	parent_case;
	const struct pt_proc	*parent;
	bool			entered;	/* parent in another ns, not its init */
	enum how		how;
	pid_t			origin;
	const char		*origin_comm;
	bool			origin_reused;	/* the number is a later process's */
	struct adoption		took;		/* HOW_ADOPTED: who took it */
	/* tracer */
	pid_t			tracer;
	/* if the real parent's process exited */
	struct adoption		next;
	/* if its own process exited */
	unsigned int		nr_children;
	struct adoption		kids;
	pid_t			kids_file;	/* the children's reaper column */
};

/* The initial pid namespace, the host's. */
static inline bool pt_host_ns(const struct pt_ns *ns)
{
	return ns && ns->inode == PT_INIT_PID_NS;
}

/* Names the kernel gives, explained where a person reads them. */
enum { NOTE_MEMFD = 1, NOTE_RUNC = 2 };
extern unsigned int pt_explain_kernel_name(const char *comm);
extern const char *const pt_explain_note[];

extern void pt_explain_prose(const struct explanation *e, FILE *out);
extern int pt_explain_json(const struct explanation *e, FILE *out);

#endif /* PIDNS_TREE_EXPLAIN_H */
