// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * cols.c - aligned columns, optionally with a tree in the first one
 *
 * Two passes: pt_cols_add() encodes each cell once into one arena and notes
 * its display width; pt_cols_print() takes each column's width as the
 * widest cell (at least the header, and libsmartcols' width hint), then
 * writes the rows in tree order without recursion, one fwrite() a line.
 *
 * The output is libsmartcols' off a terminal: columns separated by one
 * space, the last one not padded, the tree drawn with "├─", "└─", "│ " (or
 * "|-", "`-", "| "), a row's colour around the whole line, and unsafe
 * characters as \xHH: control characters, DEL, bytes that are not valid
 * UTF-8 (or any non-ASCII byte outside a UTF-8 locale), characters that are
 * not printable, and a backslash before an 'x'.  --raw: no padding, and
 * every byte that is not printable ASCII, or is a space or a backslash, as
 * \xHH.  On a terminal, lines are cut at its width, as pstree(1) does.
 */
#include <langinfo.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include <wchar.h>
#include <wctype.h>

#include "cols.h"
#include "xalloc.h"

struct cell {
	uint32_t	len;		/* bytes */
	uint32_t	width;		/* display width */
};

struct row {
	size_t		off;		/* its cells in the arena, one after another */
	size_t		parent, child, last_child, next;
	unsigned int	depth;		/* 0 at the top */
	const char	*color;
};

struct sym {
	const char	*s;
	size_t		n;		/* bytes */
};

struct pt_cols {
	const struct pt_col *cols;
	size_t		ncols;
	bool		tree, raw, noheadings, colors, utf8;
	struct sym	vert, space, branch, right;	/* 2 columns wide each */
	char		symbuf[4][32];			/* --raw: encoded symbols */
	size_t		symmax;				/* the longest, bytes */
	size_t		termwidth;	/* cut lines there; 0: never */
	FILE		*out;

	char		*arena;
	size_t		alen, acap;
	struct cell	*cells;		/* ncols a row */
	struct row	*rows;
	size_t		nrows, rcap;
	size_t		top, last_top;
	unsigned int	max_depth;

	/* the line being printed */
	char		*line;
	size_t		llen, lcap;
	size_t		lw;		/* its display width */
	bool		cut;		/* reached termwidth */
};

static const char hexdigits[] = "0123456789abcdef";

static inline char *hex(char *o, unsigned char c)
{
	*o++ = '\\';
	*o++ = 'x';
	*o++ = hexdigits[c >> 4];
	*o++ = hexdigits[c & 15];
	return o;
}

/* --raw: every byte that is not printable ASCII, a space or a backslash */
static char *encode_raw(char *o, const unsigned char *p)
{
	for (; *p; p++) {
		if (*p > 0x20 && *p < 0x7f && *p != '\\')
			*o++ = (char)*p;
		else
			o = hex(o, *p);
	}
	return o;
}

/* Encode @s at @o (room for 4 * strlen(s)); *width: display width. */
static char *encode(const struct pt_cols *t, char *o, const char *s,
		    unsigned int *width)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t w = 0;

	if (t->raw) {
		*width = 0;
		return encode_raw(o, p);
	}
	for (;;) {
		unsigned char c;
		uint32_t cp;
		size_t n, i;
		int cw;

		while (*p >= 0x20 && *p < 0x7f && *p != '\\') {
			*o++ = (char)*p++;
			w++;
		}
		c = *p;
		if (!c)
			break;
		if (c == '\\') {
			if (p[1] == 'x')
				o = hex(o, c);
			else
				*o++ = '\\';
			w += p[1] == 'x' ? 4 : 1;
			p++;
			continue;
		}
		n = c < 0x80 || !t->utf8 ? 0 : pt_utf8_decode(p, &cp);
		if (!n) {
			o = hex(o, c);
			w += 4;
			p++;
		} else if (!iswprint((wint_t)cp)) {
			for (i = 0; i < n; i++)
				o = hex(o, p[i]);
			w += 4 * n;
			p += n;
		} else {
			memcpy(o, p, n);
			o += n;
			p += n;
			cw = wcwidth((wchar_t)cp);
			w += cw > 0 ? (size_t)cw : 0;
		}
	}
	*width = w > 0xffffffffU ? 0xffffffffU : (unsigned int)w;
	return o;
}

static void set_sym(struct pt_cols *t, struct sym *sym, int i, const char *s)
{
	if (t->raw) {
		*encode_raw(t->symbuf[i], (const unsigned char *)s) = '\0';
		s = t->symbuf[i];
	}
	sym->s = s;
	sym->n = strlen(s);
	if (sym->n > t->symmax)
		t->symmax = sym->n;
}

/* util-linux get_terminal_width(): the tty's, else $COLUMNS, else 80 */
static size_t terminal_width(FILE *out)
{
	struct winsize ws;
	const char *env;
	long cols = 0;

	if (ioctl(fileno(out), TIOCGWINSZ, &ws) == 0)
		cols = ws.ws_col;
	env = getenv("COLUMNS");
	if (cols <= 0 && env)
		cols = strtol(env, NULL, 10);
	return cols > 0 ? (size_t)cols : 80;
}

