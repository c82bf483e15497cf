/* SMBIOS (DMTF DSP0134 3.x): the system's manufacturer and product strings
 * (structure type 1) for board detection (board.h). Pure C: the loader finds
 * the entry point in the UEFI configuration table (SMBIOS3_TABLE_GUID, else
 * SMBIOS_TABLE_GUID) and hands over bytes with how many of them are
 * readable; the host tests hand over crafted ones. */
#ifndef PLINTH_SMBIOS_H
#define PLINTH_SMBIOS_H
#include <stddef.h>
#include <stdint.h>
#include <plinth/log.h>

#define SMBIOS_STR_MAX 64

/* Where the structure table is, from an entry point. */
struct smbios_table {
	uint64_t addr;
	uint32_t len;			/* SMBIOS3: the maximum size; 2.x: the exact length */
	unsigned major, minor;
	int is64;			/* from the "_SM3_" entry point */
};

/* The "_SM3_" (is64) or "_SM_" entry point at ep, avail bytes readable:
 * anchor, length, checksum(s) and, for 2.x, the "_DMI_" intermediate anchor
 * are checked. 0, or -PLINTH_EINVAL after a log line. */
int smbios_entry(const void *ep, size_t avail, int is64, struct smbios_table *t,
		 const struct plinth_log *log);

/* The type-1 strings, printable ASCII (others become '?'), cut to
 * SMBIOS_STR_MAX - 1 characters; "" where the structure gives no string. */
struct smbios_system {
	char manufacturer[SMBIOS_STR_MAX];
	char product[SMBIOS_STR_MAX];
};

/* Walk the structures in tab[0..len) (each a formatted area of its own
 * length byte, then its string set ending in two NULs) up to the first type
 * 1, stopping at type 127 (end of table) or the bound. 0: found;
 * -PLINTH_ENOENT: no type 1 (logged); -PLINTH_EINVAL: a structure runs past
 * the table or is shorter than its header (logged with its offset). */
int smbios_system(const void *tab, size_t len, struct smbios_system *sys,
		  const struct plinth_log *log);

#endif
