// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * pidns-tree - show processes, pid namespaces, tracers and reapers from
 * /proc/pidns_tree as a tree, a list, JSON or Graphviz DOT, or watch them
 * change
 */
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <langinfo.h>
#include <limits.h>
#include <locale.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libsmartcols.h>

#include "evwatch.h"
#include "pidns-tree.h"
#include "watch.h"
#include "xalloc.h"

#ifndef PIDNS_TREE_VERSION
# define PIDNS_TREE_VERSION "unknown"
#endif

#define PROC_FILE	"/proc/pidns_tree"

/*
 * util-linux: 0 success, 1 failure (usage errors too).  The reader keeps
 * one documented distinction: 2 if the input cannot be opened or read
 * (the module is not loaded).
 */
enum {
	EXIT_BAD_INPUT	= 1,	/* malformed input, unknown PID, write error */
	EXIT_NO_INPUT	= 2,	/* module not loaded, cannot open or read */
};

enum view { VIEW_SCOLS, VIEW_JSON, VIEW_DOT, VIEW_EXPLAIN };

/* The live files; under $PIDNS_TREE_PROC_ROOT for tests (proc_files()). */
static const char *proc_file = PROC_FILE;
static const char *events_file = PT_EV_FILE;

struct control {
	const char	*input;		/* NULL: PROC_FILE */
	enum view	view;
	pid_t		pid;		/* --pid */
	unsigned long long ns;		/* --ns */
	pid_t		explain;	/* --explain */
	bool		json;		/* -J */
	double		watch;		/* --watch interval; 0: not watching */
	const char	*container;	/* --container */
	const char	*save;		/* --save */
	const char	*events;	/* --events: a saved stream to replay */
	bool		all;		/* --output-all */
	struct pt_opts	o;
};

enum {
	OPT_COLOR = CHAR_MAX + 1,
	OPT_THREADS,
	OPT_PID,
	OPT_NS,
	OPT_DOT,
	OPT_EXPLAIN,
	OPT_WATCH,
	OPT_CONTAINER,
	OPT_SAVE,
	OPT_EVENTS,
};

static const struct option longopts[] = {
	{ "input",	required_argument, NULL, 'F' },
	{ "json",	no_argument,	   NULL, 'J' },
	{ "list",	no_argument,	   NULL, 'l' },
	{ "noheadings",	no_argument,	   NULL, 'n' },
	{ "output",	required_argument, NULL, 'o' },
	{ "output-all",	no_argument,	   NULL, 'O' },
	{ "pairs",	no_argument,	   NULL, 'P' },
	{ "raw",	no_argument,	   NULL, 'r' },
	{ "notruncate",	no_argument,	   NULL, 'u' },
	{ "width",	required_argument, NULL, 'w' },
	{ "sort",	required_argument, NULL, 'x' },
	{ "ascii",	no_argument,	   NULL, 'i' },
	{ "threads",	no_argument,	   NULL, OPT_THREADS },
	{ "pid",	required_argument, NULL, OPT_PID },
	{ "ns",		required_argument, NULL, OPT_NS },
	{ "dot",	no_argument,	   NULL, OPT_DOT },
	{ "explain",	required_argument, NULL, OPT_EXPLAIN },
	{ "watch",	optional_argument, NULL, OPT_WATCH },
	{ "container",	required_argument, NULL, OPT_CONTAINER },
	{ "save",	required_argument, NULL, OPT_SAVE },
	{ "events",	required_argument, NULL, OPT_EVENTS },
	{ "color",	optional_argument, NULL, OPT_COLOR },
	{ "help",	no_argument,	   NULL, 'h' },
	{ "version",	no_argument,	   NULL, 'V' },
	{ NULL, 0, NULL, 0 }
};

/* Options that cannot go together: at most one of each group. */
static const int excl[][6] = {
	{ 'J', 'P', 'r', OPT_DOT },
	{ 'P', 'r', OPT_DOT, OPT_EXPLAIN },	/* --explain -J: its JSON */
	{ 'l', OPT_DOT, OPT_EXPLAIN },
	{ 'O', 'o', OPT_DOT, OPT_EXPLAIN },
	{ 'x', OPT_DOT, OPT_EXPLAIN },
	{ OPT_PID, OPT_NS, OPT_CONTAINER, OPT_EXPLAIN },
};

