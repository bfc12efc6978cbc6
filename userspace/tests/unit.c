// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * unit.c - host-side unit tests of the parser, the model and the helpers
 *
 * Prints "ok - name" or "not ok - name" per test; run-tests.sh numbers them
 * into its TAP stream.
 */
#include <ctype.h>
#include <limits.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json-writer.h"
#include "pidns-tree.h"
#include "unit.h"
#include "watch.h"

bool ok;

/* Parse and build @text; returns the rc, the model and the error. */
int load(const char *text, struct pt_model *m, struct pt_error *e)
{
	size_t len = strlen(text);
	struct pt_snapshot s;
	char *buf = malloc(len + 1);

	memcpy(buf, text, len + 1);
	memset(m, 0, sizeof(*m));
	if (pt_parse(&s, buf, len, e)) {
		pt_snapshot_free(&s);
		return -1;
	}
	return pt_model_build(m, &s, e);
}

/* Expect @text to fail on @line with a message containing @msg. */
void bad(const char *text, size_t line, const char *msg)
{
	struct pt_model m;
	struct pt_error e;

	CHECK(load(text, &m, &e) != 0);
	if (e.line != line || !strstr(e.msg, msg))
		printf("#   got line %zu: %s\n#   want line %zu: %s\n",
		       e.line, e.msg, line, msg);
	CHECK(e.line == line);
	CHECK(strstr(e.msg, msg) != NULL);
	pt_model_free(&m);
}

static void test_parse_fields(void)
{
	struct pt_model m;
	struct pt_error e;
	const struct pt_task *t;

	CHECK(load(HDR "1 1 0 0 0 - 0 " HOST " 0 1 S 1 init\n"
		   "79020 79020 1 1 7 s - 4026532201 1 79020,1 t 1 my\\040sh\n",
		   &m, &e) == 0);
	CHECK(m.snap.nr_tasks == 2);
	t = pt_find_task(&m, 79020);
	CHECK(t && t->tgid == 79020 && t->ppid == 1 && t->tracer == 7);
	CHECK(t && t->sub == 's' && t->reaper == PT_REAPER_NONE);
	CHECK(t && t->pidns == 4026532201ULL && t->level == 1);
	CHECK(t && t->nspids[0] == 79020 && t->nspids[1] == 1);
	CHECK(t && t->state == 't' && t->init == 1);
	CHECK(t && strcmp(t->comm, "my sh") == 0);
	pt_model_free(&m);
}

static void test_unescape(void)
{
	struct pt_model m;
	struct pt_error e;

	CHECK(load(HDR "1 1 0 0 0 - 0 " HOST " 0 1 S 1 "
		   "a\\040b\\012c\\134d\\011e\\177\\303\\251\n", &m, &e) == 0);
	CHECK(m.snap.nr_tasks == 1 &&
	      strcmp(m.snap.tasks[0].comm, "a b\nc\\d\te\x7f\xc3\xa9") == 0);
	pt_model_free(&m);
}

/* cgroup: a 64-bit id, 0 allowed; unknown when the column is absent. */
static void test_cgroup(void)
{
	struct pt_cellctx cx = { 0 };
	struct pt_model m;
	struct pt_error e;
	struct pt_value v;

	CHECK(load(HDR_FULL "1 1 0 0 0 - 0 " HOST " 0 1 S 1 ? ? ? 1 init\n"
		   "2 2 1 1 0 - - " HOST " 0 2 S 0 1 init 0 0 a\n"
		   "3 3 1 1 0 - - " HOST " 0 3 S 0 1 init 0 "
		   "18446744073709551615 b\n", &m, &e) == 0);
	CHECK(m.snap.has_cgroup);
	CHECK(pt_find_task(&m, 1)->cgroup == 1);
	CHECK(pt_find_task(&m, 2)->cgroup == 0);
	CHECK(pt_find_task(&m, 3)->cgroup == 18446744073709551615ULL);
	cx.m = &m;
	pt_cell_value(&cx, pt_find_task(&m, 1), PT_COL_CGROUP, &v);
	CHECK(v.type == PT_V_UINT && v.u == 1);
	pt_model_free(&m);

	CHECK(load(HDR "1 1 0 0 0 - 0 " HOST " 0 1 S 1 init\n", &m, &e) == 0);
	CHECK(!m.snap.has_cgroup);
	cx.m = &m;
	pt_cell_value(&cx, pt_find_task(&m, 1), PT_COL_CGROUP, &v);
	CHECK(v.type == PT_V_UNKNOWN);
	pt_model_free(&m);

	bad(HDR_FULL "1 1 0 0 0 - 0 " HOST " 0 1 S 1 ? ? ? x init\n", 2,
	    "cgroup 'x' is not a cgroup id");
	bad(HDR_FULL "1 1 0 0 0 - 0 " HOST " 0 1 S 1 ? ? ? -1 init\n", 2,
	    "cgroup '-1' is not a cgroup id");
	bad(HDR_FULL "1 1 0 0 0 - 0 " HOST " 0 1 S 1 ? ? ? "
	    "18446744073709551616 init\n", 2, "is not a cgroup id");
}

