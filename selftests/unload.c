// SPDX-License-Identifier: GPL-2.0
/*
 * /proc/pidns_tree while the module goes away.
 *
 * unload.rmmod_with_file_open: rmmod with the file open and half read: the
 * next read fails with EIO, close works, the file is gone, and
 * finit_module() brings it back.  unload.unload_while_reading: unload and
 * reload cycles under readers.  unload.rmmod_wakes_blocked_event_readers:
 * readers of /proc/pidns_tree_events blocked in read(), poll() and
 * epoll_wait(): rmmod completes, each returns (end of file or an error),
 * and the module loads again.  The module is loaded again from
 * $PIDNS_TREE_KO whatever happens.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <unistd.h>

#include <kselftest_harness.h>

#include "pidns_tree_lib.h"

/* One read, even 1 byte at a time, while the module comes and goes. */
#define READ_TIMEOUT_MS		60000

FIXTURE(unload) {
	const char *ko;
};

FIXTURE_SETUP(unload)
{
	self->ko = getenv(PST_KO_ENV);
	if (geteuid())
		SKIP(return, "needs root: unloads and loads the module");
	if (!self->ko || !*self->ko)
		SKIP(return, "%s is not set: the path of pidns_tree.ko, to load it again after unloading it",
		     PST_KO_ENV);
	ASSERT_EQ(0, access(self->ko, R_OK))
		TH_LOG("%s=%s: %s", PST_KO_ENV, self->ko, strerror(errno));
}

/* Whatever happened, leave the module loaded. */
FIXTURE_TEARDOWN(unload)
{
	if (!self->ko || !*self->ko || !access(PIDNS_TREE_PATH, F_OK))
		return;
	if (pst_module_load(self->ko) && errno != EEXIST)
		TH_LOG("could not load %s again: %s; /proc/pidns_tree stays absent",
		       self->ko, strerror(errno));
}

TEST_F_TIMEOUT(unload, rmmod_with_file_open, 120)
{
	struct pst_snapshot s;
	char buf[200], err[256];
	ssize_t r;
	off_t pos;
	int fd;

	if (_metadata->skip)
		return;
	fd = open(PIDNS_TREE_PATH, O_RDONLY | O_CLOEXEC);
	ASSERT_LE(0, fd) TH_LOG("open: %s", strerror(errno));
	r = read(fd, buf, sizeof(buf));
	ASSERT_EQ(sizeof(buf), r) TH_LOG("first read: %s", strerror(errno));

	ASSERT_EQ(0, pst_module_unload())
		TH_LOG("delete_module(%s, O_NONBLOCK) with the file open: %s",
		       PST_MODULE_NAME, strerror(errno));
	errno = 0;
	r = read(fd, buf, sizeof(buf));
	EXPECT_EQ(-1, r) TH_LOG("read after rmmod at offset 200 returned %zd bytes",
				r);
	EXPECT_EQ(EIO, errno) TH_LOG("read after rmmod: errno %d (%s), want EIO",
				     errno, strerror(errno));
	errno = 0;
	r = pread(fd, buf, sizeof(buf), 0);
	EXPECT_EQ(-1, r) TH_LOG("pread at 0 after rmmod returned %zd bytes", r);
	EXPECT_EQ(EIO, errno) TH_LOG("pread after rmmod: errno %d (%s), want EIO",
				     errno, strerror(errno));
	errno = 0;
	pos = lseek(fd, 0, SEEK_SET);
	TH_LOG("after rmmod: read and pread fail with EIO; lseek(0) returns %lld (%s)",
	       (long long)pos, pos < 0 ? strerror(errno) : "ok");
	EXPECT_EQ(0, close(fd)) TH_LOG("close after rmmod: %s", strerror(errno));

	errno = 0;
	EXPECT_NE(0, access(PIDNS_TREE_PATH, F_OK))
		TH_LOG("%s still exists after rmmod", PIDNS_TREE_PATH);
	EXPECT_EQ(ENOENT, errno) TH_LOG("access after rmmod: %s",
					strerror(errno));
	fd = open(PIDNS_TREE_PATH, O_RDONLY | O_CLOEXEC);
	EXPECT_EQ(-1, fd) TH_LOG("open after rmmod succeeded");
	EXPECT_NE(0, access("/sys/module/" PST_MODULE_NAME, F_OK))
		TH_LOG("/sys/module/%s still exists after rmmod", PST_MODULE_NAME);
	if (fd >= 0)
		close(fd);

	ASSERT_EQ(0, pst_module_load(self->ko))
		TH_LOG("finit_module(%s): %s", self->ko, strerror(errno));
	ASSERT_EQ(0, pst_read(PIDNS_TREE_PATH, 4096, &s, err, sizeof(err)))
		TH_LOG("read after reloading: %s", err);
	EXPECT_NE(NULL, pst_find(&s, getpid()))
		TH_LOG("after reloading, the reader (pid %d) is not listed",
		       getpid());
	pst_free(&s);
}

