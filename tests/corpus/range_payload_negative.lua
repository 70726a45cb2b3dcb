-- expect: exit 2
-- message: devices[1].traffic.payload.bytes
local mtc = require "mtc"
return mtc.scenario {
  devices = { { count = 1, traffic = mtc.traffic.periodic(600, mtc.payload.fixed(-20)) } },
}