/* Paths of every runtime, and paths that are no container's. */
static void test_ct_paths(void)
{
#define H64(c) c c c c c c c c c c c c c c c c c c c c c c c c c c c c c c c c \
	       c c c c c c c c c c c c c c c c c c c c c c c c c c c c c c c c
#define UID_ "0f1e2d3c_4b5a_6978_8a9b_0c1d2e3f4a5b"
#define UID "0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b"
	static const struct {
		const char *path;
		enum pt_ct_kind kind;
		const char *label;	/* NULL: no label */
		const char *id;
		const char *pod;
	} cases[] = {
		{ "/system.slice/docker-36d649e82a2b"
		  "1111111111111111111111111111111111111111111111111111.scope",
		  PT_CT_CONTAINER, "docker 36d649e82a2b", NULL, "" },
		{ "/docker/" H64("b"), PT_CT_CONTAINER, "docker bbbbbbbbbbbb",
		  H64("b"), "" },
		{ "/docker/" H64("b") "/docker/" H64("c"), PT_CT_CONTAINER,
		  "docker cccccccccccc", NULL, "" },
		{ "/docker/" H64("b") "/init.scope", PT_CT_CONTAINER,
		  "docker bbbbbbbbbbbb", NULL, "" },
		{ "/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod"
		  UID_ ".slice/cri-containerd-" H64("d") ".scope",
		  PT_CT_CONTAINER, "containerd dddddddddddd", NULL, UID },
		{ "/kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod"
		  UID_ ".slice/crio-" H64("e") ".scope",
		  PT_CT_CONTAINER, "cri-o eeeeeeeeeeee", NULL, UID },
		{ "/kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod"
		  UID_ ".slice/crio-conmon-" H64("e") ".scope",
		  PT_CT_MONITOR, NULL, NULL, UID },
		{ "/kubepods.slice/kubepods-pod" UID_ ".slice", PT_CT_POD,
		  "k8s pod 0f1e2d3c", UID, UID },
		{ "/kubepods/burstable/pod" UID "/" H64("f"), PT_CT_CONTAINER,
		  "cri ffffffffffff", NULL, UID },
		{ "/kubepods/pod" UID, PT_CT_POD, "k8s pod 0f1e2d3c", NULL, UID },
		{ "/kubepods/besteffort/pod" UID "/crio-" H64("e"), PT_CT_CONTAINER,
		  "cri-o eeeeeeeeeeee", NULL, UID },
		{ "/kubepods-besteffort-pod" UID_ ".slice:cri-containerd:" H64("a"),
		  PT_CT_CONTAINER, "containerd aaaaaaaaaaaa", NULL, "" },
		{ "/default/web", PT_CT_CONTAINER, "containerd web", "web", "" },
		{ "/k8s.io/" H64("a"), PT_CT_CONTAINER, "containerd aaaaaaaaaaaa",
		  NULL, "" },
		{ "/moby/" H64("a"), PT_CT_CONTAINER, "containerd aaaaaaaaaaaa",
		  NULL, "" },
		{ "/machine.slice/libpod-" H64("9") ".scope", PT_CT_CONTAINER,
		  "podman 999999999999", NULL, "" },
		{ "/machine.slice/libpod-" H64("9") ".scope/container",
		  PT_CT_CONTAINER, "podman 999999999999", NULL, "" },
		{ "/machine.slice/libpod-conmon-" H64("9") ".scope",
		  PT_CT_MONITOR, NULL, NULL, "" },
		{ "/libpod_parent/libpod-" H64("8"), PT_CT_CONTAINER,
		  "podman 888888888888", NULL, "" },
		{ "/libpod_parent/libpod-conmon-" H64("8"), PT_CT_MONITOR, NULL,
		  NULL, "" },
		{ "/system.slice/web.service/libpod-payload-" H64("7"),
		  PT_CT_CONTAINER, "podman 777777777777", NULL, "" },
		{ "/lxc.payload.web", PT_CT_CONTAINER, "lxc web", "web", "" },
		{ "/lxc.payload.web/system.slice/cron.service", PT_CT_CONTAINER,
		  "lxc web", NULL, "" },
		{ "/lxc.monitor.web", PT_CT_MONITOR, NULL, "web", "" },
		{ "/lxc/old", PT_CT_CONTAINER, "lxc old", NULL, "" },
		{ "/lxc.payload/old", PT_CT_CONTAINER, "lxc old", NULL, "" },
		{ "/machine.slice/machine-my\\x2dbox.scope/payload",
		  PT_CT_CONTAINER, "nspawn my-box", "my-box", "" },
		{ "/machine.slice/machine-my\\x2dbox.scope", PT_CT_CONTAINER,
		  "nspawn my-box", NULL, "" },
		{ "/machine.slice/machine-my\\x2dbox.scope/supervisor",
		  PT_CT_MONITOR, NULL, NULL, "" },
		{ "/machine.slice/machine-qemu\\x2d1\\x2dvm.scope",
		  PT_CT_CONTAINER, "libvirt qemu-1-vm", NULL, "" },
		/* nerdctl, systemd driver */
		{ "/system.slice/nerdctl-" H64("a") ".scope", PT_CT_CONTAINER,
		  "nerdctl aaaaaaaaaaaa", H64("a"), "" },
		/* podman's pods: cgroupfs, then systemd */
		{ "/libpod_parent/" H64("1"), PT_CT_POD, "podman pod 111111111111",
		  H64("1"), H64("1") },
		{ "/libpod_parent/" H64("1") "/libpod-" H64("2"), PT_CT_CONTAINER,
		  "podman 222222222222", H64("2"), H64("1") },
		{ "/libpod_parent/" H64("1") "/conmon", PT_CT_MONITOR, "podman",
		  NULL, H64("1") },
		{ "/libpod_parent/conmon", PT_CT_MONITOR, "podman", NULL, "" },
		{ "/machine.slice/machine-libpod_pod_" H64("4") ".slice/libpod-"
		  H64("5") ".scope", PT_CT_CONTAINER, "podman 555555555555",
		  NULL, H64("4") },
		/* an id at depth 1 below a cgroup of no runtime's name */
		{ "/ci/" H64("3"), PT_CT_CONTAINER, "container 333333333333",
		  H64("3"), "" },
		/* no container */
		{ "/", PT_CT_NONE, NULL, NULL, "" },
		{ "/init.scope", PT_CT_NONE, NULL, NULL, "" },
		{ "/system.slice/docker.service", PT_CT_NONE, NULL, NULL, "" },
		{ "/system.slice/cron.service", PT_CT_NONE, NULL, NULL, "" },
		{ "/user.slice/user-1000.slice/session-2.scope", PT_CT_NONE,
		  NULL, NULL, "" },
		{ "/system.slice/web.service/runtime", PT_CT_NONE, NULL, NULL, "" },
		{ "/system.slice/docker-notahexid.scope", PT_CT_NONE, NULL, NULL, "" },
		{ "/system.slice/docker-36d649e82a2b.service", PT_CT_NONE, NULL,
		  NULL, "" },
		{ "/docker", PT_CT_NONE, NULL, NULL, "" },
		{ "/docker/short", PT_CT_NONE, NULL, NULL, "" },
		{ "/kubepods.slice/kubepods-burstable.slice", PT_CT_NONE, NULL,
		  NULL, "" },
		{ "/pidns_tree_test.123/ns", PT_CT_NONE, NULL, NULL, "" },
		{ "/a/b/" H64("a"), PT_CT_NONE, NULL, NULL, "" },
	};
	struct pt_ct c;
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		enum pt_ct_kind k = pt_ct_from_path(cases[i].path, &c);
		bool good = k == cases[i].kind && c.kind == k &&
			    !strcmp(c.pod, cases[i].pod) &&
			    (!cases[i].id || !strcmp(c.id, cases[i].id)) &&
			    (!cases[i].label ||
			     !strcmp(c.label, cases[i].label));

		if (!good)
			printf("#   %s: kind %d label '%s' id '%s' pod '%s'\n",
			       cases[i].path, k, c.label, c.id, c.pod);
		CHECK(good);
	}
	/* a monitor keeps its container's label, for --explain */
	pt_ct_from_path("/lxc.monitor.web", &c);
	CHECK(!strcmp(c.label, "lxc web"));
	/* control bytes in a name are not printed */
	pt_ct_from_path("/lxc.payload.a\tb", &c);
	CHECK(!strcmp(c.label, "lxc a?b"));