struct pt_cols *pt_cols_new(const struct pt_col *cols, size_t ncols,
			    bool tree, const struct pt_opts *o, FILE *out)
{
	struct pt_cols *t = xcalloc(1, sizeof(*t));
	bool ascii;

	t->cols = cols;
	t->ncols = ncols;
	t->tree = tree;
	t->raw = o->raw;
	t->noheadings = o->noheadings;
	t->colors = o->colors && !o->raw;
	t->utf8 = strcmp(nl_langinfo(CODESET), "UTF-8") == 0;
	ascii = o->ascii || !t->utf8;
	set_sym(t, &t->vert, 0, ascii ? "| " : "\xe2\x94\x82 ");
	set_sym(t, &t->space, 1, "  ");
	set_sym(t, &t->branch, 2, ascii ? "|-" : "\xe2\x94\x9c\xe2\x94\x80");
	set_sym(t, &t->right, 3, ascii ? "`-" : "\xe2\x94\x94\xe2\x94\x80");
	if (!t->raw && isatty(fileno(out)))
		t->termwidth = terminal_width(out);
	t->out = out;
	t->top = t->last_top = PT_NO_ROW;
	return t;
}

size_t pt_cols_add(struct pt_cols *t, size_t parent, const char *color,
		   const char *const *cells)
{
	size_t id = t->nrows, i;
	struct row *r;

	if (id == t->rcap) {
		t->rcap = t->rcap ? 2 * t->rcap : 1024;
		t->rows = xreallocarray(t->rows, t->rcap, sizeof(*t->rows));
		t->cells = xreallocarray(t->cells, t->rcap,
					 t->ncols * sizeof(*t->cells));
	}
	r = &t->rows[id];
	r->off = t->alen;
	r->parent = t->tree ? parent : PT_NO_ROW;
	r->child = r->last_child = r->next = PT_NO_ROW;
	r->color = t->colors ? color : NULL;
	if (r->parent == PT_NO_ROW) {
		r->depth = 0;
		if (t->last_top != PT_NO_ROW)
			t->rows[t->last_top].next = id;
		else
			t->top = id;
		t->last_top = id;
	} else {
		struct row *up = &t->rows[r->parent];

		r->depth = up->depth + 1;
		if (up->last_child != PT_NO_ROW)
			t->rows[up->last_child].next = id;
		else
			up->child = id;
		up->last_child = id;
		if (r->depth > t->max_depth)
			t->max_depth = r->depth;
	}
	for (i = 0; i < t->ncols; i++) {
		struct cell *ce = &t->cells[id * t->ncols + i];
		const char *s = cells[i] ? cells[i] : "";
		size_t need = 4 * strlen(s);
		char *end;

		if (need > t->acap - t->alen) {
			while (need > t->acap - t->alen)
				t->acap = t->acap ? 2 * t->acap : 1 << 16;
			t->arena = xrealloc(t->arena, t->acap);
		}
		end = encode(t, t->arena + t->alen, s, &ce->width);
		/* a line is at most 64 KiB: a cell at most 256 KiB encoded */
		ce->len = (uint32_t)(end - (t->arena + t->alen));
		t->alen = end - t->arena;
	}
	t->nrows++;
	return id;
}

/* Bytes of @s (@n bytes, encoded: valid UTF-8) that fit in @max columns. */
static size_t fit(const char *s, size_t n, size_t max, size_t *width)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, w = 0;

	while (i < n) {
		uint32_t cp;
		size_t len = pt_utf8_decode(p + i, &cp);
		int cw = 1;

		if (len > 1)
			cw = wcwidth((wchar_t)cp);
		if (!len)
			len = 1;
		if (cw < 0)
			cw = 0;
		if (w + (size_t)cw > max)
			break;
		w += (size_t)cw;
		i += len;
	}
	*width = w;
	return i;
}

/* Room for @n more bytes in the line. */
static void reserve(struct pt_cols *t, size_t n)
{
	if (n <= t->lcap - t->llen)
		return;
	while (n > t->lcap - t->llen)
		t->lcap = t->lcap ? 2 * t->lcap : 4096;
	t->line = xrealloc(t->line, t->lcap);
}

/* Append @n bytes of @w columns, unless the terminal's width is reached. */
static inline void put(struct pt_cols *t, const char *s, size_t n, size_t w)
{
	if (t->termwidth && t->lw + w > t->termwidth) {
		if (t->cut)
			return;
		n = fit(s, n, t->termwidth - t->lw, &w);
		t->cut = true;
	}
	memcpy(t->line + t->llen, s, n);
	t->llen += n;
	t->lw += w;
}

static inline void pad(struct pt_cols *t, size_t n)
{
	if (t->termwidth && t->lw + n > t->termwidth) {
		if (t->cut)
			return;
		n = t->termwidth - t->lw;
		t->cut = true;
	}
	memset(t->line + t->llen, ' ', n);
	t->llen += n;
	t->lw += n;
}

