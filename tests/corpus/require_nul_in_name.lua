-- expect: exit 2
-- message: require
local m = require "mtc\0evil"
return { devices = { { count = 1 } } }
