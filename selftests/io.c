// SPDX-License-Identifier: GPL-2.0
/*
 * /proc/pidns_tree as a file.
 *
 * reads.*: reads of any size, lseek back to 0 and pread at any offset
 * give the bytes of one whole read, with a process of 200 threads around
 * so that the file spans several pages.  On a quiet system unrelated
 * kernel threads still change state or come and go, so each comparison is
 * made in rounds: it fails only if no round of ROUNDS agrees (a restart
 * bug in the walk differs every round), and it names the byte offset,
 * line, pid and column of the last disagreement.  Every output must parse
 * (no torn line, strictly increasing pids) in every round.
 *
 * deny.*: nothing can change it: write, opens for writing or truncation,
 * truncate(2), ftruncate, chmod(2), fchmod and ioctl fail with an errno, as
 * root and as nobody, and the file keeps its mode 0444 and its content.
 * Root's truncate(2) and chmod(2) go through proc_notify_change()
 * (fs/proc/generic.c), which the module cannot intercept: where the kernel
 * lets root succeed, that case is reported as SKIP, after checking what
 * changed and restoring the mode.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <linux/fs.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include <kselftest_harness.h>

#include "pidns_tree_lib.h"

#define ROUNDS		20	/* in TCG, rcu_preempt flips R/I in up to half the rounds */
#define ROUND_PAUSE_MS	200
#define WHOLE		65536
#define WHY_LEN		1024
#define NOBODY		65534
#define READ_TIMEOUT_MS	10000	/* one whole read, even 1 byte at a time */

struct out {
	char *buf;
	size_t len;
};

