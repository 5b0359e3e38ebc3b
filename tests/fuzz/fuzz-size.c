// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target: the size list and access set parsers, which take
 * whatever a user types. Either they accept, and every size is within
 * bounds, or they refuse with one line naming the input.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cli/access.h"
#include "cli/size.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	char *s = malloc(len + 1), err[512] = "";
	struct size_list l;
	struct access_list a;

	memcpy(s, data, len);
	s[len] = '\0';
	if (size_list_parse(s, &l, err, sizeof(err)) == 0) {
		if (l.n == 0 || l.n > SIZE_LIST_MAX)
			abort();
		for (size_t i = 0; i < l.n; i++)
			if (l.v[i] == 0 || l.v[i] > SIZE_MAX_BYTES)
				abort();
		size_list_free(&l);
	} else if (!err[0] || strchr(err, '\n') || strncmp(err, "invalid size '", 14)) {
		abort();
	}
	err[0] = '\0';
	if (access_list_parse(s, &a, err, sizeof(err)) == 0) {
		if (a.n == 0 || a.n > ACCESS_MAX)
			abort();
	} else if (!err[0] || strncmp(err, "invalid access '", 16)) {
		abort();
	}
	free(s);
	return 0;
}
