/* SPDX-License-Identifier: GPL-2.0 */
#ifndef MRBENCH_KVER_H
#define MRBENCH_KVER_H

/* A kernel version as one comparable number: KVER(6, 12, 0). */
#define KVER(a, b, c) (((a) << 16) + ((b) << 8) + ((c) > 255 ? 255 : (c)))

/* Parse "6.12.117+deb12-amd64"; -1 when it is not a version. */
int kver_parse(const char *release);
/* The running kernel's version (uname -r), parsed once. */
int kver_running(void);

#endif
