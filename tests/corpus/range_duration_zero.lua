-- expect: exit 2
-- message: duration: must be > 0 (got 0)
local mtc = require "mtc"
return mtc.scenario {
  duration = mtc.hours(0),
  devices = { { count = 1 } },
}
