#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# run-tests.sh - host tests of pidns-tree (no guest, no module needed)
#
# Prints KTAP/TAP with the kselftest totals line; exits 1 if a test failed.
# UPDATE=1 rewrites the expected outputs in tests/expected/ instead.

set -u
cd "$(dirname "$0")/.." || exit 1

BIN=./pidns-tree
FIX=tests/fixtures
EXP=tests/expected
TMP=$(mktemp -d) || exit 1
trap 'rm -rf "$TMP"' EXIT

export LC_ALL=C.UTF-8 TERM=dumb
unset NO_COLOR

n=0 pass=0 fail=0 skip=0
declare -a out=()

ok()   { n=$((n + 1)); pass=$((pass + 1)); out+=("ok $n $1"); }
skip() { n=$((n + 1)); skip=$((skip + 1)); out+=("ok $n $1 # SKIP $2"); }
not_ok() {
	n=$((n + 1)); fail=$((fail + 1)); out+=("not ok $n $1")
	shift
	local l
	while IFS= read -r l; do out+=("#   $l"); done <<< "$*"
}

# golden NAME EXPECTED_FILE CMD...: stdout must match, exit 0, no stderr
# Also printed a second time by libsmartcols alone: the same bytes, where
# libsmartcols has the width rules that table.c follows (2.38's).
SCOLS_VERSION=$(pkg-config --modversion smartcols 2> /dev/null)
case $SCOLS_VERSION in
2.38.*) SCOLS_SAME=1 ;;
*)	SCOLS_SAME=0
	skip "golden views compared with libsmartcols' own printing" \
		"libsmartcols ${SCOLS_VERSION:-of unknown version} is not 2.38, whose width rules table.c follows" ;;
esac
golden() {
	local name=$1 exp=$EXP/$2 rc
	shift 2
	"$@" > "$TMP/out" 2> "$TMP/err"
	rc=$?
	if [ "${UPDATE:-0}" = 1 ] && [ $rc = 0 ]; then
		cp "$TMP/out" "$exp"
	fi
	if [ $rc != 0 ] || [ -s "$TMP/err" ]; then
		not_ok "$name" "exit $rc: $(head -c 500 "$TMP/err")"
	elif ! diff -u "$exp" "$TMP/out" > "$TMP/diff" 2>&1; then
		not_ok "$name" "$(head -40 "$TMP/diff")"
	elif [ $SCOLS_SAME = 1 ] &&
	     ! (export PIDNS_TREE_PRINTER=libsmartcols; "$@") 2>&1 |
	     diff -u "$TMP/out" - > "$TMP/diff" 2>&1; then
		not_ok "$name" "printed otherwise by libsmartcols:" "$(head -40 "$TMP/diff")"
	else
		ok "$name"
	fi
}

# fails NAME RC MESSAGE CMD...: exit RC, MESSAGE on stderr, nothing on stdout
fails() {
	local name=$1 want=$2 msg=$3 rc
	shift 3
	"$@" > "$TMP/out" 2> "$TMP/err"
	rc=$?
	if [ $rc != "$want" ]; then
		not_ok "$name" "exit $rc, want $want: $(head -c 300 "$TMP/err")"
	elif ! grep -qF -- "$msg" "$TMP/err"; then
		not_ok "$name" "stderr: $(head -c 300 "$TMP/err")" "want: $msg"
	elif [ -s "$TMP/out" ]; then
		not_ok "$name" "printed output although it failed"
	else
		ok "$name"
	fi
}

# warns NAME MESSAGE CMD...: exit 0, output, and one line on stderr: MESSAGE
warns() {
	local name=$1 msg=$2 rc
	shift 2
	"$@" > "$TMP/out" 2> "$TMP/err"
	rc=$?
	if [ $rc != 0 ]; then
		not_ok "$name" "exit $rc: $(head -c 300 "$TMP/err")"
	elif [ "$(wc -l < "$TMP/err")" != 1 ] || ! grep -qF -- "$msg" "$TMP/err"; then
		not_ok "$name" "stderr: $(head -c 300 "$TMP/err")" "want one line: $msg"
	elif ! [ -s "$TMP/out" ]; then
		not_ok "$name" "no output"
	else
		ok "$name"
	fi
}

# check NAME CMD...: the command must succeed
check() {
	local name=$1
	shift
	if "$@" > "$TMP/check" 2>&1; then
		ok "$name"
	else
		not_ok "$name" "$(head -20 "$TMP/check")"
	fi
}

M="$BIN -F $FIX/multins.txt"
E="$BIN -F $FIX/escaped.txt"

# --- unit tests -----------------------------------------------------------
while IFS= read -r l; do
	case $l in
	"ok - "*)	ok "${l#ok - }" ;;
	"not ok - "*)	not_ok "${l#not ok - }" "$diag" ;;
	"#"*)		diag="${diag:-}$l"$'\n'; continue ;;
	"unit-exit 0")	;;
	"unit-exit "*)	[ $fail = 0 ] && not_ok "unit: test binary ran to the end" "$l" ;;
	esac
	diag=
done < <(tests/unit 2>&1; echo "unit-exit $?")

# --- every view on the multi-namespace, subreaper, ptrace, zombie fixture --
golden "tree: namespaces, init, subreaper, tracer, zombie, orphans" multins.tree $M
golden "tree --ascii" multins.tree-ascii $M --ascii
golden "tree --threads shows threads" multins.tree-threads $M --threads
golden "tree --pid: subtree and ancestors" multins.tree-pid $M --pid 79070 --threads
golden "tree --ns: one namespace and below" multins.tree-ns $M --ns 'pid:[4026532201]'
golden "tree --noheadings" multins.tree-noheadings $M -n --ns 4026532300
FILECOLS=PID,TGID,PPID,PARENT,TRACER,SUB,REAPER,PIDNS,LEVEL,NSPIDS,STATE,INIT,COMM
golden "list: the file's columns" multins.table $M -l -o $FILECOLS
golden "list: the default columns" multins.list $M -l
golden "list --output --raw --noheadings" multins.table-raw \
	$M -l --output pid,PPID,reaper,nspids,comm --raw --noheadings
golden "list --ns" multins.table-ns $M -l --ns 4026532300 -o pid,pidns,level,nspids,comm
golden "json" multins.json $M -J
golden "json --pid" multins.json-pid $M -J --pid 79002
golden "dot" multins.dot $M --dot
golden "explain: traced process, parent is ns init" multins.explain-79070 $M --explain 79070
golden "explain: reaper is a subreaper" multins.explain-79002 $M --explain 79002
golden "explain: namespace init" multins.explain-79020 $M --explain 79020
golden "explain: parent gone" multins.explain-5000 $M --explain 5000
golden "explain: thread" multins.explain-79071 $M --explain 79071
golden "explain: setns'd child of a host process" multins.explain-79200 $M --explain 79200

# --- escaped names: spaces, newlines, tabs, backslashes, bad UTF-8 --------
golden "escaped names: tree" escaped.tree $E
golden "escaped names: list" escaped.table $E -l -o pid,comm
golden "escaped names: json" escaped.json $E -J
golden "escaped names: dot" escaped.dot $E --dot
golden "escaped names: explain" escaped.explain-16 $E --explain 16

# --- first parents: a capture of make demo's container scenario ----------
# (the fixtures above are captures of a module without these columns)
O="$BIN -F $FIX/origin.txt"
golden "origin: the tree names an adopted init's first parent" origin.tree $O --pid 183
golden "origin: dot, the exited first parent a dashed ghost, the adoption's rule" \
	origin.dot $O --dot --pid 183
if command -v dot > /dev/null; then
	check "origin: graphviz reads the dot with ghosts" bash -c "$O --dot | dot -Tsvg > /dev/null"
else
	skip "origin: graphviz reads the dot with ghosts" "no dot (graphviz)"
fi
golden "origin: list, ? where unknown" origin.list \
	$O -l -o pid,ppid,origin,origin_comm,adopted,comm --pid 185
golden "origin: json, null where unknown" origin.json \
	$O -J -l -o pid,origin,origin_comm,adopted --pid 185
golden "origin: explain the container init: made by runtime, adopted by the shim" \
	origin.explain-185 $O --explain 185
golden "origin: explain a process its parent made" origin.explain-186 $O --explain 186
golden "origin: explain a process older than the module" origin.explain-3 $O --explain 3
golden "origin: the empty name, and a process named ?" origin-names.json \
	$BIN -F $FIX/origin-names.txt -J -l -o pid,origin,origin_comm,adopted,comm

# --- --explain in the container cases: facts as JSON, then the prose ------
# explain.snap: a host with docker (init, its child and thread, a
# grandchild, a docker exec'd process, runc mid-start), podman with crun,
# a first parent's number reused, a parent not listed.  explain-inside.txt:
# the same container read from inside (ppid 0 above).
X="$BIN -F $FIX/explain.snap"
XI="$BIN -F $FIX/explain-inside.txt"
for p in 1 2 110 112 114 116 118 142 202 300; do
	golden "explain: case $p (explain.snap)" explain.explain-$p $X --explain $p
done
for p in 1 8; do
	golden "explain: read inside the container, pid $p" explain-inside.explain-$p $XI --explain $p
done
golden "explain -J: the facts of the docker exec'd process" explain.json-118 $X --explain 118 -J
# xj NAME PID JQ-EXPR [READER]: --explain PID -J satisfies JQ-EXPR
xj() {
	local name=$1 pid=$2 expr=$3 r=${4:-$X}
	if ! command -v jq > /dev/null; then
		skip "$name" "no jq"
		return
	fi
	check "$name" bash -c "$r --explain $pid -J | jq -e '$expr'"
}
xj "explain -J: docker exec'd process: adopted by the shim as subreaper in the host's ns; next the host's init, not its own ns" 118 \
	'.parent.entered_from_outside and .adopted_by.pid == 110 and .adopted_by.rule == "subreaper" and
	 .adopted_by.own_pidns == false and .if_parent_exits.pid == 1 and .if_parent_exits.pidns == 4026531836 and
	 .if_parent_exits.own_pidns == false and .if_parent_exits.rule == "namespace-init"'
xj "explain -J: container init: the shim across the boundary; next the host's init" 112 \
	'(.parent.entered_from_outside | not) and .init and .if_parent_exits.pid == 1 and
	 .if_parent_exits.own_pidns == false and .if_it_exits.fate == "namespace-dies" and .container.label == "docker cccccccccccc"'
xj "explain -J: a subreaper search that stopped at the namespace boundary" 116 \
	'.if_parent_exits.pid == 112 and .if_parent_exits.own_pidns and .if_parent_exits.stopped_at_boundary.pid == 110'
xj "explain -J: PID 1: nothing adopts it, its exit panics" 1 \
	'.parent.where == "idle-task" and .if_parent_exits.fate == "nobody" and .if_it_exits.fate == "panic"'
xj "explain -J: kthreadd: nothing adopts it" 2 '.parent.where == "idle-task" and .if_parent_exits.fate == "nobody"'
xj "explain -J: a first parent whose number was reused" 110 \
	'.first_parent.pid == 100 and .first_parent.comm == "containerd" and .first_parent.pid_reused and .first_parent.exited'
