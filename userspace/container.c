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

#include "container.h"
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
 * from the root, 0 for the first) a container's cgroup?
 */
static bool match(const struct comp *parent, const struct comp *c,
		  const struct comp *child, size_t depth, bool in_pod,
		  struct pt_ct *ct)
{
	const char *colon;

	if (prefixed(c, "docker-", false, ct, PT_CT_CONTAINER, "docker") ||
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
	/* a pod's container, cgroupfs driver: a bare id */
	if (in_pod && hex_id(c->s, c->n) && c->n == 64)
		return set(ct, PT_CT_CONTAINER, "cri", c->s, c->n, false);
	/* containerd's own: /NAMESPACE/ID */
	if (depth == 1 && !unit(parent) && !unit(c) &&
	    ((hex_id(c->s, c->n) && c->n == 64) || is(parent, "default") ||
	     is(parent, "k8s.io")))
		return set(ct, PT_CT_CONTAINER, "containerd", c->s, c->n, false);
	return false;
}

/* kubepods-burstable-podUID.slice or podUID below kubepods: the UID. */
static bool pod(const struct comp *c, bool under_kubepods, char *uid,
		size_t len)
{
	const char *p = NULL;
	size_t n = 0, i;

	if (starts(c, "kubepods-") && ends(c, ".slice")) {
		p = memmem(c->s, c->n, "-pod", 4);
		if (p) {
			p += 4;
			n = c->s + c->n - 6 - p;
		}
	} else if (under_kubepods && starts(c, "pod") && c->n > 3) {
		p = c->s + 3;
		n = c->n - 3;
	}
	if (!p || n < 8 || n >= len)
		return false;
	for (i = 0; i < n; i++) {
		char ch = p[i] == '_' ? '-' : p[i];

		if (!((ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'f') ||
		      ch == '-'))
			return false;
		uid[i] = ch;
	}
	uid[n] = '\0';
	return true;
}

#define PT_MAX_COMPS 256

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
	/* the pod: kubepods...-podUID.slice, or podUID below kubepods/ */
	for (i = 0; i < n && pod_at == PT_MAX_COMPS; i++) {
		if (kube && pod(&comps[i], true, c->pod, sizeof(c->pod)))
			pod_at = i;
		else if (!kube && pod(&comps[i], false, c->pod, sizeof(c->pod)))
			pod_at = i;
		kube = kube || starts(&comps[i], "kubepods");
	}
	/* the innermost container */
	for (i = n; i-- > 0 && at == PT_MAX_COMPS;)
		if (match(i ? &comps[i - 1] : NULL, &comps[i],
			  i + 1 < n ? &comps[i + 1] : NULL, i, pod_at < i, c))
			at = i;
	if (at == PT_MAX_COMPS && pod_at < n) {
		c->kind = PT_CT_POD;
		c->runtime = "k8s";
		snprintf(c->id, sizeof(c->id), "%s", c->pod);
	} else if (pod_at >= at) {
		c->pod[0] = '\0';	/* no pod, or one inside the container */
	}
	switch (c->kind) {
	case PT_CT_NONE:
		break;
	case PT_CT_POD:
		snprintf(c->label, sizeof(c->label), "k8s pod %.8s", c->pod);
		break;
	default:
		snprintf(c->label, sizeof(c->label), "%s %.*s", c->runtime,
			 c->hex ? PT_CT_SHORT : PT_CT_ID_MAX, c->id);
	}
	return c->kind;
}

/* --- the map ----------------------------------------------------------- */

void pt_cgmap_add(struct pt_cgmap *m, unsigned long long id, const char *path)
{
	if (m->n == m->alloc) {
		m->alloc = m->alloc ? m->alloc * 2 : 256;
		m->cg = xreallocarray(m->cg, m->alloc, sizeof(*m->cg));
	}
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
	free(m->cg);
	free(m->mount);
	free(m->missing);
	memset(m, 0, sizeof(*m));
}

/* Undo the \ooo escapes of mountinfo in place. */
static void unoctal(char *s)
{
	char *o = s;

	for (; *s; s++) {
		if (s[0] == '\\' && s[1] >= '0' && s[1] <= '3' &&
		    s[2] >= '0' && s[2] <= '7' && s[3] >= '0' && s[3] <= '7') {
			*o++ = (char)((s[1] - '0') << 6 | (s[2] - '0') << 3 |
				      (s[3] - '0'));
			s += 3;
		} else {
			*o++ = *s;
		}
	}
	*o = '\0';
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

		if (!sep || sscanf(line, "%*s %*s %*s %4095s %4095s", r, p) != 2 ||
		    sscanf(sep + 3, "%63s", type) != 1 || strcmp(type, "cgroup2"))
			continue;
		unoctal(r);
		unoctal(p);
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
