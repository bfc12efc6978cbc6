// SPDX-License-Identifier: GPL-2.0
/*
 * /proc/pidns_tree itself: read it whole, parse it into records, compare
 * two outputs and name the column a byte falls in.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "pidns_tree_lib.h"

enum pst_col {
	C_PID, C_TGID, C_PPID, C_PARENT, C_TRACER, C_SUB, C_REAPER, C_PIDNS,
	C_LEVEL, C_NSPIDS, C_STATE, C_INIT, C_ORIGIN, C_ORIGIN_COMM, C_ADOPTED,
	C_CGROUP, C_ID, C_COMM, C_NR
};

static const char *const pst_col_names[C_NR] = {
	"pid", "tgid", "ppid", "parent", "tracer", "sub", "reaper", "pidns",
	"level", "nspids", "state", "init", "origin", "origin_comm", "adopted",
	"cgroup", "id", "comm",
};

#define PST_MAX_COLS 64

static int pst_fail(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return -EINVAL;
}

char *pst_slurp_fd(int fd, size_t bufsz, size_t *len)
{
	return pst_slurp_fd_timed(fd, bufsz, len, 0);
}

char *pst_slurp_fd_timed(int fd, size_t bufsz, size_t *len, int timeout_ms)
{
	unsigned long long end = timeout_ms > 0 ?
				 pst_now_ns() + timeout_ms * 1000000ULL : 0;
	size_t cap = 1 << 20, n = 0, calls = 0;
	char *buf = malloc(cap + 1);
	ssize_t r;
	int e;

	if (!buf)
		return NULL;
	for (;;) {
		if (end && !(++calls % 256) && pst_now_ns() > end) {
			free(buf);
			errno = ETIMEDOUT;
			return NULL;
		}
		if (cap - n < bufsz) {
			char *nbuf;

			if (cap >= PST_MAX_BYTES) {
				free(buf);
				errno = EFBIG;
				return NULL;
			}
			nbuf = realloc(buf, cap * 2 + 1);
			if (!nbuf) {
				free(buf);
				errno = ENOMEM;
				return NULL;
			}
			buf = nbuf;
			cap *= 2;
		}
		r = read(fd, buf + n, bufsz);
		if (r < 0) {
			e = errno;
			free(buf);
			errno = e;
			return NULL;
		}
		if (r == 0)
			break;
		n += r;
	}
	buf[n] = '\0';
	*len = n;
	return buf;
}

const char *pst_read_strerror(int e)
{
	if (e == ETIMEDOUT)
		return "the read did not reach its end in time (a walk that restarts never ends)";
	if (e == EFBIG)
		return "the read went on past PST_MAX_BYTES (a walk that restarts never ends)";
	return strerror(e);
}

static char *pst_slurp(const char *path, size_t bufsz, size_t *len, int *e,
		       int timeout_ms)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	char *buf;

	if (fd < 0) {
		*e = errno;
		return NULL;
	}
	buf = pst_slurp_fd_timed(fd, bufsz, len, timeout_ms);
	*e = errno;
	close(fd);
	return buf;
}

/* Map header columns to our indices; -1 for columns we do not know. */
static int pst_header(char *line, int *map, int *ncols, char *err,
		      size_t errlen)
{
	char *tok, *rest;
	int i, n = 0, found = 0;

	if (strncmp(line, "# pidns_tree 2 ", 15))
		return pst_fail(err, errlen, "line 1: bad header '%.60s' (want format 2)",
				line);
	/* Every 0x20 ends a name, as on the task lines: none is empty. */
	rest = line + 15;
	while ((tok = strsep(&rest, " "))) {
		if (!*tok)
			return pst_fail(err, errlen, "line 1: empty column name (two spaces, or one at an end)");
		if (n == PST_MAX_COLS)
			return pst_fail(err, errlen, "line 1: too many columns");
		map[n] = -1;
		for (i = 0; i < C_NR; i++) {
			if (!strcmp(tok, pst_col_names[i])) {
				map[n] = i;
				found++;
			}
		}
		n++;
	}
	if (found != C_NR || map[n - 1] != C_COMM)
		return pst_fail(err, errlen, "line 1: columns missing or comm not last");
	*ncols = n;
	return 0;
}

