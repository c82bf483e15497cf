/* Host tests of the PCI core (kernel/core/pci*.c) and the ECAM host driver
 * (kernel/drivers/pci_ecam.c) against the config-space model of
 * tests/pci_model.c, on tests/trees/pci.dts:
 *   - the devfn `reg` encoding of nodes naming functions (PCI bus binding);
 *   - the host node: bus-range, `ranges` windows, linux,pci-probe-only;
 *   - enumeration: bus numbers through two levels of bridges, IDs, classes,
 *     multi-function devices, BAR sizing (I/O, 16-bit I/O, 32/64-bit,
 *     prefetchable, 8 GiB), which bridge windows exist;
 *   - assignment after a direct boot (every resource, checked for alignment,
 *     overlap, window type, 32-bit limits, bridge windows holding their bus)
 *     with exact addresses for QEMU virt's shape; and with probe-only
 *     (firmware's BARs and bus numbers kept, only the unassigned BAR placed,
 *     no BAR probed with decoding on);
 *   - INTx through interrupt-map with the swizzle across bridges; MSI through
 *     msi-map and msi-parent;
 *   - the whole path through the driver core: ECAM driver probe, named nodes
 *     attached (the console node waits, then binds), unnamed functions get
 *     devices, ID matches beat class matches, decoding enabled only for what
 *     a driver binds. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <libfdt.h>
#include <plinth/driver.h>
#include <plinth/dt.h>
#include <plinth/mmio.h>
#include <plinth/pci.h>
#include "host_env.h"
#include "pci_model.h"

#define FOUR_GIB (1ull << 32)
#define HOST_A "/pcie@4010000000"
#define HOST_B "/pcie@3f000000"

static void *fdt;

static int node(const char *path)
{
	int n = fdt_path_offset(fdt, path);

	if (n < 0)
		fail_msg("no node %s", path);
	return n;
}

static void assert_has(const char *text, const char *needle)
{
	if (!strstr(text, needle))
		fail_msg("missing: %s\n--- text ---\n%s", needle, text);
}

/* --------------------------------------------------------- topologies --- */

/* Host A's machine:
 *   00:00.0 host bridge
 *   00:01.0 root port (BAR0 4K; I/O + 64-bit prefetchable windows) -> bus 1
 *     01:00.0 virtio-net (INTA; BAR1 4K, BAR4 16K 64-bit pref; MSI-X)
 *   00:02.0 16550 (INTA; BAR0 8 bytes of I/O)
 *   00:03.0 SATA (INTA; BAR0 1M 64-bit, BAR2 32 bytes 16-bit I/O, BAR5 8K 32-bit pref)
 *   00:03.1 display (INTB; BAR0 8 GiB 64-bit pref)
 *   00:04.0 bridge (32-bit I/O + 32-bit pref windows) -> bus 2
 *     02:00.0 bridge (I/O window, no pref window) -> bus 3
 *       03:03.0 NVMe (INTB; BAR0 16K 64-bit, BAR2 256 bytes I/O, BAR4 64K 32-bit pref)
 *   00:05.0 unclassified (BAR0 1 GiB: fits no 32-bit window) */
static struct model_fn *a_rp, *a_net, *a_uart, *a_sata, *a_vga, *a_br, *a_br2, *a_nvme, *a_huge;

static void build_a(struct model *m)
{
	struct model_bus *b1, *b2, *b3;

	model_init(m, 0);
	model_fn(&m->bus, 0, 0, 0x1b36, 0x0008, 0x060000, 0);
	a_rp = model_fn(&m->bus, 1, 0, 0x1b36, 0x000c, 0x060400, 1);
	model_bar(a_rp, 0, 0x1000, 0);
	b1 = model_bridge(a_rp, MW_IO | MW_PREF | MW_PREF64);
	a_net = model_fn(b1, 0, 0, 0x1af4, 0x1041, 0x020000, 1);
	model_bar(a_net, 1, 0x1000, 0);
	model_bar(a_net, 4, 0x4000, MB_64 | MB_PREF);
	model_msix(a_net);
	a_uart = model_fn(&m->bus, 2, 0, 0x1b36, 0x0002, 0x070002, 1);
	model_bar(a_uart, 0, 8, MB_IO);
	a_sata = model_fn(&m->bus, 3, 0, 0x8086, 0x2922, 0x010601, 1);
	model_bar(a_sata, 0, 0x100000, MB_64);
	model_bar(a_sata, 2, 0x20, MB_IO | MB_IO16);
	model_bar(a_sata, 5, 0x2000, MB_PREF);
	a_vga = model_fn(&m->bus, 3, 1, 0x1234, 0x1111, 0x030000, 2);
	model_bar(a_vga, 0, 0x200000000ull, MB_64 | MB_PREF);
	a_br = model_fn(&m->bus, 4, 0, 0x8086, 0x244e, 0x060400, 0);
	b2 = model_bridge(a_br, MW_IO | MW_IO32 | MW_PREF);
	a_br2 = model_fn(b2, 0, 0, 0x8086, 0x244e, 0x060400, 0);
	b3 = model_bridge(a_br2, MW_IO);
	a_nvme = model_fn(b3, 3, 0, 0x1b36, 0x0010, 0x010802, 2);
	model_bar(a_nvme, 0, 0x4000, MB_64);
	model_bar(a_nvme, 2, 0x100, MB_IO);
	model_bar(a_nvme, 4, 0x10000, MB_PREF);
	a_huge = model_fn(&m->bus, 5, 0, 0x1234, 0x9999, 0xff0000, 0);
	model_bar(a_huge, 0, 0x40000000, 0);
	model_finish(&m->bus);
}

/* QEMU virt's test machine (tests/qemu/test_pci.py): host bridge, a root
 * port with virtio-net behind it, pci-serial at 00:02.0. */
static struct model_fn *q_rp, *q_net, *q_uart;