#undef H64
#undef UID_
#undef UID
}

static void test_bad_escapes(void)
{
	bad(HDR "1 1 0 0 0 - 0 " HOST " 0 1 S 1 a\\8bc\n", 2, "3 octal digits");
	bad(HDR "1 1 0 0 0 - 0 " HOST " 0 1 S 1 a\\12\n", 2, "3 octal digits");
	bad(HDR "1 1 0 0 0 - 0 " HOST " 0 1 S 1 a\\400\n", 2, "3 octal digits");
	bad(HDR "1 1 0 0 0 - 0 " HOST " 0 1 S 1 a\\\n", 2, "3 octal digits");
	bad(HDR "1 1 0 0 0 - 0 " HOST " 0 1 S 1 a\\000\n", 2, "escaped NUL");
	bad(HDR "1 1 0 0 0 - 0 " HOST " 0 1 S 1 a\tb\n", 2, "control byte 0x09");
	bad(HDR "1 1 0 0 0 - 0 " HOST " 0 1 S 1 a\rb\n", 2, "control byte 0x0d");
}

static void test_header(void)
{
	struct pt_model m;
	struct pt_error e;

	/* columns found by name, unknown ones ignored, comm last */
	CHECK(load("# pidns_tree 1 tgid pid new1 ppid parent tracer sub reaper "
		   "level pidns nspids state init new2 comm\n"
		   "1 1 x 0 0 0 - 0 0 " HOST " 1 S 1 y init\n", &m, &e) == 0);
	CHECK(m.snap.nr_tasks == 1 && m.snap.tasks[0].pidns == 4026531836ULL);
	pt_model_free(&m);
	bad("", 1, "empty input");
	bad("# pidns_tree 3 pid\n", 1, "unsupported format version '3'");
	bad("# pidns_tree 0 pid\n", 1, "unsupported format version '0'");
	bad("# pidns_tree 21 pid\n", 1, "unsupported format version '21'");
	bad("# pidns_tree\n", 1, "no format version");
	bad("# pidns-tree 1 pid\n", 1, "not a pidns_tree file");
	bad("pid tgid\n", 1, "not a pidns_tree file");
	bad("# pidns_tree 1 pid tgid\n", 1, "lacks the column 'ppid'");
	bad("# pidns_tree 1 pid tgid ppid parent tracer sub reaper pidns level "
	    "nspids state comm init\n", 1, "'comm' is not the last column");
	bad("# pidns_tree 1 pid pid tgid\n", 1, "column 'pid' twice");
	bad("# pidns_tree 1 pid  tgid\n", 1, "empty column name");
	bad("# pidns_tree 1 pid tgid", 1, "truncated line");
}

static void test_lines(void)
{
	struct pt_model m;
	struct pt_error e;

	/*
	 * Lines end at 0x0a and fields at 0x20, nothing else: a CR before the
	 * LF is an error, a tab or a vertical tab is no separator, bytes
	 * >= 0x80 (NEL 0x85, NBSP 0xa0, a lone 0xff) are data; an empty comm
	 * is fine.
	 */
	bad("# pidns_tree 1 pid tgid ppid parent tracer sub reaper pidns "
	    "level nspids state init comm\r\n", 1, "carriage return");
	bad(HDR "1 1 0 0 0 - 0 " HOST " 0 1 S 1 init\r\n", 2, "carriage return");
	bad(HDR "1\t1 0 0 0 - 0 " HOST " 0 1 S 1 init\n", 2, "12 fields");
	bad(HDR "1 1 0 0 0 - 0 " HOST " 0 1 S 1 a\tb\n", 2, "unescaped control byte 0x09");
	bad(HDR "1 1 0 0 0 - 0 " HOST " 0 1\vS 1 init\n", 2, "12 fields");
	CHECK(load(HDR "1 1 0 0 0 - 0 " HOST " 0 1 S 1 a\x85" "b\xa0" "c\xff\n"
		   "2 2 0 0 0 - 0 " HOST " 0 2 S 0 \n", &m, &e) == 0);
	CHECK(m.snap.nr_tasks == 2 &&
	      strcmp(m.snap.tasks[0].comm, "a\x85" "b\xa0" "c\xff") == 0);
	CHECK(m.snap.nr_tasks == 2 && m.snap.tasks[1].comm[0] == '\0');
	pt_model_free(&m);
	bad(HDR "1 1 0 0 0 - 0 " HOST " 0 1 S 1 init", 2, "truncated line");
	bad(HDR "1 1 0 0 0 - 0 " HOST " 0 1 S 1\n", 2, "12 fields, but the header names 13");
	bad(HDR "1 1 0 0 0 - 0 " HOST " 0 1 S 1 a b\n", 2, "14 fields");
	bad(HDR "\n", 2, "empty line");
	bad(HDR "1 1 0 0  - 0 " HOST " 0 1 S 1 a\n", 2, "field 5 (tracer) is empty");
}

