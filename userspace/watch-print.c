// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * watch-print.c - the line (or JSON object) of each event of the stream
 *
 *   12:00:01.002 fork runc:[1:CHILD] 2003 (pid 1 in new pidns 4026532301) by 2002, parent runc 2001
 *   12:00:01.003 exec sh 2003 (pid 1 in docker demo)
 *   12:00:01.004 exit runc 2001 status 0
 *   12:00:01.004 adopt sh 2003 (pid 1 in docker demo) from runc 2001 (exited) to containerd-shim 1990: child subreaper
 *   12:00:01.005 reap runc 2001 by containerd-shim 1990
 *   12:00:01.006 lost 17 events (reader too slow)
 *
 * The event's process is named "NAME PID", with its PID in its own pid
 * namespace and its container (or that namespace) in brackets where it
 * has one; another process is "NAME PID", "NAME PID (exited)" once it
 * exited, the PID alone when its name is not known, and "?" where the
 * stream says "?".  Names are escaped as in the file (no space in a name).
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "evwatch-int.h"
#include "json-writer.h"

void pt_evw_clock(struct pt_evwatch *w)
{
	const char *env = getenv(PT_CLOCK_OFFSET_ENV);
	struct timespec rt, mono;

	if (env && *env) {
		w->offset_us = strtoll(env, NULL, 10);
		return;
	}
	clock_gettime(CLOCK_REALTIME, &rt);
	clock_gettime(CLOCK_MONOTONIC, &mono);
	w->offset_us = (long long)(rt.tv_sec - mono.tv_sec) * 1000000 +
		       (rt.tv_nsec - mono.tv_nsec) / 1000;
}

/* "12:00:01.002" (@iso: "2026-12-07T12:00:01.002345+01:00"), local time */
static void wall(const struct pt_evwatch *w, unsigned long long usec,
		 bool iso, char *buf, size_t sz)
{
	long long t = (long long)usec + w->offset_us;
	time_t sec = (time_t)(t / 1000000);
	long us = (long)(t % 1000000);
	char zone[8];
	struct tm tm;
	size_t n;

	if (us < 0) {
		us += 1000000;
		sec--;
	}
	localtime_r(&sec, &tm);
	if (!iso) {
		n = strftime(buf, sz, "%H:%M:%S", &tm);
		snprintf(buf + n, sz - n, ".%03ld", us / 1000);
		return;
	}
	n = strftime(buf, sz, "%Y-%m-%dT%H:%M:%S", &tm);
	strftime(zone, sizeof(zone), "%z", &tm);
	snprintf(buf + n, sz - n, ".%06ld%.3s:%.2s", us, zone, zone + 3);
}

static const char *const signames[] = {
	NULL, "SIGHUP", "SIGINT", "SIGQUIT", "SIGILL", "SIGTRAP", "SIGABRT",
	"SIGBUS", "SIGFPE", "SIGKILL", "SIGUSR1", "SIGSEGV", "SIGUSR2",
	"SIGPIPE", "SIGALRM", "SIGTERM", "SIGSTKFLT", "SIGCHLD", "SIGCONT",
	"SIGSTOP", "SIGTSTP", "SIGTTIN", "SIGTTOU", "SIGURG", "SIGXCPU",
	"SIGXFSZ", "SIGVTALRM", "SIGPROF", "SIGWINCH", "SIGIO", "SIGPWR",
	"SIGSYS",
};

/* "SIGKILL", "SIGRTMIN+3", "signal 99" */
static const char *signame(unsigned int sig, char *buf, size_t sz)
{
	if (sig < sizeof(signames) / sizeof(signames[0]) && signames[sig])
		return signames[sig];
	if (sig >= 34 && sig <= 64)
		snprintf(buf, sz, "SIGRTMIN+%u", sig - 34);
	else
		snprintf(buf, sz, "signal %u", sig);
	return buf;
}

/* --- the human line --------------------------------------------------------- */

static void put_name(const char *s, FILE *out)
{
	if (!*s || !strcmp(s, "?"))
		fprintf(out, "\\%03o", (unsigned char)*s);
	else
		pt_fputs_escaped(s, PT_ESC_FILE, out);
}

/* "docker demo", "pod default/web container app", "lxc web" */
static const char *ct_text(const struct pt_ct *c, char *buf, size_t sz)
{
	const struct pt_ctname *nm = c->name;

	if (nm && nm->name && *nm->name && !nm->pod_name && c->kind == PT_CT_CONTAINER) {
		snprintf(buf, sz, "%s %s", c->runtime, nm->name);
		return buf;
	}
	return c->label;
}

/* Another process: "runc 2001", "runc 2001 (exited)", "2002", "?" */
static void who(const struct pt_evwatch *w, pid_t pid, unsigned long long id,
		FILE *out)
{
	const struct pt_evproc *p = pt_evp_find(w, id);

	if (!pid) {
		fputs("0 (outside your namespace)", out);
		return;
	}
	if (pid == PT_EV_UNKNOWN_PID) {	/* gone, known by its id only */
		if (p && p->comm) {
			put_name(p->comm, out);
			fputs(" (exited)", out);
		} else {
			fprintf(out, "? (id %llu, exited)", id);
		}
		return;
	}
	if (p && p->comm && p->pid == pid) {
		put_name(p->comm, out);
		fputc(' ', out);
	}
	fprintf(out, "%d", (int)pid);
	if (p && p->pid == pid && !p->alive)
		fputs(" (exited)", out);
}

