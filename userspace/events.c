// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * events.c - read the lines of /proc/pidns_tree_events (format 1)
 *
 *   # pidns_tree_events 1 SEQ
 *   SEQ USEC fork ID PID PPID PARENT_ID CALLER CALLER_ID PIDNS LEVEL NSPIDS NS CGROUP COMM
 *   SEQ USEC exec ID PID CGROUP COMM
 *   SEQ USEC exit ID PID STATUS
 *   SEQ USEC reap ID PID PPID PARENT_ID
 *   SEQ USEC adopt ID PID OLD_PPID OLD_ID NEW_PPID NEW_ID RULE PIDNS
 *   SEQ USEC lost N
 *
 * Strict on the events it knows: the number of fields (format 1: exactly
 * those; a later version may add fields at the end, before COMM for fork
 * and exec), numbers in range, names escaped as in /proc/pidns_tree, '?'
 * only where the format allows it (the parent of reap, the adopter of
 * adopt, all its four fields together) and sequence numbers that
 * increase.  A line whose event it does not know is ignored, as the
 * format asks.  Every error names the line.
 */
#include <stdio.h>
#include <string.h>

#include "events.h"

#define MAX_FIELDS	64		/* more is no line of format 1 or later */

struct evline {
	struct pt_evstream *st;
	struct pt_error	*e;
	char		*f[MAX_FIELDS];
	size_t		len[MAX_FIELDS];
	unsigned int	n;
	const char	*event;
};

static const struct {
	const char	*name;
	enum pt_ev_kind	kind;
	unsigned int	fields;		/* in format 1, SEQ USEC EVENT included */
} kinds[] = {
	{ "fork",	PT_EV_FORK,	15 },
	{ "exec",	PT_EV_EXEC,	7 },
	{ "exit",	PT_EV_EXIT,	6 },
	{ "reap",	PT_EV_REAP,	7 },
	{ "adopt",	PT_EV_ADOPT,	11 },
	{ "lost",	PT_EV_LOST,	4 },
};

static int num(const char *s, size_t n, unsigned long long max,
	       unsigned long long *v)
{
	unsigned long long x = 0;
	size_t i;

	if (n == 0 || n > 20)
		return -1;
	for (i = 0; i < n; i++) {
		unsigned int d = (unsigned char)s[i] - '0';

		if (d > 9 || x > (max - d) / 10)
			return -1;
		x = x * 10 + d;
	}
	*v = x;
	return 0;
}

static bool is_q(const struct evline *l, unsigned int i)
{
	return l->len[i] == 1 && l->f[i][0] == '?';
}

/* "adopt: RULE 'x': not 'subreaper', 'init' or '?'" */
static int bad(const struct evline *l, unsigned int i, const char *what,
	       const char *want)
{
	char q[200];

	pt_seterr(l->e, l->st->line, "%s: %s '%s': %s", l->event, what,
		  pt_quote(q, sizeof(q), l->f[i], l->len[i]), want);
	return -1;
}

/* Field @i: a number up to @max. */
static int unum(const struct evline *l, unsigned int i, const char *what,
		unsigned long long max, unsigned long long *v)
{
	char q[200];

	if (!num(l->f[i], l->len[i], max, v))
		return 0;
	pt_seterr(l->e, l->st->line, "%s: %s '%s' is not a number from 0 to %llu",
		  l->event, what, pt_quote(q, sizeof(q), l->f[i], l->len[i]), max);
	return -1;
}

static int id(const struct evline *l, unsigned int i, const char *what,
	      unsigned long long *v)
{
	return unum(l, i, what, ~0ULL, v);
}

/* A PID: 0 (outside) only if @zero_ok. */
static int pid(const struct evline *l, unsigned int i, const char *what,
	       bool zero_ok, pid_t *p)
{
	unsigned long long v;
	char q[200];

	if (!num(l->f[i], l->len[i], 0x7fffffff, &v) && (v || zero_ok)) {
		*p = (pid_t)v;
		return 0;
	}
	pt_seterr(l->e, l->st->line, "%s: %s '%s' is not a PID%s", l->event, what,
		  pt_quote(q, sizeof(q), l->f[i], l->len[i]),
		  zero_ok ? " or 0" : " (a decimal number > 0)");
	return -1;
}

