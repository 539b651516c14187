// NumPy's .npy format, as far as GPT-1's released parameter shards need it: a magic
// "\x93NUMPY", a version (1.0, 2.0 or 3.0), the length of a header (2 bytes in version 1,
// 4 after), the header itself, a Python dict literal such as
//
//     {'descr': '<f4', 'fortran_order': False, 'shape': (11626113,), }
//
// padded with spaces and ended by "\n", then the array's bytes. Only little-endian
// float32 in C order is accepted; the file must hold exactly the array's bytes after the
// header. Every problem is one line naming the file and the field.
#ifndef GPT1_NPY_H
#define GPT1_NPY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

enum { NPY_MAX_DIMS = 8, NPY_MAX_HEADER = 10000 };  // numpy itself refuses longer headers

typedef struct NpyHeader {
    int version;                    // 1, 2 or 3
    int ndim;
    int64_t shape[NPY_MAX_DIMS];
    uint64_t count;                 // the number of floats (1 for a 0-dimensional array)
    uint64_t data_offset;           // where they start in the file
} NpyHeader;

// Reads the header at the start of file (whose size is file_size bytes) and leaves the
// file at the first float.
bool npy_read_header(FILE *file, const char *name, int64_t file_size, NpyHeader *header, char *error,
                     size_t error_len);
// Writes a version 1.0 header for a float32 array of this shape (the data follows).
bool npy_write_header(FILE *file, const int64_t *shape, int ndim);

#endif
