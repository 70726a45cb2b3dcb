-- expect: exit 2
-- message: bad module name (1 to 200
-- Names longer than 200 characters are refused whole, never cut into another module's name.
local name = string.rep("d.", 127) .. "x" .. string.rep("z", 45)
local m = require(name)
return { devices = { { count = m.count } } }
