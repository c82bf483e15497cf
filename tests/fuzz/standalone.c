/* A plain main for a fuzz harness: run LLVMFuzzerTestOneInput once on each
 * file named, and print what the kernel code logged for it (host_env.c's
 * log). Built with gcc and ASan+UBSan around fuzz_devtree.c as
 * build/host-san/tools/dt_consume, which tests/test_malformed.py runs over
 * the malformed-tree corpus (tests/malformed/). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include "host_env.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int main(int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		size_t len;
		void *data = host_read_file(argv[i], &len);

		printf("== %s (%zu bytes)\n", argv[i], len);
		LLVMFuzzerTestOneInput(data, len);
		fputs(host_log(), stdout);
		fflush(stdout);
		free(data);
	}
	return 0;
}
