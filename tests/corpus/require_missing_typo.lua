-- expect: exit 2
-- message: module 'mtcc' not found
local mtc = require "mtcc"
return { devices = { { count = 10 } } }
