#include "gpt/io/crc32.h"

// One table entry per byte value: the CRC of that byte alone (reflected, 0xEDB88320).
static uint32_t table[256];
static int table_ready;

static void make_table(void) {
    for (uint32_t n = 0; n < 256; n++) {
        uint32_t c = n;
        for (int k = 0; k < 8; k++) c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
        table[n] = c;
    }
    table_ready = 1;
}

uint32_t crc32_update(uint32_t crc, const void *data, size_t len) {
    if (!table_ready) make_table();
    const unsigned char *bytes = data;
    crc = ~crc;
    for (size_t i = 0; i < len; i++) crc = table[(crc ^ bytes[i]) & 0xFF] ^ (crc >> 8);
    return ~crc;
}
