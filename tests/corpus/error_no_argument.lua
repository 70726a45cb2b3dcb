-- expect: exit 2
-- message: error
local ok = false
if not ok then error() end
return { devices = { { count = 1 } } }