static void pause_ms(int ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

/* The whole file, from a fresh open, read @bufsz bytes at a time. */
static int read_path(size_t bufsz, struct out *o)
{
	int fd = open(PIDNS_TREE_PATH, O_RDONLY | O_CLOEXEC);
	int e;

	o->buf = NULL;
	if (fd < 0)
		return -errno;
	o->buf = pst_slurp_fd_timed(fd, bufsz, &o->len, READ_TIMEOUT_MS);
	e = errno;
	close(fd);
	return o->buf ? 0 : -e;
}

static void out_free(struct out *o)
{
	free(o->buf);
	o->buf = NULL;
}

/* 0 if @o parses as a whole file; else the reason in @err. */
static int parses(const struct out *o, char *err, size_t errlen)
{
	struct pst_snapshot s;
	int ret = pst_parse(o->buf, o->len, &s, err, errlen);

	pst_free(&s);
	return ret;
}

/* -1 if @a and @b are the same bytes, else describe them in @why. */
static long differ(const char *what_a, const struct out *a,
		   const char *what_b, const struct out *b,
		   char *why, size_t whylen)
{
	char d[768];
	long off = pst_diff(a->buf, a->len, b->buf, b->len, d, sizeof(d));

	if (off >= 0)
		snprintf(why, whylen, "%s (%zu bytes) vs %s (%zu bytes): %s",
			 what_a, a->len, what_b, b->len, d);
	return off;
}

/* The task lines of an output (one that parses): pid, start, length. */
struct line {
	long pid;
	const char *s;
	size_t len;
};

static struct line *split_lines(const struct out *o, size_t *n)
{
	const char *p = strchr(o->buf, '\n') + 1, *end = o->buf + o->len;
	struct line *l = calloc(o->len / 2 + 1, sizeof(*l));
	size_t i = 0;

	for (; l && p < end; i++) {
		const char *nl = memchr(p, '\n', end - p);

		l[i].pid = atol(p);
		l[i].s = p;
		l[i].len = nl - p;
		p = nl + 1;
	}
	*n = i;
	return l;
}

static const struct line *find_line(const struct line *l, size_t n, long pid)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (l[mid].pid == pid)
			return &l[mid];
		if (l[mid].pid < pid)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

static bool same_line(const struct line *x, const struct line *y)
{
	return x && y && x->len == y->len && !memcmp(x->s, y->s, x->len);
}

/* The first pid one list has and the other not, or -1. */
static long first_odd_pid(const struct line *x, size_t nx,
			  const struct line *y, size_t ny, bool *in_x)
{
	size_t i = 0, j = 0;

	while (i < nx || j < ny) {
		if (j == ny || (i < nx && x[i].pid < y[j].pid)) {
			*in_x = true;
			return x[i].pid;
		}
		if (i == nx || y[j].pid < x[i].pid) {
			*in_x = false;
			return y[j].pid;
		}
		i++;
		j++;
	}
	return -1;
}

/*
 * @b was read (in some odd way) between the whole reads @a and @c.  It
 * agrees if its header is theirs, it lists the pids of @a or of @c, and
 * each of its lines is that task's line in @a or in @c: a kernel thread
 * that changed state meanwhile is no disagreement; a line lost, doubled or
 * changed by the way it was read is, in every round.
 */
static bool agrees(const struct out *a, const struct out *b,
		   const struct out *c, const char *what, char *why,
		   size_t whylen)
{
	size_t na, nb, nc, i, k, field, hdr = strchr(a->buf, '\n') + 1 - a->buf;
	struct line *la = split_lines(a, &na), *lb = split_lines(b, &nb);
	struct line *lc = split_lines(c, &nc);
	const struct line *x, *z;
	bool ok = false, in_b, dummy;
	char col[64];
	long pid;

	if (!la || !lb || !lc) {
		snprintf(why, whylen, "out of memory");
		goto out;
	}
	if (b->len < hdr || memcmp(a->buf, b->buf, hdr)) {
		differ("the whole read before", a, what, b, why, whylen);
		goto out;
	}
	pid = first_odd_pid(lb, nb, la, na, &in_b);
	if (pid >= 0 && first_odd_pid(lb, nb, lc, nc, &dummy) >= 0) {
		snprintf(why, whylen,
			 "the %s %s pid %ld, the whole read before them %s (and the one after does not list the same pids either)",
			 what, in_b ? "list" : "do not list", pid,
			 in_b ? "does not" : "does");
		goto out;
	}
	for (i = 0; i < nb; i++) {
		const struct line *y;

		x = find_line(la, na, lb[i].pid);
		z = find_line(lc, nc, lb[i].pid);
		if (same_line(&lb[i], x) || same_line(&lb[i], z))
			continue;
		y = x ? x : z;	/* one has it: b lists the pids of a or c */
		for (k = 0, field = 0; k < lb[i].len && k < y->len &&
		     lb[i].s[k] == y->s[k]; k++)
			field += lb[i].s[k] == ' ';
		pst_column_name(a->buf, a->len, field, col, sizeof(col));
		snprintf(why, whylen,
			 "%s: byte %zu (line %zu, pid %ld, column %s): '%.*s'; the whole read before has '%.*s', the one after '%.*s'",
			 what, (size_t)(lb[i].s - b->buf) + k, i + 2, lb[i].pid,
			 col, (int)lb[i].len, lb[i].s,
			 x ? (int)x->len : 6, x ? x->s : "(none)",
			 z ? (int)z->len : 6, z ? z->s : "(none)");
		goto out;
	}
	ok = true;
out:
	free(la);
	free(lb);
	free(lc);
	return ok;
}

/*
 * A quiet guest lists some 70 tasks, under 4 KiB: too few for reads of
 * 4095 to 4097 bytes, or seq_file's own page-sized buffer, to cut the
 * file anywhere.  A process with FILLER_THREADS sleeping threads makes it
 * three or four pages long.
 */
#define FILLER_THREADS	200

static void *filler_thread(void *arg)
{
	for (;;)
		pause();
	return arg;
}

FIXTURE(reads) {
	pid_t filler;
};

FIXTURE_SETUP(reads)
{
	pthread_attr_t attr;
	pthread_t t;
	int fds[2], i;
	char c;

	ASSERT_EQ(0, pipe(fds));
	self->filler = fork();
	ASSERT_LE(0, self->filler);
	if (self->filler == 0) {
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		pthread_attr_init(&attr);
		pthread_attr_setstacksize(&attr, 64 * 1024);
		for (i = 0; i < FILLER_THREADS; i++)
			if (pthread_create(&t, &attr, filler_thread, NULL))
				_exit(1);
		if (write(fds[1], "r", 1) != 1)
			_exit(1);
		for (;;)
			pause();
	}
	close(fds[1]);
	ASSERT_EQ(1, read(fds[0], &c, 1))
		TH_LOG("the process with %d threads did not start",
		       FILLER_THREADS);
	close(fds[0]);
}

FIXTURE_TEARDOWN(reads)
{
	if (self->filler > 0) {
		kill(self->filler, SIGKILL);
		waitpid(self->filler, NULL, 0);
	}
}

/*
 * Run @round until one agrees with the whole reads around it, at most
 * ROUNDS times: a task that forks or exits between the reads makes a round
 * disagree without anything being wrong.
 */
static void until_agreed(struct __test_metadata *_metadata,
			 bool (*round)(struct __test_metadata *_metadata,
				       char *why, size_t whylen))
{
	char why[WHY_LEN] = "";
	bool agreed = false;
	int n;

	for (n = 1; n <= ROUNDS && !agreed; n++) {
		agreed = round(_metadata, why, sizeof(why));
		if (!_metadata->passed)
			return;
		if (!agreed)
			pause_ms(ROUND_PAUSE_MS);
	}
	EXPECT_TRUE(agreed)
		TH_LOG("no round of %d agreed; the last: %s", ROUNDS, why);
}

static const size_t sizes[] = { 1, 7, 61, 4095, 4096, 4097 };

/*
 * Each size against whole reads just before and after it, in up to ROUNDS
 * rounds.
 */
TEST_F_TIMEOUT(reads, sizes_agree, 120)
{
	char why[WHY_LEN] = "", first[WHY_LEN], err[256], what[32];
	struct out o[3];
	size_t sz[3], i, j;
	bool agreed;
	int round;

	for (i = 0; i < ARRAY_SIZE(sizes); i++) {
		snprintf(what, sizeof(what), "%zu-byte reads", sizes[i]);
		sz[0] = WHOLE;
		sz[1] = sizes[i];
		sz[2] = WHOLE;
		agreed = false;
		for (round = 1; round <= ROUNDS && !agreed; round++) {
			for (j = 0; j < 3; j++) {
				ASSERT_EQ(0, read_path(sz[j], &o[j]))
					TH_LOG("round %d, %zu-byte reads: %s",
					       round, sz[j],
					       pst_read_strerror(errno));
				ASSERT_EQ(0, parses(&o[j], err, sizeof(err)))
					TH_LOG("round %d, %zu-byte reads: %s",
					       round, sz[j], err);
			}
			agreed = agrees(&o[0], &o[1], &o[2], what, why,
					sizeof(why));
			for (j = 0; j < 3; j++)
				out_free(&o[j]);
			if (round == 1)
				snprintf(first, sizeof(first), "%s", why);
			if (!agreed)
				pause_ms(ROUND_PAUSE_MS);
		}
		EXPECT_TRUE(agreed)
			TH_LOG("no round of %d agreed; the last: %s", ROUNDS,
			       why);
		if (agreed && round > 2)
			TH_LOG("%s agreed in round %d of %d; round 1: %s",
			       what, round - 1, ROUNDS, first);
	}
}

/*
 * One round: read the whole file, lseek to 0 and read it again; read 100
 * bytes, check SEEK_CUR, lseek to 0 and read it all in odd sizes.
 */
static bool lseek_round(struct __test_metadata *_metadata, char *why,
			size_t whylen)
{
	struct out a, b, c, d = { NULL, 0 };
	char err[256], part[100];
	bool same = true;
	ssize_t r;
	int fd;

	fd = open(PIDNS_TREE_PATH, O_RDONLY | O_CLOEXEC);
	EXPECT_LE(0, fd) TH_LOG("open: %s", strerror(errno));
	if (fd < 0)
		return true;
	a.buf = pst_slurp_fd_timed(fd, 4096, &a.len, READ_TIMEOUT_MS);
	EXPECT_NE(NULL, a.buf) TH_LOG("first read: %s", pst_read_strerror(errno));
	EXPECT_EQ(0, lseek(fd, 0, SEEK_SET))
		TH_LOG("lseek(0, SEEK_SET) after a whole read: %s",
		       strerror(errno));
	b.buf = pst_slurp_fd_timed(fd, 4096, &b.len, READ_TIMEOUT_MS);
	EXPECT_NE(NULL, b.buf)
		TH_LOG("read after lseek 0: %s", pst_read_strerror(errno));
	EXPECT_EQ(0, lseek(fd, 0, SEEK_SET));
	r = read(fd, part, sizeof(part));
	EXPECT_EQ(sizeof(part), r) TH_LOG("read(100) at 0 returned %zd", r);
	EXPECT_EQ(r, lseek(fd, 0, SEEK_CUR))
		TH_LOG("SEEK_CUR after reading %zd bytes", r);
	EXPECT_EQ(0, lseek(fd, 0, SEEK_SET));
	c.buf = pst_slurp_fd_timed(fd, 333, &c.len, READ_TIMEOUT_MS);
	EXPECT_NE(NULL, c.buf)
		TH_LOG("333-byte reads after lseek 0: %s",
		       pst_read_strerror(errno));
	close(fd);
	EXPECT_EQ(0, read_path(WHOLE, &d))
		TH_LOG("whole read: %s", pst_read_strerror(errno));
	if (!a.buf || !b.buf || !c.buf || !d.buf)
		goto out;
	EXPECT_EQ(0, parses(&a, err, sizeof(err))) TH_LOG("first read: %s", err);
	EXPECT_EQ(0, parses(&b, err, sizeof(err)))
		TH_LOG("read after lseek 0: %s", err);
	EXPECT_EQ(0, parses(&c, err, sizeof(err)))
		TH_LOG("333-byte reads after a partial read and lseek 0: %s",
		       err);
	EXPECT_EQ(0, parses(&d, err, sizeof(err))) TH_LOG("whole read: %s", err);
	if (!_metadata->passed)
		goto out;
	/* Line by line, as the first read or a fresh one after them all. */
	same = agrees(&a, &b, &d, "read after lseek 0", why, whylen) &&
	       agrees(&a, &c, &d, "333-byte reads after read(100) and lseek 0",
		      why, whylen);
out:
	free(a.buf);
	free(b.buf);
	free(c.buf);
	free(d.buf);
	return same;
}

TEST_F_TIMEOUT(reads, lseek_zero_rereads, 120)
{
	until_agreed(_metadata, lseek_round);
}

/*
 * pread(@count bytes at @off) must return the bytes of @w there (nothing
 * at or past its end).  Compares @w with @w's first @off bytes followed by
 * what pread returned, so that the difference is named at its offset in
 * the file.
 */
static bool pread_matches(int fd, const struct out *w, off_t off,
			  size_t count, char *why, size_t whylen)
{
	size_t want = (size_t)off >= w->len ? 0 :
		      (w->len - off < count ? w->len - off : count);
	struct out spliced;
	bool same = true;
	char d[768];
	ssize_t r;

	spliced.buf = malloc(off + count + 1);
	if (!spliced.buf) {
		snprintf(why, whylen, "out of memory");
		return false;
	}
	if (off)
		memcpy(spliced.buf, w->buf, off);
	r = pread(fd, spliced.buf + off, count, off);
	if (r < 0) {
		snprintf(why, whylen, "pread(%zu bytes at offset %lld): %s",
			 count, (long long)off, strerror(errno));
		same = false;
	} else if ((size_t)r != want ||
		   memcmp(spliced.buf + off, w->buf + off, want)) {
		pst_diff(w->buf, off + want, spliced.buf, off + r, d, sizeof(d));
		snprintf(why, whylen,
			 "pread(%zu bytes at offset %lld) returned %zd bytes, the whole read (%zu bytes) has %zu there; first difference: %s",
			 count, (long long)off, r, w->len, want, d);
		same = false;
	}
	free(spliced.buf);
	return same;
}

static bool pread_round(struct __test_metadata *_metadata, char *why,
			size_t whylen)
{
	struct out w = { NULL, 0 }, chunks = { NULL, 0 }, after = { NULL, 0 };
	size_t hdr, line2, i, n = 0;
	off_t offs[11];
	char err[256], byte;
	bool same = true;
	ssize_t r;
	int fd;

	fd = open(PIDNS_TREE_PATH, O_RDONLY | O_CLOEXEC);
	EXPECT_LE(0, fd) TH_LOG("open: %s", strerror(errno));
	if (fd < 0)
		return true;
	w.buf = pst_slurp_fd_timed(fd, WHOLE, &w.len, READ_TIMEOUT_MS);
	EXPECT_NE(NULL, w.buf) TH_LOG("whole read: %s", pst_read_strerror(errno));
	if (!w.buf)
		goto out;
	EXPECT_EQ(0, parses(&w, err, sizeof(err))) TH_LOG("whole read: %s", err);
	if (!_metadata->passed)
		goto out;

	hdr = strchr(w.buf, '\n') + 1 - w.buf;
	line2 = strchr(w.buf + hdr, '\n') + 1 - w.buf;
	offs[n++] = 0;				/* the start */
	offs[n++] = 5;				/* inside the header */
	offs[n++] = hdr;			/* the first task line */
	offs[n++] = hdr + (line2 - hdr) / 2;	/* the middle of that line */
	offs[n++] = 4095;			/* around seq_file's page */
	offs[n++] = 4096;
	offs[n++] = 8191;
	offs[n++] = w.len / 2;			/* the middle of the file */
	offs[n++] = w.len - 1;			/* its last byte */
	offs[n++] = w.len;			/* its end */
	offs[n++] = w.len + 1000;		/* past its end */
	for (i = 0; i < n && same; i++)
		same = pread_matches(fd, &w, offs[i], 200, why, whylen);

	/* Far past the end there is nothing, whatever happened meanwhile. */
	r = pread(fd, &byte, 1, 1LL << 40);
	EXPECT_EQ(0, r) TH_LOG("pread(1 byte at offset 2^40) returned %zd%s%s",
			       r, r < 0 ? ": " : "", r < 0 ? strerror(errno) : "");
	/* pread leaves the file position alone: still at the end. */
	EXPECT_EQ((off_t)w.len, lseek(fd, 0, SEEK_CUR))
		TH_LOG("file position after preads (want %zu, the whole read)",
		       w.len);
	if (same) {
		r = read(fd, &byte, 1);
		if (r != 0) {
			snprintf(why, whylen,
				 "read(1) at the end after preads returned %zd",
				 r);
			same = false;
		}
	}

	/* The whole file again, by pread only, in 333-byte steps. */
	if (same) {
		chunks.buf = malloc(w.len + 4096 + 333);
		EXPECT_NE(NULL, chunks.buf);
		if (!chunks.buf)
			goto out;
		while (chunks.len <= w.len + 4096 &&
		       (r = pread(fd, chunks.buf + chunks.len, 333,
				  chunks.len)) > 0)
			chunks.len += r;
		EXPECT_LE(0, r) TH_LOG("pread(333 at %zu): %s", chunks.len,
				       strerror(errno));
		EXPECT_EQ(0, parses(&chunks, err, sizeof(err)))
			TH_LOG("333-byte preads from 0: %s", err);
		EXPECT_EQ(0, read_path(WHOLE, &after))
			TH_LOG("whole read: %s", pst_read_strerror(errno));
		if (!_metadata->passed)
			goto out;
		same = agrees(&w, &chunks, &after, "333-byte preads from 0",
			      why, whylen);
	}
out:
	close(fd);
	free(w.buf);
	free(chunks.buf);
	free(after.buf);
	return same;
}

TEST_F_TIMEOUT(reads, pread_offsets, 120)
{
	until_agreed(_metadata, pread_round);
}

/*
 * seq_lseek() knows SEEK_SET and SEEK_CUR only: SEEK_END (the size of a
 * generated file is unknown), SEEK_DATA, SEEK_HOLE and negative offsets
 * fail with EINVAL and leave the position alone; reading then goes on
 * where it was.  Seeking past the end succeeds and reads nothing.
 */
static bool seek_round(struct __test_metadata *_metadata, char *why,
		       size_t whylen)
{
	static const struct {
		off_t off;
		int whence;
		const char *name;
	} bad[] = {
		{ 0, SEEK_END, "lseek(0, SEEK_END)" },
		{ -1, SEEK_END, "lseek(-1, SEEK_END)" },
		{ 0, SEEK_DATA, "lseek(0, SEEK_DATA)" },
		{ 0, SEEK_HOLE, "lseek(0, SEEK_HOLE)" },
		{ -1, SEEK_SET, "lseek(-1, SEEK_SET)" },
		{ -1000, SEEK_CUR, "lseek(-1000, SEEK_CUR)" },
	};
	struct out before = { NULL, 0 }, after = { NULL, 0 };
	struct out rest = { NULL, 0 }, joined;
	char part[100], err[256], byte;
	bool same = true;
	ssize_t r;
	off_t pos;
	size_t i;
	int fd;

	EXPECT_EQ(0, read_path(WHOLE, &before))
		TH_LOG("whole read: %s", pst_read_strerror(errno));
	fd = open(PIDNS_TREE_PATH, O_RDONLY | O_CLOEXEC);
	EXPECT_LE(0, fd) TH_LOG("open: %s", strerror(errno));
	if (fd < 0 || !before.buf)
		goto out;
	r = read(fd, part, sizeof(part));
	EXPECT_EQ(sizeof(part), r) TH_LOG("read(100) returned %zd", r);
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		errno = 0;
		pos = lseek(fd, bad[i].off, bad[i].whence);
		EXPECT_EQ(-1, pos)
			TH_LOG("%s at offset %zd returned %lld, want EINVAL",
			       bad[i].name, r, (long long)pos);
		EXPECT_EQ(EINVAL, errno)
			TH_LOG("%s: errno %d (%s), want EINVAL", bad[i].name,
			       errno, strerror(errno));
		EXPECT_EQ(r, lseek(fd, 0, SEEK_CUR))
			TH_LOG("position after a failed %s", bad[i].name);
	}
	rest.buf = pst_slurp_fd_timed(fd, 4096, &rest.len, READ_TIMEOUT_MS);
	EXPECT_NE(NULL, rest.buf)
		TH_LOG("reading on: %s", pst_read_strerror(errno));

	pos = lseek(fd, 1LL << 40, SEEK_SET);
	EXPECT_EQ(1LL << 40, pos) TH_LOG("lseek(2^40, SEEK_SET) returned %lld",
					 (long long)pos);
	EXPECT_EQ(0, read(fd, &byte, 1)) TH_LOG("read at offset 2^40");
	close(fd);
	fd = -1;
	if (!rest.buf || r != sizeof(part))
		goto out;

	joined.len = r + rest.len;
	joined.buf = malloc(joined.len + 1);
	EXPECT_NE(NULL, joined.buf);
	if (!joined.buf)
		goto out;
	memcpy(joined.buf, part, r);
	memcpy(joined.buf + r, rest.buf, rest.len);
	free(rest.buf);
	rest = joined;
	EXPECT_EQ(0, parses(&rest, err, sizeof(err)))
		TH_LOG("100 bytes, failed seeks, then the rest: %s", err);
	EXPECT_EQ(0, read_path(WHOLE, &after))
		TH_LOG("whole read: %s", pst_read_strerror(errno));
	if (_metadata->passed)
		same = agrees(&before, &rest, &after,
			      "100 bytes, failed seeks, then the rest", why,
			      whylen);
out:
	if (fd >= 0)
		close(fd);
	free(before.buf);
	free(after.buf);
	free(rest.buf);
	return same;
}