static void build_qemu(struct model *m)
{
	struct model_bus *b1;

	model_init(m, 0);
	model_fn(&m->bus, 0, 0, 0x1b36, 0x0008, 0x060000, 0);
	q_rp = model_fn(&m->bus, 1, 0, 0x1b36, 0x000c, 0x060400, 1);
	model_bar(q_rp, 0, 0x1000, 0);
	b1 = model_bridge(q_rp, MW_IO | MW_PREF | MW_PREF64);
	q_net = model_fn(b1, 0, 0, 0x1af4, 0x1041, 0x020000, 1);
	model_bar(q_net, 1, 0x1000, 0);
	model_bar(q_net, 4, 0x4000, MB_64 | MB_PREF);
	q_uart = model_fn(&m->bus, 2, 0, 0x1b36, 0x0002, 0x070002, 1);
	model_bar(q_uart, 0, 8, MB_IO);
	model_finish(&m->bus);
}

static void host_on(struct pci_host *h, struct model *m, const char *path)
{
	memset(h, 0, sizeof(*h));
	h->fdt = fdt;
	h->node = node(path);
	assert_int_equal(pci_host_parse(fdt, h->node, &h->cfg), 0);
	h->ops = &model_ops;
	h->ctx = m;
}

static struct pci_func *func(struct pci_host *h, uint8_t bus, unsigned dev, unsigned fn)
{
	for (struct pci_func *f = h->funcs; f; f = f->next)
		if (f->bus == bus && f->devfn == PCI_DEVFN(dev, fn))
			return f;
	fail_msg("no function %02x:%02x.%u", bus, dev, fn);
	return NULL;
}

/* ------------------------------------------------------ devfn encoding --- */

static void test_devfn_encoding(void **state)
{
	char buf[8192];
	int n;
	(void)state;

	assert_int_equal(dt_pci_devfn(fdt, node(HOST_A "/serial@2,0")), 0x0010);
	assert_int_equal(dt_pci_devfn(fdt, node(HOST_A "/pci@4,0")), 0x0020);
	assert_int_equal(dt_pci_devfn(fdt, node(HOST_A "/pci@4,0/pci@0,0")), 0x0200);
	assert_int_equal(dt_pci_devfn(fdt, node(HOST_A "/pci@4,0/pci@0,0/storage@3,0")), 0x0318);
	assert_int_equal(dt_pci_devfn(fdt, node(HOST_A "/serial@1f,7")), 0x00ff);
	/* Not under a PCI bus: the host itself, the ITS. */
	assert_int_equal(dt_pci_devfn(fdt, node(HOST_A)), -PLINTH_ENOENT);
	assert_int_equal(dt_pci_devfn(fdt, node("/interrupt-controller@8000000/msi-controller@8080000")),
			 -PLINTH_ENOENT);
	assert_true(dt_is_pci_bus(fdt, node(HOST_A)));
	assert_true(dt_is_pci_bus(fdt, node(HOST_A "/pci@4,0")));
	assert_false(dt_is_pci_bus(fdt, node("/chosen")));

	/* What dtc would warn about, built here: an I/O-space address, a
	 * register number, a non-zero phys.mid. */
	static const uint32_t bad[][5] = {
		{ 0x01001000, 0, 0, 0, 0 }, { 0x00001010, 0, 0, 0, 0 }, { 0x00001000, 1, 0, 0, 0 },
	};
	for (unsigned i = 0; i < 3; i++) {
		fdt32_t v[5];

		assert_int_equal(fdt_open_into(fdt, buf, sizeof(buf)), 0);
		n = fdt_path_offset(buf, HOST_A "/serial@2,0");
		for (int j = 0; j < 5; j++)
			v[j] = cpu_to_fdt32(bad[i][j]);
		assert_int_equal(fdt_setprop(buf, n, "reg", v, sizeof(v)), 0);
		assert_int_equal(dt_pci_devfn(buf, n), -PLINTH_EINVAL);
	}
}

/* ------------------------------------------------------------ host node --- */

static void test_host_parse(void **state)
{
	struct pci_host_config c;
	char buf[8192];
	int n;
	(void)state;

	assert_int_equal(pci_host_parse(fdt, node(HOST_A), &c), 0);
	assert_int_equal(c.bus_start, 0);
	assert_int_equal(c.bus_end, 0xff);
	assert_int_equal(c.domain, 0);
	assert_false(c.probe_only);
	assert_int_equal(c.nwin, 4);
	assert_int_equal(c.win[0].space, PCI_SPACE_IO);
	assert_int_equal(c.win[0].bus, 0);
	assert_int_equal(c.win[0].cpu, 0x3eff0000);
	assert_int_equal(c.win[0].size, 0x10000);
	assert_int_equal(c.win[1].space, PCI_SPACE_MEM32);
	assert_int_equal(c.win[1].cpu, 0x10000000);
	assert_int_equal(c.win[1].size, 0x2eff0000);
	assert_int_equal(c.win[2].space, PCI_SPACE_MEM64);
	assert_false(c.win[2].pref);
	assert_int_equal(c.win[2].cpu, 0x8000000000ull);
	assert_int_equal(c.win[3].space, PCI_SPACE_MEM64);
	assert_true(c.win[3].pref);
	assert_int_equal(c.win[3].bus, 0xc000000000ull);

	assert_int_equal(pci_host_parse(fdt, node(HOST_B), &c), 0);
	assert_int_equal(c.bus_end, 0xf);
	assert_int_equal(c.domain, 1);
	assert_int_equal(c.nwin, 3);

	/* /chosen/linux,pci-probe-only: <1> keeps firmware's setup, <0> not. */
	assert_int_equal(fdt_open_into(fdt, buf, sizeof(buf)), 0);
	n = fdt_path_offset(buf, "/chosen");
	assert_int_equal(fdt_setprop_u32(buf, n, "linux,pci-probe-only", 1), 0);
	assert_int_equal(pci_host_parse(buf, fdt_path_offset(buf, HOST_A), &c), 0);
	assert_true(c.probe_only);
	assert_int_equal(fdt_setprop_u32(buf, n, "linux,pci-probe-only", 0), 0);
	assert_int_equal(pci_host_parse(buf, fdt_path_offset(buf, HOST_A), &c), 0);
	assert_false(c.probe_only);

	/* A config-space window and a bad bus-range are refused, with a line. */
	const fdt32_t cfg_win[7] = { 0, 0, 0, 0, cpu_to_fdt32(0x3f000000), 0, cpu_to_fdt32(0x1000) };
	host_log_clear();
	n = fdt_path_offset(buf, HOST_B);
	assert_int_equal(fdt_setprop(buf, n, "ranges", cfg_win, sizeof(cfg_win)), 0);
	assert_int_equal(pci_host_parse(buf, n, &c), -PLINTH_EINVAL);
	assert_has(host_log(), "ranges entry 0 (phys.hi 0x00000000) unusable: PLINTH_EINVAL, skipped");
	assert_has(host_log(), "no usable window in ranges");
	assert_int_equal(fdt_open_into(fdt, buf, sizeof(buf)), 0);
	n = fdt_path_offset(buf, HOST_B);
	fdt32_t br[2] = { cpu_to_fdt32(4), cpu_to_fdt32(2) };
	assert_int_equal(fdt_setprop(buf, n, "bus-range", br, sizeof(br)), 0);
	assert_int_equal(pci_host_parse(buf, n, &c), -PLINTH_EINVAL);
	assert_has(host_log(), "bus-range <0x4 0x2> invalid");
}

