-- expect: exit 2
-- message: module 'lib.profiles' not found
local p = require "lib.profiles"
return { devices = { { count = 1 } } }
