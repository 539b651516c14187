// Class names ↔ class indices. Data sets have a handful of classes, so a linear
// search is both the simplest and fast enough.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gpt/tasks/task_loader.h"

static char *copy_label_name(const char *bytes, size_t len) {
    char *copy = malloc(len + 1);
    if (copy == NULL) return NULL;
    memcpy(copy, bytes, len);
    copy[len] = '\0';
    return copy;
}

int label_table_find(const LabelTable *table, const char *name, size_t len) {
    for (int i = 0; i < table->count; i++)
        if (strlen(table->names[i]) == len && memcmp(table->names[i], name, len) == 0) return i;
    return -1;
}

int label_table_add(LabelTable *table, const char *name, size_t len) {
    char **names = grow_buffer(table->names, &table->capacity, (size_t)table->count + 1, sizeof(char *));
    if (names == NULL) return -1;
    table->names = names;
    char *copy = copy_label_name(name, len);
    if (copy == NULL) return -1;
    table->names[table->count] = copy;
    return table->count++;
}

bool label_table_set(LabelTable *table, const char *const *names, int count) {
    for (int i = 0; i < count; i++)
        if (label_table_add(table, names[i], strlen(names[i])) < 0) return false;
    table->open = false;
    return true;
}

void label_table_free(LabelTable *table) {
    for (int i = 0; i < table->count; i++) free(table->names[i]);
    free(table->names);
    *table = (LabelTable){0};
}

// An optional minus sign and at least one digit: "0", "17", "-1".
static bool is_integer(const char *s) {
    if (*s == '-') s++;
    if (*s == '\0') return false;
    for (; *s; s++)
        if (*s < '0' || *s > '9') return false;
    return true;
}

// Compares integers by value without converting them (they may be any length):
// a shorter digit string is smaller, equal lengths compare like text.
static int compare_integers(const char *a, const char *b) {
    bool a_negative = *a == '-', b_negative = *b == '-';
    if (a_negative != b_negative) return a_negative ? -1 : 1;
    int sign = a_negative ? -1 : 1;
    size_t a_len = strlen(a), b_len = strlen(b);
    if (a_len != b_len) return a_len < b_len ? -sign : sign;
    return sign * strcmp(a, b);
}

static int compare_labels(const char *a, const char *b, bool numerically) {
    return numerically ? compare_integers(a, b) : strcmp(a, b);
}

bool label_table_sort(LabelTable *table, int **new_index) {
    int n = table->count;
    size_t bytes = sizeof(int) * (size_t)(n > 0 ? n : 1);
    char **sorted = malloc(sizeof(char *) * (size_t)(n > 0 ? n : 1));
    *new_index = malloc(bytes);
    if (sorted == NULL || *new_index == NULL) {
        free(sorted);
        free(*new_index);
        *new_index = NULL;
        return false;
    }
    bool numerically = true;
    for (int i = 0; i < n; i++) numerically = numerically && is_integer(table->names[i]);
    // Insertion sort: a few classes, and no global state as qsort's comparator would need.
    for (int i = 0; i < n; i++) {
        int j = i;
        for (; j > 0 && compare_labels(sorted[j - 1], table->names[i], numerically) > 0; j--) sorted[j] = sorted[j - 1];
        sorted[j] = table->names[i];
    }
    for (int rank = 0; rank < n; rank++) {
        int old_index = label_table_find(table, sorted[rank], strlen(sorted[rank]));
        (*new_index)[old_index] = rank;
    }
    memcpy(table->names, sorted, sizeof(char *) * (size_t)n);
    free(sorted);
    return true;
}

void label_table_describe(const LabelTable *table, char *out, size_t size) {
    size_t used = 0;
    out[0] = '\0';
    for (int i = 0; i < table->count && used < size; i++) {
        const char *joiner = i == 0 ? "" : i == table->count - 1 ? " or " : ", ";
        if (i == 8 && table->count > 9) {  // a long list helps nobody: show 8 and the count
            snprintf(out + used, size - used, ", ... (%d labels)", table->count);
            return;
        }
        int n = snprintf(out + used, size - used, "%s%s", joiner, table->names[i]);
        if (n < 0) return;
        used += (size_t)n;
    }
}
