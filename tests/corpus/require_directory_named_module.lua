-- expect: exit 2
-- message: helpers
local helpers = require "helpers"
return { devices = { { count = 10 } } }