/*
 * Decimal digits only: strtol() alone would take a leading tab, \v, \f
 * or \r (isspace()) or sign as part of a field split on 0x20.
 */
static bool pst_digits(const char *f)
{
	return *f && strspn(f, "0123456789") == strlen(f);
}

static int pst_num(const char *f, long *v)
{
	char *end;

	if (!pst_digits(f))
		return -1;
	errno = 0;
	*v = strtol(f, &end, 10);
	return (*end || errno) ? -1 : 0;
}

int pst_unum(const char *f, unsigned long long *v)
{
	char *end;

	if (!pst_digits(f))
		return -1;
	errno = 0;
	*v = strtoull(f, &end, 10);
	return (*end || errno) ? -1 : 0;
}

static int pst_field(struct pst_task *t, int col, const char *f)
{
	long v = 0;

	switch (col) {
	case C_SUB:
		t->sub = f[0];
		return (f[1] || !strchr("Ss-", f[0])) ? -1 : 0;
	case C_STATE:
		t->state = f[0];
		return f[1] ? -1 : 0;
	case C_NSPIDS:
		return snprintf(t->nspids, sizeof(t->nspids), "%s", f) >=
		       (int)sizeof(t->nspids) ? -1 : 0;
	case C_ORIGIN:
		if (!strcmp(f, "?")) {
			t->origin = PST_UNKNOWN;
			return 0;
		}
		break;
	case C_ORIGIN_COMM:
		return snprintf(t->origin_comm, sizeof(t->origin_comm), "%s", f) >=
		       (int)sizeof(t->origin_comm) ? -1 : 0;
	case C_ADOPTED:
		t->adopted = f[0];
		return (f[1] || !strchr("01?", f[0])) ? -1 : 0;
	case C_CGROUP:
		return pst_unum(f, &t->cgroup);
	case C_ID:
		return pst_unum(f, &t->id);
	case C_COMM:
		return snprintf(t->comm, sizeof(t->comm), "%s", f) >=
		       (int)sizeof(t->comm) ? -1 : 0;
	case C_REAPER:
		if (!strcmp(f, "-")) {
			t->reaper = PST_NS_DIES;
			return 0;
		}
		break;
	}
	if (pst_num(f, &v) || v < 0)
		return -1;
	switch (col) {
	case C_PID:
		t->pid = v;
		break;
	case C_TGID:
		t->tgid = v;
		break;
	case C_PPID:
		t->ppid = v;
		break;
	case C_PARENT:
		t->parent = v;
		break;
	case C_TRACER:
		t->tracer = v;
		break;
	case C_REAPER:
		t->reaper = v;
		break;
	case C_PIDNS:
		t->pidns = v;
		break;
	case C_LEVEL:
		t->level = v;
		break;
	case C_ORIGIN:
		t->origin = v;
		break;
	case C_INIT:
		t->init = v;
		break;
	}
	return 0;
}

static int pst_line(char *line, const int *map, int ncols, struct pst_task *t)
{
	char *f;
	int n = 0;

	memset(t, 0, sizeof(*t));
	while ((f = strsep(&line, " "))) {
		if (n == ncols)
			return -1;
		if (map[n] >= 0 && pst_field(t, map[n], f))
			return -1;
		n++;
	}
	if (n != ncols)
		return -1;
	/* The first parent is known in all three columns or in none. */
	if ((t->origin == PST_UNKNOWN) != (t->adopted == '?') ||
	    (t->origin == PST_UNKNOWN && strcmp(t->origin_comm, "?")))
		return -1;
	return 0;
}

static int pst_delete_module(const char *name, unsigned int flags)
{
	return syscall(SYS_delete_module, name, flags);
}

int pst_module_load(const char *ko)
{
	int fd = open(ko, O_RDONLY | O_CLOEXEC), ret, e;

	if (fd < 0)
		return -1;
	ret = syscall(SYS_finit_module, fd, "", 0);
	e = errno;
	close(fd);
	errno = e;
	return ret;
}

int pst_module_unload(void)
{
	int i, ret = -1;

	for (i = 0; i < 100; i++) {
		ret = pst_delete_module(PST_MODULE_NAME, O_NONBLOCK);
		if (!ret || (errno != EAGAIN && errno != EBUSY))
			break;
		pst_sleep_ms(50);
	}
	return ret;
}

