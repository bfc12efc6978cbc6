// SPDX-License-Identifier: GPL-2.0
/*
 * watch: `pidns-tree --watch 0.2` over a scripted scenario prints exactly
 * the expected change lines, in order, and exits 0 on SIGINT.
 *
 * The reader is the one built from this tree, named by $PIDNS_TREE_READER
 * (tools/check/selftests sets it; the guest sees the host's files).  The
 * scenario is played by the test process T and three agents it commands
 * through pipes: S, a child of T that becomes a child subreaper; M, a
 * child of S; G, a child of M.  M exits, so G is adopted by S; T attaches
 * to G with ptrace and detaches; S stops being a subreaper; G and S exit.
 * Each step waits for the watcher's lines about it (with a timeout), never
 * for a fixed time, so a slow guest only makes the test slower.
 *
 * Other processes of the guest may start and exit meanwhile: only the
 * lines about T, S, M and G are checked.
 *
 * This is the polling --watch, the one for a module without the event
 * stream: the test holds every subscription the module allows, so that
 * the reader cannot open /proc/pidns_tree_events and falls back on it.
 * The stream's --watch is proved by the reader's host tests, the runtime
 * tests and make demo.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/wait.h>
#include <unistd.h>

#include <kselftest_harness.h>

#include "pidns_tree_lib.h"

#define INTERVAL	"0.2"
#define LINE_MS		60000	/* the longest wait for one line */
#define MAX_LINES	64	/* checked lines kept for the log */
#define LINE_LEN	256

enum { AGENT_S, AGENT_M, AGENT_G, NR_AGENTS };

/* The pipes of the scenario: one command pipe per agent, one for replies. */
struct scene {
	int cmd[NR_AGENTS][2];
	int reply[2];
};

static void put_pid(int fd, pid_t pid)
{
	if (write(fd, &pid, sizeof(pid)) != sizeof(pid))
		_exit(1);
}

/*
 * An agent: reads one-byte commands from its pipe until it exits.
 * 'f' fork the next agent, reply its pid; 's'/'u' set or clear
 * PR_SET_CHILD_SUBREAPER, reply 0; 'x' reap its zombies and exit.
 * It exits too if T goes away (end of file on its pipe).
 */
static void __attribute__((noreturn)) agent(struct scene *sc, int role)
{
	pid_t pid;
	int i;
	char c;

	for (i = 0; i < NR_AGENTS; i++)
		close(sc->cmd[i][1]);
	close(sc->reply[0]);
	for (;;) {
		if (read(sc->cmd[role][0], &c, 1) != 1)
			_exit(1);
		switch (c) {
		case 'f':
			pid = role + 1 < NR_AGENTS ? fork() : -1;
			if (pid == 0)
				agent(sc, role + 1);
			put_pid(sc->reply[1], pid);
			break;
		case 's':
		case 'u':
			put_pid(sc->reply[1],
				prctl(PR_SET_CHILD_SUBREAPER, c == 's', 0, 0, 0));
			break;
		case 'x':
			while (waitpid(-1, NULL, WNOHANG) > 0)
				;
			_exit(0);
		default:
			_exit(1);
		}
	}
}

/* Send @c to agent @role; its reply, or -1 if none is expected or came. */
static pid_t command(struct scene *sc, int role, char c)
{
	pid_t r;

	if (write(sc->cmd[role][1], &c, 1) != 1)
		return -1;
	if (c == 'x')
		return 0;
	if (read(sc->reply[0], &r, sizeof(r)) != sizeof(r))
		return -1;
	return r;
}

/* The watcher's output, line by line, and the lines checked so far. */
struct watcher {
	pid_t pid;
	int fd;
	char buf[8192];
	size_t len;
	bool eof;
	pid_t ours[NR_AGENTS + 1];	/* T, S, M, G; 0 while unknown */
	char log[MAX_LINES][LINE_LEN];
	int nlog;
};

/*
 * The next line, without its newline, into @line; false on timeout or at
 * the end of the output.
 */
static bool next_line(struct watcher *w, char *line, size_t sz, int ms)
{
	unsigned long long end = pst_now_ns() + ms * 1000000ULL;
	struct pollfd pfd = { .fd = w->fd, .events = POLLIN };

	for (;;) {
		char *nl = memchr(w->buf, '\n', w->len);
		unsigned long long now;
		ssize_t r;

		if (nl) {
			size_t n = nl - w->buf;

			snprintf(line, sz, "%.*s", (int)n, w->buf);
			memmove(w->buf, nl + 1, w->len - n - 1);
			w->len -= n + 1;
			return true;
		}
		if (w->eof || w->len == sizeof(w->buf))
			return false;
		now = pst_now_ns();
		if (now >= end || poll(&pfd, 1, (end - now) / 1000000 + 1) <= 0)
			return false;
		r = read(w->fd, w->buf + w->len, sizeof(w->buf) - w->len);
		if (r <= 0)
			w->eof = true;
		else
			w->len += r;
	}
}

