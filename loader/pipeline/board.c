/* Board detection: which boards/<name>/ row describes this machine. Pure C;
 * the strings come from the firmware (ACPI header bytes, SMBIOS strings) and
 * are only compared, never trusted to be terminated beyond their fields. */
#include <string.h>
#include "board.h"

/* ACPI pads the 6-byte OEM ID with spaces: "PRLS  " matches "PRLS". */
static int oem_matches(const char *want, const char *oem)
{
	size_t n = strlen(want), len = 0;

	if (!oem || !n)
		return 0;
	while (len < 6 && oem[len])
		len++;
	while (len && oem[len - 1] == ' ')
		len--;
	return len == n && memcmp(want, oem, n) == 0;
}

static int smbios_matches(const struct board *b, const struct board_ids *ids)
{
	if (!b->smbios_manufacturer[0] || !ids->smbios_manufacturer ||
	    strcmp(b->smbios_manufacturer, ids->smbios_manufacturer) != 0)
		return 0;
	return !b->smbios_product[0] ||
	       (ids->smbios_product && strcmp(b->smbios_product, ids->smbios_product) == 0);
}

const struct board *board_detect(const struct board *tab, unsigned n, const struct board_ids *ids,
				 const struct plinth_log *log)
{
	char oem[8];

	log_printable(oem, sizeof(oem), ids->oem_id ? ids->oem_id : "", ids->oem_id ? 6 : 0);
	if (ids->forced && ids->forced[0]) {
		for (unsigned i = 0; i < n; i++)
			if (strcmp(tab[i].name, ids->forced) == 0) {
				lfdt(log, "board %s (forced by board=%s; OEM ID \"%s\")",
					    tab[i].name, ids->forced, oem);
				return &tab[i];
			}
		lfdt(log, "board: board=%s names no board folder: no board overlay",
			    ids->forced);
		return NULL;
	}
	/* The OEM ID is in every table; SMBIOS is the fallback for firmware
	 * whose tables carry an edk2 default ID. */
	for (unsigned i = 0; i < n; i++)
		if (oem_matches(tab[i].oem_id, ids->oem_id)) {
			lfdt(log, "board %s (matched ACPI OEM ID \"%s\")", tab[i].name, oem);
			return &tab[i];
		}
	for (unsigned i = 0; i < n; i++)
		if (smbios_matches(&tab[i], ids)) {
			lfdt(log, "board %s (matched SMBIOS manufacturer \"%s\"%s%s%s)",
				    tab[i].name, ids->smbios_manufacturer,
				    tab[i].smbios_product[0] ? ", product \"" : "",
				    tab[i].smbios_product[0] ? ids->smbios_product : "",
				    tab[i].smbios_product[0] ? "\"" : "");
			return &tab[i];
		}
	lfdt(log, "board: none matched (ACPI OEM ID \"%s\", SMBIOS manufacturer \"%s\" "
		    "product \"%s\"): no board overlay", oem,
		    ids->smbios_manufacturer ? ids->smbios_manufacturer : "?",
		    ids->smbios_product ? ids->smbios_product : "?");
	return NULL;
}
