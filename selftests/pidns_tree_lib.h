/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The library of the pidns_tree selftests, in five files by job:
 *  - lib_file.c: open, read and parse /proc/pidns_tree into records
 *    (columns found by name from the header), compare two outputs;
 *  - lib_truth.c: the kernel's own ground truth, /proc/PID/task/TID/status
 *    and ns/pid;
 *  - lib_spawn.c: make the tasks a test looks at, end them, and check a
 *    whole view of the file against the ground truth;
 *  - lib_events.c: read and parse /proc/pidns_tree_events;
 *  - lib_storm.c: a pid namespace whose processes churn tasks until a
 *    deadline, exec chains by non-leader threads among them (linked into
 *    storm and dethread only).
 */
#ifndef PIDNS_TREE_LIB_H
#define PIDNS_TREE_LIB_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#define PIDNS_TREE_PATH "/proc/pidns_tree"
#define PST_NSPIDS_LEN 256
#define PST_COMM_LEN 80			/* 15 bytes, each maybe \ooo */
#define PST_NS_DIES (-1)			/* reaper column "-" */
#define PST_UNKNOWN (-1)			/* origin column "?" */

struct pst_task {
	pid_t pid, tgid, ppid, parent, tracer;
	pid_t reaper;			/* or PST_NS_DIES */
	char sub;			/* 'S', 's' or '-' */
	unsigned long pidns;
	int level;
	char nspids[PST_NSPIDS_LEN];	/* as printed: "79020,1" */
	char state;
	int init;
	long origin;			/* or PST_UNKNOWN */
	char origin_comm[PST_COMM_LEN];	/* as printed, escaped; "?" */
	char adopted;			/* '0', '1' or '?' */
	unsigned long long cgroup;	/* cgroup v2 id, 0 outside */
	unsigned long long id;		/* the process's id, 0 unknown */
	char comm[PST_COMM_LEN];		/* as printed, escaped */
};

struct pst_snapshot {
	struct pst_task *tasks;
	size_t n;
	char header[512];
	/* "# seq_before N", "# seq_after N": their line numbers, 0 if absent */
	unsigned long long seq_before, seq_after;
	size_t seq_before_line, seq_after_line;
	size_t lines;			/* lines in all, header included */
};

/* Ground truth from status; ok is false if the task is gone. */
struct pst_status {
	bool ok;
	pid_t tgid, ppid, tracer;
	char state;
	char nspids[PST_NSPIDS_LEN];	/* NSpid, tabs turned into commas */
	unsigned long switches;		/* voluntary + nonvoluntary */
};

/* ---- lib_file.c: the file ----------------------------------------- */

/*
 * Read and parse a whole pidns_tree file through read() calls of @bufsz
 * bytes.  Returns 0, or -errno with the reason in @err.
 */
int pst_read(const char *path, size_t bufsz, struct pst_snapshot *s,
	     char *err, size_t errlen);
void pst_free(struct pst_snapshot *s);
const struct pst_task *pst_find(const struct pst_snapshot *s, pid_t pid);

/*
 * Read @path whole now and copy @pid's line to *@out.  False if the file
 * could not be read (the reason in @err) or @pid is not listed (@err
 * empty).
 */
bool pst_read_task(const char *path, pid_t pid, struct pst_task *out,
		   char *err, size_t errlen);

/*
 * Read @fd from its position to the end in read() calls of @bufsz bytes.
 * Returns a malloc'ed buffer, NUL-terminated, and its length in *@len; or
 * NULL with errno set (what was read before the error is lost): EFBIG
 * past PST_MAX_BYTES, which a walk that restarts would otherwise fill
 * memory with (pst_read() stops there too).
 */
#define PST_MAX_BYTES (64 << 20)		/* 100,000 tasks take 6 MB */
char *pst_slurp_fd(int fd, size_t bufsz, size_t *len);
/* The same, giving up with ETIMEDOUT after @timeout_ms (0: never). */
char *pst_slurp_fd_timed(int fd, size_t bufsz, size_t *len, int timeout_ms);

