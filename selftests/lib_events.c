// SPDX-License-Identifier: GPL-2.0
/*
 * /proc/pidns_tree_events: open it, read its lines with a timeout, parse
 * them by the spec (Documentation/proc-pidns_tree_events.rst, format 1),
 * keep the ones a test is about; and a program that execs itself under a
 * name of its choice, for exec lines with a known comm.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <unistd.h>

#include "events_lib.h"

#define PST_EXEC_ENV "PIDNS_TREE_EXEC_DO"

static const char *const pst_ev_names[] = {
	[PST_EV_FORK] = "fork", [PST_EV_EXEC] = "exec", [PST_EV_EXIT] = "exit",
	[PST_EV_REAP] = "reap", [PST_EV_ADOPT] = "adopt", [PST_EV_LOST] = "lost",
	[PST_EV_OTHER] = "other",
};

const char *pst_ev_name(enum pst_ev_type t)
{
	return pst_ev_names[t];
}

/* A number, or "?" (PST_EV_Q) where @q allows it. */
static int pst_ev_num(const char *f, long long *v, bool q)
{
	unsigned long long u;

	if (q && !strcmp(f, "?")) {
		*v = PST_EV_Q;
		return 0;
	}
	if (pst_unum(f, &u) || u > LLONG_MAX)
		return -1;
	*v = u;
	return 0;
}

static int pst_ev_str(const char *f, char *out, size_t outlen)
{
	return snprintf(out, outlen, "%s", f) >= (int)outlen ? -1 : 0;
}

static int pst_ev_fork(char **f, struct pst_event *ev)
{
	long long cg;

	if (pst_ev_num(f[0], &ev->id, false) ||
	    pst_ev_num(f[1], &ev->pid, false) ||
	    pst_ev_num(f[2], &ev->ppid, false) ||
	    pst_ev_num(f[3], &ev->parent_id, false) ||
	    pst_ev_num(f[4], &ev->caller, false) ||
	    pst_ev_num(f[5], &ev->caller_id, false) ||
	    pst_ev_num(f[6], &ev->pidns, false) ||
	    pst_ev_num(f[7], &ev->level, false) ||
	    pst_ev_str(f[8], ev->nspids, sizeof(ev->nspids)) ||
	    pst_ev_str(f[9], ev->ns, sizeof(ev->ns)) ||
	    pst_ev_num(f[10], &cg, false) ||
	    pst_ev_str(f[11], ev->comm, sizeof(ev->comm)))
		return -1;
	ev->cgroup = cg;
	if (strspn(ev->nspids, "0123456789,") != strlen(ev->nspids))
		return -1;
	return strcmp(ev->ns, "new") && strcmp(ev->ns, "join") &&
	       strcmp(ev->ns, "-") ? -1 : 0;
}

static int pst_ev_adopt(char **f, struct pst_event *ev)
{
	int q = 0, i;

	for (i = 4; i < 8; i++)
		q += !strcmp(f[i], "?");
	if (q != 0 && q != 4)
		return -1;	/* the four are "?" together */
	if (pst_ev_num(f[0], &ev->id, false) ||
	    pst_ev_num(f[1], &ev->pid, false) ||
	    pst_ev_num(f[2], &ev->old_ppid, false) ||
	    pst_ev_num(f[3], &ev->old_id, false) ||
	    pst_ev_num(f[4], &ev->new_ppid, true) ||
	    pst_ev_num(f[5], &ev->new_id, true) ||
	    pst_ev_str(f[6], ev->rule, sizeof(ev->rule)) ||
	    pst_ev_num(f[7], &ev->pidns, true))
		return -1;
	return strcmp(ev->rule, "subreaper") && strcmp(ev->rule, "init") &&
	       strcmp(ev->rule, "?") ? -1 : 0;
}

