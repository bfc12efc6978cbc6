// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * view-scols.c - the tree and the list, laid out as libsmartcols does
 *
 * The tree: one line per process under its real parent (threads folded
 * unless --threads), drawn in the COMMAND column (SCOLS_FL_TREE), which
 * comes first.  A pseudo line "[pidns INODE level N]" is inserted where a
 * child lives in another pid namespace than the line above it (with the
 * container of that child, if it is in one: "[pidns INODE level N,
 * docker 36d649e82a2b]"), and
 * processes whose real parent is not in the snapshot hang under
 * "[parent PID gone]".  The list: one line per task, in file order or
 * sorted.  The lines go to a table (table.c), which prints them itself
 * where libsmartcols would print the cells as they are, and otherwise
 * hands them to libsmartcols: --raw, --pairs, colours and fitting the
 * lines to the terminal (or --width) are its.
 */
#include <err.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <libsmartcols.h>

#include "pidns-tree.h"
#include "table.h"
#include "xalloc.h"

struct view {
	const struct pt_model	*m;
	const struct pt_opts	*o;
	struct pt_table		*t;
	struct pt_cellctx	cx;
	size_t			*widest_label;	/* of the labels in NOTES */
};

/* A shown process whose children are being added (or the top). */
struct level {
	size_t			ln;	/* PT_TOP_LINE at the top */
	const struct pt_ns	*ns;	/* NULL at the top */
	size_t			nsl;	/* its last [pidns] line */
	const struct pt_ns	*nsl_ns;
};

/*
 * Names are escaped here, as every view does it (escape.c); --raw and
 * --pairs are libsmartcols' machine formats, which it encodes itself
 * (\xHH, as lsblk -r and -P, decoded by eval).
 */
static void set_cell(const struct view *v, size_t ln,
		     size_t j, const char *data, const char *color)
{
	char *buf = NULL;
	size_t sz = 0;

	if (!data || !*data)
		return;
	if (!v->o->raw && !v->o->pairs)
		data = pt_escaped(data, PT_ESC_TEXT, &buf, &sz);
	pt_table_set(v->t, ln, j, data, v->o->colors ? color : NULL);
	free(buf);
}

static size_t task_line(const struct view *v, size_t up,
			const struct pt_task *t)
{
	size_t ln = pt_table_add_line(v->t, up);
	const char *color = v->o->colors ? pt_task_color(t) : NULL;
	char buf[PT_PIDS_BUFSZ];
	struct pt_value val;
	size_t j;

	for (j = 0; j < v->o->nr_columns; j++) {
		int col = v->o->columns[j];

		pt_cell_value(&v->cx, t, col, &val);
		set_cell(v, ln, j, pt_value_text(&val, buf, sizeof(buf)),
			 col == PT_COL_COMMAND || col == PT_COL_COMM ?
			 color : NULL);
	}
	return ln;
}

/* A line with only a COMMAND (the tree's first column). */
static size_t marker_line(const struct view *v, size_t up,
			  const char *name, const char *color)
{
	size_t ln = pt_table_add_line(v->t, up);

	set_cell(v, ln, 0, name, color);
	return ln;
}

/* The position of column @col in the output, or -1. */
static int shown_column(const struct view *v, int col)
{
	size_t j;

	for (j = 0; j < v->o->nr_columns; j++)
		if (v->o->columns[j] == col)
			return (int)j;
	return -1;
}

/*
 * Where @p enters namespace @ns; with @p's container, if it has one: in
 * NOTES (or CONTAINER) where one is shown, which start where the tree
 * ends and are not cut first, else after the namespace.
 */
