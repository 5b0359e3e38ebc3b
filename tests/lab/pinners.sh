# The cross-pinner table (mrbench-reg(1), "the same memory through every
# pinner"), run in migrate.test's movable boot, which adds --profile iommu
# (edu bound to vfio-pci) and --profile vivid so that every long-term
# pinner the lab kernels have can run: RDMA, io_uring, vfio type1 and
# V4L2 USERPTR, with iommufd to say it cannot. One boot per kernel serves
# both tests. ext4 for the file column sits on a brd RAM disk, which the
# offline scenario's stall then uses too (the same module parameters).
# Sourced by migrate.test, after lib.sh.

pinners_regs=regular,iouring,vfio,iommufd,v4l2

# pinners_run KERNEL: the commands for the guest. --breakdown (the
# shared pin phase beside each pinner's own) on debian:6.12 only: it
# triples the table's time under TCG, and once says what it has to say.
pinners_run() {
	local breakdown=

	[ "$1" = debian:6.12 ] && breakdown=--breakdown
	cat <<-CMD
	modprobe brd rd_nr=2 rd_size=4096
	mkdir -p /tmp/pin-ext4
	mkfs.ext4 -q -F /dev/ram1 >/dev/null 2>&1 && mount /dev/ram1 /tmp/pin-ext4
	mrbench reg -r $pinners_regs -m anon,thp,hugetlb-2m,memfd,file:/tmp/pin-ext4,movable \\
		-s 2M -n 3 --min-time 0.01 --ci-target 0 $breakdown -o pin > pin.txt 2> pin.err
	echo \$? > pin.rc
	CMD
}

# check_pinners KERNEL OUT: the table's verdicts and counters.
check_pinners() {
	local k=$1 f=$2/pin.jsonl v61=false
	# The pinners that can run (all but iommufd), and the 6 sources.
	local n=$(($(tr ',' '\n' <<<"$pinners_regs" | grep -vc iommufd)))

	[ "$k" = debian:6.1 ] && v61=true
	check_schema "$k: pinners: every record is valid mrbench/1" "$f"
	check "$k: pinners: the table exits 0, or 5 for 6.1's hugetlb column" \
		test "$(cat "$2/pin.rc" 2>/dev/null)" = "$($v61 && echo 5 || echo 0)"
	check_jq "$k: pinners: a cell per source and pinner, every pinner runs but iommufd" "$f" \
		--argjson n $n '[inputs] | length == 6 * ($n + 1)
		 and all(if .reg == "iommufd" then .status == "unsupported" and (.reason | test("iommufd"; "i"))
			 else .status == "ok" or .status == "failed" end)'
	# 6.1 grows the hugetlb pool from ZONE_MOVABLE and the pin cannot
	# migrate a 2M page out there (ENOMEM, every pinner alike); the rules
	# do not know where the pool sits, so that column is checked apart.
	check_jq "$k: pinners: every verdict as the pinner's rule says" "$f" --argjson v61 $v61 \
		'[inputs | select(.status != "unsupported")
		  | select(($v61 and .mem == "hugetlb-2m") | not)] | all(.as_expected)'
	check_jq "$k: pinners: the same memory, the same verdict from RDMA, vfio and V4L2" "$f" \
		'[inputs | select(.reg == "regular" or .reg == "vfio" or .reg == "v4l2")]
		 | group_by(.mem) | length == 6
		   and all(map(.errno) | unique | length == 1)'
	check_jq "$k: pinners: vfio and V4L2 pin every page once, and give each back" "$f" \
		'[inputs | select((.reg == "vfio" or .reg == "v4l2") and .status == "ok")]
		 | length >= 5 and all(.pins == .pins_expected + .migrated and .pins_expected == .pages
			and .unpins - .pins >= 0 and .unpins - .pins <= 16)'
	check_jq "$k: pinners: out of ZONE_MOVABLE every pinner migrates every page" "$f" \
		--argjson n $n '[inputs | select(.mem == "movable" and .status != "unsupported")]
		 | length == $n and all(.status == "ok" and .migrated == .pages and .migrate_failed == 0)'
	if $v61; then
		check_jq "$k: pinners: a pinned 2M hugetlb page cannot leave ZONE_MOVABLE" "$f" \
			--argjson n $n '[inputs | select(.mem == "hugetlb-2m" and .status != "unsupported")]
			 | length == $n and all(.status == "failed" and .errno == "ENOMEM")'
	fi
	[ "$k" = debian:6.12 ] &&
		check_jq "$k: pinners: GUP's pin phase shows in every pinner's registration" "$f" \
			--argjson n $n '[inputs | select(.status == "ok")] | (group_by(.reg) | length == $n)
			 and all(.[]; .phases.reg.pin.ns > 0 and .phases.dereg.unpin.ns > 0)'
}