TEST_F_TIMEOUT(reads, lseek_end_fails_cleanly, 120)
{
	until_agreed(_metadata, seek_round);
	if (_metadata->passed)
		TH_LOG("SEEK_END, SEEK_DATA, SEEK_HOLE and negative offsets fail with EINVAL, position kept; SEEK_SET past the end reads nothing");
}

/*
 * Calls that must not change the file, run as root or as nobody.  Each op
 * makes one or more calls, each with the errno it must fail with; the
 * first call that does not is recorded (else the last call).
 */
struct outcome {
	int ret;		/* 0: the call succeeded, else -errno */
	int want;		/* -errno */
	bool mismatch;
	char call[96];
};

typedef void (*deny_op)(struct outcome *o);

/* Record a call's result; false once a call did not fail with @want. */
static bool note(struct outcome *o, const char *call, long ret, int want)
{
	if (o->mismatch)
		return false;
	o->ret = ret < 0 ? -errno : 0;
	o->want = -want;
	o->mismatch = o->ret != o->want;
	snprintf(o->call, sizeof(o->call), "%s", call);
	return !o->mismatch;
}

static int open_ro(struct outcome *o)
{
	int fd = open(PIDNS_TREE_PATH, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		note(o, "open(O_RDONLY)", fd, 0);
	return fd;
}

static void op_write(struct outcome *o)
{
	struct iovec iov = { "1\n", 2 };
	int fd = open_ro(o);

	if (fd < 0)
		return;
	note(o, "write", write(fd, "1\n", 2), EBADF);
	/* seq_open() clears FMODE_PWRITE: ESPIPE comes before EBADF. */
	note(o, "pwrite at 0", pwrite(fd, "1\n", 2, 0), ESPIPE);
	note(o, "writev", writev(fd, &iov, 1), EBADF);
	close(fd);
}

static void try_open(struct outcome *o, int flags, const char *call)
{
	int fd = open(PIDNS_TREE_PATH, flags | O_CLOEXEC);

	note(o, call, fd, EACCES);
	if (fd >= 0)
		close(fd);
}

static void op_open_wronly(struct outcome *o)
{
	try_open(o, O_WRONLY, "open(O_WRONLY)");
	try_open(o, O_WRONLY | O_APPEND, "open(O_WRONLY | O_APPEND)");
}

static void op_open_rdwr(struct outcome *o)
{
	try_open(o, O_RDWR, "open(O_RDWR)");
}

static void op_open_trunc(struct outcome *o)
{
	try_open(o, O_WRONLY | O_TRUNC, "open(O_WRONLY | O_TRUNC)");
	try_open(o, O_RDONLY | O_TRUNC, "open(O_RDONLY | O_TRUNC)");
}

static void op_ftruncate(struct outcome *o)
{
	int fd = open_ro(o);

	if (fd < 0)
		return;
	/* An fd not open for writing: EINVAL (do_sys_ftruncate). */
	note(o, "ftruncate(0)", ftruncate(fd, 0), EINVAL);
	note(o, "ftruncate(4096)", ftruncate(fd, 4096), EINVAL);
	close(fd);
}

static void op_truncate(struct outcome *o)
{
	note(o, "truncate(0)", truncate(PIDNS_TREE_PATH, 0), EACCES);
	note(o, "truncate(4096)", truncate(PIDNS_TREE_PATH, 4096), EACCES);
}

static void op_chmod(struct outcome *o)
{
	note(o, "chmod(0666)", chmod(PIDNS_TREE_PATH, 0666), EPERM);
}

static void op_fchmod(struct outcome *o)
{
	int fd = open_ro(o);

	if (fd < 0)
		return;
	note(o, "fchmod(0666)", fchmod(fd, 0666), EPERM);
	close(fd);
}

static void op_ioctl(struct outcome *o)
{
	struct termios tio;
	int arg = 0, fd = open_ro(o);

	if (fd < 0)
		return;
	/*
	 * The generic VFS ioctls (FIONREAD, FIGETBSZ, FIOCLEX...) answer for
	 * every file without reaching /proc; these reach the proc entry.
	 */
	note(o, "ioctl(TCGETS)", ioctl(fd, TCGETS, &tio), ENOTTY);
	note(o, "ioctl(FS_IOC_GETFLAGS)", ioctl(fd, FS_IOC_GETFLAGS, &arg),
	     ENOTTY);
	note(o, "ioctl(FS_IOC_SETFLAGS)", ioctl(fd, FS_IOC_SETFLAGS, &arg),
	     ENOTTY);
	note(o, "ioctl(_IO('p', 0))", ioctl(fd, _IO('p', 0)), ENOTTY);
	note(o, "ioctl(_IOW('p', 1, int))", ioctl(fd, _IOW('p', 1, int), &arg),
	     ENOTTY);
	close(fd);
}

FIXTURE(deny) {
	char header[512];
};

FIXTURE_VARIANT(deny) {
	uid_t uid;
	const char *who;
};

FIXTURE_VARIANT_ADD(deny, root) {
	.uid = 0,
	.who = "root",
};

FIXTURE_VARIANT_ADD(deny, nobody) {
	.uid = NOBODY,
	.who = "nobody (uid 65534)",
};

/* The file as it must stay: mode 0444, size 0, root's, same header. */
static void check_unchanged(struct __test_metadata *_metadata,
			    const char *header, const char *after)
{
	struct pst_snapshot s;
	struct stat st;
	char err[256];

	ASSERT_EQ(0, stat(PIDNS_TREE_PATH, &st)) TH_LOG("stat after %s: %s",
							after, strerror(errno));
	EXPECT_EQ(S_IFREG | 0444, st.st_mode)
		TH_LOG("mode after %s: %o, want 100444", after, st.st_mode);
	EXPECT_EQ(0, st.st_size) TH_LOG("size after %s", after);
	EXPECT_EQ(0, st.st_uid) TH_LOG("owner after %s", after);
	EXPECT_EQ(0, st.st_gid) TH_LOG("group after %s", after);
	ASSERT_EQ(0, pst_read(PIDNS_TREE_PATH, 4096, &s, err, sizeof(err)))
		TH_LOG("read after %s: %s", after, err);
	EXPECT_STREQ(header, s.header) TH_LOG("header after %s", after);
	EXPECT_NE(NULL, pst_find(&s, getpid()))
		TH_LOG("after %s, the reader (pid %d) is not listed", after,
		       getpid());
	pst_free(&s);
}

FIXTURE_SETUP(deny)
{
	struct pst_snapshot s;
	char err[256];

	if (geteuid())
		SKIP(return, "needs root (to act as root and as nobody)");
	ASSERT_EQ(0, pst_read(PIDNS_TREE_PATH, 4096, &s, err, sizeof(err)))
		TH_LOG("%s", err);
	snprintf(self->header, sizeof(self->header), "%s", s.header);
	pst_free(&s);
	check_unchanged(_metadata, self->header, "nothing yet");
}

FIXTURE_TEARDOWN(deny)
{
	struct stat st;

	/* Whatever happened, leave the file as it was found. */
	if (!geteuid() && !stat(PIDNS_TREE_PATH, &st) &&
	    (st.st_mode & 07777) != 0444)
		chmod(PIDNS_TREE_PATH, 0444);
}

/* Run @op as @uid in a child; its outcome in @res. */
static void run_as(struct __test_metadata *_metadata, uid_t uid, deny_op op,
		   struct outcome *res)
{
	struct outcome *o = mmap(NULL, sizeof(*o), PROT_READ | PROT_WRITE,
				 MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	int status;
	pid_t pid;

	ASSERT_NE(MAP_FAILED, o);
	memset(o, 0, sizeof(*o));
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		if (uid && (setgroups(0, NULL) ||
			    setresgid(uid, uid, uid) ||
			    setresuid(uid, uid, uid)))
			_exit(1);
		op(o);
		_exit(0);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_TRUE(WIFEXITED(status) && !WEXITSTATUS(status))
		TH_LOG("the child could not become uid %d", uid);
	*res = *o;
	munmap(o, sizeof(*o));
}

static const char *result(int ret)
{
	return ret ? strerror(-ret) : "success";
}

/*
 * Run @op as the variant's user: every call must fail as it says and
 * change nothing.  @kernel_lets_root: why the kernel, not the module,
 * decides for root; if root's call then succeeds, the case is a SKIP
 * saying so (after checking the file and restoring its mode).
 */
static void deny(struct __test_metadata *_metadata,
		 FIXTURE_DATA(deny) *self,
		 const FIXTURE_VARIANT(deny) *variant,
		 deny_op op, const char *kernel_lets_root)
{
	char after[160];
	struct outcome o;
	struct stat st;

	if (_metadata->skip)	/* by the setup: the harness runs us anyway */
		return;
	run_as(_metadata, variant->uid, op, &o);
	snprintf(after, sizeof(after), "%s as %s", o.call, variant->who);
	if (o.mismatch && !o.ret && !variant->uid && kernel_lets_root) {
		int restored = -1;

		if (!stat(PIDNS_TREE_PATH, &st) && (st.st_mode & 07777) != 0444) {
			TH_LOG("%s changed the mode to %o; restoring 0444",
			       after, st.st_mode & 07777);
			restored = chmod(PIDNS_TREE_PATH, 0444);
			ASSERT_EQ(0, restored) TH_LOG("chmod(0444): %s",
						      strerror(errno));
		}
		check_unchanged(_metadata, self->header, after);
		if (!_metadata->passed)
			return;
		SKIP(return, "%s succeeds: %s; %s", after, kernel_lets_root,
		     restored ? "checked: mode, size and content unchanged" :
		     "mode restored to 0444, content unchanged");
	}
	EXPECT_FALSE(o.mismatch)
		TH_LOG("%s: %s, want %s", after, result(o.ret),
		       strerror(-o.want));
	check_unchanged(_metadata, self->header, after);
}

TEST_F(deny, write)
{
	deny(_metadata, self, variant, op_write, NULL);
}

TEST_F(deny, open_wronly)
{
	deny(_metadata, self, variant, op_open_wronly, NULL);
}

TEST_F(deny, open_rdwr)
{
	deny(_metadata, self, variant, op_open_rdwr, NULL);
}

/*
 * The VFS truncates an O_RDONLY | O_TRUNC open after ->open() has run
 * (do_open(), fs/namei.c), so the module can refuse it like a write open.
 */
TEST_F(deny, open_trunc)
{
	deny(_metadata, self, variant, op_open_trunc, NULL);
}

TEST_F(deny, ftruncate)
{
	deny(_metadata, self, variant, op_ftruncate, NULL);
}

TEST_F(deny, truncate)
{
	deny(_metadata, self, variant, op_truncate,
	     "the kernel's proc_notify_change() (fs/proc/generic.c) accepts root's truncate(2) of a /proc entry as a no-op and the module has no hook before it");
}

TEST_F(deny, chmod)
{
	deny(_metadata, self, variant, op_chmod,
	     "the kernel's proc_notify_change() (fs/proc/generic.c) stores root's new mode in the proc entry and the module has no hook before it");
}

TEST_F(deny, fchmod)
{
	deny(_metadata, self, variant, op_fchmod,
	     "the kernel's proc_notify_change() (fs/proc/generic.c) stores root's new mode in the proc entry and the module has no hook before it");
}

TEST_F(deny, ioctl)
{
	deny(_metadata, self, variant, op_ioctl, NULL);
}

#include "harness_main.h"