/* ------------------------------------------------------------- scanning --- */

static void test_scan_numbers_buses(void **state)
{
	struct model m;
	struct pci_host h;
	(void)state;

	build_a(&m);
	host_on(&h, &m, HOST_A);
	assert_int_equal(pci_scan(&h), 10);
	/* Depth first: 00:01.0 -> 1; 00:04.0 -> 2-3, 02:00.0 -> 3. */
	assert_int_equal(model_rd(a_rp, 0x18) & 0xffffff, 0x010100);
	assert_int_equal(model_rd(a_br, 0x18) & 0xffffff, 0x030200);
	assert_int_equal(model_rd(a_br2, 0x18) & 0xffffff, 0x030302);
	assert_int_equal(h.last_bus, 3);
	assert_int_equal(func(&h, 0, 1, 0)->secondary, 1);
	assert_int_equal(func(&h, 0, 4, 0)->subordinate, 3);
	assert_ptr_equal(func(&h, 3, 3, 0)->up, func(&h, 2, 0, 0));
	assert_ptr_equal(func(&h, 2, 0, 0)->up, func(&h, 0, 4, 0));
	assert_null(func(&h, 0, 2, 0)->up);

	struct pci_func *u = func(&h, 0, 2, 0), *v = func(&h, 0, 3, 1), *n = func(&h, 1, 0, 0);

	assert_int_equal(u->vendor, 0x1b36);
	assert_int_equal(u->device, 0x0002);
	assert_int_equal(u->class, 0x070002);
	assert_int_equal(u->pin, 1);
	assert_int_equal(v->pin, 2);			/* function 1 found: header bit 7 */
	assert_int_equal(n->caps, PCI_HAS_MSIX);
	assert_int_equal(u->caps, 0);
	assert_string_equal(n->name, "0000:01:00.0");
	assert_int_equal(m.violations, 0);
	model_free(&m);
}

static void test_bar_sizing(void **state)
{
	struct model m;
	struct pci_host h;
	struct pci_func *f;
	(void)state;

	build_a(&m);
	host_on(&h, &m, HOST_A);
	pci_scan(&h);
	f = func(&h, 0, 2, 0);
	assert_int_equal(f->res[0].size, 8);
	assert_int_equal(f->res[0].flags, PCI_RES_IO);
	f = func(&h, 1, 0, 0);
	assert_int_equal(f->res[0].size, 0);
	assert_int_equal(f->res[1].size, 0x1000);
	assert_int_equal(f->res[1].flags, 0);
	assert_int_equal(f->res[4].size, 0x4000);
	assert_int_equal(f->res[4].flags, PCI_RES_64 | PCI_RES_PREF);
	assert_int_equal(f->res[5].size, 0);		/* BAR4's upper half */
	f = func(&h, 0, 3, 0);
	assert_int_equal(f->res[0].size, 0x100000);
	assert_int_equal(f->res[0].flags, PCI_RES_64);
	assert_int_equal(f->res[2].size, 0x20);
	assert_int_equal(f->res[2].flags, PCI_RES_IO | PCI_RES_IO16);
	assert_int_equal(f->res[5].size, 0x2000);
	assert_int_equal(f->res[5].flags, PCI_RES_PREF);
	f = func(&h, 0, 3, 1);
	assert_int_equal(f->res[0].size, 0x200000000ull);	/* 8 GiB: the upper half counts */
	assert_int_equal(f->res[0].flags, PCI_RES_64 | PCI_RES_PREF);
	/* Which windows each bridge has. */
	f = func(&h, 0, 1, 0);
	assert_int_equal(f->nbar, 2);
	assert_int_equal(f->res[0].size, 0x1000);
	assert_int_equal(f->res[PCI_RES_WIN_IO].flags, PCI_RES_IO | PCI_RES_IMPL | PCI_RES_IO16);
	assert_int_equal(f->res[PCI_RES_WIN_PREF].flags, PCI_RES_PREF | PCI_RES_IMPL | PCI_RES_64);
	f = func(&h, 0, 4, 0);
	assert_int_equal(f->res[PCI_RES_WIN_IO].flags, PCI_RES_IO | PCI_RES_IMPL);
	assert_int_equal(f->res[PCI_RES_WIN_PREF].flags, PCI_RES_PREF | PCI_RES_IMPL);
	f = func(&h, 2, 0, 0);
	assert_int_equal(f->res[PCI_RES_WIN_PREF].flags, 0);
	/* Sizing put every BAR back as it was (0 after reset). */
	assert_int_equal(model_bar_value(a_vga, 0), 0);
	assert_int_equal(model_bar_value(a_uart, 0), 0);
	model_free(&m);
}

