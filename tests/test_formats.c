// The small readers of gpt/io: JSON, .npy headers and safetensors headers. Every
// malformed, truncated or inconsistent input is refused with a message naming the
// field; nothing is read out of bounds (the sanitizer build runs these too).
#include <stdlib.h>
#include <string.h>

#include "gpt/io/float_file.h"
#include "gpt/io/json.h"
#include "gpt/io/npy.h"
#include "gpt/io/safetensors.h"
#include "tests/helpers.h"

START_TEST(test_json_values) {
    Json j;
    char error[JSON_ERROR_SIZE];
    const char *text = " {\"a\": [1, -2, 3.5e2, true, null], \"s\": \"x\\u00e9\\ud83d\\ude00\\n\\\"\", \"\\u0000k\": {}} ";
    ck_assert_msg(json_parse(&j, "t", text, strlen(text), error, sizeof error), "%s", error);
    const JsonNode *root = json_root(&j), *a = json_member(&j, root, "a");
    ck_assert_int_eq(root->n_children, 3);
    ck_assert_int_eq(a->n_children, 5);
    const JsonNode *one = json_first(&j, a), *minus = json_next(&j, one), *real = json_next(&j, minus);
    ck_assert(one->is_integer && one->integer == 1 && minus->integer == -2);
    ck_assert(!real->is_integer && real->number == 350.0);
    ck_assert(json_next(&j, real)->type == JSON_BOOL && json_next(&j, json_next(&j, real))->type == JSON_NULL);
    size_t n;
    const char *s = json_string(&j, json_member(&j, root, "s"), &n);
    ck_assert(n == 9 && memcmp(s, "x\xc3\xa9\xf0\x9f\x98\x80\n\"", 9) == 0);
    const JsonNode *last = json_next(&j, json_member(&j, root, "s"));
    ck_assert(json_key(&j, last, &n)[0] == '\0' && n == 2);  // a key may hold a NUL
    ck_assert_ptr_null(json_member(&j, root, "missing"));
    json_free(&j);
    const char *big = "[9223372036854775807, -9223372036854775808, 9223372036854775808]";
    ck_assert(json_parse(&j, "t", big, strlen(big), error, sizeof error));
    const JsonNode *max = json_first(&j, json_root(&j)), *min = json_next(&j, max), *over = json_next(&j, min);
    ck_assert(max->is_integer && max->integer == INT64_MAX && min->is_integer && min->integer == INT64_MIN);
    ck_assert(!over->is_integer);
    json_free(&j);
}
END_TEST

static void assert_json_error(const char *text, size_t len, const char *message) {
    Json j;
    char error[JSON_ERROR_SIZE] = "";
    ck_assert_msg(!json_parse(&j, "f.json", text, len, error, sizeof error), "accepted: %s", text);
    ck_assert_msg(strstr(error, message) != NULL, "'%s': expected '%s' in: %s", text, message, error);
    ck_assert_int_eq(j.count, 0);
}

START_TEST(test_json_errors) {
    assert_json_error("", 0, "f.json: line 1, column 1: expected a value");
    assert_json_error("[1,]", 4, "column 4: expected a value");
    assert_json_error("{\"a\" 1}", 7, "expected ':' after the object key");
    assert_json_error("[1 2]", 5, "expected ',' or ']'");
    assert_json_error("\"abc", 4, "expected the closing '\"'");
    assert_json_error("\"a\tb\"", 5, "without control characters");
    assert_json_error("\"\\x\"", 4, "an escape");
    assert_json_error("\"\\u12\"", 6, "four hex digits");
    assert_json_error("\"\\ud800\"", 8, "a low surrogate");
    assert_json_error("\"\\udc00\"", 8, "not a lone low surrogate");
    assert_json_error("\"\xc3\"", 3, "valid UTF-8");
    assert_json_error("\"\xed\xa0\x80\"", 5, "valid UTF-8");  // an encoded surrogate
    assert_json_error("01", 2, "a number such as");
    assert_json_error("-", 1, "a number such as");
    assert_json_error("1.", 2, "a number such as");
    assert_json_error("1e999", 5, "within the range of a double");
    assert_json_error("tru", 3, "a value");
    assert_json_error("[1] x", 5, "column 5: expected nothing after the JSON value");
    assert_json_error("\xef\xbb\xbf[]", 5, "not a byte-order mark");
    assert_json_error("{\"k\": 1,\n \"k\": 2}", 17, "line 2, column 7: the key \"k\" appears twice");
    assert_json_error("[1, \0]", 6, "found byte 0x00");
    char deep[200];
    memset(deep, '[', 100);
    memset(deep + 100, ']', 100);
    assert_json_error(deep, 200, "at most 64 levels");
}
END_TEST

