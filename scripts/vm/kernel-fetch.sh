# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash disable=SC2034,SC2154 # globals shared with mrbench-vm
#
# mrbench-vm's kernels, sourced by mrbench-vm: a debian:X spec becomes a
# kernel unpacked from Debian's archive into the cache, with its module
# tree indexed; a user's image gets its release and its module tree found.
#
# Cache layout, ${MRBENCH_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/mrbench}:
#   kernels/RELEASE/   an unpacked kernel (.mrbench-spec marks it complete)
#   apt/bookworm, apt/sid  private sources, package lists and answers
#   debs/              downloads, removed once unpacked
#   .lock              one fetch at a time across runs
#
# Needs from mrbench-vm: say, note, die, opt_kernels, opt_modules, tmp, and
# fills k_images, k_rels, k_modroots.

cache_dir()
{
	printf '%s\n' "${MRBENCH_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/mrbench}"
}

# The Debian mirror this system already trusts: the first deb entry, in
# either sources format, whose suites name a Debian release (so that an
# Ubuntu host's own archive is never taken for Debian's). Prints "URI
# SIGNED-BY"; with none, Debian's own address and keyring.
debian_mirror()
{
	local f
	local -a files=()

	for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list \
		/etc/apt/sources.list.d/*.sources; do
		[[ -r $f ]] && files+=("$f")
	done
	((${#files[@]})) && awk '
	function flush() {
		if (types ~ /(^| )deb( |$)/ && enabled != "no" && uris != "" && !done &&
		    (" " suites " ") ~ / (bullseye|bookworm|trixie|forky|duke|sid|unstable|testing|stable)( |$)/) {
			split(uris, u, " ")
			print u[1], (signed == "" ? "-" : signed)
			done = 1
		}
		types = uris = suites = signed = ""; enabled = "yes"
	}
	FNR == 1 { flush() }
	/^[ \t]*#/ { next }
	FILENAME ~ /\.sources$/ {
		if ($0 ~ /^[ \t]*$/) { flush(); next }
		f = tolower($1); sub(/:$/, "", f); $1 = ""; sub(/^ +/, "")
		if (f == "types") types = $0
		else if (f == "uris") uris = $0
		else if (f == "suites") suites = $0
		else if (f == "signed-by") signed = $0
		else if (f == "enabled") enabled = tolower($0)
		next
	}
	$1 == "deb" {
		i = 2
		if ($2 ~ /^\[/) { while (i <= NF && $i !~ /\]$/) i++; i++ }
		types = "deb"; uris = $i; suites = $(i + 1); flush()
	}
	END { flush(); if (!done) exit 1 }
	' "${files[@]}" && return 0
	echo "http://deb.debian.org/debian -"
}

# apt options for one private view of an archive: our own lists and caches,
# so neither root nor the system's apt state is needed, and the system's
# package cache is never rewritten with sid's contents.
apt_view_opts()
{
	local dir=$1 sources=$2

	printf '%s\n' \
		"-oDir::State::Lists=$dir/lists" \
		"-oDir::Cache=$dir/cache" \
		"-oDir::Cache::Archives=$dir/cache/archives" \
		"-oDebug::NoLocking=1"
	printf '%s\n' "-oDir::Etc::SourceList=$sources" \
		"-oDir::Etc::SourceParts=/dev/null"
	# A mirror frozen in time (snapshot.debian.org, a package registry's
	# copy) serves a Release file past its Valid-Until, which sid's is a
	# week after it is made; apt then refuses the lists. The signature is
	# still checked: only the date is not, as the system's own apt is
	# told on such hosts. Seen on a bare Debian 13 behind a registry.
	printf '%s\n' "-oAcquire::Check-Valid-Until=false"
	# As root, apt hands downloads to the _apt user, which cannot write
	# into a private cache in root's home.
	((EUID)) || printf '%s\n' "-oAPT::Sandbox::User=root"
}

# Refresh a view's package lists at most once a day: kernels move slowly,
# and a run must not depend on the network once its kernel is cached.
apt_view_refresh()
{
	local dir=$1
	local -a opts
	local stamp=$dir/lists/.refreshed

	mapfile -t opts < <(apt_view_opts "$dir" "$2")
	mkdir -p "$dir/lists/partial" "$dir/cache/archives/partial" || return 1
	if [[ -e $stamp ]] && [[ -z $(find "$stamp" -mmin +1440 2>/dev/null) ]]; then
		return 0
	fi
	say "refreshing package lists in $dir"
	if apt-get -q "${opts[@]}" update >"$dir/update.log" 2>&1; then
		touch "$stamp"
		return 0
	fi
	note "apt-get update failed (see $dir/update.log); using what is cached"
	return 1
}

# The private view a spec is fetched through, "DIR SOURCES-FILE", its
# sources written on first use: sid for debian:sid; for debian:6.1 and
# debian:6.12, Debian 12 (bookworm), whose security suite carries 6.12,
# so that any host, Debian 13 or Ubuntu too, finds them. Both on the
# Debian mirror this system uses, else Debian's own.
view_for_spec()
{
	local c=$1 spec=$2 mirror uri signed name suites

	case $spec in
	debian:sid) name=sid suites=sid ;;
	*) name=bookworm suites="bookworm bookworm-updates" ;;
	esac
	if [[ ! -s $c/apt/$name/$name.sources ]]; then
		mirror=$(debian_mirror)
		uri=${mirror% *}
		signed=${mirror#* }
		[[ $signed == - || ! -f $signed ]] &&
			signed=/usr/share/keyrings/debian-archive-keyring.gpg
		[[ -f $signed ]] ||
			die "no Debian archive keyring ($signed): install debian-archive-keyring"
		mkdir -p "$c/apt/$name" || die "cannot create $c/apt/$name"
		{
			printf 'Types: deb\nURIs: %s\nSuites: %s\nComponents: main\nSigned-By: %s\n' \
				"$uri" "$suites" "$signed"
			if [[ $name == bookworm ]]; then
				printf '\nTypes: deb\nURIs: %s-security\nSuites: bookworm-security\nComponents: main\nSigned-By: %s\n' \
					"${uri%/}" "$signed"
			fi
		} >"$c/apt/$name/$name.sources.tmp" &&
			mv "$c/apt/$name/$name.sources.tmp" "$c/apt/$name/$name.sources" ||
			die "cannot write $c/apt/$name/$name.sources"
	fi
	echo "$c/apt/$name $c/apt/$name/$name.sources"
}

# Package names per spec. The 6.12 pattern excludes -cloud and -rt by
# construction. Prints the packages to fetch, kernel image first.
newest_packages()
{
	local spec=$1 dir=$2 sources=$3 re prefix name ver
	local -a opts

	mapfile -t opts < <(apt_view_opts "$dir" "$sources")
	case $spec in
	debian:6.1) re='^linux-image-6\.1\.0-[0-9]+-amd64-unsigned$' ;;
	debian:6.12) re='^linux-image-6\.12\.[0-9]+\+deb12-amd64-unsigned$' ;;
	debian:sid) re='^linux-binary-[0-9][0-9.]*(-rc[0-9]+)?\+deb[0-9]+-amd64$' ;;
	esac
	prefix=${re#^}
	prefix=${prefix%%[\\[]*}
	name=$(apt-cache "${opts[@]}" pkgnames "$prefix" 2>/dev/null |
		grep -E "$re" | sort -V | tail -n 1)
	[[ -n $name ]] || return 1
	# A name APT merely heard of (from a Depends) has no candidate.
	ver=$(apt-cache "${opts[@]}" policy "$name" 2>/dev/null |
		awk '/Candidate:/ { print $2 }')
	[[ -n $ver && $ver != "(none)" ]] || return 1
	echo "$name"
	if [[ $spec == debian:sid ]]; then
		ver=${name#linux-binary-}
		echo "linux-modules-$ver"
		echo "linux-base-$ver"
	fi
}

# Kernel release of a package: the ABI name inside the package name.
release_of()
{
	local name=$1

	case $name in
	linux-image-*-unsigned)
		name=${name#linux-image-}
		echo "${name%-unsigned}"
		;;
	linux-binary-*) echo "${name#linux-binary-}" ;;
	esac
}

# Extract packages into a tree, give it the lib/modules layout that depmod
# and modprobe -d expect, and index it. The tree appears under its final
# name only when complete, so an interrupted fetch is simply redone.
unpack_kernel()
{
	local tree=$1 spec=$2 rel=$3
	shift 3
	local part=$tree.part deb vmlinuz

	rm -rf -- "$part"
	mkdir -p "$part" || return 1
	for deb in "$@"; do
		dpkg -x "$deb" "$part" || return 1
	done
	# sid ships everything under usr/lib only.
	[[ -e $part/lib ]] || ln -s usr/lib "$part/lib"
	depmod -a -b "$part" "$rel" || return 1
	vmlinuz=$(find_vmlinuz "$part" "$rel") || return 1
	extract_pvh_vmlinux "$vmlinuz" "$part/.mrbench-vmlinux"
	echo "$spec" >"$part/.mrbench-spec"
	printf '%s\n' "${@##*/}" >"$part/.mrbench-packages"
	rm -rf -- "$tree"
	mv -- "$part" "$tree"
}

