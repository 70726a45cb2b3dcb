-- expect: exit 2
-- message: dangling
local m = require "dangling"
return { devices = { { count = 1 } } }
