// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * table.c - the lines of the tree and the list, and their printing
 *
 * The views put their lines here; they are printed by libsmartcols, or,
 * where its output is known to be a plain copy of the cells, here.
 *
 * libsmartcols computes the width of every cell, twice, with mbrtowc()
 * and wcwidth() for each byte, and pads with one fputs() per space: with
 * 10,000 tasks that is two thirds of the reader's time.  Where nothing is
 * fitted to a terminal (not a terminal, no --width), nothing is coloured,
 * the output is the human one (not --raw or --pairs) and every cell is
 * printable ASCII (nothing for libsmartcols to encode as \xHH), its output
 * is fixed by simple rules, libsmartcols 2.38's, which print_plain()
 * follows whatever the version (2.40 leaves out the heading's width with
 * --noheadings; a later one the absolute hint of a column exactly as wide
 * as its heading):
 *
 * - a column is as wide as its widest cell, tree art included, or its
 *   heading, if that is wider; else as its absolute width hint (>= 1), if
 *   that is wider still;
 * - cells are padded with spaces to the width, on the left in a
 *   right-aligned column, and separated by one space; the last column is
 *   not padded on the right;
 * - the tree column starts with two characters per level: "|-" or "`-"
 *   ("├─", "└─" in a UTF-8 locale) for the line itself, after "| " ("│ ")
 *   or "  " for each of its ancestors below the top, whether that one has
 *   a sibling after it or not;
 * - the heading line is printed if asked for and there is a line.
 *
 * With libsmartcols 2.38, tests/run-tests.sh prints every golden view a
 * second time through it (PIDNS_TREE_PRINTER=libsmartcols) and compares.
 */
#include <err.h>
#include <langinfo.h>
#include <stdlib.h>
#include <string.h>

#include <libsmartcols.h>

#include "table.h"
#include "xalloc.h"

struct tline {
	size_t		parent;
	size_t		first_child, last_child, next;	/* PT_TOP_LINE: none */
	unsigned int	depth;
};

/* The cells' text, in blocks that never move. */
struct block {
	struct block	*prev;
	size_t		used, size;
	char		data[];
};

struct pt_table {
	struct pt_tcol	*cols;
	size_t		nr_cols;
	struct tline	*lines;
	size_t		nr_lines, alloc_lines;
	unsigned int	max_depth;
	size_t		first_top, last_top;
	const char	**cells;	/* nr_lines x nr_cols, NULL: empty */
	const char	**colors;	/* the same, allocated with a first colour */
	struct block	*text;
	bool		printable;	/* every cell printable ASCII, no "\x" */
};

/* A table of @nr_cols columns, to be described with pt_table_column(). */
struct pt_table *pt_table_new(size_t nr_cols)
{
	struct pt_table *t = xcalloc(1, sizeof(*t));

	t->cols = xcalloc(nr_cols, sizeof(*t->cols));
	t->nr_cols = nr_cols;
	t->first_top = t->last_top = PT_TOP_LINE;
	t->printable = true;
	return t;
}

void pt_table_free(struct pt_table *t)
{
	struct block *b, *prev;

	if (!t)
		return;
	for (b = t->text; b; b = prev) {
		prev = b->prev;
		free(b);
	}
	free(t->cols);
	free(t->lines);
	free(t->cells);
	free(t->colors);
	free(t);
}

struct pt_tcol *pt_table_column(struct pt_table *t, size_t col)
{
	return &t->cols[col];
}

