/* SPDX-License-Identifier: GPL-2.0 */
#ifndef MRBENCH_CHURN_H
#define MRBENCH_CHURN_H

/*
 * A thread that maps, touches and unmaps anonymous memory in a loop for
 * as long as it runs: registrations then compete for mmap_lock with
 * munmap of neighbouring memory, as in a busy application.
 */
int churn_start(void);
/* Stop it; returns how many map/unmap rounds it did. */
unsigned long churn_stop(void);

#endif