/* ----------------------------------------------------------- assignment --- */

/* The window of host h that holds [bus, bus + size) of this kind, or NULL. */
static const struct pci_window *host_window(const struct pci_host *h, const struct pci_res *x)
{
	for (unsigned i = 0; i < h->cfg.nwin; i++) {
		const struct pci_window *w = &h->cfg.win[i];

		if ((w->space == PCI_SPACE_IO) == !!(x->flags & PCI_RES_IO) && x->bus >= w->bus &&
		    x->bus + x->size <= w->bus + w->size)
			return w;
	}
	return NULL;
}

static bool overlap(const struct pci_res *a, const struct pci_res *b)
{
	return !!(a->flags & PCI_RES_IO) == !!(b->flags & PCI_RES_IO) && a->bus < b->bus + b->size &&
	       b->bus < a->bus + a->size;
}

/* Every assigned resource: aligned, in a window of its kind at the CPU
 * address that window gives, 32-bit ones below 4 GiB, non-prefetchable ones
 * outside prefetchable windows, inside the windows of the bridge above it,
 * overlapping nothing on its bus, and programmed into the model. */
static void check_assignment(struct pci_host *h, struct model *m)
{
	for (struct pci_func *f = h->funcs; f; f = f->next) {
		for (unsigned r = 0; r < PCI_NRES; r++) {
			struct pci_res *x = &f->res[r];
			const struct pci_window *w;
			char what[64];

			if (!x->assigned || !x->size)
				continue;
			snprintf(what, sizeof(what), "%02x:%02x.%u res %u at 0x%llx", f->bus,
				 PCI_SLOT(f->devfn), (unsigned)PCI_FUNC(f->devfn), r, (unsigned long long)x->bus);
			if (x->bus % (r < PCI_MAX_BARS ? x->size : x->align))
				fail_msg("%s: misaligned", what);
			if (!(w = host_window(h, x)))
				fail_msg("%s: in no host window", what);
			if (x->cpu != w->cpu + (x->bus - w->bus))
				fail_msg("%s: cpu 0x%llx", what, (unsigned long long)x->cpu);
			if (w->pref && !(x->flags & PCI_RES_PREF))
				fail_msg("%s: non-prefetchable in a prefetchable window", what);
			if (!(x->flags & PCI_RES_64) && !(x->flags & PCI_RES_IO) && x->bus + x->size > FOUR_GIB)
				fail_msg("%s: 32-bit above 4 GiB", what);
			if ((x->flags & PCI_RES_IO16) && x->bus + x->size > 0x10000)
				fail_msg("%s: 16-bit I/O above 64K", what);
			if ((x->flags & PCI_RES_IO) && x->bus < PCI_MIN_IO)
				fail_msg("%s: I/O below 0x%x", what, PCI_MIN_IO);
			if (f->up) {
				bool in = false;

				for (unsigned k = PCI_RES_WIN_IO; k < PCI_NRES; k++) {
					const struct pci_res *bw = &f->up->res[k];

					in |= bw->assigned && bw->size && !!(bw->flags & PCI_RES_IO) ==
					      !!(x->flags & PCI_RES_IO) && x->bus >= bw->bus &&
					      x->bus + x->size <= bw->bus + bw->size &&
					      (!(bw->flags & PCI_RES_PREF) || (x->flags & PCI_RES_PREF));
				}
				if (!in)
					fail_msg("%s: outside the bridge's windows", what);
			}
			for (struct pci_func *g = h->funcs; g; g = g->next)
				for (unsigned s = 0; g->up == f->up && s < PCI_NRES; s++)
					if ((g != f || s != r) && g->res[s].assigned && g->res[s].size &&
					    overlap(x, &g->res[s]))
						fail_msg("%s overlaps %02x:%02x.%u res %u", what, g->bus,
							 PCI_SLOT(g->devfn), PCI_FUNC(g->devfn), s);
			if (r < PCI_MAX_BARS) {
				struct model_fn *mf = model_route(m, f->bus, f->devfn);

				assert_non_null(mf);
				if (model_bar_value(mf, r) != x->bus)
					fail_msg("%s: BAR holds 0x%llx", what,
						 (unsigned long long)model_bar_value(mf, r));
			}
		}
	}
}

/* Decode a bridge's window registers from the model. */
static void window_regs(const struct model_fn *b, uint64_t *mem_base, uint64_t *mem_lim,
			uint64_t *pref_base, uint64_t *pref_lim, uint64_t *io_base, uint64_t *io_lim)
{
	uint32_t mb = model_rd(b, 0x20), pb = model_rd(b, 0x24), io = model_rd(b, 0x1c);

	*mem_base = (uint64_t)(mb & 0xfff0) << 16;
	*mem_lim = (mb & 0xfff00000u) | 0xfffffull;
	*pref_base = (uint64_t)(pb & 0xfff0) << 16 | (uint64_t)model_rd(b, 0x28) << 32;
	*pref_lim = ((pb & 0xfff00000u) | 0xfffffull) | (uint64_t)model_rd(b, 0x2c) << 32;
	*io_base = (uint64_t)(io & 0xf0) << 8 | (uint64_t)(model_rd(b, 0x30) & 0xffff) << 16;
	*io_lim = ((io & 0xf000) | 0xfffull) | (uint64_t)(model_rd(b, 0x30) >> 16) << 16;
}

