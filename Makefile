# SPDX-License-Identifier: GPL-2.0
#
# A thin wrapper: the module itself is described by Kbuild.
#
#   make                      module for the running kernel (or KDIR=...)
#                             and the reader
#   make install              modules_install + depmod, the reader, man pages
#   make uninstall            removes what install put
#   make install-dkms-source  the module's source in
#                             $(DESTDIR)/usr/src/pidns_tree-VERSION, for dkms add
#   make man                  build/man/pidns_tree.5 and pidns_tree_events.5
#                             from the format references
#   make floor                the benchmark's floor module (KDIR=... as module)
#
#   make style                checkpatch --strict over module/
#   make test                 host tests: the reader, the Kbuild/dkms.conf
#                             floor, the docs (no root, no guest)
#   make selftests            the module (-Werror) and the selftests in one
#                             QEMU guest (KVER=...; default: newest installed)
#   make check                style + test + selftests on every kernel and a
#                             debug kernel + DKMS + packages (what CI runs)
#   make deb                  Debian packages pidns-tree-dkms and pidns-tree
#   make check-deb            install, check and purge those packages (root)
#   make dkms-test            the DKMS cycle on every kernel (root)
#   make demo                 the article's container scenario, in a guest
#   make kernels              fetch the kernels of tools/kernels/kernels.list
#                             (5.10, 7.2, arm64) into the cache, once
#   make kernels-latest       whether bullseye, sid, bookworm have newer ones
#   make bench                timings against ps/pstree (bench-quick: 1k tasks),
#                             then the reader's views on 10k and 100k snapshots

KVER ?= $(shell uname -r)
KDIR ?= /lib/modules/$(KVER)/build
KRELEASE = $(shell sed -n 's/.*UTS_RELEASE "\(.*\)"/\1/p' $(KDIR)/include/generated/utsrelease.h 2>/dev/null)
BUILD := $(CURDIR)/build
MODBUILD = $(BUILD)/$(KRELEASE)
PREFIX ?= /usr/local
DESTDIR ?=
RST2MAN ?= rst2man

