/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * parse.h - read the /proc/pidns_tree text format (ABI versions 1 and 2)
 */
#ifndef PIDNS_TREE_PARSE_H
#define PIDNS_TREE_PARSE_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "columns.h"
#include "escape.h"

#define PT_ABI_VERSION	2		/* the newest format read; 1 too */
#define PT_MAX_LEVEL	32		/* MAX_PID_NS_LEVEL in the kernel */
#define PT_MAX_LINE	65536		/* longer lines are malformed */
#define PT_MAX_INPUT	(1UL << 30)	/* refuse inputs above 1 GiB */

#define PT_REAPER_NONE	(-1)	/* '-': the real parent is a namespace init */
#define PT_ORIGIN_UNKNOWN (-1)	/* '?', or no origin column in the file */

struct pt_proc;
struct pt_cgroup;

/* One line of the file: one task (thread). */
struct pt_task {
	pid_t		pid;
	pid_t		tgid;
	pid_t		ppid;
	pid_t		parent;
	pid_t		tracer;
	pid_t		reaper;		/* PT_REAPER_NONE for '-' */
	unsigned long long pidns;
	unsigned int	level;
	char		sub;		/* 'S', 's' or '-' */
	char		state;		/* R S D T t X Z P I ... */
	unsigned char	init;
	union {
		const pid_t *nspids;	/* level + 1 entries, [0] == pid */
		size_t	nspids_off;	/* while parsing: offset in the pool */
	};
	pid_t		origin;		/* first parent, or PT_ORIGIN_UNKNOWN */
	char		adopted;	/* '0', '1' or '?' */
	const char	*origin_comm;	/* its name, unescaped; NULL if unknown
					 * or outside your namespace */
	unsigned long long cgroup;	/* cgroup v2 id; 0 outside your cgroup
					 * namespace or unknown (has_cgroup) */
	unsigned long long id;		/* its process's id (format 2); 0 if
					 * unknown or no record (has_id) */
	const char	*comm;		/* unescaped, NUL-terminated */
	size_t		line;		/* line number in the input */

	/* filled in by the model */
	const struct pt_cgroup *cg;	/* its cgroup's path, if known */
	struct pt_task	*next_thread;
	struct pt_proc	*proc;
};

struct pt_snapshot {
	char		*buf;		/* the input; comm strings point into it */
	struct pt_task	*tasks;
	size_t		nr_tasks;
	pid_t		*pids;		/* pool for every task's nspids */
	size_t		nr_pids;
	bool		has_origin;	/* the module prints the first parent */
	bool		has_cgroup;	/* the module prints the cgroup column */
	bool		has_id;		/* the module prints the id column */
	unsigned int	version;	/* the header's format version */
	bool		has_seq;	/* format 2: the two lines below */
	unsigned long long seq_before;	/* "# seq_before N", the second line */
	unsigned long long seq_after;	/* "# seq_after N", the last line */
	char		**names;	/* names read elsewhere (live.c) */
	size_t		nr_names;
};

struct pt_error {
	size_t	line;			/* 0 if not about one line */
	char	msg[256];
};

/*
 * Read all of @fd (at most PT_MAX_INPUT bytes).  Returns 0; -EBADMSG with
 * @e set if the first line or a line's length already tells a bad input;
 * -EFBIG; or -errno.
 */
extern int pt_read_fd(int fd, char **buf, size_t *len, struct pt_error *e);
/* Read all of any file @fd (at most PT_MAX_INPUT bytes): 0, -EFBIG or -errno. */
extern int pt_read_any_fd(int fd, char **buf, size_t *len);
extern int pt_parse(struct pt_snapshot *s, char *buf, size_t len,
		    struct pt_error *e);
extern void pt_snapshot_free(struct pt_snapshot *s);
extern void pt_seterr(struct pt_error *e, size_t line, const char *fmt, ...)
		__attribute__((format(printf, 3, 4)));

#endif /* PIDNS_TREE_PARSE_H */
