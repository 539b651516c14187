// gpt/task_data: the fine-tuning data readers. Every sample is written inline and
// reproduces the quirks of the real file it stands for (SST-2, SICK, MRPC, STS-B, Story
// Cloze; docs/task_formats.md), so the tests need no data set.
#define _POSIX_C_SOURCE 200809L  // mkstemp, fdopen
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "gpt/tasks/task_data.h"
#include "tests/helpers.h"

// Parses a NUL-terminated sample; the dataset must be freed by the caller.
static bool parse(TaskDataset *dataset, const char *name, const char *text, TaskReadOptions options) {
    return task_data_parse(dataset, name, text, strlen(text), &options);
}

// Parses a sample that must fail, and checks the whole message.
static void assert_error(const char *name, const char *text, TaskReadOptions options, const char *expected) {
    TaskDataset dataset;
    ck_assert_msg(!parse(&dataset, name, text, options), "%s: expected an error: %s", name, expected);
    ck_assert_str_eq(dataset.error, expected);
    ck_assert_int_eq(dataset.n_examples, 0);
    ck_assert_ptr_null(dataset.examples);
    ck_assert_ptr_null(dataset.label_names);
    task_dataset_free(&dataset);
}

static const TaskReadOptions CLASSIFY = {.format = TASK_FORMAT_TSV, .task = TASK_CLASSIFY};

// ---- The simple TSV -----------------------------------------------------------------

START_TEST(test_tsv_classify) {
    const char *text = "# text\tlabel\n"
                       "a fine film \tpos\n"
                       "  dull\tneg\n"
                       "#1 of the year\tpos\n"  // only the first line may be a comment
                       "\n\n";                   // trailing empty lines are ignored
    TaskDataset d;
    ck_assert_msg(parse(&d, "mine.tsv", text, CLASSIFY), "%s", d.error);
    ck_assert_int_eq(d.task, TASK_CLASSIFY);
    ck_assert_int_eq(d.format, TASK_FORMAT_TSV);
    ck_assert_int_eq(d.n_examples, 3);
    ck_assert_str_eq(d.examples[0].text[0], "a fine film");
    ck_assert_str_eq(d.examples[1].text[0], "dull");
    ck_assert_str_eq(d.examples[2].text[0], "#1 of the year");
    ck_assert_int_eq(d.examples[0].n_texts, 1);
    ck_assert_ptr_null(d.examples[0].text[1]);
    // Classes are numbered in sorted order: neg = 0, pos = 1.
    ck_assert_int_eq(d.n_labels, 2);
    ck_assert_str_eq(d.label_names[0], "neg");
    ck_assert_str_eq(d.label_names[1], "pos");
    ck_assert_int_eq(d.examples[0].label, 1);
    ck_assert_int_eq(d.examples[1].label, 0);
    ck_assert_int_eq(d.label_counts[0], 1);
    ck_assert_int_eq(d.label_counts[1], 2);
    ck_assert_int_eq(d.examples[1].line, 3);
    ck_assert_int_eq(d.n_skipped, 0);
    ck_assert_str_eq(d.error, "");
    task_dataset_free(&d);
}
END_TEST

// Integer labels sort by value (2 before 10), whatever order they appear in.
START_TEST(test_tsv_integer_labels_sort_numerically) {
    TaskDataset d;
    ck_assert_msg(parse(&d, "n.tsv", "a\t10\nb\t2\nc\t-1\nd\t2\n", CLASSIFY), "%s", d.error);
    ck_assert_int_eq(d.n_labels, 3);
    ck_assert_str_eq(d.label_names[0], "-1");
    ck_assert_str_eq(d.label_names[1], "2");
    ck_assert_str_eq(d.label_names[2], "10");
    ck_assert_int_eq(d.examples[0].label, 2);
    ck_assert_int_eq(d.examples[1].label, 1);
    ck_assert_int_eq(d.examples[2].label, 0);
    ck_assert_int_eq(d.label_counts[1], 2);
    task_dataset_free(&d);
}
END_TEST

// A dev file read with the train file's classes gets the same indices.
START_TEST(test_tsv_given_labels) {
    const char *const labels[] = {"neg", "neutral", "pos"};
    TaskReadOptions options = CLASSIFY;
    options.labels = labels;
    options.n_labels = 3;
    TaskDataset d;
    ck_assert_msg(parse(&d, "dev.tsv", "x\tpos\ny\tneg\n", options), "%s", d.error);
    ck_assert_int_eq(d.n_labels, 3);
    ck_assert_int_eq(d.examples[0].label, 2);
    ck_assert_int_eq(d.examples[1].label, 0);
    ck_assert_int_eq(d.label_counts[1], 0);
    task_dataset_free(&d);
    assert_error("dev.tsv", "x\tpos\ny\tbad\n", options,
                 "dev.tsv:2: field 2 (label): expected neg, neutral or pos, got \"bad\"");
}
END_TEST

