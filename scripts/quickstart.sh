#!/bin/bash
# The README's first command: install what is missing, build, and run the
# default registration matrix on the best target this machine has:
#   1. a real RDMA device;
#   2. else soft-RoCE on this host, when its kernel has rdma_rxe;
#   3. else the lab VM with the Debian 6.12 kernel.
# The table goes to the terminal; JSON Lines and CSV to out/quickstart.*
set -eu
cd "$(dirname "$0")/.."

scripts/install-deps.sh
[ -x configure ] || autoreconf -fi
[ -f Makefile ] || ./configure -q
make -s -j"$(nproc)"
mkdir -p out

if [ -n "$(ibv_devices 2>/dev/null | awk 'NR > 2 { print $1 }')" ]; then
	echo "quickstart: using the RDMA device(s) of this host" >&2
	./mrbench reg -o out/quickstart
elif modinfo rdma_rxe >/dev/null 2>&1; then
	echo "quickstart: creating a soft-RoCE device on this host" >&2
	./mrbench rxe up
	trap './mrbench rxe down' EXIT
	./mrbench reg -o out/quickstart
else
	echo "quickstart: no RDMA here; running in the lab VM (Debian 6.12)" >&2
	./mrbench vm --kernel debian:6.12 -- mrbench reg -o out/quickstart
fi
echo "quickstart: wrote out/quickstart.jsonl and out/quickstart.csv" >&2
