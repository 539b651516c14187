// A recursive-descent JSON parser into a flat node array (json.h says what it accepts).
#include "gpt/io/json.h"

#include "gpt/io/printable.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { MAX_NUMBER_CHARS = 320 };

typedef struct Parser {
    Json *json;
    const unsigned char *text;
    size_t len, at;
    int line;
    size_t line_start;   // offset of the current line's first byte
    char *error;
    size_t error_len;
    bool failed;
} Parser;

// "the end of the file", "'x'" or "byte 0x93": what stands at the current position.
static const char *found_here(const Parser *p, char *out, size_t size) {
    if (p->at >= p->len) return "the end of the file";
    unsigned char c = p->text[p->at];
    if (c >= 0x20 && c < 0x7F) snprintf(out, size, "'%c'", c);
    else snprintf(out, size, "byte 0x%02X", c);
    return out;
}

static bool json_fail(Parser *p, const char *expected) {
    if (p->failed) return false;
    char found[32];
    snprintf(p->error, p->error_len, "%s: line %d, column %zu: expected %s, found %s", p->json->name, p->line,
             p->at - p->line_start + 1, expected, found_here(p, found, sizeof found));
    p->failed = true;
    return false;
}

static int peek_byte(const Parser *p) { return p->at < p->len ? p->text[p->at] : -1; }

static void skip_space(Parser *p) {
    while (p->at < p->len) {
        unsigned char c = p->text[p->at];
        if (c != ' ' && c != '\t' && c != '\n' && c != '\r') return;
        p->at++;
        if (c == '\n') p->line++, p->line_start = p->at;
    }
}

static bool grow(void **items, size_t *capacity, size_t needed, size_t item_size) {
    if (needed <= *capacity) return true;
    size_t bigger = *capacity ? *capacity : 256;
    while (bigger < needed) {
        if (bigger > SIZE_MAX / 2 / item_size) return false;
        bigger *= 2;
    }
    void *grown = realloc(*items, bigger * item_size);
    if (grown == NULL) return false;
    *items = grown;
    *capacity = bigger;
    return true;
}

static int new_node(Parser *p, JsonType type) {
    Json *j = p->json;
    size_t capacity = (size_t)j->capacity;
    if ((size_t)j->count + 1 > (size_t)INT32_MAX ||
        !grow((void **)&j->nodes, &capacity, (size_t)j->count + 1, sizeof *j->nodes)) {
        json_fail(p, "a smaller file (out of memory for its values)");
        return -1;
    }
    j->capacity = capacity > (size_t)INT32_MAX ? INT32_MAX : (int)capacity;
    JsonNode *n = &j->nodes[j->count];
    memset(n, 0, sizeof *n);
    n->type = type;
    n->first_child = n->next = -1;
    n->line = p->line;
    n->column = (int)(p->at - p->line_start + 1);
    return j->count++;
}

static bool pool_append(Parser *p, const void *bytes, size_t n) {
    Json *j = p->json;
    if (!grow((void **)&j->strings, &j->strings_capacity, j->strings_used + n + 1, 1)) {
        json_fail(p, "a smaller file (out of memory for its strings)");
        return false;
    }
    memcpy(j->strings + j->strings_used, bytes, n);
    j->strings_used += n;
    return true;
}

static void put_utf8(unsigned char *out, int *n, uint32_t c) {
    if (c < 0x80) out[(*n)++] = (unsigned char)c;
    else if (c < 0x800) out[(*n)++] = (unsigned char)(0xC0 | c >> 6), out[(*n)++] = (unsigned char)(0x80 | (c & 0x3F));
    else if (c < 0x10000) {
        out[(*n)++] = (unsigned char)(0xE0 | c >> 12);
        out[(*n)++] = (unsigned char)(0x80 | (c >> 6 & 0x3F));
        out[(*n)++] = (unsigned char)(0x80 | (c & 0x3F));
    } else {
        out[(*n)++] = (unsigned char)(0xF0 | c >> 18);
        out[(*n)++] = (unsigned char)(0x80 | (c >> 12 & 0x3F));
        out[(*n)++] = (unsigned char)(0x80 | (c >> 6 & 0x3F));
        out[(*n)++] = (unsigned char)(0x80 | (c & 0x3F));
    }
}

// Four hex digits after "\u"; -1 when they are not there.
static long hex4(Parser *p) {
    if (p->len - p->at < 4) return -1;
    long v = 0;
    for (int i = 0; i < 4; i++) {
        int c = p->text[p->at + (size_t)i];
        int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
        if (d < 0) return -1;
        v = v * 16 + d;
    }
    p->at += 4;
    return v;
}

