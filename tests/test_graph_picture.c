// The autograd graph as a picture (gpt/pictures/graph_picture.h) and `gpt graph`: the
// layered layout keeps every arrow pointing down and no boxes overlapping, the SVG is
// well-formed with a box per node, --values shows values and gradients, and Q, K and V
// have names of their own.
#define _POSIX_C_SOURCE 200809L

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "autograd/tape.h"
#include "gpt/model.h"
#include "gpt/pictures/graph_picture.h"
#include "tests/helpers.h"
#include "tests/xml_check.h"

static int occurrences(const char *text, const char *needle) {
    int n = 0;
    for (const char *p = strstr(text, needle); p != NULL; p = strstr(p + 1, needle)) n++;
    return n;
}

static char *file_text(FILE *file) {
    long size = ftell(file);
    rewind(file);
    char *text = malloc((size_t)size + 1);
    ck_assert_ptr_nonnull(text);
    size_t n = fread(text, 1, (size_t)size, file);
    text[n] = '\0';
    fclose(file);
    return text;
}

// One forward pass, its loss and one backward pass of a model with `layers` blocks of
// width 4, one head, on 3 tokens: the graph of `gpt graph` without --ckpt.
static Gpt *record_small_graph(int layers) {
    GptConfig config = {layers, 4, 1, 8, 8, 5, ACTIVATION_RELU, 0.0f};
    Gpt *model = gpt_create(&config);
    gpt_init_weights(model, 1);
    int ids[4] = {0, 3, 1, 4};
    set_grad_enabled(true);
    set_keep_grads(true);  // as gpt graph does: every box keeps its gradient
    backward(lm_loss(gpt_logits(model, ids, 1, 3), ids + 1));
    return model;
}

static const GraphBox *box_named(const GraphPicture *p, const char *name) {
    for (int i = 0; i < p->n_boxes; i++)
        if (strcmp(p->boxes[i].tensor->name, name) == 0) return &p->boxes[i];
    return NULL;
}

START_TEST(test_graph_layout_is_layered) {
    Gpt *model = record_small_graph(2);
    GraphPicture p;
    ck_assert(graph_picture_layout(&p, false));
    ck_assert_int_eq(p.n_nodes, the_tape.n_nodes);
    ck_assert_int_gt(p.n_boxes, p.n_nodes);  // the parameters are leaves
    for (int e = 0; e < p.n_edges; e++) {     // every arrow points down, a leaf's into the next row
        const GraphBox *from = &p.boxes[p.edges[e].from], *to = &p.boxes[p.edges[e].to];
        ck_assert_int_lt(from->row, to->row);
        ck_assert(from->y + from->height < to->y);
        if (from->node == NULL) ck_assert_int_eq(from->row, to->row - 1);
    }
    for (int i = 0; i < p.n_boxes; i++)  // no two boxes of a row overlap
        for (int j = i + 1; j < p.n_boxes; j++) {
            const GraphBox *a = &p.boxes[i], *b = &p.boxes[j];
            if (a->row == b->row) ck_assert(fabs(a->x - b->x) >= (a->width + b->width) / 2);
        }
    ck_assert_int_eq(p.n_bands, 2);  // blocks.0 and blocks.1, one above the other
    ck_assert_str_eq(p.bands[0].name, "blocks.0");
    ck_assert(p.bands[0].bottom < p.bands[1].top);
    for (int i = 0; i < p.n_boxes; i++)
        if (strncmp(p.boxes[i].tensor->name, "blocks.1.", 9) == 0)
            ck_assert(p.boxes[i].y > p.bands[1].top && p.boxes[i].y + p.boxes[i].height < p.bands[1].bottom);
    // Q, K and V each have their own name; the scores read Q then K
    const GraphBox *q = box_named(&p, "blocks.0.attn.q.split_heads"), *k = box_named(&p, "blocks.0.attn.k.split_heads");
    ck_assert_ptr_nonnull(q);
    ck_assert_ptr_nonnull(k);
    ck_assert_ptr_nonnull(box_named(&p, "blocks.0.attn.v.columns"));
    ck_assert_ptr_null(box_named(&p, "blocks.0.attn.columns"));
    ck_assert_int_eq(q->row, k->row);
    graph_picture_free(&p);
    gpt_free(model);
}
END_TEST

START_TEST(test_graph_svg_has_a_box_per_node) {
    Gpt *model = record_small_graph(1);
    GraphPicture p;
    ck_assert(graph_picture_layout(&p, true));
    FILE *file = tmpfile();
    ck_assert(graph_write_svg(file, &p, "a <small> graph"));
    char *svg = file_text(file);
    assert_well_formed(svg, "the graph picture");
    ck_assert_int_eq(occurrences(svg, "class=\"node\""), the_tape.n_nodes);
    ck_assert_int_eq(occurrences(svg, "class=\"leaf\""), p.n_boxes - p.n_nodes);
    ck_assert_int_eq(occurrences(svg, "class=\"edge\""), p.n_edges);
    ck_assert_int_eq(occurrences(svg, "class=\"band\""), 1);
    ck_assert_ptr_nonnull(strstr(svg, ">blocks.0.attn.q.split_heads</text>"));
    ck_assert_ptr_nonnull(strstr(svg, ">split_heads [1,1,3,4]</text>"));
    ck_assert_int_eq(occurrences(svg, ">value</text>"), p.n_boxes);
    ck_assert_int_eq(occurrences(svg, ">gradient</text>"), p.n_boxes);  // one backward gave every box one
    ck_assert_ptr_nonnull(strstr(svg, "a &lt;small&gt; graph"));
    free(svg);
    graph_picture_free(&p);
    gpt_free(model);
}
END_TEST

