// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * runtime.c - the names runtimes give their containers
 *
 * Asked of what each runtime documents or keeps for exactly this, never
 * of its command line tool (userspace/README.md says why these):
 *
 *   docker      the Docker Engine API on its unix socket ($DOCKER_HOST
 *               unix://PATH, or /var/run/docker.sock): GET /containers/json,
 *               "Id" and "Names" of each running container
 *   containerd  the OCI bundle of each task, /run/containerd/
 *               io.containerd.runtime.v2.task/NAMESPACE/ID/config.json:
 *               the annotations its CRI plugin writes
 *               (io.kubernetes.cri.sandbox-namespace, sandbox-name,
 *               sandbox-uid, container-name, container-type), or nerdctl's
 *               nerdctl/name
 *   cri-o       its bundle, /run/containers/storage/overlay-containers/
 *               ID/userdata/config.json: io.kubernetes.pod.namespace,
 *               pod.name, pod.uid, container.name
 *   podman      conmon's own arguments, /proc/PID/cmdline of each conmon:
 *               -c/--cid ID and -n/--name NAME
 *
 * A bundle is read only for a container the cgroups name, the socket
 * asked once, and only when a container of it is there to name.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/un.h>
#include <unistd.h>

#include "container.h"
#include "parse.h"
#include "xalloc.h"

#define PT_MAX_STATE	(16U << 20)	/* no answer or bundle is larger */
#define PT_NAME_MAX	256

#define PT_MAX_TASKDIRS	8

struct names {
	struct pt_cgmap	*m;
	const char	*root;		/* "" or the test hook's directory */
	char		*why;		/* the first reason a name is missing */
	char		*taskdirs[PT_MAX_TASKDIRS];	/* containerd's bundles */
	size_t		nr_taskdirs;
};

static void why(struct names *n, const char *fmt, const char *what, int e)
{
	if (n->why)
		return;
	if (asprintf(&n->why, fmt, what, strerror(e)) < 0)
		n->why = NULL;
}

/* --- a little JSON: strings, and skipping what is not wanted ------------- */

struct json {
	const char	*p, *end;
};

static void ws(struct json *j)
{
	while (j->p < j->end && (*j->p == ' ' || *j->p == '\t' ||
				 *j->p == '\n' || *j->p == '\r'))
		j->p++;
}

static bool eat(struct json *j, char c)
{
	ws(j);
	if (j->p < j->end && *j->p == c) {
		j->p++;
		return true;
	}
	return false;
}

/* A string into @out (cut at @sz - 1 bytes); \uXXXX as UTF-8. */
static bool string(struct json *j, char *out, size_t sz)
{
	size_t o = 0;

	if (!eat(j, '"'))
		return false;
	while (j->p < j->end && *j->p != '"') {
		unsigned int c = (unsigned char)*j->p++;
		char u[3];
		size_t k, n = 1;

		u[0] = (char)c;
		if (c == '\\' && j->p < j->end) {
			c = (unsigned char)*j->p++;
			u[0] = c == 'b' ? '\b' : c == 'f' ? '\f' : c == 'n' ? '\n' :
			       c == 'r' ? '\r' : c == 't' ? '\t' : (char)c;
			if (c == 'u') {
				if (j->end - j->p < 4 || sscanf(j->p, "%4x", &c) != 1)
					return false;
				j->p += 4;
				u[0] = (char)c;
				if (c >= 0x800) {
					u[0] = (char)(0xe0 | c >> 12);
					u[1] = (char)(0x80 | ((c >> 6) & 0x3f));
					u[2] = (char)(0x80 | (c & 0x3f));
					n = 3;
				} else if (c >= 0x80) {
					u[0] = (char)(0xc0 | c >> 6);
					u[1] = (char)(0x80 | (c & 0x3f));
					n = 2;
				}
			}
		}
		for (k = 0; k < n && o + 1 < sz; k++)
			out[o++] = u[k];
	}
	if (sz)
		out[o] = '\0';
	return eat(j, '"');
}

/* Skip one value of any kind; iterative, so depth costs no stack. */
static bool skip(struct json *j)
{
	size_t depth = 0;

	do {
		ws(j);
		if (j->p >= j->end)
			return false;
		if (*j->p == '"') {
			if (!string(j, NULL, 0))
				return false;
		} else if (*j->p == '{' || *j->p == '[') {
			depth++;
			j->p++;
			continue;
		} else if (*j->p == '}' || *j->p == ']') {
			if (!depth)
				return false;
			depth--;
			j->p++;
		} else {
			while (j->p < j->end && !strchr(",:]} \t\r\n", *j->p))
				j->p++;
		}
		ws(j);
		while (depth && j->p < j->end && (*j->p == ',' || *j->p == ':'))
			j->p++;
	} while (depth);
	return true;
}

/* --- docker: the Engine API ------------------------------------------------ */

/* GET @path over the unix socket @sock, HTTP/1.0: the body, or NULL. */
static char *http_get(struct names *n, const char *sock, const char *path,
		      size_t *len)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	struct timeval tv = { .tv_sec = 2 };
	char *buf = NULL, *body;
	size_t sz = 0, got = 0;
	int fd, rc;

	if (strlen(sock) >= sizeof(sa.sun_path)) {
		why(n, "cannot ask the Docker Engine at %s: %s", sock, ENAMETOOLONG);
		return NULL;
	}
	strcpy(sa.sun_path, sock);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)) ||
	    setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv)) ||
	    connect(fd, (struct sockaddr *)&sa, sizeof(sa)) ||
	    dprintf(fd, "GET %s HTTP/1.0\r\nHost: docker\r\n\r\n", path) < 0) {
		why(n, "cannot ask the Docker Engine at %s: %s", sock, errno);
		if (fd >= 0)
			close(fd);
		return NULL;
	}
	do {
		if (sz - got < 4096) {
			sz = sz ? sz * 2 : 65536;
			buf = xrealloc(buf, sz + 1);
		}
		rc = (int)read(fd, buf + got, sz - got);
		if (rc > 0)
			got += (size_t)rc;
	} while ((rc > 0 || (rc < 0 && errno == EINTR)) && got < PT_MAX_STATE);
	close(fd);
	buf[got] = '\0';
	body = strstr(buf, "\r\n\r\n");
	if (rc < 0 || got >= PT_MAX_STATE || !body ||
	    strncmp(buf, "HTTP/1.", 7) || strncmp(buf + 8, " 200", 4)) {
		why(n, "the Docker Engine at %s did not answer GET /containers/json (%s)",
		    sock, rc < 0 ? errno : EPROTO);
		free(buf);
		return NULL;
	}
	body += 4;
	*len = got - (size_t)(body - buf);
	memmove(buf, body, *len + 1);
	return buf;
}