/* pst_read(), giving up with -ETIMEDOUT after @timeout_ms (0: never). */
int pst_read_timed(const char *path, size_t bufsz, int timeout_ms,
		   struct pst_snapshot *s, char *err, size_t errlen);

/* strerror(), saying what ETIMEDOUT and EFBIG mean for the reads above. */
const char *pst_read_strerror(int e);

/*
 * Parse the @len bytes of a whole file at @buf (left unchanged) as
 * pst_read() does: header, fields of every line, a complete last line, pids
 * strictly increasing, no NUL byte.  Returns 0, or -EINVAL with the
 * reason in @err.
 */
int pst_parse(const char *buf, size_t len, struct pst_snapshot *s,
	      char *err, size_t errlen);

/* A field of decimal digits only into *@v: 0, or -1. */
int pst_unum(const char *f, unsigned long long *v);

/*
 * Compare two outputs of the file.  Returns -1 if they are the same
 * bytes, else the offset of the first byte that differs, described in
 * @why: the offset, its line, the pid of that line in each output, the
 * column it falls in (named from @a's header) and both lines.
 */
long pst_diff(const char *a, size_t alen, const char *b, size_t blen,
	      char *why, size_t whylen);

/* One output of the file as read: @len bytes at @buf, NUL-terminated. */
struct pst_out {
	char *buf;
	size_t len;
};

/*
 * Compare, line by line, an output @b read (in some odd way) between the
 * whole reads @a and @c, all three parsed already.  @b agrees if its
 * header is theirs, it lists the pids of @a or of @c, and each of its
 * lines is that task's line in @a or in @c: a kernel thread that changed
 * state meanwhile is no disagreement; a line lost, doubled or changed by
 * the way @b was read is.  Returns -1 if @b agrees, else the offset in @b
 * of the first disagreement, described in @why (@what names @b there):
 * its line, pid and column, and that task's line in @a and in @c.
 */
long pst_diff_between(const struct pst_out *a, const struct pst_out *b,
		      const struct pst_out *c, const char *what, char *why,
		      size_t whylen);

/*
 * The name of field @field (0 for the first) of a task line, from the
 * header of the output @buf; "field N" if it has none.
 */
void pst_column_name(const char *buf, size_t len, size_t field,
		     char *out, size_t outlen);

/*
 * Load the module from the file @ko; unload it, retrying while a
 * transient reference holds it.  0, or -1 with errno set.  $PST_KO_ENV
 * names the file for the tests that unload it.
 */
#define PST_MODULE_NAME "pidns_tree"
#define PST_KO_ENV "PIDNS_TREE_KO"
int pst_module_load(const char *ko);
int pst_module_unload(void);

/* $PST_READER_ENV names the built reader, pidns-tree, for the watch test. */
#define PST_READER_ENV "PIDNS_TREE_READER"

/* ---- lib_truth.c: the kernel's own view ---------------------------- */

/* Status of task @tid of process @tgid as seen through @procdir. */
void pst_status(const char *procdir, pid_t tgid, pid_t tid,
		struct pst_status *st);

/* Poll until @pid's PPid (in /proc) is @ppid, up to @ms milliseconds. */
bool pst_wait_ppid(pid_t pid, pid_t ppid, int ms);

/* Undo the \ooo escaping of the comm column. */
void pst_unescape(const char *in, char *out, size_t outlen);

/* The inode number of the pid namespace of task @tid, from ns/pid. */
bool pst_pidns_of(const char *procdir, pid_t tgid, pid_t tid,
		  unsigned long *inum);

/* ---- lib_spawn.c: tasks to look at --------------------------------- */

/*
 * Fork a child that runs @fn(ready_fd, @arg), and wait until it calls
 * pst_ready(ready_fd).  The child dies with its parent unless @orphaned.
 * Returns its pid, or -1.
 */
pid_t pst_spawn(void (*fn)(int ready_fd, void *arg), void *arg, bool orphaned);
void pst_ready(int fd);
void pst_sleep_forever(void) __attribute__((noreturn));
/* A pst_spawn() function: pst_ready(), then sleep forever. */
void pst_sleeper(int ready_fd, void *arg);

