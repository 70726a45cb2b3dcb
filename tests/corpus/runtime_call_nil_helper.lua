-- expect: exit 2
-- message: mtc.dayz: no such helper
-- message: did you mean "days"
local mtc = require "mtc"
return mtc.scenario {
  duration = mtc.dayz(1),
  devices = { { count = 10 } },
}
