-- expect: exit 2
-- message: loop_a
-- known-failing: lua/messages (modules requiring each other recurse until a C stack overflow with no file:line)
local a = require "loop_a"
return { devices = { { count = 1 } } }
