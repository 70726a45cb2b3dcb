-- expect: exit 2
-- message: compiled
-- message: binary
-- noline: the module is a binary chunk; its name and the reason are given
local m = require "compiled"
return { devices = { { count = 1 } } }
