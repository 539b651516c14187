// A task example as token ids: the texts of a parsed example (task_data.h), each
// turned into a span of ids, with its label. The input transformations
// (gpt/task_inputs.h) frame these spans with the task tokens.
#ifndef GPT1_ENCODED_EXAMPLE_H
#define GPT1_ENCODED_EXAMPLE_H

// One text field of an example, already tokenized.
typedef struct TokenSpan {
    const int *ids;
    int n;
} TokenSpan;

enum { MAX_TASK_FIELDS = 9 };  // multiple choice: a context and up to 8 options (TASK_MAX_TEXTS)

// One example, tokenized. Fields: classify: text; entail: premise, hypothesis;
// similar: a, b; choice: context, option 1, ..., option K.
typedef struct EncodedExample {
    int n_fields;
    TokenSpan fields[MAX_TASK_FIELDS];
    int label;     // the class, or the index of the right option
    float target;  // the graded score (similarity regression)
} EncodedExample;

#endif
