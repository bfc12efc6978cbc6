// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * watch-loop.c - --watch: read the live file every interval, print what
 * changed (watch.c finds and prints the changes)
 */
#include <err.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "watch.h"

static void timespec_add(struct timespec *t, double secs)
{
	long long ns = t->tv_nsec + (long long)((secs - (time_t)secs) * 1e9);

	t->tv_sec += (time_t)secs + ns / 1000000000;
	t->tv_nsec = ns % 1000000000;
}

/* @to - now, or 0 if @to has passed */
static struct timespec time_left(const struct timespec *to)
{
	struct timespec now, d = { 0, 0 };

	clock_gettime(CLOCK_MONOTONIC, &now);
	if (now.tv_sec > to->tv_sec ||
	    (now.tv_sec == to->tv_sec && now.tv_nsec >= to->tv_nsec))
		return d;
	d.tv_sec = to->tv_sec - now.tv_sec;
	d.tv_nsec = to->tv_nsec - now.tv_nsec;
	if (d.tv_nsec < 0) {
		d.tv_sec--;
		d.tv_nsec += 1000000000;
	}
	return d;
}

/* "12:03:04.123 ", the local time of the read */
static void timestamp(char *buf, size_t sz)
{
	struct timespec now;
	struct tm tm;
	size_t n;

	clock_gettime(CLOCK_REALTIME, &now);
	localtime_r(&now.tv_sec, &tm);
	n = strftime(buf, sz, "%H:%M:%S", &tm);
	snprintf(buf + n, sz - n, ".%03ld ", now.tv_nsec / 1000000);
}

void pt_watch_signals(sigset_t *sigs)
{
	sigemptyset(sigs);
	sigaddset(sigs, SIGINT);
	sigaddset(sigs, SIGTERM);
	sigprocmask(SIG_BLOCK, sigs, NULL);
}

/*
 * --watch: read the file every @interval seconds and print what changed
 * since the read before, one timestamped line per change.  Only two
 * snapshots are kept.  SIGINT and SIGTERM are blocked and waited for
 * between reads, so they end the loop at once, never in the middle of a
 * batch, and the exit status is 0.
 */
int pt_watch_loop(double interval, void (*read_live)(struct pt_model *m))
{
	struct pt_changes ch = { 0 };
	struct pt_model prev, cur;
	struct timespec next, left;
	char ts[32];
	sigset_t sigs;
	size_t i;

	pt_watch_signals(&sigs);
	read_live(&prev);
	clock_gettime(CLOCK_MONOTONIC, &next);
	for (;;) {
		timespec_add(&next, interval);
		left = time_left(&next);
		if (!left.tv_sec && !left.tv_nsec)	/* a read took longer */
			clock_gettime(CLOCK_MONOTONIC, &next);
		if (sigtimedwait(&sigs, NULL, &left) > 0)
			break;
		if (errno != EAGAIN && errno != EINTR)
			err(EXIT_FAILURE, "sigtimedwait");
		read_live(&cur);
		timestamp(ts, sizeof(ts));
		pt_watch_diff(&prev, &cur, &ch);
		for (i = 0; i < ch.n; i++) {
			fputs(ts, stdout);
			pt_change_print(&ch.v[i], stdout);
		}
		ch.n = 0;
		pt_model_free(&prev);
		prev = cur;
		if (fflush(stdout))
			break;		/* close_stdout() says why */
	}
	pt_changes_free(&ch);
	pt_model_free(&prev);
	return EXIT_SUCCESS;
}