/* [{"Id": "...", "Names": ["/demo"], ...}, ...] */
static void docker_names(struct names *n, const char *body, size_t len)
{
	struct json j = { body, body + len };

	if (!eat(&j, '['))
		return;
	while (eat(&j, '{')) {
		char key[32], id[PT_CT_ID_MAX + 1] = "", name[PT_NAME_MAX] = "";

		while (string(&j, key, sizeof(key)) && eat(&j, ':')) {
			if (!strcmp(key, "Id")) {
				if (!string(&j, id, sizeof(id)))
					return;
			} else if (!strcmp(key, "Names") && eat(&j, '[')) {
				if (!string(&j, name, sizeof(name)))
					return;
				while (eat(&j, ',') && skip(&j))
					;
				if (!eat(&j, ']'))
					return;
			} else if (!skip(&j)) {
				return;
			}
			eat(&j, ',');
		}
		if (!eat(&j, '}'))
			return;
		pt_cgmap_name(n->m, id, "docker", name + (*name == '/'), NULL, NULL);
		eat(&j, ',');
	}
}

static void ask_docker(struct names *n)
{
	const char *host = getenv("DOCKER_HOST");
	char *sock, *body;
	size_t len;

	if (host && *host && strncmp(host, "unix://", 7)) {
		why(n, "DOCKER_HOST %s is not a unix socket (%s)", host, EPROTONOSUPPORT);
		return;
	}
	if (host && *host)
		sock = xstrdup(host + 7);
	else if (asprintf(&sock, "%s/var/run/docker.sock", n->root) < 0)
		return;
	body = http_get(n, sock, "/containers/json", &len);
	if (body)
		docker_names(n, body, len);
	free(body);
	free(sock);
}

/* --- containerd and CRI-O: the annotations of a bundle --------------------- */

static char *read_small(const char *path, size_t *len, int *e)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	char *buf;
	int rc;

	if (fd < 0) {
		*e = errno;
		return NULL;
	}
	rc = pt_read_any_fd(fd, &buf, len);
	*e = -rc;
	close(fd);
	return rc ? NULL : buf;
}

struct annotations {
	char	pod_ns[PT_NAME_MAX], pod_name[PT_NAME_MAX], pod_uid[PT_NAME_MAX];
	char	name[PT_NAME_MAX], type[32], nerdctl[PT_NAME_MAX];
};

