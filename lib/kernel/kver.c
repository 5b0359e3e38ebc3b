// SPDX-License-Identifier: GPL-2.0
/*
 * Kernel versions, for the rules that say what a kernel will do. Distro
 * kernels backport, so a rule keyed on a version is a prediction, and
 * each record says whether it came true (as_expected).
 */
#include <stdio.h>
#include <sys/utsname.h>

#include "kernel/kver.h"

int kver_parse(const char *release)
{
	int a, b, c = 0, n;

	n = sscanf(release, "%d.%d.%d", &a, &b, &c);
	if (n < 2 || a < 0 || b < 0 || c < 0 || b > 255)
		return -1;
	return KVER(a, b, c);
}

int kver_running(void)
{
	static int v = -2;
	struct utsname u;

	if (v == -2)
		v = uname(&u) ? -1 : kver_parse(u.release);
	return v;
}
