-- expect: exit 2
-- message: bad module name
local m = require(string.rep("a", 300))
return { devices = { { count = 1 } } }
