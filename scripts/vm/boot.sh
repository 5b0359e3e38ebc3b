# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash disable=SC2034,SC2154 # globals shared with mrbench-vm
#
# mrbench-vm's guests, sourced by mrbench-vm: the clock and accelerator,
# one boot of one kernel under qemu with its serial channels and control
# share, and stopping or interrupting that guest.
#
# Needs from mrbench-vm: note, die, the opt_* settings, memory_mib, cmd, run_set, tmp,
# GUEST_MODROOT, VM_DIR, k_images, k_rels, k_modroots, and build_initramfs.

qemu_pid=
ctl_fd=			# our end of the current guest's ttyS3
started=0		# the current guest reached the command
reader_pids=()

# ---------------------------------------------------------------- stopping

# Runs on every exit path (from mrbench-vm's cleanup), so that no qemu or
# reader survives us, whatever made us stop.
stop_guest()
{
	local pid

	if [[ -n $qemu_pid ]] && kill -0 "$qemu_pid" 2>/dev/null; then
		kill -TERM "$qemu_pid" 2>/dev/null
		wait "$qemu_pid" 2>/dev/null
	fi
	qemu_pid=
	[[ -n $ctl_fd ]] && exec {ctl_fd}>&-
	ctl_fd=
	stop_readers
	for pid in "${reader_pids[@]}"; do
		kill -TERM "$pid" 2>/dev/null
		wait "$pid" 2>/dev/null
	done
	reader_pids=()
}

# Killing qemu powers the guest off under the command's feet: what it
# had measured but not yet written is lost, and its temporary files stay
# in the share. So the signal goes to the command first, over ttyS3, as
# a Ctrl-C on bare metal would reach it; the guest powers off once the
# command has left, or GRACE_SECS later it is stopped anyway.
interrupt_guest()
{
	local sig=$1 now deadline

	[[ -n $qemu_pid ]] && kill -0 "$qemu_pid" 2>/dev/null || return 0
	# Before the command starts there is nothing to save.
	((started)) && [[ -n $ctl_fd ]] || return 0
	printf '%s\n' "$sig" >&"$ctl_fd" 2>/dev/null || return 0
	now=${EPOCHREALTIME//[.,]/}
	deadline=$((now + GRACE_SECS * 1000000))
	while kill -0 "$qemu_pid" 2>/dev/null && ((now < deadline)); do
		sleep 0.1
		now=${EPOCHREALTIME//[.,]/}
	done
	if ! kill -0 "$qemu_pid" 2>/dev/null; then
		wait "$qemu_pid" 2>/dev/null
		qemu_pid=
		# Let the readers pass on the command's last words.
		wait_readers
	fi
}

# ---------------------------------------------------------------- guest side

# The environment the command sees: a clean one, plus the host's locale
# and mrbench settings, plus where the kernel's modules are.
guest_env()
{
	local exec_dir=$1 rel=$2 modroot=$3 v term=dumb

	# The guest's stderr is a serial tty; whether a terminal really sits
	# at the far end is the host's to say.
	[ -t 2 ] && term=${TERM:-dumb}
	printf '%s\0' \
		"PATH=$exec_dir:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin" \
		"HOME=/tmp" "USER=root" "LOGNAME=root" "SHELL=/bin/sh" \
		"TERM=$term" \
		"MRBENCH_EXEC_DIR=$exec_dir" "MRBENCH_VM=1" \
		"MRBENCH_VM_KERNEL=$rel" "MRBENCH_VM_PROFILE=${opt_profile# }" \
		"MRBENCH_VM_HOST=$(uname -n)" "MRBENCH_VM_EMULATION=$(emulation_name)" \
		"MRBENCH_VM_CPUS=$opt_cpus" "MRBENCH_VM_NUMA=$opt_numa"
	[[ -n $run_set ]] && printf '%s\0' "MRBENCH_RUN_ID=$run_set"
	# --rdma-core: its libibverbs finds its own providers.
	[[ -n $rc_libdir ]] && printf '%s\0' "LD_LIBRARY_PATH=$rc_libdir" \
		"MRBENCH_VM_RDMA_CORE=$opt_rdma_core"
	[[ -n $modroot ]] && printf '%s\0' "MODPROBE_OPTIONS=-d $GUEST_MODROOT" \
		"MRBENCH_VM_MODULES=$GUEST_MODROOT"
	# The booted kernel's configuration, where its package put it: the
	# guest sees the host's root, so the host's path serves.
	for v in "$modroot/boot/config-$rel" "$modroot/lib/modules/$rel/config" \
		"$modroot/usr/lib/modules/$rel/config"; do
		[[ -n $modroot && -f $v ]] || continue
		printf '%s\0' "MRBENCH_VM_KERNEL_CONFIG=$(readlink -f -- "$v")"
		break
	done
	for v in LANG LANGUAGE TZ "${!LC_@}" "${!MRBENCH_@}"; do
		case $v in
		MRBENCH_EXEC_DIR | MRBENCH_VM* | MRBENCH_RUN_ID) continue ;;
		esac
		[[ -n ${!v+x} ]] && printf '%s\0' "$v=${!v}"
	done
}

# ---------------------------------------------------------------- host side

have_kvm()
{
	# /dev/kvm can exist on a CPU without vmx/svm; qemu would then
	# complain before falling back, so probe first.
	[[ -r /dev/kvm && -w /dev/kvm ]] && grep -qwE 'vmx|svm' /proc/cpuinfo
}

# Under TCG the guest's clock follows the host's, so a busy host or the
# emulator's own drift moves every figure: between boots the medians of
# one cell moved by 15-70%. icount makes time a count of instructions
# (shift=0: one ns each; sleep=off: idle time passes at once), and the
# same cells repeated within 0-2.3% across boots. It cannot see caches
# or memory, so it compares code paths, which is what differs between
# two kernels on one emulator. KVM runs the real CPU: its clock is real.
# auto becomes icount or host, once; the vCPU count follows from it.
resolve_clock()
{
	if [[ $opt_clock == auto ]]; then
		opt_clock=host
		have_kvm || opt_clock=icount
	fi
	if [[ -z $opt_cpus ]]; then
		opt_cpus=2
		[[ $opt_clock == icount ]] && opt_cpus=1
	fi
}

accel_opts()
{
	if [[ $opt_clock == icount ]]; then
		echo "-accel tcg,thread=single -icount shift=0,sleep=off"
	elif have_kvm; then
		echo "-accel kvm -accel tcg"
	else
		echo "-accel tcg"
	fi
}

# What the records say about how they were measured.
emulation_name()
{
	case $(accel_opts) in
	*icount*) echo tcg-icount ;;
	*kvm*) echo kvm ;;
	*) echo tcg ;;
	esac
}