find_vmlinuz()
{
	local f

	for f in "$1/boot/vmlinuz-$2" "$1/lib/modules/$2/vmlinuz"; do
		[[ -f $f ]] && { echo "$f"; return 0; }
	done
	return 1
}

# Under TCG the kernel's own decompressor costs a second or more of every
# boot. A kernel with a PVH entry point (Debian's have one) can be booted
# by qemu as the plain ELF inside the bzImage, so unpack that once. Any
# failure just leaves the bzImage to be booted as it is.
extract_pvh_vmlinux()
{
	local image=$1 out=$2 magic off unpack

	for magic in '\x28\xb5\x2f\xfd:zstd -qdc' '\xfd7zXZ\x00:xz -qdc' \
		'\x1f\x8b\x08:gzip -dc' '\x02\x21\x4c\x18:lz4 -qdc'; do
		unpack=${magic#*:}
		command -v "${unpack%% *}" >/dev/null || continue
		for off in $(LC_ALL=C grep -obUaP "${magic%%:*}" "$image" |
			cut -d: -f1 | head -n 4); do
			tail -c +$((off + 1)) "$image" | $unpack >"$out" 2>/dev/null
			# ELF, with the Xen PVH entry note (type 18) that qemu
			# looks for.
			if [[ $(head -c 4 "$out" | od -An -c | tr -d ' ') == '177ELF' ]] &&
				LC_ALL=C grep -qaP '\x04\x00\x00\x00[\x04\x08]\x00\x00\x00\x12\x00\x00\x00Xen\x00' "$out"; then
				return 0
			fi
		done
	done
	rm -f -- "$out"
	return 1
}

# Newest tree already in the cache for a spec: what we boot when the
# archive cannot be reached.
cached_tree()
{
	local c=$1 spec=$2 t

	for t in "$c"/kernels/*/.mrbench-spec; do
		[[ -f $t ]] || continue
		[[ $(<"$t") == "$spec" ]] && echo "${t%/.mrbench-spec}"
	done | sort -V | tail -n 1
}

# Resolve a debian:X spec to an unpacked tree, downloading if needed.
# Prints the tree directory.
fetch_debian()
{
	local spec=$1 c view dir sources rel tree p answer lock fresh=1
	local -a pkgs opts debs

	c=$(cache_dir)
	# A cache we cannot write (a read-only mount shared by several
	# machines) is still good for the kernels it holds: no lock, no
	# refresh, no fetch.
	if ! mkdir -p "$c/kernels" 2>/dev/null || [[ ! -w $c/kernels ]]; then
		tree=$(cached_tree "$c" "$spec")
		[[ -n $tree ]] ||
			die "$spec: cache $c is read-only and holds no $spec kernel"
		echo "$tree"
		return 0
	fi
	# Several runs may share a cache: one fetches, the others wait. We run
	# in a command substitution, so the lock goes with this subshell.
	exec {lock}>"$c/.lock" || die "cannot open $c/.lock"
	flock "$lock" || die "cannot lock $c/.lock"
	view=$(view_for_spec "$c" "$spec") || exit $?
	dir=${view% *}
	sources=${view#* }
	apt_view_refresh "$dir" "$sources" || fresh=0
	# Asking apt-cache costs seconds; the answer only changes when the
	# lists do, so keep it next to them.
	answer=$dir/newest-${spec#debian:}
	if [[ -s $answer && $answer -nt $dir/lists/.refreshed ]]; then
		mapfile -t pkgs <"$answer"
	else
		mapfile -t pkgs < <(newest_packages "$spec" "$dir" "$sources")
		((${#pkgs[@]})) && printf '%s\n' "${pkgs[@]}" >"$answer"
	fi
	if ((!${#pkgs[@]})); then
		tree=$(cached_tree "$c" "$spec")
		[[ -n $tree ]] ||
			die "no package for $spec in the archive and none cached"
		((fresh)) || note "$spec: archive unreachable, using cached ${tree##*/}"
		echo "$tree"
		return 0
	fi
	rel=$(release_of "${pkgs[0]}")
	tree=$c/kernels/$rel
	if [[ -f $tree/.mrbench-spec ]]; then
		echo "$tree"
		return 0
	fi
	say "$spec: fetching ${pkgs[*]}"
	mapfile -t opts < <(apt_view_opts "$dir" "$sources")
	mkdir -p "$c/debs" || die "cannot create $c/debs"
	(cd "$c/debs" && apt-get -q "${opts[@]}" download "${pkgs[@]}") \
		>"$c/debs/download.log" 2>&1 ||
		die "$spec: apt-get download ${pkgs[*]} failed (see $c/debs/download.log)"
	for p in "${pkgs[@]}"; do
		debs+=("$(printf '%s\n' "$c/debs/${p}"_*.deb | sort -V | tail -n 1)")
	done
	unpack_kernel "$tree" "$spec" "$rel" "${debs[@]}" ||
		die "$spec: cannot unpack ${pkgs[*]} into $tree"
	# The packages are re-downloadable; the unpacked tree is what we reuse.
	rm -f -- "${debs[@]}"
	echo "$tree"
}

