-- expect: exit 2
-- message: bad argument #1 to 'require'
local m = require { "mtc" }
return { devices = { { count = 1 } } }
