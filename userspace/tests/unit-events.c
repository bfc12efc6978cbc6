// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * unit-events.c - unit tests of snapshot format 2 and of the event
 * stream's lines (run by unit.c)
 */
#include <stdio.h>
#include <string.h>

#include "events.h"
#include "unit.h"

/*
 * Format 2: the id column, "# seq_before N" second, "# seq_after N" last,
 * other '#' lines skipped; format 1 without them.
 */
void test_format2(void)
{
	const char *t1 = "1 1 0 0 0 - 0 " HOST " 0 1 S 1 ? ? ? 1 7 init\n";
	const char *t2 = "2 2 1 1 0 - 1 " HOST " 0 2 S 0 1 init 0 1 0 a\n";
	struct pt_model m;
	struct pt_error e;
	char text[1024];

	snprintf(text, sizeof(text), HDR2 "# seq_before 1200\n%s# later\n%s"
		 "# seq_after 1234\n", t1, t2);
	CHECK(load(text, &m, &e) == 0);
	CHECK(m.snap.version == 2 && m.snap.has_id && m.snap.has_seq &&
	      m.snap.seq_before == 1200 && m.snap.seq_after == 1234);
	CHECK(m.snap.nr_tasks == 2 && m.snap.tasks[0].id == 7 &&
	      m.snap.tasks[1].id == 0 && !strcmp(m.snap.tasks[1].comm, "a"));
	pt_model_free(&m);
	/* a v1 capture: no id (unknown), no seq lines, '#' lines skipped */
	CHECK(load(HDR "# seq_before x\n1 1 0 0 0 - 0 " HOST " 0 1 S 1 init\n",
		   &m, &e) == 0);
	CHECK(m.snap.version == 1 && !m.snap.has_id && !m.snap.has_seq &&
	      m.snap.nr_tasks == 1 && m.snap.tasks[0].id == 0);
	pt_model_free(&m);
	snprintf(text, sizeof(text), HDR2 "# seq_before 0\n# seq_after 0\n");
	CHECK(load(text, &m, &e) == 0 && m.snap.nr_tasks == 0);
	pt_model_free(&m);

	bad(HDR2, 2, "no '# seq_before N' line");
	snprintf(text, sizeof(text), HDR2 "%s# seq_after 3\n", t1);
	bad(text, 2, "the second line is not '# seq_before N'");
	snprintf(text, sizeof(text), HDR2 "# seq_before 3\n%s", t1);
	bad(text, 3, "the last line is not '# seq_after N'");
	snprintf(text, sizeof(text), HDR2 "# seq_before 3\n# seq_after 4\n%s", t1);
	bad(text, 3, "'# seq_after' is not the last line");
	snprintf(text, sizeof(text), HDR2 "# seq_before 3\n%s# seq_before 3\n"
		 "# seq_after 4\n", t1);
	bad(text, 4, "'# seq_before' is not the second line");
	snprintf(text, sizeof(text), HDR2 "# seq_before 5\n%s# seq_after 4\n", t1);
	bad(text, 4, "seq_after 4 is below seq_before 5");
	bad(HDR2 "# seq_before -1\n# seq_after 4\n", 2,
	    "'# seq_before -1': not a sequence number");
	bad(HDR2 "# seq_before 1 2\n# seq_after 4\n", 2,
	    "'# seq_before 1 2': not a sequence number");
	bad(HDR2 "# seq_before 1\n# seq_after 18446744073709551616\n", 3,
	    "not a sequence number");
	bad(HDR2 "# seq_before 1\n# seq_after 4", 3, "truncated line");
	bad(HDR2 "# seq_before 1\n1 1 0 0 0 - 0 " HOST " 0 1 S 1 ? ? ? 1 x init\n"
	    "# seq_after 4\n", 3, "id 'x' is not a process id");
	bad(HDR2 "# seq_before 1\n1 1 0 0 0 - 0 " HOST " 0 1 S 1 ? ? ? 1 ? init\n"
	    "# seq_after 4\n", 3, "id '?' is not a process id");
}

/* One stream line after @hdr; returns pt_ev_parse()'s result. */
static int ev_line(const char *hdr, const char *line, struct pt_event *ev,
		   struct pt_error *e, char *buf)
{
	struct pt_evstream st;

	strcpy(buf, hdr);
	if (pt_ev_header(&st, buf, strlen(buf), e))
		return -2;
	strcpy(buf, line);
	return pt_ev_parse(&st, buf, strlen(buf), ev, e);
}

static void ev_bad(const char *line, const char *msg)
{
	struct pt_event ev;
	struct pt_error e;
	char buf[512];

	memset(&e, 0, sizeof(e));
	if (ev_line("# pidns_tree_events 1 10", line, &ev, &e, buf) != -1)
		printf("#   %s: accepted\n", line);
	if (!strstr(e.msg, msg) || e.line != 2)
		printf("#   %s: got line %zu: %s\n#   want: %s\n", line, e.line, e.msg, msg);
	CHECK(e.line == 2 && strstr(e.msg, msg));
}