START_TEST(test_tsv_entail_and_similar) {
    TaskDataset d;
    TaskReadOptions options = {.task = TASK_ENTAIL};  // format detected: no known header → simple TSV
    ck_assert_msg(parse(&d, "e.tsv", "A man sleeps.\tA person rests.\tentailment\n", options), "%s", d.error);
    ck_assert_int_eq(d.format, TASK_FORMAT_TSV);
    ck_assert_int_eq(d.examples[0].n_texts, 2);
    ck_assert_str_eq(d.examples[0].text[0], "A man sleeps.");
    ck_assert_str_eq(d.examples[0].text[1], "A person rests.");
    ck_assert_str_eq(d.label_names[0], "entailment");
    task_dataset_free(&d);

    options = (TaskReadOptions){.task = TASK_SIMILAR, .graded = true};
    ck_assert_msg(parse(&d, "s.tsv", "a\tb\t4.25\nc\td\t-1e-1\n", options), "%s", d.error);
    ck_assert(d.graded);
    ck_assert_int_eq(d.n_labels, 0);
    ck_assert_ptr_null(d.label_names);
    ck_assert_int_eq(d.examples[0].label, -1);
    ck_assert_float_eq_tol(d.examples[0].score, 4.25f, 1e-6f);
    ck_assert_float_eq_tol(d.examples[1].score, -0.1f, 1e-6f);
    task_dataset_free(&d);
    assert_error("s.tsv", "a\tb\t4.2x\n", options, "s.tsv:1: field 3 (label): expected a number, got \"4.2x\"");
    assert_error("s.tsv", "a\tb\tnan\n", options, "s.tsv:1: field 3 (label): expected a number, got \"nan\"");
    options.task = TASK_ENTAIL;
    assert_error("s.tsv", "a\tb\t1\n", options,
                 "s.tsv: graded (real-valued) labels are for the similar task only, not entail");
}
END_TEST

// Choice: context, N options, then the 1-based number of the right option.
START_TEST(test_tsv_choice) {
    TaskReadOptions options = {.format = TASK_FORMAT_TSV, .task = TASK_CHOICE};
    TaskDataset d;
    ck_assert_msg(parse(&d, "c.tsv", "ctx one\tA\tB\tC\t3\nctx two\tD\tE\tF\t1", options), "%s", d.error);
    ck_assert_int_eq(d.n_options, 3);
    ck_assert_int_eq(d.examples[0].n_texts, 4);
    ck_assert_str_eq(d.examples[0].text[0], "ctx one");
    ck_assert_str_eq(d.examples[0].text[3], "C");
    ck_assert_int_eq(d.examples[0].label, 2);
    ck_assert_int_eq(d.examples[1].label, 0);
    ck_assert_int_eq(d.n_labels, 3);
    ck_assert_str_eq(d.label_names[2], "3");
    ck_assert_int_eq(d.label_counts[2], 1);
    task_dataset_free(&d);
    assert_error("c.tsv", "x\tA\tB\t1\ny\tA\tB\tC\t1\n", options,
                 "c.tsv:2: wrong number of options: 3, but line 1 has 2; every example needs the same number");
    assert_error("c.tsv", "x\tA\t1\n", options,
                 "c.tsv:1: expected context<TAB>option 1<TAB>...<TAB>option N<TAB>label with 2 to 8 options, "
                 "got 3 fields");
    assert_error("c.tsv", "x\tA\tB\t0\n", options, "c.tsv:1: field 4 (label): expected 1 or 2, got \"0\"");
    assert_error("c.tsv", "x\tA\t\t1\n", options, "c.tsv:1: field 3 (option 2): empty, expected some text");
}
END_TEST

// ---- The real formats -----------------------------------------------------------------

// SST-2: a header, and a space before every tab.
START_TEST(test_sst2) {
    const char *text = "sentence\tlabel\n"
                       "hide new secretions from the parental units \t0\n"
                       "it 's a charming and often affecting journey . \t1\n";
    TaskDataset d;
    ck_assert_msg(parse(&d, "sst2/train.tsv", text, (TaskReadOptions){0}), "%s", d.error);
    ck_assert_int_eq(d.format, TASK_FORMAT_SST2);
    ck_assert_int_eq(d.task, TASK_CLASSIFY);
    ck_assert_int_eq(d.n_examples, 2);
    ck_assert_str_eq(d.examples[0].text[0], "hide new secretions from the parental units");
    ck_assert_int_eq(d.examples[0].label, 0);
    ck_assert_int_eq(d.examples[1].label, 1);
    ck_assert_str_eq(d.label_names[1], "1");
    ck_assert_int_eq(d.examples[1].line, 3);
    task_dataset_free(&d);
    assert_error("sst2.tsv", "sentence\tlabel\ngood \t2\n", (TaskReadOptions){0},
                 "sst2.tsv:2: field 2 (label): expected 0 or 1, got \"2\"");
}
END_TEST

