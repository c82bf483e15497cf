/* The machine description's helpers (acpi.h): the arena its variable parts
 * come from, labels and phandles, interrupt specifiers, the log. */
#include <libfdt.h>
#include <plinth/err.h>
#include <plinth/printk.h>
#include "acpi.h"

void acpi_log(struct acpi_ctx *c, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	lvfdt(c->log, fmt, ap);
	va_end(ap);
}

/* ------------------------------------------------------------- arena ---- */

void *acpi_alloc(struct acpi_ctx *c, size_t n)
{
	uint8_t *p;

	n = (n + 7) & ~(size_t)7;
	if (c->nospace || n > (size_t)(c->hi - c->lo)) {
		c->nospace = 1;
		return NULL;
	}
	c->hi -= n;
	p = c->hi;
	memset(p, 0, n);
	return p;
}

const char *acpi_strdup(struct acpi_ctx *c, const char *fmt, ...)
{
	char buf[128];
	va_list ap;
	char *s;
	int n;

	va_start(ap, fmt);
	n = kvsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof(buf) || !(s = acpi_alloc(c, (size_t)n + 1)))
		return NULL;
	memcpy(s, buf, (size_t)n + 1);
	return s;
}

/* ------------------------------------------------------------ labels ---- */

static const struct {
	const char *label;
	uint32_t phandle;
} fixed_phandles[] = {
	{ "gic", 1 }, { "cpus", 2 }, { "psci", 3 }, { "timer", 4 },
};

int acpi_label(struct acpi_ctx *c, const char *label, const char *path, uint32_t *phandle,
	       int again)
{
	struct acpi_sym *s;

	if (!path || !(s = acpi_alloc(c, sizeof(*s))))
		return -FDT_ERR_NOSPACE;
	if (!*phandle) {
		for (unsigned i = 0; i < sizeof(fixed_phandles) / sizeof(fixed_phandles[0]); i++)
			if (strcmp(label, fixed_phandles[i].label) == 0)
				*phandle = fixed_phandles[i].phandle;
		if (!*phandle)
			*phandle = c->next_phandle++;
	}
	if (again)
		for (struct acpi_sym *o = c->m.syms; o; o = o->next)
			if (!o->dead && strcmp(o->name, label) == 0)
				o->dead = 1;
	str_copy(s->name, sizeof(s->name), label);
	s->path = path;
	*c->m.syms_tail = s;
	c->m.syms_tail = &s->next;
	return 0;
}

/* -------------------------------------------------------- interrupts ---- */

/* GIC INTID ranges (GICv3 architecture 2.2): PPI 16-31, SPI 32-1019,
 * EPPI 1056-1119, ESPI 4096-5119. */
int acpi_gic_spec(const struct acpi_ctx *c, uint32_t gsiv, uint32_t flags, uint32_t spec[3],
		  int *normalised)
{
	int ppi = 0;

	*normalised = 0;
	if (gsiv >= 16 && gsiv < 32) {
		spec[0] = DT_GIC_PPI, spec[1] = gsiv - 16, ppi = 1;
	} else if (gsiv >= 32 && gsiv < 1020) {
		spec[0] = DT_GIC_SPI, spec[1] = gsiv - 32;
	} else if (c->m.gic.version >= 3 && gsiv >= 1056 && gsiv < 1120) {
		spec[0] = DT_GIC_EPPI, spec[1] = gsiv - 1056, ppi = 1;
	} else if (c->m.gic.version >= 3 && gsiv >= 4096 && gsiv < 5120) {
		spec[0] = DT_GIC_ESPI, spec[1] = gsiv - 4096;
	} else {
		return -PLINTH_ERANGE;
	}
	if (!ppi && (flags == DT_IRQ_EDGE_FALLING || flags == DT_IRQ_LEVEL_LOW)) {
		flags = flags == DT_IRQ_EDGE_FALLING ? DT_IRQ_EDGE_RISING : DT_IRQ_LEVEL_HIGH;
		*normalised = 1;
	}
	/* GICv2 PPIs carry the mask of CPUs they are wired to (arm,gic.yaml). */
	if (ppi && c->m.gic.version == 2 && c->ncpus > 0 && c->ncpus <= 8)
		flags |= ((1u << c->ncpus) - 1) << 8;
	spec[2] = flags;
	return 0;
}

const char *acpi_gsiv_str(uint32_t gsiv, char *buf, size_t size)
{
	if (gsiv >= 16 && gsiv < 32)
		ksnprintf(buf, size, "GSIV %u (PPI %u)", gsiv, gsiv - 16);
	else if (gsiv >= 32 && gsiv < 1020)
		ksnprintf(buf, size, "GSIV %u (SPI %u)", gsiv, gsiv - 32);
	else
		ksnprintf(buf, size, "GSIV %u", gsiv);
	return buf;
}

int acpi_interrupt(struct acpi_ctx *c, struct acpi_irq *irq, const char *who, uint32_t gsiv,
		   uint32_t flags)
{
	int norm;
	char g[40];

	if (!c->m.gic.present) {
		acpi_log(c, "%s: %s: no GIC in the MADT: interrupt not described", who,
			 acpi_gsiv_str(gsiv, g, sizeof(g)));
		return 0;
	}
	if (acpi_gic_spec(c, gsiv, flags, irq->spec, &norm) < 0) {
		acpi_log(c, "%s: %s is not a GIC PPI or SPI: interrupt not described", who,
			 acpi_gsiv_str(gsiv, g, sizeof(g)));
		return 0;
	}
	if (norm)
		acpi_log(c, "%s: %s active-low: GIC SPIs are active-high, written as such", who,
			 acpi_gsiv_str(gsiv, g, sizeof(g)));
	irq->present = 1;
	return 1;
}
