// gpt import and gpt export (gpt/import*.c, gpt/export.c) on folders the tests write
// themselves in exactly the two formats of GPT-1's distributions (tests/gpt1_fixture.c),
// and the encode, decode, import and export commands. The comparison with PyTorch is
// tests/reference/check_import.py.
#define _POSIX_C_SOURCE 200809L

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "gpt/checkpoint.h"
#include "gpt/export.h"
#include "gpt/import.h"
#include "gpt/io/safetensors.h"
#include "tests/gpt1_fixture.h"
#include "tests/helpers.h"

static GptConfig small_config(void) {
    return (GptConfig){2, 16, 4, 64, 8, fixture_vocab_size(), ACTIVATION_GELU, 0.1f};
}

static const char *fresh_dir(const char *name) {
    const char *dir = temp_file(name);
    remove_directory(dir);
    mkdir(dir, 0777);
    return dir;
}

static Gpt *import_ok(const char *dir, int heads, Tokenizer *tokenizer, ImportReport *report) {
    char error[640];
    ImportOptions o = {.heads = heads};
    Gpt *model = gpt_import(dir, &o, tokenizer, report, error, sizeof error);
    ck_assert_msg(model != NULL, "%s", error);
    return model;
}

static void assert_import_error(const char *dir, int heads, const char *message) {
    char error[640] = "";
    ImportOptions o = {.heads = heads};
    Tokenizer tokenizer;
    ImportReport report;
    Gpt *model = gpt_import(dir, &o, &tokenizer, &report, error, sizeof error);
    if (model != NULL) gpt_free(model), tokenizer_free(&tokenizer);
    ck_assert_msg(model == NULL, "%s: imported, expected '%s'", dir, message);
    ck_assert_msg(strstr(error, message) != NULL, "expected '%s' in: %s", message, error);
}

// The release's folder: the configuration from the shapes, the weights bit for bit from
// shards cut inside arrays, GPT-1's tokenizer.
START_TEST(test_import_release_folder) {
    const char *dir = fresh_dir("release");
    GptConfig config = small_config();
    Gpt *written = fixture_model(&config, 7);
    write_fixture_vocab(dir, false);
    write_release_weights(dir, written, 3);
    Tokenizer tokenizer;
    ImportReport report;
    Gpt *model = import_ok(dir, 4, &tokenizer, &report);
    ck_assert(config_equal(&model->config, &config));
    ck_assert(same_weights(model, written));
    ck_assert(report.format == IMPORT_RELEASE && report.n_files == 3 && report.n_arrays == 26);
    ck_assert(tokenizer.kind == TOKENIZER_GPT1 && tokenizer.n_text_tokens == config.vocab_size);
    gpt_free(model), gpt_free(written), tokenizer_free(&tokenizer);
    remove_directory(dir);
}
END_TEST

// Hugging Face's folder: "transformer." names in any order, mask buffers ignored, the
// tied lm_head.weight checked, the heads from config.json.
START_TEST(test_import_hugging_face_folder) {
    const char *dir = fresh_dir("hf");
    GptConfig config = small_config();
    Gpt *written = fixture_model(&config, 8);
    write_fixture_vocab(dir, true);
    write_hugging_face_weights(dir, written);
    Tokenizer tokenizer;
    ImportReport report;
    Gpt *model = import_ok(dir, 0, &tokenizer, &report);
    ck_assert(config_equal(&model->config, &config));
    ck_assert(same_weights(model, written));
    ck_assert(report.format == IMPORT_HUGGING_FACE && report.n_arrays == 26 && report.n_ignored == 2 &&
              report.tied_head_checked);
    gpt_free(model), gpt_free(written), tokenizer_free(&tokenizer);
    remove_directory(dir);
}
END_TEST