// A sample file: the header line, then the rows; the caller frees it.
static char *with_header(const char *header, const char *rows) {
    char *text = malloc(strlen(header) + strlen(rows) + 1);
    strcpy(text, header);
    strcat(text, rows);
    return text;
}

static const char SICK_HEADER[] =
    "pair_ID\tsentence_A\tsentence_B\tentailment_label\trelatedness_score\tentailment_AB\tentailment_BA\t"
    "sentence_A_original\tsentence_B_original\tsentence_A_dataset\tsentence_B_dataset\tSemEval_set\n";

// SICK: 12 columns; entailment_label as classes, relatedness_score as a graded task.
START_TEST(test_sick) {
    char *text = with_header(SICK_HEADER,
        "1\tA group of kids is playing \tA group of boys is playing\tNEUTRAL\t4.5\tA_neutral_B\tB_neutral_A\t"
        "x\ty\tFLICKR\tFLICKR\tTRAIN\n"
        "2\tA man is sleeping\tNobody is sleeping\tCONTRADICTION\t3.6\tA_contradicts_B\tB_contradicts_A\t"
        "x\ty\tFLICKR\tFLICKR\tTRAIN\n");
    TaskDataset d;
    ck_assert_msg(parse(&d, "SICK_train.txt", text, (TaskReadOptions){0}), "%s", d.error);
    ck_assert_int_eq(d.format, TASK_FORMAT_SICK);
    ck_assert_int_eq(d.task, TASK_ENTAIL);
    ck_assert_str_eq(d.examples[0].text[0], "A group of kids is playing");
    ck_assert_str_eq(d.examples[0].text[1], "A group of boys is playing");
    ck_assert_int_eq(d.n_labels, 3);  // the documented order
    ck_assert_str_eq(d.label_names[0], "ENTAILMENT");
    ck_assert_str_eq(d.label_names[1], "NEUTRAL");
    ck_assert_str_eq(d.label_names[2], "CONTRADICTION");
    ck_assert_int_eq(d.examples[0].label, 1);
    ck_assert_int_eq(d.examples[1].label, 2);
    task_dataset_free(&d);

    ck_assert_msg(parse(&d, "SICK_train.txt", text, (TaskReadOptions){.task = TASK_SIMILAR}), "%s", d.error);
    ck_assert_int_eq(d.task, TASK_SIMILAR);
    ck_assert(d.graded);
    ck_assert_float_eq_tol(d.examples[0].score, 4.5f, 1e-6f);
    ck_assert_float_eq_tol(d.examples[1].score, 3.6f, 1e-6f);
    ck_assert_int_eq(d.examples[1].label, -1);
    task_dataset_free(&d);
    free(text);
}
END_TEST

// MRPC: byte-order mark, CRLF, a header, quotes that are just characters, and
// (here) no final line break.
START_TEST(test_mrpc) {
    const char *text = "\xEF\xBB\xBFQuality\t#1 ID\t#2 ID\t#1 String\t#2 String\r\n"
                       "1\t702876\t702977\tHe called \"the witness, of\tReferring to \"the witness\", Amrozi\r\n"
                       "0\t2108705\t2108831\tYucaipa owned Dominick's.\tYucaipa bought Dominick's in 1995.";
    TaskDataset d;
    ck_assert_msg(parse(&d, "msr_paraphrase_train.txt", text, (TaskReadOptions){0}), "%s", d.error);
    ck_assert_int_eq(d.format, TASK_FORMAT_MRPC);
    ck_assert_int_eq(d.task, TASK_SIMILAR);
    ck_assert(!d.graded);
    ck_assert_int_eq(d.n_examples, 2);
    ck_assert_str_eq(d.examples[0].text[0], "He called \"the witness, of");
    ck_assert_str_eq(d.examples[0].text[1], "Referring to \"the witness\", Amrozi");  // no '\r'
    ck_assert_str_eq(d.examples[1].text[1], "Yucaipa bought Dominick's in 1995.");
    ck_assert_int_eq(d.examples[0].label, 1);
    ck_assert_int_eq(d.examples[1].label, 0);
    task_dataset_free(&d);
}
END_TEST

