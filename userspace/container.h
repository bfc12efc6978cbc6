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
#include <stdio.h>

/* Test hook: a directory to walk instead of the cgroup2 mount. */
#define PT_CGROUP_MOUNT_ENV	"PIDNS_TREE_CGROUP_MOUNT"
/* Test hook: a directory standing for / where runtimes keep their state. */
#define PT_RUNTIME_ROOT_ENV	"PIDNS_TREE_RUNTIME_ROOT"

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
	char		pod[65];	/* the pod's uid (podman: id), if in a pod */
	const char	*pod_runtime;	/* "k8s" or "podman" */
	const struct pt_ctname *name;	/* what the runtime calls it, or NULL */
	char		label[3 * PT_CT_ID_MAX + 64];	/* "docker demo (36d649e82a2b)" */
};

/*
 * What a runtime calls a container (or a pod, by its uid): a name, and
 * for Kubernetes the pod's namespace and name (the name is then the
 * container's name in the pod, empty for the pod's sandbox).
 */
struct pt_ctname {
	char		*id;		/* the full id, or a pod's uid */
	char		*runtime;	/* who named it ("docker"), or NULL */
	char		*name;
	char		*pod_ns, *pod_name;	/* Kubernetes, or NULL */
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
	bool		used;		/* a task of the file is in it */
};

/* The id -> path map, sorted by id. */
struct pt_cgmap {
	struct pt_cgroup *cg;
	size_t		n, alloc;
	char		*mount;		/* where it was read, or NULL */
	char		*missing;	/* why there is none, or NULL */
	struct pt_ctname *names;	/* sorted by id (pt_cgmap_done) */
	size_t		nr_names, alloc_names;
	char		*unnamed;	/* why names are missing, or NULL */
};

/* Add @id -> @path (copied); pt_cgmap_done() sorts and recognises. */
extern void pt_cgmap_add(struct pt_cgmap *m, unsigned long long id,
			 const char *path);
extern void pt_cgmap_done(struct pt_cgmap *m);
extern const struct pt_cgroup *pt_cgmap_find(const struct pt_cgmap *m,
					     unsigned long long id);
extern void pt_cgmap_free(struct pt_cgmap *m);

/*
 * Name the container (or pod uid) @id; strings copied, NULL for none.
 * The first name given for an id stays.
 */
extern void pt_cgmap_name(struct pt_cgmap *m, const char *id,
			  const char *runtime, const char *name,
			  const char *pod_ns, const char *pod_name);
/* Link each cgroup to its container's name, and label it again. */
extern void pt_cgmap_label(struct pt_cgmap *m);
/* The label of @c (and c->name), as pt_ct_from_path() gives it. */
extern void pt_ct_set_label(struct pt_ct *c);

/*
 * Names in a --save snapshot, one line per name before the file part:
 *   ctname ID RUNTIME NAME POD_NAMESPACE POD_NAME
 * each field escaped as the snapshot escapes paths (\ooo), "-" if empty.
 * pt_cgmap_name_line() takes the text after "ctname ", NUL-terminated
 * (changed in place); returns 0, or -1 if it is malformed.
 */
#define PT_CTNAME_KEY	"ctname "
extern void pt_cgmap_write_names(const struct pt_cgmap *m, FILE *f);
extern int pt_cgmap_name_line(struct pt_cgmap *m, char *s);

/*
 * Ask the runtimes for names of the containers in @m (runtime.c): the
 * Docker Engine API, conmon's arguments (@conmon: pids of conmon
 * processes), the OCI bundles of containerd (where containerd keeps them,
 * and where its shims, @shims, run) and CRI-O.  Sets m->unnamed to the
 * first reason a name could not be had.
 */
extern void pt_ctnames_read(struct pt_cgmap *m, const int *conmon, size_t n,
			    const int *shims, size_t nr_shims);

/*
 * Read the map from this machine: the cgroup2 mount of
 * /proc/self/mountinfo (or $PIDNS_TREE_CGROUP_MOUNT), walked once.
 * Returns 0, or -1 with m->missing saying why there is no map.
 */
extern int pt_cgmap_read(struct pt_cgmap *m);

#endif /* PIDNS_TREE_CONTAINER_H */