// A .npy file from a header and raw bytes after it.
static const char *npy_file(const char *name, const char *header, size_t header_len, long data_bytes) {
    const char *path = temp_file(name);
    FILE *f = fopen(path, "wb");
    fwrite(header, 1, header_len, f);
    for (long i = 0; i < data_bytes; i++) fputc(0, f);
    fclose(f);
    return path;
}

static bool read_npy(const char *path, NpyHeader *h, char *error, size_t error_len) {
    FILE *f = fopen(path, "rb");
    bool ok = npy_read_header(f, path, file_size_of(f), h, error, error_len);
    fclose(f);
    return ok;
}

static void assert_npy_error(const char *dict, long data_bytes, const char *message) {
    char header[256] = "\x93NUMPY\x01\x00";
    size_t n = strlen(dict);
    header[8] = (char)(n & 0xFF), header[9] = (char)(n >> 8);
    memcpy(header + 10, dict, n);
    const char *path = npy_file("bad.npy", header, 10 + n, data_bytes);
    NpyHeader h;
    char error[512] = "";
    ck_assert_msg(!read_npy(path, &h, error, sizeof error), "accepted: %s", dict);
    ck_assert_msg(strstr(error, message) != NULL, "expected '%s' in: %s", message, error);
    remove(path);
}

