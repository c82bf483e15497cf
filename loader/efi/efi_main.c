/* BOOTAA64.EFI: boot() below is the recipe, one step per line in the order
 * they must run. The other efi_*.c files do what the steps ask of the
 * firmware (efi.h); the pure helpers (loader.h), the tree pipeline and the
 * converter do the rest without it.
 *
 * Failure policy: every step that fails says what failed with the EFI status
 * or libfdt/plinth code by name. Before ExitBootServices a failure frees what
 * was allocated and returns to the firmware (its boot manager goes on with
 * the next option); nothing is ever jumped to with a tree that could not be
 * built. */
#include <libfdt.h>
#include <string.h>
#include <plinth/printk.h>
#include "efi.h"

/* libfdt.a (built with -fstack-protector-strong) and kprintf (printf.c)
 * call out to these two without a context: they reach the one boot there is
 * through this pointer, set first thing in efi_main. */
static struct boot *the_boot = NULL;	/* initialised: no .bss.* (loader.mk) */

/* ACPI -> tree (the pipeline grows the buffer as the conversion needs). */
static EFI_STATUS convert(struct boot *b)
{
	const struct tree_alloc pages = { tree_pages, tree_pages_free, b };

	pipeline_init(&b->pipe, &pages, TREE_MAX, &b->log);
	return pipeline_convert(&b->pipe, b->acpi.t, b->acpi.n) < 0 ? EFI_LOAD_ERROR : EFI_SUCCESS;
}

/* Tree steps, in the shape tree_step() runs. */
static int step_chosen(void *fdt, void *arg, const struct plinth_log *log)
{
	struct boot *b = arg;
	struct chosen_args a = {
		.bootargs = b->cfg.have_bootargs ? b->cfg.bootargs : NULL,
		.initrd_start = b->initrd_base,
		.initrd_size = b->initrd_size,
	};
	return tree_set_chosen(fdt, &a, log);
}

static int step_gop(void *fdt, void *arg, const struct plinth_log *log)
{
	struct boot *b = arg;

	return b->fb.format ? tree_add_framebuffer(fdt, &b->fb, log) : 0;
}

static int step_pci_probe_only(void *fdt, void *arg, const struct plinth_log *log)
{
	(void)arg;
	return tree_set_pci_probe_only(fdt, log);
}

/* The user's overlays as read from the ESP, in name order. */
static int user_overlays(struct boot *b)
{
	struct pipeline_overlay o[OVL_MAX];

	for (unsigned i = 0; i < b->novl; i++)
		o[i] = (struct pipeline_overlay){ b->ovl[i].name, b->ovl[i].data, b->ovl[i].size };
	return pipeline_user_overlays(&b->pipe, o, b->novl);
}

/* A pipeline stage (it has logged a failure), or one of the loader's own
 * tree steps run as a stage, by the name its failure line gives. */
#define PIPE(call) do { if ((call) < 0) return EFI_LOAD_ERROR; } while (0)
#define STEP(b, fn, name) PIPE(pipeline_step(&(b)->pipe, (name), (fn), (b)))

/* The final tree (final_tree.c) in a buffer of its own, which it reserves. */
static int write_final(const void *src, void *out, size_t size, void *arg,
		       const struct plinth_log *log)
{
	struct boot *b = arg;
	const struct tree_final f = {
		.map = b->descs, .nmap = b->ndesc,
		.log_base = b->log_base, .log_size = b->log_base ? LOG_BYTES : 0,
		.image_base = b->img_base, .image_size = b->img_bytes,
		.self_size = size,
		.rsdp = b->acpi.rsdp, .board = b->cfg.board,
	};

	return tree_write_final(src, out, size, &f, &b->final, log);
}

static EFI_STATUS finish_tree(struct boot *b)
{
	struct tree_buf *t = &b->pipe.tree;

	PIPE(pipeline_rewrite(&b->pipe, "memory", write_final, b,
			      page_round(tree_final_size(t->fdt, b->ndesc))));
	say(b, "fdt: done: %d nodes, %u bytes at 0x%llx, tables used %u, skipped %u, not converted %u%s",
	    b->final.nodes, fdt_totalsize(t->fdt), (unsigned long long)(uintptr_t)t->fdt,
	    b->pipe.res.tables_used, b->pipe.res.tables_skipped + b->acpi.skipped,
	    b->pipe.res.tables_ignored, b->pipe.res.have_console ? "" : ", no console");
	return EFI_SUCCESS;
}

static void release(struct boot *b)
{
	free_overlays(b);
	pipeline_free(&b->pipe);
	pages_free(b, b->initrd_base, b->initrd_bytes);
	pages_free(b, b->img_base, b->img_bytes);
	if (b->map)
		b->bs->FreePool(b->map);
	if (b->descs)
		b->bs->FreePool(b->descs);
	if (b->root)
		b->root->Close(b->root);
	/* The log region last: everything above may still have said something. */
	b->log.buf = NULL;
	pages_free(b, b->log_base, LOG_BYTES);
}

#define RUN(call) do { EFI_STATUS _s = (call); if (EFI_ERROR(_s)) return _s; } while (0)

