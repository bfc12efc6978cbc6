# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# tools/lib.sh - what the tools' bash scripts share; source it:
#
#   . "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../lib.sh"
#
# It only defines variables and functions (safe under set -euo pipefail):
#
#   top                    the source tree (the directory above tools/)
#   KTAP                   ok, not_ok, skip, check_status, diag, show_log,
#                          count_ktap, plan, totals, summary, all_passed
#   run LOG CMD...         run CMD with its output appended to LOG
#   installed_kernels      the Debian kernels installed here (default_kernel:
#                          the newest generic one)
#   guest_fs CONFIG        how tools/vm/vm-run shares the host's files with
#                          a kernel of that .config: 9p or virtiofs
#   DKMS state             project_version, documented_header,
#                          registered_versions, module_files, all_module_files
#   linux_source_bits      kselftest_harness.h and checkpatch from Debian's
#                          linux-source-6.1 tarball ($linux_source), into build/

top=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)

# ---- KTAP ------------------------------------------------------------------
# A script's own test lines are numbered and counted in ktap_*; the KTAP of
# a program it runs (a selftest, the reader's tests, dkms-test) is passed
# through as it is and its "# Totals:" lines are added to nested_* by
# count_ktap.  totals prints the script's own counts, so that adding up
# every "# Totals:" line of a log counts each test once; summary prints
# the grand total, "N passed, N failed, N skipped", for a person to read.
ktap_n=0 ktap_pass=0 ktap_fail=0 ktap_skip=0
nested_pass=0 nested_fail=0 nested_skip=0

ok() {		# ok NAME
	ktap_n=$((ktap_n + 1)) ktap_pass=$((ktap_pass + 1))
	printf 'ok %d %s\n' "$ktap_n" "$1"
}
not_ok() {	# not_ok NAME [REASON]
	ktap_n=$((ktap_n + 1)) ktap_fail=$((ktap_fail + 1))
	printf 'not ok %d %s%s\n' "$ktap_n" "$1" "${2:+ # $2}"
}
skip() {	# skip NAME REASON
	ktap_n=$((ktap_n + 1)) ktap_skip=$((ktap_skip + 1))
	printf 'ok %d %s # SKIP %s\n' "$ktap_n" "$1" "$2"
}
check_status() {	# check_status STATUS NAME: ok if STATUS is 0
	if (($1 == 0)); then ok "$2"; else not_ok "$2"; fi
}
diag() {	# diag [TEXT...]: TEXT, or stdin, as KTAP diagnostics
	if (($#)); then
		printf '%s\n' "$*" | sed 's/^/# /'
	else
		sed 's/^/# /'
	fi
}
show_log() {	# show_log FILE [LINES]: the end of a log, as diagnostics
	diag "log: $1 (last ${2:-40} lines)"
	tail -n "${2:-40}" "$1" | diag
}
# count_ktap FILE: add the "# Totals:" lines of a KTAP log (and its
# "1..0 # SKIP" lines, a program skipped whole) to nested_*; fails if the
# log has neither.
count_ktap() {
	local p f s
	read -r p f s < <(awk '
		/^# Totals: / {
			for (i = 3; i <= NF; i++) { split($i, kv, ":"); t[kv[1]] += kv[2] }
			seen = 1
		}
		/^1\.\.0 # SKIP/ { t["skip"]++; seen = 1 }
		END { if (!seen) print "x"; else print t["pass"]+0, t["fail"]+t["error"], t["skip"]+0 }' "$1")
	[[ $p != x ]] || return 1
	nested_pass=$((nested_pass + p)) nested_fail=$((nested_fail + f))
	nested_skip=$((nested_skip + s))
}
plan() { printf '1..%d\n' "$ktap_n"; }
totals() {
	printf '# Totals: pass:%d fail:%d xfail:0 xpass:0 skip:%d error:0\n' \
		"$ktap_pass" "$ktap_fail" "$ktap_skip"
}
summary() {
	printf '%d passed, %d failed, %d skipped\n' \
		$((ktap_pass + nested_pass)) $((ktap_fail + nested_fail)) \
		$((ktap_skip + nested_skip))
}
all_passed() { ((ktap_fail + nested_fail == 0)); }

# run LOG CMD...: run a command with its output appended to LOG.
run() {
	local log=$1 t=$SECONDS rc=0
	shift
	printf '+ %s\n' "$*" >>"$log"
	"$@" >>"$log" 2>&1 || rc=$?
	printf '+ exit %d after %d s\n' "$rc" $((SECONDS - t)) >>"$log"
	return "$rc"
}

# ---- kernels ---------------------------------------------------------------
# installed_kernels [--boot|--headers]: the kernels installed here, one per
# line, oldest first; of one version, the special flavours (Debian's -rt-,
# -cloud-) come before the generic one, so the last line is the default.
#   (no option)  bootable and buildable: /boot/vmlinuz-KVER and headers in
#                /lib/modules/KVER/build (the test matrix, demo, bench)
#   --boot       bootable: /boot/vmlinuz-KVER and /lib/modules/KVER
#                (tools/vm/vm-run)
#   --headers    buildable: headers in /lib/modules/KVER/build (DKMS)
installed_kernels() {
	local want=${1:-} f k base
	case $want in
	"" | --boot | --headers) ;;
	*) echo "installed_kernels: unknown option '$want'" >&2; return 2 ;;
	esac
	{
		for f in /boot/vmlinuz-*; do
			[[ -f $f ]] || continue
			printf '%s\n' "${f#/boot/vmlinuz-}"
		done
		for f in /lib/modules/*/; do
			[[ -d $f ]] || continue
			f=${f%/}
			printf '%s\n' "${f##*/}"
		done
	} | sort -u | while IFS= read -r k; do
		case $want in
		--boot) [[ -f /boot/vmlinuz-$k && -d /lib/modules/$k ]] || continue ;;
		--headers) [[ -f /lib/modules/$k/build/Makefile ]] || continue ;;
		*) [[ -f /boot/vmlinuz-$k && -f /lib/modules/$k/build/Makefile ]] || continue ;;
		esac
		base=${k/-rt-/-}
		base=${base/-cloud-/-}
		printf '%s\t%d\t%s\n' "$base" "$([[ $base == "$k" ]] && echo 1 || echo 0)" "$k"
	done | sort -t $'\t' -k1,1V -k2,2n | cut -f3
}
# default_kernel [--boot|--headers]: the newest, generic before -rt-.
default_kernel() { installed_kernels "$@" | tail -n 1; }

