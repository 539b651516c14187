# The commands `make gdb-check` runs on tutorial 04 (see tutorials/gdb/check.sh). The
# second stop at masked_self_attention (section 2 of the tutorial) plants an infinity
# for break-nan, as docs/debugging.md does.
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
pparams m
pgrad m->attn.c_attn.weight 4
pgrad m->attn.last_weights
continue
break-nan
set var x->data[3] = 1.0/0.0
continue
bt 5
ptensor t
kill
quit