/*
 * --watch prints its own lines: no view, column or selection option but
 * -J (JSON lines), --pid and --container (on the event stream).
 */
static const int watch_excl[] = {
	'P', 'r', 'l', 'o', 'O', 'x', 'n', 'u', 'w', 'i',
	OPT_THREADS, OPT_NS, OPT_DOT, OPT_EXPLAIN, OPT_SAVE,
};

static bool watch_excludes(int c)
{
	size_t i;

	for (i = 0; i < sizeof(watch_excl) / sizeof(watch_excl[0]); i++)
		if (watch_excl[i] == c)
			return true;
	return false;
}

static void __attribute__((noreturn)) usage(void)
{
	int i, w = 0;

	fputs("\nUsage:\n"
	      " pidns-tree [options]\n"
	      "\n"
	      "Show processes with their pid namespaces, tracers and reapers\n"
	      "from " PROC_FILE ".\n"
	      "\n"
	      "Options:\n"
	      " -F, --input <file>     read <file> instead of " PROC_FILE " ('-': stdin)\n"
	      " -J, --json             use JSON output format\n"
	      " -l, --list             use list format output, one line per task\n"
	      " -n, --noheadings       don't print headings\n"
	      " -o, --output <list>    output columns ('+<list>' adds to the default)\n"
	      " -O, --output-all       output all columns\n"
	      " -P, --pairs            use key=\"value\" output format\n"
	      " -r, --raw              use raw output format\n"
	      " -u, --notruncate       don't truncate text in columns\n"
	      " -w, --width <num>      specifies output width as number of characters\n"
	      " -x, --sort <column>    sort output by <column>\n"
	      " -i, --ascii            use ASCII characters for tree formatting\n"
	      "     --threads          show threads in the tree\n"
	      "     --pid <pid>        only the subtree of <pid> and its ancestors\n"
	      "     --ns <inode>       only pid namespace <inode> and those below it\n"
	      "     --container <id>   only that container: a name, an id prefix,\n"
	      "                          or 'pod NAMESPACE/NAME'\n"
	      "     --dot              use Graphviz DOT output format\n"
	      "     --explain <pid>    why <pid> has its parent, tracer and reaper\n"
	      "     --watch [<secs>]   print each fork, exec, exit, reap and adoption\n"
	      "                          (polling every <secs> without the event stream)\n"
	      "     --events <file>    with --watch: replay a saved event stream, and -F\n"
	      "                          the snapshot read after it was opened\n"
	      "     --color[=<when>]   colorize output (auto, always or never)\n"
	      "     --save <file>      also write the input and its cgroup paths to <file>\n"
	      "\n"
	      " -h, --help             display this help\n"
	      " -V, --version          display version\n"
	      "\n"
	      "Available output columns:\n", stdout);
	for (i = 0; i < PT_NR_COLUMNS; i++)
		if ((int)strlen(pt_columns[i].header) > w)
			w = (int)strlen(pt_columns[i].header);
	for (i = 0; i < PT_NR_COLUMNS; i++)
		printf(" %*s  %s\n", w, pt_columns[i].header, pt_columns[i].help);
	fputs("\nFor more details see pidns-tree(1).\n", stdout);
	exit(EXIT_SUCCESS);
}

static void __attribute__((noreturn, format(printf, 1, 2)))
bad_usage(const char *fmt, ...)
{
	va_list ap;

	fputs("pidns-tree: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputs("\nTry 'pidns-tree --help' for more information.\n", stderr);
	exit(EXIT_FAILURE);
}

static const char *opt_name(int c)
{
	const struct option *o;

	for (o = longopts; o->name; o++)
		if (o->val == c)
			return o->name;
	return "?";
}

/* Like util-linux err_exclusive_options(). */
static void check_exclusive(int c, int *seen)
{
	size_t g, i;

	for (g = 0; g < sizeof(excl) / sizeof(excl[0]); g++) {
		for (i = 0; i < 6 && excl[g][i] && excl[g][i] != c; i++)
			;
		if (i == 6 || !excl[g][i])
			continue;
		if (seen[g] && seen[g] != c)
			bad_usage("mutually exclusive arguments: --%s --%s",
				  opt_name(seen[g]), opt_name(c));
		seen[g] = c;
	}
}

static pid_t parse_pid_arg(const char *s, const char *opt)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || end == s || *end || v <= 0 || v > 0x7fffffff)
		bad_usage("%s: '%s' is not a PID", opt, s);
	return (pid_t)v;
}

