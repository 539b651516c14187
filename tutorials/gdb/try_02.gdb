# The gdb prompt of tutorials/02_autograd.md's "Try this": stop in the backward function
# of the tutorial's own op and step through it. `make gdb-check` runs it (check.sh).
set pagination off
set confirm off
break square_node_backward
run
print node->op->name
print forget_the_two
next
next
print dy[0]
print x[0]
print dx[0]
next
print dx[0]
kill
quit
