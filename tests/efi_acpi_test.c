/* Host tests of loader/efi_acpi.c: RSDP checks (both checksums, revision 0
 * and 2), XSDT and RSDT walks, the DSDT found through the FADT (X_DSDT or
 * the 32-bit field), and tables skipped for a null address or for lying
 * outside the memory map. The tables live in a low mapping so that RSDT
 * (32-bit) pointers can address them. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <cmocka.h>
#include <plinth/err.h>
#include "acpi2fdt/acpi2fdt.h"
#include "efi_test_log.h"

/* The converter's acpi_table_check, to the contract in acpi2fdt.h, for
 * when this test is linked without the converter. */
__attribute__((weak)) long acpi_table_check(const struct acpi_table_ref *t,
					    const struct plinth_log *log)
{
	const uint8_t *p = t->data;
	uint32_t len;
	uint8_t sum = 0;

	if (t->avail < 36) {
		lprintf(log, "fdt: acpi: %s: %zu bytes readable, header needs 36", t->origin, t->avail);
		return -PLINTH_ERANGE;
	}
	len = p[4] | p[5] << 8 | p[6] << 16 | (uint32_t)p[7] << 24;
	if (len < 36 || len > t->avail) {
		lprintf(log, "fdt: acpi: %s: length %u past %zu readable", t->origin, len, t->avail);
		return -PLINTH_ERANGE;
	}
	for (uint32_t i = 0; i < len; i++)
		sum += p[i];
	if (sum)
		lprintf(log, "fdt: acpi: %s: checksum warning", t->origin);
	return len;
}

#define ARENA_SIZE 0x4000
static uint8_t *arena;

static uint64_t addr(const void *p)
{
	return (uint64_t)(uintptr_t)p;
}

/* Only the arena is "in the memory map". */
static uint64_t avail(void *ctx, uint64_t a)
{
	(void)ctx;
	if (a >= addr(arena) && a < addr(arena) + ARENA_SIZE)
		return addr(arena) + ARENA_SIZE - a;
	return 0;
}