static size_t ns_line(const struct view *v, size_t up,
		      const struct pt_ns *ns, const struct pt_proc *p)
{
	const struct pt_ct *ct = pt_task_ct(p->main);
	int at = shown_column(v, PT_COL_NOTES);
	char name[64 + sizeof(ct->label)];
	size_t ln;

	if (at < 0)
		at = shown_column(v, PT_COL_CONTAINER);
	if (ct && at <= 0)
		snprintf(name, sizeof(name), "[pidns %llu level %u, %s]",
			 ns->inode, ns->level, ct->label);
	else
		snprintf(name, sizeof(name), "[pidns %llu level %u]",
			 ns->inode, ns->level);
	ln = marker_line(v, up, name, "cyan");
	if (ct && at > 0) {
		set_cell(v, ln, (size_t)at, ct->label, "cyan");
		if (strlen(ct->label) > *v->widest_label)
			*v->widest_label = strlen(ct->label);
	}
	return ln;
}

/* The width libsmartcols fits a terminal's lines to (its get_terminal_width()). */
static size_t term_width(const struct pt_opts *o)
{
	struct winsize ws;
	const char *env = getenv("COLUMNS");

	if (o->width)
		return o->width;
	if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col)
		return ws.ws_col;
	if (env && atoi(env) > 0)
		return (size_t)atoi(env);
	return 80;
}

/*
 * The container's label is the key fact of a namespace line: when the
 * lines are too wide, let the column holding the labels give way only
 * after the others, down to the widest label (and at most to half the
 * width: libsmartcols first cuts the columns wider than their hint).
 */
static void keep_labels(const struct view *v, size_t widest)
{
	int at = shown_column(v, PT_COL_NOTES);
	struct pt_tcol *c;
	double hint;

	if (at < 0)
		at = shown_column(v, PT_COL_CONTAINER);
	if (at <= 0 || !widest)
		return;
	c = pt_table_column(v->t, (size_t)at);
	hint = (double)(widest + 1) / (double)term_width(v->o);
	if (hint > 0.5)
		hint = 0.5;
	if (hint > c->whint)
		c->whint = hint;
}

/*
 * Add the processes of the sibling list @first and below, without recursion.
 * Unselected processes are skipped, their selected descendants move up.
 * Consecutive children of one line entering the same namespace share one
 * namespace line (not if they come from different hidden processes).  @g:
 * the orphans of a gone parent, under one line.
 */
static void add_procs(const struct view *v, const struct pt_proc *first,
		      const struct pt_gone *g, struct level *lv)
{
	const struct pt_proc *p;
	struct pt_walk w;
	size_t n = 1;
	bool leave;

	lv[0] = (struct level){ .ln = PT_TOP_LINE, .nsl = PT_TOP_LINE };
	pt_walk_start(&w, first);
	while ((p = pt_walk_next(&w, &leave))) {
		struct level *up = &lv[n - 1];
		size_t parent = up->ln, ln;
		const struct pt_task *t;

		if (!p->selected) {
			/* children of different hidden parents: own ns lines */
			up->nsl_ns = NULL;
			continue;
		}
		if (leave) {
			n--;
			continue;
		}
		if (g && lv[0].ln == PT_TOP_LINE) {
			char name[48];

			snprintf(name, sizeof(name), "[parent %d gone]",
				 (int)g->ppid);
			lv[0].ln = parent = marker_line(v, PT_TOP_LINE, name, "red");
		}
		if (up->ns ? p->ns != up->ns : p->ns->level > 0) {
			if (up->nsl_ns != p->ns) {
				up->nsl = ns_line(v, up->ln, p->ns, p);
				up->nsl_ns = p->ns;
			}
			parent = up->nsl;
		}
		ln = task_line(v, parent, p->main);
		if (v->o->threads)
			for (t = p->threads; t; t = t->next_thread)
				if (t != p->main)
					task_line(v, ln, t);
		lv[n++] = (struct level){ .ln = ln, .ns = p->ns };
	}
}

static void add_tree(const struct view *v)
{
	/* shown depth <= max_depth + 1 < PT_MAX_DEPTH + 1, plus the top */
	struct level *lv = xcalloc(PT_MAX_DEPTH + 2, sizeof(*lv));
	size_t i;

	add_procs(v, v->m->roots, NULL, lv);
	for (i = 0; i < v->m->nr_gone; i++)
		add_procs(v, v->m->gone[i].child, &v->m->gone[i], lv);
	free(lv);
}

