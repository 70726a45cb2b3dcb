-- expect: exit 2
-- message: duration: must be <=
local mtc = require "mtc"
return mtc.scenario { duration = mtc.years(1000), devices = { { count = 1 } } }
