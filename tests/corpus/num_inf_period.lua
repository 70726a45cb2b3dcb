-- expect: exit 2
-- message: devices[1].traffic.period_s: must be a finite number
local mtc = require "mtc"
return mtc.scenario {
  devices = { { count = 1, traffic = mtc.traffic.periodic(math.huge) } },
}
