/* SPDX-License-Identifier: GPL-2.0 */
/* The memory sources: MEM_SOURCE(identifier), defined in lib/mem/NAME.c. */
MEM_SOURCE(anon)
