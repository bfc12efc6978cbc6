/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The walk over every task by pid number (iter.c): the seq_file ->start,
 * ->next and ->stop of /proc/pidns_tree, shared with the benchmark's floor
 * module (tools/bench/floor/) so that the baseline walks exactly as the
 * module does.
 *
 * Position 0 yields SEQ_START_TOKEN (the header).  Any other position
 * yields a referenced task whose pid in the reader's namespace was *pos
 * when it was found; ->next and ->stop drop that reference.
 */
#ifndef PIDNS_TREE_ITER_H
#define PIDNS_TREE_ITER_H

#include <linux/seq_file.h>
#include <linux/threads.h>
#include <linux/types.h>

struct pid_namespace;

/* Past the largest pid any namespace can hand out: the end of the walk. */
#define PIDNS_TREE_POS_END	((loff_t)PID_MAX_LIMIT + 1)

struct pid_namespace *pidns_tree_iter_ns(struct seq_file *m);
void *pidns_tree_iter_start(struct seq_file *m, loff_t *pos);
void *pidns_tree_iter_next(struct seq_file *m, void *v, loff_t *pos);
void pidns_tree_iter_stop(struct seq_file *m, void *v);

#endif /* PIDNS_TREE_ITER_H */
