/* SPDX-License-Identifier: GPL-2.0 */
#ifndef MRBENCH_EXECDIR_H
#define MRBENCH_EXECDIR_H

#include <stddef.h>

/*
 * Where mrbench's programs are: MRBENCH_EXEC_DIR when set, else the
 * directory of the running executable, so that a build tree runs its own
 * tools from wherever it is started. 0, or -1 when neither is known.
 */
int exec_dir(char *buf, size_t len);
/* dir/mrbench-NAME into path; 0 when it is there and executable. */
int exec_program(const char *name, char *path, size_t len);

#endif
