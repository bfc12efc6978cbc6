// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * parse.c - read the /proc/pidns_tree text format (ABI versions 1 and 2)
 *
 * The whole input is read into one buffer and parsed in place in a single
 * pass: numbers are converted, comm is unescaped where it lies and every
 * task's nspids go to one shared pool.  Every error names its line.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "parse.h"
#include "xalloc.h"

struct field {
	char	*s;
	size_t	n;
};

struct parser {
	struct pt_snapshot *snap;
	struct pt_error	*err;
	size_t		line;
	unsigned int	nr_fields;		/* columns in the header */
	int		slot[PT_NR_COLUMNS];	/* field index of each column */
	struct field	*names;			/* header column names */
	struct field	*fields;		/* the current line, split */
	bool		seq_after_seen;		/* format 2: must be the last line */
	size_t		tasks_alloc;
	size_t		pids_alloc;
};

void pt_seterr(struct pt_error *e, size_t line, const char *fmt, ...)
{
	va_list ap;

	e->line = line;
	va_start(ap, fmt);
	vsnprintf(e->msg, sizeof(e->msg), fmt, ap);
	va_end(ap);
}

/*
 * What can be told while reading, so that a wrong input fails in its first
 * bytes rather than after a gigabyte (-F /dev/zero, yes | pidns-tree -F -):
 * the first line starts as a file's or a snapshot's does, and no line is
 * longer than PT_MAX_LINE.  @from: where the bytes not checked yet start.
 */
struct readck {
	size_t	line;		/* lines seen whole */
	size_t	line_start;	/* offset of the current line */
	bool	header_ok;
};

static int check_read(struct readck *c, const char *buf, size_t from,
		      size_t len, struct pt_error *e)
{
	static const char prefix[] = "# pidns_tree ";
	const char *nl;

	if (!c->header_ok && len >= sizeof(prefix) - 1) {
		if (memcmp(buf, prefix, sizeof(prefix) - 1)) {
			pt_seterr(e, 1, "not a pidns_tree file: the first line does not start with '# pidns_tree'");
			return -1;
		}
		c->header_ok = true;
	}
	while ((nl = memchr(buf + from, '\n', len - from))) {
		if ((size_t)(nl - buf) - c->line_start > PT_MAX_LINE + 1)
			break;
		c->line++;
		c->line_start = from = nl + 1 - buf;
	}
	if (len - c->line_start > PT_MAX_LINE + 1) {
		pt_seterr(e, c->line + 1, "line longer than %d bytes", PT_MAX_LINE);
		return -1;
	}
	return 0;
}

/* Read all of @fd; with @ck and @e, check each chunk as it comes. */
static int read_all(int fd, char **bufp, size_t *lenp, struct readck *ck,
		    struct pt_error *e)
{
	size_t len = 0, sz = 1 << 16;
	char *buf = xmalloc(sz + 1);

	for (;;) {
		ssize_t r;

		if (len == sz) {
			if (sz >= PT_MAX_INPUT) {
				free(buf);
				return -EFBIG;
			}
			sz *= 2;
			buf = xrealloc(buf, sz + 1);
		}
		r = read(fd, buf + len, sz - len);
		if (r < 0) {
			int err = errno;

			if (err == EINTR)
				continue;
			free(buf);
			return -err;
		}
		if (r == 0)
			break;
		len += r;
		if (ck && check_read(ck, buf, len - r, len, e)) {
			free(buf);
			return -EBADMSG;
		}
	}
	buf[len] = '\0';
	*bufp = buf;
	*lenp = len;
	return 0;
}

int pt_read_fd(int fd, char **bufp, size_t *lenp, struct pt_error *e)
{
	struct readck ck = { 0 };

	memset(e, 0, sizeof(*e));
	return read_all(fd, bufp, lenp, &ck, e);
}

int pt_read_any_fd(int fd, char **bufp, size_t *lenp)
{
	return read_all(fd, bufp, lenp, NULL, NULL);
}

static int parse_num(const struct field *f, unsigned long long max,
		     unsigned long long *v)
{
	unsigned long long x = 0;
	size_t i;

	if (f->n == 0 || f->n > 20)
		return -1;
	for (i = 0; i < f->n; i++) {
		unsigned int d = (unsigned char)f->s[i] - '0';

		/* no division: this runs for every number of every line */
		if (d > 9 || __builtin_mul_overflow(x, 10, &x) ||
		    __builtin_add_overflow(x, d, &x))
			return -1;
	}
	if (x > max)
		return -1;
	*v = x;
	return 0;
}

