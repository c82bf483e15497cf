/* Host tests of loader/smbios.c: the 64-bit and 32-bit entry points (good,
 * bad anchor, checksum, length past the readable bytes) and the structure
 * walk to type 1 (good, a table truncated inside a structure or its
 * strings, a length shorter than the header, no type 1, string numbers past
 * the set, unprintable bytes). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include "pipeline/smbios.h"
#include "efi/loader.h"
#include "efi_test_log.h"

/* Type 0 (BIOS, one string), type 1 ("QEMU", "Standard PC"), type 127. */
static const uint8_t table[] = {
	0, 0x18, 0x00, 0x00, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	'E', 'D', 'K', ' ', 'I', 'I', 0, 0,
	1, 0x1b, 0x01, 0x00, 1, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	'Q', 'E', 'M', 'U', 0, 'S', 't', 'a', 'n', 'd', 'a', 'r', 'd', ' ', 'P', 'C', 0, 0,
	127, 4, 0x02, 0x00, 0, 0,
};
#define TYPE1_AT 32

static void fix_sum(uint8_t *p, size_t n, size_t at)
{
	uint8_t s = 0;

	p[at] = 0;
	for (size_t i = 0; i < n; i++)
		s += p[i];
	p[at] = (uint8_t)-s;
}

static void ep3(uint8_t *ep, uint64_t addr, uint32_t len)
{
	memset(ep, 0, 24);
	memcpy(ep, "_SM3_", 5);
	ep[6] = 24;
	ep[7] = 3;
	ep[8] = 6;
	ep[10] = 1;
	memcpy(ep + 12, &len, 4);	/* the host is little-endian, as SMBIOS */
	memcpy(ep + 16, &addr, 8);
	fix_sum(ep, 24, 5);
}

static void ep2(uint8_t *ep, uint32_t addr, uint16_t len)
{
	memset(ep, 0, 31);
	memcpy(ep, "_SM_", 4);
	ep[5] = 31;
	ep[6] = 2;
	ep[7] = 8;
	memcpy(ep + 16, "_DMI_", 5);
	memcpy(ep + 22, &len, 2);
	memcpy(ep + 24, &addr, 4);
	fix_sum(ep + 16, 15, 5);
	fix_sum(ep, 31, 4);
}

static void test_entry_64(void **state)
{
	struct captured cap;
	struct plinth_log log = captured_log(&cap);
	struct smbios_table t;
	uint8_t ep[24];

	(void)state;
	ep3(ep, 0x5f000000ull, 0x1000);
	assert_int_equal(smbios_entry(ep, sizeof(ep), 1, &t, &log), 0);
	assert_true(t.addr == 0x5f000000ull && t.len == 0x1000 && t.is64);
	assert_int_equal(t.major, 3);
	/* Fewer bytes readable than the entry point's length. */
	assert_int_equal(smbios_entry(ep, 20, 1, &t, &log), -PLINTH_EINVAL);
	assert_true(captured_has(&cap, "entry point length 24 (20 readable"));
	ep[9] ^= 1;
	assert_int_equal(smbios_entry(ep, sizeof(ep), 1, &t, &log), -PLINTH_EINVAL);
	assert_true(captured_has(&cap, "checksum"));
	assert_int_equal(smbios_entry("_SM_", 4, 1, &t, &log), -PLINTH_EINVAL);
	assert_true(captured_has(&cap, "no _SM3_ anchor"));
	ep3(ep, 0, 0x1000);
	assert_int_equal(smbios_entry(ep, sizeof(ep), 1, &t, &log), -PLINTH_EINVAL);
}