// export, then import: the same weights and tokenizer, for GPT-1's tokenizer and bytes.
START_TEST(test_export_import_round_trip) {
    const char *source = fresh_dir("rt_source"), *dir = temp_file("rt_export");
    remove_directory(dir);
    GptConfig config = small_config();
    Gpt *written = fixture_model(&config, 9);
    write_fixture_vocab(source, false);
    write_release_weights(source, written, 1);
    Tokenizer tokenizer, back;
    ImportReport report;
    Gpt *model = import_ok(source, 4, &tokenizer, &report);
    char error[512];
    ck_assert_msg(gpt_export(dir, model, &tokenizer, error, sizeof error), "%s", error);
    Gpt *again = import_ok(dir, 0, &back, &report);
    ck_assert(same_weights(again, written) && config_equal(&again->config, &config));
    ck_assert(back.kind == TOKENIZER_GPT1 && back.n_text_tokens == tokenizer.n_text_tokens);
    gpt_free(again), tokenizer_free(&back);
    GptConfig bytes_config = {1, 8, 2, 32, 4, 256, ACTIVATION_RELU, 0.0f};
    Gpt *bytes_model = fixture_model(&bytes_config, 10);
    Tokenizer bytes;
    tokenizer_init_bytes(&bytes);
    remove_directory(dir);
    ck_assert_msg(gpt_export(dir, bytes_model, &bytes, error, sizeof error), "%s", error);
    again = import_ok(dir, 0, &back, &report);
    ck_assert(same_weights(again, bytes_model) && back.kind == TOKENIZER_BYTES && again->config.activation == ACTIVATION_RELU);
    gpt_free(again), tokenizer_free(&back);
    bytes.n_task_tokens = N_TASK_TOKENS;  // a fine-tuned model is refused
    ck_assert(!gpt_export(dir, bytes_model, &bytes, error, sizeof error));
    ck_assert_ptr_nonnull(strstr(error, "only language models are exported"));
    gpt_free(bytes_model), gpt_free(model), gpt_free(written), tokenizer_free(&tokenizer);
    remove_directory(dir), remove_directory(source);
}
END_TEST

static void replace_in_file(const char *path, const char *from, const char *to) {
    FILE *f = fopen(path, "rb");
    char text[8192];
    size_t n = fread(text, 1, sizeof text - 1, f);
    fclose(f);
    text[n] = '\0';
    char *at = strstr(text, from);
    ck_assert_msg(at != NULL, "'%s' not in %s", from, path);
    char out[8192];
    snprintf(out, sizeof out, "%.*s%s%s", (int)(at - text), text, to, at + strlen(from));
    write_text_file(path, out);
}