/* COMM, the last field: unescaped in place, "\000" the empty name. */
static int comm(const struct evline *l, struct pt_event *ev)
{
	unsigned int i = l->n - 1;
	char *s = l->f[i], q[200];
	size_t n = l->len[i], at;

	if (n == 4 && !memcmp(s, "\\000", 4))
		n = 0;
	switch (pt_unescape(s, n, &at)) {
	case 0:
		ev->comm = s;
		return 0;
	case PT_UNESC_CONTROL:
		pt_seterr(l->e, l->st->line, "%s: COMM contains the unescaped control byte 0x%02x",
			  l->event, (unsigned char)s[at]);
		return -1;
	case PT_UNESC_NUL:
		pt_seterr(l->e, l->st->line, "%s: COMM contains an escaped NUL byte",
			  l->event);
		return -1;
	default:
		pt_seterr(l->e, l->st->line,
			  "%s: COMM '%s': a backslash must be followed by 3 octal digits (000-377)",
			  l->event, pt_quote(q, sizeof(q), s + at, n - at));
		return -1;
	}
}

/* NSPIDS: LEVEL + 1 comma-separated PIDs, the first the PID. */
static int nspids(const struct evline *l, unsigned int i, struct pt_event *ev)
{
	const char *s = l->f[i], *end = s + l->len[i];
	unsigned int n = 0;
	char q[200];

	while (s <= end && n <= PT_MAX_LEVEL) {
		const char *c = memchr(s, ',', end - s);
		size_t k = (c ? c : end) - s;
		unsigned long long v;

		if (num(s, k, 0x7fffffff, &v) || !v)
			break;
		ev->nspids[n++] = (pid_t)v;
		s += k + 1;
	}
	if (s <= end || n != ev->level + 1 || ev->nspids[0] != ev->pid) {
		pt_seterr(l->e, l->st->line,
			  "fork: NSPIDS '%s' is not LEVEL + 1 = %u PIDs, the first %d",
			  pt_quote(q, sizeof(q), l->f[i], l->len[i]),
			  ev->level + 1, (int)ev->pid);
		return -1;
	}
	return 0;
}

static int fork_ns(const struct evline *l, unsigned int i, struct pt_event *ev)
{
	const char *s = l->f[i];
	size_t n = l->len[i];

	if (n == 1 && s[0] == '-')
		ev->ns = PT_EV_NS_SAME;
	else if (n == 3 && !memcmp(s, "new", 3))
		ev->ns = PT_EV_NS_NEW;
	else if (n == 4 && !memcmp(s, "join", 4))
		ev->ns = PT_EV_NS_JOIN;
	else
		return bad(l, i, "NS", "not 'new', 'join' or '-'");
	if (ev->ns == PT_EV_NS_NEW && (ev->level == 0 || ev->nspids[ev->level] != 1)) {
		pt_seterr(l->e, l->st->line, "fork: NS 'new' but its PID in its namespace is not 1");
		return -1;
	}
	return 0;
}

static int parse_fork(const struct evline *l, struct pt_event *ev)
{
	unsigned long long v;

	if (pid(l, 5, "PPID", true, &ev->ppid) ||
	    id(l, 6, "PARENT_ID", &ev->parent_id) ||
	    pid(l, 7, "CALLER", true, &ev->caller) ||
	    id(l, 8, "CALLER_ID", &ev->caller_id) ||
	    unum(l, 9, "PIDNS", ~0ULL, &ev->pidns) ||
	    unum(l, 10, "LEVEL", PT_MAX_LEVEL, &v))
		return -1;
	ev->level = (unsigned int)v;
	ev->parent_known = true;
	if (!ev->pidns)
		return bad(l, 9, "PIDNS", "not a namespace inode number");
	return nspids(l, 11, ev) || fork_ns(l, 12, ev) ||
	       id(l, 13, "CGROUP", &ev->cgroup) || comm(l, ev);
}