#define UNLOAD_CYCLES	5
#define UNLOAD_READERS	3

struct unload_reader {
	pthread_t thread;
	int index;
	int *stop;
	unsigned long whole, eio, enoent, failed;
	char msg[512];
};

static const size_t unload_sizes[] = { 65536, 61, 4096, 1, 4095 };

static void *unload_reader_fn(void *arg)
{
	struct unload_reader *rd = arg;
	struct pst_snapshot s;
	size_t n = 0, bufsz, len;
	char err[256], *buf;
	int fd;

	while (!__atomic_load_n(rd->stop, __ATOMIC_RELAXED)) {
		bufsz = unload_sizes[(rd->index + n++) % 5];
		fd = open(PIDNS_TREE_PATH, O_RDONLY | O_CLOEXEC);
		if (fd < 0) {
			if (errno == ENOENT) {
				rd->enoent++;
				continue;
			}
			snprintf(rd->msg, sizeof(rd->msg), "reader %d: open: %s",
				 rd->index, strerror(errno));
			rd->failed++;
			continue;
		}
		buf = pst_slurp_fd_timed(fd, bufsz, &len, READ_TIMEOUT_MS);
		if (!buf && errno == EIO) {
			rd->eio++;
		} else if (!buf) {
			snprintf(rd->msg, sizeof(rd->msg),
				 "reader %d: read (%zu-byte buffers): %s, want EIO if anything",
				 rd->index, bufsz, pst_read_strerror(errno));
			rd->failed++;
		} else if (pst_parse(buf, len, &s, err, sizeof(err))) {
			snprintf(rd->msg, sizeof(rd->msg),
				 "reader %d: a read that ended normally (%zu-byte buffers, %zu bytes): %s",
				 rd->index, bufsz, len, err);
			rd->failed++;
		} else {
			pst_free(&s);
			rd->whole++;
		}
		free(buf);
		if (close(fd)) {
			snprintf(rd->msg, sizeof(rd->msg), "reader %d: close: %s",
				 rd->index, strerror(errno));
			rd->failed++;
		}
	}
	return NULL;
}

