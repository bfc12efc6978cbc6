// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * container.c - cgroup ids to paths, and paths to containers
 *
 * Runtimes name the cgroup of a container after it (Falco's container
 * engines and Tetragon recognise containers the same way):
 *
 *   docker      /system.slice/docker-ID.scope (systemd driver),
 *               /docker/ID (cgroupfs driver)
 *   containerd  .../cri-containerd-ID.scope (CRI, systemd driver),
 *               ...slice:cri-containerd:ID (CRI, cgroupfs naming),
 *               /NAMESPACE/ID (containerd itself: ctr, nerdctl)
 *   cri-o       .../crio-ID.scope, .../crio-ID; its conmon crio-conmon-ID
 *   podman      /machine.slice/libpod-ID.scope, /libpod_parent/libpod-ID,
 *               .../libpod-payload-ID (--cgroups=split); its conmon
 *               libpod-conmon-ID(.scope)
 *   lxc         /lxc.payload.NAME (LXC 4 and later), /lxc/NAME,
 *               /lxc.payload/NAME; its monitor lxc.monitor.NAME
 *   nspawn      /machine.slice/machine-NAME.scope, NAME with systemd's
 *               \xHH escapes (machine-my\x2dbox.scope is my-box); its
 *               supervisor in the scope's supervisor/ child
 *   kubernetes  /kubepods.slice/kubepods-burstable.slice/
 *               kubepods-burstable-podUID.slice/... (systemd driver, UID
 *               with _ for -), /kubepods/besteffort/podUID/ID (cgroupfs
 *               driver, the container a bare ID)
 *
 * The innermost match in a path wins: a cgroup below a container's (crun's
 * container/, a container's own sub-cgroups, a container in a container)
 * belongs to the innermost container.  A runtime's monitor (conmon, the
 * lxc monitor, the nspawn supervisor) is not in the container: it gets no
 * label, and --explain names it.  IDs are hex; names (lxc, nspawn,
 * containerd's own) are kept whole.
 *
 * The map: one nftw() walk of the cgroup2 mount, each directory's inode
 * (the cgroup id on 64-bit kernels) and its path from the hierarchy root.
 */
#include <errno.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "escape.h"
#include "model.h"
#include "xalloc.h"

/* --- path -> container ------------------------------------------------- */

struct comp {
	const char	*s;
	size_t		n;
};

static bool starts(const struct comp *c, const char *prefix)
{
	size_t n = strlen(prefix);

	return c->n >= n && !memcmp(c->s, prefix, n);
}

static bool ends(const struct comp *c, const char *suffix)
{
	size_t n = strlen(suffix);

	return c->n >= n && !memcmp(c->s + c->n - n, suffix, n);
}

static bool is(const struct comp *c, const char *s)
{
	return c && c->n == strlen(s) && !memcmp(c->s, s, c->n);
}

static bool hex_id(const char *s, size_t n)
{
	size_t i;

	if (n < PT_CT_SHORT || n > 64)
		return false;
	for (i = 0; i < n; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
			return false;
	return true;
}

/* A systemd unit's name: not a container id nor a containerd namespace. */
static bool unit(const struct comp *c)
{
	static const char *const suffix[] = {
		".scope", ".slice", ".service", ".mount", ".socket", ".swap",
		".target", ".device", ".path", ".timer",
	};
	size_t i;

	for (i = 0; i < sizeof(suffix) / sizeof(suffix[0]); i++)
		if (ends(c, suffix[i]))
			return true;
	return false;
}

/* Copy a name, undoing systemd's \xHH if @unescape; control bytes as '?'. */
static void set_name(char *dst, const char *s, size_t n, bool unescape)
{
	size_t i, o = 0;

	for (i = 0; i < n && o < PT_CT_ID_MAX; i++) {
		unsigned char ch = s[i];
		unsigned int v;

		if (unescape && ch == '\\' && i + 3 < n && s[i + 1] == 'x' &&
		    sscanf(s + i + 2, "%2x", &v) == 1 && v) {
			ch = (unsigned char)v;
			i += 3;
		}
		dst[o++] = ch < 0x20 || ch == 0x7f ? '?' : (char)ch;
	}
	dst[o] = '\0';
}

static bool set(struct pt_ct *c, enum pt_ct_kind kind, const char *runtime,
		const char *id, size_t n, bool unescape)
{
	c->kind = kind;
	c->runtime = runtime;
	c->hex = hex_id(id, n);
	set_name(c->id, id, n, unescape);
	return true;
}

/* PREFIX-ID.scope, or PREFIX-ID without .scope if @bare: a hex id. */
static bool prefixed(const struct comp *c, const char *prefix, bool bare,
		     struct pt_ct *ct, enum pt_ct_kind kind, const char *runtime)
{
	size_t p = strlen(prefix), n;

	if (!starts(c, prefix))
		return false;
	n = c->n - p;
	if (ends(c, ".scope"))
		n -= 6;
	else if (!bare)
		return false;
	if (!hex_id(c->s + p, n))
		return false;
	return set(ct, kind, runtime, c->s + p, n, false);
}

/*
 * Is component @c (below @parent, above @child; either may be NULL, @depth
 * from the root, 0 for the first; in a pod of runtime @pod_rt, or NULL) a
 * container's cgroup?
 */
static bool match(const struct comp *parent, const struct comp *c,
		  const struct comp *child, size_t depth, const char *pod_rt,
		  struct pt_ct *ct)
{
	const char *colon;

	if (prefixed(c, "docker-", false, ct, PT_CT_CONTAINER, "docker") ||
	    prefixed(c, "nerdctl-", false, ct, PT_CT_CONTAINER, "nerdctl") ||
	    prefixed(c, "cri-containerd-", false, ct, PT_CT_CONTAINER, "containerd") ||
	    prefixed(c, "crio-conmon-", true, ct, PT_CT_MONITOR, "cri-o") ||
	    prefixed(c, "crio-", true, ct, PT_CT_CONTAINER, "cri-o") ||
	    prefixed(c, "libpod-conmon-", true, ct, PT_CT_MONITOR, "podman") ||
	    prefixed(c, "libpod-payload-", true, ct, PT_CT_CONTAINER, "podman") ||
	    prefixed(c, "libpod-", true, ct, PT_CT_CONTAINER, "podman"))
		return true;
	if (is(parent, "docker") && hex_id(c->s, c->n))
		return set(ct, PT_CT_CONTAINER, "docker", c->s, c->n, false);
	/* kubepods-...-podUID.slice:cri-containerd:ID (and crio, docker) */
	colon = memrchr(c->s, ':', c->n);
	if (colon && hex_id(colon + 1, c->s + c->n - colon - 1) &&
	    colon - c->s > 6 && memmem(c->s, colon - c->s, ".slice:", 7)) {
		const char *rt = memmem(c->s, c->n, ":crio:", 6) ? "cri-o" :
				 memmem(c->s, c->n, ":docker:", 8) ? "docker" :
				 "containerd";

		return set(ct, PT_CT_CONTAINER, rt, colon + 1,
			   c->s + c->n - colon - 1, false);
	}
	if (starts(c, "lxc.payload.") && c->n > 12)
		return set(ct, PT_CT_CONTAINER, "lxc", c->s + 12, c->n - 12, false);
	if (starts(c, "lxc.monitor.") && c->n > 12)
		return set(ct, PT_CT_MONITOR, "lxc", c->s + 12, c->n - 12, false);
	if ((is(parent, "lxc") || is(parent, "lxc.payload")) && depth == 1)
		return set(ct, PT_CT_CONTAINER, "lxc", c->s, c->n, false);
	if (is(parent, "lxc.monitor") && depth == 1)
		return set(ct, PT_CT_MONITOR, "lxc", c->s, c->n, false);
	if (starts(c, "machine-") && ends(c, ".scope") && c->n > 14) {
		set(ct, is(child, "supervisor") ? PT_CT_MONITOR :
		    PT_CT_CONTAINER, "nspawn", c->s + 8, c->n - 14, true);
		/* libvirt registers its machines too: qemu-N-NAME, lxc-N-NAME */
		if (!strncmp(ct->id, "qemu-", 5) || !strncmp(ct->id, "lxc-", 4))
			ct->runtime = "libvirt";
		return true;
	}
	/* podman's cgroupfs layout: conmon in /libpod_parent[/PODID]/conmon */
	if (is(c, "conmon") && (is(parent, "libpod_parent") ||
				(pod_rt && !strcmp(pod_rt, "podman") &&
				 hex_id(parent->s, parent->n))))
		return set(ct, PT_CT_MONITOR, "podman", c->s, 0, false);
	if (is(parent, "libpod_parent"))
		return false;	/* a pod's cgroup, not a container's */
	/* a pod's container, cgroupfs driver: a bare id */
	if (pod_rt && !strcmp(pod_rt, "k8s") && hex_id(c->s, c->n) && c->n == 64)
		return set(ct, PT_CT_CONTAINER, "cri", c->s, c->n, false);
	/* containerd's own: /NAMESPACE/ID; NAME or ID in a namespace it names */
	if (depth == 1 && (is(parent, "default") || is(parent, "k8s.io") ||
			   is(parent, "moby")) && !unit(c))
		return set(ct, PT_CT_CONTAINER, "containerd", c->s, c->n, false);
	/*
	 * An id below a cgroup of any other name (docker --cgroup-parent=/ci,
	 * containerd namespaces of other names): a container, of a runtime
	 * its names (runtime.c) may tell.
	 */
	if (depth == 1 && !unit(parent) && hex_id(c->s, c->n) && c->n == 64)
		return set(ct, PT_CT_CONTAINER, "container", c->s, c->n, false);
	return false;
}

/*
 * A pod's cgroup: kubepods-burstable-podUID.slice or podUID below kubepods
 * (Kubernetes; the UID), machine-libpod_pod_ID.slice or libpod_parent/ID
 * (podman; the pod's id).  Returns its runtime, or NULL.
 */
static const char *pod(const struct comp *parent, const struct comp *c,
		       bool under_kubepods, char *uid, size_t len)
{
	const char *p = NULL, *rt = "k8s";
	size_t n = 0, i;

	if (starts(c, "kubepods-") && ends(c, ".slice")) {
		p = memmem(c->s, c->n, "-pod", 4);
		if (p) {
			p += 4;
			n = c->s + c->n - 6 - p;
		}
	} else if (starts(c, "machine-libpod_pod_") && ends(c, ".slice")) {
		p = c->s + 19;
		n = c->n - 25;
		rt = "podman";
	} else if (is(parent, "libpod_parent") && hex_id(c->s, c->n)) {
		p = c->s;
		n = c->n;
		rt = "podman";
	} else if (under_kubepods && starts(c, "pod") && c->n > 3) {
		p = c->s + 3;
		n = c->n - 3;
	}
	if (!p || n < 8 || n >= len)
		return NULL;
	for (i = 0; i < n; i++) {
		char ch = p[i] == '_' ? '-' : p[i];

		if (!((ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'f') ||
		      ch == '-'))
			return NULL;
		uid[i] = ch;
	}
	uid[n] = '\0';
	return rt;
}

#define PT_MAX_COMPS 256

/* "ab12cd34ef56" of a hex id, the whole of another. */
static int shown(const struct pt_ct *c)
{
	return c->hex ? PT_CT_SHORT : PT_CT_ID_MAX;
}

void pt_ct_set_label(struct pt_ct *c)
{
	const struct pt_ctname *nm = c->name;
	bool k8s = nm && nm->pod_name && nm->pod_ns;
	char *s;

	switch (c->kind) {
	case PT_CT_NONE:
		c->label[0] = '\0';
		break;
	case PT_CT_POD:
		if (k8s)
			snprintf(c->label, sizeof(c->label), "pod %s/%s",
				 nm->pod_ns, nm->pod_name);
		else if (nm)
			snprintf(c->label, sizeof(c->label), "%s pod %s (%.12s)",
				 c->pod_runtime, nm->name, c->pod);
		else
			snprintf(c->label, sizeof(c->label), "%s pod %.*s",
				 c->pod_runtime, strcmp(c->pod_runtime, "k8s") ?
				 PT_CT_SHORT : 8, c->pod);
		break;
	default:
		if (k8s && nm->name && *nm->name)
			snprintf(c->label, sizeof(c->label), "pod %s/%s container %s",
				 nm->pod_ns, nm->pod_name, nm->name);
		else if (k8s)
			snprintf(c->label, sizeof(c->label), "pod %s/%s sandbox",
				 nm->pod_ns, nm->pod_name);
		else if (nm && nm->name && c->hex)
			snprintf(c->label, sizeof(c->label), "%s %s (%.*s)",
				 c->runtime, nm->name, shown(c), c->id);
		else
			snprintf(c->label, sizeof(c->label), "%s%s%.*s", c->runtime,
				 *c->id ? " " : "", shown(c), c->id);
	}
	/* names from the runtimes may hold anything: no control bytes */
	for (s = c->label; *s; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			*s = '?';
}

enum pt_ct_kind pt_ct_from_path(const char *path, struct pt_ct *c)
{
	struct comp comps[PT_MAX_COMPS];
	size_t n = 0, i, pod_at = PT_MAX_COMPS, at = PT_MAX_COMPS;
	bool kube = false;
	const char *s = path;

	memset(c, 0, sizeof(*c));
	while (*s && n < PT_MAX_COMPS) {
		size_t len;

		while (*s == '/')
			s++;
		len = strcspn(s, "/");
		if (!len)
			break;
		comps[n++] = (struct comp){ s, len };
		s += len;
	}
	/* the pod */
	for (i = 0; i < n && pod_at == PT_MAX_COMPS; i++) {
		c->pod_runtime = pod(i ? &comps[i - 1] : NULL, &comps[i], kube,
				     c->pod, sizeof(c->pod));
		if (c->pod_runtime)
			pod_at = i;
		kube = kube || starts(&comps[i], "kubepods");
	}
	/* the innermost container */
	for (i = n; i-- > 0 && at == PT_MAX_COMPS;)
		if (match(i ? &comps[i - 1] : NULL, &comps[i],
			  i + 1 < n ? &comps[i + 1] : NULL, i,
			  pod_at < i ? c->pod_runtime : NULL, c))
			at = i;
	if (at == PT_MAX_COMPS && pod_at < n) {
		c->kind = PT_CT_POD;
		c->runtime = c->pod_runtime;
		snprintf(c->id, sizeof(c->id), "%s", c->pod);
	} else if (pod_at >= at) {
		c->pod[0] = '\0';	/* no pod, or one inside the container */
		c->pod_runtime = NULL;
	}
	pt_ct_set_label(c);
	return c->kind;
}

/* --- the map ----------------------------------------------------------- */

void pt_cgmap_add(struct pt_cgmap *m, unsigned long long id, const char *path)
{
	if (m->n == m->alloc) {
		m->alloc = m->alloc ? m->alloc * 2 : 256;
		m->cg = xreallocarray(m->cg, m->alloc, sizeof(*m->cg));
	}
	memset(&m->cg[m->n], 0, sizeof(m->cg[m->n]));
	m->cg[m->n].id = id;
	m->cg[m->n].path = xstrdup(path);
	m->n++;
}

static int cmp_id(const void *a, const void *b)
{
	const struct pt_cgroup *x = a, *y = b;

	return (x->id > y->id) - (x->id < y->id);
}

void pt_cgmap_done(struct pt_cgmap *m)
{
	size_t i;

	if (m->n)
		qsort(m->cg, m->n, sizeof(*m->cg), cmp_id);
	for (i = 0; i < m->n; i++)
		pt_ct_from_path(m->cg[i].path, &m->cg[i].ct);
	pt_cgmap_label(m);
}

/* --- names ------------------------------------------------------------ */

static char *dup_or_null(const char *s)
{
	return s && *s ? xstrdup(s) : NULL;
}

void pt_cgmap_name(struct pt_cgmap *m, const char *id, const char *runtime,
		   const char *name, const char *pod_ns, const char *pod_name)
{
	struct pt_ctname *n;
	size_t i;

	if (!id || !*id || ((!name || !*name) && (!pod_name || !*pod_name)))
		return;
	for (i = 0; i < m->nr_names; i++)
		if (!strcmp(m->names[i].id, id))
			return;
	if (m->nr_names == m->alloc_names) {
		m->alloc_names = m->alloc_names ? m->alloc_names * 2 : 16;
		m->names = xreallocarray(m->names, m->alloc_names,
					 sizeof(*m->names));
	}
	n = &m->names[m->nr_names++];
	n->id = xstrdup(id);
	n->runtime = dup_or_null(runtime);
	n->name = dup_or_null(name);
	n->pod_ns = dup_or_null(pod_ns);
	n->pod_name = dup_or_null(pod_name);
}

static int cmp_name_id(const void *a, const void *b)
{
	const struct pt_ctname *x = a, *y = b;

	return strcmp(x->id, y->id);
}

void pt_cgmap_label(struct pt_cgmap *m)
{
	size_t i;

	if (m->nr_names)
		qsort(m->names, m->nr_names, sizeof(*m->names), cmp_name_id);
	for (i = 0; i < m->n; i++) {
		struct pt_ct *c = &m->cg[i].ct;
		struct pt_ctname key = { .id = c->id };

		if (c->kind == PT_CT_NONE)
			continue;
		c->name = m->nr_names && *c->id ?
			  bsearch(&key, m->names, m->nr_names,
				  sizeof(*m->names), cmp_name_id) : NULL;
		if (c->name && c->name->runtime && !strcmp(c->runtime, "container"))
			c->runtime = c->name->runtime;
		pt_ct_set_label(c);
	}
}

static void put_field(FILE *f, const char *s)
{
	fputc(' ', f);
	if (!s || !*s) {
		fputc('-', f);
		return;
	}
	if (!strcmp(s, "-")) {
		fputs("\\055", f);
		return;
	}
	for (; *s; s++) {
		unsigned char ch = *s;

		if (ch <= ' ' || ch == '\\' || ch == 0x7f)
			fprintf(f, "\\%03o", ch);
		else
			fputc(ch, f);
	}
}

void pt_cgmap_write_names(const struct pt_cgmap *m, FILE *f)
{
	size_t i;

	for (i = 0; i < m->nr_names; i++) {
		const struct pt_ctname *n = &m->names[i];

		fputs(PT_CTNAME_KEY "", f);
		fputs(n->id, f);
		put_field(f, n->runtime);
		put_field(f, n->name);
		put_field(f, n->pod_ns);
		put_field(f, n->pod_name);
		fputc('\n', f);
	}
}

/* One field of a ctname line, \ooo undone in place; NULL for "-". */
static int take_field(char **s, char **field)
{
	char *p = *s, *o = p;

	if (!*p || *p == ' ')
		return -1;
	*field = p;
	if (p[0] == '-' && (!p[1] || p[1] == ' ')) {
		*field = NULL;
		*s = p + 1 + !!p[1];
		return 0;
	}
	for (; *p && *p != ' '; p++) {
		if (*p != '\\') {
			*o++ = *p;
			continue;
		}
		if (p[1] < '0' || p[1] > '3' || p[2] < '0' || p[2] > '7' ||
		    p[3] < '0' || p[3] > '7')
			return -1;
		*o = (char)((p[1] - '0') << 6 | (p[2] - '0') << 3 | (p[3] - '0'));
		if (!*o++)
			return -1;
		p += 3;
	}
	*s = *p ? p + 1 : p;
	*o = '\0';
	return 0;
}

int pt_cgmap_name_line(struct pt_cgmap *m, char *s)
{
	char *f[5];
	size_t i;

	for (i = 0; i < 5; i++)
		if (take_field(&s, &f[i]))
			return -1;
	if (*s || !f[0])
		return -1;
	pt_cgmap_name(m, f[0], f[1], f[2], f[3], f[4]);
	return 0;
}

const struct pt_cgroup *pt_cgmap_find(const struct pt_cgmap *m,
				      unsigned long long id)
{
	struct pt_cgroup key = { .id = id };

	if (!m->n)
		return NULL;
	return bsearch(&key, m->cg, m->n, sizeof(*m->cg), cmp_id);
}

void pt_cgmap_free(struct pt_cgmap *m)
{
	size_t i;

	for (i = 0; i < m->n; i++)
		free(m->cg[i].path);
	for (i = 0; i < m->nr_names; i++) {
		free(m->names[i].id);
		free(m->names[i].runtime);
		free(m->names[i].name);
		free(m->names[i].pod_ns);
		free(m->names[i].pod_name);
	}
	free(m->names);
	free(m->unnamed);
	free(m->cg);
	free(m->mount);
	free(m->missing);
	memset(m, 0, sizeof(*m));
}

/* The first cgroup2 mount: its mount point and its root in the hierarchy. */
static bool find_mount(char **point, char **root)
{
	FILE *f = fopen("/proc/self/mountinfo", "re");
	char *line = NULL;
	size_t sz = 0;
	bool found = false;

	if (!f)
		return false;
	while (!found && getline(&line, &sz, f) > 0) {
		char r[4096], p[4096], type[64];
		char *sep = strstr(line, " - ");
		size_t rlen, plen;

		if (!sep || sscanf(line, "%*s %*s %*s %4095s %4095s", r, p) != 2 ||
		    sscanf(sep + 3, "%63s", type) != 1 || strcmp(type, "cgroup2"))
			continue;
		/* mountinfo escapes space, tab, newline and \ as \ooo too. */
		if (pt_unescape(r, strlen(r), &rlen) ||
		    pt_unescape(p, strlen(p), &plen))
			continue;
		*point = xstrdup(p);
		*root = xstrdup(r);
		found = true;
	}
	free(line);
	fclose(f);
	return found;
}

/* nftw() has no argument for its callback. */
static struct pt_cgmap *walk_map;
static const char *walk_root;
static size_t walk_skip;

static int walk_one(const char *fpath, const struct stat *st, int type,
		    struct FTW *ftw)
{
	const char *rel = fpath + walk_skip;
	const char *base = strcmp(walk_root, "/") ? walk_root : "";
	char *path;

	(void)ftw;
	if (type != FTW_D)
		return 0;
	/* the hierarchy's path: the mount's root, then the path below it */
	if (asprintf(&path, "%s%s", base, *rel || *base ? rel : "/") < 0)
		return -1;
	pt_cgmap_add(walk_map, st->st_ino, path);
	free(path);
	return 0;
}

int pt_cgmap_read(struct pt_cgmap *m)
{
	const char *env = getenv(PT_CGROUP_MOUNT_ENV);
	char *point = NULL, *root = NULL;
	int rc;

	memset(m, 0, sizeof(*m));
	if (env && *env) {
		point = xstrdup(env);
		root = xstrdup("/");
	} else if (!find_mount(&point, &root)) {
		m->missing = xstrdup("no cgroup2 mount in /proc/self/mountinfo (cgroup v1 only?)");
		return -1;
	}
	while (strlen(point) > 1 && point[strlen(point) - 1] == '/')
		point[strlen(point) - 1] = '\0';
	walk_map = m;
	walk_root = root;
	walk_skip = strcmp(point, "/") ? strlen(point) : 0;
	rc = nftw(point, walk_one, 32, FTW_PHYS | FTW_MOUNT);
	if (rc || !m->n) {
		int e = rc ? errno : ENOENT;

		pt_cgmap_free(m);
		if (asprintf(&m->missing, "cannot read the cgroup2 mount %s: %s",
			     point, strerror(e)) < 0)
			m->missing = NULL;
		free(point);
		free(root);
		return -1;
	}
	m->mount = point;
	free(root);
	pt_cgmap_done(m);
	return 0;
}

/* --- tasks, and choosing a container ------------------------------------ */

void pt_cgmap_attach(struct pt_model *m, struct pt_cgmap *map)
{
	size_t i;

	pt_cgmap_free(&m->cgmap);
	m->cgmap = *map;
	memset(map, 0, sizeof(*map));
	m->labels = m->snap.has_cgroup && !m->cgmap.missing;
	for (i = 0; i < m->snap.nr_tasks; i++) {
		struct pt_task *t = &m->snap.tasks[i];

		t->cg = m->labels && t->cgroup ?
			pt_cgmap_find(&m->cgmap, t->cgroup) : NULL;
	}
}

const struct pt_ct *pt_task_ct(const struct pt_task *t)
{
	if (!t->cg || (t->cg->ct.kind != PT_CT_CONTAINER &&
		       t->cg->ct.kind != PT_CT_POD))
		return NULL;
	return &t->cg->ct;
}

/* Both in one Kubernetes pod, by name. */
static bool same_pod(const struct pt_ct *a, const struct pt_ct *b)
{
	const struct pt_ctname *x = a->name, *y = b->name;

	return x && y && x->pod_name && y->pod_name &&
	       !strcmp(x->pod_ns, y->pod_ns) && !strcmp(x->pod_name, y->pod_name);
}

static bool same(const struct pt_ct *a, const struct pt_ct *b, bool pods)
{
	if (pods)
		return same_pod(a, b);
	return !strcmp(a->id, b->id) && !strcmp(a->runtime, b->runtime);
}

/* "pod NAMESPACE/NAME": @c is in that pod. */
static bool in_pod(const struct pt_ct *c, const char *arg)
{
	const struct pt_ctname *n = c->name;
	size_t len;

	if (!n || !n->pod_name || strncmp(arg, "pod ", 4))
		return false;
	arg += 4;
	len = strlen(n->pod_ns);
	return !strncmp(arg, n->pod_ns, len) && arg[len] == '/' &&
	       !strcmp(arg + len + 1, n->pod_name);
}

/* 2: @c is @arg exactly (a name, id, label or its pod), 1: by a prefix. */
static int ct_matches(const struct pt_ct *c, const char *arg)
{
	size_t n = strlen(arg);

	if (!strcmp(c->id, arg) || !strcmp(c->label, arg) || in_pod(c, arg) ||
	    (c->name && c->name->name && !strcmp(c->name->name, arg)))
		return 2;
	if (n && (c->hex || c->kind == PT_CT_POD) && !strncmp(c->id, arg, n))
		return 1;
	return 0;
}

bool pt_ct_match(const struct pt_ct *c, const char *arg)
{
	return ct_matches(c, arg) > 0;
}

/*
 * "A, B and C" of the candidates, as much as the message holds: each by
 * its label, or where two labels are the same, by as much of the id as
 * tells them apart.
 */
static void ambiguous(const struct pt_ct *const *cand, size_t n,
		      const char *arg, struct pt_error *e)
{
	char list[sizeof(e->msg)];
	size_t i, j, o = 0, digits = PT_CT_SHORT;

	for (i = 0; i < n; i++)
		for (j = i + 1; j < n; j++) {
			size_t k = 0;

			while (cand[i]->id[k] && cand[i]->id[k] == cand[j]->id[k])
				k++;
			if (!strcmp(cand[i]->label, cand[j]->label) && k >= digits)
				digits = k + 1;
		}
	list[0] = '\0';
	for (i = 0; i < n && o < sizeof(list); i++) {
		const char *sep = !i ? "" : i + 1 == n ? " and " : ", ";

		if (digits > PT_CT_SHORT)
			o += snprintf(list + o, sizeof(list) - o, "%s%s %.*s", sep,
				      cand[i]->runtime, (int)digits, cand[i]->id);
		else
			o += snprintf(list + o, sizeof(list) - o, "%s%.100s", sep,
				      cand[i]->label);
	}
	pt_seterr(e, 0, "--container: '%s' is ambiguous: %s match; give more of the id, or a name",
		  arg, list);
}

#define PT_MAX_CANDIDATES 8

int pt_select_container(struct pt_model *m, const char *arg,
			struct pt_error *e)
{
	const struct pt_ct *cand[PT_MAX_CANDIDATES], *c;
	bool pods = !strncmp(arg, "pod ", 4), *in;
	size_t i, j, n = 0;
	int best = 0;

	for (i = 0; i < m->nr_procs; i++) {
		int k;

		c = pt_task_ct(m->procs[i].main);
		k = c ? ct_matches(c, arg) : 0;
		if (!k || k < best)
			continue;
		if (k > best)
			n = 0;		/* an exact match beats prefixes */
		best = k;
		for (j = 0; j < n && !same(cand[j], c, pods); j++)
			;
		if (j == n && n < PT_MAX_CANDIDATES)
			cand[n++] = c;
	}
	if (!n) {
		pt_seterr(e, 0, "--container: no container '%s' in the snapshot (see the CONTAINER column)",
			  arg);
		return -1;
	}
	if (n > 1) {
		ambiguous(cand, n, arg, e);
		return -1;
	}
	in = xcalloc(m->nr_procs, sizeof(*in));
	for (i = 0; i < m->nr_procs; i++) {
		c = pt_task_ct(m->procs[i].main);
		in[i] = c && ct_matches(c, arg) == best && same(cand[0], c, pods);
	}
	pt_select_procs(m, in);
	free(in);
	return 0;
}

void pt_cgmap_names(struct pt_cgmap *map, const struct pt_model *m)
{
	int *conmon = xcalloc(m->snap.nr_tasks + 1, sizeof(*conmon));
	int *shims = xcalloc(m->snap.nr_tasks + 1, sizeof(*shims));
	size_t i, n = 0, s = 0;

	for (i = 0; i < m->snap.nr_tasks; i++) {
		const struct pt_task *t = &m->snap.tasks[i];
		struct pt_cgroup *cg = t->cgroup ?
			(struct pt_cgroup *)pt_cgmap_find(map, t->cgroup) : NULL;

		if (cg)
			cg->used = true;
		if (t->pid != t->tgid)
			continue;
		if (!strcmp(t->comm, "conmon"))
			conmon[n++] = t->pid;
		else if (!strncmp(t->comm, "containerd-shim", 15))
			shims[s++] = t->pid;
	}
	pt_ctnames_read(map, conmon, n, shims, s);
	free(conmon);
	free(shims);
}

/*
 * Find the labels of @m's tasks and attach them (@map is taken): from a
 * snapshot's map (@snapshot), from this machine's cgroup2 mount and the
 * runtimes when the file is read here (@live), else none, with the reason
 * in m->cgmap.missing.  @name names the input in that reason.
 */
void pt_labels_find(struct pt_model *m, struct pt_cgmap *map, const char *name,
		    bool live, bool snapshot)
{
	if (!m->snap.has_cgroup) {
		free(map->missing);
		if (asprintf(&map->missing, "%s has no cgroup column (a module without it)",
			     name) < 0)
			map->missing = NULL;
	} else if (!snapshot && live) {
		if (!pt_cgmap_read(map))
			pt_cgmap_names(map, m);
	} else if (!snapshot) {
		if (asprintf(&map->missing, "%s is a plain capture, without cgroup paths (pidns-tree --save writes them)",
			     name) < 0)
			map->missing = NULL;
	}
	pt_cgmap_attach(m, map);
}
