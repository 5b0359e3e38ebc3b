/* SPDX-License-Identifier: GPL-2.0 */
/* The fault scenarios, in run order: FAULT_SCENARIO(identifier), defined
 * in lib/fault/NAME.c as fault_<identifier>. */
FAULT_SCENARIO(odp_first_touch)
FAULT_SCENARIO(odp_invalidate)
FAULT_SCENARIO(odp_implicit)
FAULT_SCENARIO(dontneed)
FAULT_SCENARIO(fork)
FAULT_SCENARIO(fork_cow)
FAULT_SCENARIO(mprotect)
FAULT_SCENARIO(wprotect)
FAULT_SCENARIO(ksm)
FAULT_SCENARIO(numa)
FAULT_SCENARIO(compaction)
FAULT_SCENARIO(reclaim)
FAULT_SCENARIO(offline)
FAULT_SCENARIO(cma_alloc)
FAULT_SCENARIO(refusals)
