# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash disable=SC2034,SC2154 # globals shared with mrbench-vm
#
# mrbench-vm's initramfs, sourced by mrbench-vm: busybox, the guest's
# stage 1 and module helper (files of their own in guest/), the early
# modules, and /etc/mrbench.conf, the only part written per run.
#
# Needs from mrbench-vm: VM_DIR, GUEST_MODROOT, opt_share.

# Loading modules from the initramfs with busybox is much cheaper under TCG
# than running kmod over 9p, so everything the lab itself needs goes there.
# Two groups: what reaches the root (virtio, 9p), loaded first, and what
# makes rxe0 (virtio_net, rdma_rxe), loaded meanwhile on the other CPU.
ROOT_MODULES="virtio_pci 9pnet_virtio 9p"
RXE_MODULES="virtio_net rdma_rxe"

# rxe computes its ICRC through the crypto API on some kernels (6.1, 6.12)
# and with the crc32 library on others (sid). In the first case the
# "crc32" transform must be loadable when the link is added.
rxe_needs_crypto_crc32()
{
	local root=$1 rel=$2 m

	m=$(modprobe -d "$root" -S "$rel" --show-depends rdma_rxe 2>/dev/null |
		awk '$1 == "insmod" { f = $2 } END { print f }')
	[[ -n $m ]] && decompress_module "$m" | grep -aq crypto_alloc_shash
}

# Modules to load in stage 1 as "GROUP PATH" lines, each group in
# dependency order; built-in ones drop out. The crypto providers come
# last: one of them may refuse to load (crc32-pclmul wants a CPU flag).
early_modules()
{
	local root=$1 rel=$2 m

	{
		for m in $ROOT_MODULES; do
			modprobe -d "$root" -S "$rel" --show-depends "$m" 2>/dev/null |
				sed 's/^/root /'
		done
		for m in $RXE_MODULES; do
			modprobe -d "$root" -S "$rel" --show-depends "$m" 2>/dev/null |
				sed 's/^/rxe /'
		done
		rxe_needs_crypto_crc32 "$root" "$rel" &&
			modprobe -d "$root" -S "$rel" --show-depends crypto-crc32 2>/dev/null |
				sed 's/^/rxe /'
	} | awk '$2 == "insmod" && !seen[$3]++ { print $1, $3 }'
}

# busybox's insmod wants plain ELF objects.
decompress_module()
{
	case $1 in
	*.xz) xz -dc -- "$1" 2>/dev/null || busybox unxz -c -- "$1" ;;
	*.zst) zstd -qdc -- "$1" ;;
	*.gz) gzip -dc -- "$1" ;;
	*) cat -- "$1" ;;
	esac
}

# POSIX single quoting, for values handed to busybox sh.
sh_quote()
{
	local s=${1//\'/\'\\\'\'}

	printf "'%s'" "$s"
}

# Values stage 1 and the module helper read, as POSIX shell assignments.
write_guest_conf()
{
	local root=$1 rel=$2 exec_share=$3

	printf 'share=%s\n' "$(sh_quote "$opt_share")"
	printf 'rel=%s\n' "$(sh_quote "$rel")"
	# Where stage 1 mounts the kernel's module tree, and the helper finds
	# it; empty when the kernel has none of its own.
	printf 'modroot=%s\n' "$(sh_quote "${root:+$GUEST_MODROOT}")"
	printf 'exec_dir=%s\n' "$(sh_quote "$exec_share")"
	# MRBENCH_VM_TRACE=1 shows stage 1 step by step, with uptimes.
	printf 'trace=%s\n' "$(sh_quote "${MRBENCH_VM_TRACE:-}")"
}

build_initramfs()
{
	local out=$1 root=$2 rel=$3 exec_share=$4 dir group m n=0

	dir=${out%.cpio}.d
	rm -rf -- "$dir"
	mkdir -p "$dir"/{bin,dev,etc,proc,sys,newroot,lib/early} || return 1
	cp /bin/busybox "$dir/bin/busybox" 2>/dev/null ||
		cp "$(command -v busybox)" "$dir/bin/busybox" || return 1
	cp -- "$VM_DIR/guest/init.sh" "$dir/init" &&
		cp -- "$VM_DIR/guest/modprobe.sh" "$dir/bin/mrbench-modprobe" ||
		return 1
	write_guest_conf "$root" "$rel" "$exec_share" >"$dir/etc/mrbench.conf"
	chmod 755 "$dir/init" "$dir/bin/mrbench-modprobe"
	: >"$dir/lib/early/root"
	: >"$dir/lib/early/rxe"
	if [[ -n $root ]]; then
		while read -r group m; do
			n=$((n + 1))
			decompress_module "$m" >"$dir/lib/early/$n.ko" || return 1
			m=${m##*/}
			echo "${m%%.ko*}" >"$dir/lib/early/$n.ko.name"
			echo "$n.ko" >>"$dir/lib/early/$group"
		done < <(early_modules "$root" "$rel")
	fi
	(cd "$dir" && find . | busybox cpio -o -H newc 2>/dev/null) >"$out"
}