/* The recipe. Returns only on failure (the handoff does not return). */
static EFI_STATUS boot(struct boot *b)
{
	uint64_t t_ebs = 0, t_files, t_tables, t_convert, t_tree;

	/* 1. The log before anything else: every later step reports through it. */
	log_open(b);
	/* 2. The ESP and plinth.cfg: the cfg names the kernel and initrd. */
	RUN(open_esp(b));
	RUN(read_cfg(b));
	/* 3. A first memory map: the Image placement and the ACPI table
	 *    bounds are checked against it. */
	RUN(map_step(b));
	/* 4. Kernel and initrd before the tree: the tree records where they are. */
	RUN(load_kernel(b));
	RUN(load_initrd(b));
	read_overlays(b);
	t_files = cpu_counter();
	/* 5. ACPI -> tree. Nothing after this step may fail silently: a tree
	 *    that cannot be built means returning to the firmware. */
	RUN(find_tables(b));
	t_tables = cpu_counter();
	RUN(convert(b));
	t_convert = cpu_counter();
	/* 6. The loader's own nodes. /chosen keeps the converter's stdout-path. */
	STEP(b, step_chosen, "chosen");
	/* The framebuffer before the user overlays: they may target &fb0. */
	find_gop(b);
	STEP(b, step_gop, "gop");
	STEP(b, step_pci_probe_only, "pci-probe-only");
	/* Board overlays, then the user's last (README, "Boards": precedence). */
	find_board(b);
	PIPE(pipeline_board_overlays(&b->pipe));
	PIPE(user_overlays(b));
	free_overlays(b);
	/* 7. The final tree, written once (final_tree.c): /memory and
	 *    /reserved-memory from a map read after every allocation above
	 *    (m1n1's rule: the tree must describe the map the kernel inherits;
	 *    the buffer it is written into is loader data, which /memory covers
	 *    already), the log region, /plinth, and /memreserve/ for the Image
	 *    and the tree itself. */
	RUN(map_step(b));
	RUN(finish_tree(b));
	t_tree = cpu_counter();
	/* 8. Leave the firmware. No ConOut output after this. */
	RUN(exit_boot_services(b, &t_ebs));
	say(b, "loader: entry to ExitBootServices: %llu counter ticks at %llu Hz (%llu us): "
	    "cfg+files %llu us, ACPI tables %llu us, conversion %llu us, loader nodes+memory %llu us, "
	    "ExitBootServices %llu us", (unsigned long long)(t_ebs - b->t0),
	    (unsigned long long)cpu_counter_hz(), us(b->t0, t_ebs), us(b->t0, t_files),
	    us(t_files, t_tables), us(t_tables, t_convert), us(t_convert, t_tree),
	    us(t_tree, t_ebs));
	say(b, "loader: jumping to 0x%llx, x0 = 0x%llx", (unsigned long long)b->entry,
	    (unsigned long long)(uintptr_t)b->pipe.tree.fdt);
	/* 9. Clean what the kernel reads with its caches off, then jump. */
	const struct region r[] = {
		{ b->img_base, b->img_bytes },
		{ (uint64_t)(uintptr_t)b->pipe.tree.fdt, b->pipe.tree.size },
		{ b->log_base, b->log_base ? LOG_BYTES : 0 },
		{ b->initrd_base, b->initrd_bytes },
	};
	handoff(b->entry, (uint64_t)(uintptr_t)b->pipe.tree.fdt, r, sizeof(r) / sizeof(r[0]));
}

EFI_STATUS efi_main(EFI_HANDLE image, EFI_SYSTEM_TABLE *st)
{
	struct boot *b;
	EFI_STATUS s;
	uint64_t t0 = cpu_counter();

	s = st->BootServices->AllocatePool(EfiLoaderData, sizeof(*b), (void **)&b);
	if (EFI_ERROR(s)) {
		st->ConOut->OutputString(st->ConOut, L"loader: AllocatePool for the loader state failed\r\n");
		return s;
	}
	memset(b, 0, sizeof(*b));
	b->image = image;
	b->st = st;
	b->bs = st->BootServices;
	b->t0 = t0;
	the_boot = b;
	s = boot(b);
	say(b, "loader: boot failed (%s); returning to the firmware", efi_status_name(s));
	release(b);
	the_boot = NULL;
	st->BootServices->FreePool(b);
	return s;
}

/* ------------------------------------------------- library callbacks ---- */

/* kprintf (lib/printf.c) ends here: whole lines into the log. */
void log_write(const char *s, size_t n)
{
	static char line[256] = "";	/* initialised: no .bss.* (loader.mk) */
	static size_t len = 0;

	for (size_t i = 0; i < n; i++) {
		if (s[i] != '\n' && len + 1 < sizeof(line)) {
			line[len++] = s[i];
			continue;
		}
		line[len] = 0;
		if (the_boot)
			llog_line(&the_boot->log, line);
		len = 0;
	}
}

/* A fixed guard, as in the kernel (kernel/lib/stack_chk.c): there is no
 * entropy to speak of this early and it only has to catch accidents. */
uintptr_t __stack_chk_guard = 0x2f8a5c93e1b7d400ull;

__attribute__((noreturn)) void __stack_chk_fail(void);

void __stack_chk_fail(void)
{
	struct boot *b = the_boot;

	if (b && !b->ebs_done) {
		say(b, "loader: stack smashing detected (return address %p); returning to the firmware",
		    __builtin_return_address(0));
		b->bs->Exit(b->image, EFI_ABORTED, 0, NULL);
	}
	cpu_halt();
}