/* "4026532201" or "pid:[4026532201]", as readlink /proc/PID/ns/pid says */
static unsigned long long parse_ns_arg(const char *s)
{
	const char *p = strncmp(s, "pid:[", 5) ? s : s + 5;
	unsigned long long v;
	char *end;

	errno = 0;
	v = strtoull(p, &end, 10);
	if (p != s && *end == ']' && end != p)
		end++;
	else if (p != s)
		end = (char *)p;	/* "pid:[" wants its "]" */
	if (errno || end == p || *end || *p < '0' || *p > '9' || !v)
		bad_usage("--ns: '%s' is not a namespace inode number", s);
	return v;
}

/*
 * "1", "0.2": seconds, from 0.01 (a read of 100k tasks takes longer) to a
 * day; read by hand, since strtod() would want the locale's decimal point.
 */
static double parse_interval(const char *s)
{
	double v = 0, scale = 1;
	bool dot = false, digit = false;
	const char *p;

	for (p = s; *p; p++) {
		if (*p == '.' && !dot) {
			dot = true;
		} else if (*p >= '0' && *p <= '9') {
			digit = true;
			if (dot)
				v += (*p - '0') * (scale /= 10);
			else if (v < 1e6)
				v = v * 10 + (*p - '0');
		} else {
			break;
		}
	}
	if (*p || !digit || v < 0.01 || v > 86400)
		bad_usage("--watch: '%s' is not a number of seconds from 0.01 to 86400",
			  s);
	return v;
}

static unsigned int parse_width(const char *s)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || end == s || *end || v <= 0 || v > 100000)
		bad_usage("--width: '%s' is not a number of characters", s);
	return (unsigned int)v;
}

static int column_arg(const char *name, size_t len)
{
	int c = pt_column_by_name(name, len);

	if (c < 0)
		bad_usage("unknown column: %.*s", (int)len, name);
	return c;
}

static void add_column(struct pt_opts *o, int c)
{
	if (o->nr_columns == PT_MAX_OUTPUT)
		bad_usage("too many columns");
	o->columns[o->nr_columns++] = c;
}

/* Comma-separated column names, appended to o->columns. */
static void parse_columns(struct pt_opts *o, const char *list)
{
	const char *p = list;

	if (!*p)
		bad_usage("--output: empty column list");
	for (;;) {
		size_t n = strcspn(p, ",");

		add_column(o, column_arg(p, n));
		p += n;
		if (!*p)
			break;
		p++;
	}
}

/*
 * The default columns, as lsns has its own: the tree's, the list's (8, not
 * every file column: libsmartcols keeps every cell of a list in memory,
 * about 63 bytes each, and 100 000 tasks must stay under 100 MB), and
 * JSON's (streamed: every file column, and THREAD).
 */
static void default_columns(const struct control *ctl, struct pt_opts *o)
{
	static const int tree[] = { PT_COL_PID, PT_COL_REAPER, PT_COL_NOTES };
	static const int list[] = {
		PT_COL_PID, PT_COL_PPID, PT_COL_SUB, PT_COL_REAPER,
		PT_COL_PIDNS, PT_COL_NSPIDS, PT_COL_STATE, PT_COL_COMM,
	};
	size_t i;
	int c;

	if (ctl->view == VIEW_SCOLS && o->tree) {
		for (i = 0; i < sizeof(tree) / sizeof(tree[0]); i++)
			add_column(o, tree[i]);
	} else if (ctl->view == VIEW_SCOLS) {
		for (i = 0; i < sizeof(list) / sizeof(list[0]); i++)
			add_column(o, list[i]);
	} else {
		for (c = 0; c < PT_NR_COLUMNS; c++)
			if (pt_columns[c].cflags & PT_CF_FILE)
				add_column(o, c);
		add_column(o, PT_COL_THREAD);
		add_column(o, PT_COL_ENTERED);
	}
}