static void test_numbers(void)
{
	struct pt_model m;
	struct pt_error e;

	CHECK(load(HDR "2147483647 2147483647 0 0 0 - 0 18446744073709551615 "
		   "0 2147483647 S 0 max\n", &m, &e) == 0);
	CHECK(m.snap.nr_tasks == 1 && m.snap.tasks[0].pidns == ~0ULL);
	pt_model_free(&m);
	bad(HDR "2147483648 1 0 0 0 - 0 " HOST " 0 1 S 1 a\n", 2, "pid '2147483648' is not a PID");
	bad(HDR "abc 1 0 0 0 - 0 " HOST " 0 1 S 1 a\n", 2, "pid 'abc'");
	bad(HDR "+1 1 0 0 0 - 0 " HOST " 0 1 S 1 a\n", 2, "pid '+1'");
	bad(HDR "0 1 0 0 0 - 0 " HOST " 0 1 S 1 a\n", 2, "pid '0'");
	bad(HDR "1 1 -1 0 0 - 0 " HOST " 0 1 S 1 a\n", 2, "ppid '-1'");
	bad(HDR "1 1 0 0 0 x 0 " HOST " 0 1 S 1 a\n", 2, "sub 'x'");
	bad(HDR "1 1 0 0 0 - x " HOST " 0 1 S 1 a\n", 2, "reaper 'x'");
	bad(HDR "1 1 0 0 0 - 0 0 0 1 S 1 a\n", 2, "pidns '0'");
	bad(HDR "1 1 0 0 0 - 0 18446744073709551616 0 1 S 1 a\n", 2, "pidns");
	bad(HDR "1 1 0 0 0 - 0 " HOST " 33 1 S 1 a\n", 2, "level '33'");
	bad(HDR "1 1 0 0 0 - 0 " HOST " 0 1 SS 1 a\n", 2, "state 'SS'");
	bad(HDR "1 1 0 0 0 - 0 " HOST " 0 1 S 2 a\n", 2, "init '2'");
	bad(HDR "1 1 0 0 0 - 0 " HOST " 1 1 S 1 a\n", 2, "has 1 entries, level 1 needs 2");
	bad(HDR "1 1 0 0 0 - 0 " HOST " 1 1,,1 S 1 a\n", 2, "nspids '1,,1'");
	bad(HDR "1 1 0 0 0 - 0 " HOST " 0 2 S 1 a\n", 2, "does not start with the pid 1");
	bad(HDR "1 1 0 0 0 - 0 " HOST " 0 1, S 1 a\n", 2, "nspids '1,'");
}

static const char *const tree_text =
	HDR
	"1 1 0 0 0 - 0 " HOST " 0 1 S 1 systemd\n"
	"490 490 1 1 0 - - " HOST " 0 490 S 0 containerd\n"
	"491 490 1 1 0 - - " HOST " 0 491 S 0 containerd\n"
	"5000 5000 4242 4242 0 - 1 " HOST " 0 5000 S 0 orphan1\n"
	"5001 5001 4242 4242 0 - 1 " HOST " 0 5001 S 0 orphan2\n"
	"6001 6000 4343 4343 0 - 1 " HOST " 0 6001 S 0 noleader\n"
	"78999 78999 1 1 0 S - " HOST " 0 78999 S 0 shim\n"
	"79001 79001 78999 78999 0 s 1 " HOST " 0 79001 S 0 helper\n"
	"79002 79002 79001 79001 0 s 78999 " HOST " 0 79002 S 0 helper2\n"
	"79020 79020 78999 78999 0 s 1 4026532201 1 79020,1 S 1 sh\n"
	"79054 79054 79020 79020 0 s - 4026532201 1 79054,7 S 0 sleep\n"
	"79080 79080 79054 79054 0 s 79020 4026532201 1 79080,8 S 0 sub\n"
	"79100 79100 79020 79020 0 s - 4026532300 2 79100,20,1 S 1 nested\n";

static void test_model(void)
{
	struct pt_model m;
	struct pt_error e;
	struct pt_proc *p;

	CHECK(load(tree_text, &m, &e) == 0);
	CHECK(m.nr_procs == 12);
	p = pt_find_proc(&m, 490);
	CHECK(p && p->nr_threads == 2 && p->main->pid == 490);
	CHECK(p && p->parent == pt_find_proc(&m, 1));
	p = pt_find_proc(&m, 6000);
	CHECK(p && p->leader_missing && p->main->pid == 6001);
	CHECK(m.nr_gone == 2 && m.gone[0].ppid == 4242);
	CHECK(m.gone[0].child && m.gone[0].child->next &&
	      m.gone[0].child->next->main->pid == 5001);
	CHECK(m.roots == pt_find_proc(&m, 1) && m.roots->next == NULL);
	CHECK(pt_find_proc(&m, 79100)->depth == 3);
	CHECK(m.max_depth == 4);	/* 1 shim sh sleep sub */
	CHECK(pt_find_ns(&m, 4026532300ULL)->parent ==
	      pt_find_ns(&m, 4026532201ULL));
	CHECK(pt_is_init(pt_find_proc(&m, 79020)));
	CHECK(!pt_is_init(pt_find_proc(&m, 78999)));
	CHECK(pt_is_subreaper(pt_find_proc(&m, 78999)));
	CHECK(pt_find_task(&m, 4242) == NULL && pt_find_proc(&m, 0) == NULL);
	pt_model_free(&m);
}

