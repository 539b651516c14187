# The gdb prompt of tutorials/09_kv_cache.md's "Try this": break in cached_attention
# while gpt sample runs, and print n and past: the prompt comes in one call, then each
# new token alone. `make gdb-check` runs it on build/debug/gpt sample (check.sh).
set pagination off
set confirm off
break cached_attention
run
print n
print past
delete
break cached_attention if n == 1
continue
print n
print past
kill
quit
