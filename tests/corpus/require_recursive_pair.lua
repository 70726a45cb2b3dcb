-- expect: exit 2
-- message: loop_a
local a = require "loop_a"
return { devices = { { count = 1 } } }
