// SPDX-License-Identifier: GPL-2.0
#include <pthread.h>
#include <string.h>
#include <sys/mman.h>

#include "measure/churn.h"

#define CHURN_BYTES (2UL << 20)

static pthread_t churner;
static volatile int churn_on;
static unsigned long rounds;

static void *churn_main(void *arg)
{
	while (churn_on) {
		char *p = mmap(NULL, CHURN_BYTES, PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

		if (p == MAP_FAILED)
			continue;
		memset(p, 1, CHURN_BYTES);
		munmap(p, CHURN_BYTES);
		rounds++;
	}
	return NULL;
}

int churn_start(void)
{
	churn_on = 1;
	return pthread_create(&churner, NULL, churn_main, NULL);
}

unsigned long churn_stop(void)
{
	if (!churn_on)
		return 0;
	churn_on = 0;
	pthread_join(churner, NULL);
	return rounds;
}