/* @f: the fields after the event's name, @n of them. */
static int pst_ev_fields(char **f, int n, struct pst_event *ev)
{
	long long v;

	switch (ev->type) {
	case PST_EV_FORK:
		return n == 12 ? pst_ev_fork(f, ev) : -1;
	case PST_EV_EXEC:
		if (n != 4 || pst_ev_num(f[0], &ev->id, false) ||
		    pst_ev_num(f[1], &ev->pid, false) ||
		    pst_ev_num(f[2], &v, false) ||
		    pst_ev_str(f[3], ev->comm, sizeof(ev->comm)))
			return -1;
		ev->cgroup = v;
		return 0;
	case PST_EV_EXIT:
		return n != 3 || pst_ev_num(f[0], &ev->id, false) ||
		       pst_ev_num(f[1], &ev->pid, false) ||
		       pst_ev_num(f[2], &ev->status, false) ? -1 : 0;
	case PST_EV_REAP:
		/*
		 * "?" where the parent is not known: the spec does not say
		 * whether a PARENT_ID may be known when its PPID is not (a
		 * parent released first); a test that cares checks it.
		 */
		if (n != 4 || (strcmp(f[2], "?") && !strcmp(f[3], "?")))
			return -1;
		return pst_ev_num(f[0], &ev->id, false) ||
		       pst_ev_num(f[1], &ev->pid, false) ||
		       pst_ev_num(f[2], &ev->ppid, true) ||
		       pst_ev_num(f[3], &ev->parent_id, true) ? -1 : 0;
	case PST_EV_ADOPT:
		return n == 8 ? pst_ev_adopt(f, ev) : -1;
	case PST_EV_LOST:
		if (n != 1 || pst_ev_num(f[0], &v, false))
			return -1;
		ev->lost = v;
		return 0;
	default:
		return 0;	/* an event a reader must ignore */
	}
}

int pst_ev_parse(const char *line, struct pst_event *ev)
{
	char copy[sizeof(ev->line)], *rest = copy, *f[16], *tok;
	long long seq, usec;
	int n = 0, i;

	memset(ev, 0, sizeof(*ev));
	if (pst_ev_str(line, ev->line, sizeof(ev->line)))
		return -1;
	strcpy(copy, line);
	while ((tok = strsep(&rest, " "))) {
		if (n == 16 || !*tok)
			return -1;	/* no field is empty */
		f[n++] = tok;
	}
	if (n < 3 || pst_ev_num(f[0], &seq, false) ||
	    pst_ev_num(f[1], &usec, false))
		return -1;
	ev->seq = seq;
	ev->usec = usec;
	ev->type = PST_EV_OTHER;
	for (i = 0; i < PST_EV_OTHER; i++)
		if (!strcmp(f[2], pst_ev_names[i]))
			ev->type = i;
	return pst_ev_fields(f + 3, n - 3, ev);
}

/* Fill @es->buf by one read(), after poll() for up to @timeout_ms. */
static int pst_ev_fill(struct pst_evstream *es, int timeout_ms)
{
	struct pollfd p = { .fd = es->fd, .events = POLLIN };
	ssize_t r;
	int n;

	if (es->off == es->len)
		es->off = es->len = 0;
	if (es->off)
		return -EBADMSG;	/* a read ended inside a line */
	n = poll(&p, 1, timeout_ms);
	if (n < 0)
		return -errno;
	if (n == 0)
		return 0;
	r = read(es->fd, es->buf, sizeof(es->buf) - 1);
	if (r < 0)
		return errno == EAGAIN ? 0 : -errno;
	if (r == 0)
		return -ENODATA;
	es->len = r;
	es->buf[r] = '\0';
	return 1;
}

