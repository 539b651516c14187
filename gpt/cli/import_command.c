// gpt import: GPT-1's released weights (or a Hugging Face folder) as a checkpoint.
#include <stdio.h>

#include "gpt/cli/commands.h"
#include "gpt/import.h"
#include "gpt/io/clock.h"
#include "gpt/io/peak_memory.h"

static const char *const FORMAT_NAMES[] = {"the original release (params_shapes.json, params_N.npy)",
                                           "a Hugging Face folder (model.safetensors, config.json)"};

int import_command(int argc, char **argv) {
    const char *from = NULL, *out = NULL;
    int heads = 0;
    long seed = 1;
    Option options[] = {
        {"from", OPTION_STRING, &from, "the folder: GPT-1's release (model/ of finetune-transformer-lm) or Hugging "
                                       "Face's openai-gpt (required)", 0},
        {"out", OPTION_STRING, &out, "the checkpoint to write (required)", 0},
        {"heads", OPTION_INT, &heads, "attention heads (default: config.json's, or 12 for the release)", 0},
        {"seed", OPTION_LONG, &seed, "seed of the dropout masks of a later fine-tuning", 0},
        {NULL, OPTION_FLAG, NULL, NULL, 0},
    };
    Command command = {"import",
                       "Reads GPT-1's weights and tokenizer, as OpenAI released them (params_shapes.json,\n"
                       "params_0.npy ... params_9.npy, encoder_bpe_40000.json, vocab_40000.bpe) or as Hugging\n"
                       "Face converted them (model.safetensors, config.json, vocab.json, merges.txt), and writes\n"
                       "a checkpoint. docs/gpt1_weights.md says where to get them.",
                       "import --from DIR --out CKPT [--heads N]", options};
    parse_options(&command, argc, argv);
    if (from == NULL || out == NULL) usage_error(&command, "--from and --out are required");
    if (heads < 0) usage_error(&command, "--heads must not be negative (0: config.json's, or 12)");
    check_output_or_exit(&command, out);
    double start = seconds_now();
    ImportOptions o = {.heads = heads, .seed = (uint64_t)seed};
    ImportReport report;
    Tokenizer tokenizer;
    char error[640];
    Gpt *model = gpt_import(from, &o, &tokenizer, &report, error, sizeof error);
    if (model == NULL) usage_error(&command, "%s", error);
    double read_seconds = seconds_now() - start;
    rng_seed(&model->dropout_rng, (uint64_t)seed ^ 0xD0D0D0D0ull);
    TrainingState state = {.step = 0};
    rng_seed(&state.data_rng, (uint64_t)seed ^ 0xDA7Aull);
    bool saved = checkpoint_save(out, model, &tokenizer, &state, error, sizeof error);
    double write_seconds = seconds_now() - start - read_seconds;
    fprintf(stderr, "%s: %s, %d arrays from %d file%s%s%s\n", from, FORMAT_NAMES[report.format], report.n_arrays,
            report.n_files, report.n_files == 1 ? "" : "s", report.n_ignored ? " (mask buffers ignored)" : "",
            report.tied_head_checked ? ", lm_head.weight equal to the token embedding" : "");
    config_print(stderr, &model->config);
    fprintf(stderr, "tokenizer: %s, %d tokens\n", tokenizer_kind_name(tokenizer.kind), tokenizer.n_text_tokens);
    fprintf(stderr, "import: %.2f s reading, %.2f s writing the checkpoint, peak memory %.0f MB\n", read_seconds,
            write_seconds, peak_resident_mb());
    gpt_free(model);
    tokenizer_free(&tokenizer);
    if (!saved) runtime_error("%s", error);
    fprintf(stderr, "checkpoint: %s\n", out);
    return 0;
}