// "\uXXXX", with a surrogate pair as one code point; p->at is just after the 'u'.
static bool unicode_escape(Parser *p, unsigned char *out, int *n) {
    long c = hex4(p);
    if (c < 0) return json_fail(p, "four hex digits after \\u");
    if (c >= 0xDC00 && c <= 0xDFFF) return json_fail(p, "a \\u escape that is not a lone low surrogate");
    if (c >= 0xD800 && c <= 0xDBFF) {
        if (p->len - p->at < 2 || p->text[p->at] != '\\' || p->text[p->at + 1] != 'u')
            return json_fail(p, "a low surrogate \\uDC00-\\uDFFF after a high surrogate");
        p->at += 2;
        long low = hex4(p);
        if (low < 0xDC00 || low > 0xDFFF) return json_fail(p, "a low surrogate \\uDC00-\\uDFFF after a high surrogate");
        c = 0x10000 + ((c - 0xD800) << 10) + (low - 0xDC00);
    }
    put_utf8(out, n, (uint32_t)c);
    return true;
}

static bool escape(Parser *p, unsigned char *out, int *n) {
    int c = peek_byte(p);
    const char *simple = "\"\\/bfnrt", *meaning = "\"\\/\b\f\n\r\t";
    const char *found = c > 0 ? strchr(simple, c) : NULL;
    p->at++;
    if (found != NULL) {
        out[(*n)++] = (unsigned char)meaning[found - simple];
        return true;
    }
    if (c == 'u') return unicode_escape(p, out, n);
    p->at--;
    json_fail(p, "an escape \\\" \\\\ \\/ \\b \\f \\n \\r \\t or \\uXXXX");
    return false;
}

// The length of the valid UTF-8 sequence at s[0..available): 0 when there is none.
static size_t utf8_length(const unsigned char *s, size_t available) {
    size_t n;
    uint32_t c, smallest;
    if (s[0] < 0x80) return 1;
    if (s[0] >= 0xC2 && s[0] <= 0xDF) n = 2, c = s[0] & 0x1Fu, smallest = 0x80;
    else if (s[0] >= 0xE0 && s[0] <= 0xEF) n = 3, c = s[0] & 0x0Fu, smallest = 0x800;
    else if (s[0] >= 0xF0 && s[0] <= 0xF4) n = 4, c = s[0] & 0x07u, smallest = 0x10000;
    else return 0;
    if (n > available) return 0;
    for (size_t i = 1; i < n; i++) {
        if ((s[i] & 0xC0) != 0x80) return 0;
        c = c << 6 | (s[i] & 0x3Fu);
    }
    return c < smallest || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF) ? 0 : n;
}

// A string at p->at ('"'); its decoded bytes go to the pool, NUL-terminated.
static bool parse_string(Parser *p, size_t *start, size_t *length) {
    if (peek_byte(p) != '"') return json_fail(p, "a string");
    p->at++;
    *start = p->json->strings_used;
    for (;;) {
        int c = peek_byte(p);
        unsigned char buf[8];
        int n = 0;
        if (c < 0) return json_fail(p, "the closing '\"' of the string");
        if (c == '"') break;
        if (c < 0x20) return json_fail(p, "a string without control characters (escape them)");
        if (c == '\\') {
            p->at++;
            if (!escape(p, buf, &n)) return false;
        } else {
            size_t seq = utf8_length(p->text + p->at, p->len - p->at);
            if (seq == 0) return json_fail(p, "valid UTF-8 in the string");
            memcpy(buf, p->text + p->at, seq);
            n = (int)seq;
            p->at += seq;
        }
        if (!pool_append(p, buf, (size_t)n)) return false;
    }
    p->at++;
    *length = p->json->strings_used - *start;
    p->json->strings[p->json->strings_used++] = '\0';  // pool_append kept room for it
    return true;
}

static size_t digits(const Parser *p, size_t at) {
    while (at < p->len && p->text[at] >= '0' && p->text[at] <= '9') at++;
    return at;
}

// Where the number at p->at ends, by the grammar -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?;
// 0 when it breaks the grammar. *integer: no fraction and no exponent.
static size_t number_end(const Parser *p, bool *integer) {
    size_t at = p->at;
    if (at < p->len && p->text[at] == '-') at++;
    size_t int_start = at;
    at = digits(p, at);
    if (at == int_start || (p->text[int_start] == '0' && at - int_start > 1)) return 0;
    *integer = true;
    if (at < p->len && p->text[at] == '.') {
        size_t frac_start = ++at;
        if ((at = digits(p, at)) == frac_start) return 0;
        *integer = false;
    }
    if (at < p->len && (p->text[at] == 'e' || p->text[at] == 'E')) {
        if (++at < p->len && (p->text[at] == '+' || p->text[at] == '-')) at++;
        size_t exp_start = at;
        if ((at = digits(p, at)) == exp_start) return 0;
        *integer = false;
    }
    return at;
}

