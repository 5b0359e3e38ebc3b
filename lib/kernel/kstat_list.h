/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The /proc/vmstat counters mrbench snapshots: KSTAT(identifier, "name").
 * nr_foll_pin_* and nr_anon_pages are node counters (pages pinned and
 * unpinned with FOLL_PIN, anonymous pages mapped); the rest are event
 * counters.
 */
KSTAT(FOLL_PIN_ACQUIRED, "nr_foll_pin_acquired")
KSTAT(FOLL_PIN_RELEASED, "nr_foll_pin_released")
KSTAT(PGMIGRATE_SUCCESS, "pgmigrate_success")
KSTAT(PGMIGRATE_FAIL, "pgmigrate_fail")
KSTAT(THP_MIGRATION_SUCCESS, "thp_migration_success")
KSTAT(THP_MIGRATION_SPLIT, "thp_migration_split")
KSTAT(THP_MIGRATION_FAIL, "thp_migration_fail")
KSTAT(THP_FAULT_ALLOC, "thp_fault_alloc")
KSTAT(THP_SPLIT_PAGE, "thp_split_page")
KSTAT(PGFAULT, "pgfault")
KSTAT(NR_ANON_PAGES, "nr_anon_pages")
KSTAT(COMPACT_MIGRATE_SCANNED, "compact_migrate_scanned")
KSTAT(COMPACT_FREE_SCANNED, "compact_free_scanned")
KSTAT(COMPACT_ISOLATED, "compact_isolated")
KSTAT(COMPACT_STALL, "compact_stall")
KSTAT(COMPACT_FAIL, "compact_fail")
KSTAT(COMPACT_SUCCESS, "compact_success")
KSTAT(COMPACT_DAEMON_WAKE, "compact_daemon_wake")
KSTAT(COMPACT_DAEMON_MIGRATE_SCANNED, "compact_daemon_migrate_scanned")
KSTAT(COMPACT_DAEMON_FREE_SCANNED, "compact_daemon_free_scanned")
KSTAT(PSWPIN, "pswpin")
KSTAT(PSWPOUT, "pswpout")