/* SIGKILL @pid and reap it if it is our child. */
void pst_kill(pid_t pid);
/* Poll until /proc/@pid is gone or a zombie, up to @ms milliseconds. */
bool pst_wait_dead(pid_t pid, int ms);

/*
 * Read @procdir/pidns_tree and compare every line with
 * @procdir/TGID/task/TID/status and ns/pid: tgid, ppid, tracer, nspids,
 * level, pidns, state.  The state is compared only for a task that did not
 * run between a status read before the file and one after it (same
 * context-switch counts): its state at the moment of the file's read is
 * then one of those two.  A round that disagrees is retried, up to
 * @rounds; returns the number of disagreements in the last round, each
 * described in @why.
 */
int pst_check_view(const char *procdir, int rounds, char *why, size_t len);

/* CLOCK_MONOTONIC in nanoseconds; sleep @ms milliseconds. */
#define PST_NSEC 1000000000ULL
unsigned long long pst_now_ns(void);
void pst_sleep_ms(int ms);

/* SIGKILL the processes in @pids (0 entries skipped), reap them, zero them. */
void pst_kill_all(pid_t *pids, int n);
/* A pthread function that sleeps forever. */
void *pst_sleep_thread(void *arg);

/*
 * Raise the sysctl file @path to at least @min; its old value in *@old (0:
 * left as it was), for pst_sysctl_restore().  Returns 0 or -1.
 */
int pst_sysctl_raise(const char *path, long min, long *old);
void pst_sysctl_restore(const char *path, long old);

/*
 * PIDNS_TREE_QUICK=1: leave out the long races, which make check runs on
 * the newest generic kernel and the debug kernel only.
 */
#define PST_QUICK_ENV "PIDNS_TREE_QUICK"
bool pst_quick(void);
#define PST_LONG_RACE \
	"long race: make check runs it on the newest generic kernel and the debug kernel (" \
	PST_QUICK_ENV "=1 leaves it out)"

/* ---- lib_events.c: the event stream ------------------------------ */

#define PST_EVENTS_PATH "/proc/pidns_tree_events"
#define PST_EV_Q (-1LL)			/* a "?" field */

enum pst_ev_type {
	PST_EV_FORK, PST_EV_EXEC, PST_EV_EXIT, PST_EV_REAP, PST_EV_ADOPT,
	PST_EV_LOST, PST_EV_OTHER,
};

/* One line of the stream; the fields its event does not have are 0. */
struct pst_event {
	enum pst_ev_type type;
	unsigned long long seq, usec;
	long long id, pid;
	long long ppid, parent_id;	/* fork; reap (or PST_EV_Q) */
	long long caller, caller_id;	/* fork */
	long long old_ppid, old_id;	/* adopt */
	long long new_ppid, new_id;	/* adopt (or PST_EV_Q) */
	char rule[16];			/* adopt: subreaper, init or ? */
	long long pidns;		/* fork; adopt (or PST_EV_Q) */
	long long level;		/* fork */
	char nspids[PST_NSPIDS_LEN];	/* fork */
	char ns[8];			/* fork: new, join or - */
	unsigned long long cgroup;	/* fork, exec */
	long long status;		/* exit */
	unsigned long long lost;	/* lost */
	char comm[PST_COMM_LEN];	/* fork, exec; as printed */
	char line[512];			/* as read, without the newline */
};

struct pst_evstream {
	int fd;
	unsigned long long header_seq;
	size_t len, off;		/* bytes in buf, first not parsed */
	char buf[1 << 16];
};

/* The name of an event type, for messages. */
const char *pst_ev_name(enum pst_ev_type t);

/*
 * Parse one line (no newline) of the stream, by the spec of format 1:
 * the exact field count of each event, digits only, "?" only where it may
 * be.  0, or -1 if malformed.
 */
int pst_ev_parse(const char *line, struct pst_event *ev);