/* " (pid 1 in docker demo)", " (pid 1 in new pidns 4026532301)", "" */
static void where(struct pt_evwatch *w, const struct pt_evproc *p,
		  const struct pt_event *ev, FILE *out)
{
	const struct pt_ct *c = pt_evw_ct(w, p->cgroup);
	bool fork = ev->kind == PT_EV_FORK;
	bool fresh = fork && ev->ns == PT_EV_NS_NEW;
	char buf[sizeof(c->label) + 64];

	if (!p->has_ns || (!p->level && !fresh)) {
		if (c)
			fprintf(out, " (%s)", ct_text(c, buf, sizeof(buf)));
		return;
	}
	fprintf(out, " (pid %d in ", (int)p->nspid);
	if (c && !fresh)
		fputs(ct_text(c, buf, sizeof(buf)), out);
	else
		fprintf(out, "%spidns %llu", fresh ? "new " : "", p->pidns);
	if (fork && ev->ns == PT_EV_NS_JOIN)
		fputs(", entered", out);
	fputc(')', out);
}

static void subject(struct pt_evwatch *w, const struct pt_evproc *p,
		    const struct pt_event *ev, FILE *out)
{
	if (p->comm) {
		put_name(p->comm, out);
		fputc(' ', out);
	}
	fprintf(out, "%d", (int)ev->pid);
	where(w, p, ev, out);
}

static void status(unsigned int st, FILE *out)
{
	char buf[32];

	if (!(st & 0x7f))
		fprintf(out, " status %u", st >> 8);
	else
		fprintf(out, " killed by %s%s", signame(st & 0x7f, buf, sizeof(buf)),
			st & 0x80 ? ", core dumped" : "");
}

/*
 * A fork line shows the process as the event does: a snapshot read after
 * it may have its name after an exec, its cgroup after a move.
 */
static const struct pt_evproc *as_forked(const struct pt_evproc *p,
					 const struct pt_event *ev,
					 struct pt_evproc *tmp)
{
	if (ev->kind != PT_EV_FORK)
		return p;
	*tmp = *p;
	tmp->comm = (char *)ev->comm;
	tmp->cgroup = ev->cgroup;
	tmp->has_ns = true;
	tmp->pidns = ev->pidns;
	tmp->level = ev->level;
	tmp->nspid = ev->nspids[ev->level];
	return tmp;
}

static void human(struct pt_evwatch *w, const struct pt_event *ev,
		  const struct pt_evproc *p, FILE *out)
{
	struct pt_evproc tmp;
	char ts[64];

	wall(w, ev->usec, false, ts, sizeof(ts));
	fprintf(out, "%s %s", ts, ev->name);
	if (ev->kind == PT_EV_LOST) {
		fprintf(out, " %llu events (reader too slow)\n", ev->lost);
		return;
	}
	fputc(' ', out);
	subject(w, as_forked(p, ev, &tmp), ev, out);
	switch (ev->kind) {
	case PT_EV_FORK:
		fputs(" by ", out);
		if (ev->caller_id == ev->parent_id && ev->caller == ev->ppid) {
			who(w, ev->ppid, ev->parent_id, out);
			break;
		}
		who(w, ev->caller, ev->caller_id, out);
		fputs(", parent ", out);
		who(w, ev->ppid, ev->parent_id, out);
		break;
	case PT_EV_EXIT:
		status(ev->status, out);
		break;
	case PT_EV_REAP:
		fputs(" by ", out);
		if (ev->parent_known)
			who(w, ev->ppid, ev->parent_id, out);
		else
			fputc('?', out);
		break;
	case PT_EV_ADOPT:
		fputs(" from ", out);
		who(w, ev->old_ppid, ev->old_id, out);
		fputs(" to ", out);
		if (!ev->parent_known) {
			fputc('?', out);
			break;
		}
		who(w, ev->ppid, ev->parent_id, out);
		if (ev->rule == PT_EV_RULE_SUBREAPER)
			fputs(": child subreaper", out);
		else
			fprintf(out, ": init of pidns %llu", ev->pidns);
		break;
	default:
		break;
	}
	fputc('\n', out);
}

/* --- JSON ------------------------------------------------------------------- */

static void j_name(struct jsonw *j, const char *key, const struct pt_evwatch *w,
		   pid_t pid, unsigned long long id)
{
	const struct pt_evproc *p = pt_evp_find(w, id);

	if (p && p->comm && (p->pid == pid || pid == PT_EV_UNKNOWN_PID))
		jsonw_string_field(j, key, p->comm);
	else
		jsonw_null_field(j, key);
}

