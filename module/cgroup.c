// SPDX-License-Identifier: GPL-2.0
/*
 * The cgroup column: which cgroup of the default (v2) hierarchy a reader
 * may learn about.
 *
 * A cgroup namespace hides the cgroups outside its root from the tasks in
 * it (/proc/PID/cgroup shows them as "/.."-relative paths or not at all).
 * The file does the same for its opener: a task whose cgroup is not the
 * opener's cgroup-namespace root or below it prints 0.  The root is taken
 * once, at open(), with a reference that release() drops, so ->show only
 * compares two pointers (cgroup_is_descendant(), an inline).  Like the pid
 * namespace and the credentials, it is the opener's: a descriptor passed
 * to another process shows what its opener would see.
 *
 * Built only with CONFIG_CGROUPS; pidns_tree.h has the stubs otherwise.
 */

#include <linux/cgroup.h>
#include <linux/nsproxy.h>
#include <linux/sched.h>

#include "pidns_tree.h"

/*
 * The root of the calling task's cgroup namespace on the default
 * hierarchy, referenced; NULL when it is the hierarchy's root (the initial
 * namespace, or one made there), for which nothing is hidden.  Only
 * current changes its own nsproxy, and its namespace holds root_cset,
 * which holds its cgroups: nothing here can go away while we look.
 */
struct cgroup *pidns_tree_cgroup_root(void)
{
	struct cgroup *root = current->nsproxy->cgroup_ns->root_cset->dfl_cgrp;

	if (!cgroup_parent(root))
		return NULL;
	css_get(&root->self);
	return root;
}

void pidns_tree_cgroup_put(struct cgroup *root)
{
	if (root)
		css_put(&root->self);
}