static void test_assign_direct(void **state)
{
	struct model m;
	struct pci_host h;
	uint64_t mb, ml, pb, pl, ib, il;
	(void)state;

	build_a(&m);
	host_on(&h, &m, HOST_A);
	pci_scan(&h);
	host_log_clear();
	assert_int_equal(pci_assign(&h), 1);		/* only the 1 GiB BAR found no room */
	assert_has(host_log(), "pci: 00:05.0 BAR0: no room for 0x40000000 bytes (mem) in the host windows");
	assert_false(func(&h, 0, 5, 0)->res[0].assigned);
	check_assignment(&h, &m);
	/* Every implemented BAR but that one got an address. */
	for (struct pci_func *f = h.funcs; f; f = f->next)
		for (unsigned r = 0; r < f->nbar; r++)
			if (f->res[r].size && f != func(&h, 0, 5, 0))
				assert_true(f->res[r].assigned);

	/* Window choice: 8 GiB prefetchable -> the prefetchable window; a
	 * 64-bit non-prefetchable BAR -> the 64-bit non-prefetchable window; a
	 * 32-bit prefetchable BAR -> 32-bit space. */
	assert_true(func(&h, 0, 3, 1)->res[0].bus >= 0xc000000000ull);
	assert_true(func(&h, 0, 3, 0)->res[0].bus >= 0x8000000000ull &&
		    func(&h, 0, 3, 0)->res[0].bus < 0xc000000000ull);
	assert_true(func(&h, 0, 3, 0)->res[5].bus + 0x2000 <= FOUR_GIB);
	/* The 16550's port, and its CPU address in the I/O window. */
	struct pci_res *u = &func(&h, 0, 2, 0)->res[0];
	assert_true(u->bus >= PCI_MIN_IO && u->bus < 0x10000);
	assert_int_equal(u->cpu, 0x3eff0000 + u->bus);

	/* The root port: memory window for BAR1, prefetchable (64-bit) for
	 * BAR4 of the NIC, I/O closed (nothing needs it). */
	struct pci_func *rp = func(&h, 0, 1, 0);
	window_regs(a_rp, &mb, &ml, &pb, &pl, &ib, &il);
	assert_int_equal(mb, rp->res[PCI_RES_WIN_MEM].bus);
	assert_int_equal(ml, rp->res[PCI_RES_WIN_MEM].bus + 0xfffff);
	assert_int_equal(pb, rp->res[PCI_RES_WIN_PREF].bus);
	assert_int_equal(pl, pb + 0xfffff);
	assert_true(pb >= FOUR_GIB);
	assert_true(ib > il);
	assert_int_equal(func(&h, 1, 0, 0)->res[4].bus, pb);
	/* Two bridges down: the NVMe's I/O and memory come through both; its
	 * 32-bit prefetchable BAR goes through the memory windows (02:00.0 has
	 * no prefetchable window), so 00:04.0's prefetchable window is closed. */
	struct pci_func *nv = func(&h, 3, 3, 0), *b2 = func(&h, 2, 0, 0);
	window_regs(a_br2, &mb, &ml, &pb, &pl, &ib, &il);
	assert_true(nv->res[2].bus >= ib && nv->res[2].bus + 0x100 - 1 <= il);
	assert_true(nv->res[0].bus >= mb && nv->res[0].bus + 0x4000 - 1 <= ml);
	assert_true(nv->res[4].bus >= mb && nv->res[4].bus + 0x10000 - 1 <= ml);
	assert_int_equal(ib, b2->res[PCI_RES_WIN_IO].bus);
	window_regs(a_br, &mb, &ml, &pb, &pl, &ib, &il);
	assert_true(pb > pl);
	assert_true(ib <= b2->res[PCI_RES_WIN_IO].bus && il >= b2->res[PCI_RES_WIN_IO].bus + 0xfff);
	/* Decoding stays off: no driver has asked for anything yet. */
	for (struct pci_func *f = h.funcs; f; f = f->next)
		assert_int_equal(model_rd(model_route(&m, f->bus, f->devfn), PCI_COMMAND) & 7, 0);
	model_free(&m);
}

/* QEMU virt's machine, exactly: what tests/qemu/test_pci.py expects `pci`
 * to show. */
static void test_assign_qemu_shape(void **state)
{
	struct model m;
	struct pci_host h;
	struct pci_func *rp, *net, *uart;
	(void)state;

	build_qemu(&m);
	host_on(&h, &m, HOST_B);
	assert_int_equal(pci_scan(&h), 4);
	assert_int_equal(pci_assign(&h), 0);
	check_assignment(&h, &m);
	rp = func(&h, 0, 1, 0);
	net = func(&h, 1, 0, 0);
	uart = func(&h, 0, 2, 0);
	assert_int_equal(rp->res[PCI_RES_WIN_MEM].bus, 0x10000000);
	assert_int_equal(rp->res[PCI_RES_WIN_MEM].size, 0x100000);
	assert_int_equal(rp->res[PCI_RES_WIN_PREF].bus, 0x8000000000ull);
	assert_int_equal(rp->res[PCI_RES_WIN_PREF].size, 0x100000);
	assert_false(rp->res[PCI_RES_WIN_IO].assigned);
	assert_int_equal(rp->res[0].bus, 0x10100000);
	assert_int_equal(net->res[1].cpu, 0x10000000);
	assert_int_equal(net->res[4].cpu, 0x8000000000ull);
	assert_int_equal(uart->res[0].bus, 0x1000);
	assert_int_equal(uart->res[0].cpu, 0x3eff1000);
	assert_string_equal(uart->name, "0001:00:02.0");	/* linux,pci-domain = <1> */
	model_free(&m);
}

/* Firmware (here: a first, direct assignment) numbered the buses its own
 * way and assigned everything but the 16550's BAR, and left decoding on for
 * the NIC. With probe-only all of it is kept; only the 16550 gets an
 * address, after what firmware used; the NIC's BARs are sized with its
 * decoding off and its command register is put back. */
