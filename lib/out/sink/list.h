/* SPDX-License-Identifier: GPL-2.0 */
/* The output formats, in --format order: SINK(identifier). */
SINK(human)
SINK(csv)
SINK(json)
SINK(ktap)