// The text listing of --values: each node with its inputs, its value and its gradient,
// the numbers of the tensors themselves.
START_TEST(test_graph_text_values) {
    Gpt *model = record_small_graph(1);
    GraphPicture p;
    ck_assert(graph_picture_layout(&p, true));
    FILE *file = tmpfile();
    graph_write_text(file, &p);
    char *text = file_text(file);
    ck_assert_int_eq(occurrences(text, "\nnode "), the_tape.n_nodes);
    ck_assert_ptr_nonnull(strstr(text, "--- blocks.0 ---"));
    const GraphBox *softmax = box_named(&p, "blocks.0.attn.softmax");
    ck_assert_ptr_nonnull(softmax);
    char expected[512], row[128];
    graph_values_line(softmax->tensor->data, softmax->tensor, 2, row, sizeof row);  // the third query's weights
    snprintf(expected, sizeof expected, "softmax [1,1,3,3]  <- node %d\n    value\n", (int)(softmax - p.boxes) - 1);
    ck_assert_msg(strstr(text, expected) != NULL, "%s", text);
    ck_assert_ptr_nonnull(strstr(text, row));
    ck_assert_ptr_nonnull(strstr(text, "blocks.0.attn.c_attn.weight  leaf [4,12]\n    value\n"));
    ck_assert_int_eq(occurrences(text, "    gradient\n"), p.n_boxes);
    free(text);
    graph_picture_free(&p);
    gpt_free(model);
}
END_TEST

START_TEST(test_graph_values_lines) {
    float values[14];
    for (int i = 0; i < 14; i++) values[i] = (float)i - 0.5f;
    Tensor t = {.shape = {2, {7, 2}}, .size = 14, .data = values};  // 7 rows of 2: four shown, then "…"
    char line[128];
    ck_assert_int_eq(graph_values_lines(&t), 5);
    ck_assert(graph_values_line(values, &t, 1, line, sizeof line));
    ck_assert_str_eq(line, "       1.5       2.5");
    ck_assert(graph_values_line(values, &t, 4, line, sizeof line));
    ck_assert_str_eq(line, "   \xe2\x80\xa6 7 rows in all");
    ck_assert(!graph_values_line(values, &t, 5, line, sizeof line));
    float wide[9] = {1e-5f, -123456.0f, 0, 0, 0, 0, 0, 0, 0};
    Tensor row = {.shape = {1, {9}}, .size = 9, .data = wide};  // one row of 9: six shown, then "…"
    ck_assert_int_eq(graph_values_lines(&row), 1);
    ck_assert(graph_values_line(wide, &row, 0, line, sizeof line));
    ck_assert_str_eq(line, "     1e-05 -1.23e+05         0         0         0         0 \xe2\x80\xa6");
}
END_TEST

START_TEST(test_graph_command_values_and_svg) {
    char args[512];
    const char *svg_path = temp_file("graph.svg");
    snprintf(args, sizeof args, "graph --values --out %s", svg_path);
    ck_assert_msg(run_gpt(args) == 0, "%s", gpt_output);
    // the model of width 4 with one head reads "abcd": value and gradient of every node
    ck_assert_ptr_nonnull(strstr(gpt_output, "node 0  "));
    ck_assert_ptr_nonnull(strstr(gpt_output, "blocks.0.attn.q.columns  columns [1,3,4]"));
    ck_assert_ptr_nonnull(strstr(gpt_output, "blocks.0.attn.k.split_heads  split_heads [1,1,3,4]"));
    ck_assert_ptr_nonnull(strstr(gpt_output, "    value\n"));
    ck_assert_ptr_nonnull(strstr(gpt_output, "    gradient\n"));
    FILE *file = fopen(svg_path, "r");
    ck_assert_ptr_nonnull(file);
    fseek(file, 0, SEEK_END);
    char *svg = file_text(file);
    assert_well_formed(svg, "gpt graph's picture");
    Gpt *model = record_small_graph(1);  // the same model, in this process
    ck_assert_int_eq(occurrences(svg, "class=\"node\""), the_tape.n_nodes);
    tape_reset();
    gpt_free(model);
    ck_assert_int_eq(occurrences(svg, ">gradient</text>"), occurrences(svg, ">value</text>"));
    free(svg);
    snprintf(args, sizeof args, "graph --text 'hello' --out %s", svg_path);  // a text of its own, no values
    ck_assert_msg(run_gpt(args) == 0, "%s", gpt_output);
    ck_assert_ptr_null(strstr(gpt_output, "gradient"));
    assert_usage_error("graph --out graph.png", "--out must name an .svg or a .dot file");
    snprintf(args, sizeof args, "graph --threads 0 --out %s", svg_path);  // not into the working directory
    assert_usage_error(args, "--threads must be from 1 to");
    remove(svg_path);
}
END_TEST

static void graph_teardown(void) {
    tape_reset();
    set_keep_grads(false);
}

Suite *graph_picture_suite(void) {
    Suite *s = suite_create("graph_picture");
    TCase *tc = tcase_create("layout");
    tcase_add_checked_fixture(tc, NULL, graph_teardown);
    tcase_add_test(tc, test_graph_layout_is_layered);
    tcase_add_test(tc, test_graph_svg_has_a_box_per_node);
    tcase_add_test(tc, test_graph_text_values);
    tcase_add_test(tc, test_graph_values_lines);
    tcase_add_test(tc, test_graph_command_values_and_svg);
    suite_add_tcase(s, tc);
    return s;
}