// Each wrong file of the release is one line naming the file and the field.
START_TEST(test_release_errors) {
    const char *dir = fresh_dir("release_bad");
    char path[4096], args_dir_copy[8300];
    GptConfig config = small_config();
    Gpt *written = fixture_model(&config, 11);
    write_fixture_vocab(dir, false);
    write_release_weights(dir, written, 3);
    assert_import_error(dir, 5, "params_shapes.json: n_heads (5) must divide d_model (16)");
    snprintf(path, sizeof path, "%s/params_shapes.json", dir);
    replace_in_file(path, "[64], [1, 64, 16]", "[65], [1, 64, 16]");
    assert_import_error(dir, 4, "params_shapes.json: array 9 (blocks.0.mlp.c_fc.bias): expected [64], found [65]");
    replace_in_file(path, "[65], [1, 64, 16]", "[64], [1, 64, 16]");
    replace_in_file(path, "[[8, 16]", "[[8, 16, 1]");
    assert_import_error(dir, 4, "array 0: expected the positions [n_ctx, d_model]");
    replace_in_file(path, "[[8, 16, 1]", "[[8, 16]");
    snprintf(path, sizeof path, "%s/params_2.npy", dir);
    remove(path);
    assert_import_error(dir, 4, "params_0.npy to params_1.npy hold");
    write_release_weights(dir, written, 3);
    snprintf(path, sizeof path, "%s/params_1.npy", dir);
    FILE *f = fopen(path, "r+b");  // a NaN in the second shard
    fseek(f, 128 + 8, SEEK_SET);
    fwrite("\x00\x00\xc0\x7f", 1, 4, f);
    fclose(f);
    assert_import_error(dir, 4, "holds a non-finite value");
    write_release_weights(dir, written, 3);
    snprintf(path, sizeof path, "%s/params_3.npy", dir);  // a fourth shard: more floats than the shapes need
    snprintf(args_dir_copy, sizeof args_dir_copy, "cp %s/params_0.npy %s", dir, path);
    ck_assert_int_eq(system(args_dir_copy), 0);
    assert_import_error(dir, 4, "params_0.npy to params_3.npy hold more than the 8464 floats");
    remove(path);
    snprintf(path, sizeof path, "%s/params_shapes.json", dir);
    write_text_file(path, "[[8, 16], [111, 16]]");
    assert_import_error(dir, 4, "expected an array of 2 + 12·n_layers shapes");
    write_text_file(path, "[[8, 16], [111, 16], [1, 16");
    assert_import_error(dir, 4, "params_shapes.json: line 1, column 28: expected ',' or ']'");
    GptConfig other = config;
    other.vocab_size = 100;
    Gpt *wrong_vocab = fixture_model(&other, 12);
    write_release_weights(dir, wrong_vocab, 3);
    assert_import_error(dir, 4, "the encoder has 111 tokens, the token embedding 100 rows");
    assert_import_error("/nonexistent/folder", 0, "neither GPT-1's release");
    gpt_free(wrong_vocab), gpt_free(written);
    remove_directory(dir);
}
END_TEST

static void write_tensors(const char *dir, const SafetensorsTensor *tensors, int n) {
    char path[4096];
    snprintf(path, sizeof path, "%s/model.safetensors", dir);
    FILE *f = fopen(path, "wb");
    ck_assert(safetensors_write(f, tensors, n));
    fclose(f);
}

START_TEST(test_hugging_face_errors) {
    const char *dir = fresh_dir("hf_bad");
    char path[4096];
    GptConfig config = small_config();
    Gpt *written = fixture_model(&config, 13);
    write_fixture_vocab(dir, true);
    write_hugging_face_weights(dir, written);
    assert_import_error(dir, 8, "config.json: n_head is 4, --heads says 8");
    snprintf(path, sizeof path, "%s/model.safetensors", dir);
    FILE *f = fopen(path, "r+b");  // the last tensor written is lm_head.weight
    fseek(f, -4, SEEK_END);
    fwrite("\x00\x00\x80\x3f", 1, 4, f);
    fclose(f);
    assert_import_error(dir, 0, "\"lm_head.weight\" differs from tokens_embed.weight at element 1775");
    snprintf(path, sizeof path, "%s/config.json", dir);
    replace_in_file(path, "\"afn\": \"gelu\"", "\"afn\": \"silu\"");
    assert_import_error(dir, 0, "config.json: afn: expected \"gelu\"");
    replace_in_file(path, "\"afn\": \"silu\"", "\"afn\": \"gelu\"");
    replace_in_file(path, "1e-05", "1e-06");
    assert_import_error(dir, 0, "layer_norm_epsilon: expected 1e-05");
    replace_in_file(path, "1e-06", "1e-05");
    replace_in_file(path, "\"n_embd\": 16", "\"n_embd\": 32");
    assert_import_error(dir, 0, "tensor \"transformer.positions_embed.weight\": shape: expected [8, 32] (config.json");
    replace_in_file(path, "\"n_embd\": 32", "\"n_embd\": \"16\"");
    assert_import_error(dir, 0, "config.json: n_embd: expected an integer from 0 to 2^31 - 1, found a string");
    replace_in_file(path, "\"n_embd\": \"16\"", "\"n_embd\": 16");
    replace_in_file(path, "\"vocab_size\": 111", "\"vocab_size\": 112");
    assert_import_error(dir, 0, "tensor \"transformer.tokens_embed.weight\": shape: expected [112, 16]");
    replace_in_file(path, "\"vocab_size\": 112", "\"vocab_size\": 111");
    float one[1] = {1};
    SafetensorsTensor stray[1] = {{"transformer.h.0.attn.c_attn.scale", 1, {1}, one}};
    write_tensors(dir, stray, 1);
    assert_import_error(dir, 0, "tensor \"transformer.h.0.attn.c_attn.scale\": not a GPT-1 parameter");
    SafetensorsTensor twice[2] = {{"h.0.ln_1.bias", 1, {1}, one}, {"transformer.h.0.ln_1.bias", 1, {1}, one}};
    write_tensors(dir, twice, 2);
    assert_import_error(dir, 0, "given twice");
    SafetensorsTensor deep[1] = {{"h.7.ln_1.bias", 1, {1}, one}};
    write_tensors(dir, deep, 1);
    assert_import_error(dir, 0, "a block beyond config.json's n_layer");
    SafetensorsTensor only_wte[1] = {{"tokens_embed.weight", 2, {111, 16}, written->params.data}};
    write_tensors(dir, only_wte, 1);
    assert_import_error(dir, 0, "expected a tensor \"h.0.mlp.c_fc.weight\"");
    snprintf(path, sizeof path, "%s/config.json", dir);
    remove(path);
    assert_import_error(dir, 0, "config.json: cannot open");
    gpt_free(written);
    remove_directory(dir);
}
END_TEST