check "explain: the live process with the reused number is never named" bash -c "
	! $X --explain 110 | tr '\n' ' ' | grep -q '(dockerd)'"
xj "explain -J: a thread was created by a thread of its process" 114 '.thread and .parent.how == "thread"'
xj "explain -J: a parent not listed: no adoption asserted" 300 \
	'.parent.where == "not-listed" and .if_parent_exits.fate == "unknown" and .adopted_by == null'
xj "explain -J: memfd:crun_clon is explained" 202 '.kernel_names[0].name == "memfd:crun_clon"'
xj "explain -J: runc's stage names are explained" 142 '[.kernel_names[].name] == ["runc:[2:INIT]"]'
xj "explain -J, inside: an exec'd process, parent above" 8 \
	'.parent.where == "outside" and .parent.entered_from_outside and .if_parent_exits.fate == "outside"' "$XI"
xj "explain -J, inside: the init, parent above" 1 \
	'.parent.where == "outside" and (.parent.entered_from_outside | not) and .if_it_exits.fate == "namespace-dies"' "$XI"
fails "explain -J with --dot is refused" 1 "mutually exclusive arguments" $X --explain 1 -J --dot

# --- format 2: the id column, seq_before and seq_after ----------------------
V2="$BIN -F $FIX/events-docker.snap"
sed -n '/^# pidns_tree 2 /,$p' $FIX/events-docker.snap > "$TMP/v2-plain.txt"
golden "format 2: the ID column, the same in a process's threads" v2.list \
	$V2 -l -o pid,id,cgroup,comm
golden "format 2: json, seq_before and seq_after before the tasks" v2.json $V2 -J -o pid,id,comm
golden "format 1: ID is ? (unknown)" v1.list-id $BIN -F $FIX/origin.txt -l -o pid,id,comm --pid 185
$V2 --save "$TMP/v2.snap" > /dev/null 2>&1
check "format 2: --save keeps the seq_before and seq_after lines" bash -c "
	sed -n '/^# pidns_tree 2 /,\$p' '$TMP/v2.snap' | cmp -s - <(sed -n '/^# pidns_tree 2 /,\$p' $FIX/events-docker.snap) &&
	sed -n '7p' '$TMP/v2.snap' | grep -qx '# seq_before 5120' && tail -1 '$TMP/v2.snap' | grep -qx '# seq_after 5120'"

# --- --watch: the lines for two captures, from the diff the loop uses ------
# (tests/unit --watch-diff BEFORE AFTER prints them without the timestamp)
watch_diff() { golden "$1" "watch-$2" tests/unit --watch-diff "$FIX/watch-$3.txt" "$FIX/watch-$4.txt"; }
watch_diff "watch: start, exit, subreaper on/off, traced/untraced, a tracer change" \
	events events.0 events.1
watch_diff "watch: adopted by a subreaper, by init, by a sibling thread, born adopted" \
	adopt adopt.0 adopt.1
watch_diff "watch: a reused pid is exit + start; exec alone is nothing" reuse reuse.0 reuse.1
watch_diff "watch: thread-only changes print nothing" threads threads.0 threads.1
watch_diff "watch: no change prints nothing" none events.1 events.1
fails "watch: --input is refused" 1 \
	"--watch reads the live /proc/pidns_tree only; it cannot read --input '$FIX/multins.txt'" \
	$BIN --watch -F $FIX/multins.txt
fails "watch: --input before --watch too" 1 "it cannot read --input '-'" $BIN -F - --watch 0.2
for v in 0 0.0 0.009 -1 abc '' . 1.2.3 1e3 0x10 86401 ' 1' 0,2; do
	fails "watch: bad interval '$v'" 1 "--watch: '$v' is not a number of seconds" \
		$BIN --watch "$v"
done
fails "watch: bad interval --watch=-0.5" 1 "--watch: '-0.5' is not a number" $BIN --watch=-0.5
fails "watch: with --list" 1 "mutually exclusive arguments: --list --watch" $BIN -l --watch
fails "watch: with --ns" 1 "mutually exclusive arguments: --watch --ns" $BIN --watch 2 --ns 1
fails "watch: --events with --raw" 1 "mutually exclusive arguments: --raw --events" $BIN -r --events x
fails "watch: --events needs -F" 1 "--events needs -F: the snapshot read after the stream was opened" \
	$BIN --watch --events "$FIX/events-docker.events"
fails "watch: --events and -F cannot both be stdin" 1 "--events and --input cannot both read stdin" \
	$BIN --events - -F -
fails "watch: with --list and --output" 1 "mutually exclusive arguments: --output --watch" \
	$BIN -l -o pid --watch
if [ -e /proc/pidns_tree ]; then
	skip "watch: missing module: the reader's message, exit 2" "/proc/pidns_tree exists"
else
	for v in "" " 0.2" "=0.5" " 2." " .01" " 86400" " -J" " --pid 1" " --container x"; do
		fails "watch: --watch$v is accepted; missing module: exit 2" 2 \
			"/proc/pidns_tree: not found: the pidns_tree module is not loaded" \
			$BIN --watch$v
	done
fi

# --- --watch on the event stream, replayed from saved streams ---------------
# (the clock offset hook makes the times 12:00:00.000 at the first event of
# events-docker.events, in UTC)
EV="env TZ=UTC PIDNS_TREE_CLOCK_OFFSET=1765107887654322 $BIN --watch"
EVD="$EV --events $FIX/events-docker.events"
EVL="$EV --events $FIX/events-late.events -F $FIX/events-late.snap"
EVA="$EV --events $FIX/events-adopt.events -F $FIX/events-docker.snap"
golden "events: the format's EXAMPLE, docker run: CLONE_PARENT into a new pidns, exec, runc exits, the shim adopts" \
	events-docker $EVD -F $FIX/events-docker.snap
golden "events: adoption by init and by ?, a reused PID with a new id, lost, an unknown event ignored" \
	events-adopt $EVA
golden "events: those up to seq_before skipped; a new pidns entered (join); killed by SIGKILL" \
	events-late $EVL
tail -n +2 $EXP/events-docker > "$TMP/events-mid.exp"
$EVD -F $FIX/events-mid.snap > "$TMP/events-mid.out" 2>&1
check "events: a fork and an exec the snapshot already shows apply idempotently (no second process)" \
	cmp "$TMP/events-mid.exp" "$TMP/events-mid.out"
# a fork the snapshot shows already keeps the snapshot's later name and
# cgroup (cgroup moves are no events: runc moves the init into the
# container's cgroup)
grep -v '^5141 ' $FIX/events-docker.events > "$TMP/no-exec.events"
check "events: a fork the snapshot shows already keeps its later name and cgroup" bash -c "
	$EV --events '$TMP/no-exec.events' -F $FIX/events-mid.snap |
	grep -qx '12:00:00.044 adopt sh 2003 (pid 1 in docker demo) from runc 2001 (exited) to containerd-shim 1990: child subreaper'"
golden "events --pid: the subtree, and a child adopted out of it stays followed" \
	events-late.pid-2001 $EVL --pid 2001
golden "events --container: its processes, the entered one included" \
	events-late.container $EVL --container demo
golden "events -J: one JSON object per event" events-docker.json $EVD -F $FIX/events-docker.snap -J
golden "events -J: '?' is null, signals by name" events-adopt.json $EVA -J
if command -v python3 > /dev/null; then
	check "events -J: every line is a JSON object with the keys of its event" python3 -c '
import json, sys
want = {"fork": ["ppid", "parent_id", "parent_comm", "caller", "caller_id", "caller_comm",
                 "pidns", "level", "nspids", "ns", "cgroup", "container"],
        "exec": ["cgroup", "container"], "exit": ["status", "exit_code", "signal", "core_dumped"],
        "reap": ["ppid", "parent_id", "parent_comm"],
        "adopt": ["old_ppid", "old_parent_id", "old_parent_comm", "ppid", "parent_id",
                  "parent_comm", "rule", "parent_pidns"]}
n = 0
for path in sys.argv[1:]:
    for line in open(path, "rb").read().split(b"\n")[:-1]:
        o = json.loads(line.decode("utf-8", errors="strict"))
        k = list(o)
        assert k[:4] == ["event", "seq", "usec", "time"], k
        if o["event"] == "lost":
            assert k[4:] == ["lost"] and o["lost"] == 17, o
        else:
            assert k[4:7] == ["id", "pid", "comm"] and k[7:] == want[o["event"]], o
        n += 1
assert n == 7 + 23, n
e = [json.loads(l) for l in open(sys.argv[2])]
assert e[12]["rule"] is None and e[12]["ppid"] is None and e[13]["parent_comm"] is None
# a parent gone before its child is reaped: its pid unknown, its id and name kept
assert e[22]["ppid"] is None and e[22]["parent_id"] == 103 and e[22]["parent_comm"] == "worker"
assert e[11]["signal"] == "SIGSEGV" and e[11]["core_dumped"] and e[15]["exit_code"] == 1
assert e[3]["comm"] == "my job" and e[17]["comm"] is None and e[18]["id"] == 0
' $EXP/events-docker.json $EXP/events-adopt.json
else
	skip "events -J: every line is a JSON object with the keys of its event" "no python3"
fi
fails "events --pid: a PID not in the snapshot" 1 "--pid: PID 4242 is not in the snapshot" $EVL --pid 4242
fails "events: a format-1 snapshot cannot be followed" 1 \
	"the snapshot has no ids or no seq_before (format 1): following the event stream needs format 2" \
	$EVD -F $FIX/origin.txt
sed '1s/5120/5130/; /^51[23][0-9] /d' $FIX/events-docker.events > "$TMP/late-open.events"
fails "events: a snapshot older than the stream is refused" 1 \
	"the snapshot (seq_before 5120) is older than the stream (SEQ 5130)" \
	$EV --events "$TMP/late-open.events" -F $FIX/events-docker.snap
fails "events --container: no labels in a plain capture" 1 "--container: no container labels" \
	$EV --events $FIX/events-docker.events -F "$TMP/v2-plain.txt" --container demo
# badev NAME MESSAGE LINE...: a stream of the header and LINEs fails with MESSAGE
badev() {
	local name=$1 msg=$2
	shift 2
	{ echo "# pidns_tree_events 1 5120"; printf '%s\n' "$@"; } > "$TMP/bad.events"
	fails "bad stream: $name" 1 "$TMP/bad.events: $msg" $EV --events "$TMP/bad.events" -F $FIX/events-docker.snap
}
badev "a field too few (exec)" "line 3: exec: 6 fields, format 1 has 7" \
	"5121 1 exec 88 2001 1 runc" "5122 2 exec 88 2001 1"
badev "a field too many (exit)" "line 2: exit: 7 fields, format 1 has 6" "5121 1 exit 88 2001 0 0"
badev "a bad number" "line 2: exit: STATUS 'x' is not a number from 0 to 65535" "5121 1 exit 88 2001 x"
badev "not a wait status" "line 2: exit: STATUS '384': not a wait status" "5121 1 exit 88 2001 384"
badev "a bad PID" "line 2: reap: PID '-3' is not a PID (a decimal number > 0)" "5121 1 reap 88 -3 1 1"
badev "? where the format has none" "line 2: fork: PPID '?' is not a PID or 0" \
	"5121 1 fork 88 2001 ? ? 1990 41 4026531836 0 2001 - 1 x"
