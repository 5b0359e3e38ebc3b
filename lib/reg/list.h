/* SPDX-License-Identifier: GPL-2.0 */
/* The registrars: REGISTRAR(identifier), defined in lib/reg/NAME.c. */
REGISTRAR(regular)