// gpt encode and gpt decode, for every kind of tokenizer and a checkpoint's own.
START_TEST(test_encode_decode_commands) {
    const char *dir = fresh_dir("cli_vocab");
    write_fixture_vocab(dir, false);
    char args[1024];
    snprintf(args, sizeof args, "encode --tokenizer gpt1:%s --text \"The cat's...\"", dir);
    ck_assert_int_eq(run_gpt(args), 0);
    ck_assert_str_eq(gpt_output, "97 104 102 110\n");
    snprintf(args, sizeof args, "encode --tokenizer gpt1:%s --text \"Don't\" --tokens", dir);
    ck_assert_int_eq(run_gpt(args), 0);
    ck_assert_str_eq(gpt_output, "99\tdo</w>\n101\tn't</w>\n");
    snprintf(args, sizeof args, "decode --tokenizer gpt1:%s --ids \"97 104 102 98 95 110\"", dir);
    ck_assert_int_eq(run_gpt(args), 0);
    ck_assert_str_eq(gpt_output, "the cat's is\n...\n");
    ck_assert_int_eq(run_gpt("encode --tokenizer bytes --text hi"), 0);
    ck_assert_str_eq(gpt_output, "104 105\n");
    ck_assert_int_eq(run_gpt("decode --tokenizer bytes --ids \"104, 105\""), 0);
    ck_assert_str_eq(gpt_output, "hi\n");
    const char *chars = temp_file("chars.txt");
    write_text_file(chars, "bca");
    snprintf(args, sizeof args, "encode --tokenizer chars:%s --text cab", chars);
    ck_assert_int_eq(run_gpt(args), 0);
    ck_assert_str_eq(gpt_output, "2 0 1\n");
    snprintf(args, sizeof args, "encode --tokenizer chars:%s --text cxb", chars);
    assert_usage_error(args, "byte 0x78 at offset 1 is not in the 3-character vocabulary");
    const char *bpe_text = temp_file("bpe_text.txt"), *vocab = temp_file("cli.bpe");
    write_text_file(bpe_text, "the cat sat on the mat. the cat sat on the hat. the cat sat.");
    snprintf(args, sizeof args, "bpe-train --data %s --merges 8 --out %s --quiet", bpe_text, vocab);
    ck_assert_msg(run_gpt(args) == 0, "%s", gpt_output);
    snprintf(args, sizeof args, "encode --tokenizer bpe:%s --text \"the cat sat\"", vocab);
    ck_assert_int_eq(run_gpt(args), 0);
    char ids[256], decode[512];
    snprintf(ids, sizeof ids, "%.*s", (int)strcspn(gpt_output, "\n"), gpt_output);
    ck_assert_msg(strchr(ids, ' ') != NULL && strlen(ids) < 20, "merged tokens expected: %s", ids);  // 11 bytes, fewer ids
    snprintf(decode, sizeof decode, "decode --tokenizer bpe:%s --ids \"%s\"", vocab, ids);
    ck_assert_int_eq(run_gpt(decode), 0);
    ck_assert_str_eq(gpt_output, "the cat sat\n");
    remove(bpe_text), remove(vocab);
    assert_usage_error("decode --tokenizer bytes --ids \"1 256\"", "--ids: '256' is not a token id from 0 to 255");
    assert_usage_error("decode --tokenizer bytes --ids \"1 x2\"", "--ids: 'x2' is not a token id");
    assert_usage_error("decode --tokenizer bytes --ids \"-1\"", "'-1' is not a token id");
    assert_usage_error("encode --tokenizer bytes --ckpt x --text a", "give --tokenizer or --ckpt (one of them)");
    assert_usage_error("encode --tokenizer chars --text a", "--tokenizer must be bytes, chars:FILE");
    assert_usage_error("encode --tokenizer gpt1:/nonexistent --text a", "/nonexistent: no GPT-1 vocabulary here");
    assert_usage_error("encode --tokenizer bytes", "give --text or --file");
    remove(chars);
    remove_directory(dir);
}
END_TEST

