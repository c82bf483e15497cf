/* PSCI (DEN0022). The conduit comes from the /psci node's `method`; before the
 * tree is known, only the boot exception level can choose (SMC from EL2 entry,
 * HVC from EL1). */
#ifndef PLINTH_PSCI_H
#define PLINTH_PSCI_H
#include <stdint.h>

enum psci_conduit { PSCI_NONE, PSCI_HVC, PSCI_SMC };

#define PSCI_VERSION		0x84000000u
#define PSCI_CPU_ON_64		0xC4000003u
#define PSCI_SYSTEM_OFF		0x84000008u
#define PSCI_SYSTEM_RESET	0x84000009u

int64_t psci_call(enum psci_conduit c, uint64_t fn, uint64_t a1, uint64_t a2, uint64_t a3);
/* Conduit the /psci driver found (PSCI_NONE before it probed or without one). */
enum psci_conduit psci_conduit(void);
/* Power off / reset with the tree's conduit; returns only on failure. */
int psci_system_off(void);
int psci_system_reset(void);

#define PSCI_RET_NOT_SUPPORTED	(-1)

/* CPU_ON (DEN0022 5.6): start the CPU whose MPIDR affinity is `mpidr` at
 * physical address `entry` with x0 = ctx, MMU off, at the boot EL. Returns
 * the PSCI code (0 = SUCCESS); NOT_SUPPORTED without a bound /psci node or
 * (PSCI 0.1) without a `cpu_on` function ID. */
int64_t psci_cpu_on(uint64_t mpidr, uint64_t entry, uint64_t ctx);
/* Name of a PSCI return code ("INVALID_PARAMETERS", ...). */
const char *psci_strerror(int64_t r);

#endif
