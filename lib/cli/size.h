/* SPDX-License-Identifier: GPL-2.0 */
#ifndef MRBENCH_SIZE_H
#define MRBENCH_SIZE_H

#include <stddef.h>
#include <stdint.h>

/* The largest size mrbench accepts: 1 PiB, far beyond any machine's RAM. */
#define SIZE_MAX_BYTES (1ULL << 50)
/* A list expands to at most this many sizes. */
#define SIZE_LIST_MAX 4096

struct size_list {
	uint64_t *v;
	size_t n;
};

int size_parse(const char *s, uint64_t *out, char *err, size_t errlen);
int size_list_parse(const char *s, struct size_list *out, char *err,
		    size_t errlen);
void size_list_free(struct size_list *l);
void size_format(uint64_t bytes, char *buf, size_t len);
/* A duration for people: "850 ns", "5.21 us", "12.30 ms", "1.20 s". */
void ns_format(double ns, char *buf, size_t len);

#endif