VERSION := $(shell sed -n 's/^PACKAGE_VERSION="\(.*\)"$$/\1/p' dkms.conf)
# The module's source, as DKMS gets it: the one list for `make module`,
# install-dkms-source (debian/rules and tools/check/dkms-test use it).
MODULE_SOURCES := Kbuild dkms.conf $(sort $(wildcard module/*.c module/*.h module/*.mk))
DKMS_SOURCE_DIR ?= /usr/src/pidns_tree-$(VERSION)

all: module userspace

# Build out of the source tree, one directory per kernel, so that several
# kernels can be built side by side (DKMS does the same).
module:
	@test -d "$(KDIR)" || { echo "No kernel headers at $(KDIR): install linux-headers-$(KVER) or pass KDIR=..."; exit 1; }
	@mkdir -p $(MODBUILD)
	@cp -p --parents $(MODULE_SOURCES) $(MODBUILD)/
	$(MAKE) -C $(KDIR) M=$(MODBUILD) modules

install-dkms-source:
	@for f in $(MODULE_SOURCES); do \
		install -D -p -m 644 $$f $(DESTDIR)$(DKMS_SOURCE_DIR)/$$f || exit 1; \
	done

userspace:
	$(MAKE) -C userspace

# pidns_tree(5) and pidns_tree_events(5), generated from the format references.
MAN5 := $(BUILD)/man/pidns_tree.5 $(BUILD)/man/pidns_tree_events.5
man: $(MAN5)
$(BUILD)/man/%.5: Documentation/proc-%.rst
	@command -v $(RST2MAN) >/dev/null || { echo "$(RST2MAN) not found: apt-get install python3-docutils"; exit 1; }
	@mkdir -p $(@D)
	$(RST2MAN) $< $@.tmp && mv -f $@.tmp $@

# The floor module of the benchmark: tools/bench/floor/floor.c and a copy of
# module/iter.[ch], built like the module, into build/bench/floor/KVER.
FLOORBUILD = $(BUILD)/bench/floor/$(KRELEASE)
floor:
	@test -d "$(KDIR)" || { echo "No kernel headers at $(KDIR): install linux-headers-$(KVER) or pass KDIR=..."; exit 1; }
	@mkdir -p $(FLOORBUILD)
	@cp -p tools/bench/floor/Kbuild tools/bench/floor/floor.c module/iter.c module/iter.h \
		module/compat.h module/compat.mk $(FLOORBUILD)/
	$(MAKE) -C $(KDIR) M=$(FLOORBUILD) modules

install: module userspace man
	$(MAKE) -C $(KDIR) M=$(MODBUILD) INSTALL_MOD_PATH=$(DESTDIR) modules_install
	$(if $(DESTDIR),,depmod -a $(KRELEASE))
	$(MAKE) -C userspace install PREFIX=$(PREFIX) DESTDIR=$(DESTDIR)
	install -D -m 644 -t $(DESTDIR)$(PREFIX)/share/man/man5 $(MAN5)

# Removes what install put: the module wherever modules_install puts an
# external module (INSTALL_MOD_DIR, by default extra/ before Linux 6.4 and
# updates/ since; never DKMS's updates/dkms/), compressed or not, the
# reader and both man pages.  Same KVER/KDIR/DESTDIR/PREFIX as install.
UNINSTALL_MODDIRS = $(addprefix $(DESTDIR)/lib/modules/$(or $(KRELEASE),$(KVER))/,$(or $(INSTALL_MOD_DIR),extra updates))
uninstall:
	rm -f $(foreach d,$(UNINSTALL_MODDIRS),$(foreach x,ko ko.gz ko.xz ko.zst,$(d)/pidns_tree.$(x)))
	-rmdir --ignore-fail-on-non-empty $(wildcard $(UNINSTALL_MODDIRS))
	$(if $(DESTDIR),,depmod -a $(or $(KRELEASE),$(KVER)))
	$(MAKE) -C userspace uninstall PREFIX=$(PREFIX) DESTDIR=$(DESTDIR)
	rm -f $(DESTDIR)$(PREFIX)/share/man/man5/pidns_tree.5 \
		$(DESTDIR)$(PREFIX)/share/man/man5/pidns_tree_events.5

# ---- tests: each prints KTAP; check is their sum -----------------------------
style:
	tools/check/style

test:
	tools/check/host-tests

# KVER only if given: the default is the newest installed kernel, not the
# running one.
selftests:
	tools/check/selftests $(if $(filter command line environment,$(origin KVER)),$(KVER))

check:
	tools/check/check

# The kernels beyond the installed ones (tools/kernels/kernels.list), from
# the Debian registry through a private apt configuration.
kernels:
	tools/kernels/fetch

kernels-latest:
	tools/kernels/fetch --latest

dkms-test:
	tools/check/dkms-test

# Debian packages pidns-tree-dkms and pidns-tree (debian/), built with
# dpkg-buildpackage from a copy of the tree in build/deb/src: the .debs
# land in build/deb/ and the tree stays clean.  check-deb installs them on
# this machine, checks DKMS built the module for every kernel, loads it in
# a guest and purges them (tools/check/check-deb, as root).
DEB_DIR := $(BUILD)/deb
deb:
	rm -rf $(DEB_DIR)
	mkdir -p $(DEB_DIR)/src
	{ git ls-files -co --exclude-standard 2>/dev/null || \
	  find . \( -path ./build -o -path ./.git \) -prune -o -type f -print; } | \
		tar -cf - --no-recursion --ignore-failed-read -T - | tar -xf - -C $(DEB_DIR)/src
	cd $(DEB_DIR)/src && dpkg-buildpackage -us -uc -b
	ls $(DEB_DIR)/*.deb

check-deb:
	tools/check/check-deb

demo:
	tools/demo/demo

# tools/bench/bench in a QEMU guest: the cost of a fork with the module
# loaded; 1k to 100k tasks, /proc/pidns_tree and pidns-tree next to ps,
# pstree and the status files (long: about 45 minutes under TCG); results
# in build/bench/KVER/.  Then tools/bench/bench-deep: the read of a chain
# 3,000 and 10,000 deep below a subreaper against as many processes side by
# side (target 1.5x).  Then userspace/tests/bench-views: every view of
# the reader on 10k and 100k-task snapshots, on the host.  bench-quick is
# the guest part at 1k tasks only.  Either exits 3 when a target is missed.
bench:
	@rc=0; tools/bench/bench || rc=$$?; \
	tools/bench/bench-deep || rc=$$?; \
	userspace/tests/bench-views || rc=$$?; exit $$rc

bench-quick:
	tools/bench/bench --quick

clean:
	rm -rf $(BUILD)
	$(MAKE) -C userspace clean

.PHONY: all module userspace man floor install uninstall install-dkms-source
.PHONY: style test selftests check dkms-test deb check-deb demo clean
.PHONY: kernels kernels-latest
.PHONY: bench bench-quick
