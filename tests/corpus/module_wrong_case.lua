-- expect: exit 2
-- message: BG96
local mtc = require "mtc"
return mtc.scenario {
  devices = { { count = 10, module = mtc.modules.BG96 } },
}
