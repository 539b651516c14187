// What gpt/import.c, import_release.c and import_hf.c share.
#ifndef GPT1_IMPORT_INTERNAL_H
#define GPT1_IMPORT_INTERNAL_H

#include "gpt/import.h"
#include "gpt/io/json.h"

typedef struct Importer {
    const char *dir;
    const ImportOptions *options;
    ImportReport *report;
    char *error;
    size_t error_len;
} Importer;

// A GptConfig from the sizes the files show, checked against the import limits.
bool import_config(Importer *im, const char *source, const int64_t sizes[5], int heads, Activation activation,
                   float dropout, GptConfig *config);
// The path DIR/name into out (4096 bytes); false (and a message) when it is too long.
bool import_path(Importer *im, const char *name, char *out);
// A small JSON file of DIR (at most 4 MB), parsed.
bool import_read_json(Importer *im, const char *name, Json *json, char *path);
void import_shape_text(const int64_t *dims, int ndim, char *out, size_t size);  // "[1, 768, 2304]"
// The first non-finite weight is an error naming the parameter.
bool import_check_finite(Importer *im, const Gpt *model, const char *source);

Gpt *import_release(Importer *im, Tokenizer *tokenizer);
Gpt *import_hugging_face(Importer *im, Tokenizer *tokenizer);

#endif