static void test_probe_only(void **state)
{
	struct model m;
	struct pci_host fw, h;
	uint64_t net1, net4, rp0;
	(void)state;

	build_qemu(&m);
	host_on(&fw, &m, HOST_B);
	pci_scan(&fw);
	assert_int_equal(pci_assign(&fw), 0);
	/* Firmware's numbering: bus 5 behind the root port. */
	q_rp->cfg[6] = (q_rp->cfg[6] & 0xff000000u) | 0x050500;
	q_uart->cfg[4] = 1;				/* BAR0 left unassigned */
	q_net->cfg[1] |= PCI_CMD_MEM | PCI_CMD_MASTER;
	net1 = model_bar_value(q_net, 1);
	net4 = model_bar_value(q_net, 4);
	rp0 = model_bar_value(q_rp, 0);
	m.violations = 0;

	host_on(&h, &m, HOST_B);
	h.cfg.probe_only = true;
	assert_int_equal(pci_scan(&h), 4);
	assert_int_equal(func(&h, 0, 1, 0)->secondary, 5);
	assert_int_equal(func(&h, 5, 0, 0)->vendor, 0x1af4);
	assert_true(func(&h, 5, 0, 0)->res[1].firmware);
	assert_true(func(&h, 0, 1, 0)->res[PCI_RES_WIN_MEM].firmware);
	assert_false(func(&h, 0, 2, 0)->res[0].assigned);
	assert_int_equal(m.violations, 0);
	assert_int_equal(model_rd(q_net, PCI_COMMAND) & 0xffff, PCI_CMD_MEM | PCI_CMD_MASTER);
	host_log_clear();
	assert_int_equal(pci_assign(&h), 0);
	check_assignment(&h, &m);
	assert_int_equal(model_bar_value(q_net, 1), net1);
	assert_int_equal(model_bar_value(q_net, 4), net4);
	assert_int_equal(model_bar_value(q_rp, 0), rp0);
	assert_int_equal(model_rd(q_rp, 0x18) & 0xffffff, 0x050500);
	assert_true(func(&h, 0, 2, 0)->res[0].assigned);
	assert_false(func(&h, 0, 2, 0)->res[0].firmware);
	assert_int_equal(model_bar_value(q_uart, 0), func(&h, 0, 2, 0)->res[0].bus);
	assert_has(host_log(), "BAR1 mem 0x10000000-0x10000fff -> cpu 0x10000000 (firmware's)");
	model_free(&m);
}

/* U-Boot's `pci enum` layout on QEMU: no prefetchable window on the root
 * port, the NIC's 64-bit prefetchable BAR inside its memory window (legal:
 * prefetchable memory may sit in non-prefetchable space). All of it kept,
 * and no prefetchable window opened for nothing. */
static void test_probe_only_pref_in_mem_window(void **state)
{
	struct model m;
	struct pci_host h;
	(void)state;

	build_qemu(&m);
	q_rp->cfg[6] = 0x010100;			/* buses */
	q_rp->cfg[4] = 0x10000000;			/* BAR0 */
	q_rp->cfg[8] = 0x10101010;			/* memory window 0x10100000-0x101fffff */
	q_rp->cfg[9] = 0x0001fff1;			/* prefetchable window closed */
	q_rp->cfg[1] = PCI_CMD_MEM | PCI_CMD_MASTER;
	q_net->cfg[5] = 0x10100000;			/* BAR1 */
	q_net->cfg[8] = 0x1010400c;			/* BAR4, 64-bit prefetchable */
	q_net->cfg[9] = 0;
	q_uart->cfg[4] = 0x1001;			/* BAR0: port 0x1000 */
	q_uart->cfg[1] = PCI_CMD_IO | PCI_CMD_MASTER;
	host_on(&h, &m, HOST_B);
	h.cfg.probe_only = true;
	pci_scan(&h);
	host_log_clear();
	assert_int_equal(pci_assign(&h), 0);
	check_assignment(&h, &m);
	assert_null(strstr(host_log(), "reassigned"));
	assert_true(func(&h, 1, 0, 0)->res[4].firmware);
	assert_int_equal(func(&h, 1, 0, 0)->res[4].bus, 0x10104000);
	assert_false(func(&h, 0, 1, 0)->res[PCI_RES_WIN_PREF].assigned);
	assert_int_equal(q_rp->cfg[9], 0x0001fff1);	/* not rewritten */
	assert_true(func(&h, 0, 2, 0)->res[0].firmware);
	assert_int_equal(m.violations, 0);
	model_free(&m);
}

/* --------------------------------------------------------------- INTx --- */

static void expect_spi(const struct dt_irq *q, uint32_t spi)
{
	assert_int_equal(q->ctrl, node("/interrupt-controller@8000000"));
	assert_int_equal(q->ncells, 3);
	assert_int_equal(q->cells[0], 0);
	assert_int_equal(q->cells[1], spi);
	assert_int_equal(q->cells[2], 4);
}

static void test_intx_swizzle(void **state)
{
	struct model m;
	struct pci_host h;
	struct dt_irq q;
	(void)state;

	build_a(&m);
	host_on(&h, &m, HOST_A);
	pci_scan(&h);
	/* 00:02.0 INTA: the map's entry for device 2, pin 1 -> SPI 5. */
	assert_int_equal(pci_intx(&h, func(&h, 0, 2, 0), &q), 0);
	expect_spi(&q, 5);
	/* 00:03.1 INTB: device 3, pin 2 -> SPI 3. */
	assert_int_equal(pci_intx(&h, func(&h, 0, 3, 1), &q), 0);
	expect_spi(&q, 3);
	/* 01:00.0 INTA behind the root port (device 1): device 0 swizzles A to
	 * A; the root port asks as device 1 pin 1 -> SPI 4. */
	assert_int_equal(pci_intx(&h, func(&h, 1, 0, 0), &q), 0);
	expect_spi(&q, 4);
	/* 03:03.0 INTB: device 3 turns B into A; 02:00.0 (device 0) keeps A;
	 * 00:04.0 asks as device 4 (masked like device 0), pin 1 -> SPI 3. */
	assert_int_equal(pci_intx(&h, func(&h, 3, 3, 0), &q), 0);
	expect_spi(&q, 3);
	/* No pin, no INTx. */
	assert_int_equal(pci_intx(&h, func(&h, 0, 4, 0), &q), -PLINTH_ENOENT);
	model_free(&m);
}

