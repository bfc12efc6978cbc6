#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Write a synthetic, valid /proc/pidns_tree snapshot to stdout.

gen-snapshot.py --tasks N   about N tasks
gen-snapshot.py --bytes B   at least B bytes
gen-snapshot.py --chain N   one chain of N processes, each the child of the last

Host with systemd, kthreads, and containers (init + a subreaper shim, a few
workers with threads and a nested namespace), deterministic.
"""
import sys

HDR = ("# pidns_tree 1 pid tgid ppid parent tracer sub reaper pidns level "
       "nspids state init comm\n")
HOST_NS = 4026531836


def line(pid, tgid, ppid, reaper, ns, nspids, comm, sub="-", init=0,
         state="S", parent=None, tracer=0):
    parent = ppid if parent is None else parent
    return "%d %d %d %d %d %s %s %d %d %s %s %d %s\n" % (
        pid, tgid, ppid, parent, tracer, sub, reaper, ns, len(nspids) - 1,
        ",".join(map(str, nspids)), state, init, comm)


def chain(n):
    out = [HDR, line(1, 1, 0, "0", HOST_NS, [1], "init", init=1)]
    for pid in range(2, n + 1):
        out.append(line(pid, pid, pid - 1, "1", HOST_NS, [pid], "c%d" % pid))
    return out


def host(limit_tasks, limit_bytes):
    out = [HDR, line(1, 1, 0, "0", HOST_NS, [1], "systemd", init=1),
           line(2, 2, 0, "0", HOST_NS, [2], "kthreadd")]
    size = sum(map(len, out))
    pid = 3
    for _ in range(100):
        out.append(line(pid, pid, 2, "1", HOST_NS, [pid], "kworker/%d:0" % pid,
                        state="I"))
        pid += 1
    c = 0
    while len(out) - 1 < limit_tasks and size < limit_bytes:
        ns = 4026532000 + 2 * c
        shim = pid
        block = [line(shim, shim, 1, "-", HOST_NS, [shim],
                      "containerd-shim", sub="S")]
        init = shim + 1
        block.append(line(init, init, shim, "1", ns, [init, 1], "sh",
                          sub="s", init=1))
        pid = init + 1
        for w in range(1, 9):
            wp = pid
            block.append(line(wp, wp, init, "-", ns, [wp, 1 + w],
                              "worker\\040%d" % w, sub="s",
                              state="Z" if w == 8 else "S"))
            for t in range(3):
                tp = wp + 1 + t
                block.append(line(tp, wp, init, "-", ns, [tp, 100 + 10 * w + t],
                                  "worker\\040%d" % w, sub="s"))
            pid = wp + 4
        nested = pid
        block.append(line(nested, nested, init, "-", ns + 1,
                          [nested, 50, 1], "nested", sub="s", init=1))
        pid += 1
        out += block
        size += sum(map(len, block))
        c += 1
    return out


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    n = int(sys.argv[2])
    if sys.argv[1] == "--chain":
        out = chain(n)
    elif sys.argv[1] == "--tasks":
        out = host(n, float("inf"))
    elif sys.argv[1] == "--bytes":
        out = host(float("inf"), n)
    else:
        sys.exit(__doc__)
    sys.stdout.write("".join(out))


if __name__ == "__main__":
    main()
