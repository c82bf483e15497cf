/* FADT -> /psci (ACPI 6.5 5.2.9, Table 5.11 ARM Architecture Boot Flags;
 * binding arm,psci.yaml). */
#include <libfdt.h>
#include <plinth/err.h>
#include "acpi.h"

int acpi_fadt(struct acpi_ctx *c)
{
	const struct acpi_sdt *t = &c->fadt;
	uint32_t flags;
	uint16_t arm;
	int node, err;

	if (!t->p) {
		acpi_log(c, "fadt: absent: no /psci, CPUs get no enable-method");
		return 0;
	}
	/* FADT revision 5 (ACPI 5.x) is the first with ARM_BOOT_ARCH; the
	 * minor revision that should say 5.1 is 0 on real laptops (ThinkPad
	 * X13s, Yoga C630), so it is logged, never checked. */
	if (t->rev < 5 || !sdt_has(t, FADT_ARM_BOOT_ARCH, 2)) {
		acpi_log(c, "fadt: revision %u, %u bytes: no ARM boot flags (FADT 5+, offset 129): no /psci",
			 t->rev, t->len);
		c->fadt.skipped = 1;
		return 0;
	}
	flags = le32(t->p + FADT_FLAGS);
	arm = le16(t->p + FADT_ARM_BOOT_ARCH);
	if (!(flags & FADT_FLAG_HW_REDUCED))
		acpi_log(c, "fadt: HW_REDUCED_ACPI clear (flags 0x%08x): not a hardware-reduced platform, converted anyway",
			 flags);
	if (!(arm & FADT_ARM_PSCI_COMPLIANT)) {
		acpi_log(c, "fadt: revision %u.%u, ARM boot flags 0x%x: PSCI_COMPLIANT clear: no /psci",
			 t->rev, sdt_has(t, FADT_MINOR_REVISION, 1) ? t->p[FADT_MINOR_REVISION] : 0, arm);
		return 0;
	}
	if ((node = fdt_add_subnode(c->fdt, 0, "psci")) < 0)
		return node;
	if ((err = fdt_setprop(c->fdt, node, "compatible", "arm,psci-1.0\0arm,psci-0.2",
			       sizeof("arm,psci-1.0\0arm,psci-0.2"))) < 0 ||
	    (err = fdt_setprop_string(c->fdt, node, "method",
				      arm & FADT_ARM_PSCI_USE_HVC ? "hvc" : "smc")) < 0 ||
	    (err = acpi_fdt_label(c, node, "psci")) < 0)
		return err;
	c->psci = 1;
	acpi_log(c, "fadt: revision %u.%u, %shardware-reduced, ARM boot flags 0x%x: psci = arm,psci-1.0 via %s",
		 t->rev, sdt_has(t, FADT_MINOR_REVISION, 1) ? t->p[FADT_MINOR_REVISION] : 0,
		 flags & FADT_FLAG_HW_REDUCED ? "" : "not ", arm,
		 arm & FADT_ARM_PSCI_USE_HVC ? "HVC" : "SMC");
	return 0;
}
