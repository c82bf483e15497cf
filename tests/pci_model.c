/* The PCI config-space model of pci_model.h. */
#include <stdlib.h>
#include <string.h>
#include "pci_model.h"

void model_init(struct model *m, uint8_t root)
{
	memset(m, 0, sizeof(*m));
	m->root = root;
}

static void free_bus(struct model_bus *b)
{
	struct model_fn *f = b->fns, *n;

	for (; f; f = n) {
		n = f->next;
		if (f->child) {
			free_bus(f->child);
			free(f->child);
		}
		free(f);
	}
	b->fns = NULL;
}

void model_free(struct model *m)
{
	free_bus(&m->bus);
}

struct model_fn *model_fn(struct model_bus *b, unsigned dev, unsigned fn, uint16_t vendor,
			  uint16_t device, uint32_t class, uint8_t pin)
{
	struct model_fn *f = calloc(1, sizeof(*f)), **tail;

	f->devfn = PCI_DEVFN(dev, fn);
	f->cfg[0] = (uint32_t)device << 16 | vendor;
	f->cfg[2] = class << 8 | 0x01;		/* revision 1 */
	f->cfg[0x3c / 4] = (uint32_t)pin << 8;
	for (tail = &b->fns; *tail; tail = &(*tail)->next)
		;
	*tail = f;
	return f;
}

static void bar_reset(struct model_fn *f, unsigned i)
{
	unsigned fl = f->bar_flags[i];

	if (!f->bar_size[i])
		return;
	f->cfg[4 + i] = fl & MB_IO ? 1 : ((fl & MB_64 ? 4 : 0) | (fl & MB_PREF ? 8 : 0));
	if (fl & MB_64)
		f->cfg[5 + i] = 0;
}

void model_bar(struct model_fn *f, unsigned i, uint64_t size, unsigned flags)
{
	f->bar_size[i] = size;
	f->bar_flags[i] = flags;
	bar_reset(f, i);
}

struct model_bus *model_bridge(struct model_fn *f, unsigned win)
{
	f->cfg[3] = 0x00010000;		/* header type 1 */
	f->win = win;
	f->child = calloc(1, sizeof(*f->child));
	f->cfg[0x1c / 4] = win & MW_IO32 ? 0x0101 : 0;
	f->cfg[0x24 / 4] = win & MW_PREF64 ? 0x00010001 : 0;
	return f->child;
}

void model_msix(struct model_fn *f)
{
	f->cfg[1] |= (uint32_t)PCI_STATUS_CAP_LIST << 16;
	f->cfg[0x34 / 4] = 0x40;
	f->cfg[0x40 / 4] = PCI_CAP_MSIX;	/* next 0 */
}

static bool multi(const struct model_bus *b, uint8_t dev)
{
	for (const struct model_fn *f = b->fns; f; f = f->next)
		if (PCI_SLOT(f->devfn) == dev && PCI_FUNC(f->devfn))
			return true;
	return false;
}

static struct model_fn *route(struct model_bus *b, uint8_t busno, uint8_t here, uint8_t devfn)
{
	for (struct model_fn *f = b->fns; f; f = f->next) {
		if (busno == here) {
			if (f->devfn == devfn)
				return f;
			continue;
		}
		if (!f->child)
			continue;
		uint8_t sec = (uint8_t)(f->cfg[6] >> 8), sub = (uint8_t)(f->cfg[6] >> 16);

		if (sec && busno >= sec && busno <= sub)
			return route(f->child, busno, sec, devfn);
	}
	return NULL;
}

struct model_fn *model_route(struct model *m, uint8_t bus, uint8_t devfn)
{
	return route(&m->bus, bus, m->root, devfn);
}

uint32_t model_rd(const struct model_fn *f, uint16_t reg)
{
	return f->cfg[reg / 4];
}

uint64_t model_bar_value(const struct model_fn *f, unsigned i)
{
	uint64_t v = f->cfg[4 + i];

	if (f->bar_flags[i] & MB_IO)
		return v & ~3ull;
	v &= ~0xfull;
	if (f->bar_flags[i] & MB_64)
		v |= (uint64_t)f->cfg[5 + i] << 32;
	return v;
}