START_TEST(test_npy_headers) {
    const char *path = temp_file("ok.npy");
    FILE *f = fopen(path, "wb");
    int64_t shape[2] = {3, 2};
    float values[6] = {1, -2, 3.5f, 0, 1e-30f, 7};
    ck_assert(npy_write_header(f, shape, 2) && write_floats_le(f, values, 6));
    fclose(f);
    NpyHeader h;
    char error[512];
    ck_assert_msg(read_npy(path, &h, error, sizeof error), "%s", error);
    ck_assert_msg(h.version == 1 && h.ndim == 2 && h.shape[0] == 3 && h.shape[1] == 2 && h.count == 6 && h.data_offset == 128,
                  "version %d, %d dims, %lld x %lld, %llu floats at %llu", h.version, h.ndim, (long long)h.shape[0],
                  (long long)h.shape[1], (unsigned long long)h.count, (unsigned long long)h.data_offset);
    const char v2[] = "\x93NUMPY\x02\x00\x3a\x00\x00\x00{'descr':'<f4','fortran_order':False,'shape':(2L,),}     \n";
    ck_assert_msg(read_npy(npy_file("v2.npy", v2, sizeof v2 - 1, 8), &h, error, sizeof error), "%s", error);
    ck_assert(h.version == 2 && h.ndim == 1 && h.count == 2);
    const char scalar[] = "\x93NUMPY\x03\x00\x36\x00\x00\x00{\"descr\": \"<f4\", \"fortran_order\": False, \"shape\": ()}\n";
    ck_assert_msg(read_npy(npy_file("v3.npy", scalar, sizeof scalar - 1, 4), &h, error, sizeof error), "%s", error);
    ck_assert(h.ndim == 0 && h.count == 1);
    assert_npy_error("{'descr': '>f4', 'fortran_order': False, 'shape': (2,), }\n", 8, "descr '<f4'");
    assert_npy_error("{'descr': '<f8', 'fortran_order': False, 'shape': (2,), }\n", 16, "descr '<f4'");
    assert_npy_error("{'descr': '<f4', 'fortran_order': True, 'shape': (2,), }\n", 8, "fortran_order False");
    assert_npy_error("{'descr': '<f4', 'fortran_order': False, 'shape': (2,), }\n", 7, "truncated");
    assert_npy_error("{'descr': '<f4', 'fortran_order': False, 'shape': (2,), }\n", 9, "wrong size");
    assert_npy_error("{'descr': '<f4', 'fortran_order': False, }\n", 4, "all of 'descr'");
    assert_npy_error("{'descr': '<f4', 'descr': '<f4', 'shape': (1,)}\n", 4, "each once");
    assert_npy_error("{'descr': '<f4', 'fortran_order': False, 'shape': (-1,), }\n", 4, "a dimension");
    assert_npy_error("{'descr': '<f4', 'fortran_order': False, 'shape': (1099511627777,), }\n", 4, "a dimension");
    assert_npy_error("{'descr': '<f4', 'fortran_order': False, 'shape': (1099511627776, 1099511627776), }\n", 4, "fewer than 2^60");
    assert_npy_error("{'descr': '<f4', 'fortran_order': False, 'shape': (1, 2}\n", 4, "',' or ')'");
    assert_npy_error("{'descr': '<f4', 'fortran_order': False, 'shape': (1,), } x\n", 4, "a final newline");
    assert_npy_error("{'descr': '<f4', 'fortran_order': False, 'shape': (1,), }", 4, "a final newline");
    assert_npy_error("{'descr': '<f4', 'fortran_order': False, 'shape': (1,), 'x': 1}\n", 4, "each once");
    const char bad_version[] = "\x93NUMPY\x04\x00\x00\x00";
    ck_assert(!read_npy(npy_file("v4.npy", bad_version, 10, 0), &h, error, sizeof error));
    ck_assert_ptr_nonnull(strstr(error, "version: expected 1.0, 2.0 or 3.0, found 4.0"));
    ck_assert(!read_npy(npy_file("magic.npy", "PK\x03\x04 not numpy", 14, 0), &h, error, sizeof error));
    ck_assert_ptr_nonnull(strstr(error, "not a .npy file"));
    const char long_header[] = "\x93NUMPY\x01\x00\xff\xff";
    ck_assert(!read_npy(npy_file("long.npy", long_header, 10, 100), &h, error, sizeof error));
    ck_assert_ptr_nonnull(strstr(error, "header length"));
    remove(path);
}
END_TEST

// A safetensors file: 8-byte length, the header text, then data_bytes bytes.
static const char *safetensors_file(const char *header, long data_bytes, long declared_extra) {
    const char *path = temp_file("t.safetensors");
    FILE *f = fopen(path, "wb");
    uint64_t n = strlen(header) + (uint64_t)declared_extra;
    for (int i = 0; i < 8; i++) fputc((int)(n >> (8 * i)) & 0xFF, f);
    fputs(header, f);
    for (long i = 0; i < data_bytes; i++) fputc(0, f);
    fclose(f);
    return path;
}

static bool read_safetensors(const char *path, Safetensors *st, char *error, size_t error_len) {
    FILE *f = fopen(path, "rb");
    bool ok = safetensors_read_header(f, path, file_size_of(f), st, error, error_len);
    fclose(f);
    return ok;
}

static void assert_safetensors_error(const char *header, long data_bytes, long declared_extra, const char *message) {
    Safetensors st;
    char error[512] = "";
    ck_assert_msg(!read_safetensors(safetensors_file(header, data_bytes, declared_extra), &st, error, sizeof error),
                  "accepted: %s", header);
    ck_assert_msg(strstr(error, message) != NULL, "expected '%s' in: %s", message, error);
}

