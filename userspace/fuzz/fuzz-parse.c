// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * fuzz-parse.c - libFuzzer target: snapshots, parser, model, selections
 * and every view
 *
 * Any input must either fail with a message (and a line number for parse
 * errors) or go through every view without a crash, leak or UB report.
 */
#include <locale.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pidns-tree.h"

static FILE *devnull;

/* The tree and the list of libsmartcols and JSON, and DOT. */
static void views(struct pt_model *m, struct pt_opts *o)
{
	struct pt_error e;
	int i;

	for (i = 0; i < 2; i++) {
		o->tree = i == 0;
		pt_view_scols(m, o, devnull, &e);
		pt_view_json(m, o, devnull, &e);
	}
	pt_view_dot(m, o, devnull, &e);
}

static void exercise(struct pt_model *m, uint8_t flags)
{
	struct pt_opts o = {
		.threads = flags & 1, .ascii = flags & 2, .colors = flags & 4,
		.raw = flags & 8, .noheadings = flags & 16, .pairs = flags & 64,
		.width = flags & 128 ? 40 : 0, .sort = flags % PT_NR_COLUMNS,
		.nr_columns = PT_NR_COLUMNS,
	};
	const struct pt_task *t;
	struct pt_error e;
	int i;

	/* every column, the tree's COMMAND first */
	o.columns[0] = PT_COL_COMMAND;
	for (i = 0; i < PT_NR_COLUMNS; i++)
		if (i != PT_COL_COMMAND)
			o.columns[i + (i < PT_COL_COMMAND)] = i;
	/* libsmartcols encodes differently in a UTF-8 locale */
	setlocale(LC_ALL, flags & 32 ? "C.UTF-8" : "C");
	views(m, &o);
	if (!m->snap.nr_tasks)
		return;
	t = &m->snap.tasks[m->snap.nr_tasks / 2];
	if (pt_explain(m, t->pid, false, devnull, &e))
		__builtin_trap();
	if (pt_select_pid(m, t->pid, &e))
		__builtin_trap();
	views(m, &o);
	if (pt_select_ns(m, t->pidns, &e))
		__builtin_trap();
	views(m, &o);
	if (pt_task_ct(t) && pt_select_container(m, pt_task_ct(t)->id, &e) &&
	    !strstr(e.msg, "ambiguous"))
		__builtin_trap();
	views(m, &o);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *buf = malloc(size + 1);
	struct pt_cgmap map = { 0 };
	struct pt_snapshot s;
	size_t len = size, lines;
	struct pt_model m;
	struct pt_error e;

	if (!devnull)
		devnull = fopen("/dev/null", "w");
	memcpy(buf, data, size);
	buf[size] = '\0';
	if (pt_snapshot_split(buf, &len, &map, &lines, &e) < 0) {
		pt_cgmap_free(&map);
		free(buf);
		if (!e.msg[0] || !e.line)
			__builtin_trap();
		return 0;
	}
	if (pt_parse(&s, buf, len, &e)) {
		pt_cgmap_free(&map);
		pt_snapshot_free(&s);
		if (!e.msg[0] || !e.line)
			__builtin_trap();
		return 0;
	}
	if (pt_model_build(&m, &s, &e) == 0) {
		pt_cgmap_attach(&m, &map);
		exercise(&m, size ? data[size - 1] : 0);
	} else if (!e.msg[0]) {
		__builtin_trap();
	}
	pt_cgmap_free(&map);
	pt_model_free(&m);
	return 0;
}
