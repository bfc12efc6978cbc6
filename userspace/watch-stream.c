// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * watch-stream.c - --watch on /proc/pidns_tree_events, live or replayed
 * from a saved stream (--events), line by line into watch-events.c
 */
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include "evwatch-int.h"
#include "watch.h"
#include "xalloc.h"

#define LIVE_BUF	(PT_MAX_LINE + 2)	/* the kernel returns whole lines */
#define MAX_TRIED	4096

struct reader {
	const char	*name;
	struct pt_evstream st;
	struct pt_evwatch *w;		/* NULL: only check the lines */
	struct pt_model	*m;		/* the snapshot, until the header */
	const struct pt_evwatch_opts *o;
};

static void __attribute__((noreturn))
stream_error(const char *name, const struct pt_error *e)
{
	if (e->line)
		errx(EXIT_FAILURE, "%s: line %zu: %s", name, e->line, e->msg);
	errx(EXIT_FAILURE, "%s: %s", name, e->msg);
}

/* One line (without its newline; s[n] is writable); -1 on a write error. */
static int one_line(struct reader *r, char *s, size_t n)
{
	struct pt_event ev;
	struct pt_error e = { 0 };

	if (n > PT_MAX_LINE) {
		pt_seterr(&e, r->st.line + 1, "line longer than %d bytes", PT_MAX_LINE);
		stream_error(r->name, &e);
	}
	if (!r->st.line) {
		if (pt_ev_header(&r->st, s, n, &e))
			stream_error(r->name, &e);
		if (!r->m)
			return 0;
		r->w = pt_evwatch_new(r->m, &r->st, r->o, &e);
		if (!r->w)
			errx(EXIT_FAILURE, "%s", e.msg);
		return 0;
	}
	if (pt_ev_parse(&r->st, s, n, &ev, &e))
		stream_error(r->name, &e);
	return r->w ? pt_evwatch_event(r->w, &ev) : 0;
}

/* The whole lines of @buf; returns the bytes used, or -1 on a write error. */
static ssize_t lines(struct reader *r, char *buf, size_t len)
{
	char *pos = buf, *end = buf + len, *nl;

	while ((nl = memchr(pos, '\n', end - pos))) {
		*nl = '\0';
		if (one_line(r, pos, nl - pos))
			return -1;
		pos = nl + 1;
	}
	return pos - buf;
}

static void read_file(const char *path, char **buf, size_t *len)
{
	bool is_stdin = !strcmp(path, "-");
	int fd = is_stdin ? STDIN_FILENO : open(path, O_RDONLY | O_CLOEXEC);
	int rc;

	if (fd < 0)
		err(2, "cannot open %s", path);
	rc = pt_read_any_fd(fd, buf, len);
	if (rc == -EFBIG)
		errx(EXIT_FAILURE, "%s: larger than %lu MiB", path, PT_MAX_INPUT >> 20);
	if (rc < 0) {
		errno = -rc;
		err(2, "cannot read %s", is_stdin ? "stdin" : path);
	}
	if (!is_stdin)
		close(fd);
}

static void check_end(struct reader *r, const char *buf, size_t len, size_t used)
{
	struct pt_error e = { 0 };

	if (len == 0) {
		pt_seterr(&e, 1, "empty input (no '# pidns_tree_events %d SEQ' header)",
			  PT_EV_VERSION);
		stream_error(r->name, &e);
	}
	if (used < len) {
		pt_seterr(&e, r->st.line + 1, "%s",
			  len - used > PT_MAX_LINE ? "line longer than 65536 bytes" :
			  "truncated line (no newline at the end of the input)");
		stream_error(r->name, &e);
	}
	(void)buf;
}

int pt_evwatch_replay(const char *path, struct pt_model *m,
		      const struct pt_evwatch_opts *o)
{
	struct reader r = { .name = strcmp(path, "-") ? path : "stdin", .o = o };
	char *buf, *copy;
	size_t len;
	ssize_t used;

	read_file(path, &buf, &len);
	/* first the whole stream, on a copy (names are unescaped in place) */
	copy = xmemdup(buf, len + 1);
	used = lines(&r, copy, len);
	check_end(&r, copy, len, used);
	free(copy);
	memset(&r.st, 0, sizeof(r.st));
	r.m = m;
	lines(&r, buf, len);
	pt_evwatch_free(r.w);
	free(buf);
	return EXIT_SUCCESS;
}

/* --- live ------------------------------------------------------------------- */

bool pt_evw_refresh(struct pt_evwatch *w, unsigned long long cgroup)
{
	struct pt_cgmap nm = { 0 };
	struct pt_cgroup *cg;
	size_t i;

	for (i = 0; i < w->nr_tried; i++)
		if (w->tried[i] == cgroup)
			return false;
	if (w->nr_tried == MAX_TRIED)
		return false;
	w->tried = xreallocarray(w->tried, w->nr_tried + 1, sizeof(*w->tried));
	w->tried[w->nr_tried++] = cgroup;
	if (pt_cgmap_read(&nm)) {
		pt_cgmap_free(&nm);
		return false;
	}
	for (i = 0; i < w->cgmap.nr_names; i++) {
		const struct pt_ctname *n = &w->cgmap.names[i];

		pt_cgmap_name(&nm, n->id, n->runtime, n->name, n->pod_ns,
			      n->pod_name);
	}
	cg = (struct pt_cgroup *)pt_cgmap_find(&nm, cgroup);
	if (cg) {
		cg->used = true;	/* ask the runtimes about this one */
		pt_ctnames_read(&nm, NULL, 0, NULL, 0);
	}
	pt_cgmap_label(&nm);
	pt_cgmap_free(&w->cgmap);
	w->cgmap = nm;
	return cg != NULL;
}

static int signals(void)
{
	sigset_t sigs;
	int fd;

	pt_watch_signals(&sigs);
	fd = signalfd(-1, &sigs, SFD_CLOEXEC);
	if (fd < 0)
		err(EXIT_FAILURE, "signalfd");
	return fd;
}

int pt_evwatch_live(int fd, void (*read_snapshot)(struct pt_model *m),
		    const struct pt_evwatch_opts *o)
{
	struct reader r = { .name = o->path, .o = o };
	struct pollfd pfd[2] = { { .fd = fd, .events = POLLIN } };
	char *buf = xmalloc(LIVE_BUF + 1);
	int rc = EXIT_SUCCESS;
	struct pt_model m;
	size_t len = 0;
	ssize_t n;

	pfd[1].fd = signals();
	pfd[1].events = POLLIN;
	read_snapshot(&m);
	r.m = &m;
	for (;;) {
		if (poll(pfd, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			err(EXIT_FAILURE, "poll");
		}
		if (pfd[1].revents)
			break;
		n = read(fd, buf + len, LIVE_BUF - len);
		if (n < 0 && (errno == EINTR || errno == EAGAIN))
			continue;
		if (n <= 0) {
			if (n)
				warn("cannot read %s", o->path);
			else
				warnx("%s: the stream ended: the module was unloaded",
				      o->path);
			rc = 2;
			break;
		}
		len += n;
		n = lines(&r, buf, len);
		if (n < 0 || fflush(o->out))
			break;		/* close_stdout() says why */
		memmove(buf, buf + n, len - n);
		len -= n;
		if (len == LIVE_BUF)
			errx(EXIT_FAILURE, "%s: line %zu: line longer than %d bytes",
			     o->path, r.st.line + 1, PT_MAX_LINE);
	}
	pt_evwatch_free(r.w);
	pt_model_free(&m);
	close(pfd[1].fd);
	close(fd);
	free(buf);
	return rc;
}