START_TEST(test_safetensors_headers) {
    const char *path = temp_file("w.safetensors");
    float a[6] = {1, 2, 3, 4, 5, 6}, b[2] = {-1, 0.5f};
    SafetensorsTensor tensors[2] = {{"a.weight", 2, {2, 3}, a}, {"b", 1, {2}, b}};
    FILE *f = fopen(path, "wb");
    ck_assert(safetensors_write(f, tensors, 2));
    fclose(f);
    Safetensors st;
    char error[512];
    ck_assert_msg(read_safetensors(path, &st, error, sizeof error), "%s", error);
    ck_assert_int_eq(st.count, 2);
    ck_assert_uint_eq(st.data_start % 8, 0);
    const SafetensorsEntry *e = safetensors_find(&st, "b");
    ck_assert(e != NULL && e->ndim == 1 && e->shape[0] == 2 && e->begin == 24 && e->end == 32 && strcmp(e->dtype, "F32") == 0);
    f = fopen(path, "rb");
    float back[2];
    fseek(f, (long)(st.data_start + e->begin), SEEK_SET);
    ck_assert(read_floats_le(f, back, 2) && back[0] == -1.0f && back[1] == 0.5f);
    fclose(f);
    safetensors_free(&st);
    remove(path);
    const char *one = "{\"x\": {\"dtype\": \"F32\", \"shape\": [2], \"data_offsets\": [0, 8]}}";
    assert_safetensors_error(one, 4, 0, "the tensors' data end at byte 8 of the data area, the file has 4 bytes there (truncated)");
    assert_safetensors_error(one, 12, 0, "unused bytes at the end");
    assert_safetensors_error(one, 8, 1000, "header length: expected 2 to");
    assert_safetensors_error("[1]", 0, 0, "the header must start with '{'");
    assert_safetensors_error("{\"x\": {\"dtype\": \"F32\", \"shape\": [3], \"data_offsets\": [0, 8]}}", 8, 0,
                             "tensor \"x\": data_offsets: 8 bytes, but the shape and dtype need 12");
    assert_safetensors_error("{\"x\": {\"dtype\": \"Q4\", \"shape\": [2], \"data_offsets\": [0, 8]}}", 8, 0, "dtype: expected F32");
    assert_safetensors_error("{\"x\": {\"dtype\": \"F32\", \"shape\": [-2], \"data_offsets\": [0, 8]}}", 8, 0, "shape: expected");
    assert_safetensors_error("{\"x\": {\"dtype\": \"F32\", \"shape\": [2], \"data_offsets\": [8, 0]}}", 8, 0, "begin <= end");
    assert_safetensors_error("{\"x\": {\"dtype\": \"F32\", \"shape\": [2]}}", 8, 0, "exactly \"dtype\", \"shape\" and \"data_offsets\"");
    assert_safetensors_error("{\"x\": {\"dtype\": \"F32\", \"shape\": [2], \"data_offsets\": [0, 8], \"y\": 1}}", 8, 0, "exactly");
    assert_safetensors_error("{\"x\": {\"dtype\": \"F32\", \"shape\": [2], \"data_offsets\": [0, 8]}, "
                             "\"y\": {\"dtype\": \"F32\", \"shape\": [1], \"data_offsets\": [4, 8]}}", 8, 0, "overlap");
    assert_safetensors_error("{\"x\": {\"dtype\": \"F32\", \"shape\": [1], \"data_offsets\": [4, 8]}}", 8, 0, "a hole");
    assert_safetensors_error("{\"__metadata__\": {\"format\": 1}}", 0, 0, "__metadata__: expected an object of strings");
    assert_safetensors_error("{\"a\\u0000b\": {\"dtype\": \"F32\", \"shape\": [], \"data_offsets\": [0, 4]}}", 4, 0, "none of them NUL");
    assert_safetensors_error("{\"x\": {\"dtype\": \"F32\", \"shape\": [1099511627776, 1099511627776], \"data_offsets\": [0, 8]}}", 8, 0,
                             "more than 2^60 elements");
    ck_assert(!read_safetensors(safetensors_file("", 0, -2), &st, error, sizeof error));  // 8 bytes saying 2^64 - 2
    ck_assert_ptr_nonnull(strstr(error, "header length"));
}
END_TEST

Suite *formats_suite(void) {
    Suite *s = suite_create("formats");
    TCase *tc = tcase_create("formats");
    tcase_add_test(tc, test_json_values);
    tcase_add_test(tc, test_json_errors);
    tcase_add_test(tc, test_npy_headers);
    tcase_add_test(tc, test_safetensors_headers);
    suite_add_tcase(s, tc);
    return s;
}