/* -o, -O or the view's default; the tree is drawn in COMMAND, first. */
static void output_columns(struct control *ctl, const char *outarg, bool all)
{
	struct pt_opts *o = &ctl->o;
	size_t i;
	int c;

	if (all) {
		for (c = 0; c < PT_NR_COLUMNS; c++)
			add_column(o, c);
	} else if (!outarg || *outarg == '+') {
		default_columns(ctl, o);
		if (outarg)
			parse_columns(o, outarg + 1);
	} else {
		parse_columns(o, outarg);
	}
	if (ctl->view != VIEW_SCOLS || !o->tree)
		return;
	for (i = 0; i < o->nr_columns && o->columns[i] != PT_COL_COMMAND; i++)
		;
	if (i == o->nr_columns)
		add_column(o, PT_COL_COMMAND);
	memmove(&o->columns[1], &o->columns[0], i * sizeof(o->columns[0]));
	o->columns[0] = PT_COL_COMMAND;
}

static bool want_colors(const char *when)
{
	const char *nc = getenv("NO_COLOR"), *term = getenv("TERM");

	if (!when)
		when = "auto";		/* --color alone, as util-linux */
	if (strcmp(when, "always") == 0)
		return true;
	if (strcmp(when, "never") == 0)
		return false;
	if (strcmp(when, "auto") != 0)
		bad_usage("--color: '%s' is not auto, always or never", when);
	return isatty(STDOUT_FILENO) && !(nc && *nc) &&
	       !(term && strcmp(term, "dumb") == 0);
}

static void parse_args(struct control *ctl, int argc, char **argv)
{
	int seen[sizeof(excl) / sizeof(excl[0])] = { 0 };
	const char *color = "auto", *outarg = NULL;
	bool all = false, list = false, json = false;
	int c, view_opt = 0;

	ctl->o.sort = -1;
	while ((c = getopt_long(argc, argv, "F:Jlno:OPruw:x:ihV",
				longopts, NULL)) != -1) {
		check_exclusive(c, seen);
		if (c == OPT_WATCH && view_opt)
			bad_usage("mutually exclusive arguments: --%s --watch",
				  opt_name(view_opt));
		if (watch_excludes(c)) {
			if (ctl->watch)
				bad_usage("mutually exclusive arguments: --watch --%s",
					  opt_name(c));
			view_opt = c;
		}
		switch (c) {
		case 'F': ctl->input = optarg; break;
		case 'J': json = true; break;
		case 'l': list = true; break;
		case 'n': ctl->o.noheadings = true; break;
		case 'o': outarg = optarg; break;
		case 'O': all = true; break;
		case 'P': ctl->o.pairs = true; break;
		case 'r': ctl->o.raw = true; break;
		case 'u': ctl->o.notruncate = true; break;
		case 'w': ctl->o.width = parse_width(optarg); break;
		case 'x': ctl->o.sort = column_arg(optarg, strlen(optarg)); break;
		case 'i': ctl->o.ascii = true; break;
		case OPT_THREADS: ctl->o.threads = true; break;
		case OPT_PID: ctl->pid = parse_pid_arg(optarg, "--pid"); break;
		case OPT_NS: ctl->ns = parse_ns_arg(optarg); break;
		case OPT_DOT: ctl->view = VIEW_DOT; break;
		case OPT_EXPLAIN:
			ctl->view = VIEW_EXPLAIN;
			ctl->explain = parse_pid_arg(optarg, "--explain");
			break;
		case OPT_WATCH:
			/* "--watch 0.2" as well as "--watch=0.2" */
			if (!optarg && optind < argc &&
			    (argv[optind][0] != '-' ||
			     (argv[optind][1] &&
			      strchr("0123456789.", argv[optind][1]))))
				optarg = argv[optind++];
			ctl->watch = optarg ? parse_interval(optarg) : 1;
			break;
		case OPT_CONTAINER:
			if (!*optarg)
				bad_usage("--container: an empty id");
			ctl->container = optarg;
			break;
		case OPT_SAVE: ctl->save = optarg; break;
		case OPT_EVENTS:
			if (view_opt)
				bad_usage("mutually exclusive arguments: --%s --events",
					  opt_name(view_opt));
			ctl->events = optarg;
			if (!ctl->watch)
				ctl->watch = 1;
			break;
		case OPT_COLOR: color = optarg; break;
		case 'h': usage();
		case 'V':
			printf("pidns-tree from pidns_tree %s (format versions 1 to %d)\n",
			       PIDNS_TREE_VERSION, PT_ABI_VERSION);
			exit(EXIT_SUCCESS);
		default:
			fputs("Try 'pidns-tree --help' for more information.\n",
			      stderr);
			exit(EXIT_FAILURE);
		}
	}
	if (optind < argc)
		bad_usage("unexpected argument '%s'", argv[optind]);
	if (ctl->watch && ctl->input && !ctl->events)
		bad_usage("--watch reads the live %s only; it cannot read --input '%s' (--events replays a saved stream)",
			  proc_file, ctl->input);
	if (ctl->events && !ctl->input)
		bad_usage("--events needs -F: the snapshot read after the stream was opened");
	if (ctl->events && !strcmp(ctl->events, "-") && !strcmp(ctl->input, "-"))
		bad_usage("--events and --input cannot both read stdin");
	ctl->json = json;
	if (json && ctl->view != VIEW_EXPLAIN)
		ctl->view = VIEW_JSON;
	/* as in lsblk: --raw, --pairs and --sort are lists */
	ctl->o.tree = !list && !ctl->o.raw && !ctl->o.pairs && ctl->o.sort < 0;
	if (ctl->view == VIEW_SCOLS || ctl->view == VIEW_JSON)
		output_columns(ctl, outarg, all);
	ctl->all = all;
	ctl->o.colors = want_colors(color);
	if (strcmp(nl_langinfo(CODESET), "UTF-8") != 0)
		ctl->o.ascii = true;
}

