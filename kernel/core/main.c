/* The boot recipe. head.S calls kmain(x0) at EL1 with the image relocated,
 * BSS clear, a stack and the vectors set, MMU off. Each step below depends on
 * the ones before it; the comments say why the order is what it is. */
#include <stdint.h>
#include <libfdt.h>
#include "plinth/arch.h"
#include "plinth/console.h"
#include "plinth/driver.h"
#include "plinth/err.h"
#include "plinth/irq.h"
#include "plinth/mm.h"
#include "plinth/printk.h"
#include "plinth/psci.h"
#include "plinth/shell.h"
#include "plinth/smp.h"

/* A tree larger than this is refused before it is mapped (ours are a few
 * KiB; firmware trees with overlays stay far below). */
#define FDT_MAX_SIZE (2u << 20)

extern char __image_start[], __image_end[];	/* kernel.lds, BSS included */

void kmain(uint64_t dtb);

static struct devtree kdt;

struct devtree *devtree_kernel(void)
{
	return &kdt;
}

/* End the boot visibly. kprintf reaches a console if one is up; if none is,
 * the only visible signal left is the machine turning off: PSCI SYSTEM_OFF
 * through the /psci node's conduit when it was bound, else the one the entry
 * EL implies (from EL2 we own EL2, so firmware is at EL3: SMC; from EL1 a
 * hypervisor is below us: HVC). */
__attribute__((noreturn)) static void boot_fail(const char *what, int err)
{
	enum psci_conduit c = psci_conduit();

	kprintf("boot: %s: %s\n", what, plinth_strerror(err));
	if (c == PSCI_NONE)
		c = boot_el == 2 ? PSCI_SMC : PSCI_HVC;
	kprintf("boot: stopping: PSCI SYSTEM_OFF via %s\n", c == PSCI_SMC ? "smc" : "hvc");
	psci_call(c, PSCI_SYSTEM_OFF, 0, 0, 0);
	kprintf("boot: SYSTEM_OFF returned; halting\n");
	arch_halt();
}

static uint32_t be32_at(uint64_t addr)
{
	return __builtin_bswap32(*(volatile const uint32_t *)(uintptr_t)addr);
}

/* With the MMU off, read only the header's magic and totalsize, with aligned
 * 32-bit loads (Device memory: unaligned accesses fault). booting.rst: the
 * tree is 8-byte aligned and must not overlap the kernel. Returns the size. */
static int fdt_peek(uint64_t dtb, uint32_t *size)
{
	uint64_t img_s = (uint64_t)(uintptr_t)__image_start;
	uint64_t img_e = (uint64_t)(uintptr_t)__image_end;

	if (dtb == 0) {
		kprintf("boot: no device tree (x0 = 0)\n");
		return -PLINTH_ENOENT;
	}
	if (dtb & 7) {
		kprintf("boot: device tree at 0x%llx is not 8-byte aligned\n", (unsigned long long)dtb);
		return -PLINTH_EINVAL;
	}
	if (dtb < img_e && dtb + 8 > img_s) {
		kprintf("boot: device tree at 0x%llx overlaps the kernel 0x%llx-0x%llx\n",
			(unsigned long long)dtb, (unsigned long long)img_s, (unsigned long long)img_e);
		return -PLINTH_EINVAL;
	}
	if (be32_at(dtb) != FDT_MAGIC) {
		kprintf("boot: no device tree at 0x%llx (magic 0x%08x)\n", (unsigned long long)dtb,
			be32_at(dtb));
		return -FDT_ERR_BADMAGIC;
	}
	*size = be32_at(dtb + 4);
	if (*size < sizeof(struct fdt_header) || *size > FDT_MAX_SIZE) {
		kprintf("boot: device tree at 0x%llx: totalsize %u out of bounds (max %u)\n",
			(unsigned long long)dtb, *size, FDT_MAX_SIZE);
		return -PLINTH_ERANGE;
	}
	if (dtb + *size > img_s && dtb < img_e) {
		kprintf("boot: device tree 0x%llx+0x%x overlaps the kernel\n",
			(unsigned long long)dtb, *size);
		return -PLINTH_EINVAL;
	}
	return 0;
}