badev "? for part of an adopter" "line 2: adopt: NEW_PPID, NEW_ID, RULE and PIDNS must be all '?' or none" \
	"5121 1 adopt 90 2003 2001 88 ? ? subreaper 4026531836"
badev "a bad rule" "line 2: adopt: RULE 'nearest': not 'subreaper', 'init' or '?'" \
	"5121 1 adopt 90 2003 2001 88 1990 41 nearest 4026531836"
badev "nspids against level" "line 2: fork: NSPIDS '2003' is not LEVEL + 1 = 2 PIDs, the first 2003" \
	"5121 1 fork 90 2003 2001 88 2002 89 4026532301 1 2003 new 1 x"
badev "a bad escape in COMM" "line 2: exec: COMM '\\9x': a backslash must be followed by 3 octal digits" \
	"5121 1 exec 88 2001 1 a\\9x"
badev "a SEQ that does not increase" "line 3: SEQ 5121 does not increase (after 5121)" \
	"5121 1 exec 88 2001 1 a" "5121 2 exec 88 2001 1 b"
badev "an empty line" "line 2: empty line" ""
badev "two spaces" "line 2: field 5 is empty" "5121 1 exit 88  2001 0"
badev "lost 0" "line 2: lost: N '0': not a number > 0" "5121 1 lost 0"
printf '# pidns_tree_events 1 5120\n5121 1 exit 88 2001 0' > "$TMP/trunc.events"
fails "bad stream: a truncated last line, nothing printed" 1 \
	"$TMP/trunc.events: line 2: truncated line (no newline at the end of the input)" \
	$EV --events "$TMP/trunc.events" -F $FIX/events-docker.snap
printf '# pidns_tree_events 2x 5120\n' > "$TMP/ver.events"
fails "bad stream: another version" 1 "line 1: unsupported stream version '2x'" \
	$EV --events "$TMP/ver.events" -F $FIX/events-docker.snap
fails "bad stream: not a stream" 1 "line 1: not an event stream" \
	$EV --events $FIX/events-docker.snap -F $FIX/events-docker.snap
# a later version: fields added at the end, before COMM for fork and exec
{ echo "# pidns_tree_events 2 5120"; sed 1d $FIX/events-docker.events |
	sed -E 's/^([0-9]+ [0-9]+ (fork|exec) .*) ([^ ]+)$/\1 extra \3/; s/^([0-9]+ [0-9]+ (exit|reap|adopt) .*)$/\1 extra/'; } > "$TMP/v2.events"
golden "events: a later stream version with more fields reads as format 1" \
	events-docker $EV --events "$TMP/v2.events" -F $FIX/events-docker.snap

# the live path, with $PIDNS_TREE_PROC_ROOT standing for /proc: FIFOs for
# the stream and the file.  The writer opens the stream's FIFO before it
# writes the file: a reader that read the file first would wait forever.
LP=$TMP/liveproc
mkdir -p "$LP"
sed -n '/^# pidns_tree 2 /,$p' $FIX/events-docker.snap > "$TMP/v2-plain.txt"
LIVE="env PIDNS_TREE_PROC_ROOT=$LP PIDNS_TREE_CGROUP_MOUNT=$TMP/none TZ=UTC PIDNS_TREE_CLOCK_OFFSET=1765107887654322 $BIN --watch"
mkfifo "$LP/pidns_tree" "$LP/pidns_tree_events"
timeout 10 bash -c 'exec 3> "$1/pidns_tree_events"; cat "$2" > "$1/pidns_tree"; cat "$3" >&3' \
	- "$LP" "$TMP/v2-plain.txt" $FIX/events-docker.events &
timeout 5 $LIVE > "$TMP/live.out" 2> "$TMP/live.err"
rc=$?
wait
sed 's/in docker demo)/in pidns 4026532301)/' $EXP/events-docker > "$TMP/live.exp"
if [ $rc = 2 ] && cmp -s "$TMP/live.exp" "$TMP/live.out" &&
   [ "$(cat "$TMP/live.err")" = "pidns-tree: $LP/pidns_tree_events: the stream ended: the module was unloaded" ]; then
	ok "events live: the stream opened first, then the file; its end (module unloaded) is exit 2"
else
	not_ok "events live: the stream opened first, then the file; its end (module unloaded) is exit 2" \
		"exit $rc: $(cat "$TMP/live.err")" "$(diff "$TMP/live.exp" "$TMP/live.out" | head)"
fi
rm -f "$LP/pidns_tree"
cp "$TMP/v2-plain.txt" "$LP/pidns_tree"
timeout 10 bash -c '{ cat "$2"; sleep 3; } > "$1/pidns_tree_events"' - "$LP" $FIX/events-docker.events &
timeout --preserve-status -s INT 1.5 $LIVE -J > "$TMP/live.out" 2> "$TMP/live.err"
rc=$?
wait
if [ $rc = 0 ] && ! [ -s "$TMP/live.err" ] && [ "$(wc -l < "$TMP/live.out")" = 7 ] &&
   cmp -s <(sed 's/"container":"docker demo (36d649e82a2b)"/"container":null/' $EXP/events-docker.json) "$TMP/live.out"; then
	ok "events live -J: SIGINT ends it with exit 0, the lines out"
else
	not_ok "events live -J: SIGINT ends it with exit 0, the lines out" "exit $rc: $(cat "$TMP/live.err")"
fi
rm -f "$LP/pidns_tree_events"
timeout --preserve-status -s INT 1.5 $LIVE 0.5 > "$TMP/live.out" 2> "$TMP/live.err"
rc=$?
if [ $rc = 0 ] && [ "$(cat "$TMP/live.err")" = "pidns-tree: this module has no event stream ($LP/pidns_tree_events); polling every 0.5 s, processes shorter than that are missed" ]; then
	ok "watch without the stream: polls, and one line on stderr says so"
else
	not_ok "watch without the stream: polls, and one line on stderr says so" "exit $rc: $(cat "$TMP/live.err")"
fi
fails "watch -J without the stream: refused" 1 \
	"--watch with --json needs the event stream $LP/pidns_tree_events: this module has none" $LIVE -J
fails "watch --pid without the stream: refused" 1 "--watch with --pid needs the event stream" $LIVE --pid 1

# --- containers: cgroup ids, paths, labels, snapshots ----------------------
# containers.snap: a --save snapshot with a cgroup of every kind of runtime
# (paths as in tests/unit.c); containers.txt: the same tasks as cat saw them
C="$BIN -F $FIX/containers.snap"
golden "containers: the tree labels where a container's pid namespace starts" \
	containers.tree $C
golden "containers: CONTAINER, empty outside containers and for monitors" \
	containers.list $C -l -o pid,cgroup,container,comm
golden "containers: json, null outside containers" containers.json \
	$C -J -l -o pid,cgroup,container
golden "containers: dot labels each namespace's cluster with its container" \
	containers.dot $C --dot
for p in 112 120 200 202 301 401 500 600 601 700 800 801; do
	golden "containers: explain $p" containers.explain-$p $C --explain $p
done
golden "--container: a prefix of the id, the container's tasks" \
	containers.tree-36d6 $C --container 36d6
golden "--container: an nspawn machine by name, in the list" \
	containers.list-my-box $C -l -o pid,container,comm --container my-box
golden "--container: 13 digits tell two containers with the same 12 apart" \
	containers.list-13 $C -l -o pid,container,comm --container aaaaaaaaaaaab
fails "--container: a prefix of two ids is ambiguous" 1 \
	"--container: 'a' is ambiguous: docker aaaa" $C --container a
fails "--container: a name of two runtimes is ambiguous" 1 \
	"--container: 'web' is ambiguous: lxc web and containerd web match" $C --container web
fails "--container: no such container" 1 \
	"--container: no container 'ffff' in the snapshot" $C --container ffff
fails "--container: a monitor is no container" 1 \
	"--container: no container 'we'" $C --container we
fails "--container with --pid" 1 "mutually exclusive arguments: --pid --container" \
	$C --pid 1 --container 36d6
fails "--container on a plain capture: why there are no labels" 1 \
	"--container: no container labels: $FIX/containers.txt is a plain capture" \
	$BIN -F $FIX/containers.txt --container 36d6

# a plain capture reads, without labels, and says so once, only when asked
$BIN -F $FIX/containers.txt -o +container -l > "$TMP/out" 2> "$TMP/err"
check "plain capture, -o +CONTAINER: one line on stderr says why, ? in the column" bash -c "
	[ \$(wc -l < '$TMP/err') = 1 ] &&
	grep -qx 'pidns-tree: no container labels: $FIX/containers.txt is a plain capture, without cgroup paths (pidns-tree --save writes them)' '$TMP/err' &&
	[ \$(grep -c ' ?\$' '$TMP/out') = 19 ]"
golden "plain capture, the tree: no labels, nothing on stderr" containers.tree-plain \
	$BIN -F $FIX/containers.txt
warns "input without the cgroup column, -o +CONTAINER: says why" \
	"pidns-tree: no container labels: $FIX/multins.txt has no cgroup column" \
	$M -l -o pid,container
warns "cgroup v1 only: the snapshot says why there are no labels" \
	"no container labels: the snapshot has no cgroup paths: no cgroup2 mount in /proc/self/mountinfo (cgroup v1 only?)" \
	$BIN -F $FIX/containers-v1.snap -o +container
warns "the cgroup2 mount cannot be read: says why" \
	"no container labels: cannot read the cgroup2 mount $TMP/none: No such file or directory" \
	env PIDNS_TREE_CGROUP_MOUNT="$TMP/none" $BIN -F $FIX/containers.txt -o +container