/* A PID is 1..INT_MAX; @zero_ok also allows 0 ("outside" / "none"). */
static int parse_pid(struct parser *p, int col, int zero_ok, pid_t *pid)
{
	const struct field *f = &p->fields[p->slot[col]];
	unsigned long long v;
	char q[200];

	if (parse_num(f, 0x7fffffff, &v) == 0 && (v || zero_ok)) {
		*pid = (pid_t)v;
		return 0;
	}
	pt_seterr(p->err, p->line, "%s '%s' is not a %s", pt_columns[col].name,
		  pt_quote(q, sizeof(q), f->s, f->n),
		  zero_ok ? "PID or 0" : "PID (a decimal number > 0)");
	return -1;
}

static int parse_char(struct parser *p, int col, const char *accept, char *c)
{
	const struct field *f = &p->fields[p->slot[col]];
	char q[200];

	if (f->n == 1 && f->s[0] && strchr(accept, f->s[0])) {
		*c = f->s[0];
		return 0;
	}
	pt_seterr(p->err, p->line, "%s '%s' is not one of '%s'",
		  pt_columns[col].name, pt_quote(q, sizeof(q), f->s, f->n),
		  accept);
	return -1;
}

static int parse_reaper(struct parser *p, struct pt_task *t)
{
	const struct field *f = &p->fields[p->slot[PT_COL_REAPER]];

	if (f->n == 1 && f->s[0] == '-') {
		t->reaper = PT_REAPER_NONE;
		return 0;
	}
	return parse_pid(p, PT_COL_REAPER, 1, &t->reaper);
}

static int parse_ns(struct parser *p, struct pt_task *t)
{
	const struct field *f = &p->fields[p->slot[PT_COL_PIDNS]];
	const struct field *l = &p->fields[p->slot[PT_COL_LEVEL]];
	unsigned long long v;
	char q[200];

	if (parse_num(f, ~0ULL, &t->pidns) || t->pidns == 0) {
		pt_seterr(p->err, p->line, "pidns '%s' is not a namespace inode number",
			  pt_quote(q, sizeof(q), f->s, f->n));
		return -1;
	}
	if (parse_num(l, PT_MAX_LEVEL, &v)) {
		pt_seterr(p->err, p->line, "level '%s' is not a number from 0 to %d",
			  pt_quote(q, sizeof(q), l->s, l->n), PT_MAX_LEVEL);
		return -1;
	}
	t->level = (unsigned int)v;
	return 0;
}

static pid_t *pool_add(struct parser *p, pid_t pid)
{
	struct pt_snapshot *s = p->snap;

	if (s->nr_pids == p->pids_alloc) {
		p->pids_alloc = p->pids_alloc ? p->pids_alloc * 2 : 1024;
		s->pids = xreallocarray(s->pids, p->pids_alloc, sizeof(pid_t));
	}
	s->pids[s->nr_pids] = pid;
	return &s->pids[s->nr_pids++];
}

/* nspids: level + 1 comma separated PIDs; the pool offset goes to *off. */
static int parse_nspids(struct parser *p, struct pt_task *t, size_t *off)
{
	const struct field *f = &p->fields[p->slot[PT_COL_NSPIDS]];
	unsigned int n = 0;
	size_t i = 0;
	char q[200];

	*off = p->snap->nr_pids;
	while (i <= f->n) {
		struct field one = { f->s + i, 0 };
		unsigned long long v;

		while (i + one.n < f->n && f->s[i + one.n] != ',')
			one.n++;
		if (n > PT_MAX_LEVEL || parse_num(&one, 0x7fffffff, &v) || !v)
			goto bad;
		pool_add(p, (pid_t)v);
		n++;
		i += one.n + 1;
	}
	if (n != t->level + 1) {
		pt_seterr(p->err, p->line, "nspids '%s' has %u entries, level %u needs %u",
			  pt_quote(q, sizeof(q), f->s, f->n), n, t->level,
			  t->level + 1);
		return -1;
	}
	if (p->snap->pids[*off] != t->pid) {
		pt_seterr(p->err, p->line, "nspids '%s' does not start with the pid %d",
			  pt_quote(q, sizeof(q), f->s, f->n), (int)t->pid);
		return -1;
	}
	return 0;
bad:
	pt_seterr(p->err, p->line, "nspids '%s' is not a comma-separated list of at most %d PIDs",
		  pt_quote(q, sizeof(q), f->s, f->n), PT_MAX_LEVEL + 1);
	return -1;
}