int pst_ev_next(struct pst_evstream *es, struct pst_event *ev, int timeout_ms)
{
	unsigned long long end = pst_now_ns() + timeout_ms * 1000000ULL;
	char *nl;
	int ret;

	while (es->off == es->len) {
		long long left = (long long)(end - pst_now_ns()) / 1000000;

		ret = pst_ev_fill(es, left > 0 ? left : 0);
		if (ret < 0)
			return ret;
		if (!ret && pst_now_ns() >= end)
			return 0;
	}
	nl = memchr(es->buf + es->off, '\n', es->len - es->off);
	if (!nl) {
		memset(ev, 0, sizeof(*ev));
		snprintf(ev->line, sizeof(ev->line), "%.*s (torn: no newline)",
			 (int)(es->len - es->off), es->buf + es->off);
		es->off = es->len;
		return -EBADMSG;
	}
	*nl = '\0';
	ret = pst_ev_parse(es->buf + es->off, ev);
	if (ret)
		snprintf(ev->line, sizeof(ev->line), "%.400s", es->buf + es->off);
	es->off = nl + 1 - es->buf;
	return ret ? -EBADMSG : 1;
}

int pst_ev_open(const char *path, int flags, struct pst_evstream *es,
		int timeout_ms, char *err, size_t errlen)
{
	unsigned long long v;
	char *nl, *p;
	int ret;

	es->len = es->off = 0;
	es->fd = open(path, O_RDONLY | O_CLOEXEC | flags);
	if (es->fd < 0) {
		ret = -errno;
		snprintf(err, errlen, "open %s: %s", path, strerror(errno));
		return ret;
	}
	ret = pst_ev_fill(es, timeout_ms);
	nl = ret > 0 ? memchr(es->buf, '\n', es->len) : NULL;
	if (ret <= 0 || !nl) {
		snprintf(err, errlen, "%s: no header line within %d ms (%s)", path,
			 timeout_ms, ret < 0 ? strerror(-ret) : "nothing read");
		pst_ev_close(es);
		return ret < 0 ? ret : -EBADMSG;
	}
	*nl = '\0';
	p = es->buf + strlen("# pidns_tree_events 1 ");
	if (strncmp(es->buf, "# pidns_tree_events 1 ", p - es->buf) ||
	    pst_unum(p, &v)) {
		snprintf(err, errlen, "%s: bad header '%.100s'", path, es->buf);
		pst_ev_close(es);
		return -EBADMSG;
	}
	es->header_seq = v;
	es->off = nl + 1 - es->buf;
	return 0;
}

void pst_ev_close(struct pst_evstream *es)
{
	if (es->fd >= 0)
		close(es->fd);
	es->fd = -1;
}

static int pst_evlist_add(struct pst_evlist *l, const struct pst_event *ev)
{
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 64;
		struct pst_event *v = realloc(l->ev, cap * sizeof(*v));

		if (!v)
			return -ENOMEM;
		l->ev = v;
		l->cap = cap;
	}
	l->ev[l->n++] = *ev;
	return 0;
}

int pst_ev_collect(struct pst_evstream *es, struct pst_evlist *l,
		   pst_ev_pred keep, pst_ev_pred done, void *arg,
		   int timeout_ms, int settle_ms, struct pst_event *bad)
{
	unsigned long long now, end = pst_now_ns() + timeout_ms * 1000000ULL;
	struct pst_event *ev = malloc(sizeof(*ev));
	bool finished = false;
	int ret = 0;

	if (!ev)
		return -ENOMEM;
	for (;;) {
		now = pst_now_ns();
		if (now >= end)
			break;
		ret = pst_ev_next(es, ev, (end - now) / 1000000 + 1);
		if (ret <= 0)
			break;
		if (ev->type == PST_EV_LOST) {
			l->lost += ev->lost;
			l->nlost++;
		} else if (!keep(ev, arg)) {
			continue;
		}
		ret = pst_evlist_add(l, ev);
		if (ret)
			break;
		if (!finished && done && done(ev, arg)) {
			finished = true;
			end = pst_now_ns() + settle_ms * 1000000ULL;
		}
	}
	if (ret < 0 && bad)
		*bad = *ev;
	free(ev);
	if (ret < 0)
		return ret;
	return finished || !done;
}

void pst_evlist_free(struct pst_evlist *l)
{
	free(l->ev);
	memset(l, 0, sizeof(*l));
}