size_t pt_table_add_line(struct pt_table *t, size_t parent)
{
	size_t n = t->nr_lines, *first, *last;
	struct tline *ln;

	if (n == t->alloc_lines) {
		t->alloc_lines = n ? 2 * n : 256;
		t->lines = xreallocarray(t->lines, t->alloc_lines, sizeof(*t->lines));
		t->cells = xreallocarray(t->cells, t->alloc_lines * t->nr_cols,
					 sizeof(*t->cells));
		if (t->colors)
			t->colors = xreallocarray(t->colors, t->alloc_lines * t->nr_cols,
						  sizeof(*t->colors));
	}
	memset(&t->cells[n * t->nr_cols], 0, t->nr_cols * sizeof(*t->cells));
	if (t->colors)
		memset(&t->colors[n * t->nr_cols], 0, t->nr_cols * sizeof(*t->colors));
	ln = &t->lines[n];
	*ln = (struct tline){ .parent = parent, .first_child = PT_TOP_LINE,
			      .last_child = PT_TOP_LINE, .next = PT_TOP_LINE };
	if (parent == PT_TOP_LINE) {
		first = &t->first_top;
		last = &t->last_top;
	} else {
		ln->depth = t->lines[parent].depth + 1;
		if (ln->depth > t->max_depth)
			t->max_depth = ln->depth;
		first = &t->lines[parent].first_child;
		last = &t->lines[parent].last_child;
	}
	if (*last == PT_TOP_LINE)
		*first = n;
	else
		t->lines[*last].next = n;
	*last = n;
	return t->nr_lines++;
}

static char *save_text(struct pt_table *t, const char *s, size_t n)
{
	struct block *b = t->text;
	char *p;

	if (!b || b->size - b->used < n + 1) {
		size_t size = n + 1 > 65536 ? n + 1 : 65536;

		b = xmalloc(sizeof(*b) + size);
		b->prev = t->text;
		b->used = 0;
		b->size = size;
		t->text = b;
	}
	p = b->data + b->used;
	memcpy(p, s, n + 1);
	b->used += n + 1;
	return p;
}

/* Would libsmartcols print @s as it is?  Not "\x": it encodes that '\'. */
static bool is_plain(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if ((unsigned char)s[i] < 0x20 || (unsigned char)s[i] > 0x7e ||
		    (s[i] == '\\' && s[i + 1] == 'x'))
			return false;
	return true;
}

void pt_table_set(struct pt_table *t, size_t line, size_t col,
		  const char *data, const char *color)
{
	size_t n = strlen(data), at = line * t->nr_cols + col;

	if (t->printable && !is_plain(data, n))
		t->printable = false;
	t->cells[at] = save_text(t, data, n);
	if (!color)
		return;
	if (!t->colors)
		t->colors = xcalloc(t->alloc_lines * t->nr_cols, sizeof(*t->colors));
	t->colors[at] = color;
}

/* libsmartcols' tree, in the order of a depth-first walk. */
static size_t next_line(const struct pt_table *t, size_t i)
{
	const struct tline *ln = &t->lines[i];

	if (ln->first_child != PT_TOP_LINE)
		return ln->first_child;
	for (; i != PT_TOP_LINE; i = t->lines[i].parent)
		if (t->lines[i].next != PT_TOP_LINE)
			return t->lines[i].next;
	return PT_TOP_LINE;
}

static size_t column_width(const struct pt_table *t, size_t col, bool tree)
{
	const struct pt_tcol *c = &t->cols[col];
	size_t min = strlen(c->header), w = 0, i;

	for (i = 0; i < t->nr_lines; i++) {
		const char *s = t->cells[i * t->nr_cols + col];
		size_t n = (s ? strlen(s) : 0) + (tree ? 2 * t->lines[i].depth : 0);

		if (n > w)
			w = n;
	}
	if (w < min)
		return min;
	if (c->whint >= 1 && w < (size_t)c->whint && min < (size_t)c->whint)
		return (size_t)c->whint;
	return w;
}

static void pad(FILE *out, size_t n)
{
	static const char spaces[] = "                                ";

	for (; n > sizeof(spaces) - 1; n -= sizeof(spaces) - 1)
		fwrite(spaces, 1, sizeof(spaces) - 1, out);
	fwrite(spaces, 1, n, out);
}

static void put_cell(FILE *out, const char *s, size_t len, size_t width,
		     bool right, bool last)
{
	if (right && len < width && *s) {
		pad(out, width - len);
		len = width;
	}
	fputs(s, out);
	if (last)
		return;
	if (len < width)
		pad(out, width - len);
	fputc(' ', out);
}

/*
 * The tree art of line @i at depth d > 0: for each ancestor at depth 1 to
 * d - 1, "| " if it has a sibling after it, else "  "; then "|-", or "`-"
 * for a last child.  @more[k]: the line last seen at depth k has one.
 */