/* The tree in front of row @r: its ancestors' "│ " or "  ", then "├─" or "└─" */
static void put_art(struct pt_cols *t, const struct row *r, bool *last)
{
	unsigned int k;

	last[r->depth] = r->next == PT_NO_ROW;
	for (k = 1; k < r->depth; k++) {
		const struct sym *s = last[k] ? &t->space : &t->vert;

		put(t, s->s, s->n, 2);
	}
	if (last[r->depth])
		put(t, t->right.s, t->right.n, 2);
	else
		put(t, t->branch.s, t->branch.n, 2);
}

/*
 * One line: @r NULL for the header.  As libsmartcols: a right-aligned cell
 * is padded on the left unless empty, others on the right, and the last
 * column is not padded on the right.  @total: the sum of the widths.
 */
static void print_row(struct pt_cols *t, const struct row *r,
		      const unsigned int *width, size_t total, bool *last)
{
	const struct cell *ce = r ? &t->cells[(r - t->rows) * t->ncols] : NULL;
	const char *p = r ? t->arena + r->off : NULL;
	const char *color = r ? r->color : NULL;
	size_t c, bytes = 0;

	/* room for the cells, padding, separators, tree, colour and newline */
	if (r) {
		size_t i = r - t->rows;

		bytes = (i + 1 < t->nrows ? r[1].off : t->alen) - r->off;
		bytes += t->symmax * (size_t)r->depth;
	}
	reserve(t, bytes + total + t->ncols + 32);
	if (color) {
		memcpy(t->line, color, strlen(color));
		t->llen = strlen(color);
	}
	for (c = 0; c < t->ncols; c++) {
		const struct pt_col *col = &t->cols[c];
		bool is_last = c == t->ncols - 1;
		size_t n, w, aw = 0;
		const char *s;

		if (r) {
			s = p;
			n = ce[c].len;
			w = ce[c].width;
			p += n;
			if (c == 0 && t->tree && r->depth)
				aw = 2 * (size_t)r->depth;
		} else {
			s = col->name;
			n = w = strlen(s);
		}
		if (t->raw) {
			if (aw)
				put_art(t, r, last);
			put(t, s, n, w);
			if (!is_last)
				put(t, " ", 1, 1);
			continue;
		}
		if (col->right && (n || aw))
			pad(t, width[c] - w - aw);
		if (aw)
			put_art(t, r, last);
		put(t, s, n, w);
		if (is_last)
			break;
		if (!col->right || !(n || aw))
			pad(t, width[c] - w - aw);
		put(t, " ", 1, 1);
	}
	if (color) {
		memcpy(t->line + t->llen, "\033[0m", 4);
		t->llen += 4;
	}
	t->line[t->llen++] = '\n';
	fwrite(t->line, 1, t->llen, t->out);
	t->llen = t->lw = 0;
	t->cut = false;
}

/* libsmartcols' count_column_width() off a terminal */
static unsigned int *column_widths(const struct pt_cols *t)
{
	unsigned int *width = xcalloc(t->ncols, sizeof(*width));
	size_t r, c;

	for (r = 0; r < t->nrows; r++) {
		const struct cell *ce = &t->cells[r * t->ncols];

		for (c = 0; c < t->ncols; c++) {
			size_t w = ce[c].width;

			if (c == 0 && t->tree)
				w += 2 * (size_t)t->rows[r].depth;
			if (w > width[c])
				width[c] = w > 0xffffffffU ? 0xffffffffU :
					   (unsigned int)w;
		}
	}
	for (c = 0; c < t->ncols; c++) {
		unsigned int hw = strlen(t->cols[c].name);

		if (!hw)
			hw = 1;
		if (width[c] < hw)
			width[c] = hw;
		else if (width[c] < t->cols[c].min_width)
			width[c] = t->cols[c].min_width;
	}
	return width;
}

void pt_cols_print(struct pt_cols *t)
{
	unsigned int *width;
	size_t r, c, total = 0;
	bool *last;

	if (!t->nrows)
		goto out;
	width = column_widths(t);
	for (c = 0; c < t->ncols; c++)
		total += width[c] + strlen(t->cols[c].name);
	last = xcalloc(t->max_depth + 1, sizeof(*last));
	if (!t->noheadings)
		print_row(t, NULL, width, total, last);
	/* pre-order: a row, its children, then its next sibling */
	for (r = t->top; r != PT_NO_ROW; ) {
		print_row(t, &t->rows[r], width, total, last);
		if (t->rows[r].child != PT_NO_ROW) {
			r = t->rows[r].child;
			continue;
		}
		while (r != PT_NO_ROW && t->rows[r].next == PT_NO_ROW)
			r = t->rows[r].parent;
		if (r != PT_NO_ROW)
			r = t->rows[r].next;
	}
	free(last);
	free(width);
out:
	free(t->line);
	free(t->arena);
	free(t->cells);
	free(t->rows);
	free(t);
}
