/* SPDX-License-Identifier: GPL-2.0 */
#ifndef MRBENCH_QUOTE_H
#define MRBENCH_QUOTE_H

#include <stddef.h>

/*
 * Copy len bytes of user input into dst for an error message, with
 * control and non-ASCII bytes written as \xNN, so that a message naming
 * the bad value stays one printable line whatever was typed.
 */
const char *quote(char *dst, size_t dlen, const char *s, size_t len);

#endif