/* wait(2)'s status: exit(N) is N * 256; signal S is S, + 128 with a core. */
static int parse_exit(const struct evline *l, struct pt_event *ev)
{
	unsigned long long v;

	if (unum(l, 5, "STATUS", 0xffff, &v))
		return -1;
	if ((v & 0xff) && ((v & 0xff00) || (v & 0x7f) == 0x7f || !(v & 0x7f)))
		return bad(l, 5, "STATUS", "not a wait status (N * 256, or a signal S, + 128 with a core)");
	ev->status = (unsigned int)v;
	return 0;
}

/* PPID PARENT_ID at @i: both '?' (unknown) or a PID (0: outside) and an id. */
static int parent(const struct evline *l, unsigned int i, struct pt_event *ev,
		  const char *what_pid, const char *what_id)
{
	if (is_q(l, i) && is_q(l, i + 1)) {
		ev->parent_known = false;
		return 0;
	}
	ev->parent_known = true;
	/* reap: the parent is gone too; adopt's '?' are all or none. */
	if (is_q(l, i)) {
		ev->ppid = PT_EV_UNKNOWN_PID;
		return id(l, i + 1, what_id, &ev->parent_id);
	}
	return pid(l, i, what_pid, true, &ev->ppid) ||
	       id(l, i + 1, what_id, &ev->parent_id);
}

static int parse_adopt(const struct evline *l, struct pt_event *ev)
{
	const char *r = l->f[9];
	size_t n = l->len[9];
	int q;

	if (pid(l, 5, "OLD_PPID", true, &ev->old_ppid) ||
	    id(l, 6, "OLD_ID", &ev->old_id))
		return -1;
	q = is_q(l, 7) + is_q(l, 8) + is_q(l, 9) + is_q(l, 10);
	if (q && q != 4) {
		pt_seterr(l->e, l->st->line,
			  "adopt: NEW_PPID, NEW_ID, RULE and PIDNS must be all '?' or none");
		return -1;
	}
	if (parent(l, 7, ev, "NEW_PPID", "NEW_ID"))
		return -1;
	if (!ev->parent_known) {
		ev->rule = PT_EV_RULE_UNKNOWN;
		return 0;
	}
	if (n == 9 && !memcmp(r, "subreaper", 9))
		ev->rule = PT_EV_RULE_SUBREAPER;
	else if (n == 4 && !memcmp(r, "init", 4))
		ev->rule = PT_EV_RULE_INIT;
	else
		return bad(l, 9, "RULE", "not 'subreaper', 'init' or '?'");
	if (unum(l, 10, "PIDNS", ~0ULL, &ev->pidns))
		return -1;
	return ev->pidns ? 0 : bad(l, 10, "PIDNS", "not a namespace inode number");
}

static int parse_body(const struct evline *l, struct pt_event *ev)
{
	switch (ev->kind) {
	case PT_EV_FORK:
		return parse_fork(l, ev);
	case PT_EV_EXEC:
		return id(l, 5, "CGROUP", &ev->cgroup) || comm(l, ev);
	case PT_EV_EXIT:
		return parse_exit(l, ev);
	case PT_EV_REAP:
		return parent(l, 5, ev, "PPID", "PARENT_ID");
	case PT_EV_ADOPT:
		return parse_adopt(l, ev);
	default:
		return 0;
	}
}

/* Split on single spaces; no field may be empty. */
static int split(struct evline *l, char *s, size_t n)
{
	char *end = s + n, *sp;

	l->n = 0;
	for (;;) {
		if (l->n == MAX_FIELDS) {
			pt_seterr(l->e, l->st->line, "more than %d fields", MAX_FIELDS);
			return -1;
		}
		sp = memchr(s, ' ', end - s);
		l->f[l->n] = s;
		l->len[l->n] = (sp ? sp : end) - s;
		if (!n) {
			pt_seterr(l->e, l->st->line, "empty line");
			return -1;
		}
		if (!l->len[l->n]) {
			pt_seterr(l->e, l->st->line,
				  "field %u is empty (two spaces in a row?)", l->n + 1);
			return -1;
		}
		l->n++;
		if (!sp)
			return 0;
		s = sp + 1;
	}
}

