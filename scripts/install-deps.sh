#!/bin/bash
# Install, from the distribution, whatever mrbench needs to build, test
# and run its lab that is not installed yet (Debian and Ubuntu).
set -eu

packages=(
	# build
	gcc make autoconf automake pkg-config
	libibverbs-dev libhwloc-dev libjson-c-dev libcmocka-dev liburing-dev
	libtracefs-dev libtraceevent-dev
	# run: the verbs providers (rxe among them) and tools
	ibverbs-providers ibverbs-utils rdma-core iproute2 kmod
	# the lab: qemu, a busybox initramfs, kernels from the archive (their
	# modules xz- or zstd-compressed), ext4 on the guest's pmem (the
	# guest runs the host's mkfs.ext4: a minimal system lacks it)
	qemu-system-x86 busybox-static cpio xz-utils zstd apt dpkg e2fsprogs
	# mrbench plot: gnuplot with the pngcairo and svg terminals
	gnuplot-nox
	# the plot test checks images with file and xmllint
	file libxml2-utils
	# tests: JSON Lines read with jq, memory checked with valgrind,
	# parsers fuzzed with libFuzzer
	jq valgrind clang libclang-rt-dev
	# results.csv is checked against results.jsonl with pandas, every
	# record against the JSON Schema with jsonschema; mrbench help runs man
	python3-pandas python3-jsonschema man-db
	# the LAVA files are checked with LAVA's own schemas
	lava-common
	# mrbench vm --rdma-core builds a newer rdma-core from source
	cmake ninja-build libnl-3-dev libnl-route-3-dev
)

missing=()
for p in "${packages[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' ||
		missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

sudo=
[ "$(id -u)" -eq 0 ] || sudo=sudo
$sudo apt-get update -qq
# A package this release's archive does not carry (lava-common left
# Debian after bookworm) is named and left out, rather than failing the
# whole install: the tests that need it say SKIP with the reason.
available=()
absent=()
for p in "${missing[@]}"; do
	if apt-cache policy "$p" 2>/dev/null | grep -q 'Candidate: [^(]'; then
		available+=("$p")
	else
		absent+=("$p")
	fi
done
[ ${#absent[@]} -eq 0 ] ||
	echo "install-deps: not in this system's archive, left out: ${absent[*]}" >&2
[ ${#available[@]} -eq 0 ] && exit 0
echo "install-deps: installing ${available[*]}" >&2
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends \
	"${available[@]}" >/dev/null