static void add_list(const struct view *v)
{
	size_t i, n;
	const struct pt_task **tasks = pt_list_tasks(v->m, v->o, &n);

	for (i = 0; i < n; i++)
		task_line(v, PT_TOP_LINE, tasks[i]);
	free(tasks);
}

/* The columns as libsmartcols is told of them (and print_plain() follows). */
static struct pt_table *new_table(const struct pt_opts *o)
{
	struct pt_table *t = pt_table_new(o->nr_columns);
	size_t j;

	for (j = 0; j < o->nr_columns; j++) {
		int col = o->columns[j];
		const struct pt_colinfo *ci = &pt_columns[col];
		struct pt_tcol *c = pt_table_column(t, j);

		*c = (struct pt_tcol){ ci->header, ci->whint, ci->flags };
		/* main.c puts COMMAND first in the tree */
		if (o->tree && j == 0)
			c->flags |= SCOLS_FL_TREE;
		/* "79200 [30]": the PIDs below are in brackets in the tree */
		if (o->tree && col == PT_COL_PID) {
			c->flags &= ~SCOLS_FL_RIGHT;
			c->whint = 7;
		}
		if (o->notruncate)
			c->flags &= ~SCOLS_FL_TRUNC;
	}
	return t;
}

/*
 * Whether libsmartcols would print the cells as they are (table.c): not
 * fitted to a terminal (it asks about stdout), not coloured, not --raw or
 * --pairs.  PIDNS_TREE_PRINTER=libsmartcols always has it print them.
 */
static bool plain_output(const struct pt_opts *o)
{
	const char *printer = getenv("PIDNS_TREE_PRINTER");

	if (printer && !strcmp(printer, "libsmartcols"))
		return false;
	return !o->width && !o->colors && !o->raw && !o->pairs &&
	       !isatty(STDOUT_FILENO);
}

/* The tree view draws every level: its output grows with lines x depth. */
int pt_check_depth(const struct pt_model *m, struct pt_error *e)
{
	if (m->max_depth < PT_MAX_DEPTH)
		return 0;
	pt_seterr(e, 0, "the process tree is %u levels deep; the tree view shows at most %d (try --list, --json or --dot)",
		  m->max_depth + 1, PT_MAX_DEPTH);
	return -1;
}

int pt_view_scols(const struct pt_model *m, const struct pt_opts *o,
		  FILE *out, struct pt_error *e)
{
	size_t widest_label = 0;
	struct view v = {
		.m = m, .o = o,
		.cx = { .m = m, .tree = o->tree, .folded = o->tree && !o->threads },
		.widest_label = &widest_label,
	};
	struct libscols_table *tb;
	int rc;

	if (o->tree && pt_check_depth(m, e))
		return -1;
	v.t = new_table(o);
	if (o->tree) {
		add_tree(&v);
		keep_labels(&v, widest_label);
	} else {
		add_list(&v);
	}
	tb = scols_new_table();
	if (!tb)
		err(EXIT_FAILURE, "cannot allocate a table");
	scols_table_set_stream(tb, out);
	scols_table_enable_ascii(tb, o->ascii);
	scols_table_enable_colors(tb, o->colors);
	scols_table_enable_noheadings(tb, o->noheadings);
	scols_table_enable_raw(tb, o->raw);
	scols_table_enable_export(tb, o->pairs);
	if (o->width) {
		scols_table_set_termforce(tb, SCOLS_TERMFORCE_ALWAYS);
		scols_table_set_termwidth(tb, o->width);
	}
	rc = pt_table_print(v.t, tb, plain_output(o), out);
	scols_unref_table(tb);
	pt_table_free(v.t);
	if (rc) {
		pt_seterr(e, 0, "cannot print the table");
		return -1;
	}
	return 0;
}
