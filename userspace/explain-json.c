// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * explain-json.c - --explain PID -J: the facts explain.c collected, as one
 * JSON object for scripts and tests.
 */
#include <stdio.h>

#include "explain.h"
#include "json-writer.h"

/* ---- JSON ----------------------------------------------------------------- */

static const char *const fate_name[] = {
	[FATE_NOBODY]	= "nobody",
	[FATE_PANIC]	= "panic",
	[FATE_NS_DIES]	= "namespace-dies",
	[FATE_ADOPTED]	= "adopted",
	[FATE_OUTSIDE]	= "outside",
	[FATE_UNKNOWN]	= "unknown",
};

static const char *rule_name(enum pt_reaper_rule r)
{
	switch (r) {
	case PT_RULE_SUBREAPER:	return "subreaper";
	case PT_RULE_NS_INIT:	return "namespace-init";
	default:		return NULL;
	}
}

static void j_ns(struct jsonw *w, const char *name, const struct pt_ns *ns)
{
	if (ns)
		jsonw_uint_field(w, name, ns->inode);
	else
		jsonw_null_field(w, name);
}

static void j_str(struct jsonw *w, const char *name, const char *s)
{
	if (s)
		jsonw_string_field(w, name, s);
	else
		jsonw_null_field(w, name);
}

/* "pid": N, "comm": its name (null if not listed) */
static void j_proc(struct jsonw *w, const struct pt_model *m, pid_t pid)
{
	const struct pt_task *t = pid > 0 ? pt_find_task(m, pid) : NULL;

	if (pid > 0)
		jsonw_int_field(w, "pid", pid);
	else
		jsonw_null_field(w, "pid");
	j_str(w, "comm", t ? t->comm : NULL);
}

static void j_adoption(struct jsonw *w, const struct explanation *e,
		       const char *name, const struct adoption *a)
{
	jsonw_name(w, name);
	jsonw_start_object(w);
	jsonw_string_field(w, "fate", fate_name[a->fate]);
	j_proc(w, e->m, a->pid);
	j_ns(w, "pidns", a->ns);
	jsonw_bool_field(w, "own_pidns", !a->ns || a->ns == e->ns);
	j_str(w, "rule", a->fate == FATE_ADOPTED ? rule_name(a->rule) : NULL);
	if (a->rule == PT_RULE_NS_INIT && a->fate == FATE_ADOPTED) {
		jsonw_bool_field(w, "subreaper_searched", !a->no_flag);
		if (a->beyond) {
			jsonw_name(w, "stopped_at_boundary");
			jsonw_start_object(w);
			j_proc(w, e->m, a->beyond->main->tgid);
			j_ns(w, "pidns", a->beyond->ns);
			jsonw_end_object(w);
		}
	}
	jsonw_end_object(w);
}

static const char *const how_name[] = {
	[HOW_NO_COLUMN]	= "unknown",
	[HOW_UNKNOWN]	= "unknown",
	[HOW_FORKED]	= "forked",
	[HOW_THREAD]	= "thread",
	[HOW_ADOPTED]	= "adopted",
};

static const char *const parent_name[] = {
	[PARENT_IDLE]		= "idle-task",
	[PARENT_ABOVE]		= "outside",
	[PARENT_LISTED]		= "listed",
	[PARENT_NOT_LISTED]	= "not-listed",
};

static const char *const ct_kind[] = {
	[PT_CT_NONE]		= "none",
	[PT_CT_CONTAINER]	= "container",
	[PT_CT_MONITOR]		= "monitor",
	[PT_CT_POD]		= "pod",
};

static void j_names(struct jsonw *w, const struct explanation *e)
{
	const char *names[3] = { e->t->comm, e->origin_comm, NULL };
	const struct pt_task *pt = pt_find_task(e->m, e->t->ppid);
	unsigned int i, seen = 0;

	names[2] = pt ? pt->comm : NULL;
	jsonw_name(w, "kernel_names");
	jsonw_start_array(w);
	for (i = 0; i < 3; i++) {
		unsigned int n = pt_explain_kernel_name(names[i]);

		if (!n || (seen & n))
			continue;
		seen |= n;
		jsonw_start_object(w);
		jsonw_string_field(w, "name", names[i]);
		jsonw_string_field(w, "note", pt_explain_note[n]);
		jsonw_end_object(w);
	}
	jsonw_end_array(w);
}

int pt_explain_json(const struct explanation *e, FILE *out)
{
	struct jsonw *w = jsonw_new(out, 0);
	const struct pt_task *t = e->t;
	unsigned int i;

	jsonw_start_object(w);
	jsonw_int_field(w, "pid", t->pid);
	jsonw_int_field(w, "tgid", t->tgid);
	jsonw_string_field(w, "comm", t->comm);
	jsonw_bool_field(w, "thread", e->thread);
	jsonw_bool_field(w, "init", e->init);
	jsonw_bool_field(w, "zombie", e->zombie);
	jsonw_uint_field(w, "pidns", e->ns->inode);
	jsonw_int_field(w, "level", t->level);
	jsonw_name(w, "namespaces");	/* its own first, yours last */
	jsonw_start_array(w);
	for (i = 0; i <= t->level; i++) {
		if (e->chain[i])
			jsonw_uint(w, e->chain[i]->inode);
		else
			jsonw_null(w);
	}
	jsonw_end_array(w);
	jsonw_bool_field(w, "host_view", e->host);
	jsonw_name(w, "container");
	if (e->cg && e->cg->ct.kind != PT_CT_NONE) {
		jsonw_start_object(w);
		jsonw_string_field(w, "kind", ct_kind[e->cg->ct.kind]);
		jsonw_string_field(w, "label", e->cg->ct.label);
		jsonw_uint_field(w, "cgroup", t->cgroup);
		jsonw_end_object(w);
	} else {
		jsonw_null(w);
	}
	jsonw_name(w, "parent");
	jsonw_start_object(w);
	jsonw_string_field(w, "where", parent_name[e->parent_case]);
	j_proc(w, e->m, t->ppid);
	j_ns(w, "pidns", e->parent ? e->parent->ns : NULL);
	jsonw_bool_field(w, "entered_from_outside", e->entered);
	jsonw_string_field(w, "how", how_name[e->how]);
	jsonw_end_object(w);
	jsonw_name(w, "first_parent");
	jsonw_start_object(w);
	if (e->origin > 0)
		jsonw_int_field(w, "pid", e->origin);
	else
		jsonw_null_field(w, "pid");
	j_str(w, "comm", e->origin_comm);
	jsonw_bool_field(w, "outside", e->origin == 0);
	jsonw_bool_field(w, "exited", e->how == HOW_ADOPTED);
	jsonw_bool_field(w, "pid_reused", e->origin_reused);
	jsonw_end_object(w);
	if (e->how == HOW_ADOPTED)
		j_adoption(w, e, "adopted_by", &e->took);
	else
		jsonw_null_field(w, "adopted_by");
	jsonw_name(w, "tracer");
	if (e->tracer) {
		jsonw_start_object(w);
		j_proc(w, e->m, e->tracer);
		jsonw_end_object(w);
	} else {
		jsonw_null(w);
	}
	j_adoption(w, e, "if_parent_exits", &e->next);
	jsonw_int_field(w, "children", e->nr_children);
	j_adoption(w, e, "if_it_exits", &e->kids);
	j_names(w, e);
	jsonw_end_object(w);
	return jsonw_destroy(w);
}
