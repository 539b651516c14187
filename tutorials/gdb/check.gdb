# The commands `make gdb-check` runs on tutorial 04 (see tutorials/gdb/check.sh).
set pagination off
set confirm off
break masked_self_attention
run
pshape x
ptensor x
prow x 4
ptape
finish
ptensor $
plast
pnode the_tape.last->prev
pvalues m->attn.last_weights 5
up
print m->attn.n_heads
kill
quit