static const char *fdt_model(const void *fdt)
{
	int len;
	const char *m = fdt_getprop(fdt, 0, "model", &len);

	if (!m || len < 1 || m[len - 1] != '\0')
		return "(no model)";
	return m;
}

void kmain(uint64_t dtb)
{
	uint64_t img_s = (uint64_t)(uintptr_t)__image_start;
	uint64_t img_e = (uint64_t)(uintptr_t)__image_end;
	const void *fdt = (const void *)(uintptr_t)dtb;
	uint32_t fdt_size = 0;
	int r;

	/* 0. This CPU's record in TPIDR_EL1 before anything asks which CPU it
	 *    runs on: the GIC's probe sets up "this" CPU's interface. */
	smp_init_boot_cpu();

	/* 1. Only aligned reads until the MMU is on, so the header is checked
	 *    by hand; the size bounds what the early map covers. */
	r = fdt_peek(dtb, &fdt_size);
	if (r < 0)
		boot_fail("no usable device tree", r);

	/* 2. Image and tree as Normal memory, MMU and caches on: libfdt (not
	 *    built -mstrict-align) may now load unaligned. Before any fdt_*. */
	mmu_early_init(img_s, img_e, dtb, fdt_size);

	/* 3. The tree is untrusted: validate it whole before anything walks it. */
	r = dt_check_blob(fdt, fdt_size);
	if (r < 0)
		boot_fail("device tree rejected by libfdt", r);

	/* 4. Free memory is /memory minus reservations, the image (BSS and the
	 *    early page tables included) and the tree itself. */
	struct range extra[] = {
		{ img_s, img_e - img_s },
		{ dtb & ~(PAGE_SIZE - 1), ((dtb + fdt_size + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1)) -
						  (dtb & ~(PAGE_SIZE - 1)) },
	};
	r = pmm_init(fdt, extra, 2);
	if (r < 0)
		boot_fail("no memory to allocate from", r);

	/* 5. Final tables come from page_alloc, so after pmm_init; before the
	 *    driver core, whose ioremap() calls add to them. Without them the
	 *    early tables stay live and ioremap still works; go on. */
	r = mmu_init(fdt);
	if (r < 0)
		kprintf("boot: mmu_init: %s; continuing on the early tables\n", plinth_strerror(r));

	/* 6. Devices from the tree; the stdout-path UART probes first and
	 *    registers the console, which replays the log so far. */
	r = devtree_init(&kdt, fdt);
	if (r < 0)
		boot_fail("driver core could not read the tree", r);
	console_set_stdout(fdt, kdt.stdout_node);
	r = devtree_probe_all(&kdt);
	kprintf("boot: %d device(s) bound\n", r);

	/* 7. The stdout-path UART did not come up (or none was named): any
	 *    other UART that registered is better than a silent machine. With
	 *    none at all nobody would see a shell; stop so the machine visibly
	 *    turns off. */
	if (!console_device() && kdt.stdout_node >= 0) {
		kprintf("boot: stdout-path device did not come up; trying any other UART\n");
		console_set_stdout(fdt, -1);
	}
	if (!console_device())
		boot_fail("no console (the tree names no UART we can drive)", -PLINTH_ENODEV);

	/* 8. The GIC probe set up this CPU's interface and the timer armed its
	 *    tick; the UARTs' receive interrupts are routed here. Unmask. */
	if (irq_root())
		irq_local_enable();
	else
		kprintf("boot: no interrupt controller bound; running polled\n");

	/* 9. Secondaries last: each sets up its own GIC side and timer from
	 *    what the probes registered, so those must all be in place. A CPU
	 *    that does not come up is reported, not fatal. */
	smp_boot(fdt);

	kprintf("\nPlinth: entered at EL%u, device tree at 0x%llx (%u bytes), model \"%s\"\n",
		(unsigned)boot_el, (unsigned long long)dtb, fdt_size, fdt_model(fdt));
	shell_run();
	boot_fail("shell returned", -PLINTH_EINVAL);
}