static void put_art(const struct pt_table *t, size_t i, bool utf8,
		    bool *more, FILE *out)
{
	unsigned int k, d = t->lines[i].depth;

	more[d] = t->lines[i].next != PT_TOP_LINE;
	for (k = 1; k < d; k++)
		fputs(!more[k] ? "  " : utf8 ? "\u2502 " : "| ", out);
	if (more[d])
		fputs(utf8 ? "\u251c\u2500" : "|-", out);
	else
		fputs(utf8 ? "\u2514\u2500" : "`-", out);
}

static void put_line(const struct pt_table *t, size_t i, const size_t *width,
		     size_t tree, bool utf8, bool *more, FILE *out)
{
	size_t j;

	for (j = 0; j < t->nr_cols; j++) {
		const char *s = t->cells[i * t->nr_cols + j];
		size_t len = s ? strlen(s) : 0;

		if (j == tree && t->lines[i].depth) {
			put_art(t, i, utf8, more, out);
			len += 2 * t->lines[i].depth;
		}
		put_cell(out, s ? s : "", len, width[j],
			 t->cols[j].flags & SCOLS_FL_RIGHT, j + 1 == t->nr_cols);
	}
	fputc('\n', out);
}

static void print_plain(const struct pt_table *t, bool headings, bool utf8,
			FILE *out)
{
	size_t *width = xcalloc(t->nr_cols, sizeof(*width));
	size_t i, j, tree = PT_TOP_LINE;
	bool *more = xcalloc(t->max_depth + 1, sizeof(*more));

	for (j = 0; j < t->nr_cols; j++) {
		if (t->cols[j].flags & SCOLS_FL_TREE)
			tree = j;
		width[j] = column_width(t, j, tree == j);
	}
	for (j = 0; headings && j < t->nr_cols; j++)
		put_cell(out, t->cols[j].header, strlen(t->cols[j].header),
			 width[j], t->cols[j].flags & SCOLS_FL_RIGHT,
			 j + 1 == t->nr_cols);
	if (headings)
		fputc('\n', out);
	if (tree == PT_TOP_LINE)
		for (i = 0; i < t->nr_lines; i++)
			put_line(t, i, width, tree, utf8, more, out);
	else
		for (i = t->first_top; i != PT_TOP_LINE; i = next_line(t, i))
			put_line(t, i, width, tree, utf8, more, out);
	free(more);
	free(width);
}

static void to_scols(const struct pt_table *t, struct libscols_table *tb)
{
	struct libscols_line **ln = xcalloc(t->nr_lines, sizeof(*ln));
	size_t i, j;

	for (j = 0; j < t->nr_cols; j++)
		if (!scols_table_new_column(tb, t->cols[j].header, t->cols[j].whint,
					    t->cols[j].flags))
			err(EXIT_FAILURE, "cannot allocate a column");
	for (i = 0; i < t->nr_lines; i++) {
		size_t up = t->lines[i].parent;

		ln[i] = scols_table_new_line(tb, up == PT_TOP_LINE ? NULL : ln[up]);
		if (!ln[i])
			err(EXIT_FAILURE, "cannot allocate a line");
		for (j = 0; j < t->nr_cols; j++) {
			const char *s = t->cells[i * t->nr_cols + j];
			const char *color = t->colors ? t->colors[i * t->nr_cols + j] : NULL;

			if (s && scols_line_set_data(ln[i], j, s))
				err(EXIT_FAILURE, "cannot allocate a cell");
			if (s && color &&
			    scols_cell_set_color(scols_line_get_cell(ln[i], j), color))
				err(EXIT_FAILURE, "cannot allocate a cell colour");
		}
	}
	free(ln);
}

/*
 * Print the table through @tb, which says how (headings, ASCII art), or,
 * if the caller found its output @plain (see the top of this file) and
 * the cells are, without it.
 */
int pt_table_print(const struct pt_table *t, struct libscols_table *tb,
		   bool plain, FILE *out)
{
	if (plain && t->printable && t->nr_lines) {
		print_plain(t, !scols_table_is_noheadings(tb),
			    !scols_table_is_ascii(tb) &&
			    !strcmp(nl_langinfo(CODESET), "UTF-8"), out);
		return ferror(out) ? -1 : 0;
	}
	to_scols(t, tb);
	return scols_print_table(tb);
}