static void test_model_errors(void)
{
	bad(HDR "5 5 6 6 0 - 0 " HOST " 0 5 S 0 a\n"
	    "6 6 7 7 0 - 0 " HOST " 0 6 S 0 b\n"
	    "7 7 5 5 0 - 0 " HOST " 0 7 S 0 c\n", 2, "parent cycle: 5 -> 6 -> 7 -> 5");
	bad(HDR "5 5 5 5 0 - 0 " HOST " 0 5 S 0 a\n", 2, "parent cycle: 5 -> 5");
	bad(HDR "5 5 0 0 0 - 0 " HOST " 0 5 S 0 a\n"
	    "5 5 0 0 0 - 0 " HOST " 0 5 S 0 a\n", 3, "duplicate pid 5 (also on line 2)");
	bad(HDR "5 5 0 0 0 - 0 4026532201 1 5,1 S 0 a\n"
	    "6 6 0 0 0 - 0 4026532201 2 6,2,1 S 0 b\n", 3,
	    "pidns 4026532201 is at level 2, but at level 1 on line 2");
	bad(HDR "5 5 0 0 0 - 0 " HOST " 0 5 S 0 a\n"
	    "6 6 0 0 0 - 0 4026532201 0 6 S 0 b\n", 3, "but so is pidns " HOST);
	bad(HDR "5 5 0 0 0 - 0 " HOST " 0 5 S 1 a\n"
	    "6 6 0 0 0 - 0 " HOST " 0 6 S 1 b\n", 3, "but so is pid 5");
}

static void test_hash(void)
{
	enum { N = 50000 };
	size_t len = 0, sz = (size_t)N * 128 + 256, i;
	char *text = malloc(sz);
	struct pt_model m;
	struct pt_error e;
	bool all = true;

	len = snprintf(text, sz, "%s", HDR);
	/* pids spread over the whole range, each the child of the last */
	for (i = 0; i < N; i++) {
		unsigned int pid = 7 + (unsigned int)i * 40009u % 2000000000u;
		unsigned int ppid = i ? 7 + (unsigned int)(i - 1) * 40009u % 2000000000u : 0;

		len += snprintf(text + len, sz - len, "%u %u %u %u 0 - 1 " HOST
				" 0 %u S 0 p\n", pid, pid, ppid, ppid, pid);
	}
	CHECK(load(text, &m, &e) == 0);
	for (i = 0; i < N; i++) {
		unsigned int pid = 7 + (unsigned int)i * 40009u % 2000000000u;

		all = all && pt_find_task(&m, pid) && pt_find_proc(&m, pid);
	}
	CHECK(all);
	CHECK(pt_find_task(&m, 8) == NULL);
	CHECK(m.max_depth == N - 1);
	/* iterative depth walk: no recursion, but the tree view refuses */
	CHECK(pt_check_depth(&m, &e) == -1 && strstr(e.msg, "levels deep"));
	pt_model_free(&m);
	free(text);
}

static void test_select(void)
{
	struct pt_model m;
	struct pt_error e;

	CHECK(load(tree_text, &m, &e) == 0);
	CHECK(pt_select_pid(&m, 79054, &e) == 0);
	CHECK(pt_find_proc(&m, 79054)->selected);
	CHECK(pt_find_proc(&m, 79080)->selected);	/* subtree */
	CHECK(pt_find_proc(&m, 79020)->selected);	/* ancestors */
	CHECK(pt_find_proc(&m, 1)->selected);
	CHECK(!pt_find_proc(&m, 79100)->selected);	/* a sibling */
	CHECK(!pt_find_proc(&m, 490)->selected);
	CHECK(pt_select_pid(&m, 491, &e) == 0);		/* a thread id */
	CHECK(pt_find_proc(&m, 490)->selected && !pt_find_proc(&m, 79020)->selected);
	CHECK(pt_select_pid(&m, 12345, &e) == -1 && strstr(e.msg, "12345"));
	CHECK(pt_select_ns(&m, 4026532201ULL, &e) == 0);
	CHECK(pt_find_proc(&m, 79020)->selected && pt_find_proc(&m, 79100)->selected);
	CHECK(!pt_find_proc(&m, 78999)->selected && !pt_find_proc(&m, 1)->selected);
	CHECK(pt_select_ns(&m, 4026532300ULL, &e) == 0);
	CHECK(pt_find_proc(&m, 79100)->selected && !pt_find_proc(&m, 79020)->selected);
	CHECK(pt_select_ns(&m, 42, &e) == -1);
	pt_model_free(&m);
}

static void test_reaper(void)
{
	struct pt_model m;
	struct pt_error e;
	enum pt_reaper_rule rule;

	CHECK(load(tree_text, &m, &e) == 0);
	/* helper's children go to the subreaper shim */
	CHECK(pt_new_reaper(&m, pt_find_proc(&m, 79001), &rule) ==
	      pt_find_proc(&m, 78999) && rule == PT_RULE_SUBREAPER);
	/* the subreaper is not in the container's namespace: its init */
	CHECK(pt_new_reaper(&m, pt_find_proc(&m, 79054), &rule) ==
	      pt_find_proc(&m, 79020) && rule == PT_RULE_NS_INIT);
	/* no has_child_subreaper: straight to init */
	CHECK(pt_new_reaper(&m, pt_find_proc(&m, 490), &rule) ==
	      pt_find_proc(&m, 1) && rule == PT_RULE_NS_INIT);
	CHECK(pt_new_reaper(&m, pt_find_proc(&m, 79020), &rule) == NULL &&
	      rule == PT_RULE_NS_DIES);
	/* agrees with the kernel's answer in the reaper column */
	CHECK(pt_find_task(&m, 79002)->reaper == 78999);
	CHECK(pt_find_task(&m, 79080)->reaper == 79020);
	pt_model_free(&m);
}

