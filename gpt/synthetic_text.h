// Made-up training texts in which particular attention heads pay off, for watching
// attention learn (docs/pictures.md). `gpt pretrain --data synthetic:NAME` trains on
// one. Each is generated from a fixed seed of the project's PRNG, so every machine
// trains on the same bytes; the letters are random, so nothing but the structure of
// the lines can be learnt:
//
//   previous   lines of two letters taking turns, "qwqwqwqw": the next letter is the
//              one before the current one, so a head that looks at the previous token
//              and copies it pays.
//   induction  two lines in three like those, and one of a random word of 4 to 10
//              different letters written three times, "hdkzvn hdkzvn hdkzvn": from the
//              second time on, the next letter is the one that followed the current
//              letter last time. A head in the second block that looks there (an
//              induction head) pays, once a head in the first block tells every
//              position which letter came before it (a previous-token head), which
//              the pair lines teach first.
#ifndef GPT1_SYNTHETIC_TEXT_H
#define GPT1_SYNTHETIC_TEXT_H

#include <stddef.h>

enum { SYNTHETIC_TEXT_BYTES = 300000 };  // about; the last line is whole

// The text called `name` (malloc'ed, NUL-terminated, *len bytes), or NULL when there
// is no synthetic text of that name. Aborts when out of memory.
char *synthetic_text(const char *name, size_t *len);
// Their names, for messages: "previous, induction".
const char *synthetic_text_names(void);

#endif
