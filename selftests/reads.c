// SPDX-License-Identifier: GPL-2.0
/*
 * /proc/pidns_tree read in every way a file can be read: reads of any
 * size, lseek back to 0 and pread at any offset give the bytes of one
 * whole read, with a process of 200 threads around so that the file spans
 * several pages.  On a quiet system unrelated kernel threads still change
 * state or come and go, so each comparison is made in rounds: it fails
 * only if no round of ROUNDS agrees (a restart bug in the walk differs
 * every round), and it names the byte offset, line, pid and column of the
 * last disagreement.  Every output must parse (no torn line, strictly
 * increasing pids) in every round.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <kselftest_harness.h>

#include "pidns_tree_lib.h"

#define ROUNDS		20	/* in TCG, rcu_preempt flips R/I in up to half the rounds */
#define ROUND_PAUSE_MS	200
#define WHOLE		65536
#define WHY_LEN		1024
#define READ_TIMEOUT_MS	10000	/* one whole read, even 1 byte at a time */

static void pause_ms(int ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

/* The whole file, from a fresh open, read @bufsz bytes at a time. */
static int read_path(size_t bufsz, struct pst_out *o)
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

static void out_free(struct pst_out *o)
{
	free(o->buf);
	o->buf = NULL;
}

/* 0 if @o parses as a whole file; else the reason in @err. */
static int parses(const struct pst_out *o, char *err, size_t errlen)
{
	struct pst_snapshot s;
	int ret = pst_parse(o->buf, o->len, &s, err, errlen);

	pst_free(&s);
	return ret;
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
	struct pst_out o[3];
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
			agreed = pst_diff_between(&o[0], &o[1], &o[2], what,
						  why, sizeof(why)) < 0;
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
	struct pst_out a, b, c, d = { NULL, 0 };
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
	same = pst_diff_between(&a, &b, &d, "read after lseek 0", why,
				whylen) < 0 &&
	       pst_diff_between(&a, &c, &d,
				"333-byte reads after read(100) and lseek 0",
				why, whylen) < 0;
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
static bool pread_matches(int fd, const struct pst_out *w, off_t off,
			  size_t count, char *why, size_t whylen)
{
	size_t want = (size_t)off >= w->len ? 0 :
		      (w->len - off < count ? w->len - off : count);
	struct pst_out spliced;
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
	struct pst_out w = { NULL, 0 }, chunks = { NULL, 0 };
	struct pst_out after = { NULL, 0 };
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
		same = pst_diff_between(&w, &chunks, &after,
					"333-byte preads from 0", why,
					whylen) < 0;
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
	struct pst_out before = { NULL, 0 }, after = { NULL, 0 };
	struct pst_out rest = { NULL, 0 }, joined;
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
		same = pst_diff_between(&before, &rest, &after,
					"100 bytes, failed seeks, then the rest",
					why, whylen) < 0;
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

#include "harness_main.h"