/*
 * Split "12:03:04.123 start       4712 ..." into its timestamp and the
 * rest; the subject pid in *@pid.  False if the line is not of that form.
 */
static bool split(char *line, char **ts, char **rest, pid_t *pid)
{
	char *sp = strchr(line, ' ');
	int h, m, s, ms, n = 0;

	if (!sp || sp - line != 12 ||
	    sscanf(line, "%2d:%2d:%2d.%3d%n", &h, &m, &s, &ms, &n) != 4 || n != 12)
		return false;
	*sp = '\0';
	*ts = line;
	*rest = sp + 1;
	return sscanf(*rest, "%*s %d", pid) == 1;
}

static bool ours(const struct watcher *w, pid_t pid)
{
	int i;

	for (i = 0; i <= NR_AGENTS; i++)
		if (w->ours[i] && w->ours[i] == pid)
			return true;
	return false;
}

static void keep(struct watcher *w, const char *ts, const char *rest)
{
	if (w->nlog < MAX_LINES)
		snprintf(w->log[w->nlog++], LINE_LEN, "%s %s", ts, rest);
}

static void print_log(struct __test_metadata *_metadata, struct watcher *w)
{
	int i;

	for (i = 0; i < w->nlog; i++)
		TH_LOG("  got: %s", w->log[i]);
}

/*
 * Wait for the @n lines of one step, about our pids; any other line about
 * them fails.  Lines of one read (one timestamp) must come in @want's
 * order, which is the order the man page gives; lines of two reads may
 * come in either (a read can see the adoption before the exit that caused
 * it, as the file is not read atomically).
 */
static void expect_step(struct __test_metadata *_metadata, struct watcher *w,
			const char *step, char want[][LINE_LEN], int n)
{
	char line[LINE_LEN], got_ts[8][16], *ts, *rest;
	int got[8], i, k, seen = 0;
	pid_t pid;

	ASSERT_LE(n, 8);
	while (seen < n) {
		if (!next_line(w, line, sizeof(line), LINE_MS)) {
			print_log(_metadata, w);
			for (i = 0; i < n; i++)
				TH_LOG("  want: %s", want[i]);
			ASSERT_TRUE(false) TH_LOG("%s: no line within %d s (%s)", step,
						  LINE_MS / 1000, w->eof ?
						  "the watcher stopped" : "timeout");
		}
		ASSERT_TRUE(split(line, &ts, &rest, &pid))
			TH_LOG("%s: malformed line '%s'", step, line);
		if (!ours(w, pid))
			continue;
		keep(w, ts, rest);
		for (k = 0; k < n; k++) {
			for (i = 0; i < seen && got[i] != k; i++)
				;
			if (i == seen && !strcmp(rest, want[k]))
				break;
		}
		if (k == n) {
			print_log(_metadata, w);
			for (i = 0; i < n; i++)
				TH_LOG("  want: %s", want[i]);
			ASSERT_TRUE(false) TH_LOG("%s: unexpected line '%s'", step, rest);
		}
		for (i = 0; i < seen; i++) {
			if (!strcmp(got_ts[i], ts) && got[i] > k) {
				print_log(_metadata, w);
				ASSERT_TRUE(false)
					TH_LOG("%s: '%s' before '%s' in one read", step,
					       want[got[i]], want[k]);
			}
		}
		snprintf(got_ts[seen], sizeof(got_ts[seen]), "%s", ts);
		got[seen++] = k;
	}
}

/*
 * Wait until the watcher has read the file after now: fork probes (one a
 * second, under a slow emulator the first read may take long) until the
 * start of one is printed.  A probe that the read before saw prints no
 * start line; the first one after does.  Lines about our pids meanwhile
 * fail.  The probes are ended; their lines are not ours.
 */
