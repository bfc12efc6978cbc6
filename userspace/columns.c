// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * columns.c - the column table, and the value of each column for a task
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include <libsmartcols.h>

#include "pidns-tree.h"
#include "xalloc.h"

#define FILECOL		PT_CF_FILE
#define NUM		SCOLS_JSON_NUMBER
#define STR		SCOLS_JSON_STRING
#define BOOL		SCOLS_JSON_BOOLEAN
#define R		SCOLS_FL_RIGHT

const struct pt_colinfo pt_columns[PT_NR_COLUMNS] = {
	[PT_COL_PID]	= { "pid", "PID", 5, R, NUM, FILECOL,
		"task (thread) ID in your namespace; in the tree, then the IDs below" },
	[PT_COL_TGID]	= { "tgid", "TGID", 5, R, NUM, FILECOL,
		"thread group (process) ID" },
	[PT_COL_PPID]	= { "ppid", "PPID", 5, R, NUM, FILECOL,
		"real parent process, 0 if none or outside" },
	[PT_COL_PARENT]	= { "parent", "PARENT", 5, R, NUM, FILECOL,
		"task->parent: the tracer while traced, else the real parent" },
	[PT_COL_TRACER]	= { "tracer", "TRACER", 5, R, NUM, FILECOL,
		"ptrace tracer, 0 if none" },
	[PT_COL_SUB]	= { "sub", "SUB", 1, 0, STR, FILECOL,
		"S child subreaper, s may have one above, - neither" },
	[PT_COL_REAPER]	= { "reaper", "REAPER", 5, R, NUM, FILECOL | PT_CF_PROCESS,
		"adopter if the real parent's process exits; - parent is an ns init" },
	[PT_COL_PIDNS]	= { "pidns", "PIDNS", 10, R, NUM, FILECOL,
		"inode of the task's pid namespace" },
	[PT_COL_LEVEL]	= { "level", "LEVEL", 1, R, NUM, FILECOL,
		"namespace depth below yours" },
	[PT_COL_NSPIDS]	= { "nspids", "NSPIDS", 5, 0, SCOLS_JSON_ARRAY_NUMBER, FILECOL,
		"PID in each namespace, yours first" },
	[PT_COL_STATE]	= { "state", "STATE", 1, 0, STR, FILECOL,
		"state: R S D T t X Z P I" },
	[PT_COL_INIT]	= { "init", "INIT", 1, R, BOOL, FILECOL,
		"1 if the init (child_reaper) of its namespace" },
	[PT_COL_ORIGIN]	= { "origin", "ORIGIN", 5, R, NUM, FILECOL | PT_CF_OPTIONAL,
		"first parent: the process that made it; 0 outside, ? unknown" },
	[PT_COL_ORIGIN_COMM] = { "origin_comm", "ORIGIN_COMM", 0.1, SCOLS_FL_TRUNC, STR,
		FILECOL | PT_CF_OPTIONAL,
		"the first parent's name when it made this one" },
	[PT_COL_ADOPTED] = { "adopted", "ADOPTED", 1, R, BOOL, FILECOL | PT_CF_OPTIONAL,
		"1 if its first parent exited and another process adopted it" },
	[PT_COL_CGROUP]	= { "cgroup", "CGROUP", 5, R, NUM, FILECOL | PT_CF_OPTIONAL,
		"cgroup v2 id (inode); 0 outside your cgroup namespace, ? unknown" },
	[PT_COL_ID]	= { "id", "ID", 5, R, NUM, FILECOL | PT_CF_OPTIONAL,
		"its process's id: never reused, as in the event stream; 0 none, ? unknown" },
	[PT_COL_COMM]	= { "comm", "COMM", 0, SCOLS_FL_TRUNC, STR, FILECOL,
		"command name" },
	[PT_COL_THREAD]	= { "thread", "THREAD", 1, R, BOOL, 0,
		"1 unless the leader of its thread group" },
	[PT_COL_THREADS] = { "threads", "THREADS", 3, R, NUM, PT_CF_PROCESS,
		"number of threads of its process" },
	[PT_COL_COMMAND] = { "command", "COMMAND", 0.3, SCOLS_FL_TRUNC, STR, 0,
		"command name, {name} for a thread; the tree is drawn in it" },
	[PT_COL_NOTES]	= { "notes", "NOTES", 0.3, SCOLS_FL_TRUNC, STR, 0,
		"ns init, subreaper, tracer, state, adopted, orphan, threads" },
	[PT_COL_CONTAINER] = { "container", "CONTAINER", 0.2, SCOLS_FL_TRUNC, STR, 0,
		"its container, from its cgroup: docker demo (36d649e82a2b)" },
	[PT_COL_ENTERED] = { "entered", "ENTERED", 1, R, BOOL, PT_CF_PROCESS,
		"1 if it entered its namespace from outside (exec, nsenter)" },
};