/*
 * Undo the \ooo escapes of the name in column @col in place and
 * NUL-terminate it (f->s[f->n] is ours); "\000" alone is the empty name.
 */
static int parse_name(struct parser *p, int col, const char **name)
{
	struct field *f = &p->fields[p->slot[col]];
	const char *what = pt_columns[col].name;
	char q[200];
	size_t at;

	if (f->n == 4 && !memcmp(f->s, "\\000", 4))
		f->n = 0;
	switch (pt_unescape(f->s, f->n, &at)) {
	case 0:
		*name = f->s;
		return 0;
	case PT_UNESC_CONTROL:
		pt_seterr(p->err, p->line,
			  "%s contains the unescaped control byte 0x%02x",
			  what, (unsigned char)f->s[at]);
		return -1;
	case PT_UNESC_NUL:
		pt_seterr(p->err, p->line,
			  "%s contains an escaped NUL byte", what);
		return -1;
	default:
		pt_seterr(p->err, p->line,
			  "%s '%s': a backslash must be followed by 3 octal digits (000-377)",
			  what, pt_quote(q, sizeof(q), f->s + at, f->n - at));
		return -1;
	}
}

static bool is_unknown(const struct field *f)
{
	return f->n == 1 && f->s[0] == '?';
}

/*
 * origin, origin_comm, adopted: "?" in all three, or a PID (0: outside
 * your namespace, then origin_comm is "?" too), a name and 0 or 1.  A file
 * without them (an older module) reads as unknown.
 */
static int parse_origin(struct parser *p, struct pt_task *t)
{
	const struct field *o, *n;

	t->origin = PT_ORIGIN_UNKNOWN;
	t->adopted = '?';
	t->origin_comm = NULL;
	if (!p->snap->has_origin)
		return 0;
	o = &p->fields[p->slot[PT_COL_ORIGIN]];
	n = &p->fields[p->slot[PT_COL_ORIGIN_COMM]];
	if (parse_char(p, PT_COL_ADOPTED, "01?", &t->adopted))
		return -1;
	if (is_unknown(o) && is_unknown(n) && t->adopted == '?')
		return 0;
	if (is_unknown(o) || t->adopted == '?') {
		pt_seterr(p->err, p->line,
			  "origin, origin_comm and adopted must be all '?' or none");
		return -1;
	}
	if (parse_pid(p, PT_COL_ORIGIN, 1, &t->origin))
		return -1;
	if (t->origin == 0) {
		if (!is_unknown(n)) {
			pt_seterr(p->err, p->line,
				  "origin 0 (outside your namespace) names no origin_comm");
			return -1;
		}
		return 0;
	}
	return parse_name(p, PT_COL_ORIGIN_COMM, &t->origin_comm);
}

/* cgroup: the id, a number; 0 for none.  Unknown without the column. */
static int parse_cgroup(struct parser *p, struct pt_task *t)
{
	const struct field *f;
	char q[200];

	t->cgroup = 0;
	if (!p->snap->has_cgroup)
		return 0;
	f = &p->fields[p->slot[PT_COL_CGROUP]];
	if (parse_num(f, ~0ULL, &t->cgroup) == 0)
		return 0;
	pt_seterr(p->err, p->line, "cgroup '%s' is not a cgroup id (a decimal number)",
		  pt_quote(q, sizeof(q), f->s, f->n));
	return -1;
}

/* id (format 2): its process's id, a number; 0 for none.  Unknown without it. */
static int parse_id(struct parser *p, struct pt_task *t)
{
	const struct field *f;
	char q[200];

	t->id = 0;
	if (!p->snap->has_id)
		return 0;
	f = &p->fields[p->slot[PT_COL_ID]];
	if (parse_num(f, ~0ULL, &t->id) == 0)
		return 0;
	pt_seterr(p->err, p->line, "id '%s' is not a process id (a decimal number)",
		  pt_quote(q, sizeof(q), f->s, f->n));
	return -1;
}