static void test_entry_32(void **state)
{
	struct captured cap;
	struct plinth_log log = captured_log(&cap);
	struct smbios_table t;
	uint8_t ep[31];

	(void)state;
	ep2(ep, 0x7e000000u, sizeof(table));
	assert_int_equal(smbios_entry(ep, sizeof(ep), 0, &t, &log), 0);
	assert_true(t.addr == 0x7e000000u && t.len == sizeof(table) && !t.is64);
	ep[18] = 'X';			/* "_DXI_" */
	fix_sum(ep, 31, 4);
	assert_int_equal(smbios_entry(ep, sizeof(ep), 0, &t, &log), -PLINTH_EINVAL);
	assert_true(captured_has(&cap, "_DMI_"));
}

static void test_system(void **state)
{
	struct captured cap;
	struct plinth_log log = captured_log(&cap);
	struct smbios_system s;

	(void)state;
	assert_int_equal(smbios_system(table, sizeof(table), &s, &log), 0);
	assert_string_equal(s.manufacturer, "QEMU");
	assert_string_equal(s.product, "Standard PC");
	/* SMBIOS3's length is a maximum: bytes after type 127 are not read. */
	uint8_t big[sizeof(table) + 64];
	memset(big, 0xff, sizeof(big));
	memcpy(big, table, sizeof(table));
	assert_int_equal(smbios_system(big, sizeof(big), &s, &log), 0);
}

static void test_truncated(void **state)
{
	struct captured cap;
	struct plinth_log log = captured_log(&cap);
	struct smbios_system s;

	(void)state;
	/* Cut inside type 1's formatted area, then inside its strings. */
	assert_int_equal(smbios_system(table, TYPE1_AT + 10, &s, &log), -PLINTH_EINVAL);
	assert_true(captured_has(&cap, "type 1 at offset 32: length 27 runs past the table"));
	assert_int_equal(smbios_system(table, TYPE1_AT + 0x1b + 6, &s, &log), -PLINTH_EINVAL);
	assert_true(captured_has(&cap, "its strings run past the table"));
	/* Cut inside type 0's strings: never reaches type 1. */
	assert_int_equal(smbios_system(table, 28, &s, &log), -PLINTH_EINVAL);
	/* Not even a header. */
	assert_int_equal(smbios_system(table, 3, &s, &log), -PLINTH_ENOENT);
	assert_string_equal(s.manufacturer, "");
}

static void test_malformed(void **state)
{
	struct captured cap;
	struct plinth_log log = captured_log(&cap);
	struct smbios_system s;
	uint8_t t[sizeof(table)];

	(void)state;
	/* A length shorter than the header would loop forever if trusted. */
	memcpy(t, table, sizeof(t));
	t[1] = 2;
	assert_int_equal(smbios_system(t, sizeof(t), &s, &log), -PLINTH_EINVAL);
	assert_true(captured_has(&cap, "length 2 is shorter than its header"));
	/* Type 1 too short for its product field. */
	memcpy(t, table, sizeof(t));
	t[TYPE1_AT + 1] = 5;
	assert_int_equal(smbios_system(t, sizeof(t), &s, &log), -PLINTH_EINVAL);
	/* String numbers past the set, 0 (none), and an unprintable byte. */
	memcpy(t, table, sizeof(t));
	t[TYPE1_AT + 4] = 0;
	t[TYPE1_AT + 5] = 9;
	t[TYPE1_AT + 0x1b + 1] = 0x07;
	assert_int_equal(smbios_system(t, sizeof(t), &s, &log), 0);
	assert_string_equal(s.manufacturer, "");
	assert_string_equal(s.product, "");
	t[TYPE1_AT + 4] = 1;
	assert_int_equal(smbios_system(t, sizeof(t), &s, &log), 0);
	assert_string_equal(s.manufacturer, "Q?MU");
	/* No type 1 before the end marker. */
	memcpy(t, table, sizeof(t));
	t[TYPE1_AT] = 2;
	assert_int_equal(smbios_system(t, sizeof(t), &s, &log), -PLINTH_ENOENT);
	assert_true(captured_has(&cap, "no type 1"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_entry_64),
		cmocka_unit_test(test_entry_32),
		cmocka_unit_test(test_system),
		cmocka_unit_test(test_truncated),
		cmocka_unit_test(test_malformed),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
