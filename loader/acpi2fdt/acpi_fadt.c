/* FADT -> /psci (ACPI 6.5 5.2.9, Table 5.11 ARM Architecture Boot Flags;
 * binding arm,psci.yaml). The row's minimum revision is 5 (ACPI 5.x, the
 * first with ARM_BOOT_ARCH); the minor revision that should say 5.1 is 0 on
 * real laptops (ThinkPad X13s, Yoga C630), so it is logged, never checked. */
#include "acpi.h"

int acpi_fadt(struct acpi_ctx *c, const struct acpi_sdt *t)
{
	uint32_t flags;
	uint16_t arm;

	if (!t) {
		acpi_log(c, "fadt: absent: no /psci, CPUs get no enable-method");
		return 0;
	}
	if (!sdt_has(t, FADT_ARM_BOOT_ARCH, 2)) {
		acpi_log(c, "fadt: revision %u, %u bytes: no ARM boot flags (FADT 5+, offset 129): no /psci",
			 t->rev, t->len);
		return ACPI_SKIPPED;
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
	c->m.psci.present = 1;
	c->m.psci.hvc = !!(arm & FADT_ARM_PSCI_USE_HVC);
	if (acpi_label(c, "psci", "/psci", &c->m.psci.phandle, 0) < 0)
		return -FDT_ERR_NOSPACE;
	acpi_log(c, "fadt: revision %u.%u, %shardware-reduced, ARM boot flags 0x%x: psci = arm,psci-1.0 via %s",
		 t->rev, sdt_has(t, FADT_MINOR_REVISION, 1) ? t->p[FADT_MINOR_REVISION] : 0,
		 flags & FADT_FLAG_HW_REDUCED ? "" : "not ", arm, c->m.psci.hvc ? "HVC" : "SMC");
	return 0;
}
