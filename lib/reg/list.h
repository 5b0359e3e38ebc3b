/* SPDX-License-Identifier: GPL-2.0 */
/* The registrars: REGISTRAR(identifier), defined in lib/reg/NAME.c. */
REGISTRAR(regular)
REGISTRAR(odp)
REGISTRAR(odp_implicit)
REGISTRAR(odp_prefetch)
REGISTRAR(odp_prefetch_async)
REGISTRAR(dmabuf)
REGISTRAR(iouring)
REGISTRAR(odirect)
REGISTRAR(udmabuf_pin)
REGISTRAR(v4l2)
REGISTRAR(mlock)
