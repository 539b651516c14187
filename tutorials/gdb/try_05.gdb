# The gdb prompt of tutorials/05_decoder_block.md's "Try this": break in decoder_block,
# finish, and print the returned tensor. `make gdb-check` runs it (check.sh).
set pagination off
set confirm off
break decoder_block
run
finish
ptensor $
kill
quit
