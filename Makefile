# SPDX-License-Identifier: GPL-2.0
#
# A thin wrapper: the module itself is described by Kbuild.
#
#   make                 module for the running kernel (or KDIR=...) + reader
#   make install         modules_install + depmod, and the reader
#   make check           everything built with -Werror, host tests, and the
#                        selftests in a QEMU guest on every installed kernel
#   make demo            the article's container scenario, in a guest

KVER ?= $(shell uname -r)
KDIR ?= /lib/modules/$(KVER)/build
KRELEASE = $(shell sed -n 's/.*UTS_RELEASE "\(.*\)"/\1/p' $(KDIR)/include/generated/utsrelease.h 2>/dev/null)
BUILD := $(CURDIR)/build
MODBUILD = $(BUILD)/$(KRELEASE)
PREFIX ?= /usr/local
DESTDIR ?=

MODULE_SOURCES := Kbuild dkms.conf $(wildcard module/*.c module/*.h)

all: module userspace

# Build out of the source tree, one directory per kernel, so that several
# kernels can be built side by side (DKMS does the same).
module:
	@test -d "$(KDIR)" || { echo "No kernel headers at $(KDIR): install linux-headers-$(KVER) or pass KDIR=..."; exit 1; }
	@mkdir -p $(MODBUILD)/module
	@cp -p Kbuild dkms.conf $(MODBUILD)/
	@cp -p module/*.c module/*.h $(MODBUILD)/module/
	$(MAKE) -C $(KDIR) M=$(MODBUILD) modules

userspace:
	$(MAKE) -C userspace

install: module userspace
	$(MAKE) -C $(KDIR) M=$(MODBUILD) INSTALL_MOD_PATH=$(DESTDIR) modules_install
	$(if $(DESTDIR),,depmod -a $(KRELEASE))
	$(MAKE) -C userspace install PREFIX=$(PREFIX) DESTDIR=$(DESTDIR)

check:
	tools/check

demo:
	tools/demo

clean:
	rm -rf $(BUILD)
	$(MAKE) -C userspace clean

.PHONY: all module userspace install check demo clean