/* Split a line into exactly nr_fields fields; comm, the last, may be empty. */
static int split(struct parser *p, char *s, size_t n)
{
	unsigned int i, nr = 0;
	char *end = s + n, *sp;

	if (n == 0) {
		pt_seterr(p->err, p->line, "empty line");
		return -1;
	}
	/* one pass: the fields past nr_fields are only counted */
	for (;;) {
		sp = memchr(s, ' ', end - s);
		if (nr < p->nr_fields) {
			p->fields[nr].s = s;
			p->fields[nr].n = (sp ? sp : end) - s;
		}
		nr++;
		if (!sp)
			break;
		s = sp + 1;
	}
	if (nr != p->nr_fields) {
		pt_seterr(p->err, p->line,
			  "%u fields, but the header names %u (truncated or corrupted line?)",
			  nr, p->nr_fields);
		return -1;
	}
	for (i = 0; i + 1 < nr; i++) {
		if (p->fields[i].n == 0) {
			pt_seterr(p->err, p->line,
				  "field %u (%.*s) is empty (two spaces in a row?)",
				  i + 1, (int)p->names[i].n, p->names[i].s);
			return -1;
		}
	}
	return 0;
}

static struct pt_task *new_task(struct parser *p)
{
	struct pt_snapshot *s = p->snap;
	struct pt_task *t;

	if (s->nr_tasks == p->tasks_alloc) {
		p->tasks_alloc = p->tasks_alloc ? p->tasks_alloc * 2 : 256;
		s->tasks = xreallocarray(s->tasks, p->tasks_alloc, sizeof(*t));
	}
	t = &s->tasks[s->nr_tasks];
	memset(t, 0, sizeof(*t));
	t->line = p->line;
	return t;
}

static int parse_task(struct parser *p, char *s, size_t n)
{
	struct pt_task *t;
	size_t off;

	if (split(p, s, n))
		return -1;
	t = new_task(p);
	if (parse_pid(p, PT_COL_PID, 0, &t->pid) ||
	    parse_pid(p, PT_COL_TGID, 0, &t->tgid) ||
	    parse_pid(p, PT_COL_PPID, 1, &t->ppid) ||
	    parse_pid(p, PT_COL_PARENT, 1, &t->parent) ||
	    parse_pid(p, PT_COL_TRACER, 1, &t->tracer) ||
	    parse_char(p, PT_COL_SUB, "Ss-", &t->sub) ||
	    parse_reaper(p, t) ||
	    parse_ns(p, t) ||
	    parse_nspids(p, t, &off) ||
	    parse_char(p, PT_COL_STATE, "RSDTtXZPIKWx", &t->state) ||
	    parse_char(p, PT_COL_INIT, "01", (char *)&t->init) ||
	    parse_origin(p, t) ||
	    parse_cgroup(p, t) ||
	    parse_id(p, t) ||
	    parse_name(p, PT_COL_COMM, &t->comm))
		return -1;
	t->init -= '0';
	t->nspids_off = off;		/* the pool may still move */
	p->snap->nr_tasks++;
	return 0;
}

static int tok_is(const struct field *f, const char *s)
{
	return f->n == strlen(s) && memcmp(f->s, s, f->n) == 0;
}