/*
 * A line after the header that starts with '#': "# seq_before N" and
 * "# seq_after N" are noted with their line numbers (each at most once),
 * other ones skipped as the format says.
 */
static int pst_hash_line(const char *line, size_t lineno,
			 struct pst_snapshot *s, char *err, size_t errlen)
{
	static const char *const names[] = { "# seq_before ", "# seq_after " };
	unsigned long long *val[] = { &s->seq_before, &s->seq_after };
	size_t *at[] = { &s->seq_before_line, &s->seq_after_line };
	int i;

	for (i = 0; i < 2; i++) {
		size_t n = strlen(names[i]);

		if (strncmp(line, names[i], n))
			continue;
		if (*at[i])
			return pst_fail(err, errlen, "line %zu: a second '%.*s' line",
					lineno, (int)n - 1, names[i]);
		if (pst_unum(line + n, val[i]))
			return pst_fail(err, errlen, "line %zu: malformed '%.80s'",
					lineno, line);
		*at[i] = lineno;
	}
	return 0;
}

/*
 * Parse @len bytes at @buf (NUL-terminated there, changed in place) into
 * @s; @name is the file named in messages.  Frees @s on error.
 */
static int pst_parse_buf(char *buf, size_t len, const char *name,
			 struct pst_snapshot *s, char *err, size_t errlen)
{
	int map[PST_MAX_COLS], ncols = 0, ret = 0;
	size_t cap = 1024, lineno = 1;
	char *line, *next, *nul;

	memset(s, 0, sizeof(*s));
	if (!len || buf[len - 1] != '\n')
		return pst_fail(err, errlen, "%s: empty or last line torn", name);
	nul = memchr(buf, '\0', len);
	if (nul)
		return pst_fail(err, errlen, "%s: NUL byte at offset %zu", name,
				(size_t)(nul - buf));
	next = strchr(buf, '\n');
	*next++ = '\0';
	snprintf(s->header, sizeof(s->header), "%s", buf);
	ret = pst_header(buf, map, &ncols, err, errlen);
	s->tasks = malloc(cap * sizeof(*s->tasks));
	for (line = next; !ret && *line; line = next) {
		next = strchr(line, '\n');
		*next++ = '\0';
		lineno++;
		if (*line == '#') {
			ret = pst_hash_line(line, lineno, s, err, errlen);
			continue;
		}
		if (s->n == cap) {
			cap *= 2;
			s->tasks = realloc(s->tasks, cap * sizeof(*s->tasks));
		}
		if (!s->tasks)
			ret = pst_fail(err, errlen, "out of memory");
		else if (pst_line(line, map, ncols, &s->tasks[s->n]))
			ret = pst_fail(err, errlen, "line %zu: malformed '%.80s'",
				       lineno, line);
		else if (s->n && s->tasks[s->n].pid <= s->tasks[s->n - 1].pid)
			ret = pst_fail(err, errlen, "line %zu: pid %d not above %d",
				       lineno, s->tasks[s->n].pid,
				       s->tasks[s->n - 1].pid);
		else
			s->n++;
	}
	s->lines = lineno;
	if (ret)
		pst_free(s);
	return ret;
}

int pst_read(const char *path, size_t bufsz, struct pst_snapshot *s,
	     char *err, size_t errlen)
{
	return pst_read_timed(path, bufsz, 0, s, err, errlen);
}

int pst_read_timed(const char *path, size_t bufsz, int timeout_ms,
		   struct pst_snapshot *s, char *err, size_t errlen)
{
	size_t len;
	char *buf;
	int ret, e = 0;

	memset(s, 0, sizeof(*s));
	buf = pst_slurp(path, bufsz, &len, &e, timeout_ms);
	if (!buf) {
		snprintf(err, errlen, "%s: %s", path, pst_read_strerror(e));
		return -e;
	}
	ret = pst_parse_buf(buf, len, path, s, err, errlen);
	free(buf);
	return ret;
}

void pst_free(struct pst_snapshot *s)
{
	free(s->tasks);
	s->tasks = NULL;
	s->n = 0;
}

