// A small, strict JSON reader (RFC 8259) for the files GPT-1's release and Hugging Face
// use: a vocabulary (an object of 40,478 token -> id members), the parameter shapes (an
// array of arrays), config.json and a safetensors header.
//
// The whole text is parsed into a flat array of nodes; children are linked through
// `first_child` and `next`. Strings are decoded (escapes, surrogate pairs) into one pool
// and NUL-terminated there, but keep their length: a key may hold a "\u0000".
// Anything that is not JSON is refused with one line naming the file, the line, the
// column, what was expected and what was found: invalid UTF-8, a control character in a
// string, a lone surrogate, a number that does not fit, a repeated key in one object,
// nesting deeper than JSON_MAX_DEPTH, or anything after the value.
#ifndef GPT1_JSON_H
#define GPT1_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum { JSON_MAX_DEPTH = 64, JSON_ERROR_SIZE = 320 };

typedef enum { JSON_NULL, JSON_BOOL, JSON_NUMBER, JSON_STRING, JSON_ARRAY, JSON_OBJECT } JsonType;

typedef struct JsonNode {
    JsonType type;
    bool boolean;          // JSON_BOOL
    bool is_integer;       // JSON_NUMBER written without fraction or exponent, within int64
    int64_t integer;       // when is_integer
    double number;         // JSON_NUMBER
    size_t string, string_length;  // JSON_STRING: its decoded bytes in Json.strings
    size_t key, key_length;        // a member of an object: its decoded key in Json.strings
    int n_children;        // JSON_ARRAY, JSON_OBJECT
    int first_child, next; // node indexes; -1 for none
    int line, column;      // where the value starts, for messages (from 1)
} JsonNode;

typedef struct Json {
    const char *name;      // the file, for messages
    JsonNode *nodes;       // nodes[0] is the root
    int count, capacity;
    char *strings;
    size_t strings_used, strings_capacity;
} Json;

// Parses text[0..len). On failure returns false, leaves json empty (nothing to free) and
// writes "NAME: line L, column C: expected X, found Y" to error.
bool json_parse(Json *json, const char *name, const char *text, size_t len, char *error, size_t error_len);
void json_free(Json *json);

const JsonNode *json_root(const Json *json);
const JsonNode *json_first(const Json *json, const JsonNode *node);  // first child, or NULL
const JsonNode *json_next(const Json *json, const JsonNode *node);   // next sibling, or NULL
const JsonNode *json_member(const Json *json, const JsonNode *object, const char *key);  // NULL: absent
const char *json_string(const Json *json, const JsonNode *node, size_t *length);
const char *json_key(const Json *json, const JsonNode *node, size_t *length);
const char *json_type_name(JsonType type);  // "an object", "a string", ...

// Writes bytes as a JSON string to out (room for 6·length + 3 bytes), quotes included and
// NUL-terminated: ", \ and control characters escaped, bytes >= 0x80 as they are (the
// caller passes valid UTF-8). Returns its length.
size_t json_escape_string(char *out, const char *bytes, size_t length);

#endif
