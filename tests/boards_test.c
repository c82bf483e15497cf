/* Every board's overlays as built (the table gen/boards.py makes from
 * boards/<name>/): the loader applies them without overlay_check's
 * hostile-input checks (overlay.c, overlay_apply_board), on the strength of
 * this test: each passes them, and none is empty. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include <libfdt.h>
#include "pipeline/board.h"
#include "efi_test_log.h"

static void test_boards_pass_overlay_check(void **state)
{
	struct captured cap;
	struct plinth_log log = captured_log(&cap);

	(void)state;
	assert_true(plinth_board_count > 0);
	for (unsigned i = 0; i < plinth_board_count; i++) {
		const struct board *bd = &plinth_boards[i];

		assert_non_null(bd->overlay);
		assert_int_equal(overlay_check(bd->overlay, bd->overlay_size, bd->name, &log), 0);
		assert_int_equal(fdt_totalsize(bd->overlay), bd->overlay_size);
		if (bd->console) {
			assert_int_equal(overlay_check(bd->console, bd->console_size, bd->name, &log), 0);
			assert_int_equal(fdt_totalsize(bd->console), bd->console_size);
		}
	}
	assert_int_equal(cap.lines, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_boards_pass_overlay_check),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
