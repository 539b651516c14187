// CRC-32 (the polynomial of zip, PNG and Ethernet), to detect corrupt checkpoints.
#ifndef GPT1_CRC32_H
#define GPT1_CRC32_H

#include <stddef.h>
#include <stdint.h>

// Continues a running CRC: start with crc32_update(0, ...).
uint32_t crc32_update(uint32_t crc, const void *data, size_t len);

#endif
