/* SPDX-License-Identifier: GPL-2.0 */
/* The axes of mrbench scale: SCALE_AXIS(identifier), defined in
 * lib/scale/NAME.c as scale_<identifier>. */
SCALE_AXIS(size)
SCALE_AXIS(held)
SCALE_AXIS(threads)
