// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * snapshot.c - the --save format: /proc/pidns_tree as read, with the
 * cgroup paths its ids stand for
 *
 *   # pidns_tree snapshot 1
 *   cgroup2 /sys/fs/cgroup
 *   cgroup 1 /
 *   cgroup 6093 /system.slice/docker-36d6...8a2b.scope
 *   # pidns_tree 1 pid tgid ... cgroup comm
 *   1 1 0 0 0 - 0 4026531836 0 1 S 1 ? ? ? 1 systemd
 *   ...
 *
 * Line-based.  The first line names the format and its version; then
 * "cgroup2 MOUNT", where the map was read (or "cgroup2 - WHY" when there
 * was no map: WHY is the rest of the line), and one "cgroup ID PATH" line
 * per cgroup the file names, PATH from the root of the cgroup2 hierarchy;
 * then, from its own header line to the end, the file exactly as read.
 * MOUNT and PATH escape spaces, control bytes and backslashes as \ooo, as
 * the file escapes comm.  A reader rejects another version, and ignores
 * lines before the file's header whose first word it does not know.
 */
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "pidns-tree.h"
#include "xalloc.h"

#define MAGIC		"# pidns_tree snapshot "
#define FILE_HEADER	"# pidns_tree "

/* Undo \ooo in place; -1 on a bad escape, an escaped NUL or a control byte. */
static int unescape(char *s)
{
	size_t len;

	return pt_unescape(s, strlen(s), &len) ? -1 : 0;
}

static void put_escaped(FILE *f, const char *s)
{
	pt_fputs_escaped(s, PT_ESC_FILE, f);
}

static int map_line(char *l, size_t line, struct pt_cgmap *map,
		    struct pt_error *e)
{
	char *sp = strchr(l, ' '), *end;
	unsigned long long id;

	if (!strncmp(l, "cgroup2 ", 8)) {
		if (!strncmp(l + 8, "- ", 2)) {
			free(map->missing);
			if (asprintf(&map->missing, "the snapshot has no cgroup paths: %s",
				     l + 10) < 0)
				map->missing = NULL;
			return 0;
		}
		if (unescape(l + 8)) {
			pt_seterr(e, line, "cgroup2: a bad \\ooo escape");
			return -1;
		}
		free(map->mount);
		map->mount = xstrdup(l + 8);
		return 0;
	}
	if (!strncmp(l, PT_CTNAME_KEY, strlen(PT_CTNAME_KEY))) {
		if (pt_cgmap_name_line(map, l + strlen(PT_CTNAME_KEY)) == 0)
			return 0;
		pt_seterr(e, line, "not 'ctname ID RUNTIME NAME POD_NAMESPACE POD_NAME'");
		return -1;
	}
	if (strncmp(l, "cgroup ", 7))
		return 0;		/* a later version's: ignored */
	errno = 0;
	id = strtoull(l + 7, &end, 10);
	sp = end;
	if (errno || end == l + 7 || *sp != ' ' || l[7] == '-' || !id ||
	    sp[1] != '/' || unescape(sp + 1)) {
		pt_seterr(e, line, "not 'cgroup ID PATH' (a number > 0, then a path from /)");
		return -1;
	}
	if (map->n && map->cg[map->n - 1].id >= id) {
		pt_seterr(e, line, "cgroup %llu: the ids must increase", id);
		return -1;
	}
	pt_cgmap_add(map, id, sp + 1);
	return 0;
}

int pt_snapshot_split(char *buf, size_t *len, struct pt_cgmap *map,
		      size_t *lines, struct pt_error *e)
{
	size_t off = 0, line = 0, n = strlen(MAGIC);
	char *nl;

	*lines = 0;
	if (*len < n || memcmp(buf, MAGIC, n))
		return 0;
	while (off < *len) {
		char *l = buf + off;

		nl = memchr(l, '\n', *len - off);
		line++;
		if (!nl) {
			pt_seterr(e, line, "truncated snapshot: no /proc/pidns_tree part");
			return -1;
		}
		if (line > 1 && !strncmp(l, FILE_HEADER, strlen(FILE_HEADER)))
			break;
		*nl = '\0';
		if (line == 1 && strcmp(l + n, "1")) {
			pt_seterr(e, 1, "unsupported snapshot version '%.20s' (this pidns-tree reads version 1)",
				  l + n);
			return -1;
		}
		if (line > 1 && map_line(l, line, map, e))
			return -1;
		off = nl + 1 - buf;
	}
	if (off >= *len) {
		pt_seterr(e, line, "snapshot without its /proc/pidns_tree part");
		return -1;
	}
	if (!map->mount && !map->missing)
		map->missing = xstrdup("the snapshot has no cgroup map");
	pt_cgmap_done(map);
	memmove(buf, buf + off, *len - off + 1);
	*len -= off;
	*lines = line - 1;
	return 1;
}

