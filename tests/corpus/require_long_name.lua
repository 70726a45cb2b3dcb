-- expect: exit 2
-- message: aaaaaaaaaaaaaaaaaaaa
local m = require(string.rep("a", 300))
return { devices = { { count = 1 } } }