# ---------------------------------------------------------------- kernels

# The release string of a bzImage, read from its setup header (the
# kernel_version field at 0x20e points 0x200 bytes before the string).
image_release()
{
	local off

	off=$(od -An -tu2 -j 526 -N 2 "$1" 2>/dev/null | tr -d ' ')
	[[ -n $off && $off != 0 ]] || return 1
	dd if="$1" bs=1 skip=$((off + 512)) count=256 2>/dev/null |
		tr '\0' '\n' | head -n 1 | awk '{ print $1 }'
}

# For a user kernel, find the lib/modules/VERSION directory in DIR: DIR
# itself, or the child matching the image's release, or its only child.
user_moddir()
{
	local dir=$1 rel=$2 d
	local -a found=()

	dir=$(cd -- "$dir" && pwd -P) || return 1
	[[ -f $dir/modules.order || -f $dir/modules.dep ]] && { echo "$dir"; return 0; }
	[[ -n $rel && -d $dir/$rel ]] && { echo "$dir/$rel"; return 0; }
	[[ -n $rel && -d $dir/lib/modules/$rel ]] && { echo "$dir/lib/modules/$rel"; return 0; }
	for d in "$dir"/*/ "$dir"/lib/modules/*/; do
		[[ -f $d/modules.order || -f $d/modules.dep ]] && found+=("${d%/}")
	done
	((${#found[@]} == 1)) || return 1
	echo "${found[0]}"
}

# Fill k_image[$1], k_rel[$1], k_modroot[$1] for kernel number $1. The
# module root is a directory whose lib/modules/RELEASE is the module tree,
# as modprobe -d wants it; empty when the kernel has no modules.
resolve_kernel()
{
	local spec=${opt_kernels[$1]} mods=${opt_modules[$1]} tree moddir
	local k_image k_rel k_modroot

	k_image='' k_rel='' k_modroot=''
	case $spec in
	debian:*)
		tree=$(fetch_debian "$spec") || exit $?
		k_rel=${tree##*/}
		k_image=$tree/.mrbench-vmlinux
		[[ -f $k_image ]] || k_image=$(find_vmlinuz "$tree" "$k_rel") ||
			die "$spec: no vmlinuz in $tree"
		k_modroot=$tree
		;;
	*)
		k_image=$(cd -- "$(dirname -- "$spec")" && pwd -P)/${spec##*/}
		k_rel=$(image_release "$k_image")
		if [[ -z $mods ]]; then
			k_images[$1]=$k_image k_rels[$1]=${k_rel:-${spec##*/}} k_modroots[$1]=
			return 0
		fi
		moddir=$(user_moddir "$mods" "$k_rel") ||
			die "--modules '$mods': no lib/modules/VERSION tree for ${k_rel:-this kernel} in it"
		k_rel=${moddir##*/}
		[[ -f $moddir/modules.dep ]] || depmod -a -b "$moddir/../../.." "$k_rel" 2>/dev/null ||
			die "--modules '$mods': no modules.dep and depmod failed"
		# modprobe -d wants ROOT/lib/modules/REL; a symlink in our
		# scratch space gives any user layout that shape.
		k_modroot=$tmp/modroot-$1
		mkdir -p "$k_modroot/lib/modules" &&
			ln -sfn "$moddir" "$k_modroot/lib/modules/$k_rel" ||
			die "cannot prepare a module root in $tmp"
		;;
	esac
	k_images[$1]=$k_image k_rels[$1]=$k_rel k_modroots[$1]=$k_modroot
}