static void test_util(void)
{
	struct pt_task t = { .pid = 79100, .level = 2 };
	pid_t pids[] = { 79100, 20, 1 };
	char buf[PT_PIDS_BUFSZ];

	t.nspids = pids;
	CHECK(strcmp(pt_pids(&t, PT_PIDS_TREE, buf, sizeof(buf)), "79100 [20,1]") == 0);
	CHECK(strcmp(pt_pids(&t, PT_PIDS_LIST, buf, sizeof(buf)), "79100,20,1") == 0);
	t.level = 0;
	CHECK(strcmp(pt_pids(&t, PT_PIDS_TREE, buf, sizeof(buf)), "79100") == 0);
	*pt_itoa(buf, -2147483647LL - 1) = '\0';
	CHECK(strcmp(buf, "-2147483648") == 0);
	*pt_itoa(buf, LLONG_MIN) = '\0';
	CHECK(strcmp(buf, "-9223372036854775808") == 0);
	*pt_utoa(buf, ULLONG_MAX) = '\0';
	CHECK(strcmp(buf, "18446744073709551615") == 0);
	*pt_utoa(buf, 0) = '\0';
	CHECK(strcmp(buf, "0") == 0);
}

/* Run @fn on a writer into memory; returns the text (free it). */
static char *json_of(void (*fn)(struct jsonw *), unsigned int flags)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	struct jsonw *w = jsonw_new(f, flags);

	fn(w);
	CHECK(jsonw_destroy(w) == 0);
	fclose(f);
	return buf;
}

static void json_types(struct jsonw *w)
{
	jsonw_start_object(w);
	jsonw_int_field(w, "i", LLONG_MIN);
	jsonw_uint_field(w, "u", ULLONG_MAX);
	jsonw_bool_field(w, "t", true);
	jsonw_bool_field(w, "f", false);
	jsonw_null_field(w, "n");
	jsonw_string_field(w, "e", "");
	jsonw_name(w, "a");
	jsonw_start_array(w);
	jsonw_start_object(w);
	jsonw_end_object(w);
	jsonw_start_array(w);
	jsonw_end_array(w);
	jsonw_int(w, -1);
	jsonw_start_object(w);
	jsonw_string_field(w, "k\"ey", "v");
	jsonw_end_object(w);
	jsonw_end_array(w);
	jsonw_end_object(w);
}

static void json_escapes(struct jsonw *w)
{
	jsonw_start_array(w);
	/* every C0 control, DEL, quote, backslash */
	jsonw_string(w, "\x01\x02\x03\x04\x05\x06\x07\b\t\n\x0b\f\r\x0e\x0f"
		     "\x10\x11\x12\x13\x14\x15\x16\x17\x18\x19\x1a\x1b\x1c\x1d\x1e\x1f"
		     "\x7f\"\\/");
	/* valid: é, C1 U+0085, U+2028, U+2029, € U+20AC, U+10FFFF, 😀 */
	jsonw_string(w, "\xc3\xa9\xc2\x85\xe2\x80\xa8\xe2\x80\xa9\xe2\x82\xac"
		     "\xf4\x8f\xbf\xbf\xf0\x9f\x98\x80");
	/* invalid: lone continuation, 0xff, overlong '/', surrogate, above
	 * U+10FFFF, truncated at the end: one U+FFFD per byte */
	jsonw_string(w, "a\x80" "b\xff" "c\xc0\xaf" "d\xed\xa0\x80" "e\xf4\x90\x80\x80"
		     "f\xe2\x82");
	jsonw_end_array(w);
}

static void json_lines(struct jsonw *w)
{
	jsonw_start_object(w);
	jsonw_name(w, "tasks");
	jsonw_start_array(w);
	jsonw_start_object(w);
	jsonw_name(w, "children");
	jsonw_start_array(w);
	jsonw_start_object(w);
	jsonw_end_object(w);
	jsonw_start_object(w);
	jsonw_end_object(w);
	jsonw_end_array(w);
	jsonw_end_object(w);
	jsonw_end_array(w);
	jsonw_end_object(w);
}

#define DEEP 100000

static void json_deep(struct jsonw *w)
{
	int i;

	for (i = 0; i < DEEP; i++) {
		jsonw_start_object(w);
		jsonw_name(w, "c");
	}
	jsonw_null(w);
	for (i = 0; i < DEEP; i++)
		jsonw_end_object(w);
}

