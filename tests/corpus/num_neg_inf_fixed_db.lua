-- expect: exit 2
-- message: devices[1].coverage.fixed_db: must be a finite number
local mtc = require "mtc"
return mtc.scenario { devices = { { count = 1, coverage = mtc.coverage.fixed(-math.huge) } } }