/* A bridge whose node has an interrupt-map is a nexus: no swizzle past it. */
static void test_intx_bridge_nexus(void **state)
{
	static char buf[16384];
	struct model m;
	struct pci_host h;
	struct dt_irq q;
	int br, intc;
	(void)state;

	assert_int_equal(fdt_open_into(fdt, buf, sizeof(buf)), 0);
	br = fdt_path_offset(buf, HOST_A "/pci@4,0");
	intc = fdt_path_offset(buf, "/interrupt-controller@8000000");
	fdt32_t map[10] = { 0, 0, 0, cpu_to_fdt32(1), cpu_to_fdt32(fdt_get_phandle(buf, intc)),
			    0, 0, 0, cpu_to_fdt32(42), cpu_to_fdt32(1) };
	fdt32_t mask[4] = { 0, 0, 0, cpu_to_fdt32(7) };
	assert_int_equal(fdt_setprop(buf, br, "interrupt-map", map, sizeof(map)), 0);
	assert_int_equal(fdt_setprop(buf, br, "interrupt-map-mask", mask, sizeof(mask)), 0);
	assert_int_equal(fdt_setprop_u32(buf, br, "#interrupt-cells", 1), 0);
	build_a(&m);
	host_on(&h, &m, HOST_A);
	h.fdt = buf;
	h.node = fdt_path_offset(buf, HOST_A);
	pci_scan(&h);
	func(&h, 0, 4, 0)->node = br;
	/* 03:03.0 INTB -> A at 02:00.0, which asks the bridge node's map. */
	assert_int_equal(pci_intx(&h, func(&h, 3, 3, 0), &q), 0);
	assert_int_equal(q.ctrl, intc);
	assert_int_equal(q.cells[1], 42);
	model_free(&m);
}

/* ---------------------------------------------------------------- MSI --- */

static void test_msi(void **state)
{
	struct pci_host h = { .fdt = fdt };
	struct pci_func f = { .bus = 1, .devfn = PCI_DEVFN(0, 0) };
	int ctrl;
	uint32_t id;
	(void)state;

	h.node = node(HOST_A);		/* msi-map <0 &its 0 0x10000> */
	assert_int_equal(pci_msi(&h, &f, &ctrl, &id), 0);
	assert_int_equal(ctrl, node("/interrupt-controller@8000000/msi-controller@8080000"));
	assert_int_equal(id, 0x100);
	assert_string_equal(pci_msi_kind(fdt, ctrl), "GICv3 ITS");
	h.node = node(HOST_B);		/* msi-parent <&v2m> */
	f.devfn = PCI_DEVFN(2, 0);
	f.bus = 0;
	assert_int_equal(pci_msi(&h, &f, &ctrl, &id), 0);
	assert_int_equal(ctrl, node("/interrupt-controller@8000000/v2m@8020000"));
	assert_int_equal(id, 0x10);
	assert_string_equal(pci_msi_kind(fdt, ctrl), "GICv2m frame");
}

/* ---------------------------------------------------- the driver core --- */

/* ECAM accesses of the two hosts, routed to their models. */
static struct model ecam_a, ecam_b;

static struct model *ecam_decode(uintptr_t addr, uint8_t *bus, uint8_t *devfn, uint16_t *reg)
{
	struct model *m;
	uint64_t off;

	if (addr >= 0x4010000000ull && addr < 0x4020000000ull) {
		m = &ecam_a;
		off = addr - 0x4010000000ull;
	} else if (addr >= 0x3f000000 && addr < 0x40000000) {
		m = &ecam_b;
		off = addr - 0x3f000000;
	} else {
		fail_msg("MMIO outside both ECAM windows: 0x%lx", (unsigned long)addr);
		return NULL;
	}
	*bus = (uint8_t)(off >> 20);
	*devfn = (uint8_t)(off >> 12);
	*reg = (uint16_t)(off & 0xfff);
	return m;
}

uint32_t mmio_read32(uintptr_t addr)
{
	uint8_t bus, devfn;
	uint16_t reg;
	struct model *m = ecam_decode(addr, &bus, &devfn, &reg);

	return model_ops.read(m, bus, devfn, reg);
}

void mmio_write32(uintptr_t addr, uint32_t v)
{
	uint8_t bus, devfn;
	uint16_t reg;
	struct model *m = ecam_decode(addr, &bus, &devfn, &reg);

	model_ops.write(m, bus, devfn, reg, v);
}

uint8_t mmio_read8(uintptr_t addr)
{
	fail_msg("8-bit MMIO read at 0x%lx", (unsigned long)addr);
	return 0;
}

void mmio_write8(uintptr_t addr, uint8_t v)
{
	(void)v;
	fail_msg("8-bit MMIO write at 0x%lx", (unsigned long)addr);
}

/* Test drivers: a 16550 by class, a NIC by ID (and a class driver for
 * networks that must lose to it). They record what they were given. */
static struct device *uart_bound[4];
static unsigned nuart;

static int uart_probe(struct device *dev)
{
	assert_true(nuart < 4);
	uart_bound[nuart++] = dev;
	return 0;
}

static const struct pci_match uart_pci[] = {
	{ PCI_ANY_ID, PCI_ANY_ID, 0x070002, 0xffffff, NULL },
	{ 0, 0, 0, 0, NULL },
};

PLINTH_DRIVER(test_uart_driver) = {
	.name = "test-uart",
	.probe = uart_probe,
	.pci_match = uart_pci,
};

static const struct pci_match net_id[] = {
	{ 0x1af4, 0x1041, 0, 0, NULL },
	{ 0, 0, 0, 0, NULL },
};
static const struct pci_match net_class[] = {
	{ PCI_ANY_ID, PCI_ANY_ID, 0x020000, 0xff0000, NULL },
	{ 0, 0, 0, 0, NULL },
};

