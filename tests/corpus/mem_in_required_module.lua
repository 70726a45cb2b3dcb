-- expect: exit 2
-- message: MiB
local big = require "bigmod"
return { devices = { { count = 1 } } }