# Copy a FIFO to one of our output descriptors. The FIFO is held open
# read-write by us as well, so the reader never sees EOF before we say so.
start_reader()
{
	local fifo=$1 fd=$2 log=${3:-}

	mkfifo "$fifo" || return 1
	if [[ -n $log ]]; then
		if ((opt_quiet)); then
			cat "$fifo" >"$log" &
		else
			tee -- "$log" <"$fifo" >&"$fd" &
		fi
	else
		cat "$fifo" >&"$fd" &
	fi
	reader_pids+=($!)
}

hold_fds=()

hold_fifo()
{
	local fd

	exec {fd}<>"$1"
	hold_fds+=("$fd")
}

# Closing our ends lets the readers drain and finish.
stop_readers()
{
	local fd

	for fd in "${hold_fds[@]}"; do
		exec {fd}>&-
	done
	hold_fds=()
}

wait_readers()
{
	local pid

	stop_readers
	for pid in "${reader_pids[@]}"; do
		wait "$pid" 2>/dev/null
	done
	reader_pids=()
}

# --numa N: one RAM backend per node, --memory split evenly (the last
# node takes what the division leaves), and CPU c on node c % N, so that
# with fewer CPUs than nodes the last nodes have memory and no CPU (as a
# CXL memory expander would).
numa_opts()
{
	local mib per size n c cpus

	((opt_numa > 1)) || return 0
	mib=$(memory_mib)
	per=$((mib / opt_numa))
	for ((n = 0; n < opt_numa; n++)); do
		size=$per
		((n == opt_numa - 1)) && size=$((mib - per * (opt_numa - 1)))
		cpus=
		for ((c = n; c < opt_cpus; c += opt_numa)); do
			cpus+=",cpus=$c"
		done
		printf '%s\n' -object "memory-backend-ram,id=mrbench-node$n,size=${size}M" \
			-numa "node,nodeid=$n,memdev=mrbench-node$n$cpus"
	done
}

