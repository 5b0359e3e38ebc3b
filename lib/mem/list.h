/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The memory sources: MEM_SOURCE(identifier), defined in lib/mem/NAME.c.
 * MEM_SOURCE_NAMED: run only when named, never one of "all".
 */
MEM_SOURCE(anon)
MEM_SOURCE(thp)
MEM_SOURCE(hugetlb_2m)
MEM_SOURCE(hugetlb_1g)
MEM_SOURCE(memfd)
MEM_SOURCE(shm)
MEM_SOURCE(file)
MEM_SOURCE(file_private)
MEM_SOURCE(dax)
MEM_SOURCE(udmabuf)
MEM_SOURCE(dmaheap)
MEM_SOURCE(movable)
MEM_SOURCE(cma)
MEM_SOURCE(normal)
MEM_SOURCE_NAMED(uffd)
