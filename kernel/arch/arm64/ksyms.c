/* Symbol lookup for fault reports. The table is made at build time from the
 * linked Image.elf (tools/ksyms, a second link; README: Debugging) and sits
 * in .plinth_ksyms between __ksyms_start and __ksyms_end (kernel.lds):
 *
 *   u32 count, u32 strings   (offset of the names from the table start)
 *   count x { u32 offset from __image_start, u32 name offset }, sorted
 *   the names, NUL-terminated
 *
 * Offsets rather than addresses: the image runs wherever it is loaded and
 * the table needs no relocation. The first link has an empty table, so a
 * lookup there (and in any image without one) finds nothing. */
#include <stdint.h>
#include "plinth/stacks.h"

extern const uint32_t __ksyms_start[], __ksyms_end[];	/* kernel.lds */
extern char __image_start[], __text_end[];

const char *ksym_lookup(uint64_t addr, uint64_t *off)
{
	uint64_t size = (uintptr_t)__ksyms_end - (uintptr_t)__ksyms_start;
	uint64_t rel = addr - (uintptr_t)__image_start;
	const uint32_t *t = __ksyms_start;
	uint32_t count, strings, lo = 0, hi;

	if (size < 8 || addr < (uintptr_t)__image_start || addr >= (uintptr_t)__text_end)
		return 0;
	count = t[0];
	strings = t[1];
	if (count == 0 || 8 + (uint64_t)count * 8 > size || strings > size)
		return 0;
	/* The last entry at or below rel. */
	hi = count;
	while (hi - lo > 1) {
		uint32_t mid = lo + (hi - lo) / 2;

		if (t[2 + 2 * mid] <= rel)
			lo = mid;
		else
			hi = mid;
	}
	if (t[2 + 2 * lo] > rel || strings + (uint64_t)t[3 + 2 * lo] >= size)
		return 0;
	*off = rel - t[2 + 2 * lo];
	return (const char *)t + strings + t[3 + 2 * lo];
}