void pst_evlist_dump(const struct pst_evlist *l, char *out, size_t outlen)
{
	size_t i, used = 0;
	int n;

	if (outlen)
		out[0] = '\0';
	for (i = 0; i < l->n && used < outlen; i++) {
		n = snprintf(out + used, outlen - used, "    %s\n", l->ev[i].line);
		if (n < 0)
			break;
		used += n;
	}
}

void pst_exec_as(const char *name, const char *what)
{
	char link[PATH_MAX], self[PATH_MAX];
	char *const argv[] = { (char *)name, NULL };
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);

	if (n < 0)
		return;
	self[n] = '\0';
	snprintf(link, sizeof(link), "/tmp/%s", name);
	if (symlink(self, link) && errno != EEXIST)
		return;
	if (setenv(PST_EXEC_ENV, what, 1))
		return;
	execv(link, argv);
}

/* The program run by pst_exec_as(): do what it was told, nothing else. */
__attribute__((constructor)) static void pst_exec_do(void)
{
	const char *what = getenv(PST_EXEC_ENV);

	if (!what)
		return;
	if (!strcmp(what, "sleep"))
		pst_sleep_forever();
	if (!strcmp(what, "kill"))
		raise(SIGKILL);
	if (!strncmp(what, "exit:", 5))
		_exit(atoi(what + 5));
	_exit(127);
}

/* ---- the fixture of events.c and events_ns.c ----------------------- */

void pst_evset_add(struct pst_evset *s, long long pid)
{
	if (s->n < PST_EVSET_MAX)
		s->pid[s->n++] = pid;
}

static bool pst_evset_has(const struct pst_evset *s, long long pid)
{
	int i;

	for (i = 0; i < s->n; i++)
		if (s->pid[i] == pid)
			return true;
	return false;
}

static bool pst_evset_keep(const struct pst_event *ev, void *arg)
{
	struct pst_evset *s = arg;

	if (s->follow && ev->type == PST_EV_FORK &&
	    (pst_evset_has(s, ev->ppid) || pst_evset_has(s, ev->caller)) &&
	    !pst_evset_has(s, ev->pid))
		pst_evset_add(s, ev->pid);
	return ev->type != PST_EV_OTHER && (s->all || pst_evset_has(s, ev->pid));
}

static bool pst_evset_done(const struct pst_event *ev, void *arg)
{
	struct pst_evset *s = arg;

	return ev->type == s->done_type && ev->pid == s->done_pid;
}

long long pst_id_of(const char *path, pid_t pid)
{
	struct pst_task t;
	char err[256];

	if (!pst_read_task(path, pid, &t, err, sizeof(err)))
		return -1;
	return t.id;
}

/* Escape @in as the stream escapes names. */
static void pst_escape(const char *in, char *out, size_t len)
{
	size_t n = 0;

	for (; *in && n + 5 < len; in++) {
		unsigned char c = *in;

		if (c <= 0x20 || c == 0x7f || c == '\\')
			n += snprintf(out + n, len - n, "\\%03o", c);
		else
			out[n++] = c;
	}
	out[n] = '\0';
	if (!n)
		snprintf(out, len, "\\000");
}

int pst_evfix_setup_at(struct pst_ev_fix *f, const char *path, char *err,
		       size_t len)
{
	char comm[17] = "";
	int ret;

	memset(f, 0, sizeof(*f));
	f->es.fd = -1;
	if (access(PIDNS_TREE_PATH, R_OK)) {
		snprintf(err, len, "%s is absent: load pidns_tree.ko", PIDNS_TREE_PATH);
		return 1;
	}
	ret = pst_ev_open(path, 0, &f->es, 5000, err, len);
	if (ret == -ENOENT) {
		snprintf(err, len, "%s is absent: a module without the event stream",
			 path);
		return 1;
	}
	if (ret == -EOPNOTSUPP)
		return 1;	/* no tracepoints: err says so */
	if (ret)
		return -1;
	f->me_id = pst_id_of(PIDNS_TREE_PATH, getpid());
	if (!pst_pidns_of("/proc", getpid(), getpid(), &f->pidns) ||
	    prctl(PR_GET_NAME, comm)) {
		snprintf(err, len, "no pid namespace or name of our own");
		return -1;
	}
	pst_escape(comm, f->comm, sizeof(f->comm));
	return 0;
}

