/* `poweroff` and `reboot` through PSCI (DEN0022 5.10, 5.11), with the conduit
 * that the /psci node's `method` names. */
#include <plinth/err.h>
#include <plinth/printk.h>
#include <plinth/psci.h>
#include <plinth/shell.h>

static int no_psci(const char *what)
{
	if (psci_conduit() != PSCI_NONE)
		return 0;
	kprintf("%s: no PSCI: the tree has no usable /psci node (method \"hvc\" or \"smc\")\n", what);
	return -PLINTH_ENODEV;
}

static int cmd_poweroff(int argc, char **argv)
{
	(void)argc;
	int err = no_psci(argv[0]);
	if (err < 0)
		return err;
	kprintf("powering off\n");
	err = psci_system_off();
	kprintf("poweroff: PSCI SYSTEM_OFF returned %d\n", err);
	return -PLINTH_EIO;
}

static int cmd_reboot(int argc, char **argv)
{
	(void)argc;
	int err = no_psci(argv[0]);
	if (err < 0)
		return err;
	kprintf("rebooting\n");
	err = psci_system_reset();
	kprintf("reboot: PSCI SYSTEM_RESET returned %d\n", err);
	return -PLINTH_EIO;
}

SHELL_CMD(poweroff_cmd) = {
	.name = "poweroff",
	.usage = "poweroff",
	.help = "switch the machine off (PSCI SYSTEM_OFF)",
	.fn = cmd_poweroff,
};

SHELL_CMD(reboot_cmd) = {
	.name = "reboot",
	.usage = "reboot",
	.help = "reset the machine (PSCI SYSTEM_RESET)",
	.fn = cmd_reboot,
};