static void __attribute__((noreturn))
input_error(const char *path, const struct pt_error *e);

/* Read the whole input; exits 2 if it cannot be opened or read. */
static void read_input(const char *path, char **buf, size_t *len)
{
	const char *name = path ? path : proc_file;
	bool is_stdin = path && strcmp(path, "-") == 0;
	int fd = is_stdin ? STDIN_FILENO : open(name, O_RDONLY | O_CLOEXEC);
	struct pt_error e;
	int rc;

	if (fd < 0 && !path && errno == ENOENT)
		errx(EXIT_NO_INPUT, "%s: not found: the pidns_tree module is not loaded; "
		     "load it with 'modprobe pidns_tree' (or insmod pidns_tree.ko)",
		     proc_file);
	if (fd < 0)
		err(EXIT_NO_INPUT, "cannot open %s", name);
	rc = pt_read_fd(fd, buf, len, &e);
	if (rc == -EBADMSG)
		input_error(path, &e);
	if (rc == -EFBIG)
		errx(EXIT_BAD_INPUT, "%s: larger than %lu MiB", name,
		     PT_MAX_INPUT >> 20);
	if (rc < 0) {
		errno = -rc;
		err(EXIT_NO_INPUT, "cannot read %s", is_stdin ? "stdin" : name);
	}
	if (!is_stdin)
		close(fd);
}

static void __attribute__((noreturn))
input_error(const char *path, const struct pt_error *e)
{
	const char *name = !path ? proc_file : strcmp(path, "-") ? path : "stdin";

	if (e->line)
		errx(EXIT_BAD_INPUT, "%s: line %zu: %s", name, e->line, e->msg);
	errx(EXIT_BAD_INPUT, "%s: %s", name, e->msg);
}

/*
 * libsmartcols prints nothing for a table without lines: an empty capture
 * (a header and no task) still gets its headings, as the columns would
 * show them with nothing below (--pairs has none).
 */
static void empty_headings(const struct pt_opts *o)
{
	size_t i;

	if (o->noheadings || o->pairs)
		return;
	for (i = 0; i < o->nr_columns; i++)
		printf("%s%s", i ? " " : "", pt_columns[o->columns[i]].header);
	putchar('\n');
}

static int show(struct control *ctl, struct pt_model *m, struct pt_error *e)
{
	if (ctl->view == VIEW_EXPLAIN)
		return pt_explain(m, ctl->explain, ctl->json, stdout, e);
	if (ctl->pid && pt_select_pid(m, ctl->pid, e))
		return -1;
	if (ctl->ns && pt_select_ns(m, ctl->ns, e))
		return -1;
	if (ctl->container && pt_select_container(m, ctl->container, e))
		return -1;
	if (ctl->view == VIEW_SCOLS && m->snap.nr_tasks == 0) {
		empty_headings(&ctl->o);
		return 0;
	}
	switch (ctl->view) {
	case VIEW_JSON:		return pt_view_json(m, &ctl->o, stdout, e);
	case VIEW_DOT:		return pt_view_dot(m, &ctl->o, stdout, e);
	default:		return pt_view_scols(m, &ctl->o, stdout, e);
	}
}

