-- expect: exit 2
-- message: require
-- known-failing: lua/embedded NULs (require "mtc\0evil" loads mtc: the name is cut at the NUL)
local m = require "mtc\0evil"
return { devices = { { count = 1 } } }