// STS-B: no header (found by its file name), a score in field 5, some rows with two
// extra fields.
START_TEST(test_stsb) {
    const char *text = "main-captions\tMSRvid\t2012test\t0001\t5.000\tA plane is taking off.\t"
                       "An air plane is taking off.\n"
                       "main-news\theadlines\t2015\t0002\t0.500\t warmed.C from the year prior.\tOther \"text\"\t"
                       "Europe Media Monitor\tEurope Media Monitor\n";
    TaskDataset d;
    ck_assert_msg(parse(&d, "data/sts-train.csv", text, (TaskReadOptions){0}), "%s", d.error);
    ck_assert_int_eq(d.format, TASK_FORMAT_STSB);
    ck_assert(d.graded);
    ck_assert_int_eq(d.n_examples, 2);
    ck_assert_float_eq_tol(d.examples[0].score, 5.0f, 1e-6f);
    ck_assert_float_eq_tol(d.examples[1].score, 0.5f, 1e-6f);
    ck_assert_str_eq(d.examples[1].text[0], "warmed.C from the year prior.");
    ck_assert_str_eq(d.examples[1].text[1], "Other \"text\"");
    ck_assert_int_eq(d.examples[0].line, 1);
    task_dataset_free(&d);
    TaskReadOptions stsb = {.format = TASK_FORMAT_STSB};
    assert_error("dev", "g\ts\ty\t1\t5.5\ta\tb\n", stsb,
                 "dev:1: field 5 (score): expected a number from 0 to 5, got \"5.5\"");
    assert_error("dev", "g\ts\ty\t1\t5\ta\n", stsb,
                 "dev:1: expected at least 7 tab-separated fields (genre ... sentence2), got 6");
}
END_TEST

static const char STORYCLOZE_HEADER[] =
    "InputStoryid,InputSentence1,InputSentence2,InputSentence3,InputSentence4,"
    "RandomFifthSentenceQuiz1,RandomFifthSentenceQuiz2,AnswerRightEnding\n";

// Story Cloze: RFC-4180 quoting (embedded commas, doubled quotes), no final newline;
// context = the four sentences joined by spaces, AnswerRightEnding 1/2 → option 0/1.
START_TEST(test_storycloze) {
    char *text = with_header(STORYCLOZE_HEADER,
        "138d,Rick grew up.,\"He never found support, and turned to gangs.\",It was bad.,He changed.,"
        "He is happy now.,He joined a gang.,1\n"
        "bee2,Michelle found a cat.,She put up posters.,No one called.,She kept it.,"
        "She gave it away.,\"Michelle named the cat, \"\"Socks.\"\"\",2");
    TaskDataset d;
    ck_assert_msg(parse(&d, "cloze.csv", text, (TaskReadOptions){0}), "%s", d.error);
    ck_assert_int_eq(d.format, TASK_FORMAT_STORYCLOZE);
    ck_assert_int_eq(d.task, TASK_CHOICE);
    ck_assert_int_eq(d.n_options, 2);
    ck_assert_int_eq(d.n_examples, 2);
    ck_assert_str_eq(d.examples[0].text[0],
                     "Rick grew up. He never found support, and turned to gangs. It was bad. He changed.");
    ck_assert_str_eq(d.examples[0].text[1], "He is happy now.");
    ck_assert_str_eq(d.examples[0].text[2], "He joined a gang.");
    ck_assert_str_eq(d.examples[1].text[2], "Michelle named the cat, \"Socks.\"");
    ck_assert_int_eq(d.examples[0].label, 0);
    ck_assert_int_eq(d.examples[1].label, 1);
    ck_assert_int_eq(d.label_counts[0], 1);
    ck_assert_int_eq(d.label_counts[1], 1);
    task_dataset_free(&d);
    free(text);
}
END_TEST

START_TEST(test_storycloze_errors) {
    char *text = with_header(STORYCLOZE_HEADER, "a,b,c,d,e,f,g,3\n");
    assert_error("sc.csv", text, (TaskReadOptions){0},
                 "sc.csv:2: field 8 (AnswerRightEnding): expected 1 or 2, got \"3\"");
    free(text);
    text = with_header(STORYCLOZE_HEADER, "a,b,c,d,e,\"f \"quoted\" badly\",g,1\n");
    assert_error("sc.csv", text, (TaskReadOptions){0},
                 "sc.csv:2: field 6 (RandomFifthSentenceQuiz1): expected ',' or the end of the line after the closing "
                 "quote, got \"quoted\" badly\",g,1\" (a quote inside a quoted field must be doubled: \"\")");
    free(text);
    text = with_header(STORYCLOZE_HEADER, "a,b,c,d,e,f,g,1\na,b,\"c,d,e,f,g,1\na,b,c,d,e,f,g,1\n");
    assert_error("sc.csv", text, (TaskReadOptions){0},
                 "sc.csv:3: field 3 (InputSentence2): the quote opened on line 3 is never closed");
    free(text);
    text = with_header(STORYCLOZE_HEADER, "a,b,c,d,e,f,1\n");
    assert_error("sc.csv", text, (TaskReadOptions){0},
                 "sc.csv:2: expected 8 comma-separated fields (InputStoryid ... AnswerRightEnding), got 7");
    free(text);
}
END_TEST

