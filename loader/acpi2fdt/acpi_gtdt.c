/* GTDT -> /timer (ACPI 6.5 5.2.25; binding arm,arch_timer.yaml): the four
 * per-CPU timer PPIs in the binding's order (secure EL1, non-secure EL1,
 * virtual EL1, EL2) with their trigger and polarity, and `always-on`. */
#include <plinth/err.h>
#include <plinth/printk.h>
#include "acpi.h"

static const struct {
	uint32_t off;
	const char *name;
} timers[4] = {
	{ GTDT_SEC_EL1, "secure EL1" },
	{ GTDT_NS_EL1, "non-secure EL1" },
	{ GTDT_VIRT_EL1, "virtual EL1" },
	{ GTDT_EL2, "EL2" },
};

static const char *trigger_name(uint32_t t)
{
	switch (t) {
	case DT_IRQ_EDGE_RISING: return "edge-rising";
	case DT_IRQ_EDGE_FALLING: return "edge-falling";
	case DT_IRQ_LEVEL_LOW: return "level-low";
	default: return "level-high";
	}
}

int acpi_gtdt(struct acpi_ctx *c, const struct acpi_sdt *t)
{
	struct acpi_timer *tm = &c->m.timer;
	uint32_t *spec = tm->spec, ns_flags;
	int norm;
	char ppis[96] = "";

	if (!t) {
		acpi_log(c, "gtdt: absent: no timer node");
		return 0;
	}
	/* Revision 1 (ACPI 5.0) already has the four timers at these offsets. */
	if (!sdt_has(t, GTDT_EL2, 8)) {
		acpi_log(c, "gtdt: revision %u, %u bytes: shorter than the %u bytes holding the four timers: skipped",
			 t->rev, t->len, GTDT_MIN_LEN);
		return ACPI_SKIPPED;
	}
	if (!c->m.gic.present) {
		acpi_log(c, "gtdt: no GIC in the MADT: timer interrupts cannot be described: no timer node");
		return ACPI_SKIPPED;
	}
	for (int i = 0; i < 4; i++) {
		/* GTDT timer flags (Table 5.122): bit 0 edge, bit 1 active low. */
		uint32_t flags = le32(t->p + timers[i].off + 4);
		uint32_t gsiv = le32(t->p + timers[i].off);
		uint32_t trig = dt_irq_type(flags & GTDT_FLAG_EDGE, flags & GTDT_FLAG_ACTIVE_LOW);
		size_t n = 0;

		if (gsiv < 16 || gsiv >= 32 || acpi_gic_spec(c, gsiv, trig, &spec[3 * i], &norm) < 0) {
			acpi_log(c, "gtdt: %s timer GSIV %u is not a PPI (16..31): skipped, no timer node",
				 timers[i].name, gsiv);
			return ACPI_SKIPPED;
		}
		while (ppis[n])
			n++;
		ksnprintf(ppis + n, sizeof(ppis) - n, "%s%u", i ? " " : "", gsiv - 16);
	}
	ns_flags = le32(t->p + GTDT_NS_EL1 + 4);
	tm->present = 1;
	if (acpi_label(c, "timer", "/timer", &tm->phandle, 0) < 0)
		return -FDT_ERR_NOSPACE;
	/* Linux reads always-on from the non-secure EL1 timer's flag too. */
	tm->always_on = !!(ns_flags & GTDT_FLAG_ALWAYS_ON);
	acpi_log(c, "gtdt: revision %u: timer = arm,armv8-timer, PPIs %s (GSIV %u %u %u %u), %s/%s/%s/%s%s",
		 t->rev, ppis, le32(t->p + GTDT_SEC_EL1), le32(t->p + GTDT_NS_EL1),
		 le32(t->p + GTDT_VIRT_EL1), le32(t->p + GTDT_EL2),
		 trigger_name(spec[2] & 0xf), trigger_name(spec[5] & 0xf),
		 trigger_name(spec[8] & 0xf), trigger_name(spec[11] & 0xf),
		 ns_flags & GTDT_FLAG_ALWAYS_ON ? ", always-on" : "");
	/* Revision 3 (ACPI 6.3) adds the EL2 virtual timer; the 4-PPI binding
	 * used here has no slot for it. */
	if (t->rev >= 3 && sdt_has(t, GTDT_VIRT_EL2, 8) && le32(t->p + GTDT_VIRT_EL2))
		acpi_log(c, "gtdt: EL2 virtual timer GSIV %u not described (4-PPI binding)",
			 le32(t->p + GTDT_VIRT_EL2));
	if (sdt_has(t, GTDT_PLATFORM_COUNT, 4) && le32(t->p + GTDT_PLATFORM_COUNT))
		acpi_log(c, "gtdt: %u platform timer(s) (GT blocks, watchdogs) not described",
			 le32(t->p + GTDT_PLATFORM_COUNT));
	return 0;
}