static int cmp_cgroup(const void *a, const void *b)
{
	const struct pt_task *x = *(const struct pt_task *const *)a;
	const struct pt_task *y = *(const struct pt_task *const *)b;

	return (x->cgroup > y->cgroup) - (x->cgroup < y->cgroup);
}

/*
 * A new file of its own in @path's directory (mkstemp(3): O_EXCL, so no
 * symlink or file planted there is followed or overwritten), with the
 * mode a new file gets under the umask.  Its name in *@tmp.
 */
static FILE *create_tmp(const char *path, char **tmp, struct pt_error *e)
{
	const char *slash = strrchr(path, '/');
	int dlen = slash ? (int)(slash - path) + 1 : 0;
	mode_t um;
	FILE *f;
	int fd;

	if (asprintf(tmp, "%.*s.%s.XXXXXX", dlen, path,
		     slash ? slash + 1 : path) < 0)
		err(EXIT_FAILURE, "cannot allocate memory");
	fd = mkostemp(*tmp, O_CLOEXEC);
	if (fd < 0) {
		pt_seterr(e, 0, "--save: cannot create a file in %.*s: %s",
			  dlen > 1 ? dlen - 1 : dlen ? dlen : 1,
			  dlen ? path : ".", strerror(errno));
		free(*tmp);
		return NULL;
	}
	um = umask(0);
	umask(um);
	if (fchmod(fd, 0666 & ~um) || !(f = fdopen(fd, "w"))) {
		pt_seterr(e, 0, "--save: cannot write %s: %s", *tmp, strerror(errno));
		close(fd);
		unlink(*tmp);
		free(*tmp);
		return NULL;
	}
	return f;
}

/*
 * Written to a new temporary file in the same directory, then renamed
 * over @path (which replaces a symlink there rather than following it):
 * never a half-written @path.
 */
int pt_snapshot_write(const char *path, const char *proc, size_t len,
		      const struct pt_model *m, struct pt_error *e)
{
	const struct pt_cgmap *map = &m->cgmap;
	unsigned long long last = 0;
	const struct pt_task **v;
	size_t i, n = 0;
	char *tmp;
	FILE *f;
	int rc;

	f = create_tmp(path, &tmp, e);
	if (!f)
		return -1;
	fputs(MAGIC "1\n", f);
	if (map->mount) {
		fputs("cgroup2 ", f);
		put_escaped(f, map->mount);
		fputc('\n', f);
	} else {
		fprintf(f, "cgroup2 - %s\n", map->missing ? map->missing : "?");
	}
	/* the cgroups the tasks are in, in id order, each once */
	v = xcalloc(m->snap.nr_tasks, sizeof(*v));
	for (i = 0; i < m->snap.nr_tasks; i++)
		if (m->snap.tasks[i].cg)
			v[n++] = &m->snap.tasks[i];
	qsort(v, n, sizeof(*v), cmp_cgroup);
	for (i = 0; i < n; i++) {
		if (v[i]->cgroup == last)
			continue;
		last = v[i]->cgroup;
		fprintf(f, "cgroup %llu ", last);
		put_escaped(f, v[i]->cg->path);
		fputc('\n', f);
	}
	free(v);
	pt_cgmap_write_names(map, f);
	fwrite(proc, 1, len, f);
	rc = ferror(f);
	if (fclose(f) || rc || rename(tmp, path)) {
		pt_seterr(e, 0, "--save: cannot write %s: %s", path, strerror(errno));
		unlink(tmp);
		free(tmp);
		return -1;
	}
	free(tmp);
	return 0;
}