// The decimal integer text as an int64, when it fits.
static bool int64_value(const char *text, int64_t *value) {
    bool negative = text[0] == '-';
    uint64_t v = 0, limit = negative ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX;
    for (const char *d = text + negative; *d; d++) {
        if (v > (limit - (uint64_t)(*d - '0')) / 10) return false;
        v = v * 10 + (uint64_t)(*d - '0');
    }
    *value = negative ? (int64_t)(0 - v) : (int64_t)v;
    return true;
}

static bool json_number(Parser *p, JsonNode *node) {
    bool integer = false;
    size_t end = number_end(p, &integer);
    if (end == 0) return json_fail(p, "a number such as 12, -3, 0.5 or 1e-5");
    if (end - p->at > MAX_NUMBER_CHARS) return json_fail(p, "a number of at most 320 characters");
    char text[MAX_NUMBER_CHARS + 1];
    memcpy(text, p->text + p->at, end - p->at);
    text[end - p->at] = '\0';
    node->number = strtod(text, NULL);
    if (!isfinite(node->number)) return json_fail(p, "a number within the range of a double");
    node->is_integer = integer && int64_value(text, &node->integer);
    p->at = end;
    return true;
}

static bool literal(Parser *p, const char *word) {
    size_t n = strlen(word);
    if (p->len - p->at >= n && memcmp(p->text + p->at, word, n) == 0) {
        p->at += n;
        return true;
    }
    json_fail(p, "a value: an object, an array, a string, a number, true, false or null");
    return false;
}

static int parse_value(Parser *p, int depth);

static void link_child(Json *j, int parent, int child, int *last) {
    if (*last < 0) j->nodes[parent].first_child = child;
    else j->nodes[*last].next = child;
    *last = child;
    j->nodes[parent].n_children++;
}

typedef struct KeyRef {
    const char *key;
    size_t length;
    int node;
} KeyRef;

static int compare_keys(const void *a, const void *b) {
    const KeyRef *x = a, *y = b;
    size_t n = x->length < y->length ? x->length : y->length;
    int c = memcmp(x->key, y->key, n);
    if (c != 0) return c;
    if (x->length != y->length) return x->length < y->length ? -1 : 1;
    return (x->node > y->node) - (x->node < y->node);
}

// A key given twice in one object is an error: which of the two would count?
static bool check_unique_keys(Parser *p, int object) {
    Json *j = p->json;
    int n = j->nodes[object].n_children;
    if (n < 2) return true;
    KeyRef *keys = malloc(sizeof *keys * (size_t)n);
    if (keys == NULL) return json_fail(p, "a smaller file (out of memory)");
    int i = 0;
    for (int c = j->nodes[object].first_child; c >= 0; c = j->nodes[c].next, i++)
        keys[i] = (KeyRef){j->strings + j->nodes[c].key, j->nodes[c].key_length, c};
    qsort(keys, (size_t)n, sizeof *keys, compare_keys);
    bool ok = true;
    for (i = 1; i < n && ok; i++) {
        if (keys[i].length != keys[i - 1].length || memcmp(keys[i].key, keys[i - 1].key, keys[i].length) != 0) continue;
        const JsonNode *second = &j->nodes[keys[i].node];
        char key[PRINTABLE_SIZE];
        snprintf(p->error, p->error_len, "%s: line %d, column %d: the key \"%s\" appears twice in one object",
                 j->name, second->line, second->column, printable(keys[i].key, keys[i].length, 60, key, sizeof key));
        p->failed = true;
        ok = false;
    }
    free(keys);
    return ok;
}

static int parse_members(Parser *p, int object, int depth) {
    int last = -1;
    for (;;) {
        skip_space(p);
        size_t key, key_length;
        if (!parse_string(p, &key, &key_length)) return -1;
        skip_space(p);
        if (peek_byte(p) != ':') {
            json_fail(p, "':' after the object key");
            return -1;
        }
        p->at++;
        int child = parse_value(p, depth + 1);
        if (child < 0) return -1;
        p->json->nodes[child].key = key, p->json->nodes[child].key_length = key_length;
        link_child(p->json, object, child, &last);
        skip_space(p);
        if (peek_byte(p) == '}') break;
        if (peek_byte(p) != ',') {
            json_fail(p, "',' or '}' after an object member");
            return -1;
        }
        p->at++;
    }
    p->at++;
    return check_unique_keys(p, object) ? object : -1;
}

static int parse_object(Parser *p, int depth) {
    int object = new_node(p, JSON_OBJECT);
    if (object < 0) return -1;
    p->at++;
    skip_space(p);
    if (peek_byte(p) == '}') {
        p->at++;
        return object;
    }
    return parse_members(p, object, depth);
}

