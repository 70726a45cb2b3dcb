-- expect: exit 2
-- message: bad module name
local m = require ""
return { devices = { { count = 1 } } }