int pst_evfix_setup(struct pst_ev_fix *f, char *err, size_t len)
{
	return pst_evfix_setup_at(f, PST_EVENTS_PATH, err, len);
}

void pst_evfix_teardown(struct pst_ev_fix *f)
{
	pst_ev_close(&f->es);
	pst_evlist_free(&f->l);
}

int pst_evfix_collect(struct pst_ev_fix *f, struct pst_evset *set,
		      enum pst_ev_type type, long long pid, int settle_ms,
		      char *why, size_t len)
{
	struct pst_event bad;
	int ret;

	set->done_type = type;
	set->done_pid = pid;
	why[0] = '\0';
	if (type == PST_EV_OTHER)
		ret = pst_ev_collect(&f->es, &f->l, pst_evset_keep, NULL, set,
				     1000, 0, &bad);
	else
		ret = pst_ev_collect(&f->es, &f->l, pst_evset_keep,
				     pst_evset_done, set, 10000, settle_ms, &bad);
	if (ret < 0)
		snprintf(why, len, "reading the stream: %s%s%.400s",
			 strerror(-ret), ret == -EBADMSG ? ": " : "",
			 ret == -EBADMSG ? bad.line : "");
	else if (!ret)
		snprintf(why, len, "no %s line for %lld within 10 s",
			 pst_ev_name(type), pid);
	return ret;
}

const struct pst_event *pst_evfix_find(const struct pst_ev_fix *f,
				       enum pst_ev_type type, long long pid)
{
	size_t i;

	for (i = 0; i < f->l.n; i++)
		if (f->l.ev[i].type == type && f->l.ev[i].pid == pid)
			return &f->l.ev[i];
	return NULL;
}

void pst_evfix_types(const struct pst_ev_fix *f, long long pid, char *out,
		     size_t len)
{
	size_t i, n = 0;

	out[0] = '\0';
	for (i = 0; i < f->l.n && n < len; i++) {
		const struct pst_event *e = &f->l.ev[i];

		if (e->pid != pid || e->type == PST_EV_LOST)
			continue;
		n += snprintf(out + n, len - n, "%s%s", n ? " " : "",
			      pst_ev_name(e->type));
	}
}

void pst_evfix_dump(const struct pst_ev_fix *f)
{
	size_t i;

	fprintf(stderr, "# (stream header seq %llu, %zu lines kept)\n",
		f->es.header_seq, f->l.n);
	for (i = 0; i < f->l.n && i < 200; i++)
		fprintf(stderr, "#   %s\n", f->l.ev[i].line);
}

int pst_evfix_seq_up(const struct pst_ev_fix *f, char *why, size_t len)
{
	unsigned long long last = f->es.header_seq;
	size_t i;

	for (i = 0; i < f->l.n; i++) {
		if (f->l.ev[i].seq <= last) {
			snprintf(why, len, "seq %llu after %llu (the header's or the line before): '%s'",
				 f->l.ev[i].seq, last, f->l.ev[i].line);
			return -1;
		}
		last = f->l.ev[i].seq;
	}
	return 0;
}

pid_t pst_host_pid(void)
{
	char buf[32];
	ssize_t n = readlink("/proc/self", buf, sizeof(buf) - 1);

	if (n <= 0)
		return -1;
	buf[n] = '\0';
	return atoi(buf);
}

void *pst_shared(size_t len)
{
	void *p = mmap(NULL, len, PROT_READ | PROT_WRITE,
		       MAP_SHARED | MAP_ANONYMOUS, -1, 0);

	return p == MAP_FAILED ? NULL : p;
}

bool pst_wait_until(pid_t *p, int ms)
{
	for (; ms > 0; ms -= 5) {
		if (__atomic_load_n(p, __ATOMIC_ACQUIRE))
			return true;
		pst_sleep_ms(5);
	}
	return __atomic_load_n(p, __ATOMIC_ACQUIRE);
}