static void test_json_writer(void)
{
	char *s;
	size_t i;
	bool all = true;

	s = json_of(json_types, 0);
	CHECK(strcmp(s, "{\"i\":-9223372036854775808,\"u\":18446744073709551615,"
		     "\"t\":true,\"f\":false,\"n\":null,\"e\":\"\","
		     "\"a\":[{},[],-1,{\"k\\\"ey\":\"v\"}]}\n") == 0);
	free(s);
	s = json_of(json_escapes, 0);
	CHECK(strcmp(s, "[\"\\u0001\\u0002\\u0003\\u0004\\u0005\\u0006\\u0007"
		     "\\b\\t\\n\\u000b\\f\\r\\u000e\\u000f\\u0010\\u0011\\u0012"
		     "\\u0013\\u0014\\u0015\\u0016\\u0017\\u0018\\u0019\\u001a"
		     "\\u001b\\u001c\\u001d\\u001e\\u001f\\u007f\\\"\\\\/\","
		     "\"\xc3\xa9\\u0085\\u2028\\u2029\xe2\x82\xac\xf4\x8f\xbf\xbf"
		     "\xf0\x9f\x98\x80\","
		     "\"a\xef\xbf\xbd" "b\xef\xbf\xbd" "c\xef\xbf\xbd\xef\xbf\xbd"
		     "d\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd"
		     "e\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd"
		     "f\xef\xbf\xbd\xef\xbf\xbd\"]\n") == 0);
	if (strncmp(s, "[\"\\u0001", 8))
		printf("#   got %s", s);
	free(s);
	s = json_of(json_lines, JSONW_OBJECT_LINES);
	CHECK(strcmp(s, "{\"tasks\":[\n{\"children\":[\n{},\n{}]}]}\n") == 0);
	free(s);
	s = json_of(json_deep, JSONW_OBJECT_LINES);
	CHECK(strlen(s) == (size_t)DEEP * 6 + 5);
	for (i = 0; i < (size_t)DEEP; i++)
		all = all && memcmp(s + 5 * i, "{\"c\":", 5) == 0;
	CHECK(all);
	free(s);
}

/* The column table: names, lookup, and the values of a few cells. */
static void test_columns(void)
{
	const char *hdr = HDR2 + strlen("# pidns_tree 2 ");
	struct pt_opts o = { .sort = PT_COL_REAPER };
	const struct pt_task **list;
	struct pt_cellctx cx;
	struct pt_value v;
	struct pt_model m;
	struct pt_error e;
	char buf[PT_PIDS_BUFSZ];
	size_t n;
	int c;

	for (c = 0; c < PT_NR_COLUMNS; c++) {
		const struct pt_colinfo *ci = &pt_columns[c];
		size_t i, len = strlen(ci->name);

		CHECK(ci->help && *ci->help && strlen(ci->header) == len);
		for (i = 0; i < len; i++)
			CHECK(ci->header[i] == (char)toupper((unsigned char)ci->name[i]));
		CHECK(pt_column_by_name(ci->name, len) == c);
		CHECK(pt_column_by_name(ci->header, len) == c);
		if (ci->cflags & PT_CF_FILE) {
			/* the file columns, in the order of the format-2 header */
			CHECK(strncmp(hdr, ci->name, len) == 0 &&
			      (hdr[len] == ' ' || hdr[len] == '\n'));
			hdr += len + 1;
		}
	}
	CHECK(*hdr == '\0');
	CHECK(pt_column_by_name("PiD", 3) == PT_COL_PID);
	CHECK(pt_column_by_name("pid,ppid", 3) == PT_COL_PID);
	CHECK(pt_column_by_name("bogus", 5) == -1);
	CHECK(pt_column_by_name("", 0) == -1);

	CHECK(load(HDR "1 1 0 0 0 S 0 " HOST " 0 1 S 1 init\n"
		   "5 5 1 1 0 s - 4026532201 1 5,1 Z 1 a\\040b\n"
		   "6 5 1 1 1 s - 4026532201 1 6,2 t 0 th\n"
		   "7 7 5 5 0 s 1 4026532201 1 7,3 S 0 c\n", &m, &e) == 0);
	cx = (struct pt_cellctx){ .m = &m, .tree = true, .folded = true };
	pt_cell_value(&cx, pt_find_task(&m, 5), PT_COL_PID, &v);
	CHECK(strcmp(pt_value_text(&v, buf, sizeof(buf)), "5 [1]") == 0);
	pt_cell_value(&cx, pt_find_task(&m, 5), PT_COL_NOTES, &v);
	CHECK(strcmp(v.s, "ns init, zombie, 2 threads, thread 6 traced by 1 (init)") == 0);
	pt_cell_value(&cx, pt_find_task(&m, 6), PT_COL_REAPER, &v);
	CHECK(v.type == PT_V_NONE && pt_value_text(&v, buf, sizeof(buf)) == NULL);
	pt_cell_value(&cx, pt_find_task(&m, 6), PT_COL_COMMAND, &v);
	CHECK(strcmp(v.s, "{th}") == 0);
	cx = (struct pt_cellctx){ .m = &m };
	pt_cell_value(&cx, pt_find_task(&m, 6), PT_COL_REAPER, &v);
	CHECK(v.type == PT_V_NULL && strcmp(pt_value_text(&v, buf, sizeof(buf)), "-") == 0);
	pt_cell_value(&cx, pt_find_task(&m, 6), PT_COL_NSPIDS, &v);
	CHECK(strcmp(pt_value_text(&v, buf, sizeof(buf)), "6,2") == 0);
	pt_cell_value(&cx, pt_find_task(&m, 6), PT_COL_THREAD, &v);
	CHECK(v.type == PT_V_BOOL && v.i == 1);
	pt_cell_value(&cx, pt_find_task(&m, 5), PT_COL_PIDNS, &v);
	CHECK(v.type == PT_V_UINT && v.u == 4026532201ULL);
	pt_cell_value(&cx, pt_find_task(&m, 5), PT_COL_COMM, &v);
	CHECK(strcmp(v.s, "a b") == 0);
	pt_cell_value(&cx, pt_find_task(&m, 6), PT_COL_THREADS, &v);
	CHECK(v.type == PT_V_INT && v.i == 2);

	/* --sort: '-' first, then numbers, ties in file order */
	list = pt_list_tasks(&m, &o, &n);
	CHECK(n == 4 && list[0]->pid == 5 && list[1]->pid == 6 &&
	      list[2]->pid == 1 && list[3]->pid == 7);
	free(list);
	o.sort = PT_COL_COMM;
	list = pt_list_tasks(&m, &o, &n);
	CHECK(n == 4 && list[0]->pid == 5 && list[1]->pid == 7 &&
	      list[2]->pid == 1 && list[3]->pid == 6);
	free(list);
	pt_model_free(&m);
}