// A quoted field may hold line breaks; the example starts on the record's first line.
START_TEST(test_csv_multiline_field) {
    char *text = with_header(STORYCLOZE_HEADER, "a,\"one\r\ntwo\",c,d,e,f,g,2\r\nb,b,c,d,e,f,g,1\r\n");
    TaskDataset d;
    ck_assert_msg(parse(&d, "sc.csv", text, (TaskReadOptions){0}), "%s", d.error);
    ck_assert_int_eq(d.n_examples, 2);
    ck_assert_str_eq(d.examples[0].text[0], "one\r\ntwo c d e");
    ck_assert_str_eq(d.examples[0].text[2], "g");
    ck_assert_int_eq(d.examples[0].line, 2);
    ck_assert_int_eq(d.examples[1].line, 4);
    task_dataset_free(&d);
    free(text);
}
END_TEST

// ---- Detection, names -------------------------------------------------------------

START_TEST(test_detection) {
    ck_assert_int_eq(task_format_detect("x", "sentence\tlabel\r\nfoo\t1\n", 22), TASK_FORMAT_SST2);
    ck_assert_int_eq(task_format_detect("x", SICK_HEADER, strlen(SICK_HEADER)), TASK_FORMAT_SICK);
    const char *mrpc = "\xEF\xBB\xBFQuality\t#1 ID\t#2 ID\t#1 String\t#2 String\r\n";
    ck_assert_int_eq(task_format_detect("x", mrpc, strlen(mrpc)), TASK_FORMAT_MRPC);
    ck_assert_int_eq(task_format_detect("x", STORYCLOZE_HEADER, strlen(STORYCLOZE_HEADER)), TASK_FORMAT_STORYCLOZE);
    ck_assert_int_eq(task_format_detect("/data/stsb/sts-dev.csv", "g\t", 2), TASK_FORMAT_STSB);
    ck_assert_int_eq(task_format_detect("sts-dev.tsv", "g\t", 2), TASK_FORMAT_TSV);
    ck_assert_int_eq(task_format_detect("sentences.tsv", "sentence\tlabel\tmore\n", 20), TASK_FORMAT_TSV);
    ck_assert_int_eq(task_format_detect("empty.tsv", "", 0), TASK_FORMAT_TSV);
    assert_error("mine.tsv", "a\tb\n", (TaskReadOptions){0},
                 "mine.tsv: not a known data set (SST-2, SICK, MRPC, STS-B, Story Cloze), and the simple TSV format "
                 "needs a task: classify, entail, similar or choice");
    assert_error("mine.tsv", "a\tb\n", (TaskReadOptions){.format = TASK_FORMAT_TSV},
                 "mine.tsv: the simple TSV format needs a task: classify, entail, similar or choice");
    assert_error("sst2.tsv", "sentence\tlabel\nx\t1\n", (TaskReadOptions){.task = TASK_ENTAIL},
                 "sst2.tsv: SST-2 files hold the classify task, not entail");
    assert_error("sick.txt", SICK_HEADER, (TaskReadOptions){.task = TASK_CHOICE},
                 "sick.txt: SICK files hold the entail or similar task, not choice");
}
END_TEST

START_TEST(test_names) {
    for (int f = 0; f < TASK_FORMAT_COUNT; f++) {
        TaskFormat format;
        ck_assert(task_format_from_name(task_format_name((TaskFormat)f), &format));
        ck_assert_int_eq(format, f);
    }
    for (int t = TASK_CLASSIFY; t <= TASK_CHOICE; t++) {
        TaskKind task;
        ck_assert(task_from_name(task_name((TaskKind)t), &task));
        ck_assert_int_eq(task, t);
    }
    TaskFormat format;
    TaskKind task;
    ck_assert(!task_format_from_name("csv", &format));
    ck_assert(!task_from_name("regress", &task));
    ck_assert_str_eq(task_format_name(TASK_FORMAT_STORYCLOZE), "storycloze");
}
END_TEST

// ---- Errors -----------------------------------------------------------------------