/* The lines of /proc/pidns_tree_events, each kind, and what is refused. */
void test_events(void)
{
	const char *h1 = "# pidns_tree_events 1 10";
	static const unsigned int statuses[] = { 0, 256, 0xff00, 9, 139, 0x7e };
	struct pt_evstream st;
	struct pt_event ev;
	struct pt_error e;
	char buf[512];
	size_t i;

	CHECK(ev_line(h1, "11 5 fork 90 2003 2001 88 2002 89 4026532301 1 2003,1 new 1 a\\040b",
		      &ev, &e, buf) == 0);
	CHECK(ev.kind == PT_EV_FORK && ev.seq == 11 && ev.usec == 5 && ev.id == 90 &&
	      ev.pid == 2003 && ev.ppid == 2001 && ev.parent_id == 88 &&
	      ev.caller == 2002 && ev.caller_id == 89 && ev.pidns == 4026532301ULL &&
	      ev.level == 1 && ev.nspids[1] == 1 && ev.ns == PT_EV_NS_NEW &&
	      ev.cgroup == 1 && !strcmp(ev.comm, "a b"));
	CHECK(ev_line(h1, "11 5 exec 90 2003 9876 \\000", &ev, &e, buf) == 0 &&
	      ev.kind == PT_EV_EXEC && ev.cgroup == 9876 && !*ev.comm);
	CHECK(ev_line(h1, "11 5 reap 90 2003 ? ?", &ev, &e, buf) == 0 &&
	      ev.kind == PT_EV_REAP && !ev.parent_known);
	CHECK(ev_line(h1, "11 5 reap 90 2003 0 0", &ev, &e, buf) == 0 &&
	      ev.parent_known && ev.ppid == 0);
	CHECK(ev_line(h1, "11 5 adopt 90 2003 2001 88 ? ? ? ?", &ev, &e, buf) == 0 &&
	      ev.kind == PT_EV_ADOPT && !ev.parent_known && ev.rule == PT_EV_RULE_UNKNOWN &&
	      ev.old_ppid == 2001 && ev.old_id == 88);
	CHECK(ev_line(h1, "11 5 adopt 90 2003 2001 88 1 1 init 4026531836", &ev, &e, buf) == 0 &&
	      ev.rule == PT_EV_RULE_INIT && ev.ppid == 1 && ev.pidns == 4026531836ULL);
	CHECK(ev_line(h1, "11 5 lost 17", &ev, &e, buf) == 0 &&
	      ev.kind == PT_EV_LOST && ev.lost == 17);
	CHECK(ev_line(h1, "11 5 frob ? ? ?", &ev, &e, buf) == 0 &&
	      ev.kind == PT_EV_UNKNOWN && !strcmp(ev.name, "frob"));
	for (i = 0; i < sizeof(statuses) / sizeof(statuses[0]); i++) {
		snprintf(buf + 256, 64, "11 5 exit 90 2003 %u", statuses[i]);
		CHECK(ev_line(h1, buf + 256, &ev, &e, buf) == 0 && ev.status == statuses[i]);
	}
	/* a later version: fields added at the end, before COMM */
	CHECK(ev_line("# pidns_tree_events 2 10", "11 5 exec 90 2003 9876 new x",
		      &ev, &e, buf) == 0 && !strcmp(ev.comm, "x") && ev.cgroup == 9876);
	CHECK(ev_line("# pidns_tree_events 2 10", "11 5 exit 90 2003 0 more",
		      &ev, &e, buf) == 0 && ev.status == 0);

	ev_bad("11 5 exit 90 2003 0x7f", "STATUS '0x7f' is not a number");
	ev_bad("11 5 exit 90 2003 127", "not a wait status");
	ev_bad("11 5 exit 90 2003 384", "not a wait status");
	ev_bad("11 5 exit 90 2003 65536", "is not a number from 0 to 65535");
	ev_bad("11 5 exit 90 0 0", "PID '0' is not a PID (a decimal number > 0)");
	ev_bad("11 5 exec 90 2003 1 a b", "exec: 8 fields, format 1 has 7");
	ev_bad("11 5 fork 90 2003 2001 88 2002 89 4026532301 1 2003,1 new 1", "14 fields");
	ev_bad("11 5 fork 90 2003 2001 88 2002 89 4026532301 1 2003,2 new 1 x", "NS 'new' but its PID");
	ev_bad("11 5 fork 90 2003 2001 88 2002 89 4026532301 1 2004,1 - 1 x", "NSPIDS '2004,1'");
	ev_bad("11 5 fork 90 2003 2001 88 2002 89 0 0 2003 - 1 x", "PIDNS '0'");
	ev_bad("11 5 fork 90 2003 2001 88 2002 89 4026532301 0 2003 old 1 x", "NS 'old'");
	ev_bad("11 5 fork 90 2003 2001 88 2002 89 4026532301 33 2003 - 1 x", "LEVEL '33'");
	ev_bad("11 5 reap 90 2003 5 ?", "PARENT_ID '?' is not a number");
	ev_bad("11 5 adopt 90 2003 ? ? ? ? ? ?", "OLD_PPID '?'");
	ev_bad("11 5 adopt 90 2003 2001 88 1 1 ? 4026531836", "must be all '?' or none");
	ev_bad("11 5 exec ? 2003 1 x", "ID '?' is not a number");
	ev_bad("11 5 exec 90 2003 1 a\tb", "unescaped control byte 0x09");
	ev_bad("11 5 exec 90 2003 1 a\\000", "escaped NUL");
	ev_bad("10 5 lost 1", "SEQ 10 does not increase (after 10)");
	ev_bad("11 5", "2 fields: a line is SEQ USEC EVENT");
	ev_bad("11 5 lost 1\r", "carriage return");
	ev_bad("x 5 lost 1", "SEQ 'x'");

	strcpy(buf, "# pidns_tree_events 1 10 11");
	CHECK(pt_ev_header(&st, buf, strlen(buf), &e) == -1 && strstr(e.msg, "SEQ"));
	strcpy(buf, "# pidns_tree_events 0 10");
	CHECK(pt_ev_header(&st, buf, strlen(buf), &e) == -1 &&
	      strstr(e.msg, "unsupported stream version '0'"));
	strcpy(buf, "# pidns_tree 2 pid");
	CHECK(pt_ev_header(&st, buf, strlen(buf), &e) == -1 &&
	      strstr(e.msg, "not an event stream") && e.line == 1);
}

