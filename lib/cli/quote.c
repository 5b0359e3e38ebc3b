// SPDX-License-Identifier: GPL-2.0
#include <stdio.h>

#include "cli/quote.h"

const char *quote(char *dst, size_t dlen, const char *s, size_t len)
{
	size_t o = 0;

	for (size_t i = 0; i < len && s[i] && o + 5 < dlen; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c >= 0x20 && c < 0x7f)
			dst[o++] = (char)c;
		else
			o += (size_t)snprintf(dst + o, dlen - o, "\\x%02x", c);
	}
	if (dlen)
		dst[o < dlen ? o : dlen - 1] = '\0';
	return dst;
}