# --profile iommu: a q35 machine (the Intel IOMMU is a PCIe platform
# device) with an emulated VT-d, and qemu's edu device, a small PCI
# device with DMA that no driver claims, for stage 2 to bind to vfio-pci.
# Other profiles keep qemu's default machine.
iommu_qemu_opts()
{
	[[ " $opt_profile " == *" iommu "* ]] || return 0
	printf '%s\n' -machine q35 -device intel-iommu -device edu
}

# qemu splits option values on commas; a comma in a value is doubled.
qemu_escape()
{
	printf '%s' "${1//,/,,}"
}

# The guest mounts tmpfs on these, hiding what the host has there.
hidden_in_guest()
{
	case $1/ in
	/tmp/* | /run/* | /dev/shm/* | /var/run/*) return 0 ;;
	esac
	return 1
}

# run_one's status for a guest that died before the command started.
NEVER_STARTED=126

# Boot one kernel and run the command. Returns the command's status,
# 124 on timeout, 125 if the guest never reported one, NEVER_STARTED if
# it never got as far as the command.
run_one()
{
	local idx=$1 exec_dir=$2 run ctl t0 deadline now status secs
	local exec_share moddir q_ctl q_share
	local k_image=${k_images[$1]} k_rel=${k_rels[$1]} k_modroot=${k_modroots[$1]}
	local -a qemu accel numa iommu

	read -ra accel <<<"$(accel_opts)"
	mapfile -t numa < <(numa_opts)
	mapfile -t iommu < <(iommu_qemu_opts)
	run=$tmp/run-$idx
	ctl=$run/ctl
	mkdir -p "$ctl" || die "cannot create $ctl"
	# Directories the guest needs but would not see through the root
	# share, because its own tmpfs covers them, get a share of their own.
	exec_share=
	hidden_in_guest "$exec_dir" && exec_share=$exec_dir
	build_initramfs "$run/initramfs.cpio" "$k_modroot" "$k_rel" "$exec_share" ||
		die "${k_rel}: cannot build the initramfs"
	cp -- "$VM_DIR/guest/stage2.sh" "$ctl/stage2" ||
		die "cannot copy the guest's stage 2 into $ctl"
	printf '%s\0' "$opt_share" >"$ctl/conf"
	printf '%s\0' "${cmd[@]}" >"$ctl/argv"
	guest_env "$exec_dir" "$k_rel" "$k_modroot" >"$ctl/env"

	start_reader "$run/console" 2 "$run/console.log" &&
		start_reader "$run/stdout" 1 &&
		start_reader "$run/stderr" 2 || die "cannot create FIFOs in $run"
	hold_fifo "$run/console"
	hold_fifo "$run/stdout"
	hold_fifo "$run/stderr"
	mkfifo "$run/ctl-in" && exec {ctl_fd}<>"$run/ctl-in" ||
		die "cannot create a FIFO in $run"
	started=0
	q_ctl=$(qemu_escape "$ctl")
	q_share=$(qemu_escape "$opt_share")

	# shellcheck disable=SC2054 # commas inside qemu option values
	qemu=(qemu-system-x86_64 -nodefaults -no-user-config
		"${accel[@]}" -cpu max -smp "$opt_cpus" -m "$opt_memory" "${numa[@]}"
		"${iommu[@]}"
		-no-reboot -display none -monitor none
		-kernel "$k_image" -initrd "$run/initramfs.cpio"
		-append "console=ttyS0 quiet loglevel=3 panic=-1 rdinit=/init$opt_append"
		-serial "file:$run/console" -serial "file:$run/stdout"
		-serial "file:$run/stderr" -serial "pipe:$run/ctl-in"
		-virtfs "local,path=/,mount_tag=mrbench-root,security_model=none,readonly=on,multidevs=remap"
		-virtfs "local,path=$q_ctl,mount_tag=mrbench-ctl,security_model=none,multidevs=remap"
		-virtfs "local,path=$q_share,mount_tag=mrbench-share,security_model=none,multidevs=remap"
		-nic user,model=virtio-net-pci,restrict=on)
	if [[ -n $k_modroot ]]; then
		moddir=$(readlink -f -- "$k_modroot/lib/modules/$k_rel")
		qemu+=(-virtfs "local,path=$(qemu_escape "$moddir"),mount_tag=mrbench-mods,security_model=none,readonly=on,multidevs=remap")
	fi
	[[ -n $exec_share ]] &&
		qemu+=(-virtfs "local,path=$(qemu_escape "$exec_share"),mount_tag=mrbench-exec,security_model=none,readonly=on,multidevs=remap")

	# Microseconds; the separator in EPOCHREALTIME follows the locale.
	t0=${EPOCHREALTIME//[.,]/}
	deadline=$((t0 + opt_timeout * 1000000))
	# A session of its own keeps a Ctrl-C at the terminal from reaching
	# qemu, which would power the guest off at once: the signal is ours
	# to pass on. The death signal takes qemu with us even if we are
	# killed outright. (setsid does not fork: a job is never a group
	# leader, so qemu stays our child.)
	setsid setpriv --pdeathsig KILL -- "${qemu[@]}" </dev/null 2>"$run/qemu.err" &
	qemu_pid=$!

	# Poll rather than block in wait: the boot line is printed as soon
	# as the command starts, and the deadline is ours to enforce.
	while kill -0 "$qemu_pid" 2>/dev/null; do
		# Booting side by side, our parent is the main mrbench-vm
		# ($$): if it was killed, nobody waits for this guest.
		if ! kill -0 "$$" 2>/dev/null; then
			kill -KILL "$qemu_pid" 2>/dev/null
			exit 137
		fi
		if ((!started)) && [[ -e $ctl/started ]]; then
			started=1
			secs=$(boot_seconds "$t0" "$ctl/started")
			note "$(<"$ctl/release"): booted in $secs s"
		fi
		now=${EPOCHREALTIME//[.,]/}
		if ((now >= deadline)); then
			kill -TERM "$qemu_pid" 2>/dev/null
			wait "$qemu_pid" 2>/dev/null
			qemu_pid=
			wait_readers
			note "guest on $k_rel did not finish within $opt_timeout s; last console lines:"
			tail -n 20 "$run/console.log" >&2
			return 124
		fi
		sleep 0.1
	done
	wait "$qemu_pid"
	status=$?
	qemu_pid=
	wait_readers
	if ((status)); then
		note "qemu failed on $k_rel (status $status): $(tail -n 1 "$run/qemu.err")"
		return 125
	fi
	if ((!started)); then
		note "guest on $k_rel never started the command; last console lines:"
		tail -n 20 "$run/console.log" >&2
		return "$NEVER_STARTED"
	fi
	# The guest went down without saying how the command ended: a
	# panic, most likely, and its console says which.
	[[ -s $ctl/status ]] || {
		note "guest on $k_rel did not report an exit status; last console lines:"
		tail -n 40 "$run/console.log" >&2
		return 125
	}
	return "$(<"$ctl/status")"
}

# From qemu's start to the moment the guest created the "started" file;
# its mtime is set by the host's file system, so both ends use one clock.
boot_seconds()
{
	local t0=$1 file=$2 t1 ds

	t1=$(date -r "$file" +%s%6N) || return 1
	ds=$(((t1 - t0 + 50000) / 100000))
	printf '%d.%d\n' $((ds / 10)) $((ds % 10))
}

# One boot of kernel i. A boot that dies before the command (a panic
# while the kernel patches itself under TCG was seen once) says nothing
# of the command: boot once more, then give up.
boot_kernel()
{
	local i=$1 exec_dir=$2 st

	rm -rf -- "$tmp/run-$i"
	run_one "$i" "$exec_dir"
	st=$?
	if ((st == NEVER_STARTED)); then
		note "booting ${k_rels[$i]} once more"
		rm -rf -- "$tmp/run-$i"
		run_one "$i" "$exec_dir"
		st=$?
		((st == NEVER_STARTED)) && st=125
	fi
	return "$st"
}
