-- expect: exit 2
-- message: devices[1].traffic: expected a table, got function
local mtc = require "mtc"
return mtc.scenario {
  devices = {
    { count = 10, traffic = mtc.traffic.none },
  },
}