START_TEST(test_row_errors) {
    char *text = with_header(SICK_HEADER, "1\tA\tB\tMAYBE\t4.5\tx\tx\tx\tx\tx\tx\tTRAIN\n");
    assert_error("sick.txt", text, (TaskReadOptions){0},
                 "sick.txt:2: field 4 (entailment_label): expected ENTAILMENT, NEUTRAL or CONTRADICTION, "
                 "got \"MAYBE\"");
    free(text);
    text = with_header(SICK_HEADER, "1\tA\tB\tNEUTRAL\tlots\tx\tx\tx\tx\tx\tx\tTRAIN\n");
    assert_error("sick.txt", text, (TaskReadOptions){.task = TASK_SIMILAR},
                 "sick.txt:2: field 5 (relatedness_score): expected a number from 1 to 5, got \"lots\"");
    free(text);
    text = with_header(SICK_HEADER, "1\tA\tB\tNEUTRAL\t4.5\n");
    assert_error("sick.txt", text, (TaskReadOptions){0},
                 "sick.txt:2: expected 12 tab-separated fields (pair_ID ... SemEval_set), got 5");
    free(text);
    assert_error("t.tsv", "a\t1\nb\n", CLASSIFY, "t.tsv:2: expected 2 tab-separated fields (text, label), got 1");
    assert_error("t.tsv", "a\tb\t1\tx\n", (TaskReadOptions){.task = TASK_SIMILAR},
                 "t.tsv:1: expected 3 tab-separated fields (a, b, label), got 4");
    assert_error("t.tsv", "a\t1\n\nb\t1\n", CLASSIFY,
                 "t.tsv:2: empty line (only the end of the file may have empty lines)");
    assert_error("t.tsv", "a\t1\n \t0\n", CLASSIFY, "t.tsv:2: field 1 (text): empty, expected some text");
    assert_error("t.tsv", "a\t1\nb\t\n", CLASSIFY, "t.tsv:2: field 2 (label): empty, expected a label");
    assert_error("t.tsv", "a\t\n", (TaskReadOptions){.task = TASK_SIMILAR, .graded = true},
                 "t.tsv:1: expected 3 tab-separated fields (a, b, label), got 2");
    // A long bad value is cut short in the message.
    assert_error("sst2.tsv", "sentence\tlabel\nx\t0123456789012345678901234567890123456789xyz\n", (TaskReadOptions){0},
                 "sst2.tsv:2: field 2 (label): expected 0 or 1, got \"0123456789012345678901234567890123456...\"");
}
END_TEST

START_TEST(test_nul_byte_is_an_error) {
    const char text[] = "ok\t1\nbad\0text\t1\n";
    TaskDataset d;
    ck_assert(!task_data_parse(&d, "bin.tsv", text, sizeof text - 1, &CLASSIFY));
    ck_assert_str_eq(d.error, "bin.tsv:2: field 1 (text): contains a NUL byte (is this a text file?)");
    task_dataset_free(&d);
}
END_TEST

START_TEST(test_header_errors) {
    assert_error("x.tsv", "sentence\tlabels\nfoo\t1\n", (TaskReadOptions){.format = TASK_FORMAT_SST2},
                 "x.tsv:1: not the SST-2 header: field 2 should be \"label\", got \"labels\"");
    assert_error("x.tsv", "sentence\tlabel\tid\nfoo\t1\n", (TaskReadOptions){.format = TASK_FORMAT_SST2},
                 "x.tsv:1: not the SST-2 header: it has 3 fields, expected 2");
    assert_error("x.tsv", "sentence\n", (TaskReadOptions){.format = TASK_FORMAT_SST2},
                 "x.tsv:1: not the SST-2 header: field 2 should be \"label\", got nothing");
}
END_TEST

START_TEST(test_empty_files) {
    assert_error("e.tsv", "", CLASSIFY, "e.tsv: no examples: the file is empty");
    assert_error("e.tsv", "\n\r\n\n", CLASSIFY, "e.tsv: no examples: the file is empty");
    assert_error("e.tsv", "\xEF\xBB\xBF", CLASSIFY, "e.tsv: no examples: the file is empty");
    assert_error("e.tsv", "# text\tlabel\n", CLASSIFY, "e.tsv: no examples: the file has only its header line");
    assert_error("sst2.tsv", "sentence\tlabel\n", (TaskReadOptions){0},
                 "sst2.tsv: no examples: the file has only its header line");
    assert_error("sts-dev.csv", "", (TaskReadOptions){0}, "sts-dev.csv: no examples: the file is empty");
}
END_TEST