/* Like util-linux close_stdout(): a failed write must not exit 0. */
static void close_stdout(void)
{
	if (fflush(stdout) || ferror(stdout) || fclose(stdout)) {
		if (errno != EPIPE)
			warn("write error");
		_exit(EXIT_BAD_INPUT);
	}
}

/* Read, parse and model the live file; exits as the reader does on error. */
static void read_live(struct pt_model *m)
{
	struct pt_snapshot snap;
	struct pt_error e;
	char *buf;
	size_t len;

	read_input(NULL, &buf, &len);
	if (pt_parse(&snap, buf, len, &e)) {
		pt_snapshot_free(&snap);
		input_error(NULL, &e);
	}
	if (pt_model_build(m, &snap, &e)) {
		pt_model_free(m);
		input_error(NULL, &e);
	}
}

static bool shows_column(const struct control *ctl, int col)
{
	size_t i;

	if (ctl->view != VIEW_SCOLS && ctl->view != VIEW_JSON)
		return false;
	for (i = 0; i < ctl->o.nr_columns; i++)
		if (ctl->o.columns[i] == col)
			return true;
	return false;
}

/*
 * Container labels (container.c, pt_labels_find()): from a snapshot's map,
 * or from this machine's cgroup2 mount and runtimes when the file is read
 * here (or the test hook $PIDNS_TREE_CGROUP_MOUNT is set).  Only when
 * something shows them: the tree (on its namespace lines), --dot (on its
 * namespace clusters), --explain, CONTAINER, --container, --save.  Without
 * them, one line says why, if the user asked for them (-o CONTAINER,
 * --container, --save; not -O, which asks for everything).
 */
static void labels(const struct control *ctl, struct pt_model *m,
		   struct pt_cgmap *map, bool snapshot)
{
	bool asked = ctl->container || ctl->save ||
		     (!ctl->all && shows_column(ctl, PT_COL_CONTAINER));
	const char *env = getenv(PT_CGROUP_MOUNT_ENV);
	const char *name = ctl->input ? ctl->input : proc_file;

	if (!asked && ctl->view != VIEW_EXPLAIN && ctl->view != VIEW_DOT &&
	    !(ctl->view == VIEW_SCOLS && ctl->o.tree))
		return;
	pt_labels_find(m, map, name, !ctl->input || (env && *env), snapshot);
	if (!m->labels && ctl->container)
		errx(EXIT_BAD_INPUT, "--container: no container labels: %s",
		     m->cgmap.missing ? m->cgmap.missing : "?");
	if (!m->labels && asked)
		warnx("no container labels: %s",
		      m->cgmap.missing ? m->cgmap.missing : "?");
	if (m->labels && m->cgmap.unnamed)
		warnx("container names: %s; showing ids", m->cgmap.unnamed);
}

/*
 * Reading the live file: kernel threads get /proc/PID/comm's longer name,
 * as ps shows it (the test hook $PIDNS_TREE_PROC_ROOT stands for /proc).
 */
static void live_names(const struct control *ctl, struct pt_model *m)
{
	const char *root = getenv(PT_PROC_ROOT_ENV);

	if (root && *root)
		pt_live_comms(m, root);
	else if (!ctl->input)
		pt_live_comms(m, "/proc");
}

/* The live file with its container labels, for the event stream. */
static void read_live_labels(struct pt_model *m)
{
	struct pt_cgmap map = { 0 };

	read_live(m);
	pt_labels_find(m, &map, proc_file, true, false);
}

/* -F of --events: a snapshot (or a capture) and its labels. */
static void read_snapshot(const struct control *ctl, struct pt_model *m)
{
	const char *env = getenv(PT_CGROUP_MOUNT_ENV);
	struct pt_cgmap map = { 0 };
	struct pt_snapshot snap;
	size_t len, lines = 0;
	struct pt_error e;
	char *buf;
	int rc;

	read_input(ctl->input, &buf, &len);
	rc = pt_snapshot_split(buf, &len, &map, &lines, &e);
	if (rc < 0) {
		pt_cgmap_free(&map);
		free(buf);
		input_error(ctl->input, &e);
	}
	if (pt_parse(&snap, buf, len, &e)) {
		pt_snapshot_free(&snap);
		e.line += e.line ? lines : 0;
		input_error(ctl->input, &e);
	}
	if (pt_model_build(m, &snap, &e)) {
		pt_model_free(m);
		e.line += e.line ? lines : 0;
		input_error(ctl->input, &e);
	}
	pt_labels_find(m, &map, ctl->input, env && *env, rc == 1);
}