/*
 * Open @path with O_RDONLY | @flags and read its header within
 * @timeout_ms.  0, or -errno (-EBADMSG: a bad header, in @err).
 */
int pst_ev_open(const char *path, int flags, struct pst_evstream *es,
		int timeout_ms, char *err, size_t errlen);
void pst_ev_close(struct pst_evstream *es);

/*
 * The next line within @timeout_ms (poll(), then one read()): 1 with *@ev,
 * 0 on timeout, -ENODATA at end of file, -EBADMSG for a malformed or
 * torn line (in ev->line), or -errno of read().
 */
int pst_ev_next(struct pst_evstream *es, struct pst_event *ev, int timeout_ms);

/* Events kept by a test, in the order read. */
struct pst_evlist {
	struct pst_event *ev;
	size_t n, cap;
	unsigned long long lost;	/* the sum of the lost lines' N */
	int nlost;
};

typedef bool (*pst_ev_pred)(const struct pst_event *ev, void *arg);

/*
 * Read lines until @done(the last kept event) is true, then for @settle_ms
 * more (to catch a line that comes twice); keep the events for which @keep
 * is true in @l, and every lost line (counted in @l too).  Gives up
 * after @timeout_ms.  1 if @done became true (or is NULL), 0 if not, or
 * what pst_ev_next() failed with, the line it failed on in *@bad.
 */
int pst_ev_collect(struct pst_evstream *es, struct pst_evlist *l,
		   pst_ev_pred keep, pst_ev_pred done, void *arg,
		   int timeout_ms, int settle_ms, struct pst_event *bad);
void pst_evlist_free(struct pst_evlist *l);
/* The events of @l, one a line, into @out (for messages). */
void pst_evlist_dump(const struct pst_evlist *l, char *out, size_t outlen);

/*
 * execve() this program again under the name @name (its comm: a symlink
 * /tmp/@name to /proc/self/exe), which then does @what: "sleep" (for
 * ever), "exit:N" (_exit(N)), "kill" (SIGKILL itself).  Returns only on
 * error.
 */
void pst_exec_as(const char *name, const char *what);

/* ---- lib_storm.c: a storm in a pid namespace of its own ------------ */

/*
 * Shared (MAP_SHARED) with the processes of a storm.  The caller sets
 * deadline, nprocs, ->proc, and ->setup and exec_sleepers if it wants;
 * the rest starts at 0.
 */
struct pst_storm {
	unsigned long long deadline;	/* CLOCK_MONOTONIC, ns */
	int nprocs;			/* storm processes */
	int exec_sleepers;		/* threads besides leader and execer */
	pid_t init;			/* the namespace's init, host pid */
	unsigned long execs, chains;
	int done, failed;		/* storm processes */
	/* Run by the namespace's init before it says it is ready: 0 or -1. */
	int (*setup)(struct pst_storm *st);
	/* Storm process @i (of nprocs), until the deadline: 0, or 1 failed. */
	int (*proc)(struct pst_storm *st, int i);
};

/*
 * Make the pid namespace (and a mount namespace with its own /proc) and
 * its init, which runs ->setup(); return when the init is ready, with
 * *@go_fd the pipe whose first byte starts the storm: the init forks
 * nprocs processes that each run ->proc().  Returns the pid of the init's
 * parent (its death ends the namespace), or -1.
 */
pid_t pst_storm_ns(struct pst_storm *st, int *go_fd);
unsigned long long pst_storm_deadline(struct pst_storm *st);
/*
 * A ->proc(): exec chains one after the other until the deadline, each
 * generation a leader, exec_sleepers threads and a thread that execs this
 * program again (de_thread() gives it the leader's pid); counts the
 * chains and the execs.  0, or 1 if a chain could not start.
 */
int pst_storm_execer(struct pst_storm *st);
/*
 * Wait until every storm process is done, 30 s at most.  0, or -1 if one
 * is still running or one failed, said in @why.
 */
int pst_storm_wait(struct pst_storm *st, char *why, size_t len);

#endif /* PIDNS_TREE_LIB_H */