static void annotation(struct annotations *a, const char *key, struct json *j)
{
	static const struct {
		const char *key;
		size_t off, sz;
	} keys[] = {
#define A(k, f) { k, offsetof(struct annotations, f), \
		  sizeof(((struct annotations *)0)->f) }
		A("io.kubernetes.cri.sandbox-namespace", pod_ns),
		A("io.kubernetes.cri.sandbox-name", pod_name),
		A("io.kubernetes.cri.sandbox-uid", pod_uid),
		A("io.kubernetes.cri.container-name", name),
		A("io.kubernetes.cri.container-type", type),
		A("io.kubernetes.pod.namespace", pod_ns),
		A("io.kubernetes.pod.name", pod_name),
		A("io.kubernetes.pod.uid", pod_uid),
		A("io.kubernetes.container.name", name),
		A("nerdctl/name", nerdctl),
#undef A
	};
	size_t i;

	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		if (!strcmp(key, keys[i].key)) {
			string(j, (char *)a + keys[i].off, keys[i].sz);
			return;
		}
	skip(j);
}

/* The "annotations" of the OCI runtime spec in @path; false if unread. */
static bool bundle(struct names *n, const char *path, struct annotations *a)
{
	char key[128], *buf;
	struct json j;
	size_t len;
	int e;

	memset(a, 0, sizeof(*a));
	buf = read_small(path, &len, &e);
	if (!buf) {
		if (e != ENOENT && e != ENOTDIR)
			why(n, "cannot read %s: %s", path, e);
		return false;
	}
	j = (struct json){ buf, buf + len };
	if (eat(&j, '{')) {
		while (string(&j, key, sizeof(key)) && eat(&j, ':')) {
			if (strcmp(key, "annotations") || !eat(&j, '{')) {
				if (!skip(&j))
					break;
				eat(&j, ',');
				continue;
			}
			while (string(&j, key, sizeof(key)) && eat(&j, ':')) {
				annotation(a, key, &j);
				eat(&j, ',');
			}
			break;
		}
	}
	free(buf);
	return true;
}

/* Name @id from bundle annotations; true if they named it. */
static bool name_from(struct names *n, const char *id, const char *runtime,
		      const struct annotations *a)
{
	bool sandbox = !strcmp(a->type, "sandbox") || !strcmp(a->name, "POD");

	if (*a->pod_name && *a->pod_ns) {
		pt_cgmap_name(n->m, id, runtime, sandbox ? NULL : a->name,
			      a->pod_ns, a->pod_name);
		if (*a->pod_uid)
			pt_cgmap_name(n->m, a->pod_uid, "k8s", NULL, a->pod_ns,
				      a->pod_name);
		return true;
	}
	if (*a->nerdctl) {
		pt_cgmap_name(n->m, id, "nerdctl", a->nerdctl, NULL, NULL);
		return true;
	}
	return false;
}

/*
 * Where containerd keeps the bundles of its tasks: STATE/
 * io.containerd.runtime.v2.task, STATE /run/containerd by default; a shim
 * runs in the bundle of its task (STATE/io.containerd...task/NS/ID), which
 * finds them wherever containerd was told to keep its state.
 */
static void add_taskdir(struct names *n, const char *dir)
{
	size_t i;

	for (i = 0; i < n->nr_taskdirs; i++)
		if (!strcmp(n->taskdirs[i], dir))
			return;
	if (n->nr_taskdirs < PT_MAX_TASKDIRS)
		n->taskdirs[n->nr_taskdirs++] = xstrdup(dir);
}

static void find_taskdirs(struct names *n, const int *shims, size_t nr)
{
	char path[4096], cwd[4096], *s;
	size_t i;
	ssize_t len;

	snprintf(path, sizeof(path), "%s/run/containerd/io.containerd.runtime.v2.task",
		 n->root);
	add_taskdir(n, path);
	for (i = 0; i < nr; i++) {
		snprintf(path, sizeof(path), "%s/proc/%d/cwd", n->root, shims[i]);
		len = readlink(path, cwd, sizeof(cwd) - 1);
		if (len <= 0) {
			if (errno != ENOENT && errno != ESRCH)
				why(n, "cannot read %s: %s", path, errno);
			continue;
		}
		cwd[len] = '\0';
		s = strstr(cwd, "/io.containerd.runtime.v2.task/");
		if (!s)
			continue;
		s[30] = '\0';
		if (asprintf(&s, "%s%s", n->root, cwd) < 0)
			continue;
		add_taskdir(n, s);
		free(s);
	}
}

/* containerd keeps a bundle per task under each of its namespaces. */
static bool ask_taskdir(struct names *n, const char *dir, const char *id)
{
	char path[8192];
	struct annotations a;
	struct dirent *d;
	bool found = false;
	DIR *ds;

	ds = opendir(dir);
	if (!ds) {
		if (errno != ENOENT)
			why(n, "cannot read %s: %s", dir, errno);
		return false;
	}
	while (!found && (d = readdir(ds))) {
		if (d->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s/%s/config.json", dir,
			 d->d_name, id);
		if (!bundle(n, path, &a))
			continue;
		found = true;
		name_from(n, id, !strcmp(d->d_name, "moby") ? "docker" :
			  "containerd", &a);
	}
	closedir(ds);
	return found;
}

