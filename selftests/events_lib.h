/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What events.c and events_ns.c share: a fixture that subscribes to the
 * stream before the test acts, keeps the lines of the processes the test
 * names (struct pst_evset), and macros that fail with every line kept.
 * The functions are in lib_events.c.
 */
#ifndef PIDNS_TREE_EVENTS_LIB_H
#define PIDNS_TREE_EVENTS_LIB_H

#include "pidns_tree_lib.h"

#define PST_EV_SKIPPED 4		/* exit code of a child that could not set up */
#define PST_EVSET_MAX 64

/*
 * The pids a test follows; with @follow, those of the processes they fork
 * too (fork lines whose PPID or CALLER is in the set).
 */
struct pst_evset {
	long long pid[PST_EVSET_MAX];
	int n;
	bool follow;
	bool all;			/* every line, whatever its pid */
	enum pst_ev_type done_type;	/* PST_EV_OTHER: none */
	long long done_pid;
};

void pst_evset_add(struct pst_evset *s, long long pid);

struct pst_ev_fix {
	struct pst_evstream es;
	struct pst_evlist l;		/* every line kept so far */
	long long me_id;		/* the test process's id */
	unsigned long pidns;		/* its pid namespace */
	char comm[PST_COMM_LEN];	/* its name, escaped as in the stream */
};

/* Subscribe through @path: 0, 1 (skip: why in @err) or -1 (why in @err). */
int pst_evfix_setup_at(struct pst_ev_fix *f, const char *path, char *err,
		       size_t len);
int pst_evfix_setup(struct pst_ev_fix *f, char *err, size_t len);
void pst_evfix_teardown(struct pst_ev_fix *f);

/*
 * The fixture of a program of event tests (kselftest_harness.h included
 * first): each test subscribed, as self->f, or skipped with the reason.
 */
#define PST_EV_FIXTURE(name)						\
	FIXTURE(name) {							\
		struct pst_ev_fix f;					\
	};								\
	FIXTURE_SETUP(name)						\
	{								\
		char err[256];						\
		int ret = pst_evfix_setup(&self->f, err, sizeof(err));	\
									\
		if (ret == 1)						\
			SKIP(return, "%s", err);			\
		ASSERT_EQ(0, ret) TH_LOG("%s", err);			\
	}								\
	FIXTURE_TEARDOWN(name)						\
	{								\
		pst_evfix_teardown(&self->f);				\
	}								\
	struct pst_ev_fixture_ ## name ## _end

/*
 * Add to f->l the lines of the processes of @set until the line @type of
 * @pid, then @settle_ms more; with @type PST_EV_OTHER, for one second.
 * 1, or 0 (timeout: 10 s) or -errno, why in @why.
 */
int pst_evfix_collect(struct pst_ev_fix *f, struct pst_evset *set,
		      enum pst_ev_type type, long long pid, int settle_ms,
		      char *why, size_t len);
/* The first line @type of @pid kept, or NULL. */
const struct pst_event *pst_evfix_find(const struct pst_ev_fix *f,
				       enum pst_ev_type type, long long pid);
/* The events of @pid kept, by name: "fork exec exit reap". */
void pst_evfix_types(const struct pst_ev_fix *f, long long pid, char *out,
		     size_t len);
/* Every line kept, to stderr. */
void pst_evfix_dump(const struct pst_ev_fix *f);
/* Sequence numbers of the lines kept go up: 0, or -1 with why. */
int pst_evfix_seq_up(const struct pst_ev_fix *f, char *why, size_t len);

/* The id column of @pid in @path now: -1 if not listed. */
long long pst_id_of(const char *path, pid_t pid);
/* Our pid in the namespace of /proc, the host's (from /proc/self). */
pid_t pst_host_pid(void);
/* Anonymous shared memory, zeroed, or NULL. */
void *pst_shared(size_t len);
/* Poll until *@p is not 0, up to @ms milliseconds. */
bool pst_wait_until(pid_t *p, int ms);

#define EV_COLLECT(f, set, type, pid, settle) do {				\
	char _why[512];								\
	int _r = pst_evfix_collect(f, set, type, pid, settle, _why,		\
				   sizeof(_why));				\
	ASSERT_EQ(1, _r) {							\
		TH_LOG("%s; the lines kept:", _why);				\
		pst_evfix_dump(f);						\
	}									\
} while (0)

#define EV_FIND(f, type, pid) ({						\
	const struct pst_event *_e = pst_evfix_find(f, type, pid);		\
	ASSERT_NE(NULL, _e) {							\
		TH_LOG("no %s line for %lld; the lines kept:",			\
		       pst_ev_name(type), (long long)(pid));			\
		pst_evfix_dump(f);						\
	}									\
	_e;									\
})

#define EV_EXPECT_TYPES(f, pid, want) do {					\
	char _got[256];								\
	pst_evfix_types(f, pid, _got, sizeof(_got));				\
	EXPECT_STREQ(want, _got) {						\
		TH_LOG("the events of %lld; the lines kept:", (long long)(pid));	\
		pst_evfix_dump(f);						\
	}									\
} while (0)

/* The id of @pid's fork line is the id column of the snapshot. */
#define EV_SAME_ID(f, pid, id) do {						\
	long long _s = pst_id_of(PIDNS_TREE_PATH, pid);				\
	if (_s >= 0)								\
		EXPECT_EQ(id, _s) TH_LOG("pid %d: id %lld in the stream, %lld in the snapshot", \
					 (int)(pid), (long long)(id), _s);	\
} while (0)

#define EV_SEQ_UP(f) do {							\
	char _why[512];								\
	EXPECT_EQ(0, pst_evfix_seq_up(f, _why, sizeof(_why)))			\
		TH_LOG("%s", _why);						\
} while (0)

#endif /* PIDNS_TREE_EVENTS_LIB_H */