// skip_bad: bad rows are counted, the first one's message is kept, the rest is read.
START_TEST(test_skip_bad) {
    TaskReadOptions options = {.format = TASK_FORMAT_SST2, .skip_bad = true};
    const char *text = "sentence\tlabel\n"
                       "good \t1\n"
                       "no label\n"
                       "fine \t0\n"
                       "\n"
                       "odd \t7\n"
                       "last \t0";
    TaskDataset d;
    ck_assert_msg(parse(&d, "s.tsv", text, options), "%s", d.error);
    ck_assert_int_eq(d.n_examples, 3);
    ck_assert_int_eq(d.n_skipped, 3);
    ck_assert_str_eq(d.first_skipped, "s.tsv:3: expected 2 tab-separated fields (sentence, label), got 1");
    ck_assert_str_eq(d.examples[2].text[0], "last");
    ck_assert_int_eq(d.examples[2].line, 7);
    ck_assert_int_eq(d.label_counts[0], 2);
    task_dataset_free(&d);

    // A CSV row with broken quoting costs one row; reading goes on at the next line.
    options = (TaskReadOptions){.skip_bad = true};
    char *cloze = with_header(STORYCLOZE_HEADER, "a,b,\"c\"x,d,e,f,g,1\nb,b,c,d,e,f,g,2\n");
    ck_assert_msg(parse(&d, "sc.csv", cloze, options), "%s", d.error);
    ck_assert_int_eq(d.n_examples, 1);
    ck_assert_int_eq(d.n_skipped, 1);
    ck_assert_int_eq(d.examples[0].line, 3);
    task_dataset_free(&d);
    free(cloze);

    assert_error("s.tsv", "sentence\tlabel\nbad\nworse \t3\n", (TaskReadOptions){.skip_bad = true},
                 "s.tsv: no examples: all 2 rows are bad; the first: s.tsv:2: expected 2 tab-separated fields "
                 "(sentence, label), got 1");
}
END_TEST

// ---- Bytes ------------------------------------------------------------------------

// UTF-8 (and any other byte but tab, line break and NUL) passes through untouched.
START_TEST(test_non_ascii_passthrough) {
    const char *text = "caf\xC3\xA9 \xE2\x80\x94 na\xC3\xAFve\t\xE2\x9C\x93\n"
                       "\xFF\xFE raw bytes\t\xE2\x9C\x93\r\n";
    TaskDataset d;
    ck_assert_msg(parse(&d, "u.tsv", text, CLASSIFY), "%s", d.error);
    ck_assert_str_eq(d.examples[0].text[0], "caf\xC3\xA9 \xE2\x80\x94 na\xC3\xAFve");
    ck_assert_str_eq(d.examples[1].text[0], "\xFF\xFE raw bytes");
    ck_assert_str_eq(d.label_names[0], "\xE2\x9C\x93");
    ck_assert_int_eq(d.n_labels, 1);
    task_dataset_free(&d);
}
END_TEST

// ---- Files ------------------------------------------------------------------------

START_TEST(test_load_file) {
    char path[] = "/tmp/gpt1_task_data_XXXXXX";
    int fd = mkstemp(path);
    ck_assert_int_ge(fd, 0);
    FILE *file = fdopen(fd, "wb");
    fputs("sentence\tlabel\nfine \t1\n", file);
    fclose(file);
    TaskDataset d;
    ck_assert_msg(task_data_load(&d, path, NULL), "%s", d.error);
    ck_assert_int_eq(d.format, TASK_FORMAT_SST2);
    ck_assert_str_eq(d.examples[0].text[0], "fine");
    task_dataset_free(&d);
    remove(path);

    ck_assert(!task_data_load(&d, path, NULL));  // it is gone now
    char expected[600];
    snprintf(expected, sizeof expected, "%s: cannot open: %s", path, strerror(ENOENT));
    ck_assert_str_eq(d.error, expected);
    task_dataset_free(&d);
}
END_TEST

// ---- Split ------------------------------------------------------------------------

static TaskDataset numbered_dataset(int n) {
    size_t size = (size_t)n * 16 + 1;
    char *text = malloc(size), *end = text;
    for (int i = 0; i < n; i++) end += sprintf(end, "row%d\t%d\n", i, i % 3);
    TaskDataset d;
    ck_assert_msg(parse(&d, "n.tsv", text, CLASSIFY), "%s", d.error);
    free(text);
    return d;
}

static int row_number(const TaskExample *example) { return atoi(example->text[0] + 3); }

START_TEST(test_split) {
    TaskDataset all = numbered_dataset(100), train, dev;
    ck_assert(task_dataset_split(&all, 10, 42, &train, &dev));
    ck_assert_int_eq(all.n_examples, 0);
    ck_assert_ptr_null(all.examples);
    ck_assert_int_eq(train.n_examples, 90);
    ck_assert_int_eq(dev.n_examples, 10);
    ck_assert_int_eq(train.n_labels, 3);
    ck_assert_str_eq(dev.label_names[2], "2");
    int seen[100] = {0}, dev_rows[10];
    for (int i = 0; i < 90; i++) seen[row_number(&train.examples[i])]++;
    for (int i = 0; i < 10; i++) seen[dev_rows[i] = row_number(&dev.examples[i])]++;
    for (int i = 0; i < 100; i++) ck_assert_int_eq(seen[i], 1);  // every example in exactly one part
    for (int i = 1; i < 10; i++) ck_assert_int_lt(dev_rows[i - 1], dev_rows[i]);  // file order kept
    int dev_counts = dev.label_counts[0] + dev.label_counts[1] + dev.label_counts[2];
    ck_assert_int_eq(dev_counts, 10);
    ck_assert_int_eq(train.label_counts[0] + dev.label_counts[0], 34);
    task_dataset_free(&train);
    task_dataset_free(&dev);

    // The same seed gives the same dev set; another seed, another one.
    all = numbered_dataset(100);
    ck_assert(task_dataset_split(&all, 10, 42, &train, &dev));
    for (int i = 0; i < 10; i++) ck_assert_int_eq(row_number(&dev.examples[i]), dev_rows[i]);
    task_dataset_free(&train);
    task_dataset_free(&dev);
    all = numbered_dataset(100);
    ck_assert(task_dataset_split(&all, 10, 43, &train, &dev));
    bool same = true;
    for (int i = 0; i < 10; i++) same = same && row_number(&dev.examples[i]) == dev_rows[i];
    ck_assert(!same);
    task_dataset_free(&train);
    task_dataset_free(&dev);
}
END_TEST