int pt_column_by_name(const char *name, size_t len)
{
	int i;

	for (i = 0; i < PT_NR_COLUMNS; i++)
		if (strlen(pt_columns[i].header) == len &&
		    strncasecmp(pt_columns[i].header, name, len) == 0)
			return i;
	return -1;
}

/* --- NOTES ------------------------------------------------------------ */

static void note(struct pt_value *v, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void note(struct pt_value *v, const char *fmt, ...)
{
	size_t n = strlen(v->buf);
	va_list ap;

	if (n + 3 >= sizeof(v->buf))
		return;
	if (n)
		n += snprintf(v->buf + n, sizeof(v->buf) - n, ", ");
	va_start(ap, fmt);
	vsnprintf(v->buf + n, sizeof(v->buf) - n, fmt, ap);
	va_end(ap);
}

static const char *comm_of(const struct pt_model *m, pid_t pid)
{
	const struct pt_task *t = pt_find_task(m, pid);

	return t ? t->comm : "?";
}

static void note_state(struct pt_value *v, const struct pt_task *t)
{
	switch (t->state) {
	case 'Z':	note(v, "zombie"); break;
	case 'X':	note(v, "dead"); break;
	case 'T':	note(v, "stopped"); break;
	case 't':	note(v, "trace-stopped"); break;
	}
}

static void note_tracer(const struct pt_model *m, struct pt_value *v,
			const struct pt_task *t, bool thread)
{
	if (!t->tracer)
		return;
	if (thread)
		note(v, "thread %d traced by %d (%s)", (int)t->pid,
		     (int)t->tracer, comm_of(m, t->tracer));
	else
		note(v, "traced by %d (%s)", (int)t->tracer,
		     comm_of(m, t->tracer));
}

/* Made by a process that exited, then adopted: name that first parent. */
static void note_adopted(struct pt_value *v, const struct pt_task *t)
{
	if (t->adopted != '1')
		return;
	if (t->origin_comm)
		note(v, "adopted, first parent %s %d, exited", t->origin_comm,
		     (int)t->origin);
	else
		note(v, "adopted, first parent outside, exited");
}

/* Who took (or takes) an orphan whose parent left the snapshot. */
static void note_orphan(const struct pt_model *m, struct pt_value *v,
			const struct pt_proc *p)
{
	pid_t r = p->main->reaper;

	if (r > 0)
		note(v, "orphan, adopted by %d (%s)", (int)r, comm_of(m, r));
	else if (r == 0)
		note(v, "orphan, adopted outside this namespace");
	else
		note(v, "orphan of a namespace init, killed with its namespace");
}

static void notes(const struct pt_cellctx *c, const struct pt_task *t,
		  struct pt_value *v)
{
	const struct pt_proc *p = t->proc;
	const struct pt_task *th;

	v->type = PT_V_STR;
	v->s = v->buf;
	v->buf[0] = '\0';
	if (t != p->main) {
		note_tracer(c->m, v, t, false);
		note_state(v, t);
		return;
	}
	if (pt_is_init(p))
		note(v, "ns init");
	if (pt_is_subreaper(p))
		note(v, "subreaper");
	if (pt_entered(p))
		note(v, "entered from pid:[%llu]", p->parent->ns->inode);
	note_tracer(c->m, v, t, false);
	note_state(v, t);
	note_adopted(v, t);
	if (p->gone)
		note_orphan(c->m, v, p);
	if (p->leader_missing)
		note(v, "leader %d not in snapshot", (int)t->tgid);
	if (!c->folded || p->nr_threads < 2)
		return;
	note(v, "%u threads", p->nr_threads);
	for (th = p->threads; th; th = th->next_thread)
		if (th != t && th->tracer && th->tracer != t->tracer)
			note_tracer(c->m, v, th, true);
}

/* --- CONTAINER -------------------------------------------------------- */

/* "?" without cgroup paths; empty outside containers. */
static void container(const struct pt_cellctx *c, const struct pt_task *t,
		      struct pt_value *v)
{
	const struct pt_ct *ct = pt_task_ct(t);

	if (!c->m->labels) {
		v->type = PT_V_UNKNOWN;
	} else if (!ct) {
		v->type = PT_V_NONE;
	} else {
		v->type = PT_V_STR;
		v->s = ct->label;
	}
}

/* --- values ----------------------------------------------------------- */

static void num(struct pt_value *v, long long i)
{
	v->type = PT_V_INT;
	v->i = i;
}

static void chr(struct pt_value *v, char ch)
{
	v->type = PT_V_STR;
	v->buf[0] = ch;
	v->buf[1] = '\0';
	v->s = v->buf;
}

void pt_cell_value(const struct pt_cellctx *c, const struct pt_task *t,
		   int col, struct pt_value *v)
{
	const struct pt_proc *p = t->proc;

	v->t = t;
	if (c->tree && t != p->main && (pt_columns[col].cflags & PT_CF_PROCESS)) {
		v->type = PT_V_NONE;
		return;
	}
	switch (col) {
	case PT_COL_PID:
		if (!c->tree) {
			num(v, t->pid);
		} else if (t == p->main && p->leader_missing) {
			num(v, t->tgid);
		} else {
			v->type = PT_V_PIDS;
			v->tree = true;
		}
		break;
	case PT_COL_TGID:	num(v, t->tgid); break;
	case PT_COL_PPID:	num(v, t->ppid); break;
	case PT_COL_PARENT:	num(v, t->parent); break;
	case PT_COL_TRACER:	num(v, t->tracer); break;
	case PT_COL_SUB:	chr(v, t->sub); break;
	case PT_COL_REAPER:
		if (t->reaper == PT_REAPER_NONE)
			v->type = PT_V_NULL;
		else
			num(v, t->reaper);
		break;
	case PT_COL_PIDNS:
		v->type = PT_V_UINT;
		v->u = t->pidns;
		break;
	case PT_COL_LEVEL:	num(v, t->level); break;
	case PT_COL_NSPIDS:
		v->type = PT_V_PIDS;
		v->tree = false;
		break;
	case PT_COL_STATE:	chr(v, t->state); break;
	case PT_COL_INIT:
		v->type = PT_V_BOOL;
		v->i = t->init;
		break;
	case PT_COL_ORIGIN:
		if (t->origin == PT_ORIGIN_UNKNOWN)
			v->type = PT_V_UNKNOWN;
		else
			num(v, t->origin);
		break;
	case PT_COL_ORIGIN_COMM:
		v->type = t->origin_comm ? PT_V_STR : PT_V_UNKNOWN;
		v->s = t->origin_comm;
		break;
	case PT_COL_ADOPTED:
		v->type = t->adopted == '?' ? PT_V_UNKNOWN : PT_V_BOOL;
		v->i = t->adopted == '1';
		break;
	case PT_COL_CGROUP:
		if (!c->m->snap.has_cgroup) {
			v->type = PT_V_UNKNOWN;
		} else {
			v->type = PT_V_UINT;
			v->u = t->cgroup;
		}
		break;
	case PT_COL_ID:
		if (!c->m->snap.has_id) {
			v->type = PT_V_UNKNOWN;
		} else {
			v->type = PT_V_UINT;
			v->u = t->id;
		}
		break;
	case PT_COL_COMM:
		v->type = PT_V_STR;
		v->s = t->comm;
		break;
	case PT_COL_THREAD:
		v->type = PT_V_BOOL;
		v->i = t->pid != t->tgid;
		break;
	case PT_COL_THREADS:	num(v, p->nr_threads); break;
	case PT_COL_COMMAND:
		v->type = PT_V_STR;
		if (t == p->main) {
			v->s = t->comm;
		} else {
			snprintf(v->buf, sizeof(v->buf), "{%s}", t->comm);
			v->s = v->buf;
		}
		break;
	case PT_COL_NOTES:
		notes(c, t, v);
		break;
	case PT_COL_CONTAINER:
		container(c, t, v);
		break;
	case PT_COL_ENTERED:
		v->type = PT_V_BOOL;
		v->i = pt_entered(p);
		break;
	default:
		v->type = PT_V_NONE;
	}
}

const char *pt_value_text(const struct pt_value *v, char *buf, size_t sz)
{
	switch (v->type) {
	case PT_V_NONE:
		return NULL;
	case PT_V_NULL:
		return "-";
	case PT_V_UNKNOWN:
		return "?";
	case PT_V_INT:
	case PT_V_BOOL:
		*pt_itoa(buf, v->i) = '\0';
		return buf;
	case PT_V_UINT:
		*pt_utoa(buf, v->u) = '\0';
		return buf;
	case PT_V_PIDS:
		return pt_pids(v->t, v->tree ? PT_PIDS_TREE : PT_PIDS_LIST,
			       buf, sz);
	case PT_V_STR:
		return v->s;
	}
	return NULL;
}

/* The colour of a task's name, as libsmartcols names colours. */
const char *pt_task_color(const struct pt_task *t)
{
	const struct pt_proc *p = t->proc;

	if (t->state == 'Z' || t->state == 'X')
		return "red";
	if (t->tracer)
		return "magenta";
	if (t != p->main)
		return NULL;
	if (pt_is_init(p))
		return "bold";
	if (pt_is_subreaper(p))
		return "green";
	return NULL;
}

/* --- --list order ----------------------------------------------------- */

static int sort_col;
static struct pt_cellctx sort_cx;

static int cmp_values(const struct pt_value *a, const struct pt_value *b)
{
	unsigned int i;

	/* no value and '-' come first */
	if (pt_value_empty(a) || pt_value_empty(b))
		return pt_value_empty(b) - pt_value_empty(a);
	switch (a->type) {
	case PT_V_INT:
	case PT_V_BOOL:
		return (a->i > b->i) - (a->i < b->i);
	case PT_V_UINT:
		return (a->u > b->u) - (a->u < b->u);
	case PT_V_STR:
		return strcmp(a->s, b->s);
	case PT_V_PIDS:
		for (i = 0; i <= a->t->level && i <= b->t->level; i++)
			if (a->t->nspids[i] != b->t->nspids[i])
				return a->t->nspids[i] < b->t->nspids[i] ? -1 : 1;
		return (a->t->level > b->t->level) - (a->t->level < b->t->level);
	default:
		return 0;
	}
}

static int cmp_tasks(const void *pa, const void *pb)
{
	const struct pt_task *a = *(const struct pt_task *const *)pa;
	const struct pt_task *b = *(const struct pt_task *const *)pb;
	struct pt_value va, vb;
	int r;

	pt_cell_value(&sort_cx, a, sort_col, &va);
	pt_cell_value(&sort_cx, b, sort_col, &vb);
	r = cmp_values(&va, &vb);
	if (r)
		return r;
	return (a > b) - (a < b);	/* stable: file order */
}

const struct pt_task **pt_list_tasks(const struct pt_model *m,
				     const struct pt_opts *o, size_t *n)
{
	const struct pt_task **v = xcalloc(m->snap.nr_tasks, sizeof(*v));
	size_t i;

	*n = 0;
	for (i = 0; i < m->snap.nr_tasks; i++)
		if (m->snap.tasks[i].proc->selected)
			v[(*n)++] = &m->snap.tasks[i];
	if (o->sort >= 0) {
		sort_col = o->sort;
		sort_cx = (struct pt_cellctx){ .m = m };
		qsort(v, *n, sizeof(*v), cmp_tasks);
	}
	return v;
}
