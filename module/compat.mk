# SPDX-License-Identifier: GPL-2.0
#
# Feature probes for module/compat.h, read by Kbuild (and by the bench's
# floor, tools/bench/floor/Kbuild).  Each looks in the kernel tree for the
# feature itself, never at a version number: a header of $(srctree), or
# $(objtree)/Module.symvers for what the kernel exports.  Each missing or
# changed feature adds -DPIDNS_TREE_COMPAT_<FEATURE> to
# PIDNS_TREE_COMPAT_FLAGS; compat.h, included first in every object (-include),
# turns it into a pidns_tree_* name the .c files use.

pidns_tree_symvers := $(wildcard $(objtree)/Module.symvers)
pidns_tree_exported = $(if $(pidns_tree_symvers),$(shell grep -cw '$(1)' $(pidns_tree_symvers)),1)

PIDNS_TREE_COMPAT_FLAGS :=

# find_ge_pid() is not exported by 5.10 (its Module.symvers has no line
# for it; 6.1 exports it); idr_get_next(&ns->idr, &nr) is, and is the whole of 5.10's
# find_ge_pid().  A tree without Module.symvers is taken to export it.
ifeq ($(call pidns_tree_exported,find_ge_pid),0)
ifneq ($(call pidns_tree_exported,idr_get_next),0)
PIDNS_TREE_COMPAT_FLAGS += -DPIDNS_TREE_COMPAT_NO_FIND_GE_PID
endif
endif

# kmalloc_size_roundup() (include/linux/slab.h) is new in 6.1.
ifeq ($(shell grep -sc 'kmalloc_size_roundup' $(srctree)/include/linux/slab.h),0)
PIDNS_TREE_COMPAT_FLAGS += -DPIDNS_TREE_COMPAT_NO_KMALLOC_SIZE_ROUNDUP
endif

# Dumpability in task->exec_state (include/linux/sched/exec_state.h, 7.2)
# instead of mm->flags: get_dumpable() and SUID_DUMP_USER are gone.
pidns_tree_exec_state_h := $(wildcard $(srctree)/include/linux/sched/exec_state.h)
ifneq ($(if $(pidns_tree_exec_state_h),$(shell grep -c 'enum task_dumpable' $(pidns_tree_exec_state_h)),0),0)
PIDNS_TREE_COMPAT_FLAGS += -DPIDNS_TREE_COMPAT_EXEC_STATE
endif

# sched_process_exit gained a group_dead argument (7.2).
ifneq ($(shell grep -sc 'TP_PROTO(struct task_struct \*p, bool group_dead)' $(srctree)/include/trace/events/sched.h),0)
PIDNS_TREE_COMPAT_FLAGS += -DPIDNS_TREE_COMPAT_EXIT_GROUP_DEAD
endif