START_TEST(test_split_errors) {
    TaskDataset all = numbered_dataset(5), train, dev;
    ck_assert(!task_dataset_split(&all, 5, 1, &train, &dev));
    ck_assert_str_eq(train.error, "cannot hold out 5 of 5 examples for dev: the dev size must be from 1 to 4");
    ck_assert(!task_dataset_split(&all, 0, 1, &train, &dev));
    ck_assert_int_eq(all.n_examples, 5);  // untouched on failure
    task_dataset_free(&train);
    task_dataset_free(&dev);
    task_dataset_free(&all);
}
END_TEST

START_TEST(test_split_graded) {
    TaskDataset all, train, dev;
    TaskReadOptions graded = {.task = TASK_SIMILAR, .graded = true};
    ck_assert_msg(parse(&all, "g.tsv", "a\tb\t1.5\nc\td\t2\ne\tf\t3\n", graded), "%s", all.error);
    ck_assert(task_dataset_split(&all, 1, 7, &train, &dev));
    ck_assert(dev.graded && train.graded);
    ck_assert_ptr_null(dev.label_names);
    ck_assert_int_eq(train.n_examples + dev.n_examples, 3);
    task_dataset_free(&train);
    task_dataset_free(&dev);
}
END_TEST

START_TEST(test_describe) {
    char *text = with_header(STORYCLOZE_HEADER, "a,b,c,d,e,f,g,1\nb,b,c,d,e,f,g,2\nc,b,c,d,e,f,g,2\n");
    TaskDataset d;
    ck_assert_msg(parse(&d, "sc.csv", text, (TaskReadOptions){0}), "%s", d.error);
    char line[256] = {0};
    FILE *out = tmpfile();
    task_dataset_describe(out, "sc.csv", &d);
    rewind(out);
    ck_assert_ptr_nonnull(fgets(line, sizeof line, out));
    fclose(out);
    ck_assert_str_eq(line, "sc.csv: storycloze, choice, 3 examples of 2 options; right option 1 1, 2 2\n");
    task_dataset_free(&d);
    free(text);
}
END_TEST

Suite *task_data_suite(void) {
    Suite *suite = suite_create("task_data");
    TCase *tsv = tcase_create("simple_tsv");
    tcase_add_test(tsv, test_tsv_classify);
    tcase_add_test(tsv, test_tsv_integer_labels_sort_numerically);
    tcase_add_test(tsv, test_tsv_given_labels);
    tcase_add_test(tsv, test_tsv_entail_and_similar);
    tcase_add_test(tsv, test_tsv_choice);
    suite_add_tcase(suite, tsv);
    TCase *real = tcase_create("real_formats");
    tcase_add_test(real, test_sst2);
    tcase_add_test(real, test_sick);
    tcase_add_test(real, test_mrpc);
    tcase_add_test(real, test_stsb);
    tcase_add_test(real, test_storycloze);
    tcase_add_test(real, test_storycloze_errors);
    tcase_add_test(real, test_csv_multiline_field);
    tcase_add_test(real, test_detection);
    tcase_add_test(real, test_names);
    suite_add_tcase(suite, real);
    TCase *errors = tcase_create("errors");
    tcase_add_test(errors, test_row_errors);
    tcase_add_test(errors, test_nul_byte_is_an_error);
    tcase_add_test(errors, test_header_errors);
    tcase_add_test(errors, test_empty_files);
    tcase_add_test(errors, test_skip_bad);
    tcase_add_test(errors, test_non_ascii_passthrough);
    tcase_add_test(errors, test_load_file);
    suite_add_tcase(suite, errors);
    TCase *split = tcase_create("split");
    tcase_add_test(split, test_split);
    tcase_add_test(split, test_split_errors);
    tcase_add_test(split, test_split_graded);
    tcase_add_test(split, test_describe);
    suite_add_tcase(suite, split);
    return suite;
}