// The commands from end to end: import both folders, inspect, evaluate, export, decode
// with the checkpoint's tokenizer; their errors exit 2.
START_TEST(test_import_export_commands) {
    const char *dir = fresh_dir("cli_release"), *ckpt = temp_file("imported.ckpt"), *out = temp_file("cli_export");
    remove_directory(out);
    GptConfig config = small_config();
    Gpt *written = fixture_model(&config, 14);
    write_fixture_vocab(dir, false);
    write_release_weights(dir, written, 2);
    char args[1024];
    snprintf(args, sizeof args, "import --from %s --out %s --heads 4", dir, ckpt);
    ck_assert_msg(run_gpt(args) == 0, "%s", gpt_output);
    ck_assert_ptr_nonnull(strstr(gpt_output, "the original release (params_shapes.json, params_N.npy), 26 arrays from 2 files"));
    ck_assert_ptr_nonnull(strstr(gpt_output, "import: "));
    snprintf(args, sizeof args, "inspect --ckpt %s", ckpt);
    ck_assert_int_eq(run_gpt(args), 0);
    ck_assert_ptr_nonnull(strstr(gpt_output, "tokenizer: gpt1, 111 text tokens"));
    ck_assert_ptr_nonnull(strstr(gpt_output, "parameters: 8464"));
    snprintf(args, sizeof args, "sample --ckpt %s --tokens 3 --temperature 0", ckpt);  // the default prompt "\n"
    ck_assert_msg(run_gpt(args) == 0, "GPT-1's tokenizer makes no tokens of a blank prompt: %s", gpt_output);
    snprintf(args, sizeof args, "decode --ckpt %s --ids \"97 104\"", ckpt);
    ck_assert_int_eq(run_gpt(args), 0);
    ck_assert_str_eq(gpt_output, "the cat\n");
    snprintf(args, sizeof args, "export --ckpt %s --out %s", ckpt, out);
    ck_assert_msg(run_gpt(args) == 0, "%s", gpt_output);
    snprintf(args, sizeof args, "import --from %s --out %s", out, ckpt);
    ck_assert_msg(run_gpt(args) == 0, "%s", gpt_output);
    ck_assert_ptr_nonnull(strstr(gpt_output, "a Hugging Face folder"));
    Tokenizer tokenizer;
    char error[512];
    Gpt *model = checkpoint_load(ckpt, &tokenizer, NULL, error, sizeof error);
    ck_assert_msg(model != NULL && same_weights(model, written), "%s", error);
    gpt_free(model), tokenizer_free(&tokenizer);
    assert_usage_error("import --out x.ckpt", "--from and --out are required");
    snprintf(args, sizeof args, "import --from %s --out %s --heads 3", dir, ckpt);
    assert_usage_error(args, "n_heads (3) must divide d_model (16)");
    assert_usage_error("export --ckpt /nonexistent.ckpt --out x", "/nonexistent.ckpt: cannot open");
    gpt_free(written);
    remove(ckpt);
    remove_directory(dir), remove_directory(out);
}
END_TEST