/* "ppid", "parent_id", "parent_comm" (null where the stream says '?') */
static void j_proc(struct jsonw *j, const char *pidkey, const char *idkey,
		   const char *commkey, const struct pt_evwatch *w, bool known,
		   pid_t pid, unsigned long long id)
{
	if (!known) {
		jsonw_null_field(j, pidkey);
		jsonw_null_field(j, idkey);
		jsonw_null_field(j, commkey);
		return;
	}
	if (pid == PT_EV_UNKNOWN_PID)
		jsonw_null_field(j, pidkey);
	else
		jsonw_int_field(j, pidkey, pid);
	jsonw_uint_field(j, idkey, id);
	j_name(j, commkey, w, pid, id);
}

static void j_container(struct jsonw *j, struct pt_evwatch *w,
			unsigned long long cgroup)
{
	const struct pt_ct *c = pt_evw_ct(w, cgroup);

	if (c)
		jsonw_string_field(j, "container", c->label);
	else
		jsonw_null_field(j, "container");
}

static void j_fork(struct jsonw *j, struct pt_evwatch *w,
		   const struct pt_event *ev)
{
	static const char *const ns[] = { NULL, "new", "join" };
	unsigned int i;

	j_proc(j, "ppid", "parent_id", "parent_comm", w, true, ev->ppid,
	       ev->parent_id);
	j_proc(j, "caller", "caller_id", "caller_comm", w, true, ev->caller,
	       ev->caller_id);
	jsonw_uint_field(j, "pidns", ev->pidns);
	jsonw_uint_field(j, "level", ev->level);
	jsonw_name(j, "nspids");
	jsonw_start_array(j);
	for (i = 0; i <= ev->level; i++)
		jsonw_int(j, ev->nspids[i]);
	jsonw_end_array(j);
	if (ns[ev->ns])
		jsonw_string_field(j, "ns", ns[ev->ns]);
	else
		jsonw_null_field(j, "ns");
	jsonw_uint_field(j, "cgroup", ev->cgroup);
	j_container(j, w, ev->cgroup);
}

static void j_exit(struct jsonw *j, unsigned int st)
{
	char buf[32];

	jsonw_uint_field(j, "status", st);
	if (!(st & 0x7f)) {
		jsonw_uint_field(j, "exit_code", st >> 8);
		jsonw_null_field(j, "signal");
	} else {
		jsonw_null_field(j, "exit_code");
		jsonw_string_field(j, "signal", signame(st & 0x7f, buf, sizeof(buf)));
	}
	jsonw_bool_field(j, "core_dumped", st & 0x80);
}

static void j_body(struct jsonw *j, struct pt_evwatch *w,
		   const struct pt_event *ev)
{
	switch (ev->kind) {
	case PT_EV_FORK:
		j_fork(j, w, ev);
		break;
	case PT_EV_EXEC:
		jsonw_uint_field(j, "cgroup", ev->cgroup);
		j_container(j, w, ev->cgroup);
		break;
	case PT_EV_EXIT:
		j_exit(j, ev->status);
		break;
	case PT_EV_REAP:
		j_proc(j, "ppid", "parent_id", "parent_comm", w, ev->parent_known,
		       ev->ppid, ev->parent_id);
		break;
	case PT_EV_ADOPT:
		j_proc(j, "old_ppid", "old_parent_id", "old_parent_comm", w, true,
		       ev->old_ppid, ev->old_id);
		j_proc(j, "ppid", "parent_id", "parent_comm", w, ev->parent_known,
		       ev->ppid, ev->parent_id);
		if (ev->rule == PT_EV_RULE_UNKNOWN) {
			jsonw_null_field(j, "rule");
			jsonw_null_field(j, "parent_pidns");
			break;
		}
		jsonw_string_field(j, "rule", ev->rule == PT_EV_RULE_INIT ?
				   "init" : "subreaper");
		jsonw_uint_field(j, "parent_pidns", ev->pidns);
		break;
	default:
		break;
	}
}

static int json(struct pt_evwatch *w, const struct pt_event *ev,
		const struct pt_evproc *p, FILE *out)
{
	struct jsonw *j = jsonw_new(out, 0);
	char ts[64];

	wall(w, ev->usec, true, ts, sizeof(ts));
	jsonw_start_object(j);
	jsonw_string_field(j, "event", ev->name);
	jsonw_uint_field(j, "seq", ev->seq);
	jsonw_uint_field(j, "usec", ev->usec);
	jsonw_string_field(j, "time", ts);
	if (ev->kind == PT_EV_LOST) {
		jsonw_uint_field(j, "lost", ev->lost);
	} else {
		jsonw_uint_field(j, "id", ev->id);
		jsonw_int_field(j, "pid", ev->pid);
		if (ev->comm)
			jsonw_string_field(j, "comm", ev->comm);
		else if (p->comm)
			jsonw_string_field(j, "comm", p->comm);
		else
			jsonw_null_field(j, "comm");
		j_body(j, w, ev);
	}
	jsonw_end_object(j);
	return jsonw_destroy(j);
}

int pt_evw_print(struct pt_evwatch *w, const struct pt_event *ev,
		 const struct pt_evproc *p)
{
	FILE *out = w->o.out;

	if (w->o.json)
		return json(w, ev, p, out);
	human(w, ev, p, out);
	return ferror(out) ? -1 : 0;
}
