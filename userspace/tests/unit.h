/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * unit.h - what the unit tests' files share (unit.c has main())
 */
#ifndef PIDNS_TREE_UNIT_H
#define PIDNS_TREE_UNIT_H

#include <stdbool.h>
#include <stdio.h>

#include "model.h"

/* A module without the first-parent and cgroup columns; then today's. */
#define HDR "# pidns_tree 1 pid tgid ppid parent tracer sub reaper pidns " \
	    "level nspids state init comm\n"
#define HDR_FULL "# pidns_tree 1 pid tgid ppid parent tracer sub reaper " \
	    "pidns level nspids state init origin origin_comm adopted cgroup " \
	    "comm\n"
/* Format 2: the id column, the seq_before and seq_after lines. */
#define HDR2 "# pidns_tree 2 pid tgid ppid parent tracer sub reaper " \
	    "pidns level nspids state init origin origin_comm adopted cgroup " \
	    "id comm\n"
#define HOST "4026531836"

extern bool ok;

#define CHECK(cond) do {						\
	if (!(cond)) {							\
		printf("#   %s:%d: failed: %s\n", __FILE__, __LINE__, #cond); \
		ok = false;						\
	}								\
} while (0)

/* Parse and build @text; returns the rc, the model and the error. */
extern int load(const char *text, struct pt_model *m, struct pt_error *e);
/* Expect @text to fail on @line with a message containing @msg. */
extern void bad(const char *text, size_t line, const char *msg);

extern void test_format2(void);
extern void test_events(void);

#endif /* PIDNS_TREE_UNIT_H */
