-- expect: exit 2
-- message: lib/units.lua:3: attempt to perform arithmetic on a nil value (global 'HOUR')
-- noline: the error is in the module (found in the scenario's lib/ folder), whose file and line are named
local units = require "units"
return { duration = units.day, devices = { { count = 1 } } }
