/* MMIO accessors. Drivers touch hardware only through these, so the host
 * build (PLINTH_HOST) can route them to a register model in a unit test. */
#ifndef PLINTH_MMIO_H
#define PLINTH_MMIO_H
#include <stdint.h>

#ifdef PLINTH_HOST
uint8_t mmio_read8(uintptr_t addr);
uint32_t mmio_read32(uintptr_t addr);
void mmio_write8(uintptr_t addr, uint8_t v);
void mmio_write32(uintptr_t addr, uint32_t v);
#else
static inline uint8_t mmio_read8(uintptr_t addr)
{
	uint8_t v;
	__asm__ volatile("ldrb %w0, [%1]" : "=r"(v) : "r"(addr) : "memory");
	return v;
}
static inline uint32_t mmio_read32(uintptr_t addr)
{
	uint32_t v;
	__asm__ volatile("ldr %w0, [%1]" : "=r"(v) : "r"(addr) : "memory");
	return v;
}
static inline void mmio_write8(uintptr_t addr, uint8_t v)
{
	__asm__ volatile("strb %w0, [%1]" : : "r"(v), "r"(addr) : "memory");
}
static inline void mmio_write32(uintptr_t addr, uint32_t v)
{
	__asm__ volatile("str %w0, [%1]" : : "r"(v), "r"(addr) : "memory");
}
#endif
#endif
