-- expect: exit 2
-- message: badsyntax.lua:2:
-- noline: the error is in the module, whose file and line are named
local m = require "badsyntax"
return { devices = { { count = 1 } } }
