#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash disable=SC2034,SC2154 # globals shared with mrbench-vm
#
# A newer rdma-core for the guests than the host's: Debian 12's rdma-core
# 44 has no ibv_advise_mr in its rxe provider, so ODP prefetch cannot run
# on it. This fetches the upstream tarball that Debian unstable's source
# pool carries (only the .orig.tar.gz: the registry answers 404 for the
# rest), builds it once with cmake and installs it into the cache. The
# host's own rdma-core is never touched; mrbench-vm --rdma-core puts the
# cached libraries on the guest's library path, and the providers are
# found through the paths compiled into that libibverbs.
#
# Sourced by mrbench-vm after kernel-fetch.sh, whose cache and apt view
# helpers it uses. Run on its own, "rdma-core-fetch.sh VERSION" fetches
# and builds, prints the library directory, and exits 77 with the reason
# on stderr when rdma-core VERSION cannot be had here (a test's skip).
#
# Cache layout, beside the kernels:
#   rdma-core/VER/        the installed prefix (.mrbench-rdma-core marks it
#                         complete and holds the library directory)
#   rdma-core/VER.log     the last build's output
#   rdma-core/.lock       one build at a time across runs
#   apt/sid-src/          a private deb-src view of sid

# The prefix of a complete install of VER ("65" takes the newest 65.x).
rc_cached()
{
	local c=$1 ver=$2 m

	for m in "$c/rdma-core/$ver/.mrbench-rdma-core" \
		"$c/rdma-core/$ver".*/.mrbench-rdma-core; do
		[[ -f $m ]] && echo "${m%/.mrbench-rdma-core}"
	done | sort -V | tail -n 1
}

# The sid deb-src view, its sources written on first use, on the Debian
# mirror this system uses.
rc_view()
{
	local c=$1 mirror uri signed dir=$1/apt/sid-src

	if [[ ! -s $dir/sid-src.sources ]]; then
		mirror=$(debian_mirror)
		uri=${mirror% *}
		signed=${mirror#* }
		[[ $signed == - || ! -f $signed ]] &&
			signed=/usr/share/keyrings/debian-archive-keyring.gpg
		[[ -f $signed ]] || return 1
		mkdir -p "$dir" &&
			printf 'Types: deb-src\nURIs: %s\nSuites: sid\nComponents: main\nSigned-By: %s\n' \
				"$uri" "$signed" >"$dir/sid-src.sources.tmp" &&
			mv "$dir/sid-src.sources.tmp" "$dir/sid-src.sources" || return 1
	fi
	echo "$dir $dir/sid-src.sources"
}

# "URI FILE SHA256:HASH" of the upstream tarball the index names, from
# apt-get source's own answer (it downloads nothing with --print-uris).
rc_tarball()
{
	local dir=$1 sources=$2
	local -a opts

	mapfile -t opts < <(apt_view_opts "$dir" "$sources")
	apt-get -q "${opts[@]}" source --print-uris rdma-core 2>/dev/null |
		awk '$2 ~ /^rdma-core_.*\.orig\.tar\.gz$/ {
			gsub("\047", "", $1); print $1, $2, $4; exit }'
}

# Configure, build and install into PREFIX, staged under DESTDIR so that
# the prefix appears only whole. The prefix is compiled into libibverbs
# (its provider directory and libibverbs.d), so it must be the final one.
rc_build()
{
	local tarball=$1 prefix=$2 work=$2.build src libdir
	local -a gen=()

	rm -rf -- "$work" "$prefix"
	mkdir -p "$work/src" || return 1
	tar -xzf "$tarball" -C "$work/src" --strip-components=1 || return 1
	command -v ninja >/dev/null && gen=(-GNinja)
	cmake -S "$work/src" -B "$work/build" "${gen[@]}" \
		-DCMAKE_INSTALL_PREFIX="$prefix" -DNO_PYVERBS=1 \
		-DNO_MAN_PAGES=1 || return 1
	cmake --build "$work/build" -j "$(nproc)" || return 1
	DESTDIR=$work/stage cmake --install "$work/build" >/dev/null || return 1
	mv -- "$work/stage$prefix" "$prefix" || return 1
	rm -rf -- "$work"
	libdir=$(find "$prefix" -name libibverbs.so.1 -printf '%h\n' | head -n 1)
	[[ -n $libdir && -n $(find "$libdir/libibverbs" -name 'librxe-rdmav*.so' 2>/dev/null) ]] ||
		{ echo "no libibverbs.so.1 with an rxe provider in $prefix"; return 1; }
	echo "$libdir" >"$prefix/.mrbench-rdma-core"
}

