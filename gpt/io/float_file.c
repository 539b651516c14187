// fileno and fstat are POSIX.
#define _POSIX_C_SOURCE 200809L

#include "gpt/io/float_file.h"

#include <string.h>
#include <sys/stat.h>

enum { CHUNK = 4096 };

bool read_floats_le(FILE *file, float *values, uint64_t n) {
    unsigned char buf[CHUNK * 4];
    for (uint64_t start = 0; start < n; start += CHUNK) {
        size_t count = n - start < CHUNK ? (size_t)(n - start) : CHUNK;
        if (fread(buf, 4, count, file) != count) return false;
        for (size_t i = 0; i < count; i++) {
            uint32_t bits = (uint32_t)buf[4 * i] | (uint32_t)buf[4 * i + 1] << 8 | (uint32_t)buf[4 * i + 2] << 16 |
                            (uint32_t)buf[4 * i + 3] << 24;
            memcpy(&values[start + i], &bits, 4);
        }
    }
    return true;
}

bool write_floats_le(FILE *file, const float *values, uint64_t n) {
    unsigned char buf[CHUNK * 4];
    for (uint64_t start = 0; start < n; start += CHUNK) {
        size_t count = n - start < CHUNK ? (size_t)(n - start) : CHUNK;
        for (size_t i = 0; i < count; i++) {
            uint32_t bits;
            memcpy(&bits, &values[start + i], 4);
            for (int k = 0; k < 4; k++) buf[4 * i + (size_t)k] = (unsigned char)(bits >> (8 * k));
        }
        if (fwrite(buf, 4, count, file) != count) return false;
    }
    return true;
}

int64_t file_size_of(FILE *file) {
    struct stat info;
    if (fstat(fileno(file), &info) != 0 || !S_ISREG(info.st_mode)) return -1;
    return (int64_t)info.st_size;
}
