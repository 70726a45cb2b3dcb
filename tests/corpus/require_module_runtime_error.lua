-- expect: exit 2
-- message: raising.lua:2: profile table missing
-- noline: the error is in the module, whose file and line are named
local m = require "raising"
return { devices = { { count = 1 } } }