const struct pst_task *pst_find(const struct pst_snapshot *s, pid_t pid)
{
	size_t lo = 0, hi = s->n;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (s->tasks[mid].pid == pid)
			return &s->tasks[mid];
		if (s->tasks[mid].pid < pid)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

bool pst_read_task(const char *path, pid_t pid, struct pst_task *out,
		   char *err, size_t errlen)
{
	const struct pst_task *t;
	struct pst_snapshot s;

	if (pst_read(path, 65536, &s, err, errlen))
		return false;
	t = pst_find(&s, pid);
	if (t)
		*out = *t;
	else if (errlen)
		err[0] = '\0';
	pst_free(&s);
	return t;
}


int pst_parse(const char *buf, size_t len, struct pst_snapshot *s,
	      char *err, size_t errlen)
{
	char *copy = malloc(len + 1);
	int ret;

	memset(s, 0, sizeof(*s));
	if (!copy)
		return pst_fail(err, errlen, "out of memory");
	memcpy(copy, buf, len);
	copy[len] = '\0';
	ret = pst_parse_buf(copy, len, PIDNS_TREE_PATH, s, err, errlen);
	free(copy);
	return ret;
}

/* Copy the line starting at @p, up to @end, for a message. */
static void pst_excerpt(const char *p, const char *end, char *out, size_t outlen)
{
	size_t n = 0;

	while (p < end && *p != '\n' && n + 1 < outlen)
		out[n++] = *p++;
	out[n] = '\0';
}

void pst_column_name(const char *buf, size_t len, size_t field,
		     char *out, size_t outlen)
{
	const char *p = buf, *end = memchr(buf, '\n', len);
	size_t i, n;

	snprintf(out, outlen, "field %zu", field + 1);
	if (!end || strncmp(buf, "# pidns_tree ", 13))
		return;
	/* "#", "pidns_tree", the version, then the column names. */
	for (i = 0; i < field + 3; i++) {
		p = memchr(p, ' ', end - p);
		if (!p)
			return;
		p++;
	}
	n = strcspn(p, "\n ");
	if (!n || p + n > end)
		return;
	snprintf(out, outlen, "%.*s", (int)n, p);
}

/*
 * Where the lines @x and @y (each running to its buffer's end at most)
 * first differ: the byte in the line, returned, and the column it falls
 * in, named from the header of the output @buf (@header: they are header
 * lines).
 */
static size_t pst_line_diff(const char *buf, size_t len, bool header,
			    const char *x, size_t xlen, const char *y,
			    size_t ylen, char *col, size_t collen)
{
	size_t k, field = 0;

	for (k = 0; k < xlen && k < ylen && x[k] == y[k]; k++)
		field += x[k] == ' ';
	if (header)
		snprintf(col, collen, "header");
	else
		pst_column_name(buf, len, field, col, collen);
	return k;
}

long pst_diff(const char *a, size_t alen, const char *b, size_t blen,
	      char *why, size_t whylen)
{
	size_t off = 0, min = alen < blen ? alen : blen, ls;
	size_t lineno = 1, i;
	char col[64], la[128], lb[128];

	while (off < min && a[off] == b[off])
		off++;
	if (off == min && alen == blen) {
		if (whylen)
			why[0] = '\0';
		return -1;
	}
	ls = off;
	while (ls > 0 && a[ls - 1] != '\n')
		ls--;
	for (i = 0; i < ls; i++)
		lineno += a[i] == '\n';
	pst_line_diff(a, alen, lineno == 1, a + ls, alen - ls, b + ls,
		      blen - ls, col, sizeof(col));
	pst_excerpt(a + ls, a + alen, la, sizeof(la));
	pst_excerpt(b + ls, b + blen, lb, sizeof(lb));
	snprintf(why, whylen,
		 "byte %zu (line %zu, pid %ld vs %ld, column %s): '%s'%s vs '%s'%s",
		 off, lineno, lineno > 1 && ls < alen ? atol(a + ls) : 0L,
		 lineno > 1 && ls < blen ? atol(b + ls) : 0L, col, la,
		 off == alen ? " (ends)" : "", lb, off == blen ? " (ends)" : "");
	return off;
}

/* A task line of an output: its pid, where it starts, its length. */
struct pst_line {
	long pid;
	const char *s;
	size_t len;
};

/* The task lines of an output that parses; NULL if out of memory. */
static struct pst_line *pst_lines(const struct pst_out *o, size_t *n)
{
	const char *p = strchr(o->buf, '\n') + 1, *end = o->buf + o->len;
	struct pst_line *l = calloc(o->len / 2 + 1, sizeof(*l));
	size_t i = 0;

	for (; l && p < end; i++) {
		const char *nl = memchr(p, '\n', end - p);

		if (*p == '#') {	/* seq_before, seq_after: not tasks */
			p = nl + 1;
			i--;
			continue;
		}
		l[i].pid = atol(p);
		l[i].s = p;
		l[i].len = nl - p;
		p = nl + 1;
	}
	*n = i;
	return l;
}

static const struct pst_line *pst_find_line(const struct pst_line *l,
					    size_t n, long pid)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (l[mid].pid == pid)
			return &l[mid];
		if (l[mid].pid < pid)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

static bool pst_same_line(const struct pst_line *x, const struct pst_line *y)
{
	return x && y && x->len == y->len && !memcmp(x->s, y->s, x->len);
}

/*
 * The first pid one list has and the other not, or -1; *@at: the offset
 * in the output @xo of @x where that pid's line is or would be.
 */
static long pst_first_odd_pid(const struct pst_out *xo,
			      const struct pst_line *x, size_t nx,
			      const struct pst_line *y, size_t ny,
			      bool *in_x, size_t *at)
{
	size_t i = 0, j = 0;

	while (i < nx || j < ny) {
		*at = i < nx ? (size_t)(x[i].s - xo->buf) : xo->len;
		if (j == ny || (i < nx && x[i].pid < y[j].pid)) {
			*in_x = true;
			return x[i].pid;
		}
		if (i == nx || y[j].pid < x[i].pid) {
			*in_x = false;
			return y[j].pid;
		}
		i++;
		j++;
	}
	return -1;
}

long pst_diff_between(const struct pst_out *a, const struct pst_out *b,
		      const struct pst_out *c, const char *what, char *why,
		      size_t whylen)
{
	size_t na, nb, nc, i, k, at, hdr = strchr(a->buf, '\n') + 1 - a->buf;
	struct pst_line *la = pst_lines(a, &na), *lb = pst_lines(b, &nb);
	struct pst_line *lc = pst_lines(c, &nc);
	const struct pst_line *x, *y, *z;
	bool in_b, in_c;
	long pid, off = 0;
	char col[64], d[768];

	if (!la || !lb || !lc) {
		snprintf(why, whylen, "out of memory");
		goto out;
	}
	if (b->len < hdr || memcmp(a->buf, b->buf, hdr)) {
		off = pst_diff(a->buf, a->len, b->buf, b->len, d, sizeof(d));
		snprintf(why, whylen, "%s (%zu bytes) vs %s (%zu bytes): %s",
			 "the whole read before", a->len, what, b->len, d);
		goto out;
	}
	pid = pst_first_odd_pid(b, lb, nb, la, na, &in_b, &at);
	if (pid >= 0 && pst_first_odd_pid(b, lb, nb, lc, nc, &in_c, &k) >= 0) {
		snprintf(why, whylen,
			 "the %s %s pid %ld, the whole read before them %s (and the one after does not list the same pids either)",
			 what, in_b ? "list" : "do not list", pid,
			 in_b ? "does not" : "does");
		off = at;
		goto out;
	}
	for (i = 0; i < nb; i++) {
		x = pst_find_line(la, na, lb[i].pid);
		z = pst_find_line(lc, nc, lb[i].pid);
		if (pst_same_line(&lb[i], x) || pst_same_line(&lb[i], z))
			continue;
		y = x ? x : z;	/* one has it: b lists the pids of a or c */
		k = pst_line_diff(a->buf, a->len, false, lb[i].s, lb[i].len,
				  y->s, y->len, col, sizeof(col));
		off = lb[i].s - b->buf + k;
		snprintf(why, whylen,
			 "%s: byte %ld (line %zu, pid %ld, column %s): '%.*s'; the whole read before has '%.*s', the one after '%.*s'",
			 what, off, i + 2, lb[i].pid, col, (int)lb[i].len,
			 lb[i].s, x ? (int)x->len : 6, x ? x->s : "(none)",
			 z ? (int)z->len : 6, z ? z->s : "(none)");
		goto out;
	}
	off = -1;
	if (whylen)
		why[0] = '\0';
out:
	free(la);
	free(lb);
	free(lc);
	return off;
}