static void put(uint8_t *p, uint64_t v, unsigned bytes)
{
	for (unsigned i = 0; i < bytes; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static uint8_t sum(const uint8_t *p, size_t n)
{
	uint8_t s = 0;

	while (n--)
		s += *p++;
	return s;
}

static uint8_t *table(unsigned off, const char *sig, uint32_t len)
{
	uint8_t *t = arena + off;

	memset(t, 0, len);
	memcpy(t, sig, 4);
	put(t + 4, len, 4);
	t[8] = 1;
	memcpy(t + 10, "BOCHS ", 6);
	return t;
}

static void seal(uint8_t *t)
{
	uint32_t len = t[4] | t[5] << 8 | t[6] << 16 | (uint32_t)t[7] << 24;

	t[9] = 0;
	t[9] = (uint8_t)-sum(t, len);
}

enum { RSDP = 0x10, XSDT = 0x100, FACP = 0x200, APIC = 0x400, DSDT = 0x500, RSDT = 0x600 };

/* RSDP revision 2 -> XSDT {FACP, APIC, 0, outside} ; FACP -> DSDT. */
static void build(int rsdp_rev, int fadt_len)
{
	uint8_t *r = arena + RSDP, *x, *f, *rs;

	memset(arena, 0, ARENA_SIZE);
	x = table(XSDT, "XSDT", 36 + 4 * 8);
	put(x + 36, addr(arena + FACP), 8);
	put(x + 44, addr(arena + APIC), 8);
	put(x + 52, 0, 8);
	put(x + 60, 0x10000000000ull, 8);	/* not in the map */
	seal(x);
	f = table(FACP, "FACP", (uint32_t)fadt_len);
	if (fadt_len >= 148)
		put(f + 140, addr(arena + DSDT), 8);
	put(f + 40, addr(arena + DSDT), 4);
	seal(f);
	seal(table(APIC, "APIC", 44));
	seal(table(DSDT, "DSDT", 40));
	rs = table(RSDT, "RSDT", 36 + 2 * 4);
	put(rs + 36, addr(arena + FACP), 4);
	put(rs + 40, addr(arena + APIC), 4);
	seal(rs);

	memcpy(r, "RSD PTR ", 8);
	memcpy(r + 9, "BOCHS ", 6);
	r[15] = (uint8_t)rsdp_rev;
	put(r + 16, addr(arena + RSDT), 4);
	put(r + 20, 36, 4);
	put(r + 24, addr(arena + XSDT), 8);
	r[8] = (uint8_t)-sum(r, 20);
	r[32] = (uint8_t)-sum(r, 36);
}

static int setup(void **state)
{
	(void)state;
	/* Low memory, so 32-bit RSDT entries can point at the tables. */
	arena = mmap(NULL, ARENA_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_32BIT,
		     -1, 0);
	return arena == MAP_FAILED ? -1 : 0;
}

static int teardown(void **state)
{
	(void)state;
	munmap(arena, ARENA_SIZE);
	return 0;
}

static void test_xsdt(void **state)
{
	struct acpi_found f;
	struct captured cap;
	struct plinth_log log = captured_log(&cap);

	(void)state;
	build(2, 276);
	assert_int_equal(acpi_collect(addr(arena + RSDP), avail, NULL, &f, &log), 0);
	assert_int_equal(f.n, 3);
	assert_int_equal(f.skipped, 2);		/* the null entry, the unmapped one */
	assert_memory_equal(f.t[0].data, "FACP", 4);
	assert_memory_equal(f.t[1].data, "APIC", 4);
	assert_memory_equal(f.t[2].data, "DSDT", 4);
	assert_int_equal(f.t[1].avail, 44);	/* cut to the checked length */
	assert_string_equal(f.oem_id, "BOCHS ");
	assert_int_equal(f.rsdp, addr(arena + RSDP));
	assert_true(captured_has(&cap, "revision 2, OEM \"BOCHS \": XSDT"));
	assert_true(captured_has(&cap, "fdt: xsdt: 4 entries, 3 table(s) usable (DSDT via the FADT): FACP APIC DSDT"));
	assert_true(captured_has(&cap, "null table address in the root table, skipped"));
	assert_false(captured_has(&cap, "warning"));
}

static void test_rsdp_checksums_warn(void **state)
{
	struct acpi_found f;
	struct captured cap;
	struct plinth_log log = captured_log(&cap);

	(void)state;
	build(2, 276);
	arena[RSDP + 8]++;	/* breaks both checksums */
	assert_int_equal(acpi_collect(addr(arena + RSDP), avail, NULL, &f, &log), 0);
	assert_true(captured_has(&cap, "fdt: acpi: RSDP (0x"));
	assert_true(captured_has(&cap, "checksum wrong (sum 0x01): used anyway"));
	assert_true(captured_has(&cap, "extended checksum wrong (sum 0x01): used anyway"));
	assert_int_equal(f.n, 3);
}

static void test_rsdt_and_short_fadt(void **state)
{
	struct acpi_found f;
	struct captured cap;
	struct plinth_log log = captured_log(&cap);

	(void)state;
	/* ACPI 1.0 RSDP: the RSDT; a FADT too short for X_DSDT: the DSDT field. */
	build(0, 116);
	assert_int_equal(acpi_collect(addr(arena + RSDP), avail, NULL, &f, &log), 0);
	assert_true(captured_has(&cap, "revision 0 (ACPI 1.0)"));
	assert_true(captured_has(&cap, "fdt: rsdt: 2 entries, 3 table(s) usable (DSDT via the FADT): FACP APIC DSDT"));
	assert_int_equal(f.n, 3);
	assert_int_equal(f.skipped, 0);
}

static void test_bad_roots(void **state)
{
	struct acpi_found f;
	struct captured cap;
	struct plinth_log log = captured_log(&cap);

	(void)state;
	build(2, 276);
	arena[RSDP] = 'X';
	assert_int_equal(acpi_collect(addr(arena + RSDP), avail, NULL, &f, &log), -PLINTH_EINVAL);
	assert_true(captured_has(&cap, "signature \"XSD PTR \" is not \"RSD PTR \""));

	/* An RSDP outside the map is not read at all. */
	assert_int_equal(acpi_collect(0x10000000000ull, avail, NULL, &f, &log), -PLINTH_ERANGE);
	assert_true(captured_has(&cap, "0 bytes mapped, 20 needed"));

	/* An XSDT longer than the map: the stated length is never trusted. */
	build(2, 276);
	put(arena + XSDT + 4, ARENA_SIZE, 4);
	assert_true(acpi_collect(addr(arena + RSDP), avail, NULL, &f, &log) < 0);
	assert_true(captured_has(&cap, "length 16384 past"));

	/* The XSDT address holding another table. */
	build(2, 276);
	put(arena + RSDP + 24, addr(arena + APIC), 8);
	arena[RSDP + 32] = 0;
	arena[RSDP + 32] = (uint8_t)-sum(arena + RSDP, 36);
	assert_int_equal(acpi_collect(addr(arena + RSDP), avail, NULL, &f, &log), -PLINTH_EINVAL);
	assert_true(captured_has(&cap, "has signature \"APIC\", not XSDT"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_xsdt),
		cmocka_unit_test(test_rsdp_checksums_warn),
		cmocka_unit_test(test_rsdt_and_short_fadt),
		cmocka_unit_test(test_bad_roots),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
