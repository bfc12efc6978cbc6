// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * pidns-tree - show processes, pid namespaces, tracers and reapers from
 * /proc/pidns_tree as a tree, table, JSON or Graphviz DOT
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

#include "pidns-tree.h"

#ifndef PIDNS_TREE_VERSION
# define PIDNS_TREE_VERSION "unknown"
#endif

#define PROC_FILE	"/proc/pidns_tree"

enum {
	EXIT_BAD_INPUT	= 1,	/* malformed input, unknown PID, write error */
	EXIT_NO_INPUT	= 2,	/* module not loaded, cannot open or read */
	EXIT_USAGE	= 64,	/* EX_USAGE */
};

enum view { VIEW_TREE, VIEW_TABLE, VIEW_JSON, VIEW_DOT };

struct control {
	const char	*input;		/* NULL: PROC_FILE */
	enum view	view;
	pid_t		pid;		/* --pid */
	unsigned long long ns;		/* --ns */
	pid_t		explain;	/* --explain */
	struct pt_opts	o;
};

static void __attribute__((noreturn)) usage(void)
{
	int i;

	fputs("Usage:\n"
	      " pidns-tree [options]\n"
	      "\n"
	      "Show processes with their pid namespaces, tracers and reapers\n"
	      "from /proc/pidns_tree.\n"
	      "\n"
	      "Options:\n"
	      " -i, --input <file>      read <file> instead of " PROC_FILE " ('-': stdin)\n"
	      " -o, --output <view>     tree (default), table, json or dot\n"
	      " -c, --columns <list>    table columns, comma-separated\n"
	      " -p, --pid <pid>         only the subtree of <pid> and its ancestors\n"
	      " -N, --ns <inode>        only pid namespace <inode> and those below it\n"
	      " -e, --explain <pid>     why <pid> has its parent, tracer and reaper\n"
	      " -T, --threads           show threads in the tree\n"
	      " -n, --noheadings        don't print headings\n"
	      " -r, --raw               raw table output\n"
	      " -a, --ascii             use ASCII characters for the tree\n"
	      "     --color[=<when>]    colorize: auto (default), always or never\n"
	      " -h, --help              display this help\n"
	      " -V, --version           display version\n"
	      "\n"
	      "Columns (--columns):\n", stdout);
	for (i = 0; i < PT_NR_COLUMNS; i++)
		printf(" %8s  %s\n", pt_column_names[i], pt_column_help(i));
	fputs("\nExit status: 0 success, 1 malformed input or unknown PID,\n"
	      "2 input missing or unreadable, 64 usage error.\n"
	      "\nFor more details see pidns-tree(1).\n", stdout);
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
	exit(EXIT_USAGE);
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
	if (p != s && *end == ']')
		end++;
	if (errno || end == p || *end || *p == '-' || !v)
		bad_usage("--ns: '%s' is not a namespace inode number", s);
	return v;
}

static void parse_columns(struct pt_opts *o, const char *list)
{
	const char *p = list;

	o->nr_columns = 0;
	while (*p) {
		size_t n = strcspn(p, ",");
		int c = pt_column_by_name(p, n);

		if (c < 0)
			bad_usage("unknown column: '%.*s'", (int)n, p);
		if (o->nr_columns == sizeof(o->columns) / sizeof(o->columns[0]))
			bad_usage("too many columns");
		o->columns[o->nr_columns++] = c;
		p += n;
		if (*p)
			p++;
	}
	if (!o->nr_columns)
		bad_usage("--columns: empty list");
}

static enum view parse_view(const char *s)
{
	static const char *const names[] = {
		[VIEW_TREE] = "tree", [VIEW_TABLE] = "table",
		[VIEW_JSON] = "json", [VIEW_DOT] = "dot",
	};
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strcmp(s, names[i]) == 0)
			return (enum view)i;
	bad_usage("unknown output '%s' (tree, table, json or dot)", s);
}

