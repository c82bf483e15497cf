# Sourced by tools/run-qemu and tools/debug: QEMU's machine flags for a
# board, from its boards/<name>/board.mk (BOARD_QEMU_FLAGS, the one place
# they are written; tests/qemu/plinth_qemu.py reads the same line).
#
#   board_qemu_flags [BOARD]     BOARD_QEMU_FLAGS of boards/BOARD (default
#                                qemu), as make reads a `NAME := value` line
#   machine_flags FLAGS [GIC]    FLAGS with gic-version=GIC added to -M's
#                                value when GIC is set

board_qemu_flags() {
	sed -n 's/^BOARD_QEMU_FLAGS[[:space:]]*:=[[:space:]]*//p' \
		"$(dirname "$0")/../boards/${1:-qemu}/board.mk" | sed 's/[[:space:]]*$//'
}

machine_flags() {
	_prev= _out=
	for _w in $1; do
		if [ -n "${2:-}" ] && { [ "$_prev" = -M ] || [ "$_prev" = -machine ]; }; then
			_w="$_w,gic-version=$2"
		fi
		_out="${_out:+$_out }$_w"
		_prev=$_w
	done
	echo "$_out"
}
