-- expect: exit 2
-- message: bg69
local mtc = require "mtc"
return mtc.scenario {
  devices = { { count = 10, module = mtc.with(mtc.modules.bg69, { psm_mw = 0.01 }) } },
}
