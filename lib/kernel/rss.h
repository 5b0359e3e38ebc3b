/* SPDX-License-Identifier: GPL-2.0 */
#ifndef MRBENCH_RSS_H
#define MRBENCH_RSS_H

#include <json-c/json.h>
#include <stdint.h>

/*
 * The harness's own memory. The peak resident set (VmHWM) is reset
 * before a cell (clear_refs "5", Linux 4.0) and read after it, while
 * its regions are still mapped; what the regions themselves hold is
 * taken off, which leaves what the harness spent beside them (samples,
 * records, the library's buffers).
 */
void rss_peak_reset(void);
/* VmHWM in bytes, 0 when unknown. */
uint64_t rss_peak(void);
/*
 * "rss": peak_bytes, regions_bytes and harness_bytes (the peak less the
 * regions, null when the peak is smaller: the regions' pages were not
 * counted there, as hugetlb's and PFN maps' are not).
 */
json_object *rss_json(uint64_t peak, uint64_t regions);

#endif
