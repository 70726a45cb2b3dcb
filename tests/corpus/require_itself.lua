-- expect: exit 2
-- message: require_itself
local me = require "require_itself"
return { devices = { { count = 1 } } }
