/* Host tests of loader/efi/cfg.c: plinth.cfg keys, paths, comments, line
 * endings, every warning (unknown key, no '=', too long, bad byte), and the
 * summary line. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include "efi/loader.h"
#include "efi_test_log.h"

static int parse(struct loader_cfg *c, struct captured *cap, const char *text)
{
	struct plinth_log log = captured_log(cap);

	cfg_defaults(c);
	return cfg_parse(c, text, strlen(text), &log);
}

static void test_defaults(void **state)
{
	struct loader_cfg c;
	struct captured cap;

	(void)state;
	assert_int_equal(parse(&c, &cap, ""), 0);
	assert_string_equal(c.kernel, "\\plinth\\Image");
	assert_string_equal(c.initrd, "");
	assert_int_equal(c.have_bootargs, 0);
	assert_string_equal(c.board, "");
	assert_int_equal(cap.lines, 0);
}

static void test_all_keys(void **state)
{
	struct loader_cfg c;
	struct captured cap;
	const char *text =
		"\xef\xbb\xbf# Plinth boot configuration\r\n"
		"\r\n"
		"  kernel = /boot/vmlinuz \r\n"
		"initrd=initrd.img\n"
		"bootargs=console=ttyAMA0 earlycon root=/dev/vda1\n"
		"\t# an indented comment\n"
		"board=vmware";	/* no final newline */

	(void)state;
	assert_int_equal(parse(&c, &cap, text), 0);
	assert_string_equal(c.kernel, "\\boot\\vmlinuz");
	assert_string_equal(c.initrd, "\\plinth\\initrd.img");	/* relative: under \plinth\ */
	assert_int_equal(c.have_bootargs, 1);
	assert_string_equal(c.bootargs, "console=ttyAMA0 earlycon root=/dev/vda1");
	assert_string_equal(c.board, "vmware");
	assert_int_equal(cap.lines, 0);
}

static void test_last_wins_and_empty_bootargs(void **state)
{
	struct loader_cfg c;
	struct captured cap;

	(void)state;
	assert_int_equal(parse(&c, &cap, "kernel=a\nkernel=\\b\\Image\nbootargs=\n"), 0);
	assert_string_equal(c.kernel, "\\b\\Image");
	assert_int_equal(c.have_bootargs, 1);	/* an explicit empty command line */
	assert_string_equal(c.bootargs, "");
}

static void test_warnings(void **state)
{
	struct loader_cfg c;
	struct captured cap;
	const char *text =
		"kernel=Image\n"
		"colour=blue\n"		/* 2: unknown key */
		"just words\n"		/* 3: no '=' */
		"kernel=\n"		/* 4: empty path */
		"board=a\x01z\n"	/* 5: control byte */
		"initrd=ok\n";

	(void)state;
	assert_int_equal(parse(&c, &cap, text), 4);
	assert_true(captured_has(&cap, "loader: cfg: line 2: unknown key 'colour', ignored"));
	assert_true(captured_has(&cap, "loader: cfg: line 3: no '=' in \"just words\", ignored"));
	assert_true(captured_has(&cap, "loader: cfg: line 4: kernel= value of 0 bytes empty, ignored"));
	assert_true(captured_has(&cap, "loader: cfg: line 5: board= has byte 0x01 at column 8, ignored"));
	/* The good lines around them still count. */
	assert_string_equal(c.kernel, "\\plinth\\Image");
	assert_string_equal(c.board, "");
	assert_string_equal(c.initrd, "\\plinth\\ok");
}

static void test_too_long(void **state)
{
	struct loader_cfg c;
	struct captured cap;
	char text[CFG_BOOTARGS_MAX + 64];

	(void)state;
	strcpy(text, "bootargs=");
	memset(text + 9, 'x', CFG_BOOTARGS_MAX);
	strcpy(text + 9 + CFG_BOOTARGS_MAX, "\nkernel=/k\n");
	assert_int_equal(parse(&c, &cap, text), 1);
	assert_true(captured_has(&cap, "line 1: bootargs= value of 2048 bytes too long, ignored"));
	assert_int_equal(c.have_bootargs, 0);
	assert_string_equal(c.kernel, "\\k");
}

/* gop= is kept as text: gop.c parses WxH when it picks the mode. */
static void test_gop_key(void **state)
{
	struct loader_cfg c;
	struct captured cap;

	(void)state;
	assert_int_equal(parse(&c, &cap, "gop = 1024x768\n"), 0);
	assert_string_equal(c.gop, "1024x768");
	assert_int_equal(parse(&c, &cap, "gop=12345678901234567890x1\n"), 1);
	assert_string_equal(c.gop, "");
	assert_true(captured_has(&cap, "gop= value of 22 bytes too long"));
}

static void test_nul_byte(void **state)
{
	struct loader_cfg c;
	struct captured cap;
	struct plinth_log log = captured_log(&cap);
	const char text[] = "kernel=/a\0b\nboard=x\n";

	(void)state;
	cfg_defaults(&c);
	assert_int_equal(cfg_parse(&c, text, sizeof(text) - 1, &log), 1);
	assert_true(captured_has(&cap, "line 1: NUL byte, ignored"));
	assert_string_equal(c.kernel, "\\plinth\\Image");
	assert_string_equal(c.board, "x");
}

/* The summary line names every key the file set, board= with its value
 * (it once printed " board=" and nothing after). */
static void summary(const char *text, int warnings, const char *want)
{
	struct loader_cfg c;
	struct captured cap;
	struct plinth_log log;

	assert_int_equal(parse(&c, &cap, text), warnings);
	log = captured_log(&cap);		/* the summary alone */
	cfg_summary(&c, warnings, &log);
	assert_int_equal(cap.lines, 1);
	assert_string_equal(cap.text, want);
}

static void test_summary(void **state)
{
	(void)state;
	summary("", 0, "loader: cfg: \\plinth\\plinth.cfg: kernel=\\plinth\\Image, 0 warning(s)\n");
	summary("board=vmware\n", 0,
		"loader: cfg: \\plinth\\plinth.cfg: kernel=\\plinth\\Image board=vmware, 0 warning(s)\n");
	summary("kernel=/k\ninitrd=rd.img\nbootargs=console=ttyAMA0 quiet\nboard=qemu\ngop=800x600\n"
		"colour=blue\n", 1,
		"loader: cfg: \\plinth\\plinth.cfg: kernel=\\k initrd=\\plinth\\rd.img "
		"bootargs=\"console=ttyAMA0 quiet\" board=qemu gop=800x600, 1 warning(s)\n");
	/* An explicit empty command line is a setting too. */
	summary("bootargs=\n", 0,
		"loader: cfg: \\plinth\\plinth.cfg: kernel=\\plinth\\Image bootargs=\"\", 0 warning(s)\n");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_all_keys),
		cmocka_unit_test(test_last_wins_and_empty_bootargs),
		cmocka_unit_test(test_warnings),
		cmocka_unit_test(test_too_long),
		cmocka_unit_test(test_nul_byte),
		cmocka_unit_test(test_gop_key),
		cmocka_unit_test(test_summary),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
