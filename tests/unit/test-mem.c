// SPDX-License-Identifier: GPL-2.0
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "mem/file_common.h"

static void fstype_names(void **state)
{
	char buf[16];

	assert_string_equal(mem_fstype_name(0xEF53, buf, sizeof(buf)), "ext4");
	assert_string_equal(mem_fstype_name(0x58465342, buf, sizeof(buf)), "xfs");
	assert_string_equal(mem_fstype_name(0x9123683E, buf, sizeof(buf)), "btrfs");
	assert_string_equal(mem_fstype_name(0x01021994, buf, sizeof(buf)), "tmpfs");
	assert_string_equal(mem_fstype_name(0x01021997, buf, sizeof(buf)), "9p");
	assert_string_equal(mem_fstype_name(0x958458f6, buf, sizeof(buf)), "hugetlbfs");
	assert_string_equal(mem_fstype_name(0x794c7630, buf, sizeof(buf)), "overlay");
	assert_string_equal(mem_fstype_name(0x6969, buf, sizeof(buf)), "nfs");
	/* Unknown: the magic in hex, never an empty name. */
	assert_string_equal(mem_fstype_name(0x12345678, buf, sizeof(buf)), "0x12345678");
	/* A short buffer truncates, still terminated. */
	assert_string_equal(mem_fstype_name(0x958458f6, buf, 5), "huge");
}

static void fstype_magic_by_name(void **state)
{
	/* As /proc/self/mountinfo names them: 9p passes the host's f_type
	 * through statfs, so the name is what tells. */
	assert_int_equal(mem_fstype_magic("9p"), 0x01021997);
	assert_int_equal(mem_fstype_magic("ext4"), 0xEF53);
	assert_int_equal(mem_fstype_magic("tmpfs"), 0x01021994);
	assert_int_equal(mem_fstype_magic("fuse.sshfs"), 0);
	assert_int_equal(mem_fstype_magic(""), 0);
}

static void dirty_tracking(void **state)
{
	/* No writeback and no page_mkwrite: writable long-term pins allowed. */
	assert_false(mem_fstype_dirty_tracked(0x01021994)); /* tmpfs */
	assert_false(mem_fstype_dirty_tracked(0x958458f6)); /* hugetlbfs */
	assert_true(mem_fstype_dirty_tracked(0xEF53));
	assert_true(mem_fstype_dirty_tracked(0x58465342));
	assert_true(mem_fstype_dirty_tracked(0x858458f6)); /* ramfs */
	assert_true(mem_fstype_dirty_tracked(0x12345678)); /* unknown */
}

static void mountinfo(void **state)
{
	struct mountinfo_line m;

	assert_int_equal(mem_mountinfo_parse("36 35 259:0 / /mnt/pmem rw,relatime shared:1 - ext4 /dev/pmem0 rw,dax=always\n", &m), 0);
	assert_int_equal(m.major, 259);
	assert_int_equal(m.minor, 0);
	assert_string_equal(m.mnt, "/mnt/pmem");
	assert_string_equal(m.fstype, "ext4");
	assert_true(m.dax);

	/* ext4's old spelling, among other options, no optional fields. */
	assert_int_equal(mem_mountinfo_parse("40 1 259:1 / /a rw - ext4 /dev/pmem1 rw,errors=remount-ro,dax,data=ordered", &m), 0);
	assert_true(m.dax);

	/* dax=inode decides per file and dax=never not at all. */
	assert_int_equal(mem_mountinfo_parse("41 1 259:2 / /b rw - xfs /dev/pmem2 rw,dax=inode", &m), 0);
	assert_false(m.dax);
	assert_int_equal(mem_mountinfo_parse("42 1 259:3 / /c rw - ext4 /dev/pmem3 rw,dax=never", &m), 0);
	assert_false(m.dax);
	/* An option that merely contains "dax". */
	assert_int_equal(mem_mountinfo_parse("43 1 0:5 / /d rw,nodax - tmpfs tmpfs rw,daxx", &m), 0);
	assert_false(m.dax);

	/* Escaped space in the mount point. */
	assert_int_equal(mem_mountinfo_parse("44 1 8:1 / /mnt/my\\040disk rw,relatime - xfs /dev/sda1 rw", &m), 0);
	assert_string_equal(m.mnt, "/mnt/my disk");
	assert_false(m.dax);

	assert_int_not_equal(mem_mountinfo_parse("garbage", &m), 0);
	assert_int_not_equal(mem_mountinfo_parse("44 1 8:1 / /x rw", &m), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(fstype_names),
		cmocka_unit_test(fstype_magic_by_name),
		cmocka_unit_test(dirty_tracking),
		cmocka_unit_test(mountinfo),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