static uint32_t rd(void *ctx, uint8_t bus, uint8_t devfn, uint16_t reg)
{
	struct model *m = ctx;
	struct model_fn *f = model_route(m, bus, devfn);
	uint32_t v;

	m->reads++;
	if (!f || reg > 0xffc)
		return 0xffffffffu;
	v = f->cfg[reg / 4];
	return v;
}

/* A memory/I/O BAR keeps only the address bits its size decodes. */
static void bar_write(struct model *m, struct model_fn *f, unsigned i, uint32_t v)
{
	uint16_t cmd = (uint16_t)f->cfg[1];

	if (i > 0 && (f->bar_flags[i - 1] & MB_64) && f->bar_size[i - 1]) {	/* upper half */
		uint64_t mask = ~(f->bar_size[i - 1] - 1);

		f->cfg[4 + i] = v & (uint32_t)(mask >> 32);
		if (v == 0xffffffffu && (cmd & PCI_CMD_MEM))
			m->violations++;
		return;
	}
	if (!f->bar_size[i])
		return;
	uint64_t mask = ~(f->bar_size[i] - 1);
	unsigned fl = f->bar_flags[i];

	if (v == 0xffffffffu && (cmd & (PCI_CMD_IO | PCI_CMD_MEM)))
		m->violations++;
	if (fl & MB_IO) {
		mask &= fl & MB_IO16 ? 0xfffc : 0xfffffffc;
		f->cfg[4 + i] = (v & (uint32_t)mask) | 1;
	} else {
		f->cfg[4 + i] = (v & (uint32_t)mask & ~0xfu) | (fl & MB_64 ? 4 : 0) | (fl & MB_PREF ? 8 : 0);
	}
}

static void bridge_write(struct model_fn *f, uint16_t reg, uint32_t v)
{
	switch (reg) {
	case 0x18:
		f->cfg[6] = v;
		break;
	case 0x1c:
		if (f->win & MW_IO)
			f->cfg[7] = (v & 0xf0f0) | (f->win & MW_IO32 ? 0x0101 : 0);
		break;
	case 0x20:
		f->cfg[8] = v & 0xfff0fff0;
		break;
	case 0x24:
		if (f->win & MW_PREF)
			f->cfg[9] = (v & 0xfff0fff0) | (f->win & MW_PREF64 ? 0x00010001 : 0);
		break;
	case 0x28:
	case 0x2c:
		if (f->win & MW_PREF64)
			f->cfg[reg / 4] = v;
		break;
	case 0x30:
		if (f->win & MW_IO32)
			f->cfg[12] = v;
		break;
	}
}

static void wr(void *ctx, uint8_t bus, uint8_t devfn, uint16_t reg, uint32_t v)
{
	struct model *m = ctx;
	struct model_fn *f = model_route(m, bus, devfn);

	m->writes++;
	if (!f || reg > 0xffc)
		return;
	if (reg == PCI_COMMAND) {
		f->cfg[1] = (f->cfg[1] & 0xffff0000u) | (v & 0x07ff);
		return;
	}
	if (reg == 0x3c) {
		f->cfg[15] = (f->cfg[15] & ~0xffu) | (v & 0xff);
		return;
	}
	if (f->child) {
		if (reg == 0x10 || reg == 0x14)
			bar_write(m, f, (reg - 0x10) / 4, v);
		else
			bridge_write(f, reg, v);
		return;
	}
	if (reg >= 0x10 && reg <= 0x24)
		bar_write(m, f, (reg - 0x10) / 4, v);
}

const struct pci_ops model_ops = { .read = rd, .write = wr };

void model_finish(struct model_bus *b)
{
	for (struct model_fn *f = b->fns; f; f = f->next) {
		if (PCI_FUNC(f->devfn) == 0 && multi(b, PCI_SLOT(f->devfn)))
			f->cfg[3] |= 0x00800000;
		if (f->child)
			model_finish(f->child);
	}
}
