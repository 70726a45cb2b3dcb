-- expect: exit 2
-- message: module '' not found
local m = require ""
return { devices = { { count = 1 } } }