PLINTH_DRIVER(test_net_class_driver) = {
	.name = "test-net-class",
	.pci_match = net_class,
};

PLINTH_DRIVER(test_net_id_driver) = {
	.name = "test-net-id",
	.pci_match = net_id,
};

static struct device *dev_of(struct devtree *dt, const char *name)
{
	for (struct device *d = dt->first; d; d = d->next)
		if (d->node < 0 ? !strcmp(d->name, name)
				: d->node == fdt_path_offset(fdt, name))
			return d;
	fail_msg("no device %s", name);
	return NULL;
}

static uint16_t command(struct model *m, uint8_t bus, unsigned dev, unsigned fn)
{
	return (uint16_t)model_rd(model_route(m, bus, PCI_DEVFN(dev, fn)), PCI_COMMAND);
}

static void test_driver_core(void **state)
{
	struct devtree dt;
	struct device *con, *d;
	(void)state;

	build_a(&ecam_a);
	build_qemu(&ecam_b);
	nuart = 0;
	host_log_clear();
	assert_int_equal(devtree_init(&dt, fdt), 0);
	con = dev_of(&dt, HOST_A "/serial@2,0");
	assert_int_equal(dt.stdout_node, con->node);
	/* The console node waits for its bus, without a driver. */
	assert_int_equal(con->state, DEV_DEFERRED);
	assert_null(con->drv);
	assert_has(con->reason, "waiting for its PCI bus");

	assert_true(devtree_probe_all(&dt) > 0);
	assert_has(host_log(), "devices: /pcie@4010000000 bound to pci-ecam");
	/* The console: bound by class, its BAR as reg, its own interrupts. */
	assert_int_equal(con->state, DEV_BOUND);
	assert_string_equal(con->drv->name, "test-uart");
	assert_string_equal(con->compatible, "pciclass,070002");
	assert_non_null(con->pci);
	assert_int_equal(con->nreg, 1);
	assert_int_equal(con->reg[0].addr, 0x3eff0000 + con->pci->res[0].bus);
	assert_int_equal(con->reg[0].size, 8);
	assert_int_equal(con->nirq, 1);
	expect_spi(&con->irq[0].spec, 5);
	assert_int_equal(command(&ecam_a, 0, 2, 0) & 7, PCI_CMD_IO | PCI_CMD_MASTER);

	/* The NIC has no node: a device named by its address, matched by ID
	 * (the class driver loses), INTx through the root port, decoding on for
	 * it and the bridge above. */
	d = dev_of(&dt, "0000:01:00.0");
	assert_int_equal(d->state, DEV_BOUND);
	assert_string_equal(d->drv->name, "test-net-id");
	assert_string_equal(d->compatible, "pci1af4,1041");
	assert_int_equal(d->nreg, 2);
	assert_int_equal(d->reg[0].size, 0x1000);
	assert_int_equal(d->reg[1].size, 0x4000);
	assert_true(d->reg[1].addr >= FOUR_GIB);
	assert_int_equal(d->nirq, 1);
	expect_spi(&d->irq[0].spec, 4);
	assert_int_equal(command(&ecam_a, 1, 0, 0) & 7, PCI_CMD_MEM | PCI_CMD_MASTER);
	assert_int_equal(command(&ecam_a, 0, 1, 0) & 7, PCI_CMD_MEM | PCI_CMD_MASTER);
	/* Nothing binds the SATA controller: decoding stays off. */
	d = dev_of(&dt, "0000:00:03.0");
	assert_int_equal(d->state, DEV_NO_DRIVER);
	assert_int_equal(command(&ecam_a, 0, 3, 0) & 7, 0);
	/* The 1 GiB BAR did not fit: no reg at all for that function. */
	d = dev_of(&dt, "0000:00:05.0");
	assert_int_equal(d->nreg, 0);
	assert_int_equal(d->reg_err, -PLINTH_ENOTMAPPED);

	/* Nodes two bridges down are attached; the one naming nothing fails. */
	d = dev_of(&dt, HOST_A "/pci@4,0/pci@0,0/storage@3,0");
	assert_non_null(d->pci);
	assert_int_equal(d->pci->bus, 3);
	assert_int_equal(d->state, DEV_NO_DRIVER);
	assert_non_null(dev_of(&dt, HOST_A "/pci@4,0")->pci);
	d = dev_of(&dt, HOST_A "/serial@1f,7");
	assert_int_equal(d->state, DEV_FAILED);
	assert_has(d->reason, "no PCI function 1f.7");

	/* Host B (domain 1): its unnamed 16550 binds too, with its INTx. */
	d = dev_of(&dt, "0001:00:02.0");
	assert_int_equal(d->state, DEV_BOUND);
	assert_int_equal(d->reg[0].addr, 0x3eff1000);
	expect_spi(&d->irq[0].spec, 5);
	assert_int_equal(nuart, 2);
	assert_ptr_equal(uart_bound[0], con);
	assert_int_equal(ecam_a.violations + ecam_b.violations, 0);
	/* Both hosts are listed for `pci`. */
	assert_non_null(pci_hosts());
	assert_non_null(pci_hosts()->next);
	model_free(&ecam_a);
	model_free(&ecam_b);
}

int main(void)
{
	fdt = host_read_file(host_tree_path("pci"), NULL);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_devfn_encoding),
		cmocka_unit_test(test_host_parse),
		cmocka_unit_test(test_scan_numbers_buses),
		cmocka_unit_test(test_bar_sizing),
		cmocka_unit_test(test_assign_direct),
		cmocka_unit_test(test_assign_qemu_shape),
		cmocka_unit_test(test_probe_only),
		cmocka_unit_test(test_probe_only_pref_in_mem_window),
		cmocka_unit_test(test_intx_swizzle),
		cmocka_unit_test(test_intx_bridge_nexus),
		cmocka_unit_test(test_msi),
		cmocka_unit_test(test_driver_core),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
