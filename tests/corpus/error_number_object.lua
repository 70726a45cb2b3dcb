-- expect: exit 2
-- message: 42
-- known-failing: lua/messages (error(42) prints 42 without file:line)
error(42)
return { devices = { { count = 1 } } }