static bool want_colors(const char *when)
{
	const char *nc = getenv("NO_COLOR"), *term = getenv("TERM");

	if (!when || strcmp(when, "always") == 0)
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
	enum { OPT_COLOR = CHAR_MAX + 1 };
	static const struct option longopts[] = {
		{ "input",	required_argument, NULL, 'i' },
		{ "output",	required_argument, NULL, 'o' },
		{ "columns",	required_argument, NULL, 'c' },
		{ "pid",	required_argument, NULL, 'p' },
		{ "ns",		required_argument, NULL, 'N' },
		{ "explain",	required_argument, NULL, 'e' },
		{ "threads",	no_argument,	   NULL, 'T' },
		{ "noheadings",	no_argument,	   NULL, 'n' },
		{ "raw",	no_argument,	   NULL, 'r' },
		{ "ascii",	no_argument,	   NULL, 'a' },
		{ "color",	optional_argument, NULL, OPT_COLOR },
		{ "help",	no_argument,	   NULL, 'h' },
		{ "version",	no_argument,	   NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	const char *color = "auto";
	int c, i;

	for (i = 0; i < PT_NR_COLUMNS; i++)
		ctl->o.columns[i] = i;
	ctl->o.nr_columns = PT_NR_COLUMNS;

	while ((c = getopt_long(argc, argv, "i:o:c:p:N:e:TnrahV",
				longopts, NULL)) != -1) {
		switch (c) {
		case 'i': ctl->input = optarg; break;
		case 'o': ctl->view = parse_view(optarg); break;
		case 'c': parse_columns(&ctl->o, optarg); break;
		case 'p': ctl->pid = parse_pid_arg(optarg, "--pid"); break;
		case 'N': ctl->ns = parse_ns_arg(optarg); break;
		case 'e': ctl->explain = parse_pid_arg(optarg, "--explain"); break;
		case 'T': ctl->o.threads = true; break;
		case 'n': ctl->o.noheadings = true; break;
		case 'r': ctl->o.raw = true; break;
		case 'a': ctl->o.ascii = true; break;
		case OPT_COLOR: color = optarg; break;
		case 'h': usage();
		case 'V':
			printf("pidns-tree %s (format version %d)\n",
			       PIDNS_TREE_VERSION, PT_ABI_VERSION);
			exit(EXIT_SUCCESS);
		default:
			fputs("Try 'pidns-tree --help' for more information.\n",
			      stderr);
			exit(EXIT_USAGE);
		}
	}
	if (optind < argc)
		bad_usage("unexpected argument '%s'", argv[optind]);
	if (ctl->pid && ctl->ns)
		bad_usage("--pid and --ns are mutually exclusive");
	ctl->o.colors = want_colors(color);
	if (strcmp(nl_langinfo(CODESET), "UTF-8") != 0)
		ctl->o.ascii = true;
}

/* Read the whole input; exits 2 if it cannot be opened or read. */
static void read_input(const char *path, char **buf, size_t *len)
{
	const char *name = path ? path : PROC_FILE;
	bool is_stdin = path && strcmp(path, "-") == 0;
	int fd = is_stdin ? STDIN_FILENO : open(name, O_RDONLY | O_CLOEXEC);
	int rc;

	if (fd < 0 && !path && errno == ENOENT)
		errx(EXIT_NO_INPUT, "%s: not found: the pidns_tree module is not loaded; "
		     "load it with 'modprobe pidns_tree' (or insmod pidns_tree.ko)",
		     PROC_FILE);
	if (fd < 0)
		err(EXIT_NO_INPUT, "cannot open %s", name);
	rc = pt_read_fd(fd, buf, len);
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
	const char *name = !path ? PROC_FILE : strcmp(path, "-") ? path : "stdin";

	if (e->line)
		errx(EXIT_BAD_INPUT, "%s: line %zu: %s", name, e->line, e->msg);
	errx(EXIT_BAD_INPUT, "%s: %s", name, e->msg);
}

static int show(struct control *ctl, struct pt_model *m, struct pt_error *e)
{
	if (ctl->explain)
		return pt_explain(m, ctl->explain, stdout, e);
	if (ctl->pid && pt_select_pid(m, ctl->pid, e))
		return -1;
	if (ctl->ns && pt_select_ns(m, ctl->ns, e))
		return -1;
	switch (ctl->view) {
	case VIEW_TABLE:	return pt_view_table(m, &ctl->o, stdout, e);
	case VIEW_JSON:		return pt_view_json(m, &ctl->o, stdout, e);
	case VIEW_DOT:		return pt_view_dot(m, &ctl->o, stdout, e);
	default:		return pt_view_tree(m, &ctl->o, stdout, e);
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

int main(int argc, char **argv)
{
	struct control ctl = { .view = VIEW_TREE };
	struct pt_snapshot snap;
	struct pt_model m;
	struct pt_error e;
	char *buf;
	size_t len;
	int rc;

	setlocale(LC_ALL, "");
	atexit(close_stdout);
	parse_args(&ctl, argc, argv);

	read_input(ctl.input, &buf, &len);
	if (pt_parse(&snap, buf, len, &e)) {
		pt_snapshot_free(&snap);
		input_error(ctl.input, &e);
	}
	if (pt_model_build(&m, &snap, &e)) {
		pt_model_free(&m);
		input_error(ctl.input, &e);
	}
	rc = show(&ctl, &m, &e);
	pt_model_free(&m);
	if (rc && e.line)
		input_error(ctl.input, &e);
	if (rc)
		errx(EXIT_BAD_INPUT, "%s", e.msg);
	return EXIT_SUCCESS;
}
