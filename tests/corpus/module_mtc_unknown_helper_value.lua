-- expect: exit 2
-- message: mtc.tr45820.coupling
local mtc = require "mtc"
return mtc.scenario {
  devices = { { count = 10, coverage = mtc.tr45820.coupling } },
}
