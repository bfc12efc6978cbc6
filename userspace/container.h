/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * container.h - which container a task is in, from its cgroup
 *
 * The cgroup column gives each task's cgroup id on the cgroup v2
 * hierarchy, the inode number of the cgroup's directory.  One walk of the
 * cgroup2 mount maps ids to paths (or a snapshot saved with --save carries
 * the map), and each path is recognised by the names container runtimes
 * give their cgroups.
 */
#ifndef PIDNS_TREE_CONTAINER_H
#define PIDNS_TREE_CONTAINER_H

#include <stdbool.h>
#include <stddef.h>

/* Test hook: a directory to walk instead of the cgroup2 mount. */
#define PT_CGROUP_MOUNT_ENV	"PIDNS_TREE_CGROUP_MOUNT"

#define PT_CT_ID_MAX	128	/* the longest id or name kept */
#define PT_CT_SHORT	12	/* a hex id is shown as its first 12 digits */

enum pt_ct_kind {
	PT_CT_NONE,		/* no container */
	PT_CT_CONTAINER,	/* a container's own cgroup, or below it */
	PT_CT_MONITOR,		/* its runtime's monitor (conmon, lxc monitor) */
	PT_CT_POD,		/* a Kubernetes pod's cgroup, no container */
};

struct pt_ct {
	enum pt_ct_kind	kind;
	const char	*runtime;	/* "docker", "podman", ... */
	char		id[PT_CT_ID_MAX + 1];	/* the full id, or the name */
	bool		hex;		/* id is a hex id (shown short) */
	char		pod[40];	/* the pod's uid, if in a pod */
	char		label[PT_CT_ID_MAX + 32];	/* "docker 36d649e82a2b" */
};

/*
 * Recognise the cgroup @path (as in /proc/PID/cgroup, from the hierarchy's
 * root): the innermost container cgroup in it, or its monitor's, or a pod.
 * Returns the kind, also in c->kind.
 */
extern enum pt_ct_kind pt_ct_from_path(const char *path, struct pt_ct *c);

/* One cgroup: its id and its path, and what it is. */
struct pt_cgroup {
	unsigned long long id;
	char		*path;
	struct pt_ct	ct;
};

/* The id -> path map, sorted by id. */
struct pt_cgmap {
	struct pt_cgroup *cg;
	size_t		n, alloc;
	char		*mount;		/* where it was read, or NULL */
	char		*missing;	/* why there is none, or NULL */
};

/* Add @id -> @path (copied); pt_cgmap_done() sorts and recognises. */
extern void pt_cgmap_add(struct pt_cgmap *m, unsigned long long id,
			 const char *path);
extern void pt_cgmap_done(struct pt_cgmap *m);
extern const struct pt_cgroup *pt_cgmap_find(const struct pt_cgmap *m,
					     unsigned long long id);
extern void pt_cgmap_free(struct pt_cgmap *m);

/*
 * Read the map from this machine: the cgroup2 mount of
 * /proc/self/mountinfo (or $PIDNS_TREE_CGROUP_MOUNT), walked once.
 * Returns 0, or -1 with m->missing saying why there is no map.
 */
extern int pt_cgmap_read(struct pt_cgmap *m);

#endif /* PIDNS_TREE_CONTAINER_H */