# guest_fs CONFIG: "9p" if the kernel config file CONFIG has virtio-9p (or
# is missing: assumed), "virtiofs" if it has virtio-fs only (Debian's cloud
# kernels), nothing and status 1 if neither.  virtio-fs needs root on the
# host (virtiofsd); 9p does not.
guest_fs() {
	local cfg=$1
	if [[ ! -r $cfg ]] || { grep -qE '^CONFIG_NET_9P_VIRTIO=[ym]$' "$cfg" &&
		grep -qE '^CONFIG_9P_FS=[ym]$' "$cfg"; }; then
		echo 9p
	elif grep -qE '^CONFIG_VIRTIO_FS=[ym]$' "$cfg"; then
		echo virtiofs
	else
		return 1
	fi
}

# ---- the project and its DKMS state ----------------------------------------
# project_version: PACKAGE_VERSION of dkms.conf, the project's one version.
project_version() {
	sed -n 's/^PACKAGE_VERSION="\(.*\)"$/\1/p' "$top/dkms.conf"
}
# documented_header: the header line of /proc/pidns_tree, as the reference
# (Documentation/proc-pidns_tree.rst) shows it.
documented_header() {
	grep -m1 -o '# pidns_tree [0-9].*' "$top/Documentation/proc-pidns_tree.rst" |
		sed 's/[[:space:]]*$//'
}
registered_versions() {	# the pidns_tree versions DKMS knows, one per line
	local d
	{
		dkms status -m pidns_tree 2>/dev/null | sed -n 's|^pidns_tree/\([^,:]*\).*|\1|p'
		for d in /var/lib/dkms/pidns_tree/*/; do
			[[ -d $d ]] || continue
			d=${d%/}
			d=${d##*/}
			[[ $d == kernel-* || $d == original_module ]] || echo "$d"
		done
	} | sort -u
}
module_files() {	# module_files KVER...: the module files DKMS installed
	local k f
	for k in "$@"; do
		for f in /lib/modules/"$k"/updates/dkms/pidns_tree.ko*; do
			[[ -e $f ]] && echo "$f"
		done
	done
	return 0
}
all_module_files() {	# every pidns_tree.ko* under /lib/modules
	find /lib/modules/ -name 'pidns_tree.ko*' 2>/dev/null
	return 0
}

# ---- bits of the kernel source ---------------------------------------------
# The tarball of Debian's linux-source-6.1 (tools/deps), whose
# kselftest_harness.h the selftests are written against and whose tree
# tools/check/debug-kernel builds; PIDNS_TREE_LINUX_SOURCE names another.
linux_source=${PIDNS_TREE_LINUX_SOURCE:-/usr/src/linux-source-6.1.tar.xz}

# linux_source_bits: build/ksft (kselftest_harness.h, kselftest.h) and
# build/checkpatch (checkpatch.pl, spelling.txt, const_structs.checkpatch),
# from $linux_source; nothing if both are there.
linux_source_bits() {
	local build=$top/build
	[[ -f $build/ksft/kselftest_harness.h && -f $build/checkpatch/checkpatch.pl ]] &&
		return 0
	if [[ ! -f $linux_source ]]; then
		echo "no $linux_source: apt-get install linux-source-6.1 (or set PIDNS_TREE_LINUX_SOURCE)" >&2
		return 1
	fi
	mkdir -p "$build/ksft" "$build/checkpatch" &&
	tar -xJf "$linux_source" -C "$build/ksft" --strip-components=4 --wildcards \
		'*/tools/testing/selftests/kselftest.h' \
		'*/tools/testing/selftests/kselftest_harness.h' &&
	tar -xJf "$linux_source" -C "$build/checkpatch" --strip-components=2 --wildcards \
		'*/scripts/checkpatch.pl' '*/scripts/spelling.txt' \
		'*/scripts/const_structs.checkpatch'
}
