#!/bin/busybox sh
# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=sh disable=SC2154 # values from /etc/mrbench.conf
#
# mrbench-vm stage 1, /init in the initramfs: reach the host root, add
# rxe0, hand over to stage 2 inside the root, power off. It stays pid 1 in
# the initramfs, where the kernel's module helper resolves its path.
#
# What differs between runs (the share, the release, where the modules
# are) comes from /etc/mrbench.conf, written by the host; this file is the
# same for every guest.

/bin/busybox --install -s /bin
export PATH=/bin
# shellcheck disable=SC1091 # written by the host for each run
. /etc/mrbench.conf
log() { echo "mrbench-vm: $*"; }
if [ -n "$trace" ]; then
	PS4='+ $(cut -d" " -f1 /proc/uptime 2>/dev/null) '
	set -x
fi

mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
load() {
	while read -r m; do
		insmod "/lib/early/$m" 2>/dev/null || log "insmod $(cat "/lib/early/$m.name") failed"
	done <"/lib/early/$1"
}
load root
load rxe &
rxe_loader=$!

p9='trans=virtio,version=9p2000.L,msize=262144'
r=/newroot
log "mounting the host root"
# The root is read-only and not changed behind our back while we run, so
# let the guest cache it: every exec comes from there.
if ! mount -t 9p -o "$p9,ro,cache=loose" mrbench-root $r; then
	log "cannot mount the host root over 9p"
	poweroff -f
fi
mount -t tmpfs -o mode=1777 tmpfs $r/tmp
mount -t tmpfs -o mode=755 tmpfs $r/run
mount -t proc proc $r/proc
mount -t sysfs sysfs $r/sys
mount -t devtmpfs devtmpfs $r/dev
# What udev would add: bash's process substitution needs /dev/fd.
ln -s /proc/self/fd $r/dev/fd
ln -s /proc/self/fd/0 $r/dev/stdin
ln -s /proc/self/fd/1 $r/dev/stdout
ln -s /proc/self/fd/2 $r/dev/stderr
mkdir -p $r/dev/pts $r/dev/shm $r/dev/hugepages $r/run/mrbench-vm
mount -t devpts devpts $r/dev/pts
mount -t tmpfs -o mode=1777 tmpfs $r/dev/shm
mount -t hugetlbfs hugetlbfs $r/dev/hugepages
mount -t 9p -o "$p9" mrbench-ctl $r/run/mrbench-vm
# A share under /tmp or /run needs its mount point made in our tmpfs.
mount_share()
{
	mkdir -p "$r$share" 2>/dev/null
	mount -t 9p -o "$p9" mrbench-share "$r$share" || log "cannot mount the share on $share"
}
mount_exec()
{
	mkdir -p "$r$exec_dir"
	mount -t 9p -o "$p9,ro" mrbench-exec "$r$exec_dir" || log "cannot mount $exec_dir"
}
# The outer directory first: a writable share inside a hidden exec dir
# (a build tree under /tmp) must not be covered by the read-only mount.
if [ -n "$exec_dir" ] && [ ${#exec_dir} -le ${#share} ]; then
	mount_exec
	mount_share
else
	mount_share
	[ -n "$exec_dir" ] && mount_exec
fi
if [ -n "$modroot" ]; then
	m=$r$modroot/lib/modules/$rel
	mkdir -p "$m"
	mount -t 9p -o "$p9,ro,cache=loose" mrbench-mods "$m" || log "cannot mount the modules"
fi
cat /proc/sys/kernel/osrelease >$r/run/mrbench-vm/release

# Later module requests (crypto algorithms, rdma-link-*) land here.
echo /bin/mrbench-modprobe >/proc/sys/kernel/modprobe

wait $rxe_loader
log "adding rxe0 on eth0"
ip link set lo up
ip link set eth0 up && ip addr add 10.0.2.15/24 dev eth0
if chroot $r rdma link add rxe0 type rxe netdev eth0; then
	# The port turns ACTIVE once the netdev has carrier.
	i=0
	while [ $i -lt 100 ] && ! grep -q ACTIVE /sys/class/infiniband/rxe0/ports/1/state; do
		usleep 20000
		i=$((i + 1))
	done
else
	log "no rxe0: rdma link add failed"
fi

stty -F /dev/ttyS1 raw -echo
stty -F /dev/ttyS2 raw -echo
stty -F /dev/ttyS3 raw -echo
# shellcheck disable=SC3045 # busybox sh has ulimit -l
ulimit -l unlimited
log "running the command"
chroot $r /bin/bash /run/mrbench-vm/stage2
log "command finished, powering off"
sync
poweroff -f