/*
 * --watch: the event stream if the module has one, else today's polling,
 * said once on stderr.  The stream is opened before the snapshot is read.
 */
static int watch(const struct control *ctl)
{
	struct pt_evwatch_opts o = {
		.json = ctl->json, .pid = ctl->pid, .container = ctl->container,
		.out = stdout, .path = events_file,
	};
	struct pt_model m;
	int fd;

	if (ctl->events) {
		read_snapshot(ctl, &m);
		fd = pt_evwatch_replay(ctl->events, &m, &o);
		pt_model_free(&m);
		return fd;
	}
	if (access(proc_file, F_OK))	/* no module: read_live() says so */
		return pt_watch_loop(ctl->watch, read_live);
	fd = open(events_file, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	if (fd >= 0) {
		o.live = true;
		return pt_evwatch_live(fd, read_live_labels, &o);
	}
	if (ctl->json || ctl->pid || ctl->container)
		errx(EXIT_FAILURE, "--watch with %s needs the event stream %s: %s",
		     ctl->json ? "--json" : ctl->pid ? "--pid" : "--container",
		     events_file, errno == ENOENT ? "this module has none" : strerror(errno));
	if (errno == ENOENT)
		warnx("this module has no event stream (%s); polling every %g s, processes shorter than that are missed",
		      events_file, ctl->watch);
	else
		warn("cannot open %s; polling every %g s, processes shorter than that are missed",
		     events_file, ctl->watch);
	return pt_watch_loop(ctl->watch, read_live);
}

/* $PIDNS_TREE_PROC_ROOT stands for /proc (a test hook, as in live.c). */
static void proc_files(void)
{
	const char *root = getenv(PT_PROC_ROOT_ENV);
	char *a, *b;

	if (!root || !*root)
		return;
	if (asprintf(&a, "%s/pidns_tree", root) < 0 ||
	    asprintf(&b, "%s/pidns_tree_events", root) < 0)
		err(EXIT_FAILURE, "cannot allocate memory");
	proc_file = a;
	events_file = b;
}

int main(int argc, char **argv)
{
	struct control ctl = { .view = VIEW_SCOLS };
	struct pt_cgmap map = { 0 };
	struct pt_snapshot snap;
	char *buf, *raw = NULL;
	size_t len, lines = 0;
	struct pt_model m;
	struct pt_error e;
	int rc;

	setlocale(LC_ALL, "");
	scols_init_debug(0);
	atexit(close_stdout);
	parse_args(&ctl, argc, argv);
	proc_files();
	if (ctl.watch)
		return watch(&ctl);

	read_input(ctl.input, &buf, &len);
	rc = pt_snapshot_split(buf, &len, &map, &lines, &e);
	if (rc < 0) {
		pt_cgmap_free(&map);
		free(buf);
		input_error(ctl.input, &e);
	}
	if (ctl.save)
		raw = xmemdup(buf, len + 1);
	if (pt_parse(&snap, buf, len, &e)) {
		pt_snapshot_free(&snap);
		e.line += e.line ? lines : 0;
		input_error(ctl.input, &e);
	}
	if (pt_model_build(&m, &snap, &e)) {
		pt_model_free(&m);
		e.line += e.line ? lines : 0;
		input_error(ctl.input, &e);
	}
	live_names(&ctl, &m);
	labels(&ctl, &m, &map, rc == 1);
	pt_cgmap_free(&map);
	if (ctl.save && pt_snapshot_write(ctl.save, raw, len, &m, &e))
		errx(EXIT_FAILURE, "%s", e.msg);
	free(raw);
	rc = show(&ctl, &m, &e);
	pt_model_free(&m);
	if (rc && e.line)
		input_error(ctl.input, &e);
	if (rc)
		errx(EXIT_BAD_INPUT, "%s", e.msg);
	return EXIT_SUCCESS;
}