/* One rule, the view as a parameter; pt_unescape() undoes PT_ESC_FILE. */
static void test_escape_views(void)
{
	static const char name[] = "a b\\c\n\"\x7f\xc2\x85\xff\xc3\xa9";
	static const struct { enum pt_esc how; const char *want; } v[] = {
		{ PT_ESC_TEXT, "a b\\134c\\012\"\\177\\302\\205\\377\xc3\xa9" },
		{ PT_ESC_RAW,  "a\\040b\\134c\\012\"\\177\\302\\205\\377\xc3\xa9" },
		{ PT_ESC_DOT,  "a b\\\\134c\\\\012\\\"\\\\177\\\\302\\\\205\\\\377\xc3\xa9" },
		{ PT_ESC_FILE, "a\\040b\\134c\\012\"\\177\xc2\x85\xff\xc3\xa9" },
		{ PT_ESC_JSON, "a b\\\\c\\n\\\"\\u007f\\u0085\xef\xbf\xbd\xc3\xa9" },
	};
	char all[256], *buf = NULL, *out = NULL;
	size_t i, sz = 0, len;

	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		const char *got = pt_escaped(name, v[i].how, &buf, &sz);

		CHECK(strcmp(got, v[i].want) == 0);
		if (strcmp(got, v[i].want))
			fprintf(stderr, "#   style %d: %s\n", (int)v[i].how, got);
	}
	CHECK(pt_escaped("plain", PT_ESC_TEXT, &buf, &sz) != buf);
	/* every byte but NUL survives PT_ESC_FILE and pt_unescape() */
	for (i = 1; i < 256; i++)
		all[i - 1] = (char)i;
	all[255] = '\0';
	out = strdup(pt_escaped(all, PT_ESC_FILE, &buf, &sz));
	CHECK(pt_unescape(out, strlen(out), &len) == 0 && len == 255 &&
	      memcmp(out, all, 255) == 0);
	free(out);
	out = strdup("a\\400");
	CHECK(pt_unescape(out, strlen(out), &len) == PT_UNESC_BAD && len == 1);
	strcpy(out, "\\000");
	CHECK(pt_unescape(out, strlen(out), &len) == PT_UNESC_NUL);
	strcpy(out, "a\tb");
	CHECK(pt_unescape(out, strlen(out), &len) == PT_UNESC_CONTROL && len == 1);
	free(out);
	free(buf);
}

static void test_escape(void)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	pt_fputs_escaped("a\"b\\c\nd\xff\xc3\xa9", false, f);
	fputc('|', f);
	pt_fputs_escaped("a\"b\\c\nd", true, f);
	fclose(f);
	CHECK(strcmp(buf, "a\"b\\134c\\012d\\377\xc3\xa9|a\\\"b\\\\134c\\\\012d") == 0);
	free(buf);
	test_escape_views();
}

/*
 * "unit --watch-diff BEFORE AFTER": the lines --watch would print for two
 * captures, without timestamps (run-tests.sh compares them with
 * tests/expected/).
 */
static int watch_diff(const char *before, const char *after)
{
	struct pt_changes ch = { 0 };
	struct pt_model m[2];
	const char *path[2] = { before, after };
	struct pt_error e;
	size_t i, len;
	char *buf;
	FILE *f;

	for (i = 0; i < 2; i++) {
		f = fopen(path[i], "r");
		if (!f || pt_read_fd(fileno(f), &buf, &len, &e) < 0) {
			perror(path[i]);
			return 2;
		}
		fclose(f);
		if (load(buf, &m[i], &e)) {
			fprintf(stderr, "%s: line %zu: %s\n", path[i], e.line, e.msg);
			return 1;
		}
		free(buf);
	}
	pt_watch_diff(&m[0], &m[1], &ch);
	for (i = 0; i < ch.n; i++)
		pt_change_print(&ch.v[i], stdout);
	pt_changes_free(&ch);
	pt_model_free(&m[0]);
	pt_model_free(&m[1]);
	return 0;
}

int main(int argc, char **argv)
{
	static const struct {
		const char *name;
		void (*fn)(void);
	} tests[] = {
		{ "unit: parse all fields of a line", test_parse_fields },
		{ "unit: comm octal escapes are undone", test_unescape },
		{ "unit: bad comm escapes are rejected", test_bad_escapes },
		{ "unit: the cgroup column, and input without it", test_cgroup },
		{ "unit: container runtimes' cgroup paths, and others", test_ct_paths },
		{ "unit: header columns by name, errors", test_header },
		{ "unit: format 2: id, seq_before, seq_after", test_format2 },
		{ "unit: CR, empty comm, field counts", test_lines },
		{ "unit: event stream lines: each kind, '?', statuses, errors", test_events },
		{ "unit: number ranges and field syntax", test_numbers },
		{ "unit: threads, roots, parent gone, depth, ns parents", test_model },
		{ "unit: cycles, duplicates, ns level conflicts", test_model_errors },
		{ "unit: pid hash with 50000 spread pids, deep chain", test_hash },
		{ "unit: --pid and --ns selection", test_select },
		{ "unit: find_new_reaper rules", test_reaper },
		{ "unit: pid lists and number formatting", test_util },
		{ "unit: JSON writer: types, escapes, bad UTF-8, 100000 deep", test_json_writer },
		{ "unit: column table: names, file order, values, sort", test_columns },
		{ "unit: escaping for humans and DOT", test_escape },
	};
	size_t i;
	int failed = 0;

	if (argc == 4 && strcmp(argv[1], "--watch-diff") == 0)
		return watch_diff(argv[2], argv[3]);
	for (i = 0; i < sizeof(tests) / sizeof(tests[0]); i++) {
		ok = true;
		tests[i].fn();
		printf("%s - %s\n", ok ? "ok" : "not ok", tests[i].name);
		failed += !ok;
	}
	return failed ? 1 : 0;
}