/* Find each file column of the table by its name in the header. */
static int map_columns(struct parser *p)
{
	unsigned int i;
	int c;

	for (c = 0; c < PT_NR_COLUMNS; c++)
		p->slot[c] = -1;
	for (i = 0; i < p->nr_fields; i++) {
		for (c = 0; c < PT_NR_COLUMNS; c++)
			if ((pt_columns[c].cflags & PT_CF_FILE) &&
			    tok_is(&p->names[i], pt_columns[c].name))
				break;
		if (c == PT_NR_COLUMNS)
			continue;	/* a newer column: ignored */
		if (p->slot[c] >= 0) {
			pt_seterr(p->err, 1, "header names column '%s' twice",
				  pt_columns[c].name);
			return -1;
		}
		p->slot[c] = i;
	}
	for (c = 0; c < PT_NR_COLUMNS; c++) {
		if (p->slot[c] < 0 && (pt_columns[c].cflags & PT_CF_FILE) &&
		    !(pt_columns[c].cflags & PT_CF_OPTIONAL)) {
			pt_seterr(p->err, 1, "header lacks the column '%s'",
				  pt_columns[c].name);
			return -1;
		}
	}
	/* The first-parent columns come as a set. */
	p->snap->has_origin = p->slot[PT_COL_ORIGIN] >= 0;
	if ((p->slot[PT_COL_ORIGIN_COMM] >= 0) != p->snap->has_origin ||
	    (p->slot[PT_COL_ADOPTED] >= 0) != p->snap->has_origin) {
		pt_seterr(p->err, 1, "header has some of origin, origin_comm and adopted, not all");
		return -1;
	}
	p->snap->has_cgroup = p->slot[PT_COL_CGROUP] >= 0;
	p->snap->has_id = p->slot[PT_COL_ID] >= 0;
	if (p->slot[PT_COL_COMM] != (int)p->nr_fields - 1) {
		pt_seterr(p->err, 1, "'comm' is not the last column of the header");
		return -1;
	}
	return 0;
}

/* "# pidns_tree 2 pid tgid ..." (or 1) */
static int parse_header(struct parser *p, char *s, size_t n)
{
	struct field tok[3];
	char *end = s + n, *sp;
	unsigned int i, nr = 0;
	char q[200];

	for (i = 0; i < 3 && s; i++) {
		sp = memchr(s, ' ', end - s);
		tok[i].s = s;
		tok[i].n = (sp ? sp : end) - s;
		s = sp ? sp + 1 : NULL;
	}
	if (!s)
		s = end;
	if (i < 2 || !tok_is(&tok[0], "#") || !tok_is(&tok[1], "pidns_tree")) {
		pt_seterr(p->err, 1,
			  "not a pidns_tree file: the first line does not start with '# pidns_tree'");
		return -1;
	}
	if (i == 2) {
		pt_seterr(p->err, 1, "the header has no format version");
		return -1;
	}
	if (!tok_is(&tok[2], "1") && !tok_is(&tok[2], "2")) {
		pt_seterr(p->err, 1,
			  "unsupported format version '%s' (this pidns-tree reads versions 1 to %d)",
			  pt_quote(q, sizeof(q), tok[2].s, tok[2].n), PT_ABI_VERSION);
		return -1;
	}
	p->snap->version = tok[2].s[0] - '0';
	for (sp = s; sp < end && (sp = memchr(sp, ' ', end - sp)); sp++)
		nr++;
	p->nr_fields = nr + (s < end);
	p->names = xcalloc(p->nr_fields + 1, sizeof(struct field));
	p->fields = xcalloc(p->nr_fields + 1, sizeof(struct field));
	for (i = 0; i < p->nr_fields; i++) {
		sp = memchr(s, ' ', end - s);
		p->names[i].s = s;
		p->names[i].n = (sp ? sp : end) - s;
		if (p->names[i].n == 0) {
			pt_seterr(p->err, 1, "empty column name in the header");
			return -1;
		}
		s = sp ? sp + 1 : end;
	}
	return map_columns(p);
}

/*
 * The next line without its '\n'.  The format splits lines on 0x0a and
 * fields on 0x20, and nothing else: a '\r' before the '\n' is part of the
 * line (and an unescaped control byte in comm).
 */
static int next_line(struct parser *p, char **pos, char *end, char **s, size_t *n)
{
	size_t left = end - *pos;
	char *nl = memchr(*pos, '\n', left < PT_MAX_LINE + 2 ? left : PT_MAX_LINE + 2);

	p->line++;
	if (!nl && left > PT_MAX_LINE + 1) {
		pt_seterr(p->err, p->line, "line longer than %d bytes", PT_MAX_LINE);
		return -1;
	}
	if (!nl) {
		pt_seterr(p->err, p->line,
			  "truncated line (no newline at the end of the input)");
		return -1;
	}
	*s = *pos;
	*n = nl - *pos;
	*pos = nl + 1;
	if (*n && (*s)[*n - 1] == '\r') {
		pt_seterr(p->err, p->line,
			  "a carriage return (0x0d) ends the line: lines end with a newline (0x0a) alone (a file converted to CRLF?)");
		return -1;
	}
	if (*n > PT_MAX_LINE) {
		pt_seterr(p->err, p->line, "line longer than %d bytes", PT_MAX_LINE);
		return -1;
	}
	return 0;
}

