#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# mrbench-vm stage 2: runs as bash inside the chroot, that is on the host's
# own user space, and runs the command. argv and the environment arrive
# NUL-separated in the control share, so no quoting is ever needed.
ctl=/run/mrbench-vm
mapfile -d '' -t conf <"$ctl/conf"
mapfile -d '' -t argv <"$ctl/argv"
mapfile -d '' -t envv <"$ctl/env"
cd "${conf[0]}" || echo "mrbench-vm: cannot enter ${conf[0]}" >&2
# --profile pmem: ext4 with DAX on pmem0, plain ext4 on pmem1, in /tmp.
if [[ " ${envv[*]} " == *" MRBENCH_VM_PROFILE="*pmem* ]]; then
	export PATH=/usr/sbin:/usr/bin:/sbin:/bin
	/usr/bin/env -i "${envv[@]}" modprobe -a nd_e820 nd_pmem ext4 2>/dev/null
	for _ in $(seq 50); do [ -b /dev/pmem1 ] && break; sleep 0.1; done
	mkdir -p /tmp/mrbench/dax /tmp/mrbench/ext4
	mkfs.ext4 -q -F -b 4096 /dev/pmem0 >/dev/null 2>&1 &&
		mount -o dax /dev/pmem0 /tmp/mrbench/dax &&
		envv+=(MRBENCH_DAX_DIR=/tmp/mrbench/dax)
	mkfs.ext4 -q -F -b 4096 /dev/pmem1 >/dev/null 2>&1 &&
		mount /dev/pmem1 /tmp/mrbench/ext4 &&
		envv+=(MRBENCH_FILE_DIR=/tmp/mrbench/ext4)
fi
# --profile swap: a 512M zram swap device (zram is a module on Debian's
# kernels), for mrbench fault reclaim. zram rather than a file: nothing
# to format or mount, and swap-out never waits for a disk.
if [[ " ${envv[*]} " == *" MRBENCH_VM_PROFILE="*swap* ]]; then
	export PATH=/usr/sbin:/usr/bin:/sbin:/bin
	/usr/bin/env -i "${envv[@]}" modprobe zram num_devices=1 2>/dev/null &&
		echo 512M >/sys/block/zram0/disksize &&
		mkswap /dev/zram0 >/dev/null && swapon /dev/zram0 ||
		echo "mrbench-vm: --profile swap: no zram swap device" >&2
fi
# --profile iommu: qemu's edu device (1234:11e8) bound to vfio-pci, so
# that its IOMMU group is /dev/vfio/N for mrbench reg -r vfio.
if [[ " ${envv[*]} " == *" MRBENCH_VM_PROFILE="*iommu* ]]; then
	export PATH=/usr/sbin:/usr/bin:/sbin:/bin
	/usr/bin/env -i "${envv[@]}" modprobe -a vfio-pci vfio_iommu_type1 2>/dev/null
	for d in /sys/bus/pci/devices/*; do
		[[ $(<"$d/vendor"):$(<"$d/device") == 0x1234:0x11e8 ]] || continue
		echo vfio-pci >"$d/driver_override" &&
			echo "${d##*/}" >/sys/bus/pci/drivers_probe
	done
	compgen -G '/dev/vfio/[0-9]*' >/dev/null ||
		echo "mrbench-vm: --profile iommu: no IOMMU group bound to vfio-pci" >&2
fi
# --profile vivid: V4L2's virtual test driver, one instance on its
# default allocator (vmalloc, which takes USERPTR buffers), for mrbench
# reg -r v4l2. Its nodes exist once modprobe returns (probed in init).
if [[ " ${envv[*]} " == *" MRBENCH_VM_PROFILE="*vivid* ]]; then
	export PATH=/usr/sbin:/usr/bin:/sbin:/bin
	/usr/bin/env -i "${envv[@]}" modprobe vivid n_devs=1 2>/dev/null &&
		[ -c /dev/video0 ] ||
		echo "mrbench-vm: --profile vivid: no vivid device" >&2
fi
: >"$ctl/started"
# The command runs in a process group of its own, with SIGINT not
# ignored as it would be for a job of a shell without job control, so
# that a signal from the host reaches all of it, and only it.
set -m
/usr/bin/env -i "${envv[@]}" "${argv[@]}" </dev/null >/dev/ttyS1 2>/dev/ttyS2 &
pid=$!
# A blocking read: no polling that would show in the figures.
(
	while read -r sig; do
		case $sig in
		INT | TERM) kill -s "$sig" -- "-$pid" 2>/dev/null ;;
		esac
	done
) </dev/ttyS3 &
watcher=$!
disown "$watcher"
set +m
wait "$pid"
status=$?
kill -KILL "$watcher" 2>/dev/null
echo "$status" >"$ctl/status"
