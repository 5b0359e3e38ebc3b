#!/bin/busybox sh
# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=sh disable=SC2154 # values from /etc/mrbench.conf
#
# mrbench-vm: the kernel's request_module() helper in stage 1 (crypto
# algorithms, rdma-link-*). It runs the host's modprobe inside the chroot,
# against the guest kernel's own module tree when the host has none for it
# ($modroot in /etc/mrbench.conf, as stage 1 mounted it).
# shellcheck disable=SC1091 # written by the host for each run
. /etc/mrbench.conf
if [ -n "$modroot" ]; then
	exec chroot /newroot /sbin/modprobe -d "$modroot" "$@"
fi
exec chroot /newroot /sbin/modprobe "$@"