/*
 * A line starting with '#' after the header.  Format 2 has two:
 * "# seq_before N", the second line, and "# seq_after N", the last
 * (@last); other ones, and any in format 1, are skipped.
 */
static int parse_comment(struct parser *p, char *s, size_t n, bool last)
{
	struct pt_snapshot *snap = p->snap;
	bool before = n > 13 && !memcmp(s, "# seq_before ", 13);
	bool after = n > 12 && !memcmp(s, "# seq_after ", 12);
	const char *what = before ? "seq_before" : "seq_after";
	struct field f;
	char q[200];

	if (snap->version < 2 || (!before && !after))
		return 0;
	f.s = s + strlen(what) + 3;
	f.n = s + n - f.s;
	if (parse_num(&f, ~0ULL, before ? &snap->seq_before : &snap->seq_after)) {
		pt_seterr(p->err, p->line,
			  "'# %s %s': not a sequence number (one decimal number)",
			  what, pt_quote(q, sizeof(q), f.s, f.n));
		return -1;
	}
	if (before && p->line != 2) {
		pt_seterr(p->err, p->line, "'# seq_before' is not the second line");
		return -1;
	}
	if (after && !last) {
		pt_seterr(p->err, p->line, "'# seq_after' is not the last line");
		return -1;
	}
	if (after && snap->seq_after < snap->seq_before) {
		pt_seterr(p->err, p->line, "seq_after %llu is below seq_before %llu",
			  snap->seq_after, snap->seq_before);
		return -1;
	}
	snap->has_seq |= before;
	p->seq_after_seen |= after;
	return 0;
}

/* Format 2: "# seq_before N" second, "# seq_after N" last. */
static int check_seq(struct parser *p, bool second)
{
	if (p->snap->version < 2)
		return 0;
	if (second && p->line == 2 && !p->snap->has_seq) {
		pt_seterr(p->err, 2, "format 2: the second line is not '# seq_before N'");
		return -1;
	}
	if (!second && p->line == 1) {
		pt_seterr(p->err, 2, "format 2: no '# seq_before N' line (a read cut short?)");
		return -1;
	}
	if (!second && !p->seq_after_seen) {
		pt_seterr(p->err, p->line,
			  "format 2: the last line is not '# seq_after N' (a read cut short?)");
		return -1;
	}
	return 0;
}

/*
 * Parse @len bytes at @buf, which must have room for one more byte and
 * becomes the snapshot's (freed by pt_snapshot_free(), even on error).
 */
int pt_parse(struct pt_snapshot *s, char *buf, size_t len, struct pt_error *e)
{
	struct parser p = { .snap = s, .err = e };
	char *pos = buf, *end = buf + len, *line;
	size_t n, i;
	int rc = -1;

	memset(s, 0, sizeof(*s));
	s->buf = buf;
	memset(e, 0, sizeof(*e));
	if (len == 0) {
		pt_seterr(e, 1, "empty input (no '# pidns_tree %d' header)",
			  PT_ABI_VERSION);
		return -1;
	}
	if (next_line(&p, &pos, end, &line, &n) || parse_header(&p, line, n))
		goto out;
	while (pos < end) {
		if (next_line(&p, &pos, end, &line, &n))
			goto out;
		if (n && line[0] == '#') {
			if (parse_comment(&p, line, n, pos == end) ||
			    check_seq(&p, true))
				goto out;
			continue;
		}
		if (check_seq(&p, true) || parse_task(&p, line, n))
			goto out;
	}
	if (check_seq(&p, false))
		goto out;
	for (i = 0; i < s->nr_tasks; i++)
		s->tasks[i].nspids = s->pids + s->tasks[i].nspids_off;
	rc = 0;
out:
	free(p.names);
	free(p.fields);
	return rc;
}

void pt_snapshot_free(struct pt_snapshot *s)
{
	size_t i;

	for (i = 0; i < s->nr_names; i++)
		free(s->names[i]);
	free(s->names);
	free(s->buf);
	free(s->tasks);
	free(s->pids);
	memset(s, 0, sizeof(*s));
}
