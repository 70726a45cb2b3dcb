-- expect: exit 2
-- message: attempt to call a nil value (field 'dayz')
local mtc = require "mtc"
return mtc.scenario {
  duration = mtc.dayz(1),
  devices = { { count = 10 } },
}
