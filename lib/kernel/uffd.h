/* SPDX-License-Identifier: GPL-2.0 */
#ifndef MRBENCH_KERNEL_UFFD_H
#define MRBENCH_KERNEL_UFFD_H

#include <stdint.h>

/*
 * A userfaultfd, non-blocking, that sees kernel faults too (no
 * UFFD_USER_MODE_ONLY: a pin's fault comes from the kernel), with the
 * API handshake done asking for features. The fd, or -1 with errno set
 * (EINVAL when the kernel lacks one of the features).
 */
int uffd_open(uint64_t features);

#endif