# --save on a cgroup tree made of directories (the test hook walks it as
# the cgroup2 mount), then -F of the snapshot: the same output, labels and all.
# Names come from a fake Docker Engine on a unix socket, OCI bundles of
# containerd and CRI-O, and conmon's arguments, under $RT (the test hook
# standing for /).
CG=$TMP/cg RT=$TMP/rt
D36=36d649e82a2b1111111111111111111111111111111111111111111111111111
h64() { printf "$1%.0s" $(seq 64); }
POD=0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b POD2=11111111-2222-3333-4444-555555555555
KPOD=kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod${POD//-/_}.slice
mkdir -p "$CG/system.slice/docker-$D36.scope" "$CG/docker/$(h64 b)" \
	"$CG/machine.slice/machine-my\\x2dbox.scope/payload" \
	"$CG/machine.slice/machine-my\\x2dbox.scope/supervisor" \
	"$CG/lxc.payload.web/sub dir" "$CG/lxc.monitor.web" \
	"$CG/ci/$(h64 c)" "$CG/system.slice/nerdctl-$(h64 d).scope" \
	"$CG/$KPOD/cri-containerd-$(h64 e).scope" "$CG/$KPOD/cri-containerd-$(h64 f).scope" \
	"$CG/$KPOD/crio-$(h64 9).scope" \
	"$CG/machine.slice/libpod-conmon-$(h64 8).scope" \
	"$CG/machine.slice/libpod-$(h64 8).scope/container" \
	"$CG/libpod_parent/$(h64 7)/libpod-$(h64 6)" "$CG/libpod_parent/$(h64 7)/conmon" \
	"$CG/kubepods/besteffort/pod$POD2/$(h64 5)"
ino() { stat -c %i "$CG/$1"; }
{
	echo "# pidns_tree 1 pid tgid ppid parent tracer sub reaper pidns level nspids state init cgroup comm"
	echo "1 1 0 0 0 - 0 4026531836 0 1 S 1 $(ino .) init"
	echo "10 10 1 1 0 S - 4026531836 0 10 S 0 $(ino .) shim"
	echo "11 11 10 10 0 s 1 4026532001 1 11,1 S 1 $(ino system.slice/docker-$D36.scope) sh"
	echo "12 12 10 10 0 s 1 4026531836 0 12 S 0 $(ino docker/$(h64 b)) host-pid"
	echo "20 20 1 1 0 - - 4026531836 0 20 S 0 $(ino 'machine.slice/machine-my\x2dbox.scope/supervisor') nspawn"
	echo "21 21 20 20 0 - 1 4026532002 1 21,1 S 1 $(ino 'machine.slice/machine-my\x2dbox.scope/payload') init"
	echo "30 30 1 1 0 - - 4026531836 0 30 S 0 $(ino lxc.monitor.web) lxc-start"
	echo "31 31 30 30 0 - 1 4026532003 1 31,1 S 1 $(ino 'lxc.payload.web/sub dir') init"
	echo "40 40 10 10 0 s 1 4026532004 1 40,1 S 1 $(ino ci/$(h64 c)) ci-job"
	echo "41 41 10 10 0 s 1 4026532005 1 41,1 S 1 $(ino system.slice/nerdctl-$(h64 d).scope) nginx"
	echo "42 42 10 10 0 s 1 4026532006 1 42,1 S 1 $(ino $KPOD/cri-containerd-$(h64 e).scope) pause"
	echo "43 43 10 10 0 s 1 4026532006 1 43,2 S 0 $(ino $KPOD/cri-containerd-$(h64 f).scope) app"
	echo "44 44 10 10 0 s 1 4026532007 1 44,1 S 1 $(ino $KPOD/crio-$(h64 9).scope) crio-app"
	echo "50 50 1 1 0 S - 4026531836 0 50 S 0 $(ino machine.slice/libpod-conmon-$(h64 8).scope) conmon"
	echo "51 51 50 50 0 s 1 4026532008 1 51,1 S 1 $(ino machine.slice/libpod-$(h64 8).scope/container) httpd"
	echo "52 52 1 1 0 S - 4026531836 0 52 S 0 $(ino libpod_parent/$(h64 7)/conmon) conmon"
	echo "53 53 52 52 0 s 1 4026532009 1 53,1 S 1 $(ino libpod_parent/$(h64 7)/libpod-$(h64 6)) catatonit"
	echo "60 60 1 1 0 S - 4026531836 0 60 S 0 $(ino .) containerd-shim"
	echo "61 61 60 60 0 s 1 4026532010 1 61,1 S 1 $(ino kubepods/besteffort/pod$POD2/$(h64 5)) k3s-app"
} > "$TMP/cap.txt"
# the runtimes' state
cri() { # cri DIR KIND [NAME]: a CRI plugin's bundle for pod default/web
	mkdir -p "$1"
	printf '{"ociVersion":"1.0.2","process":{"args":["x"]},"annotations":{%s"io.kubernetes.cri.container-type":"%s","io.kubernetes.cri.sandbox-name":"web","io.kubernetes.cri.sandbox-namespace":"default","io.kubernetes.cri.sandbox-uid":"%s"}}\n' \
		"${3:+\"io.kubernetes.cri.container-name\":\"$3\",}" "$2" "$POD" > "$1/config.json"
}
TASKS=$RT/run/containerd/io.containerd.runtime.v2.task
cri "$TASKS/k8s.io/$(h64 e)" sandbox
# a shim runs in its task's bundle: containerd's state where k3s keeps it
K3S=/run/k3s/containerd/io.containerd.runtime.v2.task/k8s.io/$(h64 5)
cri "$RT$K3S" container k3s-app
sed -i "s/\"web\"/\"k3s\"/; s/$POD/$POD2/; s/\"default\"/\"kube-system\"/" "$RT$K3S/config.json"
mkdir -p "$RT/proc/60" && ln -s "$K3S" "$RT/proc/60/cwd"
cri "$TASKS/k8s.io/$(h64 f)" container app
mkdir -p "$TASKS/default/$(h64 d)" "$RT/run/containers/storage/overlay-containers/$(h64 9)/userdata" \
	"$RT/proc/50" "$RT/proc/52"
echo '{"annotations": {"nerdctl/name": "ngx", "other": [1, {"a": "b"}]}}' > "$TASKS/default/$(h64 d)/config.json"
echo '{"annotations":{"io.kubernetes.pod.name":"db","io.kubernetes.pod.namespace":"prod","io.kubernetes.container.name":"pg\u00e9"}}' \
	> "$RT/run/containers/storage/overlay-containers/$(h64 9)/userdata/config.json"
printf '%s\0' /usr/bin/conmon --api-version 1 -c "$(h64 8)" -u "$(h64 8)" -r /usr/bin/crun -n web > "$RT/proc/50/cmdline"
printf '%s\0' /usr/bin/conmon --api-version 1 --cid "$(h64 6)" --name=box-infra > "$RT/proc/52/cmdline"
printf '[{"Id":"%s","Names":["/demo"],"Labels":{"a":"[{\\"]"}},{"Id":"%s","Names":["/old\\u00e9"]},\n {"Id": "%s", "Names": ["/ci-1"]}]' \
	"$D36" "$(h64 b)" "$(h64 c)" > "$TMP/docker.json"
have_py=0
if command -v python3 > /dev/null; then
	have_py=1
	python3 tests/fake-docker.py "$TMP/docker.sock" 200 "$TMP/docker.json" &
	FAKE_DOCKER=$!
	trap 'kill $FAKE_DOCKER 2> /dev/null; rm -rf "$TMP"' EXIT
	for _ in $(seq 50); do [ -S "$TMP/docker.sock" ] && break; sleep 0.1; done
fi
live() { env PIDNS_TREE_CGROUP_MOUNT="$CG" PIDNS_TREE_RUNTIME_ROOT="$RT" \
	DOCKER_HOST="unix://$TMP/docker.sock" "$@"; }
for v in "-o +container" "-l -o pid,cgroup,container,comm" "-J -o pid,container" "--explain 21" "--container my-box" "--container demo" "--container 'pod default/web'"; do
	if [ $have_py = 0 ]; then
		skip "--save then -F: the same output, labels and all ($v)" "no python3 for the fake Docker Engine"
		continue
	fi
	eval "live $BIN -F '$TMP/cap.txt' $v --save '$TMP/snap'" > "$TMP/live" 2> "$TMP/err1"
	rc1=$?
	eval "$BIN -F '$TMP/snap' $v" > "$TMP/again" 2> "$TMP/err2"
	rc2=$?
	if [ $rc1 = 0 ] && [ $rc2 = 0 ] && ! [ -s "$TMP/err1" ] && ! [ -s "$TMP/err2" ] &&
	   cmp -s "$TMP/live" "$TMP/again" && grep -qE 'my-box|demo|default/web' "$TMP/again"; then
		ok "--save then -F: the same output, labels and all ($v)"
	else
		not_ok "--save then -F: the same output, labels and all ($v)" \
			"exit $rc1, $rc2: $(cat "$TMP/err1" "$TMP/err2")" "$(diff "$TMP/live" "$TMP/again" | head -20)"
	fi
done
if [ $have_py = 1 ]; then
	live $BIN -F "$TMP/cap.txt" -l -o pid,container > "$TMP/live-names" 2>&1
	golden "names: docker (API), containerd CRI and nerdctl (bundles), cri-o, podman (conmon)" \
		containers.names cat "$TMP/live-names"
	check "names: the Docker Engine asked once, GET /containers/json over HTTP/1.0" \
		grep -qx 'GET /containers/json HTTP/1.0' "$TMP/docker.sock.log"
	golden "names: the tree puts the label in NOTES, at 80 columns past the tree" \
		containers.names-tree-w80 live $BIN -F "$TMP/cap.txt" -w 80
	live $BIN -F "$TMP/cap.txt" -l -o init,container -n | sed -n 's/^ *1  *//p' | sort -u > "$TMP/labels"
	live $BIN -F "$TMP/cap.txt" -w 80 > "$TMP/w80"
	check "names: at 80 columns every label is whole, the tree column gives way" bash -c "
		[ \$(wc -l < '$TMP/labels') -ge 8 ] &&
		while IFS= read -r l; do grep -qF -- \"\$l\" '$TMP/w80' || { echo \"cut: \$l\"; exit 1; }; done < '$TMP/labels' &&
		! grep -q 'level 1\]' '$TMP/w80'"
	golden "--container: a pod by name, all its containers" containers.names-pod \
		live $BIN -F "$TMP/cap.txt" -l -o pid,container,comm --container 'pod default/web'
	golden "--container: a name" containers.names-demo \
		live $BIN -F "$TMP/cap.txt" -l -o pid,container,comm --container demo
	golden "--container: what the column shows" containers.names-demo \
		live $BIN -F "$TMP/cap.txt" -l -o pid,container,comm --container 'docker demo (36d649e82a2b)'
	fails "--container: an ambiguous name lists the candidates" 1 \
		"--container: 'web' is ambiguous: lxc web and podman web (888888888888) match" \
		live $BIN -F "$TMP/cap.txt" --container web
	live $BIN -F "$TMP/cap.txt" -l -o pid,container --save "$TMP/snap" > /dev/null 2>&1
	check "--save: the names in ctname lines, escaped" bash -c "
		grep -qx 'ctname $D36 docker demo - -' '$TMP/snap' &&
		grep -qx 'ctname $(h64 f) containerd app default web' '$TMP/snap' &&
		grep -qx 'ctname $POD k8s - default web' '$TMP/snap' &&
		grep -qx 'ctname $(h64 b) docker oldé - -' '$TMP/snap' &&
		grep -qx 'ctname $(h64 e) containerd - default web' '$TMP/snap'"
	kill $FAKE_DOCKER 2> /dev/null
	wait $FAKE_DOCKER 2> /dev/null
fi
warns "names: no Docker Engine: ids, and one line says why" \
	"pidns-tree: container names: cannot ask the Docker Engine at $TMP/docker.sock: Connection refused; showing ids" \
	live $BIN -F "$TMP/cap.txt" -l -o pid,container
grep -q "^ *12 docker bbbbbbbbbbbb$" "$TMP/out" && grep -q "ngx" "$TMP/out"
check "names: without the Docker Engine, docker ids and the other names" test $? = 0
mkdir -p "$TMP/rt2/run/containerd" && : > "$TMP/rt2/run/containerd/io.containerd.runtime.v2.task"
grep -E '^(# |1 |10 |41 )' "$TMP/cap.txt" > "$TMP/cap-nerdctl.txt"	# no docker: the bundles' reason
warns "names: containerd's state cannot be read: says where and why" \
	"pidns-tree: container names: cannot read $TMP/rt2/run/containerd/io.containerd.runtime.v2.task: Not a directory; showing ids" \
	env PIDNS_TREE_CGROUP_MOUNT="$CG" PIDNS_TREE_RUNTIME_ROOT="$TMP/rt2" \
	$BIN -F "$TMP/cap-nerdctl.txt" -l -o pid,container
env PIDNS_TREE_CGROUP_MOUNT="$CG" PIDNS_TREE_RUNTIME_ROOT="$RT" DOCKER_HOST="unix://$TMP/docker.sock" \
	$BIN -F "$TMP/cap.txt" -l -o pid,container > "$TMP/live" 2> /dev/null
awk '{ $1 = $1; print }' "$TMP/live" > "$TMP/live2"; mv "$TMP/live2" "$TMP/live"
check "the fake tree: docker by scope and by /docker/ID, nspawn, lxc below its payload" bash -c "
	grep -qx '11 docker 36d649e82a2b' '$TMP/live' &&
	grep -qx '12 docker bbbbbbbbbbbb' '$TMP/live' &&
	grep -qx '20' '$TMP/live' && grep -qx '21 nspawn my-box' '$TMP/live' &&
	grep -qx '30' '$TMP/live' && grep -qx '31 lxc web' '$TMP/live'"
check "--save: the file part as read, after the map" bash -c "
	head -1 '$TMP/snap' | grep -qx '# pidns_tree snapshot 1' &&
	sed -n '2p' '$TMP/snap' | grep -qx 'cgroup2 $CG' &&
	grep -qx 'cgroup [0-9]* /lxc.payload.web/sub\\\\040dir' '$TMP/snap' &&
	sed -n '/^# pidns_tree 1 /,\$p' '$TMP/snap' | cmp -s - '$TMP/cap.txt'"
check "--save of a snapshot writes the same snapshot" bash -c "
	$BIN -F '$TMP/snap' --save '$TMP/snap2' > /dev/null && cmp '$TMP/snap' '$TMP/snap2'"
rm -f "$TMP/snap3"
fails "--save of a bad input writes nothing" 1 "line 3: truncated line" \
	$BIN -F $FIX/bad-truncated.txt --save "$TMP/snap3"
check "--save of a bad input: no file" test ! -e "$TMP/snap3"
fails "--save to a directory that does not exist: exit 1" 1 \
	"--save: cannot create a file in $TMP/no: No such file or directory" \
	$BIN -F "$TMP/snap" --save "$TMP/no/snap"
# --save writes a new file of its own in the directory, then renames it:
# a symlink planted at FILE.tmp (the old temporary name) or at FILE is
# never followed, and the file gets the umask's mode
echo precious > "$TMP/victim"
ln -sf "$TMP/victim" "$TMP/planted.tmp"
ln -sf "$TMP/victim" "$TMP/planted"
check "--save: symlinks planted at FILE.tmp and FILE are not followed" bash -c "
	umask 022 && $BIN -F '$FIX/multins.txt' --save '$TMP/planted' > /dev/null &&
	[ \"\$(cat '$TMP/victim')\" = precious ] && [ ! -L '$TMP/planted' ] &&
	[ -L '$TMP/planted.tmp' ] && [ \$(stat -c %a '$TMP/planted') = 644 ] &&
	sed -n '/^# pidns_tree 1 /,\$p' '$TMP/planted' | cmp -s - '$FIX/multins.txt' &&
	[ -z \"\$(ls -A '$TMP' | grep '^\\.planted\\.')\" ]"
fails "--save over a directory: exit 1, nothing left behind" 1 "--save: cannot write $TMP/cg" \
	$BIN -F "$FIX/multins.txt" --save "$TMP/cg"
check "--save over a directory: no temporary file left" bash -c "! ls -A '$TMP' | grep -q '^\\.cg\\.'"

fails "bad snapshot: another version" 1 "line 1: unsupported snapshot version '2'" \
	$BIN -F $FIX/bad-snapshot-version.snap
fails "bad snapshot: a bad cgroup line" 1 "line 4: not 'cgroup ID PATH'" \
	$BIN -F $FIX/bad-snapshot-cgroup.snap
sed '3i ctname abc docker demo' $FIX/containers.snap > "$TMP/bad-ctname.snap"
fails "bad snapshot: a ctname line without its five fields" 1 \
	"line 3: not 'ctname ID RUNTIME NAME POD_NAMESPACE POD_NAME'" $BIN -F "$TMP/bad-ctname.snap"
fails "bad snapshot: no file part" 1 "line 3: snapshot without its /proc/pidns_tree part" \
	$BIN -F $FIX/bad-snapshot-truncated.snap
fails "bad snapshot: a bad task line, numbered in the whole file" 1 "line 7: nspids 'x'" \
	$BIN -F $FIX/bad-snapshot-task.snap

# --- JSON through real parsers, DOT through Graphviz -----------------------
for f in multins escaped; do
	$BIN -F $FIX/$f.txt -J > "$TMP/$f.json"
	if command -v python3 > /dev/null; then
		check "json $f: valid for python3 json" python3 -c '
import json, sys
d = json.load(open(sys.argv[1], encoding="utf-8", errors="strict"))
def walk(ts):
    for t in ts:
        assert isinstance(t["pid"], int) and isinstance(t["nspids"], list)
        assert t["nspids"][0] == t["pid"] and len(t["nspids"]) == t["level"] + 1
        walk(t.get("children", []))
walk(d["tasks"])' "$TMP/$f.json"
	else
		skip "json $f: valid for python3 json" "no python3"
	fi
	if command -v jq > /dev/null; then
		check "json $f: valid for jq" jq -e '.tasks | length > 0' "$TMP/$f.json"
	else
		skip "json $f: valid for jq" "no jq"
	fi
	if command -v dot > /dev/null; then
		$BIN -F $FIX/$f.txt --dot > "$TMP/$f.dot"
		if dot -Tsvg "$TMP/$f.dot" -o "$TMP/$f.svg" 2> "$TMP/dot.err" &&
		   ! [ -s "$TMP/dot.err" ] && grep -q '<svg' "$TMP/$f.svg"; then
			ok "dot $f: renders with dot -Tsvg, no warnings"
		else
			not_ok "dot $f: renders with dot -Tsvg, no warnings" "$(cat "$TMP/dot.err")"
		fi
	else
		skip "dot $f: renders with dot -Tsvg, no warnings" "no graphviz"
	fi
done
if command -v jq > /dev/null; then
	check "json: threads nest under their process, orphans are roots" \
		jq -e '([.tasks[] | .pid] == [1, 2, 5000]) and
		       ([.tasks[0].children[0].children[] | .pid] == [491, 492]) and
		       ([.. | objects | select(.pid == 79071) | .thread] == [true]) and
		       ([.. | objects | select(.pid == 79070) | .reaper] == [null]) and
		       ([.. | objects | select(.pid == 79100) | .nspids] == [[79100, 20, 1]])' \
		"$TMP/multins.json"
	check "json: unescaped names" \
		jq -e '[.tasks[0].children[] | .comm] | .[0:4] == ["my job", "two\nlines", "tab\there", "back\\slash"]' \
		"$TMP/escaped.json"
	check "json: empty name is \"\", bad UTF-8 is U+FFFD, controls escaped" \
		jq -e '[.tasks[0].children[] | .comm] | .[4:10] ==
		       ["caf\u00e9", "bad\ufffdutf8", "esc\u001b[31mred", "del\u007f", "\"quoted\"", ""]' \
		"$TMP/escaped.json"
	check "json: no raw control bytes, one task a line" bash -c "
		! LC_ALL=C grep -q '[[:cntrl:]]' '$TMP/escaped.json' &&
		[ \$(grep -c '^{\"pid\":' '$TMP/multins.json') = 23 ]"
else
	skip "json: threads nest under their process, orphans are roots" "no jq"
	skip "json: unescaped names" "no jq"
fi
if command -v dot > /dev/null; then
	check "dot: one cluster per namespace, 3 edge styles" bash -c "
		grep -c '^	subgraph cluster_ns' '$TMP/multins.dot' | grep -qx 3 &&
		grep -q 'p801 -> p79070 \[style=dashed' '$TMP/multins.dot' &&
		grep -q 'style=dotted' '$TMP/multins.dot' &&
		grep -q '^	p78999 -> p79020;' '$TMP/multins.dot'"
fi

# --- util-linux options on the multi-namespace fixture ----------------------
golden "tree -o PID,PPID,SUB,REAPER,COMM: COMMAND, then the list" multins.tree-output \
	$M -o PID,PPID,SUB,REAPER,COMM
golden "tree -o +PPID adds to the default" multins.tree-plus $M -o +ppid --threads
golden "list -o +TGID,THREADS adds to the default" multins.list-plus $M -l -o +TGID,threads
golden "list -x REAPER sorts ('-' first, then file order)" multins.list-sort \
	$M -l -x REAPER -o pid,reaper,comm
golden "raw list" multins.raw $M -r
golden "pairs" multins.pairs $M -P -o pid,ppid,reaper,nspids,comm
golden "pairs, escaped names" escaped.pairs $E -P -o pid,comm
golden "-w 60: every column kept, COMMAND and NOTES truncated" multins.tree-w60 $M -w 60
golden "-w 60 -u: nothing truncated" multins.tree-notruncate $M -w 60 -u
golden "--ascii" multins.tree-ascii $M -i
golden "json -l: one flat array, -o columns as keys" multins.json-list \
	$M -J -l -o pid,ppid,sub,reaper,pidns,nspids,init,comm,thread,threads,notes
golden "--pid on the list" multins.list-pid $M -l --pid 79070
golden "--noheadings on the list" multins.list-noheadings $M -l -n --ns 4026532300

# the header names exactly the -o columns, for every -o in every list view
check "-o in the tree, the list and raw: one heading per column, in order" bash -c "
	[ \"\$($M -o pid,comm,notes | head -1 | tr -s ' ' | sed 's/ \$//')\" = 'COMMAND PID COMM NOTES' ] &&
	[ \"\$($M -o comm,command,pid | head -1 | tr -s ' ' | sed 's/ \$//')\" = 'COMMAND COMM PID' ] &&
	[ \"\$($M -l -o tracer,Pid | head -1 | tr -s ' ')\" = 'TRACER PID' ] &&
	[ \"\$($M -r -o level,pid | head -1)\" = 'LEVEL PID' ]"
# --output-all lists every column of the table (the --help list)
$BIN --help | sed -n '/^Available output columns:/,/^$/{/^ /p}' | awk '{ print $1 }' > "$TMP/help-cols"
check "--help lists 24 columns" test "$(wc -l < "$TMP/help-cols")" = 24
check "-l -O: every column of the table, in its order" bash -c "
	[ \"\$($M -l -O -r | head -1)\" = \"\$(tr '\n' ' ' < '$TMP/help-cols' | sed 's/ \$//')\" ]"
check "tree -O: COMMAND first, then every other column" bash -c "
	[ \"\$($M -O -r 2>&1 | head -1)\" = \"\$($M -l -O -r | head -1)\" ] &&
	$M -O | head -1 | grep -q '^COMMAND  *PID  *TGID .* COMM  *THREAD  *THREADS  *NOTES'"
if command -v jq > /dev/null; then
	keys=$(tr 'A-Z' 'a-z' < "$TMP/help-cols" | jq -R . | jq -sc .)
	check "json -O: every column a key, typed as the table says" bash -c "
		$M -J -O | jq -e --argjson keys '$keys' '[.. | objects | select(.pid == 79070)][0] |
			(keys_unsorted | . - [\"children\"]) == \$keys and
			.pid == 79070 and .reaper == null and .init == false and .thread == false and
			.threads == 2 and .nspids == [79070, 9] and .command == \"app\" and
			(.notes | startswith(\"traced by 801 (gdb)\"))'"
	check "json -o pid,comm: only those keys, children kept" bash -c "
		$M -J -o pid,COMM | jq -e '([.tasks | .. | objects | select(has(\"pid\")) | keys_unsorted | . - [\"children\"]] | unique) == [[\"pid\", \"comm\"]] and
			(.tasks | length == 3)'"
	check "json -o +notes adds to the default keys" bash -c "
		$M -J -o +notes | jq -e '.tasks[0] | (keys_unsorted | .[-2:]) == [\"notes\", \"children\"] and .thread == false'"
	check "json -x pid: a flat list, sorted" bash -c "
		$M -J -x pid -o pid | jq -e '[.tasks[].pid] == ([.tasks[].pid] | sort) and (.tasks | length == 23) and (.tasks | map(has(\"children\")) | any | not)'"
	check "json -l with python3 and jq: 23 tasks" bash -c "
		$M -J -l | jq -e '.tasks | length == 23' &&
		$M -J -l | python3 -c 'import json, sys; assert len(json.load(sys.stdin)[\"tasks\"]) == 23'"
else
	skip "json -O, -o, +notes, -x" "no jq"
fi

# -P round-trips through a shell's eval: every value comes back, and
# nothing in a name (quotes, $, backquotes, newlines) runs or splits;
# libsmartcols writes unsafe bytes as \xHH
for f in multins escaped; do
	check "pairs round-trip through eval ($f)" python3 -c '
import re, subprocess, sys
bin, fix = sys.argv[1], sys.argv[2]
pairs = subprocess.run([bin, "-F", fix, "-P", "-o", "pid,ppid,reaper,nspids,comm"],
                       capture_output=True, check=True).stdout.splitlines()
want = {}
for l in open(fix, "rb").read().splitlines()[1:]:
    f = l.split(b" ")
    comm = re.sub(rb"\\([0-7]{3})", lambda m: bytes([int(m.group(1), 8)]), f[12])
    want[int(f[0])] = [f[0], f[2], f[6], f[9], comm]
assert len(pairs) == len(want), (len(pairs), len(want))
for line in pairs:
    # sh, not bash: PPID is read-only in bash
    got = subprocess.run(["sh", "-c", "eval \"$1\" && printf \"%s\\n\" \"$PID\" \"$PPID\" \"$REAPER\" \"$NSPIDS\" \"$COMM\"",
                          "_", line], capture_output=True, check=True).stdout
    vals = got.split(b"\n")[:5]
    vals[4] = re.sub(rb"\\x([0-9a-f]{2})", lambda m: bytes([int(m.group(1), 16)]), vals[4])
    assert vals == want[int(vals[0])], (line, vals, want[int(vals[0])])
' $BIN $FIX/$f.txt
done

# -w 60: every selected column keeps its heading and its values; lines fit
check "-w 60: every column, PID values whole, lines at most 60 wide" python3 -c '
import subprocess, sys
out = subprocess.run(sys.argv[1:] + ["-w", "60"], capture_output=True, text=True).stdout.splitlines()
full = subprocess.run(sys.argv[1:], capture_output=True, text=True).stdout.splitlines()
assert out[0].split() == ["COMMAND", "PID", "REAPER", "NOTES"], out[0]
assert all(len(l) <= 60 for l in out), [l for l in out if len(l) > 60]
assert len(out) == len(full)
for o, f in zip(out[1:], full[1:]):
    pid = f[35:48].strip()
    assert pid in o, (pid, o)
assert any("nested-app" in f and "nested-app" not in o for o, f in zip(out, full))
' $M
check "-w 200 -l -O: nothing truncated when it fits" bash -c "
	[ \"\$($M -l -O -w 400)\" = \"\$($M -l -O)\" ]"

# usage errors, util-linux style: exit 1, a message, the 'Try' line
fails "usage: unknown column, named" 1 "unknown column: bogus" $M -o pid,bogus
fails "usage: unknown column in the tree" 1 "unknown column: nope" $M -o +nope
fails "usage: unknown --sort column" 1 "unknown column: size" $M -x size
fails "usage: unknown column: Try line" 1 "Try 'pidns-tree --help' for more information." $M -o html
fails "usage: empty -o" 1 "--output: empty column list" $M -o ''
fails "usage: --json with --pairs" 1 "mutually exclusive arguments: --json --pairs" $M -J -P
fails "usage: --raw with --dot" 1 "mutually exclusive arguments: --raw --dot" $M -r --dot
fails "usage: --list with --explain" 1 "mutually exclusive arguments: --list --explain" $M -l --explain 1
fails "usage: -o with -O" 1 "mutually exclusive arguments: --output-all --output" $M -O -o pid
fails "usage: bad --width" 1 "--width: '0' is not a number" $M -w 0
fails "usage: old -T is gone" 1 "Try 'pidns-tree --help'" $M -T
fails "usage: old -c is gone" 1 "Try 'pidns-tree --help'" $M -c pid

# --- format details ---------------------------------------------------------
golden "newer header: unknown columns ignored" newer-columns.table \
	$BIN -F $FIX/newer-columns.txt -l -o $FILECOLS
fails "CRLF line ends are refused: lines end with 0x0a alone" 1 \
	"crlf.txt: line 1: a carriage return (0x0d) ends the line" $BIN -F $FIX/crlf.txt -l -o pid,comm
golden "stdin with --input -" multins.tree sh -c "$BIN -F - < $FIX/multins.txt"
golden "non-UTF-8 locale falls back to ASCII" multins.tree-ascii env LC_ALL=C $M
golden "--color=never" multins.tree $M --color=never
golden "--color=auto off a terminal" multins.tree $M --color=auto
golden "--color=always" multins.tree-color $M --color=always
golden "--color=always wins over NO_COLOR" multins.tree-color env NO_COLOR=1 $M --color=always
if command -v script > /dev/null; then
	script -qec "env NO_COLOR=1 TERM=xterm $M" /dev/null > "$TMP/tty" 2>&1
	if grep -q $'\e\[' "$TMP/tty"; then
		not_ok "NO_COLOR honoured on a terminal" "escape sequences in output"
	else
		ok "NO_COLOR honoured on a terminal"
	fi
	script -qec "env TERM=xterm $M" /dev/null > "$TMP/tty" 2>&1
	if grep -q $'\e\[' "$TMP/tty"; then
		ok "colour on a terminal by default"
	else
		not_ok "colour on a terminal by default" "$(head -5 "$TMP/tty")"
	fi
	# libsmartcols fits the columns to the terminal, as --width does
	for v in "" "-l -o pid,ppid,comm,notes"; do
		$M $v --color=never -w 40 > "$TMP/w40"
		script -qec "stty cols 40; $M $v --color=never" /dev/null > "$TMP/tty" 2>&1
		check "on a 40-column terminal, ${v:-the tree} fits in 40 columns, as with -w 40" \
			python3 -c '
import sys
w40 = open(sys.argv[1], encoding="utf-8").read().splitlines()
tty = open(sys.argv[2], encoding="utf-8").read().replace("\r", "").splitlines()
assert tty == w40, (tty, w40)
assert all(len(l) <= 40 for l in tty), [l for l in tty if len(l) > 40]' "$TMP/w40" "$TMP/tty"
	done
else
	skip "NO_COLOR honoured on a terminal" "no script(1)"
	skip "colour on a terminal by default" "no script(1)"
fi

# --- malformed inputs: a message naming the line, exit 1, no output --------
fails "bad: 0-byte input" 1 "bad-empty.txt: line 1: empty input" $BIN -F $FIX/bad-empty.txt
fails "bad: truncated last line" 1 "line 3: truncated line" $BIN -F $FIX/bad-truncated.txt
fails "bad: wrong field count" 1 "line 3: 11 fields, but the header names 13" $BIN -F $FIX/bad-field-count.txt
fails "bad: header" 1 "line 1: not a pidns_tree file" $BIN -F $FIX/bad-header.txt
fails "bad: version 3" 1 "line 1: unsupported format version '3' (this pidns-tree reads versions 1 to 2)" \
	$BIN -F $FIX/bad-version.txt
fails "bad v2: no seq_after last line (a read cut short)" 1 \
	"line 4: format 2: the last line is not '# seq_after N'" $BIN -F $FIX/bad-v2-no-seq-after.txt
fails "bad v2: a malformed seq_before" 1 "line 2: '# seq_before 17x': not a sequence number" \
	$BIN -F $FIX/bad-v2-seq.txt
fails "bad v2: no seq_before second line" 1 \
	"line 2: format 2: the second line is not '# seq_before N'" $BIN -F $FIX/bad-v2-no-seq-before.txt
fails "bad v2: a malformed id" 1 "line 3: id '-1' is not a process id" $BIN -F $FIX/bad-v2-id.txt
fails "bad: missing column" 1 "line 1: header lacks the column 'reaper'" $BIN -F $FIX/bad-missing-column.txt
fails "bad: non-numeric pid" 1 "line 3: pid 'x12' is not a PID" $BIN -F $FIX/bad-pid.txt
fails "bad: parent cycle" 1 "line 3: parent cycle: 100 -> 102 -> 101 -> 100" $BIN -F $FIX/bad-cycle.txt
fails "bad: duplicate pid" 1 "line 3: duplicate pid 1 (also on line 2)" $BIN -F $FIX/bad-duplicate.txt
fails "bad: comm escape" 1 "line 2: comm '\\9temd': a backslash must be followed by 3 octal digits" $BIN -F $FIX/bad-escape.txt
fails "bad: nspids vs level" 1 "line 3: nspids '20' has 1 entries, level 1 needs 2" $BIN -F $FIX/bad-nspids.txt
fails "bad: first parent partly unknown" 1 "line 3: origin, origin_comm and adopted must be all '?' or none" \
	$BIN -F $FIX/bad-origin-partial.txt
fails "bad: a name for a first parent outside" 1 "line 3: origin 0 (outside your namespace) names no origin_comm" \
	$BIN -F $FIX/bad-origin-outside.txt
fails "bad: some of the first-parent columns" 1 "line 1: header has some of origin, origin_comm and adopted, not all" \
	$BIN -F $FIX/bad-origin-header.txt
for v in -l -J --dot; do
	fails "bad: no partial $v output" 1 "line 3: truncated line" $BIN -F $FIX/bad-truncated.txt $v
done
fails "bad: explain on a bad file" 1 "line 3: parent cycle" $BIN -F $FIX/bad-cycle.txt --explain 1

{ printf '# pidns_tree 1 '; head -c 10485760 /dev/zero | tr '\0' 'x'; } > "$TMP/long-line.txt"
fails "bad: one 10 MB line" 1 "line 1: line longer than 65536 bytes" $BIN -F "$TMP/long-line.txt"
# fail fast: within the first 64 KiB, under a 200 MB address-space limit
# (the whole input used to be read first: 1 GiB of /dev/zero)
fast() { bash -c "ulimit -v 200000; $1"; }
fails "fail fast: -F /dev/zero" 1 "/dev/zero: line 1: not a pidns_tree file" fast "exec $BIN -F /dev/zero"
fails "fail fast: -F /dev/urandom" 1 "/dev/urandom: line 1: not a pidns_tree file" fast "exec $BIN -F /dev/urandom"
fails "fail fast: yes | pidns-tree -F -" 1 "stdin: line 1: not a pidns_tree file" fast "yes | $BIN -F -"
fails "fail fast: a header, then /dev/zero" 1 "stdin: line 2: line longer than 65536 bytes" \
	fast "{ head -1 $FIX/multins.txt; cat /dev/zero; } | $BIN -F -"
fails "fail fast: a snapshot's first line, then /dev/zero" 1 "stdin: line 2: line longer than 65536 bytes" \
	fast "{ echo '# pidns_tree snapshot 1'; cat /dev/zero; } | $BIN -F -"
{ head -1 $FIX/multins.txt; head -c 10485760 /dev/urandom; } > "$TMP/junk.txt"
fails "bad: header then 10 MB of random bytes" 1 "line " $BIN -F "$TMP/junk.txt"

# --- big inputs -------------------------------------------------------------
tests/gen-snapshot.py --bytes 10485760 > "$TMP/10mb.txt"
for v in tree list json dot; do
	case $v in tree) a= ;; list) a=-l ;; json) a=-J ;; dot) a=--dot ;; esac
	if $BIN -F "$TMP/10mb.txt" $a > "$TMP/10mb.$v" 2> "$TMP/err" && [ -s "$TMP/10mb.$v" ]; then
		ok "10 MB snapshot ($(wc -l < "$TMP/10mb.txt") tasks): $v view"
	else
		not_ok "10 MB snapshot: $v view" "$(head -c 300 "$TMP/err")"
	fi
done
check "10 MB snapshot: json is valid" jq -e '.tasks | length > 0' "$TMP/10mb.json"

tests/gen-snapshot.py --tasks 100000 > "$TMP/100k.txt"
# Times are reported, never asserted: growth is checked by instruction
# counts below, which a busy machine does not change.
t0=$(date +%s%N)
$BIN -F "$TMP/100k.txt" --explain 1 > /dev/null; rc1=$?
t1=$(date +%s%N)
$BIN -F "$TMP/100k.txt" > /dev/null; rc2=$?
t2=$(date +%s%N)
ms_parse=$(( (t1 - t0) / 1000000 )) ms_tree=$(( (t2 - t1) / 1000000 ))
out+=("# 100k tasks: parse + model ${ms_parse} ms, tree view ${ms_tree} ms")
if [ $rc1 = 0 ] && [ $rc2 = 0 ]; then
	ok "100k tasks: --explain and the tree view succeed"
else
	not_ok "100k tasks: --explain and the tree view succeed" "exit $rc1, $rc2"
fi

tests/gen-snapshot.py --chain 100000 > "$TMP/chain.txt"
fails "100000-deep process chain: tree refuses cleanly" 1 "levels deep" $BIN -F "$TMP/chain.txt"
check "100000-deep process chain: list works" $BIN -F "$TMP/chain.txt" -l
check "100000-deep process chain: dot works" $BIN -F "$TMP/chain.txt" --dot
if $BIN -F "$TMP/chain.txt" -J > "$TMP/chain.json" 2> "$TMP/err" &&
   [ "$(wc -l < "$TMP/chain.json")" = 100001 ]; then
	ok "100000-deep process chain: json works, one task a line"
else
	not_ok "100000-deep process chain: json works, one task a line" "$(head -c 300 "$TMP/err")"
fi
if command -v python3 > /dev/null; then
	# Python's parser recurses: give it a large stack in a thread
	check "100000-deep process chain: json parses, 100000 nested tasks" python3 -c '
import json, sys, threading
sys.setrecursionlimit(1000000)
threading.stack_size(1 << 30)
res = []
def run():
    t, n = json.load(open(sys.argv[1]))["tasks"], 0
    while t:
        assert len(t) == 1 and t[0]["pid"] == n + 1
        n += 1
        t = t[0].get("children")
    res.append(n)
th = threading.Thread(target=run)
th.start()
th.join()
assert res == [100000], res' "$TMP/chain.json"
else
	skip "100000-deep process chain: json parses, 100000 nested tasks" "no python3"
fi

# Linear time, checked without a clock: instructions counted by callgrind on
# N and 2N tasks (and an N and a 2N deep chain) must not grow more than
# 2.5 times (O(n) gives about 2, O(n^2) 4).  Printed for the record.
if command -v valgrind > /dev/null && [ "${SANITIZE:-0}" != 1 ]; then
	irefs() {
		valgrind --tool=callgrind --callgrind-out-file=/dev/null "$@" \
			2>&1 > /dev/null | sed -n 's/.*Collected : *//p'
	}
	tests/gen-snapshot.py --tasks 10000 > "$TMP/s1.txt"
	tests/gen-snapshot.py --tasks 20000 > "$TMP/s2.txt"
	tests/gen-snapshot.py --chain 10000 > "$TMP/c1.txt"
	tests/gen-snapshot.py --chain 20000 > "$TMP/c2.txt"
	for run in "s tree" "s list -l" "s json -J" "s dot --dot" "c json -J" "c list -l"; do
		set -- $run
		a=$(irefs $BIN -F "$TMP/${1}1.txt" ${3:-})
		b=$(irefs $BIN -F "$TMP/${1}2.txt" ${3:-})
		what="$([ $1 = s ] && echo tasks || echo "deep chain")"
		if [ -n "$a" ] && [ -n "$b" ] && [ $((b * 10)) -le $((a * 25)) ]; then
			ok "linear: $2 view on 10000 -> 20000 $what, instructions x$(printf %d.%02d $((b * 100 / a / 100)) $((b * 100 / a % 100)))"
		else
			not_ok "linear: $2 view on 10000 -> 20000 $what" "instructions: ${a:-?} -> ${b:-?}"
		fi
	done
else
	skip "linear: instruction counts" "no valgrind, or a sanitizer build"
fi

# --- errors and usage -------------------------------------------------------
if [ -e /proc/pidns_tree ]; then
	skip "missing module: says how to load it, exit 2" "/proc/pidns_tree exists"
else
	fails "missing module: says how to load it, exit 2" 2 \
		"/proc/pidns_tree: not found: the pidns_tree module is not loaded; load it with 'modprobe pidns_tree'" $BIN
fi
fails "missing --input file: exit 2" 2 "cannot open $TMP/nonexistent" $BIN -F "$TMP/nonexistent"
fails "directory as input: exit 2" 2 "cannot read" $BIN -F /
fails "unknown PID for --pid: exit 1" 1 "PID 6 is not in the snapshot" $M --pid 6
fails "unknown PID for --explain: exit 1" 1 "PID 6 is not in the snapshot" $M --explain 6
fails "unknown namespace for --ns: exit 1" 1 "pid namespace 42 is not in the snapshot" $M --ns 42
fails "usage: bad --pid" 1 "--pid: '12x' is not a PID" $M --pid 12x
fails "usage: bad --ns" 1 "--ns: 'pid:[x]' is not a namespace inode number" $M --ns 'pid:[x]'
for v in 'pid:[4026532201' 'pid:[]' 'pid:[-1]' 'pid:[ 4026532201]' '+4026532201' '4026532201]'; do
	fails "usage: --ns '$v' is an error" 1 "--ns: '$v' is not a namespace inode number" $M --ns "$v"
done
golden "--ns 'pid:[INODE]' as readlink writes it" multins.tree-ns $M --ns 'pid:[4026532201]'
# empty captures (a header, no task) print headings, as a table with no line
head -1 $FIX/multins.txt > "$TMP/empty.txt"
check "empty capture: the tree, the list and --raw print their headings" bash -c "
	[ \"\$($BIN -F '$TMP/empty.txt')\" = 'COMMAND PID REAPER NOTES' ] &&
	[ \"\$($BIN -F '$TMP/empty.txt' -l -o pid,comm)\" = 'PID COMM' ] &&
	[ \"\$($BIN -F '$TMP/empty.txt' -r -o pid,ppid)\" = 'PID PPID' ] &&
	[ -z \"\$($BIN -F '$TMP/empty.txt' -n)\" ] && [ -z \"\$($BIN -F '$TMP/empty.txt' -P)\" ] &&
	[ \"\$($BIN -F '$TMP/empty.txt' -J)\" = '{\"tasks\":[]}' ]"
# --color alone is auto (util-linux): no colour off a terminal
check "--color alone means auto: no escape sequences off a terminal" bash -c "
	! $M --color | grep -q \$'\\e\\['"
# --help: the column names fit their column
check "--help: every column name fits its column" bash -c "
	$BIN --help | sed -n '/^Available output columns:/,/^\$/{/^ /p}' |
		awk '{ i = index(\$0, \$1) + length(\$1); if (substr(\$0, i, 2) != \"  \") exit 1;
		       if (!w) w = i; else if (i != w) exit 1 }'"
check "SUB: --help and the man page agree (may have one above)" bash -c "
	$BIN --help | grep -q '^ *SUB  S child subreaper, s may have one above, - neither' &&
	sed -n '/^\\.B SUB\$/,/^\\.TP/p' pidns-tree.1 | tr '\n' ' ' | grep -q 'may have one above'"
check "man page: the JSON keys of the file's columns, origin to cgroup included" bash -c "
	sed -n '/^\\.SS json/,/^\\.SS explain/p' pidns-tree.1 | tr '\n' ' ' |
		grep -q 'origin \", \" origin_comm \", \" adopted \", \" cgroup'"
fails "usage: --pid with --ns" 1 "mutually exclusive" $M --pid 1 --ns 4026531836
fails "usage: bad --color" 1 "--color: 'sometimes'" $M --color=sometimes
fails "usage: unknown option" 1 "Try 'pidns-tree --help'" $M --bogus
fails "usage: extra argument" 1 "unexpected argument 'extra'" $M extra
check "--help" $BIN --help
check "--version, as util-linux prints it" bash -c "$BIN --version | grep -qx 'pidns-tree from pidns_tree .* (format versions 1 to 2)'"
check "--help, as util-linux prints it" bash -c "$BIN --help | head -3 | tr '\n' '|' | grep -qx '|Usage:| pidns-tree \[options\]|' &&
	$BIN --help | tail -1 | grep -qx 'For more details see pidns-tree(1).'"
if [ -w /dev/full ]; then
	fails "write error: exit 1" 1 "write error" sh -c "$M -l > /dev/full"
fi

# --- one column table, one option list ----------------------------------------
# The reader's column table (columns.c), the man page's COLUMNS and the
# format document (Documentation/proc-pidns_tree.rst: its header line and
# the column entries of its COLUMNS section) name the same columns.
RST=../Documentation/proc-pidns_tree.rst
check "columns: the reader's table, pidns-tree(1) and the format document agree" python3 -c '
import re, sys
src, man, rst = sys.argv[1], sys.argv[2], sys.argv[3]
rows = re.findall(r"\[PT_COL_\w+\]\s*=\s*\{\s*\"(\w+)\",\s*\"(\w+)\",[^,]+,[^,]+,[^,]+,\s*([^,]+),",
                  open(src).read())
assert len(rows) == len(re.findall(r"^\s*\[PT_COL_\w+\]\s*=", open(src).read(), re.M)), rows
file_cols = [n for n, h, f in rows if "FILECOL" in f]
headers = [h for n, h, f in rows]
# the man page: ".SH COLUMNS" then ".TP / .B NAME" entries
sec = open(man).read().split(".SH COLUMNS\n", 1)[1].split("\n.SH ", 1)[0]
man_cols = re.findall(r"^\.TP\n\.B (\S+)$", sec, re.M)
assert man_cols == headers, (man_cols, headers)
try:
    doc = open(rst).read()
except FileNotFoundError:
    print("no " + rst + ": only the man page compared")
    sys.exit(0)
hdr = re.search(r"^\s*# pidns_tree 2 (.*)$", doc, re.M).group(1).split()
assert hdr == file_cols, (hdr, file_cols)
# the COLUMNS section: a definition list of ``name`` terms (or a table
# whose rows start with the name)
m = re.search(r"^(COLUMNS|The columns)\n[-=]+\n(.*?)(?=^\S[^\n]*\n[-=]{3,}\n)", doc, re.M | re.S)
assert m, "no COLUMNS section in " + rst
terms = re.findall(r"^``(\w+)``\s*$", m.group(2), re.M) or \
        [w for w in re.findall(r"^([a-z_]+)\s{2,}\S", m.group(2), re.M) if w != "column"]
assert terms == file_cols, (terms, file_cols)
' columns.c pidns-tree.1 $RST

# --help, the man page and the bash completion offer the same options
check "options: --help, pidns-tree(1) and the bash completion agree" python3 -c '
import re, subprocess, sys
bin, man, comp = sys.argv[1], sys.argv[2], sys.argv[3]
help = subprocess.run([bin, "--help"], capture_output=True, text=True, check=True).stdout
opts = help.split("\nOptions:\n", 1)[1].split("\nAvailable output columns:", 1)[0]
h = re.findall(r"^ (?:-\w, )?\s*--([a-z-]+)", opts, re.M)
hs = sorted(re.findall(r"^ -(\w), --([a-z-]+)", opts, re.M))
sec = open(man).read().split(".SH OPTIONS\n", 1)[1].split("\n.SH ", 1)[0]
items = re.findall(r"^\.TP\n(\.B[IR]? [^\n]*)$", sec, re.M)
m = [re.search(r"\\-\\-([a-z\\-]+)", i).group(1).replace("\\-", "-") for i in items]
ms = sorted((a, b.replace("\\-", "-")) for a, b in re.findall(r"\\-(\w) \", \" \\-\\-([a-z\\-]+)", sec))
c = re.search(r"OPTS=\"(.*?)\"", open(comp).read(), re.S).group(1).split()
c = [o[2:] for o in c]
assert h == m, ("help", h, "man", m)
assert hs == ms, ("help", hs, "man", ms)
assert sorted(h) == sorted(c), ("help", h, "completion", c)
' $BIN pidns-tree.1 bash-completion/pidns-tree
check "bash completion: columns of the table for -o, options for --" bash -c '
	compopt() { :; }	# outside a completion, bash refuses it
	source bash-completion/pidns-tree
	COMP_WORDS=(pidns-tree -o PID,P); COMP_CWORD=2; _pidns_tree_module
	[ "$(printf "%s\n" "${COMPREPLY[@]}" | sort | tr "\n" " ")" = "PID,PARENT, PID,PIDNS, PID,PPID, " ] || exit 1
	COMP_WORDS=(pidns-tree --no); COMP_CWORD=1; _pidns_tree_module
	[ "${COMPREPLY[*]}" = "--noheadings --notruncate" ] || exit 1
	COMP_WORDS=(pidns-tree -o +P); COMP_CWORD=2; _pidns_tree_module
	[ "$(printf "%s\n" "${COMPREPLY[@]}" | sort | tr "\n" " ")" = "+PARENT, +PID, +PIDNS, +PPID, " ] || exit 1
	COMP_WORDS=(pidns-tree -x p); COMP_CWORD=2; _pidns_tree_module
	[ "$(printf "%s\n" "${COMPREPLY[@]}" | sort | tr "\n" " ")" = "PARENT PID PIDNS PPID " ] || exit 1
	COMP_WORDS=(pidns-tree --color=a); COMP_CWORD=1; _pidns_tree_module
	[ "${COMPREPLY[*]}" = "--color=auto --color=always" ] || exit 1
	COMP_WORDS=(pidns-tree --color ""); COMP_CWORD=2; _pidns_tree_module
	[ -z "${COMPREPLY[*]}" ] || exit 1
	cols=$(sed -n "/COLS=\"/,/\"\$/p" bash-completion/pidns-tree | sed "s/.*COLS=//" | tr -d "\"" | tr -s " \t" "\n" | sed "/^\$/d")
	[ "$cols" = "$('"$BIN"' --help | sed -n "/^Available output columns:/,/^\$/{/^ /p}" | awk "{ print \$1 }")" ]'

# --- live reads: kernel threads get /proc/PID/comm's longer name -----------
# ($PIDNS_TREE_PROC_ROOT stands for /proc, as when the live file is read)
PR=$TMP/proc
mkdir -p "$PR/3" "$PR/4" "$PR/9" "$PR/5" "$PR/177"
echo pool_workqueue_release > "$PR/3/comm"
echo kworker/R-kvfree_rcu_reclaim > "$PR/4/comm"
echo kworker/0:0-events > "$PR/9/comm"
echo bash > "$PR/5/comm"			# reused since: not its name
echo busybox-longer-name > "$PR/177/comm"	# no kernel thread
PIDNS_TREE_PROC_ROOT=$PR $BIN -F $FIX/origin.txt -l -o pid,comm > "$TMP/live-comm" 2>&1
check "live read: a kernel thread's longer /proc/PID/comm, only if it extends the module's" bash -c "
	grep -qx ' *3 pool_workqueue_release' '$TMP/live-comm' &&
	grep -qx ' *4 kworker/R-kvfree_rcu_reclaim' '$TMP/live-comm' &&
	grep -qx ' *9 kworker/0:0-events' '$TMP/live-comm' &&
	grep -qx ' *5 kworker/R-rcu_g' '$TMP/live-comm' &&
	grep -qx ' *177 busybox' '$TMP/live-comm'"
check "-F without the hook: the file's names, as written" bash -c "
	$BIN -F $FIX/origin.txt -l -o pid,comm | grep -qx ' *4 kworker/R-kvfre'"

# --- install, man page, memory ----------------------------------------------
if make -s install DESTDIR="$TMP/root" PREFIX=/usr > "$TMP/inst" 2>&1 &&
   [ -x "$TMP/root/usr/bin/pidns-tree" ] &&
   [ -f "$TMP/root/usr/share/man/man1/pidns-tree.1" ] &&
   [ -f "$TMP/root/usr/share/bash-completion/completions/pidns-tree" ] &&
   make -s uninstall DESTDIR="$TMP/root" PREFIX=/usr >> "$TMP/inst" 2>&1 &&
   ! [ -e "$TMP/root/usr/bin/pidns-tree" ]; then
	ok "make install/uninstall with DESTDIR and PREFIX"
else
	not_ok "make install/uninstall with DESTDIR and PREFIX" "$(cat "$TMP/inst")"
fi
if command -v groff > /dev/null; then
	if groff -man -Tutf8 -ww -z pidns-tree.1 > "$TMP/man" 2>&1 && ! [ -s "$TMP/man" ]; then
		ok "man page formats without warnings"
	else
		not_ok "man page formats without warnings" "$(head "$TMP/man")"
	fi
else
	skip "man page formats without warnings" "no groff"
fi
# vg NAME COMMAND...: COMMAND runs under valgrind with no error and no leak.
vg() {
	local name=$1
	shift
	if valgrind -q --leak-check=full --errors-for-leak-kinds=all \
		--error-exitcode=99 "$@" > /dev/null 2> "$TMP/vg"; then
		ok "$name"
	else
		not_ok "$name" "$(head -30 "$TMP/vg")"
	fi
}
if command -v valgrind > /dev/null && [ "${SANITIZE:-0}" != 1 ]; then
	for args in "--threads" "-J" "-l" "-l -O -x comm" "-P" "-J -l -O" "--dot" "--explain 79070" "--pid 79070"; do
		vg "valgrind: no errors or leaks with $args" $M $args
	done
	for w in events adopt reuse threads; do
		vg "valgrind: no errors or leaks in the watch diff ($w)" \
			tests/unit --watch-diff $FIX/watch-$w.0.txt $FIX/watch-$w.1.txt
	done
	for args in "-o +container" "--explain 601" "--container 36d6 -J" "--save $TMP/vg.snap"; do
		vg "valgrind: no errors or leaks with containers $args" $C $args
	done
	for args in "--events $FIX/events-adopt.events -F $FIX/events-docker.snap" \
		    "--events $FIX/events-late.events -F $FIX/events-late.snap --pid 2001 -J" \
		    "--events $FIX/events-late.events -F $FIX/events-late.snap --container demo"; do
		vg "valgrind: no errors or leaks replaying events ($args)" $BIN --watch $args
	done
	if valgrind -q --leak-check=full --error-exitcode=99 $BIN --events "$TMP/trunc.events" \
		-F $FIX/events-docker.snap > /dev/null 2> "$TMP/vg"; [ $? = 1 ]; then
		ok "valgrind: clean exit on a malformed stream"
	else
		not_ok "valgrind: clean exit on a malformed stream" "$(head -30 "$TMP/vg")"
	fi
	vg "valgrind: no errors or leaks with kernel threads' live names" \
		env PIDNS_TREE_PROC_ROOT="$PR" $BIN -F $FIX/origin.txt -l
	for args in "--explain 118" "--explain 118 -J" "--explain 300 -J" "--explain 1"; do
		vg "valgrind: no errors or leaks with $args (explain.snap)" $X $args
	done
	if PIDNS_TREE_CGROUP_MOUNT="$CG" valgrind -q --leak-check=full \
		--errors-for-leak-kinds=all --error-exitcode=99 \
		$BIN -F "$TMP/cap.txt" -o +container > /dev/null 2> "$TMP/vg"; then
		ok "valgrind: no errors or leaks walking a cgroup tree"
	else
		not_ok "valgrind: no errors or leaks walking a cgroup tree" "$(head -30 "$TMP/vg")"
	fi
	if valgrind -q --leak-check=full --error-exitcode=99 \
		$BIN -F $FIX/bad-cycle.txt > /dev/null 2> "$TMP/vg"; [ $? = 1 ]; then
		ok "valgrind: clean exit on a malformed file"
	else
		not_ok "valgrind: clean exit on a malformed file" "$(head -30 "$TMP/vg")"
	fi
else
	skip "valgrind: memory checks" "no valgrind, or a sanitizer build"
fi

# --- report -----------------------------------------------------------------
echo "TAP version 13"
echo "1..$n"
printf '%s\n' "${out[@]}"
echo "# Totals: pass:$pass fail:$fail xfail:0 xpass:0 skip:$skip error:0"
[ $fail = 0 ]