static void barrier(struct __test_metadata *_metadata, struct watcher *w)
{
	pid_t probes[60] = { 0 };
	char line[LINE_LEN], *ts, *rest, kind[16];
	int n = 0, i;
	pid_t pid;
	bool found = false;

	while (!found && n < 60) {
		probes[n] = pst_spawn(pst_sleeper, NULL, false);
		ASSERT_LT(0, probes[n]);
		n++;
		while (!found && next_line(w, line, sizeof(line), 1000)) {
			ASSERT_TRUE(split(line, &ts, &rest, &pid))
				TH_LOG("malformed line '%s'", line);
			if (ours(w, pid)) {
				keep(w, ts, rest);
				print_log(_metadata, w);
				ASSERT_TRUE(false) TH_LOG("unexpected line '%s'", rest);
			}
			if (sscanf(rest, "%15s", kind) != 1 || strcmp(kind, "start"))
				continue;
			for (i = 0; i < n; i++)
				found |= probes[i] == pid;
		}
		ASSERT_FALSE(w->eof) TH_LOG("the watcher stopped");
	}
	pst_kill_all(probes, n);
	ASSERT_TRUE(found) TH_LOG("no probe's start line within %d s", n);
}

/* Subscriptions held so that the reader polls; more than the module allows. */
#define HELD_MAX	40

FIXTURE(watch) {
	struct scene sc;
	struct watcher w;
	int held[HELD_MAX];
	int nr_held;
	pid_t agents[NR_AGENTS];
	const char *reader;
	char me[16];		/* our comm: every agent's, as they never exec */
};

FIXTURE_SETUP(watch)
{
	int out[2], i;

	memset(&self->sc, -1, sizeof(self->sc));
	self->w.fd = -1;
	self->reader = getenv(PST_READER_ENV);
	if (!self->reader || !*self->reader)
		SKIP(return, "%s is not set: the path of the built pidns-tree",
		     PST_READER_ENV);
	if (access(self->reader, X_OK))
		SKIP(return, "%s=%s: %s", PST_READER_ENV, self->reader,
		     strerror(errno));
	ASSERT_EQ(0, prctl(PR_GET_NAME, self->me));
	/* Every subscription to the stream, until the module says no. */
	for (self->nr_held = 0; self->nr_held < HELD_MAX; self->nr_held++) {
		self->held[self->nr_held] = open(PST_EVENTS_PATH,
						 O_RDONLY | O_CLOEXEC | O_NONBLOCK);
		if (self->held[self->nr_held] < 0)
			break;
	}
	ASSERT_TRUE(self->nr_held < HELD_MAX &&
		    (errno == EBUSY || (errno == ENOENT && !self->nr_held)))
		TH_LOG("%d subscriptions held, then %s: the reader would not poll",
		       self->nr_held, strerror(errno));
	ASSERT_EQ(0, pipe(out));
	self->w.pid = fork();
	ASSERT_LE(0, self->w.pid);
	if (self->w.pid == 0) {
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		dup2(out[1], STDOUT_FILENO);
		close(out[0]);
		close(out[1]);
		execl(self->reader, self->reader, "--watch", INTERVAL, (char *)NULL);
		_exit(127);
	}
	close(out[1]);
	self->w.fd = out[0];
	self->w.ours[0] = getpid();
	for (i = 0; i < NR_AGENTS; i++)
		ASSERT_EQ(0, pipe(self->sc.cmd[i]));
	ASSERT_EQ(0, pipe(self->sc.reply));
}

FIXTURE_TEARDOWN(watch)
{
	int i;

	for (i = 0; i < NR_AGENTS; i++)
		if (self->agents[i] > 0)
			kill(self->agents[i], SIGKILL);
	if (self->w.pid > 0)
		pst_kill(self->w.pid);
	while (waitpid(-1, NULL, WNOHANG) > 0)
		;
	for (i = 0; i < self->nr_held; i++)
		close(self->held[i]);
}

#define LINE(buf, fmt, ...) snprintf(buf, LINE_LEN, fmt, __VA_ARGS__)

