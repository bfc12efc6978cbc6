/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * model.h - tasks -> processes, namespaces and the real-parent tree
 */
#ifndef PIDNS_TREE_MODEL_H
#define PIDNS_TREE_MODEL_H

#include <stdbool.h>
#include <stdint.h>

#include "container.h"
#include "parse.h"

/* PROC_PID_INIT_INO: the inode of the initial pid namespace */
#define PT_INIT_PID_NS	0xEFFFFFFCULL

/*
 * The tree view draws every level's lines in front of each name, so its
 * output grows with lines x depth: it refuses trees deeper than this.
 */
#define PT_MAX_DEPTH	4096

struct pt_ns {
	unsigned long long inode;
	unsigned int	level;
	size_t		line;		/* first line that names it */
	struct pt_task	*init;		/* its child_reaper, if visible */
	struct pt_ns	*parent;	/* inferred from the tree; may be NULL */
};

struct pt_gone;

/* A thread group: the leader and its threads, linked by next_thread. */
struct pt_proc {
	struct pt_task	*main;		/* the leader, or a thread if it is missing */
	struct pt_task	*threads;	/* every task of the group, in pid order */
	struct pt_task	*last_thread;
	unsigned int	nr_threads;
	bool		leader_missing;
	bool		selected;
	unsigned int	depth;		/* 0 for roots */
	struct pt_ns	*ns;
	struct pt_proc	*parent;	/* real parent; NULL for roots */
	struct pt_gone	*gone;		/* set if the real parent is not in the file */
	struct pt_proc	*child, *last_child, *next;
};

/* A real parent that is not in the snapshot: the root of its orphans. */
struct pt_gone {
	pid_t		ppid;
	struct pt_proc	*child, *last_child;
};

struct pt_hash {
	uint64_t	*keys;
	uint32_t	*vals;		/* index + 1; 0 is empty */
	size_t		mask;
};

struct pt_model {
	struct pt_snapshot snap;
	struct pt_proc	*procs;
	size_t		nr_procs;
	struct pt_proc	*roots, *last_root;	/* ppid 0 */
	struct pt_gone	*gone;
	size_t		nr_gone;
	struct pt_ns	*ns;
	size_t		nr_ns;
	struct pt_hash	task_hash;	/* pid -> tasks[] */
	struct pt_hash	proc_hash;	/* tgid -> procs[] */
	struct pt_hash	ns_hash;	/* inode -> ns[] */
	unsigned int	max_depth;
	struct pt_cgmap	cgmap;		/* cgroup id -> path (pt_cgmap_attach) */
	bool		labels;		/* cgmap attached: containers known */
};

/* Why find_new_reaper() in kernel/exit.c picks a reaper. */
enum pt_reaper_rule {
	PT_RULE_NS_DIES,	/* the exiting process is a namespace init */
	PT_RULE_SUBREAPER,	/* the nearest PR_SET_CHILD_SUBREAPER ancestor */
	PT_RULE_NS_INIT,	/* no subreaper: the namespace's child_reaper */
	PT_RULE_THREAD,		/* another live thread of the same process */
	PT_RULE_UNKNOWN,	/* the adopter fits no rule (any more) */
};

extern int pt_model_build(struct pt_model *m, struct pt_snapshot *s,
			  struct pt_error *e);
extern void pt_model_free(struct pt_model *m);
extern struct pt_task *pt_find_task(const struct pt_model *m, pid_t pid);
extern struct pt_proc *pt_find_proc(const struct pt_model *m, pid_t tgid);
extern struct pt_ns *pt_find_ns(const struct pt_model *m, unsigned long long ino);
extern int pt_select_pid(struct pt_model *m, pid_t pid, struct pt_error *e);
extern int pt_select_ns(struct pt_model *m, unsigned long long ino,
			struct pt_error *e);
extern void pt_select_procs(struct pt_model *m, const bool *in);

/* container.c */
/*
 * The processes of one container, or of one pod, and the processes below
 * them: @arg is a name, an id or a prefix of one, what the CONTAINER
 * column shows, or "pod NAMESPACE/NAME".  Ambiguous: an error that lists
 * the candidates.
 */
extern int pt_select_container(struct pt_model *m, const char *arg,
			       struct pt_error *e);
/* @c is the container @arg names (as --container takes it), or by a prefix. */
extern bool pt_ct_match(const struct pt_ct *c, const char *arg);
/* Ask the runtimes for names of @map's containers, @m read live. */
extern void pt_cgmap_names(struct pt_cgmap *map, const struct pt_model *m);
/* Take @map (emptied), link every task to its cgroup's entry. */
extern void pt_cgmap_attach(struct pt_model *m, struct pt_cgmap *map);
/* Labels from a snapshot's @map, or read here (@live), attached to @m. */
extern void pt_labels_find(struct pt_model *m, struct pt_cgmap *map,
			   const char *name, bool live, bool snapshot);
/* The container (or pod) the task is in, NULL if none or unknown. */
extern const struct pt_ct *pt_task_ct(const struct pt_task *t);
extern const struct pt_proc *pt_new_reaper(const struct pt_model *m,
					   const struct pt_proc *father,
					   enum pt_reaper_rule *rule);
extern enum pt_reaper_rule pt_adopter_rule(const struct pt_proc *q);
/*
 * A pre-order walk of a sibling list and everything below it, without
 * recursion (parent pointers lead back up): each process comes twice,
 * entering (*leave false, before its descendants) and leaving.
 */
struct pt_walk {
	const struct pt_proc	*cur, *first, *top;
	bool			leave;
};

extern void pt_walk_start(struct pt_walk *w, const struct pt_proc *first);
extern const struct pt_proc *pt_walk_next(struct pt_walk *w, bool *leave);
extern bool pt_is_subreaper(const struct pt_proc *p);
extern bool pt_is_init(const struct pt_proc *p);
/*
 * Entered its namespace from outside (docker exec, nsenter, kubectl exec,
 * a container joining another's namespace): its real parent is in another
 * namespace and it is not the namespace's init.
 */
extern bool pt_entered(const struct pt_proc *p);
extern bool pt_proc_alive(const struct pt_proc *p);

#endif /* PIDNS_TREE_MODEL_H */
