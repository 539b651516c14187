# gdb commands for gpt1.c: print tensors, nodes and the tape from any breakpoint.
# Load them with
#     gdb -x tutorials/gdb/gpt1.gdb build/debug/tutorials/04_attention
# or add "source tutorials/gdb/gpt1.gdb" to a .gdbinit. `help user-defined` lists them;
# docs/debugging.md shows them at work.

define ptensor
  call tensor_print($arg0)
end
document ptensor
Print a tensor: its name, shape, first values, min, max and mean (and the same of its
gradient when it has one).  Usage: ptensor TENSOR   (e.g. ptensor x, ptensor $)
end

define pshape
  printf "'%s' ", $arg0->name
  set $gpt1_i = 0
  printf "["
  while $gpt1_i < $arg0->shape.ndim
    printf "%s%d", $gpt1_i ? "," : "", $arg0->shape.dims[$gpt1_i]
    set $gpt1_i = $gpt1_i + 1
  end
  printf "], %ld values\n", $arg0->size
end
document pshape
Print a tensor's name and shape.  Usage: pshape TENSOR
end

define pvalues
  if $argc == 1
    print *$arg0->data@($arg0->size < 8 ? $arg0->size : 8)
  else
    print *$arg0->data@$arg1
  end
end
document pvalues
Print the first values of a tensor (8 by default).  Usage: pvalues TENSOR [N]
end

define pgrad
  if $arg0->grad == 0
    printf "'%s' has no gradient yet\n", $arg0->name
  else
    if $argc == 1
      print *$arg0->grad@($arg0->size < 8 ? $arg0->size : 8)
    else
      print *$arg0->grad@$arg1
    end
  end
end
document pgrad
Print the first values of a tensor's gradient (8 by default).  Usage: pgrad TENSOR [N]
end

define prow
  set $gpt1_cols = $arg0->shape.dims[$arg0->shape.ndim - 1]
  print *($arg0->data + $arg1 * $gpt1_cols)@$gpt1_cols
end
document prow
Print one row of a tensor: ROW counts rows of its last dimension, so row 7 of a
[2,5,8] tensor is position 2 of sequence 1.  Usage: prow TENSOR ROW
end

define ptape
  call graph_print()
end
document ptape
Print the tape: one line per node with its index, name, op, shape and inputs (the
index of the node that made an input, or the name of a leaf).  Usage: ptape
end

define pnode
  printf "node %d: %s -> '%s'", $arg0->index, $arg0->op->name, $arg0->out->name
  set $gpt1_i = 0
  printf " ["
  while $gpt1_i < $arg0->out->shape.ndim
    printf "%s%d", $gpt1_i ? "," : "", $arg0->out->shape.dims[$gpt1_i]
    set $gpt1_i = $gpt1_i + 1
  end
  printf "]\n"
  set $gpt1_i = 0
  while $gpt1_i < $arg0->n_inputs
    if $arg0->inputs[$gpt1_i] != 0
      printf "  input %d: '%s'\n", $gpt1_i, $arg0->inputs[$gpt1_i]->name
    end
    set $gpt1_i = $gpt1_i + 1
  end
end
document pnode
Print a node of the tape: its index, op, output and inputs.  Usage: pnode NODE
(e.g. pnode the_tape.last, pnode node, pnode node->prev)
end

define plast
  if the_tape.last == 0
    printf "the tape is empty\n"
  else
    pnode the_tape.last
  end
end
document plast
Print the node recorded last.  Usage: plast
end

define pparams
  call parameters_print((void *)stdout, &$arg0->params)
  call (void) fflush(0)
end
document pparams
Print a model's parameter table: every parameter's name, shape and size, and the total.
Usage: pparams MODEL   (a Gpt *)
end

define break-nan
  call (void) set_check_finite(1)
  break report_non_finite
end
document break-nan
Stop at the first op whose output (or, in the backward, whose gradient) holds a NaN or an
infinity (masked attention scores excepted): turns on the tape's finiteness check and
breaks in report_non_finite. Use it once the program runs (after `start`); `up` then
shows the op that produced the value.
end