// GPT-1's own size (116,534,784 random parameters) through gpt import: the time and
// the peak memory the command reports are printed, and inspect shows the count. (That
// the weights arrive bit for bit is shown on the small folders above.)
START_TEST(test_full_size_import) {
    const char *dir = fresh_dir("full_size"), *ckpt = temp_file("full.ckpt");
    char path[4096], args[1024];
    snprintf(path, sizeof path, "%s/encoder_bpe_40000.json", dir);
    FILE *f = fopen(path, "w");
    fprintf(f, "{\"<unk>\": 0, \"\\n</w>\": 1");  // a made-up vocabulary of 40,478 tokens
    for (int id = 2; id < 40478; id++) fprintf(f, ", \"w%d</w>\": %d", id, id);
    fprintf(f, "}");
    fclose(f);
    snprintf(path, sizeof path, "%s/vocab_40000.bpe", dir);
    write_text_file(path, "#version: 0.2\n");
    GptConfig config = preset_find("gpt1")->config;
    Gpt *written = gpt_create(&config);
    for (long i = 0; i < written->params.total; i++)  // cheap, varied, exact in float32
        written->params.data[i] = (float)((unsigned long)i * 2654435761ul % 2001ul) / 1000.0f - 1.0f;
    write_release_weights(dir, written, 10);
    snprintf(args, sizeof args, "import --from %s --out %s", dir, ckpt);
    ck_assert_msg(run_gpt(args) == 0, "%s", gpt_output);
    const char *report = strstr(gpt_output, "import: ");
    ck_assert_ptr_nonnull(report);
    fprintf(stderr, "full-size GPT-1 release (10 shards, 466 MB): %.*s", (int)(strchr(report, '\n') - report + 1), report);
    snprintf(args, sizeof args, "inspect --ckpt %s", ckpt);
    ck_assert_int_eq(run_gpt(args), 0);
    ck_assert_ptr_nonnull(strstr(gpt_output, "parameters: 116534784"));
    gpt_free(written);
    remove(ckpt);
    remove_directory(dir);
}
END_TEST

Suite *import_suite(void) {
    Suite *s = suite_create("import");
    TCase *tc = tcase_create("import");
    tcase_add_test(tc, test_import_release_folder);
    tcase_add_test(tc, test_import_hugging_face_folder);
    tcase_add_test(tc, test_export_import_round_trip);
    tcase_add_test(tc, test_release_errors);
    tcase_add_test(tc, test_hugging_face_errors);
    tcase_add_test(tc, test_encode_decode_commands);
    tcase_add_test(tc, test_import_export_commands);
    tcase_set_timeout(tc, 60);
    suite_add_tcase(s, tc);
    TCase *full = tcase_create("import_full_size");
    tcase_add_test(full, test_full_size_import);
    tcase_set_tags(full, "slow");  // 1 GB of files and memory: left out of the valgrind run of CI
    tcase_set_timeout(full, 600);
    suite_add_tcase(s, full);
    return s;
}