static int check_line(const struct pt_evstream *st, const char *s, size_t n,
		      struct pt_error *e)
{
	if (n && s[n - 1] == '\r') {
		pt_seterr(e, st->line,
			  "a carriage return (0x0d) ends the line: lines end with a newline (0x0a) alone");
		return -1;
	}
	if (memchr(s, '\0', n)) {
		pt_seterr(e, st->line, "a NUL byte in the line");
		return -1;
	}
	return 0;
}

int pt_ev_header(struct pt_evstream *st, char *s, size_t n, struct pt_error *e)
{
	struct evline l = { .st = st, .e = e, .event = "header" };
	unsigned long long v;
	char q[200];

	memset(st, 0, sizeof(*st));
	st->line = 1;
	if (check_line(st, s, n, e))
		return -1;
	if (split(&l, s, n) || l.n < 3 || l.len[0] != 1 || l.f[0][0] != '#' ||
	    l.len[1] != 17 || memcmp(l.f[1], "pidns_tree_events", 17)) {
		pt_seterr(e, 1, "not an event stream: the first line is not '# pidns_tree_events VERSION SEQ'");
		return -1;
	}
	if (num(l.f[2], l.len[2], 1000, &v) || v < 1) {
		pt_seterr(e, 1, "unsupported stream version '%s' (this pidns-tree reads version %d)",
			  pt_quote(q, sizeof(q), l.f[2], l.len[2]), PT_EV_VERSION);
		return -1;
	}
	st->version = (unsigned int)v;
	if (l.n < 4 || (st->version == 1 && l.n != 4) ||
	    num(l.f[3], l.len[3], ~0ULL, &st->seq)) {
		pt_seterr(e, 1, "the header's SEQ is not one decimal number");
		return -1;
	}
	return 0;
}

int pt_ev_parse(struct pt_evstream *st, char *s, size_t n,
		struct pt_event *ev, struct pt_error *e)
{
	struct evline l = { .st = st, .e = e, .event = "line" };
	size_t i;

	memset(ev, 0, sizeof(*ev));
	st->line++;
	if (check_line(st, s, n, e) || split(&l, s, n))
		return -1;
	if (l.n < 3) {
		pt_seterr(e, st->line, "%u fields: a line is SEQ USEC EVENT ... (truncated?)", l.n);
		return -1;
	}
	if (id(&l, 0, "SEQ", &ev->seq) || id(&l, 1, "USEC", &ev->usec))
		return -1;
	if (ev->seq <= st->seq) {
		pt_seterr(e, st->line, "SEQ %llu does not increase (after %llu)",
			  ev->seq, st->seq);
		return -1;
	}
	st->seq = ev->seq;
	l.f[2][l.len[2]] = '\0';	/* a space or the end: the name's end */
	ev->name = l.event = l.f[2];
	ev->kind = PT_EV_UNKNOWN;
	for (i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
		if (strcmp(l.event, kinds[i].name))
			continue;
		ev->kind = kinds[i].kind;
		if (l.n < kinds[i].fields ||
		    (st->version == 1 && l.n != kinds[i].fields)) {
			pt_seterr(e, st->line, "%s: %u fields, format %u has %u (truncated or corrupted line?)",
				  l.event, l.n, st->version, kinds[i].fields);
			return -1;
		}
		break;
	}
	if (ev->kind == PT_EV_UNKNOWN)
		return 0;
	if (ev->kind == PT_EV_LOST)
		return unum(&l, 3, "N", ~0ULL, &ev->lost) ? -1 :
		       ev->lost ? 0 : bad(&l, 3, "N", "not a number > 0");
	if (id(&l, 3, "ID", &ev->id) || pid(&l, 4, "PID", false, &ev->pid))
		return -1;
	return parse_body(&l, ev) ? -1 : 0;
}
