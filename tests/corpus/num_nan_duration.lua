-- expect: exit 2
-- message: duration: must be a finite number
local mtc = require "mtc"
local scale = 0
return mtc.scenario {
  duration = mtc.days(scale / scale),
  devices = { { count = 1 } },
}