static void ask_containerd(struct names *n, const char *id)
{
	size_t i;

	for (i = 0; i < n->nr_taskdirs; i++)
		if (ask_taskdir(n, n->taskdirs[i], id))
			return;
}

static void ask_crio(struct names *n, const char *id)
{
	char path[4096];
	struct annotations a;

	snprintf(path, sizeof(path),
		 "%s/run/containers/storage/overlay-containers/%s/userdata/config.json",
		 n->root, id);
	if (bundle(n, path, &a))
		name_from(n, id, "cri-o", &a);
}

/* --- podman: conmon's arguments ---------------------------------------------- */

static void ask_conmon(struct names *n, int pid)
{
	char path[4096], *buf, *a, *id = NULL, *name = NULL;
	size_t len;
	int e;

	snprintf(path, sizeof(path), "%s/proc/%d/cmdline", n->root, pid);
	buf = read_small(path, &len, &e);
	if (!buf) {
		if (e != ENOENT && e != ESRCH)
			why(n, "cannot read %s: %s", path, e);
		return;
	}
	for (a = buf; a < buf + len; a += strlen(a) + 1) {
		char *next = a + strlen(a) + 1 < buf + len ? a + strlen(a) + 1 : NULL;

		if ((!strcmp(a, "-c") || !strcmp(a, "--cid")) && next)
			id = next;
		else if (!strncmp(a, "--cid=", 6))
			id = a + 6;
		else if ((!strcmp(a, "-n") || !strcmp(a, "--name")) && next)
			name = next;
		else if (!strncmp(a, "--name=", 7))
			name = a + 7;
	}
	/* CRI-O runs conmon too, with k8s_... names: its bundle names them */
	if (id && name && strncmp(name, "k8s_", 4))
		pt_cgmap_name(n->m, id, "podman", name, NULL, NULL);
	free(buf);
}

/* --- all of them --------------------------------------------------------------- */

static bool named(const struct pt_cgmap *m, const char *id)
{
	size_t i;

	for (i = 0; i < m->nr_names; i++)
		if (!strcmp(m->names[i].id, id))
			return true;
	return false;
}

static bool is(const char *a, const char *b)
{
	return a && !strcmp(a, b);
}

static bool unnamed(const struct pt_cgmap *m, const struct pt_cgroup *cg)
{
	return cg->used && cg->ct.kind == PT_CT_CONTAINER && cg->ct.hex &&
	       !named(m, cg->ct.id);
}

/*
 * Each source once, and only for a container of the file's tasks left to
 * name; the docker
 * socket first, so that its reason is the one told when docker's
 * containers stay without names.
 */
void pt_ctnames_read(struct pt_cgmap *m, const int *conmon, size_t nr_conmon,
		     const int *shims, size_t nr_shims)
{
	const char *env = getenv(PT_RUNTIME_ROOT_ENV);
	struct names n = { .m = m, .root = env ? env : "" };
	bool docker = false, dirs = false, left = false;
	size_t i;

	for (i = 0; i < m->n && !docker; i++)
		docker = unnamed(m, &m->cg[i]) && is(m->cg[i].ct.runtime, "docker");
	if (docker)
		ask_docker(&n);
	for (i = 0; i < nr_conmon; i++)
		ask_conmon(&n, conmon[i]);
	for (i = 0; i < m->n; i++) {
		const struct pt_ct *c = &m->cg[i].ct;

		if (!unnamed(m, &m->cg[i]) || is(c->runtime, "docker") || is(c->runtime, "podman"))
			continue;
		if (is(c->runtime, "cri-o") || is(c->runtime, "cri"))
			ask_crio(&n, c->id);
		if (is(c->runtime, "cri-o") || named(m, c->id))
			continue;
		if (!dirs)
			find_taskdirs(&n, shims, nr_shims);
		dirs = true;
		ask_containerd(&n, c->id);
	}
	/* an id in a cgroup of no runtime's name: docker's, maybe */
	for (i = 0; i < m->n && !docker; i++)
		if (unnamed(m, &m->cg[i]) && is(m->cg[i].ct.runtime, "container")) {
			ask_docker(&n);
			docker = true;
		}
	for (i = 0; i < m->n; i++)
		left = left || unnamed(m, &m->cg[i]);
	free(m->unnamed);
	m->unnamed = left ? n.why : NULL;
	if (!left)
		free(n.why);
	for (i = 0; i < n.nr_taskdirs; i++)
		free(n.taskdirs[i]);
	pt_cgmap_label(m);
}