TEST_F_TIMEOUT(unload, unload_while_reading, 120)
{
	struct unload_reader rd[UNLOAD_READERS];
	unsigned long whole = 0, eio = 0, enoent = 0;
	int stop = 0;
	int i, c;

	if (_metadata->skip)
		return;
	memset(rd, 0, sizeof(rd));
	for (i = 0; i < UNLOAD_READERS; i++) {
		rd[i].index = i;
		rd[i].stop = &stop;
		ASSERT_EQ(0, pthread_create(&rd[i].thread, NULL,
					    unload_reader_fn, &rd[i]));
	}
	for (c = 0; c < UNLOAD_CYCLES; c++) {
		pst_sleep_ms(300);
		if (pst_module_unload()) {
			EXPECT_EQ(0, -errno)
				TH_LOG("cycle %d: delete_module(%s) under readers: %s",
				       c, PST_MODULE_NAME, strerror(errno));
			break;
		}
		pst_sleep_ms(100);
		if (pst_module_load(self->ko)) {
			EXPECT_EQ(0, -errno)
				TH_LOG("cycle %d: finit_module(%s): %s", c,
				       self->ko, strerror(errno));
			break;
		}
	}
	pst_sleep_ms(300);
	__atomic_store_n(&stop, 1, __ATOMIC_RELAXED);
	for (i = 0; i < UNLOAD_READERS; i++) {
		pthread_join(rd[i].thread, NULL);
		whole += rd[i].whole;
		eio += rd[i].eio;
		enoent += rd[i].enoent;
		EXPECT_EQ(0, rd[i].failed) TH_LOG("%s", rd[i].msg);
	}
	TH_LOG("%d unload/load cycles: %lu whole reads, %lu reads cut by EIO, %lu opens with ENOENT",
	       c, whole, eio, enoent);
	EXPECT_LT(0, whole);
}

/* A reader of the event stream blocked in one way until the module goes. */
enum ev_wait { EV_READ, EV_POLL, EV_EPOLL, EV_WAYS };
static const char *const ev_ways[] = { "read()", "poll()", "epoll_wait()" };

struct ev_reader {
	pthread_t thread;
	enum ev_wait way;
	int fd, ep;
	int done;			/* set when it returned for good */
	ssize_t last;			/* the last read(): 0 or -1 */
	int err;			/* its errno */
	unsigned long lines;		/* reads that returned lines */
	unsigned int revents;		/* what poll() or epoll said last */
};

/* Read what is there; 1 if the stream ended (0 or an error but EAGAIN). */
static int ev_read_once(struct ev_reader *rd)
{
	static __thread char buf[65536];
	ssize_t r = read(rd->fd, buf, sizeof(buf));

	if (r > 0) {
		rd->lines++;
		return 0;
	}
	if (r < 0 && errno == EAGAIN)
		return 0;
	rd->last = r;
	rd->err = r < 0 ? errno : 0;
	return 1;
}

static void *ev_reader_fn(void *arg)
{
	struct ev_reader *rd = arg;
	struct pollfd p = { .fd = rd->fd, .events = POLLIN };
	struct epoll_event e;

	for (;;) {
		if (rd->way == EV_POLL) {
			if (poll(&p, 1, -1) < 0 && errno != EINTR)
				break;
			rd->revents = p.revents;
		}
		if (rd->way == EV_EPOLL) {
			if (epoll_wait(rd->ep, &e, 1, -1) < 0 && errno != EINTR)
				break;
			rd->revents = e.events;
		}
		if (ev_read_once(rd))
			break;
	}
	__atomic_store_n(&rd->done, 1, __ATOMIC_RELEASE);
	return NULL;
}

static int ev_reader_start(struct ev_reader *rd, enum ev_wait way)
{
	struct epoll_event e = { .events = EPOLLIN };

	memset(rd, 0, sizeof(*rd));
	rd->way = way;
	rd->ep = -1;
	rd->fd = open(PST_EVENTS_PATH, O_RDONLY | O_CLOEXEC |
		      (way == EV_READ ? 0 : O_NONBLOCK));
	if (rd->fd < 0)
		return -1;
	if (way == EV_EPOLL) {
		rd->ep = epoll_create1(EPOLL_CLOEXEC);
		e.data.fd = rd->fd;
		if (rd->ep < 0 || epoll_ctl(rd->ep, EPOLL_CTL_ADD, rd->fd, &e))
			return -1;
	}
	return pthread_create(&rd->thread, NULL, ev_reader_fn, rd) ? -1 : 0;
}

struct unloader {
	int done, ret, err;
};