TEST_F_TIMEOUT(watch, scripted_scenario, 600)
{
	struct watcher *w = &self->w;
	struct scene *sc = &self->sc;
	const char *me = self->me;
	pid_t t = getpid(), s, m, g, pid;
	char want[2][LINE_LEN], line[LINE_LEN], *ts, *rest;
	int status, i;

	if (_metadata->skip)
		return;		/* the 6.1 harness runs the test after SKIP */
	barrier(_metadata, w);

	s = fork();
	ASSERT_LE(0, s);
	if (s == 0)
		agent(sc, AGENT_S);
	self->agents[AGENT_S] = s;
	w->ours[1] = s;
	for (i = 0; i < NR_AGENTS; i++)
		close(sc->cmd[i][0]);
	close(sc->reply[1]);
	LINE(want[0], "start       %d %s first-parent %d %s", s, me, t, me);
	expect_step(_metadata, w, "fork S", want, 1);

	ASSERT_EQ(0, command(sc, AGENT_S, 's'));
	LINE(want[0], "subreaper   %d %s", s, me);
	expect_step(_metadata, w, "S becomes a subreaper", want, 1);

	m = command(sc, AGENT_S, 'f');
	ASSERT_LT(0, m);
	self->agents[AGENT_M] = m;
	w->ours[2] = m;
	LINE(want[0], "start       %d %s first-parent %d %s", m, me, s, me);
	expect_step(_metadata, w, "S forks M", want, 1);

	g = command(sc, AGENT_M, 'f');
	ASSERT_LT(0, g);
	self->agents[AGENT_G] = g;
	w->ours[3] = g;
	LINE(want[0], "start       %d %s first-parent %d %s", g, me, m, me);
	expect_step(_metadata, w, "M forks G", want, 1);

	command(sc, AGENT_M, 'x');
	LINE(want[0], "exit        %d %s", m, me);
	LINE(want[1], "adopted     %d %s from %d %s to %d %s (nearest child subreaper)",
	     g, me, m, me, s, me);
	expect_step(_metadata, w, "M exits, S adopts G", want, 2);

	ASSERT_EQ(0, ptrace(PTRACE_SEIZE, g, 0, 0)) TH_LOG("%s", strerror(errno));
	LINE(want[0], "traced      %d %s by %d %s", g, me, t, me);
	expect_step(_metadata, w, "T attaches to G", want, 1);

	/* A seized tracee must be stopped to be detached. */
	ASSERT_EQ(0, ptrace(PTRACE_INTERRUPT, g, 0, 0));
	ASSERT_EQ(g, waitpid(g, NULL, __WALL));
	ASSERT_EQ(0, ptrace(PTRACE_DETACH, g, 0, 0));
	LINE(want[0], "untraced    %d %s by %d %s", g, me, t, me);
	expect_step(_metadata, w, "T detaches from G", want, 1);

	ASSERT_EQ(0, command(sc, AGENT_S, 'u'));
	LINE(want[0], "nosubreaper %d %s", s, me);
	expect_step(_metadata, w, "S stops being a subreaper", want, 1);

	command(sc, AGENT_G, 'x');
	LINE(want[0], "exit        %d %s", g, me);
	expect_step(_metadata, w, "G exits", want, 1);

	/* S reaps its zombies M and G first: reaping prints nothing. */
	command(sc, AGENT_S, 'x');
	LINE(want[0], "exit        %d %s", s, me);
	expect_step(_metadata, w, "S exits", want, 1);

	/* One more read, with nothing about us, then SIGINT: exit 0. */
	barrier(_metadata, w);
	ASSERT_EQ(0, kill(w->pid, SIGINT));
	while (next_line(w, line, sizeof(line), LINE_MS)) {
		ASSERT_TRUE(split(line, &ts, &rest, &pid))
			TH_LOG("malformed line '%s'", line);
		EXPECT_FALSE(ours(w, pid)) TH_LOG("extra line '%s'", rest);
	}
	ASSERT_TRUE(w->eof) TH_LOG("the watcher's output did not end after SIGINT");
	ASSERT_EQ(w->pid, waitpid(w->pid, &status, 0));
	w->pid = 0;
	EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0)
		TH_LOG("the watcher ended with status 0x%x, not exit 0", status);
	ASSERT_EQ(s, waitpid(s, NULL, 0));
	for (i = 0; i < NR_AGENTS; i++)
		self->agents[i] = 0;
}

/* SIGTERM ends it as SIGINT does, with exit 0. */
TEST_F_TIMEOUT(watch, sigterm_exits_0, 300)
{
	struct watcher *w = &self->w;
	char line[LINE_LEN];
	int status;

	if (_metadata->skip)
		return;
	barrier(_metadata, w);
	ASSERT_EQ(0, kill(w->pid, SIGTERM));
	while (next_line(w, line, sizeof(line), LINE_MS))
		;
	ASSERT_TRUE(w->eof) TH_LOG("the watcher's output did not end after SIGTERM");
	ASSERT_EQ(w->pid, waitpid(w->pid, &status, 0));
	w->pid = 0;
	EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0)
		TH_LOG("the watcher ended with status 0x%x, not exit 0", status);
}

#include "harness_main.h"