static int parse_array(Parser *p, int depth) {
    int array = new_node(p, JSON_ARRAY);
    if (array < 0) return -1;
    p->at++;
    skip_space(p);
    if (peek_byte(p) == ']') {
        p->at++;
        return array;
    }
    int last = -1;
    for (;;) {
        int child = parse_value(p, depth + 1);
        if (child < 0) return -1;
        link_child(p->json, array, child, &last);
        skip_space(p);
        if (peek_byte(p) == ']') break;
        if (peek_byte(p) != ',') {
            json_fail(p, "',' or ']' after an array element");
            return -1;
        }
        p->at++;
    }
    p->at++;
    return array;
}

static int parse_scalar(Parser *p, int c) {
    int index = new_node(p, JSON_NULL);
    if (index < 0) return -1;
    JsonNode *node = &p->json->nodes[index];
    bool ok;
    if (c == '"') {
        node->type = JSON_STRING;
        size_t start, length;
        ok = parse_string(p, &start, &length);
        node = &p->json->nodes[index];  // the pool grew, not the nodes: still valid
        node->string = start, node->string_length = length;
    } else if (c == '-' || (c >= '0' && c <= '9')) {
        node->type = JSON_NUMBER;
        ok = json_number(p, node);
    } else if (c == 't' || c == 'f') {
        node->type = JSON_BOOL;
        node->boolean = c == 't';
        ok = literal(p, c == 't' ? "true" : "false");
    } else {
        ok = literal(p, "null");
    }
    return ok ? index : -1;
}

static int parse_value(Parser *p, int depth) {
    skip_space(p);
    if (depth > JSON_MAX_DEPTH) {
        json_fail(p, "at most 64 levels of nested arrays and objects");
        return -1;
    }
    int c = peek_byte(p);
    if (c == '{') return parse_object(p, depth);
    if (c == '[') return parse_array(p, depth);
    return parse_scalar(p, c);
}

bool json_parse(Json *json, const char *name, const char *text, size_t len, char *error, size_t error_len) {
    memset(json, 0, sizeof *json);
    json->name = name;
    Parser p = {.json = json, .text = (const unsigned char *)text, .len = text ? len : 0, .line = 1,
                .error = error, .error_len = error_len};
    if (p.len >= 3 && memcmp(p.text, "\xEF\xBB\xBF", 3) == 0) json_fail(&p, "JSON text (not a byte-order mark)");
    if (!p.failed && parse_value(&p, 1) >= 0) {
        skip_space(&p);
        if (p.at < p.len) json_fail(&p, "nothing after the JSON value");
    }
    if (p.failed) {
        json_free(json);
        json->name = name;
        return false;
    }
    return true;
}

void json_free(Json *json) {
    free(json->nodes);
    free(json->strings);
    memset(json, 0, sizeof *json);
}

const JsonNode *json_root(const Json *json) { return json->count > 0 ? &json->nodes[0] : NULL; }

const JsonNode *json_first(const Json *json, const JsonNode *node) {
    return node->first_child >= 0 ? &json->nodes[node->first_child] : NULL;
}

const JsonNode *json_next(const Json *json, const JsonNode *node) {
    return node->next >= 0 ? &json->nodes[node->next] : NULL;
}

const JsonNode *json_member(const Json *json, const JsonNode *object, const char *key) {
    if (object == NULL || object->type != JSON_OBJECT) return NULL;
    size_t n = strlen(key);
    for (const JsonNode *c = json_first(json, object); c != NULL; c = json_next(json, c))
        if (c->key_length == n && memcmp(json->strings + c->key, key, n) == 0) return c;
    return NULL;
}

const char *json_string(const Json *json, const JsonNode *node, size_t *length) {
    if (length != NULL) *length = node->string_length;
    return json->strings + node->string;
}

const char *json_key(const Json *json, const JsonNode *node, size_t *length) {
    if (length != NULL) *length = node->key_length;
    return json->strings ? json->strings + node->key : "";
}

const char *json_type_name(JsonType type) {
    static const char *const names[] = {"null", "true or false", "a number", "a string", "an array", "an object"};
    return names[type];
}

size_t json_escape_string(char *out, const char *bytes, size_t length) {
    size_t n = 0;
    out[n++] = '"';
    for (size_t i = 0; i < length; i++) {
        unsigned char c = (unsigned char)bytes[i];
        if (c == '"' || c == '\\') out[n++] = '\\', out[n++] = (char)c;
        else if (c == '\n') out[n++] = '\\', out[n++] = 'n';
        else if (c == '\t') out[n++] = '\\', out[n++] = 't';
        else if (c == '\r') out[n++] = '\\', out[n++] = 'r';
        else if (c < 0x20) n += (size_t)sprintf(out + n, "\\u%04x", c);
        else out[n++] = (char)c;
    }
    out[n++] = '"';
    out[n] = '\0';
    return n;
}