# Resolve VER to the library directory of a built rdma-core, fetching
# and building it when the cache has none. On failure, prints the
# reason and returns 77 when rdma-core VER cannot be had here (no tools,
# no registry, another version there), 1 when the build itself failed.
rc_fetch()
{
	local ver=$1 c prefix view dir sources uri file hash have lock log

	c=$(cache_dir)
	prefix=$(rc_cached "$c" "$ver")
	[[ -n $prefix ]] && { head -n 1 "$prefix/.mrbench-rdma-core"; return 0; }
	if ! mkdir -p "$c/rdma-core" 2>/dev/null || [[ ! -w $c/rdma-core ]]; then
		echo "rdma-core $ver: cache $c is read-only and holds no build of it"
		return 77
	fi
	if ! exec {lock}>"$c/rdma-core/.lock" || ! flock "$lock"; then
		echo "rdma-core $ver: cannot lock $c/rdma-core/.lock"
		return 1
	fi
	# Another run may have built it while we waited.
	prefix=$(rc_cached "$c" "$ver")
	[[ -n $prefix ]] && { head -n 1 "$prefix/.mrbench-rdma-core"; return 0; }
	for have in cmake cc tar /usr/lib/apt/apt-helper; do
		command -v "$have" >/dev/null && continue
		echo "rdma-core $ver: no $have here (scripts/install-deps.sh installs cmake and the rest)"
		return 77
	done
	pkg-config --exists libnl-3.0 libnl-route-3.0 2>/dev/null || {
		echo "rdma-core $ver: no libnl-3 and libnl-route-3 headers (Debian packages libnl-3-dev, libnl-route-3-dev)"
		return 77
	}
	view=$(rc_view "$c") || { echo "rdma-core $ver: no Debian archive keyring"; return 77; }
	dir=${view% *}
	sources=${view#* }
	apt_view_refresh "$dir" "$sources"
	read -r uri file hash < <(rc_tarball "$dir" "$sources")
	if [[ -z $file ]]; then
		echo "rdma-core $ver: the registry's sid source index has no rdma-core tarball (see $dir/update.log)"
		return 77
	fi
	have=${file#rdma-core_}
	have=${have%.orig.tar.gz}
	if [[ $have != "$ver" && $have != "$ver".* ]]; then
		echo "rdma-core $ver: the registry serves rdma-core $have only (try --rdma-core ${have%%.*})"
		return 77
	fi
	say "rdma-core $have: fetching $file and building it into $c/rdma-core/$have"
	log=$c/rdma-core/$have.log
	if ! /usr/lib/apt/apt-helper -oAPT::Sandbox::User="$(id -un)" \
		download-file "$uri" "$c/rdma-core/$file" "$hash" >"$log" 2>&1; then
		echo "rdma-core $have: the registry cannot serve $uri (see $log)"
		return 77
	fi
	if ! rc_build "$c/rdma-core/$file" "$c/rdma-core/$have" >>"$log" 2>&1; then
		rm -rf -- "$c/rdma-core/$have" "$c/rdma-core/$have.build"
		echo "rdma-core $have: the build failed (see $log)"
		return 1
	fi
	rm -f -- "$c/rdma-core/$file"
	head -n 1 "$c/rdma-core/$have/.mrbench-rdma-core"
}

# mrbench-vm's side: the guest's libraries, or a lab failure with why.
# The guest hides the host's /tmp and /run under its own mounts, so a
# cache there cannot serve it.
resolve_rdma_core()
{
	local out rc

	[[ -n $opt_rdma_core ]] || return 0
	out=$(rc_fetch "$opt_rdma_core")
	rc=$?
	((rc == 0)) || die "${out:-rdma-core $opt_rdma_core: cannot be had}"
	case $out in
	/tmp/* | /run/*) die "rdma-core $opt_rdma_core: $out is hidden from the guest; set MRBENCH_CACHE elsewhere" ;;
	esac
	rc_libdir=$out
}

if [[ ${BASH_SOURCE[0]} == "$0" ]]; then
	set -u -o pipefail
	say() { printf 'rdma-core-fetch: %s\n' "$*" >&2; }
	note() { say "$@"; }
	die() { say "$@"; exit 125; }
	[[ $# == 1 && $1 =~ ^[0-9]+(\.[0-9]+)*$ ]] ||
		{ echo "usage: ${0##*/} VERSION (such as 65 or 65.0)" >&2; exit 2; }
	# shellcheck source=kernel-fetch.sh
	. "$(dirname -- "${BASH_SOURCE[0]}")/kernel-fetch.sh" || exit 125
	out=$(rc_fetch "$1")
	rc=$?
	if ((rc == 0)); then
		echo "$out"
	else
		say "$out"
	fi
	exit "$rc"
fi
