/* SPDX-License-Identifier: GPL-2.0 */
#ifndef MRBENCH_KBUILD_H
#define MRBENCH_KBUILD_H

#include <json-c/json.h>
#include <stddef.h>
#include <stdint.h>

/*
 * Which kernel build a result came from, for bisecting: the build id the
 * linker put in the image, and the configuration it was built with (a
 * hash of the whole file, and the options that decide what mrbench
 * measures). Two boots of one build agree on both; a rebuilt kernel of
 * the same release does not.
 */
struct kbuild {
	char build_id[96]; /* hex, "" when unknown */
	json_object
		*config; /* {"fnv1a64": ..., "CONFIG_X": "y"|...}, or NULL */
};

/* Read both for the kernel of release rel (uname -r). */
void kbuild_read(const char *rel, struct kbuild *k);
void kbuild_free(struct kbuild *k);

/* The GNU build-id note among ELF notes (/sys/kernel/notes), as hex;
 * 0, or -1 when there is none. Exposed for the unit tests. */
int kbuild_parse_notes(const unsigned char *buf, size_t n, char *hex,
		       size_t len);
/* A .config's text: its hash and the options that matter here. */
json_object *kbuild_parse_config(const char *text, size_t n);

#endif
