/* What the platform hands over besides files (efi.h): the configuration
 * table's ACPI RSDP and SMBIOS entry points, and the GOP's framebuffer.
 * Each is only found and copied out here; reading the tables, detecting the
 * board and describing the framebuffer are the pure helpers' work. */
#include <string.h>
#include "pipeline/smbios.h"
#include "efi.h"

/* ------------------------------------------------ configuration table ---- */

/* The ACPI 2.0+ RSDP from the configuration table (UEFI 2.10 4.6). */
EFI_STATUS find_tables(struct boot *b)
{
	EFI_GUID acpi20 = ACPI_20_TABLE_GUID;
	uint64_t rsdp = 0;

	for (UINTN i = 0; i < b->st->NumberOfTableEntries; i++) {
		EFI_CONFIGURATION_TABLE *t = &b->st->ConfigurationTable[i];

		if (memcmp(&t->VendorGuid, &acpi20, sizeof(acpi20)) == 0) {
			rsdp = (uint64_t)(uintptr_t)t->VendorTable;
			break;
		}
	}
	if (!rsdp) {
		say(b, "fdt: rsdp: no ACPI 2.0 table in the UEFI configuration table (%llu entries)",
		    (unsigned long long)b->st->NumberOfTableEntries);
		return EFI_NOT_FOUND;
	}
	int err = acpi_collect(rsdp, map_avail, b, &b->acpi, &b->sink);

	if (err < 0) {
		say(b, "fdt: acpi: no usable root table: %s", plinth_strerror(err));
		return EFI_NOT_FOUND;
	}
	return EFI_SUCCESS;
}

/* The SMBIOS type-1 strings (smbios.c): the 64-bit entry point AAVMF
 * installs (SMBIOS3_TABLE_GUID), else the 32-bit one. Absent or malformed:
 * logged, and detection goes on without them. */
static int find_smbios(struct boot *b, struct smbios_system *sys)
{
	static const EFI_GUID guids[2] = { SMBIOS3_TABLE_GUID, SMBIOS_TABLE_GUID };
	struct smbios_table t;

	for (int k = 0; k < 2; k++)
		for (UINTN i = 0; i < b->st->NumberOfTableEntries; i++) {
			EFI_CONFIGURATION_TABLE *c = &b->st->ConfigurationTable[i];
			uint64_t ep = (uint64_t)(uintptr_t)c->VendorTable, avail;

			if (memcmp(&c->VendorGuid, &guids[k], sizeof(guids[k])) != 0)
				continue;
			avail = map_avail(b, ep);
			if (smbios_entry(c->VendorTable, avail, k == 0, &t, &b->sink) < 0)
				break;
			avail = map_avail(b, t.addr);
			if (smbios_system((const void *)(uintptr_t)t.addr,
					  avail < t.len ? avail : t.len, sys, &b->sink) < 0)
				return -PLINTH_ENOENT;
			say(b, "fdt: smbios: %u.%u (%s entry point): manufacturer \"%s\", product \"%s\"",
			    t.major, t.minor, k == 0 ? "64-bit" : "32-bit", sys->manufacturer,
			    sys->product);
			return 0;
		}
	say(b, "fdt: smbios: no usable SMBIOS entry point in the UEFI configuration table");
	return -PLINTH_ENOENT;
}

/* Which boards/<name>/ this machine is (pipeline/board.c logs the match):
 * plinth.cfg board= first, then the converter's ACPI OEM ID, then SMBIOS. */
void find_board(struct boot *b)
{
	struct smbios_system sys;
	struct board_ids ids = { .forced = b->cfg.board };

	if (find_smbios(b, &sys) == 0) {
		ids.smbios_manufacturer = sys.manufacturer;
		ids.smbios_product = sys.product;
	}
	pipeline_board(&b->pipe, &ids);
}

/* ---------------------------------------------------------------- GOP ---- */

/* GOP mode n as the pure part sees it (gop.c). */
static void gop_mode_of(EFI_GRAPHICS_OUTPUT_PROTOCOL *gop, struct gop_mode *m)
{
	const EFI_GRAPHICS_OUTPUT_MODE_INFORMATION *i = gop->Mode->Info;

	*m = (struct gop_mode){
		.pixel_format = i->PixelFormat,
		.mask = { i->PixelInformation.RedMask, i->PixelInformation.GreenMask,
			  i->PixelInformation.BlueMask, i->PixelInformation.ReservedMask },
		.width = i->HorizontalResolution,
		.height = i->VerticalResolution,
		.pixels_per_line = i->PixelsPerScanLine,
		.base = gop->Mode->FrameBufferBase,
		.size = gop->Mode->FrameBufferSize,
	};
}

/* plinth.cfg gop=WxH: set that mode when the GOP lists it; otherwise the
 * firmware's current mode stays. */
static void gop_pick_mode(struct boot *b, EFI_GRAPHICS_OUTPUT_PROTOCOL *gop)
{
	uint32_t w, h;

	if (!b->cfg.gop[0])
		return;
	if (gop_parse_size(b->cfg.gop, &w, &h) < 0) {
		say(b, "fdt: gop: cfg gop=%s is not WxH, the current mode stays", b->cfg.gop);
		return;
	}
	for (UINT32 n = 0; n < gop->Mode->MaxMode; n++) {
		EFI_GRAPHICS_OUTPUT_MODE_INFORMATION *i;
		UINTN len;

		if (EFI_ERROR(gop->QueryMode(gop, n, &len, &i)))
			continue;
		int match = i->HorizontalResolution == w && i->VerticalResolution == h;

		b->bs->FreePool(i);
		if (!match)
			continue;
		EFI_STATUS s = gop->SetMode(gop, n);

		say(b, "fdt: gop: cfg gop=%s: mode %u %s", b->cfg.gop, n,
		    EFI_ERROR(s) ? efi_status_name(s) : "set");
		return;
	}
	say(b, "fdt: gop: cfg gop=%s: no such mode among %u, the current mode stays", b->cfg.gop,
	    gop->Mode->MaxMode);
}

/* The GOP's framebuffer, if any, into b->fb for step_gop. No GOP, or one
 * without a linear framebuffer, is logged and the boot goes on. */
void find_gop(struct boot *b)
{
	EFI_GUID gop_guid = EFI_GRAPHICS_OUTPUT_PROTOCOL_GUID;
	EFI_GRAPHICS_OUTPUT_PROTOCOL *gop;
	EFI_STATUS s = b->bs->LocateProtocol(&gop_guid, NULL, (void **)&gop);
	struct gop_mode m;

	if (EFI_ERROR(s) || !gop->Mode || !gop->Mode->Info) {
		say(b, "fdt: gop: none (%s): no framebuffer", EFI_ERROR(s) ? efi_status_name(s) :
		    "no current mode");
		return;
	}
	gop_pick_mode(b, gop);
	gop_mode_of(gop, &m);
	if (gop_describe(&m, &b->fb, &b->sink))
		b->fb.reserve = gop_in_ram(b->descs, b->ndesc, b->fb.base, b->fb.region);
}