static void *unloader_fn(void *arg)
{
	struct unloader *u = arg;

	u->ret = pst_module_unload();
	u->err = errno;
	__atomic_store_n(&u->done, 1, __ATOMIC_RELEASE);
	return NULL;
}

static bool ev_wait_flag(int *flag, int ms)
{
	for (; ms > 0 && !__atomic_load_n(flag, __ATOMIC_ACQUIRE); ms -= 10)
		pst_sleep_ms(10);
	return __atomic_load_n(flag, __ATOMIC_ACQUIRE);
}

TEST_F_TIMEOUT(unload, rmmod_wakes_blocked_event_readers, 120)
{
	struct ev_reader rd[EV_WAYS];
	struct unloader u = { 0 };
	struct pst_evstream es;
	pthread_t t;
	char err[256];
	int i;

	if (_metadata->skip)
		return;
	if (access(PST_EVENTS_PATH, R_OK))
		SKIP(return, "%s is absent: a module without the event stream",
		     PST_EVENTS_PATH);
	for (i = 0; i < EV_WAYS; i++)
		ASSERT_EQ(0, ev_reader_start(&rd[i], i))
			TH_LOG("a reader in %s: %s", ev_ways[i], strerror(errno));
	pst_sleep_ms(500);	/* they read the header and block */
	ASSERT_EQ(0, pthread_create(&t, NULL, unloader_fn, &u));
	ASSERT_TRUE(ev_wait_flag(&u.done, 30000))
		TH_LOG("rmmod still running after 30 s with readers blocked (readers done: %d %d %d)",
		       rd[0].done, rd[1].done, rd[2].done);
	pthread_join(t, NULL);
	ASSERT_EQ(0, u.ret) TH_LOG("delete_module(%s) with blocked readers: %s",
				   PST_MODULE_NAME, strerror(u.err));
	for (i = 0; i < EV_WAYS; i++) {
		EXPECT_TRUE(ev_wait_flag(&rd[i].done, 10000))
			TH_LOG("the reader in %s did not return within 10 s of rmmod",
			       ev_ways[i]);
		if (!rd[i].done)
			continue;
		pthread_join(rd[i].thread, NULL);
		TH_LOG("reader in %s: %lu reads with lines, then %zd (%s), revents 0x%x",
		       ev_ways[i], rd[i].lines, rd[i].last,
		       rd[i].last ? strerror(rd[i].err) : "end of file",
		       rd[i].revents);
		EXPECT_TRUE(rd[i].last == 0 || rd[i].err == EIO)
			TH_LOG("%s: want end of file or EIO", ev_ways[i]);
		/*
		 * Woken and readable (POLLIN and EPOLLIN are the same bit):
		 * once the entry is gone, /proc answers poll itself.
		 */
		if (i != EV_READ)
			EXPECT_TRUE(rd[i].revents & (POLLIN | POLLHUP))
				TH_LOG("%s woken, but neither readable nor hung up",
				       ev_ways[i]);
		/* Every later read of a descriptor still open: EIO. */
		errno = 0;
		EXPECT_EQ(-1, read(rd[i].fd, err, sizeof(err)));
		EXPECT_EQ(EIO, errno) TH_LOG("a read after the unload: %s, want EIO",
					     strerror(errno));
		EXPECT_EQ(0, close(rd[i].fd));
		if (rd[i].ep >= 0)
			close(rd[i].ep);
	}
	EXPECT_NE(0, access(PST_EVENTS_PATH, F_OK)) TH_LOG("%s is still there", PST_EVENTS_PATH);
	ASSERT_EQ(0, pst_module_load(self->ko))
		TH_LOG("finit_module(%s): %s", self->ko, strerror(errno));
	ASSERT_EQ(0, pst_ev_open(PST_EVENTS_PATH, 0, &es, 5000, err, sizeof(err)))
		TH_LOG("after reloading: %s", err);
	pst_ev_close(&es);
}

#include "harness_main.h"
